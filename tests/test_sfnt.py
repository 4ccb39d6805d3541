"""The font reader against fontTools: for every bundled font (CFF and TrueType), the same names,
character map, advances, em box and punctuation ink."""

from __future__ import annotations

import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from broadsheet import sfnt
from broadsheet.chars import PUNCTUATION
from broadsheet.fonts import BUNDLED

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
