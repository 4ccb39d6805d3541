"""Subsets cut by HarfBuzz, read back with fontTools: every kept glyph draws exactly as in the
source font at the code the PDF shows it by, with its advance, for CID-keyed CFF (identity
charset: CID = code), name-keyed CFF, TrueType (composite glyphs keep their components) and a
collection's second member; CFF2 is refused with its reason."""

from __future__ import annotations

import io
import random
import zlib
from pathlib import Path

import pytest
from fontTools.cffLib import CFFFontSet
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.recordingPen import DecomposingRecordingPen, RecordingPen
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont

from broadsheet.fonts.faces import BUNDLED, load_face
from broadsheet.fonts.subset import make_subset

CID_FONTS = ["NotoSerifCJKsc-Regular.otf", "NotoSerifCJKsc-Bold.otf", "NotoSansCJKsc-Bold.otf"]
SEED = Path(__file__).resolve().parents[2] / "seeds" / "huanren.md"


def _cff(program: bytes):
    fonts = CFFFontSet()
    fonts.decompile(io.BytesIO(program), None)
    return fonts.topDictIndex[0]


def _drawn(glyph_set, name: str, pen_class=RecordingPen) -> list:
    pen = pen_class(glyph_set) if pen_class is DecomposingRecordingPen else pen_class()
    glyph_set[name].draw(pen)
    return pen.value


def _check_cff(path: Path, gids: set[int], index: int = 0) -> None:
    """The subset is a CFF whose glyph `code` is the source's glyph, drawn the same, CID = code."""
    face = load_face(path, index)
    sub = make_subset(face, gids)
    program = zlib.decompress(sub.program)
    assert len(program) == sub.length
    top = _cff(program)
    source = TTFont(path, fontNumber=index, lazy=True)
    order, glyphs = source.getGlyphOrder(), source.getGlyphSet()
    kept = sorted(gids | {0})
    assert sorted(sub.codes) == kept and [sub.codes[g] for g in kept] == list(range(len(kept)))  # in gid order
    assert len(top.CharStrings) == len(kept)
    if hasattr(top, "ROS"):  # CID-keyed: identity charset, so the code the PDF shows is the CID
        assert top.charset[1:] == [f"cid{k:05d}" for k in range(1, len(kept))]
    assert not top.GlobalSubrs  # desubroutinized: smaller and quicker to cut
    for g in kept:
        code = sub.codes[g]
        name = top.charset[code]
        assert _drawn(top.CharStrings, name) == _drawn(glyphs, order[g]), order[g]
        assert sub.widths[code] == round(source["hmtx"][order[g]][0] * 1000 / face.upem)


@pytest.mark.parametrize("name", CID_FONTS)
def test_cid_keyed_cff_subset_draws_every_glyph_as_the_font_does(name):
    path = BUNDLED / name
    face = load_face(path)
    text = {face.cmap[ord(ch)] for ch in SEED.read_text(encoding="utf-8") if ord(ch) in face.cmap}
    rng = random.Random(name)
    _check_cff(path, {*text, *rng.sample(range(1, len(face.advances)), 300), len(face.advances) - 1})


def _triangle_cff(width: int, top: int) -> object:
    pen = T2CharStringPen(width, None)
    pen.moveTo((0, 0)), pen.lineTo((width, 0)), pen.lineTo((width // 2, top)), pen.closePath()
    return pen.getCharString()


def _name_keyed_cff(path: Path, cff2: bool = False) -> None:
    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder([".notdef", "A", "B"])
    fb.setupCharacterMap({65: "A", 66: "B"})
    charstrings = {".notdef": _triangle_cff(500, 700), "A": _triangle_cff(600, 650), "B": _triangle_cff(400, 300)}
    if cff2:
        fb.setupCFF2(charstrings)
    else:
        fb.setupCFF("Test", {"FullName": "Test"}, charstrings, {})
    fb.setupHorizontalMetrics({".notdef": (500, 0), "A": (600, 0), "B": (400, 0)})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupOS2()
    fb.setupPost()
    fb.setupNameTable({"familyName": "Test CFF2" if cff2 else "Test", "styleName": "Regular"})
    fb.save(path)


def test_name_keyed_cff_subset(tmp_path):
    path = tmp_path / "named.otf"
    _name_keyed_cff(path)
    _check_cff(path, {2})  # "B" alone: it becomes glyph 1 of the subset


def test_a_cff2_font_is_refused_with_the_reason(tmp_path):
    """PDF embeds CFF, not CFF2 (and HarfBuzz does not convert it): an error that says so."""
    from broadsheet.fonts.faces import FontError

    path = tmp_path / "cff2.otf"
    _name_keyed_cff(path, cff2=True)
    with pytest.raises(FontError, match="cannot read font file cff2.otf: its outlines are CFF2"):
        load_face(path)


def test_truetype_subset_keeps_outlines_metrics_and_components():
    """Kept glyphs draw as before (a composite's component comes along), with their advances;
    the file has only what CIDFontType2 needs, correct checksums and the source's timestamp."""
    path = BUNDLED / "LXGWWenKai-Regular.ttf"
    source = TTFont(path)
    order, cmap = source.getGlyphOrder(), source.getBestCmap()
    minus = order.index("minus")  # a composite of 'hyphen'
    gids = {source.getGlyphID(cmap[ord(ch)]) for ch in "桓仁特色党小组“”，。（）2.6%"} | {minus}
    face = load_face(path)
    sub = make_subset(face, gids)
    data = zlib.decompress(sub.program)
    small = TTFont(io.BytesIO(data), checkChecksums=2)  # raises on a wrong table checksum
    assert set(small.keys()) - {"GlyphOrder"} <= {"head", "hhea", "hmtx", "loca", "glyf", "maxp", "cvt ", "fpgm", "prep", "post"}
    assert small["head"].modified == source["head"].modified
    kept = sorted(gids | {0})
    assert len(small.getGlyphOrder()) == len(kept) + 1  # and the hyphen the minus is made of
    new_order = small.getGlyphOrder()
    for g in kept:
        code = sub.codes[g]
        assert (_drawn(small.getGlyphSet(), new_order[code], DecomposingRecordingPen)
                == _drawn(source.getGlyphSet(), order[g], DecomposingRecordingPen)), order[g]
        assert small["hmtx"][new_order[code]] == source["hmtx"][order[g]]
        assert sub.widths[code] == round(source["hmtx"][order[g]][0] * 1000 / face.upem)


def _truetype(family: str, height: int) -> TTFont:
    pen = TTGlyphPen(None)
    pen.moveTo((0, 0)), pen.lineTo((500, 0)), pen.lineTo((250, height)), pen.closePath()
    glyph = pen.glyph()
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder([".notdef", "A"])
    fb.setupCharacterMap({65: "A"})
    fb.setupGlyf({".notdef": glyph, "A": glyph})
    fb.setupHorizontalMetrics({".notdef": (500, 0), "A": (600, 0)})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": family, "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    return fb.font


def test_a_collection_member_is_subset_from_its_own_glyphs(tmp_path):
    path = tmp_path / "pair.ttc"
    collection = TTCollection()
    collection.fonts = [_truetype("First", 700), _truetype("Second", 300)]
    collection.save(path)
    sub = make_subset(load_face(path, 1), {1})
    small = TTFont(io.BytesIO(zlib.decompress(sub.program)))
    drawn = _drawn(small.getGlyphSet(), small.getGlyphOrder()[sub.codes[1]])
    assert drawn == [("moveTo", ((0, 0),)), ("lineTo", ((500, 0),)), ("lineTo", ((250, 300),)), ("closePath", ())]
