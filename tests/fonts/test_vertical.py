"""Vertical forms (fonts/vertical.py): the glyph a character takes in 竖排 text, found by shaping
with the font's own vert/vrt2 substitutions, and where it sits on the vertical line."""

from __future__ import annotations

import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from broadsheet.fonts.faces import BUNDLED, load_face
from broadsheet.fonts.vertical import vertical_glyph

from conftest import small_truetype


def _ink_box(font: TTFont, gid: int) -> tuple[float, float]:
    """Width and height of a glyph's ink."""
    glyphs = font.getGlyphSet()
    pen = BoundsPen(glyphs)
    glyphs[font.getGlyphOrder()[gid]].draw(pen)
    x0, y0, x1, y1 = pen.bounds
    return x1 - x0, y1 - y0


def test_vertical_forms_of_noto_serif():
    """，《…― take the font's vertical forms: the comma moves to the upper right of the em, the
    brackets and the ellipsis are the horizontal glyphs turned a quarter. Han characters stay as
    they are, and so does U+2014 (Noto CJK has no vertical form for it: the layout must turn it)."""
    path = BUNDLED / "NotoSerifCJKsc-Regular.otf"
    face, font = load_face(path), TTFont(path)
    glyphs = font.getGlyphSet()
    order = font.getGlyphOrder()
    for ch in "，《…―":
        v = vertical_glyph(face, ch)
        assert v.vertical and v.gid != face.gid(ch), ch
        assert (v.advance, v.origin) == (1000, (500, 880)), ch  # a full em, centred; VORG's 880
    middle = (face.ascent - face.descent) / 2  # of the em box, 380 units above the baseline
    for gid, upper_right in ((face.gid("，"), False), (vertical_glyph(face, "，").gid, True)):
        pen = BoundsPen(glyphs)
        glyphs[order[gid]].draw(pen)
        x0, y0, x1, y1 = pen.bounds
        assert (x0 > 500 and y0 > middle) if upper_right else (x1 < 500 and y1 < middle)
    for ch in "《…":
        w, h = _ink_box(font, face.gid(ch))
        assert _ink_box(font, vertical_glyph(face, ch).gid) == pytest.approx((h, w), abs=2), ch
    for ch in "中—":
        v = vertical_glyph(face, ch)
        assert not v.vertical and v.gid == face.gid(ch), ch
    assert vertical_glyph(face, "\U0001F600") is None


def test_a_font_without_vertical_forms_keeps_its_glyphs(tmp_path):
    """No vert feature (and no vmtx): the horizontal glyph, marked as no vertical form, so that the
    layout knows to turn what must be turned."""
    path = tmp_path / "plain.ttf"
    small_truetype("Plain", 600, fs_type=0).save(path)
    face = load_face(path)
    v = vertical_glyph(face, "A")
    assert (v.gid, v.vertical) == (face.gid("A"), False)
    assert vertical_glyph(face, "，") is None  # a character the face lacks


def test_han_stands_upright_and_the_marks_take_vertical_forms():
    face = load_face(BUNDLED / "NotoSerifCJKsc-Regular.otf")
    assert [vertical_glyph(face, ch).vertical for ch in "中，。、（）「」"] == [False] + [True] * 7
