"""PDF/X-1a and PDF/X-4 output read back with pikepdf (and rendered with pypdfium2): identification,
OutputIntent, boxes, marks, colour (converted photos, ink limit, spot colours, overprinting black),
metadata and reproducibility; and the file preflight, which must pass on these files and fail on
a plain PDF."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageMath, ImageStat

from broadsheet.input.press import DEFAULT_PROFILE, SLUG
from broadsheet.output.images import to_cmyk
from broadsheet.tools.build import build
from broadsheet.tools.check import preflight
from broadsheet.tools.pdfcheck import check_pdf
from conftest import MINI_SPEC, MINI_STORY, run_cli, snapshot_project

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
RED, BLACK_RGB, BLUE, GREY = (230, 20, 30), (0, 0, 0), (20, 40, 220), (128, 128, 128)

#: The small A4 project (conftest.MINI_SPEC) with a spot-colour title, a tinted box, an RGB and a
#: grayscale photo, and the `output` block a test gives.
PRESS_SPEC = MINI_SPEC.split("stories:")[0].replace("{", "{{").replace("}", "}}") + """\
style_overrides:
  title: {{color: {{spot: PANTONE 485 C, cmyk: [0, 95, 100, 0]}}}}
output:
{output}
stories:
  - story: story.md
    frame: {{columns: 1-4, top: 0, bottom: end}}
    box: {{tint: [0, 0, 20, 0]}}
    images:
      - file: rgb.png
        columns: 1-2
        lines: 10
      - file: gray.png
        columns: 3-4
        lines: 10
