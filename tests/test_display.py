"""The display list: what each item prints in (colours), where its ink lies (extent), and the text
dump, one line per item, that is the layout's regression oracle (tests/test_dumps.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.colours import Spot
from broadsheet.display import (Box, Document, GlyphRun, Image, Marker, Page, Rule, colours, dump, dump_item,
                                extent)
from broadsheet.fonts.faces import Face
from broadsheet.text.compose import Glyph, Line

BLACK = (0.0, 0.0, 0.0, 100.0)
RED = (0.0, 100.0, 100.0, 0.0)


def _face(ink: dict[int, tuple[int, int]] | None = None) -> Face:
    """A face of 1000 units with an em box of 880 above and 120 below the baseline: gid 1 is 中,
    2 is 。 (blank but for its left half), 3 a space; all a full em wide."""
    return Face(path=Path("t.otf"), index=0, postscript="Test-Regular", family="Test", upem=1000,
                cmap={ord("中"): 1, ord("。"): 2, ord(" "): 3}, advances=[1000, 1000, 1000, 1000], ascent=880, descent=120,
                cff=True, fs_type=0, bbox=(0, -120, 1000, 880), cap_height=700, weight=400, italic=False,
                ink=ink if ink is not None else {ord("。"): (100, 400)})


def _run(text: str, x: float = 100.0, y: float = 200.0, size: float = 10.0, rotate: int = 0, **kw) -> GlyphRun:
    face = _face()
    glyphs = tuple(Glyph(face, face.gid(ch), size, BLACK, ch, k * size) for k, ch in enumerate(text))
    return GlyphRun(x, y, glyphs, rotate=rotate, **kw)


# ---------------------------------------------------------------------------------------------
# colours and extents


def test_the_colours_an_item_prints_in():
    spot = Spot("PANTONE 485 C", (0, 95, 100, 0))
    face = _face()
    run = GlyphRun(0, 0, (Glyph(face, 1, 9, BLACK, "中", 0), Glyph(face, 1, 9, spot, "中", 9)))
    assert colours(run) == [BLACK, spot]
    assert colours(Rule(0, 0, 10, 0, 0.5, RED)) == [RED]
    assert colours(Box(0, 0, 10, 10, stroke=BLACK, fill=RED)) == [RED, BLACK]
    assert colours(Box(0, 0, 10, 10)) == []  # neither fill nor outline
    assert colours(Image(0, 0, 10, 10, Path("p.jpg"), (0, 0, 10, 10), 300)) == []  # its own pixels
    assert colours(Marker("overset", 0, 0, 10, 10)) == []


def test_a_line_of_text_spans_its_glyphs_advances_and_its_em_box():
    assert extent(_run("中中")) == pytest.approx((100, 200 - 8.8, 120, 200 + 1.2))
    assert extent(_run("中中", size=20)) == pytest.approx((100, 200 - 17.6, 140, 200 + 2.4))


def test_a_hanging_mark_and_trailing_spaces_are_outside_the_line():
    assert extent(_run("中中。")) == pytest.approx(extent(_run("中中")))  # hangs by design
    assert extent(_run("中中 ")) == pytest.approx(extent(_run("中中")))
    assert extent(_run("  ")) is None  # nothing printed


def test_a_mark_at_the_start_of_a_line_spans_its_ink():
    """A compressed opening mark has its blank half outside the measure: the line's ink starts
    where the mark's does (100 of its 1000 units in)."""
    left, _, right, _ = extent(_run("。中"))
    assert (left, right) == pytest.approx((100 + 1.0, 120))


def test_a_turned_line_runs_down_the_page():
    """Latin turned in vertical text: the run goes down from (x, y), its glyph tops facing right."""
    assert extent(_run("中中", rotate=90)) == pytest.approx((100 - 1.2, 200, 100 + 8.8, 220))


