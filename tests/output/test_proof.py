"""Proof images: pixel sizes, each overlay changing the pixels where it should (and only the PNGs,
never the PDF), contact sheets for editions, overlay option parsing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from broadsheet.tools.build import build
from broadsheet.cli import main
from broadsheet.display import Box, Document, GlyphRun, Image as Image_, Marker, Page, Rule
from broadsheet.page.grid import Geometry
from broadsheet.output.proof import (COLOURS, DEFAULT_OVERLAYS, GAP, MARK_COLOURS, OVERLAYS, THUMB_H, baseline_offset,
                              contact_path, draw_overlays, neutral, parse_overlays, proof_paths, render_proofs)
from conftest import MINI_SPEC

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
TEXT = "天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳云腾致雨露结为霜金生丽水玉出昆冈"


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def rgb(path: Path) -> Image.Image:
    image = Image.open(path)
    image.load()
    return image.convert("RGB")


def differing(a: Image.Image, b: Image.Image, points, near: int = 0) -> int:
    """How many of the points differ between the images (within `near` pixels across: lines are
    drawn on whole pixels, the positions are fractional)."""
    def differs(x: int, y: int) -> bool:
        return any(a.getpixel((x + dx, y + dy)) != b.getpixel((x + dx, y + dy))
                   for dx in range(-near, near + 1) for dy in range(-near, near + 1))
    return sum(1 for x, y in points if differs(x, y))


@pytest.fixture
def built(mini):
    """The mini project built once: (result, pdf bytes); proofs are rendered from it per test."""
    result, _ = build(Path("spec.yaml"), Path("page.pdf"))
    return result, (mini.root / "page.pdf").read_bytes()


def proofs(built, root: Path, name: str, overlays, dpi: float = 72) -> Image.Image:
    result, pdf = built
    [path] = render_proofs(pdf, result.document, root / name, dpi, overlays)
    return rgb(path)


# ---------------------------------------------------------------------------------------------
# sizes and files


@pytest.mark.parametrize("dpi", [30, 72, 144])
def test_proof_pixel_size_follows_the_resolution(mini, dpi):
    result = cli("proof", "spec.yaml", "-o", "p.pdf", "--dpi", dpi, "--overlay", "all")
    assert result.exit_code == 0, result.output
    image = Image.open(mini.root / "p.png")
    assert abs(image.size[0] - A4[0] * dpi / 72) <= 1 and abs(image.size[1] - A4[1] * dpi / 72) <= 1


def test_overlays_never_change_the_pdf(mini):
    plain = cli("build", "spec.yaml", "-o", "a/page.pdf")
    drawn = cli("proof", "spec.yaml", "-o", "b/page.pdf", "--overlay", "all")
    assert plain.exit_code == 0 and drawn.exit_code == 0, drawn.output
    assert (mini.root / "a/page.pdf").read_bytes() == (mini.root / "b/page.pdf").read_bytes()
    assert (mini.root / "b/page.png").is_file()


def test_proof_paths():
    stem = Path("out/x")
    assert proof_paths(stem, 1) == [Path("out/x.png")]
    assert proof_paths(stem, 3) == [Path("out/x-1.png"), Path("out/x-2.png"), Path("out/x-3.png")]
    assert contact_path(stem) == Path("out/x-contact.png")


# ---------------------------------------------------------------------------------------------
# each overlay changes the pixels where it should


def test_grid_overlay_draws_the_column_edges_and_margins(mini, built):
    geo = built[0].document.geometry
    plain = proofs(built, mini.root, "plain", set())
    grid = proofs(built, mini.root, "grid", {"grid"})
    scale = 1.0  # 72 dpi: one pixel per point
    # the left edge of column 2, all the way down the type area (text there or not)
    x = round(geo.col_x(2) * scale)
    column = [(x, y) for y in range(int(geo.y0) + 2, int(geo.y0 + geo.height) - 2, 7)]
    assert differing(plain, grid, column, near=1) > 0.9 * len(column)
    blues = [grid.getpixel((x + dx, y)) for dx in (-1, 0, 1) for x, y in column[:20]]
    assert any(b > 200 and r < 60 for r, g, b in blues), "the column lines are drawn in blue"
    # the type area's right edge (the margin)
    right = round((geo.x0 + geo.width) * scale)
    edge = [(right, y) for y in range(int(geo.y0) + 2, int(geo.y0 + geo.height) - 2, 7)]
    assert differing(plain, grid, edge, near=1) > 0.9 * len(edge)
    # nothing changes in the margin away from the lines
    corner = [(x, y) for x in range(2, int(geo.x0) - 4, 5) for y in range(2, int(geo.y0) - 30, 5)]
    assert differing(plain, grid, corner) == 0


def test_baseline_overlay_draws_the_body_baselines(mini, built):
    result, _ = built
    geo = result.document.geometry
    page = result.document.pages[0]
    offset = baseline_offset(page, result.document)
    body = [r for r in page.items if isinstance(r, GlyphRun) and r.role == "body"]
    assert any(abs((r.y - geo.y0) % geo.pitch - offset) < 0.05 for r in body), "the offset is where body text sits"
    plain = proofs(built, mini.root, "plain", set())
    lines = proofs(built, mini.root, "baselines", {"baselines"})
    gutter_x = round(geo.col_x(1) + geo.col_w + geo.gutter / 2)  # no text in a gutter
    ys = [round(geo.line_y(k) + offset) for k in range(geo.lines)]
    assert differing(plain, lines, [(gutter_x, y) for y in ys], near=1) > 0.9 * len(ys)
    between = [(gutter_x, round(geo.line_y(k) + offset + geo.pitch / 2)) for k in range(geo.lines - 1)]
    assert differing(plain, lines, between) == 0, "only the baselines are drawn"


def test_frame_overlay_outlines_each_frame_and_names_the_story(mini, built):
    result, _ = built
    [frame] = [m for m in result.document.pages[0].items if isinstance(m, Marker) and m.kind == "frame"]
    assert frame.note == "story"
    plain = proofs(built, mini.root, "plain", set())
    framed = proofs(built, mini.root, "frames", {"frames"})
    bottom = round(frame.y + frame.h)
    edge = [(x, bottom) for x in range(round(frame.x) + 5, round(frame.x + frame.w) - 5, 9)]
    assert differing(plain, framed, edge, near=1) > 0.9 * len(edge)
    greens = [framed.getpixel((x, y + dy)) for x, y in edge for dy in (-1, 0, 1)]
    assert sum(1 for r, g, b in greens if g > 100 and r < 60 and b < 60) >= len(edge), "frames are green"
    # the label: dark green text on a white ground in the frame's top-left corner
    label = framed.crop((round(frame.x) + 2, round(frame.y) + 2, round(frame.x) + 40, round(frame.y) + 16))
    assert any(c[1] > 100 and c[0] < 60 and c[2] < 60 for _, c in label.getcolors(1 << 16))


def test_slot_overlay_outlines_image_slots(mini, tmp_path):
    photo = Image.new("RGB", (600, 400), (30, 90, 160))
    photo.save(mini.root / "photo.jpg", quality=90)
    mini.spec(MINI_SPEC + "    images: [{file: photo.jpg, columns: 1-2, top: 5, lines: 8}]\n")
    result, _ = build(Path("spec.yaml"), Path("page.pdf"))
    pdf = (mini.root / "page.pdf").read_bytes()
    [slot] = [m for m in result.document.pages[0].items if isinstance(m, Marker) and m.kind == "slot"]
    assert slot.note == "photo.jpg"
    [plain] = render_proofs(pdf, result.document, mini.root / "plain", 72, set())
    [slots] = render_proofs(pdf, result.document, mini.root / "slots", 72, {"slots"})
    plain, slots = rgb(plain), rgb(slots)
    top = round(slot.y)
    edge = [(x, top) for x in range(round(slot.x) + 5, round(slot.x + slot.w) - 5, 9)]
    assert differing(plain, slots, edge, near=1) > 0.9 * len(edge)
    oranges = [slots.getpixel((x, y + dy)) for x, y in edge for dy in (-1, 0, 1)]
    assert sum(1 for r, g, b in oranges if r > 200 and 80 < g < 180 and b < 60) >= len(edge), "slots are orange"


def test_overset_is_marked_by_default_and_can_be_switched_off(mini):
    mini.spec(MINI_SPEC.replace("columns: 1-4, top: 0, bottom: end", "columns: 1, top: 0, bottom: 3"))
    mini.write("story.md", TEXT * 12 + "\n")
    result, _ = build(Path("spec.yaml"), Path("page.pdf"), allow_overset=True)
    pdf = (mini.root / "page.pdf").read_bytes()
    red = MARK_COLOURS["overset"]

    def reds(overlays) -> int:
        [path] = render_proofs(pdf, result.document, mini.root / f"o{len(overlays)}", 50, overlays)
        return sum(n for n, c in rgb(path).getcolors(1 << 20) if c == red)

    assert reds(DEFAULT_OVERLAYS) > 50
    assert reds(frozenset()) == 0


def _synthetic() -> tuple[Document, Page]:
    geo = Geometry(200, 200, 20, 20, 160, 160, 2, 10, 10)
    page = Page(1, 200, 200, [Marker("loose", 20, 40, 75, 10, "s"), Marker("orphan", 105, 80, 75, 10, "s")])
    return Document([page], geometry=geo), page


def test_quality_overlay_highlights_loose_lines_and_orphans():
    doc, page = _synthetic()
    white = Image.new("RGB", (200, 200), (255, 255, 255))
    plain = draw_overlays(white, page, doc, 1.0, frozenset())
    marked = draw_overlays(white, page, doc, 1.0, frozenset({"quality"}))
    assert plain.getpixel((50, 45)) == (255, 255, 255)
    r, g, b = marked.getpixel((50, 45))  # loose: yellow
    assert r > 240 and g > 230 and b < 200
    r, g, b = marked.getpixel((140, 85))  # 孤字: magenta
    assert r > 240 and g < 200 and b > 240
    assert marked.getpixel((50, 85)) == (255, 255, 255)


def test_placeholders_are_always_marked():
    doc, page = _synthetic()
    page.items.append(Marker("placeholder", 30, 120, 50, 40, "gone.jpg"))
    white = Image.new("RGB", (200, 200), (255, 255, 255))
    marked = draw_overlays(white, page, doc, 1.0, frozenset())
    assert marked.getpixel((30, 140)) == MARK_COLOURS["placeholder"]


def _ink(image: Image.Image) -> tuple[float, float, float]:
    """A grey image's ink: its amount and its centre (x, y) in pixels."""
    w, data = image.size[0], image.tobytes()
    total = sx = sy = 0
    for k, v in enumerate(data):
        if v < 255:
            total += 255 - v
            sx += (255 - v) * (k % w)
            sy += (255 - v) * (k // w)
    return total, sx / total, sy / total


def test_a_page_in_black_and_greys_is_proofed_grey_like_its_colour_render(mini, built):
    import pypdfium2 as pdfium

    result, pdf = built
    [page] = result.document.pages
    assert neutral(page)
    [path] = render_proofs(pdf, result.document, mini.root / "grey", 72, frozenset())
    grey = Image.open(path)
    assert grey.mode == "L"
    sheet = pdfium.PdfDocument(pdf)[0]
    sheet.set_cropbox(*sheet.get_trimbox())
    # at 72 dpi pdfium snaps glyphs to pixels, a grey render otherwise than a colour one (their ink
    # centres lie about a pixel apart), so both are held to the colour render at 4x, reduced: the
    # grey proof has the same ink, no further from where it belongs than the colour render's
    fine = _ink(sheet.render(scale=4).to_pil().convert("L").resize(grey.size, Image.Resampling.BOX))
    colour = _ink(sheet.render(scale=1).to_pil().convert("L"))
    ink = _ink(grey)
    assert ink[0] > 255 * 1000 and abs(ink[0] - fine[0]) < 0.03 * fine[0]
    for k in (1, 2):  # x, y
        assert abs(ink[k] - fine[k]) <= abs(colour[k] - fine[k]) + 0.5


def test_a_colour_or_a_photo_makes_the_proof_rgb():
    rule = Rule(0, 0, 10, 0, 1, (0, 0, 0, 60))
    assert neutral(Page(1, 20, 20, [rule, Marker("overset", 0, 0, 5, 5)]))
    assert not neutral(Page(1, 20, 20, [Rule(0, 0, 10, 0, 1, (0, 100, 100, 0))]))
    assert not neutral(Page(1, 20, 20, [Box(0, 0, 5, 5, fill=(20, 0, 0, 0))]))
    assert not neutral(Page(1, 20, 20, [Image_(0, 0, 5, 5, Path("p.jpg"), (0, 0, 5, 5), 300)]))


# ---------------------------------------------------------------------------------------------
# editions: one PNG per page and a contact sheet


EDITION = MINI_SPEC.replace("    frame: {columns: 1-4, top: 0, bottom: end}\n", """\
    frame: {columns: 1-4, top: 0, bottom: end}
  - story: second.md
    frame: {columns: 1-4, top: 0, bottom: end, page: 2}
""")


def test_edition_proofs_and_contact_sheet(mini):
    mini.write("second.md", "---\ntitle: 第二版\n---\n\n" + TEXT + "\n")
    mini.spec(EDITION)
    result = cli("proof", "spec.yaml", "-o", "out/ed.pdf", "--dpi", 60)
    assert result.exit_code == 0, result.output
    out = mini.root / "out"
    assert sorted(p.name for p in out.iterdir()) == ["ed-1.png", "ed-2.png", "ed-contact.png", "ed.pdf"]
    assert "out/ed-contact.png" in result.stdout and "2 pages" in result.stdout
    page = Image.open(out / "ed-1.png").size
    sheet = Image.open(out / "ed-contact.png")
    thumb_w = round(page[0] * THUMB_H / page[1]) if page[1] > THUMB_H else page[0]
    assert sheet.size[0] == GAP + 2 * (thumb_w + GAP), "two pages side by side"
    assert sheet.size[1] < page[1] + 200, "scaled down, one row"
    # each thumbnail is a page (white paper with ink), not the grey ground
    sheet = sheet.convert("RGB")
    for k in range(2):
        x = GAP + k * (thumb_w + GAP) + thumb_w // 2
        assert sheet.getpixel((x, GAP + 3)) == (255, 255, 255)


def test_no_contact_sheet_for_one_page_or_when_switched_off(mini):
    assert cli("proof", "spec.yaml", "-o", "one/p.pdf").exit_code == 0
    assert sorted(p.name for p in (mini.root / "one").iterdir()) == ["p.pdf", "p.png"]
    mini.write("second.md", TEXT + "\n")
    mini.spec(EDITION)
    assert cli("proof", "spec.yaml", "-o", "two/p.pdf", "--no-contact").exit_code == 0
    assert sorted(p.name for p in (mini.root / "two").iterdir()) == ["p-1.png", "p-2.png", "p.pdf"]


# ---------------------------------------------------------------------------------------------
# the option


@pytest.mark.parametrize("values, expected", [
    ((), DEFAULT_OVERLAYS),
    (("all",), frozenset(OVERLAYS)),
    (("none",), frozenset()),
    (("grid,frames",), frozenset({"grid", "frames"})),
    (("grid", "Baselines"), frozenset({"grid", "baselines"})),
    (("all,none,slots",), frozenset({"slots"})),
])
def test_parse_overlays(values, expected):
    assert parse_overlays(values) == expected


def test_unknown_overlay_is_a_usage_error_with_a_suggestion(mini):
    with pytest.raises(ValueError, match="did you mean 'frames'"):
        parse_overlays(["frame"])
    result = CliRunner().invoke(main, ["proof", "spec.yaml", "--overlay", "grid,frame"])
    assert result.exit_code == 2 and "did you mean 'frames'" in result.output
    assert not (mini.root / "out").exists()


def test_overlay_colours_are_distinct():
    assert len({c[:3] for c in COLOURS.values()}) == len(COLOURS)


def test_png_bytes_keep_every_pixel():
    import io

    from PIL import Image

    from broadsheet.output.proof import png_bytes

    image = Image.effect_noise((37, 23), 90).convert("RGB")  # odd sizes, every byte value likely
    back = Image.open(io.BytesIO(png_bytes(image)))
    assert (back.mode, back.size) == ("RGB", (37, 23))
    assert back.tobytes() == image.tobytes()
    grey = image.convert("L")
    back = Image.open(io.BytesIO(png_bytes(grey)))
    assert back.mode == "L" and back.tobytes() == grey.tobytes()
    assert Image.open(io.BytesIO(png_bytes(image.convert("RGBA")))).mode == "RGB"