"""
X1A = "  pdfx: x1a\n  bleed: 3mm\n  marks: [crop, registration, colorbar, info]\n  date: 2020-07-21T06:00:00+08:00"


def _photos(root: Path) -> None:
    """An RGB picture of three flat patches over a gradient, with an alpha channel, and a gray one."""
    im = Image.new("RGBA", (1200, 800), (255, 255, 255, 255))
    d = ImageDraw.Draw(im)
    for x in range(1200):
        d.line([(x, 0), (x, 399)], fill=(x * 255 // 1200, 90, 255 - x * 255 // 1200, 255))
    for k, colour in enumerate((RED, BLACK_RGB, BLUE)):
        d.rectangle([k * 400, 400, k * 400 + 399, 799], fill=(*colour, 255))
    d.rectangle([0, 0, 60, 60], fill=(0, 0, 0, 0))  # transparent: must come out as paper
    im.save(root / "rgb.png")
    Image.new("L", (1200, 800), GREY[0]).save(root / "gray.png")


@pytest.fixture
def press(mini):
    _photos(mini.root)
    mini.write("story.md", MINI_STORY.replace("title: 小样标题", "flag: ■ 测试 CESHI\ntitle: 小样标题"))

    def make(output: str = X1A, pdfx: str | None = None, name: str = "out.pdf") -> pikepdf.Pdf:
        mini.spec(PRESS_SPEC.format(output=output))
        build(Path("spec.yaml"), Path(name), pdfx=pdfx)
        return pikepdf.open(mini.root / name)

    return make


def _images(pdf: pikepdf.Pdf) -> list[pikepdf.PdfImage]:
    page = pdf.pages[0]
    return [pikepdf.PdfImage(page.Resources.XObject[k]) for k in sorted(page.Resources.XObject.keys())]


def _by_space(pdf: pikepdf.Pdf, space: str) -> pikepdf.PdfImage:
    (found,) = [im for im in _images(pdf) if str(im.obj.ColorSpace) == space]
    return found


def _ops(pdf: pikepdf.Pdf) -> list[tuple[list, str]]:
    return [(list(operands), str(op)) for operands, op in pikepdf.parse_content_stream(pdf.pages[0])]


# ---------------------------------------------------------------------------------------------
# the two standards' requirements, read back


def test_x1a_identification_info_and_version(press, mini):
    pdf = press()
    assert (mini.root / "out.pdf").read_bytes().startswith(b"%PDF-1.3\n")
    assert pdf.pdf_version == "1.3"
    info = pdf.docinfo
    assert str(info.GTS_PDFXVersion) == "PDF/X-1:2001"
    assert str(info.GTS_PDFXConformance) == "PDF/X-1a:2001"
    assert str(info.Trapped) == "/False"
    assert str(info.Title) == "小样测试" and str(info.Subject) == "测试主题"
    assert str(info.CreationDate) == str(info.ModDate) == "D:20200721060000+08'00'"
    assert len(pdf.trailer.ID) == 2 and all(len(bytes(x)) == 16 for x in pdf.trailer.ID)
    assert "/Encrypt" not in pdf.trailer
    with pdf.open_metadata() as meta:
        assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-1:2001"
        assert meta["pdfx:GTS_PDFXConformance"] == "PDF/X-1a:2001"


def test_x4_identification_in_xmp(press, mini):
    pdf = press(X1A.replace("x1a", "x4"))
    assert pdf.pdf_version == "1.6" and (mini.root / "out.pdf").read_bytes().startswith(b"%PDF-1.6\n")
    assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-4" and "/GTS_PDFXConformance" not in pdf.docinfo
    with pdf.open_metadata() as meta:
        assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        assert meta["dc:title"] == "小样测试"
        assert meta["pdf:Trapped"] == "False"
        assert meta["xmp:CreateDate"] == meta["xmp:ModifyDate"] == "2020-07-21T06:00:00+08:00"
        assert re.fullmatch(r"uuid:[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", meta["xmpMM:DocumentID"])
        assert meta["pdf:Producer"] == str(pdf.docinfo.Producer) and meta["xmp:CreatorTool"] == str(pdf.docinfo.Creator)
        assert meta["xmpMM:VersionID"] == "1" and meta["xmpMM:RenditionClass"] == "default"
    assert "pdfx:GTS_PDFXConformance" not in pdf.Root.Metadata.read_bytes().decode()


def test_output_intent_embeds_the_bundled_newsprint_profile(press):
    pdf = press()
    (intent,) = pdf.Root.OutputIntents
    assert str(intent.S) == "/GTS_PDFX" and str(intent.Type) == "/OutputIntent"
    assert str(intent.OutputConditionIdentifier) == "CGATS TR 002"
    assert str(intent.RegistryName) == "http://www.color.org"
    profile = intent.DestOutputProfile
    assert int(profile.N) == 4
    data = profile.read_bytes()
    assert data == DEFAULT_PROFILE.read_bytes()
    assert data[12:16] == b"prtr" and data[16:20] == b"CMYK"


def test_a_plants_own_profile_and_condition(press, mini):
    shutil.copy(DEFAULT_PROFILE, mini.root / "plant.icc")
    pdf = press(X1A + "\n  profile: plant.icc\n  condition: ISOnewspaper26v4\n  registry: http://www.color.org")
    (intent,) = pdf.Root.OutputIntents
    assert str(intent.OutputConditionIdentifier) == "ISOnewspaper26v4"
    assert str(intent.Info).startswith("Coldset newsprint")  # the profile's own description


def test_page_boxes_with_bleed_and_room_for_marks(press):
    pdf = press()
    page = pdf.pages[0]
    off = 3 * MM + SLUG
    trim = [float(v) for v in page.TrimBox]
    bleed = [float(v) for v in page.BleedBox]
    media = [float(v) for v in page.MediaBox]
    assert trim == pytest.approx([off, off, off + A4[0], off + A4[1]], abs=0.01)
    assert bleed == pytest.approx([trim[0] - 3 * MM, trim[1] - 3 * MM, trim[2] + 3 * MM, trim[3] + 3 * MM], abs=0.01)
    assert media == pytest.approx([0, 0, A4[0] + 2 * off, A4[1] + 2 * off], abs=0.01)
    assert "/Trans" not in page.obj


def test_without_bleed_and_marks_the_boxes_are_the_page(press):
    pdf = press("  pdfx: x4")
    page = pdf.pages[0]
    for box in ("/MediaBox", "/TrimBox", "/BleedBox"):
        assert [float(v) for v in page.obj[box]] == pytest.approx([0, 0, *A4], abs=0.01)


def test_marks_print_in_the_slug_and_not_on_the_proof(press, mini):
    press()
    doc = pdfium.PdfDocument(mini.root / "out.pdf")
    try:
        page = doc[0]
        full = page.render(scale=1).to_pil().convert("L")
        text = page.get_textpage().get_text_range()
    finally:
        doc.close()
    off = 3 * MM + SLUG
    assert full.size == pytest.approx((A4[0] + 2 * off, A4[1] + 2 * off), abs=1)
    assert "PDF/X-1a:2001" in text and "CGATS TR 002" in text and "第1版 (page 1 of 1)" in text  # the printed page
    # a crop mark: the trim's left edge continued above the page, in the slug (ink = dark pixels)
    x = round(off)
    column = [full.getpixel((xx, y)) for xx in (x - 1, x, x + 1) for y in range(int(off - 3 * MM - 7 * MM), int(off - 3 * MM - 3 * MM))]
    assert min(column) < 128
    # the colour bar along the bottom: cyan, magenta, yellow, black patches, one after the other
    rgb = page_rgb(mini.root / "out.pdf")
    y = round(A4[1] + off + 3 * MM + 5 * MM)
    x0 = off + 3 * MM + 8 * MM + 2.5 * MM
    patches = [rgb.getpixel((round(x0 + k * 5 * MM), y)) for k in range(4)]
    assert patches[0][0] < 80 and patches[0][2] > 150  # cyan
    assert patches[1][1] < 80 and patches[1][0] > 150  # magenta
    assert patches[2][2] < 80 and patches[2][1] > 150  # yellow
    assert max(patches[3]) < 80  # black
    # the proof shows the trimmed page only
    proof = run_cli("proof", "spec.yaml", "-o", "proof.pdf", "-q", "--dpi", "72", cwd=mini.root)
    assert proof.returncode == 0, proof.stderr
    with Image.open(mini.root / "proof.png") as png:
        assert png.size == pytest.approx(A4, abs=1)


def page_rgb(path: Path, scale: float = 1) -> Image.Image:
    doc = pdfium.PdfDocument(path)
    try:
        return doc[0].render(scale=scale).to_pil().convert("RGB")
    finally:
        doc.close()


# ---------------------------------------------------------------------------------------------
# colour


def _expected_cmyk(rgb: tuple[int, int, int], limit: float = 240) -> tuple[int, ...]:
    profile = DEFAULT_PROFILE.read_bytes()
    return to_cmyk(Image.new("RGB", (1, 1), rgb), profile, "perceptual", None, limit).getpixel((0, 0))


def test_rgb_photo_converted_to_the_profiles_cmyk(press):
    pdf = press()
    cmyk = _by_space(pdf, "/DeviceCMYK").as_pil_image()
    assert cmyk.mode == "CMYK" and cmyk.size == (1200, 800)
    # the patches, straight from LittleCMS with the same profile and intent
    for k, colour in enumerate((RED, BLACK_RGB, BLUE)):
        assert cmyk.getpixel((k * 400 + 200, 600)) == _expected_cmyk(colour)
    red = cmyk.getpixel((200, 600))
    assert red[1] > 200 and red[2] > 200 and red[0] < 30 and red[3] < 30  # red is magenta + yellow
    assert cmyk.getpixel((10, 10)) == (0, 0, 0, 0)  # the transparent corner is paper, not black
    for im in _images(pdf):
        assert "/SMask" not in im.obj and "/Mask" not in im.obj  # PDF/X-1a: no transparency


def _linear_rgb_profile() -> bytes:
    """A minimal ICC v2 RGB profile: sRGB's primaries (D50-adapted) with linear tone curves, so
    that a picture tagged with it means other colours than the same numbers in sRGB."""
    import struct

    def xyz(x, y, z):
        return b"XYZ \0\0\0\0" + struct.pack(">3i", *(round(v * 65536) for v in (x, y, z)))

    text = b"linear sRGB primaries"
    tags = [(b"desc", b"desc\0\0\0\0" + struct.pack(">I", len(text) + 1) + text + b"\0" + b"\0" * 79),
            (b"wtpt", xyz(0.9642, 1.0, 0.8249)), (b"rXYZ", xyz(0.4361, 0.2225, 0.0139)),
            (b"gXYZ", xyz(0.3851, 0.7169, 0.0971)), (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
            *((name, b"curv\0\0\0\0" + struct.pack(">I", 0)) for name in (b"rTRC", b"gTRC", b"bTRC"))]
    table, data = b"", b""
    offset = 128 + 4 + 12 * len(tags)
    for name, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += name + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = struct.pack(">I4sI4s4s4s12s4s", size, b"none", 0x02100000, b"mntr", b"RGB ", b"XYZ ", b"\0" * 12, b"acsp")
    header += b"\0" * (68 - len(header)) + xyz(0.9642, 1.0, 0.8249)[8:] + b"\0" * 48
    return header + struct.pack(">I", len(tags)) + table + data


def test_icc_tagged_photo_converted_from_its_own_profile(mini):
    profile = DEFAULT_PROFILE.read_bytes()
    tagged = _linear_rgb_profile()
    grey = Image.new("RGB", (1, 1), (60, 60, 60))
    as_srgb = to_cmyk(grey, profile, "relative", None, 240).getpixel((0, 0))
    as_linear = to_cmyk(grey, profile, "relative", tagged, 240).getpixel((0, 0))
    assert sum(as_linear) < sum(as_srgb) - 20  # linear 60 is a much lighter grey than sRGB 60: less ink
    # a tag that is no RGB profile (here a Lab one) is ignored, as a browser would: the picture is sRGB
    from PIL import ImageCms

    lab = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    assert to_cmyk(grey, profile, "relative", lab, 240).getpixel((0, 0)) == as_srgb
    # through the build: the tag travels with the PNG
    _photos(mini.root)
    Image.new("RGB", (1200, 800), (60, 60, 60)).save(mini.root / "rgb.png", icc_profile=tagged)
    mini.spec(PRESS_SPEC.format(output="  pdfx: x4\n  intent: relative"))
    build(Path("spec.yaml"), Path("tagged.pdf"))
    with pikepdf.open(mini.root / "tagged.pdf") as pdf:
        assert _by_space(pdf, "/DeviceCMYK").as_pil_image().getpixel((5, 5)) == as_linear


def test_grayscale_photo_stays_device_gray(press):
    pdf = press()
    gray = _by_space(pdf, "/DeviceGray").as_pil_image()
    assert gray.mode == "L" and gray.getpixel((600, 400)) == GREY[0]


def test_sixteen_bit_gray_photo_keeps_its_tones(press, mini):
    deep = Image.new("I;16", (1200, 800), 32896)  # 128 × 257: mid grey in 16 bits
    deep.save(mini.root / "gray.png")
    pdf = press()
    assert _by_space(pdf, "/DeviceGray").as_pil_image().getpixel((600, 400)) == 128


def test_ink_limit_applied_to_converted_photos(press):
    pdf = press(X1A + "\n  ink_limit: 200%")
    cmyk = _by_space(pdf, "/DeviceCMYK").as_pil_image()
    unlimited = _expected_cmyk(BLACK_RGB, 400)
    assert sum(unlimited) * 100 / 255 > 220  # black in this profile takes more than the limit …
    black = cmyk.getpixel((600, 600))
    assert sum(black) * 100 / 255 <= 200  # … and comes out within it
    assert black[3] == unlimited[3]  # keeping the black plate
    c, m, y, k = (b.convert("I") for b in cmyk.split())
    total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
    assert total.getextrema()[1] * 100 / 255 <= 200  # every pixel



def test_black_text_and_rules_overprint_and_nothing_else(press):
    pdf = press()
    states = pdf.pages[0].Resources.ExtGState
    assert bool(states["/BS-OP"].OP) and bool(states["/BS-OP"].op) and int(states["/BS-OP"].OPM) == 1
    assert not bool(states["/BS-KO"].OP) and not bool(states["/BS-KO"].op)
    overprint = False
    seen = {"black": 0, "other": 0}
    for operands, op in _ops(pdf):
        if op == "gs":
            overprint = str(operands[0]) == "/BS-OP"
        elif op == "k":
            values = tuple(float(v) for v in operands)
            black = values == (0, 0, 0, 1)
            assert overprint == black, f"{values} with overprint {overprint}"
            seen["black" if black else "other"] += 1
        elif op == "Do":
            assert not overprint  # photos knock out
    assert seen["black"] and seen["other"]
    assert check_pdf(Path("out.pdf"), "x1a", 240, 150) == []


def test_spot_colour_is_a_separation_with_its_cmyk_alternate(press, mini):
    pdf = press()
    spaces = pdf.pages[0].Resources.ColorSpace
    inks = {str(v[1]): v for v in spaces.values()}
    pantone = inks["/PANTONE 485 C"]
    assert str(pantone[0]) == "/Separation" and str(pantone[2]) == "/DeviceCMYK"
    assert [float(v) for v in pantone[3].C1] == [0, 0.95, 1, 0] and int(pantone[3].FunctionType) == 2
    assert str(inks["/All"][1]) == "/All"  # registration marks print on every plate
    name = next(k for k, v in spaces.items() if str(v[1]) == "/PANTONE 485 C")
    ops = _ops(pdf)
    assert any(op == "cs" and str(operands[0]) == name for operands, op in ops)
    # a plain PDF prints the spot colour's alternate instead
    plain = press(X1A, pdfx="none", name="plain.pdf")
    assert "/ColorSpace" not in plain.pages[0].Resources
    assert any(op == "k" and [float(v) for v in operands] == [0, 0.95, 1, 0] for operands, op in _ops(plain))


def test_spot_colour_in_a_box_tint(press):
    press()
    spec = Path("spec.yaml").read_text(encoding="utf-8")
    Path("spec.yaml").write_text(spec.replace("tint: [0, 0, 20, 0]", "tint: {spot: 报头红, cmyk: [0, 100, 100, 10], tint: 15}"),
                                 encoding="utf-8")
    build(Path("spec.yaml"), Path("boxed.pdf"))
    with pikepdf.open("boxed.pdf") as boxed:
        spaces = boxed.pages[0].Resources.ColorSpace
        (name,) = [k for k, v in spaces.items() if str(v[1]) == "/报头红"]
        fills = [(operands, op) for operands, op in pikepdf.parse_content_stream(boxed.pages[0]) if op == pikepdf.Operator("scn")]
        assert [float(v) for v in fills[0][0]] == [0.15]  # the box's tint of the ink
        assert [float(v) for v in spaces[name][3].C1] == [0, 1, 1, 0.1]


# ---------------------------------------------------------------------------------------------
# the spec's output settings


def test_a_colour_over_the_ink_limit_fails_preflight(mini):
    mini.spec(PRESS_SPEC.format(output="  pdfx: x4").replace(
        "{color: {spot: PANTONE 485 C, cmyk: [0, 95, 100, 0]}}", "{color: [80, 80, 80, 100]}").replace("    images:", "    x:"))
    mini.spec(mini.texts["spec.yaml"].split("    x:")[0])
    report = preflight(Path("spec.yaml"))
    (item,) = [i for i in report.items if i.check == "ink-coverage"]
    assert item.severity == "error" and "340% total ink" in item.message and item.where.startswith("p.1 ")


def test_watch_mode_watches_the_output_profile(mini):
    from broadsheet.tools.watch import spec_files

    shutil.copy(DEFAULT_PROFILE, mini.root / "plant.icc")
    mini.spec(PRESS_SPEC.format(output="  pdfx: x1a\n  profile: plant.icc"))
    assert (mini.root / "plant.icc").resolve() in spec_files(mini.root / "spec.yaml")


# ---------------------------------------------------------------------------------------------
# the file preflight


def test_file_preflight_passes_the_press_file_and_fails_a_plain_one(press, mini):
    press()
    ok = run_cli("check", "spec.yaml", "--pdf", "out.pdf", "--json", cwd=mini.root)
    assert ok.returncode == 0, ok.stdout
    press(X1A, pdfx="none", name="plain.pdf")
    bad = run_cli("check", "spec.yaml", "--pdf", "plain.pdf", cwd=mini.root)
    assert bad.returncode == 1
    found = {i.check for i in check_pdf(mini.root / "plain.pdf", "x1a", 240, 150)}
    assert {"pdfx-id", "output-intent", "boxes", "overprint", "colour-space"} <= found
    # a soft mask on a photo: transparency, which PDF/X-1a forbids and PDF/X-4 allows
    with pikepdf.open(mini.root / "plain.pdf") as pdf:
        photo = next(iter(pdf.pages[0].Resources.XObject.values()))
        mask = pikepdf.Stream(pdf, b"\x80" * 4)
        mask.Type, mask.Subtype, mask.Width, mask.Height = pikepdf.Name.XObject, pikepdf.Name.Image, 2, 2
        mask.ColorSpace, mask.BitsPerComponent = pikepdf.Name.DeviceGray, 8
        photo.SMask = mask
        pdf.save(mini.root / "masked.pdf")
    assert "transparency" in {i.check for i in check_pdf(mini.root / "masked.pdf", "x1a", 240, 150)}
    x4 = {i.check for i in check_pdf(mini.root / "masked.pdf", "x4", 240, 150)}
    assert "transparency" not in x4 and "colour-space" in x4  # X-4 allows transparency, not RGB
    # an RGB palette is RGB too
    with pikepdf.open(mini.root / "out.pdf") as pdf:
        gray = next(x for x in pdf.pages[0].Resources.XObject.values() if str(x.ColorSpace) == "/DeviceGray")
        gray.ColorSpace = pikepdf.Array([pikepdf.Name.Indexed, pikepdf.Name.DeviceRGB, 255, pikepdf.String(bytes(768))])
        pdf.save(mini.root / "indexed.pdf")
    (item,) = [i for i in check_pdf(mini.root / "indexed.pdf", "x1a", 240, 150) if i.check == "colour-space"]
    assert "DeviceRGB" in item.message
    # the file is checked against the standard asked for: an X-1a file is no PDF/X-4
    assert {i.check for i in check_pdf(mini.root / "out.pdf", "x4", 240, 150)} == {"pdfx-id", "pdfx-xmp"}


def test_file_preflight_finds_low_resolution_and_missing_photos(press, mini):
    press()
    items = check_pdf(mini.root / "out.pdf", "x1a", 240, 400)
    (low,) = [i for i in items if i.check == "image-resolution" and "1200×800" in i.message]
    assert low.page == 1 and re.fullmatch(r"p\.1 [\d.]+,[\d.]+ mm", low.where)
    (mini.root / "gray.png").unlink()
    build(Path("spec.yaml"), Path("missing.pdf"))
    report = preflight(Path("spec.yaml"), pdf=mini.root / "missing.pdf")
    (missing,) = [i for i in report.items if i.check == "image" and "not found" in i.message]
    assert "gray.png" in missing.message and missing.severity == "error" and report.exit_code == 1


# ---------------------------------------------------------------------------------------------
# reproducibility


def test_dates_from_source_date_epoch_and_identical_rebuilds(press, mini, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1595282400")  # 2020-07-20T22:00:00Z
    press("  pdfx: x4", name="a.pdf")
    assert str(pikepdf.open(mini.root / "a.pdf").docinfo.CreationDate) == "D:20200720220000+00'00'"
    again = run_cli("build", "spec.yaml", "-o", "b.pdf", "-q", cwd=mini.root,
                    env={"PYTHONHASHSEED": "7", "SOURCE_DATE_EPOCH": "1595282400"})
    assert again.returncode == 0, again.stderr
    assert (mini.root / "a.pdf").read_bytes() == (mini.root / "b.pdf").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1595282401")
    press("  pdfx: x4", name="c.pdf")
    first, other = pikepdf.open(mini.root / "a.pdf"), pikepdf.open(mini.root / "c.pdf")
    assert bytes(first.trailer.ID[0]) != bytes(other.trailer.ID[0])  # another date, another document


# ---------------------------------------------------------------------------------------------
# the samples, with photos, in both standards


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    """The two sample specs (with their RGB photos) in a snapshot, built as plain PDF and as each
    standard."""
    root = tmp_path_factory.mktemp("press-samples")
    spec = snapshot_project(root / "project")
    built = {}
    for name in ("dangjian", "sikai"):
        path = spec.parent / f"{name}.yaml"
        for standard in ("none", "x1a", "x4"):
            out = root / "out" / f"{name}-{standard}.pdf"
            build(path, out, allow_overset=True, pdfx=standard)
            built[name, standard] = (path, out)
    return built


@pytest.mark.parametrize("name", ["dangjian", "sikai"])
@pytest.mark.parametrize("standard", ["x1a", "x4"])
def test_samples_pass_the_file_preflight(samples, name, standard):
    spec, out = samples[name, standard]
    report = preflight(spec, pdf=out, pdfx=standard)
    errors = [i for i in report.items if i.severity == "error"]
    assert errors == [] and report.exit_code == 0
    with pikepdf.open(out) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert pdf.pdf_version == {"x1a": "1.3", "x4": "1.6"}[standard]
        spaces = {str(pikepdf.PdfImage(x).obj.ColorSpace) for page in pdf.pages
                  for x in page.Resources.get("/XObject", {}).values()}
        assert spaces == {"/DeviceCMYK"}  # the RGB photos, converted


def test_samples_use_a_standard():
    root = Path(__file__).resolve().parents[2] / "layout"
    import yaml

    assert yaml.safe_load((root / "dangjian.yaml").read_text(encoding="utf-8"))["output"]["pdfx"] == "x1a"
    assert yaml.safe_load((root / "sikai.yaml").read_text(encoding="utf-8"))["output"]["pdfx"] == "x4"


@pytest.mark.parametrize("standard", ["x1a", "x4"])
def test_the_press_page_looks_like_the_plain_page(samples, standard):
    """Rendered, the PDF/X page is the plain page: the same text in the same places (only the
    photos' colours went through the profile)."""
    _, plain = samples["dangjian", "none"]
    _, pressed = samples["dangjian", standard]
    a, b = page_rgb(plain, 0.5), page_rgb(pressed, 0.5)
    assert a.size == b.size
    diff = ImageChops.difference(a.convert("L"), b.convert("L"))
    assert ImageStat.Stat(diff).mean[0] < 2.0
    with pdfplumber.open(plain) as pdf:  # the photos aside (their darks went through the profile) …
        photos = [tuple(round(v * 0.5) for v in (im["x0"], im["top"], im["x1"], im["bottom"]))
                  for im in pdf.pages[0].images]
    assert len(photos) == 2
    for im in (a, b):
        for box in photos:
            im.paste((255, 255, 255), box)
    text_a = sum(a.convert("L").histogram()[:100])  # … the dark pixels are text and rules
    text_b = sum(b.convert("L").histogram()[:100])
    assert abs(text_a - text_b) <= 0.01 * text_a


def test_sample_rebuilds_are_byte_identical(samples, tmp_path):
    spec, out = samples["sikai", "x4"]
    again = tmp_path / "again.pdf"
    proc = run_cli("build", spec, "-o", again, "--allow-overset", "-q", "--pdfx", "x4", cwd=tmp_path,
                   env={"PYTHONHASHSEED": "3"})
    assert proc.returncode == 0, proc.stderr
    assert again.read_bytes() == out.read_bytes()
