"""Printer's marks in the slug (output/marks.py): crop marks at the trim's corners beyond the bleed,
registration targets on the four sides, the colour bar and the information line, all in page
coordinates outside the page, in the registration colour that prints on every plate."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from broadsheet.colours import BLACK, Spot
from broadsheet.display import Box, GlyphRun, Page, Rule, extent
from broadsheet.fonts.faces import BUNDLED, load_face
from broadsheet.input.press import Press
from broadsheet.output.marks import (CROP_GAP, CROP_LEN, HAIRLINE, PATCH, PROCESS, REGISTRATION, TARGET, info_face,
                                     info_line, page_marks)

from conftest import small_truetype

MM = 72 / 25.4
W, H = 210 * MM, 297 * MM
BLEED = 3 * MM
DATE = datetime(2020, 7, 21, 6, 0, tzinfo=timezone.utc)


def _press(*marks: str, bleed: float = BLEED, standard: str = "x1a") -> Press:
    return Press(standard, bleed, marks, b"", "", "CGATS TR 002", "", "", "perceptual", 240.0, DATE, False, "page.yaml")


@pytest.fixture(scope="module")
def serif():
    return load_face(BUNDLED / "NotoSerifCJKsc-Regular.otf")


def _marks(*marks: str, bleed: float = BLEED, spots=(), face=None, label: str = "第5版"):
    return page_marks(Page(2, W, H, label=label), 3, _press(*marks, bleed=bleed), list(spots), face)


def test_crop_marks_continue_the_trim_edges_outside_the_bleed():
    rules = _marks("crop")
    assert len(rules) == 8 and all(isinstance(r, Rule) for r in rules)
    assert {(r.width, r.color) for r in rules} == {(HAIRLINE, REGISTRATION)}
    start, end = BLEED + 2 * MM, BLEED + 8 * MM  # 2 mm clear of the bleed, 6 mm long
    lines = {(round(r.x0, 3), round(r.y0, 3), round(r.x1, 3), round(r.y1, 3)) for r in rules}
    for x, sx in ((0, -1), (W, 1)):
        for y, sy in ((0, -1), (H, 1)):
            assert (round(x + sx * start, 3), round(y, 3), round(x + sx * end, 3), round(y, 3)) in lines  # along the top/bottom edge
            assert (round(x, 3), round(y + sy * start, 3), round(x, 3), round(y + sy * end, 3)) in lines  # along the side
    for r in rules:  # none reaches into the bleed
        left, top, right, bottom = extent(r)
        assert right <= -BLEED or left >= W + BLEED or bottom <= -BLEED or top >= H + BLEED


def test_without_bleed_the_crop_marks_start_closer():
    [top_left] = [r for r in _marks("crop", bleed=0) if r.y0 == r.y1 == 0 and r.x0 < 0]  # the top edge, continued left
    assert (top_left.x0, top_left.x1) == pytest.approx((-CROP_GAP, -CROP_GAP - CROP_LEN))


def test_registration_targets_on_the_four_sides():
    items = _marks("registration")
    crosses = [i for i in items if isinstance(i, Rule)]
    squares = [i for i in items if isinstance(i, Box)]
    assert len(crosses) == 8 and len(squares) == 4
    middle = BLEED + CROP_GAP + CROP_LEN / 2  # the slug's middle line
    centres = {(round(b.x + b.w / 2, 3), round(b.y + b.h / 2, 3)) for b in squares}
    assert centres == {(round(W / 2, 3), round(-middle, 3)), (round(W / 2, 3), round(H + middle, 3)),
                       (round(-middle, 3), round(H / 2, 3)), (round(W + middle, 3), round(H / 2, 3))}
    assert all(b.stroke == REGISTRATION and b.fill is None and b.w == b.h == TARGET for b in squares)
    assert all(abs(r.x1 - r.x0) + abs(r.y1 - r.y0) == pytest.approx(2 * TARGET) for r in crosses)


def test_the_colour_bar_along_the_foot_then_the_spot_inks():
    spot = Spot("PANTONE 485 C", (0, 95, 100, 0))
    patches = _marks("colorbar", spots=[spot])
    assert [p.fill for p in patches] == [*PROCESS, spot]
    assert [p.fill for p in patches[:4]] == [(100, 0, 0, 0), (0, 100, 0, 0), (0, 0, 100, 0), BLACK]
    xs = [p.x for p in patches]
    assert xs[0] == pytest.approx(BLEED + CROP_GAP + CROP_LEN)  # clear of the corner's crop marks
    assert [b - a for a, b in zip(xs, xs[1:])] == pytest.approx([PATCH] * (len(xs) - 1))  # side by side
    assert [p.y for p in patches] == pytest.approx([H + BLEED + CROP_GAP + CROP_LEN / 2 - PATCH / 2] * len(patches))
    assert all(p.stroke is None and p.w == p.h == PATCH for p in patches)


def test_the_information_line(serif):
    [run] = _marks("info", face=serif)
    assert isinstance(run, GlyphRun) and run.role == "marks"
    assert run.text == "page.yaml  第5版 (page 2 of 3)  PDF/X-1a:2001  CGATS TR 002  2020-07-21 06:00 UTC"
    assert run.y < -BLEED and run.x > W / 2  # in the slug above the page, right of the top target
    assert {g.size for g in run.glyphs} == {6.0} and {g.color for g in run.glyphs} == {BLACK}
    xs = [g.x for g in run.glyphs]
    assert xs == sorted(xs) and xs[0] == 0


def test_no_information_line_without_a_face_that_sets_it(tmp_path):
    assert _marks("info", face=None) == []
    small_truetype("Only A", 600).save(tmp_path / "a.ttf")
    only_a = load_face(tmp_path / "a.ttf")
    assert _marks("info", face=only_a) == []  # it lacks the letters
    assert info_line(only_a, "AAA", 0, 0).text == "AAA"


def test_the_information_face_is_the_first_with_the_latin_letters(tmp_path, serif):
    small_truetype("Only A", 600).save(tmp_path / "a.ttf")
    only_a = load_face(tmp_path / "a.ttf")
    assert info_face([only_a, serif]) is serif
    assert info_face([only_a]) is None and info_face([]) is None


def test_only_the_marks_asked_for():
    assert _marks() == []
    kinds = {type(i).__name__ for i in _marks("crop", "colorbar")}
    assert kinds == {"Rule", "Box"} and len(_marks("crop", "colorbar")) == 8 + len(PROCESS)
