"""Photos (page/photos.py): the picture in its slot, cropped around its focal point or fitted whole,
or a marked placeholder; caption and credit under it; the checks that it covers no type, stays on
the page and prints at a fair resolution."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image as PILImage

from broadsheet.display import Box, GlyphRun, Image, Marker, Rule
from broadsheet.input.jobs import PhotoJob
from broadsheet.input.project import load_project
from broadsheet.page.photos import MIN_PPI, check_photo, place_photo
from broadsheet.tools.build import build

from conftest import GRID_SPEC, ROOT, column_of, filler, runs, story_context


def photo_context(mini, other: str = ""):
    """Story 'story' in columns 1-2 (no headline), and another story if given."""
    mini.write("story.md", "正文。\n")
    mini.write("b.md", "另一篇。\n")
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-2, top: 0, bottom: end}\n" + other)
    return story_context(load_project(Path("spec.yaml")), "story")


def slot(cols=(1, 2), top=10, lines=8, pixels=None, **kw) -> PhotoJob:
    return PhotoJob(1, cols, top, lines, Path("p.jpg") if pixels else None, "p.jpg", kw.pop("caption", "图片说明文字。"),
                    kw.pop("credit", "摄影 某某"), pixels=pixels, **kw)


def test_a_missing_picture_is_a_marked_placeholder_with_its_caption_and_credit(mini):
    ctx = photo_context(mini)
    g = ctx.geo
    used = place_photo(ctx, slot())
    items = ctx.page(1).items
    x, y, w, h = g.col_x(1), g.line_y(10), g.span_w(1, 2), 8 * g.pitch - g.pitch / 4
    [slot_marker, placeholder] = [i for i in items if isinstance(i, Marker)]
    assert (slot_marker.kind, placeholder.kind) == ("slot", "placeholder")
    assert (slot_marker.x, slot_marker.y, slot_marker.w, slot_marker.h) == pytest.approx((x, y, w, h))
    [box] = [i for i in items if isinstance(i, Box)]
    assert (box.x, box.y, box.w, box.h) == pytest.approx((x, y, w, h))
    crosses = [(r.x0, r.y0, r.x1, r.y1) for r in items if isinstance(r, Rule)]
    assert [c for cross in crosses for c in cross] == pytest.approx([x, y, x + w, y + h, x, y + h, x + w, y]), \
        "the slot crossed out"
    text = {r.role: r for r in items if isinstance(r, GlyphRun)}
    assert text["placeholder"].text == "图片缺失p.jpg" and y < text["placeholder"].y < y + h  # (its space: the Han–Latin gap)
    assert y + h < text["caption"].y < text["credit"].y  # caption, then credit, under the slot
    assert text["caption"].text == "图片说明文字。" and text["credit"].text == "摄影 某某"
    # the lines it takes reach past the credit, in whole lines
    assert used > 8 and text["credit"].y < g.line_y(10 + used) < text["credit"].y + 2 * g.pitch
    # without a caption: the slot's lines and one more, for room between the picture and the text under it
    assert place_photo(photo_context(mini), slot(caption="", credit=None)) == 9


@pytest.mark.parametrize("fit,focal,where", [("fill", (0.5, 0.5), "centre"), ("fill", (0.0, 0.0), "left"),
                                             ("fill", (1.0, 0.0), "right"), ("fit", (0.0, 0.0), "whole")])
def test_the_picture_fills_its_slot_around_the_focal_point_or_fits_in_it(mini, fit, focal, where):
    ctx = photo_context(mini)
    place_photo(ctx, slot(pixels=(4000, 1000), fit=fit, focal=focal, caption=""))  # 4:1, wider than the slot
    [im] = [i for i in ctx.page(1).items if isinstance(i, Image)]
    px, py, pw, ph = im.placed
    assert pw / ph == pytest.approx(4)
    if where == "whole":  # all of it, centred: the full width, bands above and below
        assert pw == pytest.approx(im.w) and ph < im.h and py == pytest.approx(im.y + (im.h - ph) / 2)
        return
    assert ph == pytest.approx(im.h) and pw > im.w and py == pytest.approx(im.y)  # cropped at the sides
    left_cut, right_cut = im.x - px, px + pw - (im.x + im.w)
    assert {"centre": left_cut == pytest.approx(right_cut), "left": left_cut == pytest.approx(0),
            "right": right_cut == pytest.approx(0)}[where]
    assert im.ppi == pytest.approx(1000 / (im.h / 72))  # pixels over printed inches, the cropped way
    assert not ctx.diagnostics


def test_a_picture_below_the_resolution_floor_is_a_warning(mini):
    ctx = photo_context(mini)
    place_photo(ctx, slot(pixels=(200, 100), caption=""))
    [im] = [i for i in ctx.page(1).items if isinstance(i, Image)]
    [warning] = ctx.diagnostics
    assert im.ppi < MIN_PPI and warning.code == "image-resolution" and warning.severity == "warning"
    assert f"{im.ppi:.0f} ppi" in warning.message and "story 'story'" in warning.message


def problems(ctx) -> list[tuple[str, str]]:
    return [(d.severity, d.message.split("with its caption) ", 1)[1]) for d in ctx.diagnostics]


def test_a_photo_in_its_free_lines_is_fine_and_anywhere_else_is_named(mini):
    ctx = photo_context(mini, "  - story: b.md\n    frame: {columns: 3-4, top: 0, bottom: end}\n")
    g = ctx.geo
    check_photo(ctx, slot(), 10)
    assert ctx.diagnostics == []
    ctx.free.cut(1, (1, 2), 0, 12)  # the headline takes lines 0-12
    check_photo(ctx, slot(), 10)
    assert problems(ctx) == [("error", "overlaps the story's headline or another photo: move it down or make room")]
    ctx.diagnostics.clear()
    check_photo(ctx, slot(cols=(2, 3)), 10)
    [(severity, message)] = problems(ctx)
    assert severity == "error" and message.startswith("covers the text of 'b'")
    ctx.diagnostics.clear()
    check_photo(ctx, slot(top=g.lines - 4), 6)  # its caption reaches two lines below the last line
    assert problems(ctx) == [("warning", "lies outside the story's frame"), ("warning", "runs below the type area")]
    ctx.diagnostics.clear()
    check_photo(ctx, slot(top=g.lines), 20)
    assert ("error", "runs off the page: make it or its caption shorter") in problems(ctx)
    assert all(d.pos == ctx.job.source and d.code == "photo" for d in ctx.diagnostics)


def make_photo(path: Path, size: tuple[int, int], mode: str = "RGB") -> Path:
    PILImage.new(mode, size, (120, 80, 40) if mode == "RGB" else 128 if mode == "L" else (10, 20, 30, 40)).save(path)
    return path


@pytest.mark.parametrize("mode,name", [("RGB", "rgb.jpg"), ("L", "gray.jpg"), ("CMYK", "cmyk.jpg"), ("RGB", "rgb.png")])
def test_photo_is_placed_and_text_flows_around_it(mini, mode, name):
    make_photo(mini.root / name, (1800, 1200), mode)
    mini.write("story.md", filler("图片稿件", 4))
    mini.spec(GRID_SPEC + f"  - story: story.md\n    frame: {{columns: 1-4, top: 0, bottom: end}}\n"
                          f"    images:\n      - {{file: {name}, columns: 2-3, top: 10, lines: 12, caption: 图片说明文字。}}\n")
    result, warnings = mini.build()
    geo = result.document.geometry
    images = [i for i in result.document.pages[0].items if isinstance(i, Image)]
    assert len(images) == 1
    im = images[0]
    assert im.x == pytest.approx(geo.col_x(2)) and im.w == pytest.approx(geo.span_w(2, 3))
    assert im.y == pytest.approx(geo.line_y(10))
    # the caption directly below, at the photo's width
    cap = runs(result, role="caption")
    assert cap and cap[0].x == pytest.approx(im.x) and im.y + im.h < cap[0].y < im.y + im.h + geo.pitch
    # no body text under the photo or its caption
    for r in runs(result, role="body"):
        if column_of(geo, r.x) in (2, 3):
            assert not (im.y - 1 < r.y < cap[-1].y + geo.pitch / 2), r.text
    # fill: the picture covers the slot (cropped), aspect ratio kept
    px, py, pw, ph = im.placed
    assert pw / ph == pytest.approx(1800 / 1200, rel=1e-3)
    assert px <= im.x + 0.01 and py <= im.y + 0.01 and px + pw >= im.x + im.w - 0.01 and py + ph >= im.y + im.h - 0.01
    assert im.ppi > 200 and not [w for w in warnings if "ppi" in w.message]
    pdf = (mini.root / "out.pdf").read_bytes()
    assert b"/Subtype /Image" in pdf


def test_fit_shows_the_whole_picture_and_focal_point_steers_the_crop(mini):
    make_photo(mini.root / "tall.jpg", (600, 1800))
    mini.write("story.md", filler(None, 2))
    base = GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-4, top: 0, bottom: end}\n    images:\n"
    mini.spec(base + "      - {file: tall.jpg, columns: 1-2, top: 0, lines: 10, fit: fit}\n")
    im = [i for i in mini.build()[0].document.pages[0].items if isinstance(i, Image)][0]
    px, py, pw, ph = im.placed
    assert ph == pytest.approx(im.h) and pw < im.w and px == pytest.approx(im.x + (im.w - pw) / 2)
    tops = []
    for focal in ("[0.5, 0.0]", "[0.5, 1.0]"):
        mini.spec(base + f"      - {{file: tall.jpg, columns: 1-2, top: 0, lines: 10, focal: {focal}}}\n")
        im = [i for i in mini.build()[0].document.pages[0].items if isinstance(i, Image)][0]
        tops.append(im.placed[1])
    assert tops[0] == pytest.approx(im.y)  # the top of the picture kept
    assert tops[1] < tops[0]  # the bottom kept: the picture moved up


def test_low_resolution_photo_is_a_warning(mini):
    make_photo(mini.root / "small.jpg", (120, 80))
    mini.write("story.md", filler(None, 2))
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-4, top: 0, bottom: end}\n"
                          "    images:\n      - {file: small.jpg, columns: 1-2, top: 0, lines: 10}\n")
    _, warnings = mini.build()
    hits = [w for w in warnings if "ppi" in w.message]
    assert len(hits) == 1 and "below 170" in hits[0].message and hits[0].severity == "warning"


def test_missing_photo_is_a_placeholder_with_a_warning(mini):
    mini.write("story.md", filler(None, 2))
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-4, top: 0, bottom: end}\n"
                          "    images:\n      - {file: nothere.jpg, columns: 1-2, top: 0, lines: 10}\n")
    result, warnings = mini.build()
    assert any("nothere.jpg not found" in w.message for w in warnings)
    assert any(r.role == "placeholder" and "图片缺失" in r.text for r in runs(result))


def test_a_photo_outside_its_frame_where_no_story_is_a_warning(mini):
    make_photo(mini.root / "p.jpg", (1800, 1200))
    mini.write("story.md", filler("标题", 3))
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-2, top: 0, bottom: end}\n"
                          "    images:\n      - {file: p.jpg, columns: 3-4, top: 10, lines: 6}\n")
    _, warnings = mini.build(allow_overset=True)
    assert [w for w in warnings if "outside the story's frame" in w.message and "p.jpg" in w.message]


@pytest.mark.parametrize("slot,other,problem", [
    ("{file: p.jpg, columns: 1-2, top: 0, lines: 6}", "", "overlaps the story's headline"),
    ("{file: p.jpg, columns: 3-4, top: 10, lines: 6}",
     "  - story: b.md\n    frame: {columns: 3-4, top: 0, bottom: end}\n", "covers the text of 'b'"),
])
def test_a_photo_over_type_stops_the_build(mini, slot, other, problem):
    make_photo(mini.root / "p.jpg", (1800, 1200))
    mini.write("story.md", filler("标题", 3))
    mini.write("b.md", filler(None, 1))
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-2, top: 0, bottom: end}\n"
                          f"    images:\n      - {slot}\n" + other)
    errors = mini.errors()
    assert [e for e in errors if problem in e and "p.jpg" in e and e.startswith("spec.yaml:")], errors


def test_photos_of_the_samples_sit_in_free_lines(tmp_path):
    for spec in ("dangjian.yaml", "sikai.yaml"):
        _, warnings = build(ROOT / "layout" / spec, tmp_path / "out.pdf")
        assert not [w for w in warnings if "photo" in w.message and ("overlaps" in w.message or "outside" in w.message)]