def test_rules_boxes_and_images():
    assert extent(Rule(10, 20, 110, 20, 2.0, BLACK)) == (9, 19, 111, 21)  # half the weight each side
    assert extent(Rule(50, 80, 50, 30, 1.0, BLACK)) == (49.5, 29.5, 50.5, 80.5)  # drawn upwards
    assert extent(Box(10, 20, 100, 50, stroke=BLACK, width=1.0)) == (9.5, 19.5, 110.5, 70.5)
    assert extent(Box(10, 20, 100, 50, fill=RED, width=1.0)) == (10, 20, 110, 70)  # no outline, no weight
    photo = Image(10, 20, 100, 50, Path("p.jpg"), (0, 0, 300, 200), 300)
    assert extent(photo) == (10, 20, 110, 70)  # the slot: the picture is clipped to it
    assert extent(Marker("frame", 0, 0, 10, 10)) is None  # proofs only


def test_a_page_lists_its_runs():
    run = _run("中")
    page = Page(1, 500, 700, [Rule(0, 0, 1, 1, 1, BLACK), run, Box(0, 0, 1, 1), _run("中中")])
    assert page.runs() == [run, page.items[3]]


def test_a_run_of_a_composed_line():
    face = _face()
    line = Line([Glyph(face, 1, 9, BLACK, "中", 0.0), Glyph(face, 2, 9, BLACK, "。", 9.5)], 0, 2, 18, 18,
                compressed_end=True, tracking=0.5)
    run = GlyphRun.of(line, 30, 40, "story", "body")
    assert (run.x, run.y, run.text, run.tracking, run.compressed, run.story, run.role) == (
        30, 40, "中。", 0.5, True, "story", "body")


# ---------------------------------------------------------------------------------------------
# the dump


def test_dump_lines_of_each_kind():
    run = _run("中中。", tracking=0.25, story="lead", role="title")
    assert dump_item(2, run) == "p2 text 100.00 200.00 lead title Test-Regular 10 track=0.250 last=120.00 |中中。|"
    turned = _run("中中", rotate=90)
    assert dump_item(1, turned) == "p1 text 100.00 200.00 - - Test-Regular 10 track=0.000 last=210.00 rot=90 |中中|"
    assert dump_item(1, Rule(10, 20, 110, 20.005, 0.75, BLACK)) == "p1 rule 10.00 20.00 - - - 0.75 to=110.00,20.00 cmyk(0,0,0,100)"
    assert (dump_item(1, Box(1, 2, 3, 4, fill=(0, 0, 20, 0), width=0))
            == "p1 box 1.00 2.00 - - - 0 size=3.00x4.00 stroke=- fill=cmyk(0,0,20,0)")
    photo = Image(1, 2, 3, 4, Path("pics/a b.jpg"), (0.5, 1.5, 5, 6), 212.6)
    assert dump_item(1, photo) == "p1 image 1.00 2.00 - - - - size=3.00x4.00 placed=0.50,1.50,5.00x6.00 ppi=213 |a b.jpg|"
    assert (dump_item(3, Marker("overset", 1, 2, 3, 4, "12 字"))
            == "p3 marker:overset 1.00 2.00 - - - - size=3.00x4.00 |12 字|")


def test_dump_spells_out_what_would_break_its_lines():
    face = _face()
    glyphs = tuple(Glyph(face, 1, 9, BLACK, ch, 0) for ch in "a\n\\|\u2028\x85")
    assert dump_item(1, GlyphRun(0, 0, glyphs)).endswith(r"|a\u000a\\|\u2028\u0085|")


def test_dump_of_a_document():
    doc = Document([Page(1, 500, 700.004, [Rule(0, 0, 1, 0, 1, BLACK)]), Page(2, 500, 700)], title="报\n纸")
    assert dump(doc) == ("document |报\\u000a纸| pages=2\n"
                         "page 1 500.00x700.00\n"
                         "p1 rule 0.00 0.00 - - - 1 to=1.00,0.00 cmyk(0,0,0,100)\n"
                         "page 2 500.00x700.00\n")
