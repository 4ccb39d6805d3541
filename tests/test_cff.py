"""The CID-keyed CFF subsetter: every kept glyph draws exactly as in the font (subroutines inlined,
hint masks stepped over), keeps its CID and font dict, and the PDF built with it is unchanged."""

from __future__ import annotations

import io
import random
import zlib
from pathlib import Path

import pytest
from fontTools.cffLib import CFFFontSet
from fontTools.misc.psCharStrings import T2CharString
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont

from broadsheet.fonts import cff

from broadsheet.fonts import sfnt
from broadsheet.fonts.faces import BUNDLED

CID_FONTS = ["NotoSerifCJKsc-Regular.otf", "NotoSerifCJKsc-Bold.otf", "NotoSansCJKsc-Bold.otf"]
SEED = Path(__file__).resolve().parents[1] / "seeds" / "huanren.md"


def _read(data: bytes):
    fonts = CFFFontSet()
    fonts.decompile(io.BytesIO(data), None)
    return fonts.topDictIndex[0]


def _outline(charstring) -> list:
    pen = RecordingPen()
    charstring.draw(pen)
    return pen.value


def _check(font: cff.CFF, gids: list[int], original) -> None:
    data, cids = cff.subset(font, gids)
    top = _read(data)
    assert top.ROS == original.ROS
    assert len(top.CharStrings) == len(gids)
    assert not top.GlobalSubrs and all(not getattr(fd.Private, "Subrs", None) for fd in top.FDArray)
    order = original.charset
    for k, g in enumerate(gids):
        name = top.charset[k]
        assert name == order[g] and cids[g] == (0 if g == 0 else int(name[3:]))  # the same CID
        new, old = top.CharStrings[name], original.CharStrings[order[g]]
        assert _outline(new) == _outline(old), name
        # the same font dict settings (widths decode against its nominalWidthX)
        assert new.private.nominalWidthX == old.private.nominalWidthX


@pytest.mark.parametrize("name", CID_FONTS)
def test_subset_draws_every_glyph_as_the_font_does(name):
    path = BUNDLED / name
    original = TTFont(path, lazy=True)["CFF "].cff.topDictIndex[0]
    face_cmap = TTFont(path, lazy=True).getBestCmap()
    order = original.charset
    index = {n: i for i, n in enumerate(order)}
    text = {index[face_cmap[ord(ch)]] for ch in SEED.read_text(encoding="utf-8") if ord(ch) in face_cmap}
    rng = random.Random(name)
    gids = sorted({0, *text, *rng.sample(range(1, len(order)), 300), len(order) - 1})
    _check(sfnt.Font(path).cff, gids, original)


def test_hint_masks_are_stepped_over(tmp_path):
    """A hinted font (system Noto CJK is; the bundled copies are not): stems declared with and
    without a width before them, an implied vstem at the first hintmask, a mask in mid-path.
    The masks' bytes are chosen to be read as endchar if miscounted."""
    from fontTools import subset

    font = TTFont(BUNDLED / "NotoSerifCJKsc-Regular.otf")
    options = subset.Options(desubroutinize=False, notdef_outline=True, layout_features=[])
    cutter = subset.Subsetter(options)
    cutter.populate(glyphs=[font.getGlyphOrder()[g] for g in (1000, 2000, 3000)])
    cutter.subset(font)  # a small CID-keyed font, subroutines kept: quick to save
    top = font["CFF "].cff.topDictIndex[0]
    order = top.charset
    gids = [0, 1, 2, 3]
    for g in gids[1:]:
        cs = top.CharStrings[order[g]]
        cs.decompile()
        prog = _inline_all(cs)
        first_op = next(i for i, t in enumerate(prog) if isinstance(t, str))
        args = {"rmoveto": 2, "hmoveto": 1, "vmoveto": 1}[prog[first_op]]
        width = prog[:first_op - args]  # [] or [w]
        rest = prog[len(width):]
        moveto_end = first_op - len(width) + 1
        # ten stems: two mask bytes; each byte reads as endchar (14) if taken for an operator
        hstems = [10, 20, 40, 20, 80, 20, 120, 20, 160, 20, 200, 20]
        vstems = [5, 15, 30, 15, 60, 15, 90, 15]
        hinted = (width + hstems + ["hstemhm"] + vstems + ["hintmask", b"\x0e\x0e"]
                  + rest[:moveto_end] + ["hintmask", b"\x0e\x0e"] + rest[moveto_end:])
        cs.program = hinted
        cs.bytecode = None
    path = tmp_path / "hinted.otf"
    font.save(path)
    reread = TTFont(path)["CFF "].cff.topDictIndex[0]
    for g in gids[1:]:
        cs = reread.CharStrings[order[g]]
        cs.decompile()
        assert cs.program.count("hintmask") == 2
    _check(sfnt.Font(path).cff, gids, reread)


def _inline_all(cs: T2CharString) -> list:
    """The charstring's program with its subroutines inlined (fontTools' own desubroutinizer)."""
    from fontTools.cffLib import transforms

    transforms.desubroutinizeCharString(cs)
    return cs.program


def test_fonts_it_does_not_handle_go_to_fonttools(tmp_path):
    """Name-keyed CFF: the subsetter says so instead of guessing, and fontTools subsets it."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder([".notdef", "A"])
    fb.setupCharacterMap({65: "A"})
    pen = T2CharStringPen(500, None)
    pen.moveTo((0, 0)), pen.lineTo((500, 0)), pen.lineTo((250, 700)), pen.closePath()
    glyph = pen.getCharString()
    fb.setupCFF("Test", {"FullName": "Test"}, {".notdef": glyph, "A": glyph}, {})
    fb.setupHorizontalMetrics({".notdef": (500, 0), "A": (500, 0)})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupOS2()
    fb.setupPost()
    fb.setupNameTable({"familyName": "Test", "styleName": "Regular"})
    path = tmp_path / "named.otf"
    fb.save(path)
    with pytest.raises(cff.Unsupported):
        cff.subset(sfnt.Font(path).cff, [0, 1])
    # the embedder then subsets it with fontTools: a CFF with the glyph, drawn as before
    from broadsheet.fonts.subset import make_subset
    from broadsheet.fonts.faces import load_face

    sub = make_subset(load_face(path), {1})
    top = _read(zlib.decompress(sub.program))
    assert sub.length == len(zlib.decompress(sub.program)) and sub.codes == {0: 0, 1: 1}
    assert _outline(top.CharStrings["A"]) == [("moveTo", ((0, 0),)), ("lineTo", ((500, 0),)),
                                              ("lineTo", ((250, 700),)), ("closePath", ())]
