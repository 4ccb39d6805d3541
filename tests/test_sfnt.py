"""The font reader against fontTools: for every bundled font (CFF and TrueType), the same names,
character map, advances, em box and punctuation ink."""

from __future__ import annotations

import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from broadsheet.fonts import sfnt
from broadsheet.text.chars import PUNCTUATION
from broadsheet.fonts.faces import BUNDLED

FONTS = sorted(p.name for p in BUNDLED.iterdir() if p.suffix in (".otf", ".ttf"))


@pytest.fixture(scope="module", params=FONTS)
def pair(request):
    path = BUNDLED / request.param
    return sfnt.Font(path), TTFont(path, lazy=True)


def test_names(pair):
    ours, theirs = pair
    assert ours.name(6) == theirs["name"].getDebugName(6)
    assert ours.family() == theirs["name"].getBestFamilyName()


def test_character_map_and_advances(pair):
    ours, theirs = pair
    assert ours.cmap() == {cp: theirs.getGlyphID(name) for cp, name in theirs.getBestCmap().items()}
    assert ours.advances() == [theirs["hmtx"][name][0] for name in theirs.getGlyphOrder()]


def test_em_box_and_licence(pair):
    ours, theirs = pair
    head, os2 = theirs["head"], theirs["OS/2"]
    upem, bbox, _ = ours.head()
    assert (upem, bbox) == (head.unitsPerEm, (head.xMin, head.yMin, head.xMax, head.yMax))
    assert ours.os2() == (os2.fsType, os2.sTypoAscender, os2.sTypoDescender, getattr(os2, "sCapHeight", 0))


def test_punctuation_ink(pair):
    """Exact extents, curve extremes included (as fontTools' BoundsPen)."""
    ours, theirs = pair
    cmap, order, glyphs = theirs.getBestCmap(), theirs.getGlyphOrder(), theirs.getGlyphSet()
    gids = sorted({theirs.getGlyphID(cmap[ord(ch)]) for ch in PUNCTUATION if ord(ch) in cmap})
    assert len(gids) > 20
    got = ours.ink_x(gids)
    for g in gids:
        pen = BoundsPen(glyphs)
        glyphs[order[g]].draw(pen)
        if pen.bounds is None:
            assert g not in got
        else:
            assert got[g] == pytest.approx((pen.bounds[0], pen.bounds[2]), abs=1e-6), order[g]


def test_truetype_subset_keeps_outlines_ids_and_components():
    """`ttf.subset`: kept glyphs draw as before at their own ids, components of a kept composite
    glyph come along, everything else is empty, and the file's checksums are right."""
    import io
    import struct

    from fontTools.pens.recordingPen import DecomposingRecordingPen

    from broadsheet.fonts import ttf

    path = BUNDLED / "LXGWWenKai-Regular.ttf"
    original = TTFont(path)
    order = original.getGlyphOrder()
    cmap = original.getBestCmap()
    minus = order.index("minus")  # a composite of 'hyphen'
    gids = sorted({original.getGlyphID(cmap[ord(ch)]) for ch in "桓仁特色党小组“”，。（）2.6%"} | {minus})
    data = ttf.subset(sfnt.Font(path), gids)
    small = TTFont(io.BytesIO(data), checkChecksums=2)  # raises on a wrong table checksum
    assert len(small.getGlyphOrder()) == len(order)  # the same glyph ids
    total = sum(struct.unpack(f">{len(data) // 4}I", data))
    assert total & 0xFFFFFFFF == 0xB1B0AFBA  # head.checkSumAdjustment makes the whole file sum to this
    glyf, old_glyf = small["glyf"], original["glyf"]
    hyphen = order.index("hyphen")
    kept = set(gids) | {0, hyphen}
    for g in range(len(order)):
        name = small.getGlyphOrder()[g]
        if g in kept:
            a, b = DecomposingRecordingPen(small.getGlyphSet()), DecomposingRecordingPen(original.getGlyphSet())
            small.getGlyphSet()[name].draw(a)  # components drawn in: names differ (no post table)
            original.getGlyphSet()[order[g]].draw(b)
            assert a.value == b.value, order[g]
            assert small["hmtx"][name] == original["hmtx"][order[g]]
        elif g % 97 == 0:  # a sample of the rest: empty
            assert glyf[name].numberOfContours == 0


def test_a_font_without_os2_table(tmp_path):
    """Old Mac fonts have none: no licence flags, and the vertical metrics of hhea."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder([".notdef", "A"])
    fb.setupCharacterMap({65: "A"})
    def triangle():
        pen = TTGlyphPen(None)
        pen.moveTo((0, 0)), pen.lineTo((500, 0)), pen.lineTo((250, 700)), pen.closePath()
        return pen.glyph()

    fb.setupGlyf({".notdef": triangle(), "A": triangle()})
    fb.setupHorizontalMetrics({".notdef": (500, 0), "A": (600, 0)})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": "Old Mac", "styleName": "Regular"})
    fb.setupPost()
    path = tmp_path / "old.ttf"
    fb.save(path)
    font = sfnt.Font(path)
    assert "OS/2" not in font.tables
    assert font.os2() == (0, 880, -120, 0)
    assert font.cmap() == {65: 1} and font.advances() == [500, 600]
    assert font.ink_x([1]) == {1: (0.0, 500.0)}
