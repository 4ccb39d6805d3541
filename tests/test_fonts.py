"""Reading faces through HarfBuzz, against fontTools' reading of the same files: for every bundled
font (CFF and TrueType) the same names, character map, advances, em box, licence flags and
punctuation ink; fonts without an OS/2 table; collections; vertical forms; and uharfbuzz
imported only when a font is actually read."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.recordingPen import RecordingPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont

from broadsheet.fonts.faces import BUNDLED, FontFinder, load_face
from broadsheet.fonts.read import face_names, read_face
from broadsheet.fonts.vertical import vertical_glyph
from broadsheet.text.chars import PUNCTUATION

FONTS = sorted(p.name for p in BUNDLED.iterdir() if p.suffix in (".otf", ".ttf"))
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module", params=FONTS)
def pair(request):
    path = BUNDLED / request.param
    return read_face(path, 0), TTFont(path, lazy=True)


def test_names(pair):
    ours, theirs = pair
    names = theirs["name"]
    assert ours.postscript == names.getDebugName(6)
    assert ours.family == names.getBestFamilyName()
    (index, found), = face_names(ours.path)
    assert index == 0
    assert names.getDebugName(4) in found and names.getDebugName(6) in found


def test_character_map_and_advances(pair):
    ours, theirs = pair
    assert ours.cmap == {cp: theirs.getGlyphID(name) for cp, name in theirs.getBestCmap().items()}
    assert ours.advances == [theirs["hmtx"][name][0] for name in theirs.getGlyphOrder()]


def test_em_box_and_licence(pair):
    ours, theirs = pair
    head, os2 = theirs["head"], theirs["OS/2"]
    assert (ours.upem, ours.bbox) == (head.unitsPerEm, (head.xMin, head.yMin, head.xMax, head.yMax))
    assert (ours.fs_type, ours.ascent, ours.descent, ours.cap_height) == (
        os2.fsType, os2.sTypoAscender, -os2.sTypoDescender, os2.sCapHeight)
    assert ours.cff == ("CFF " in theirs)


def test_punctuation_ink(pair):
    """The ink's horizontal extent in whole font units, curve extremes included, as fontTools'
    BoundsPen draws it."""
    ours, theirs = pair
    cmap, glyphs = theirs.getBestCmap(), theirs.getGlyphSet()
    marks = [ch for ch in PUNCTUATION if ord(ch) in cmap]
    assert len(marks) > 20
    for ch in marks:
        pen = BoundsPen(glyphs)
        glyphs[cmap[ord(ch)]].draw(pen)
        if pen.bounds is None:
            assert ord(ch) not in ours.ink, ch
        else:
            assert ours.ink[ord(ch)] == (math.floor(pen.bounds[0]), math.ceil(pen.bounds[2])), ch


def _triangle():
    pen = TTGlyphPen(None)
    pen.moveTo((0, 0)), pen.lineTo((500, 0)), pen.lineTo((250, 700)), pen.closePath()
    return pen.glyph()


def _small_truetype(family: str, advance: int, os2: bool = True) -> TTFont:
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder([".notdef", "A"])
    fb.setupCharacterMap({65: "A"})
    fb.setupGlyf({".notdef": _triangle(), "A": _triangle()})
    fb.setupHorizontalMetrics({".notdef": (500, 0), "A": (advance, 0)})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": family, "styleName": "Regular"})
    if os2:
        fb.setupOS2(fsType=0x0002, sTypoAscender=800, sTypoDescender=-200)
    fb.setupPost()
    return fb.font


def test_a_font_without_os2_table(tmp_path):
    """Old Mac fonts have none: no licence flags, and the vertical metrics of hhea."""
    path = tmp_path / "old.ttf"
    _small_truetype("Old Mac", 600, os2=False).save(path)
    face = read_face(path, 0)
    assert (face.fs_type, face.ascent, face.descent) == (0, 880, 120)
    assert face.cmap == {65: 1} and face.advances == [500, 600]
    assert face.ink == {} and face.embeddable and not face.cff
    assert face.cap_height == 700  # none given: 0.7 em


def test_licence_flags(tmp_path):
    """fsType 0x0002 (restricted licence embedding) forbids embedding."""
    path = tmp_path / "restricted.ttf"
    _small_truetype("Restricted", 600).save(path)
    face = read_face(path, 0)
    assert (face.fs_type, face.ascent, face.descent) == (2, 800, 200)
    assert not face.embeddable


def test_a_name_given_only_in_chinese_is_found(tmp_path):
    """No English record: the name in the language the font gives it in."""
    font = _small_truetype("unused", 600)
    font["name"].names = []
    font["name"].setName("方正书宋", 1, 3, 1, 0x804)  # Windows, Chinese (PRC)
    font["name"].setName("Regular", 2, 3, 1, 0x409)
    font["name"].setName("FZShuSong", 6, 3, 1, 0x409)
    path = tmp_path / "zh.ttf"
    font.save(path)
    face = FontFinder([tmp_path]).find("方正书宋")
    assert face is not None and (face.family, face.postscript) == ("方正书宋", "FZShuSong")


def test_collection_members_are_found_and_read(tmp_path):
    path = tmp_path / "pair.ttc"
    collection = TTCollection()
    collection.fonts = [_small_truetype("First Face", 600), _small_truetype("Second Face", 700)]
    collection.save(path)
    assert [(i, names[0]) for i, names in face_names(path)] == [(0, "First Face Regular"), (1, "Second Face Regular")]
    second = FontFinder([tmp_path]).find("Second Face")
    assert second is not None and second.index == 1 and second.family == "Second Face"
    assert second.advances == [500, 700]


@pytest.mark.parametrize("content", [b"", b"not a font", (BUNDLED / "NotoSerifCJKsc-Regular.otf").read_bytes()[:5000]])
def test_damaged_files_are_value_errors(tmp_path, content):
    path = tmp_path / "broken.otf"
    path.write_bytes(content)
    with pytest.raises(ValueError):
        read_face(path, 0)


def test_a_table_cut_short_is_a_damaged_font(tmp_path):
    """A head table too short to hold the bounding box: an error, not a crash."""
    import struct

    path = tmp_path / "short.ttf"
    _small_truetype("Short", 600).save(path)
    data = bytearray(path.read_bytes())
    (count,) = struct.unpack_from(">H", data, 4)
    record = next(12 + 16 * k for k in range(count) if data[12 + 16 * k:16 + 16 * k] == b"head")
    struct.pack_into(">I", data, record + 12, 40)  # the table's length
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="head"):
        read_face(path, 0)


# ---------------------------------------------------------------------------------------------
# vertical forms


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


# ---------------------------------------------------------------------------------------------
# start-up


def test_harfbuzz_is_imported_only_to_read_fonts(tmp_path):
    """The command line's modules do not import uharfbuzz (40 ms), nor does a build whose faces
    and subsets are cached: only the first, cold build reads fonts."""
    env_cache = tmp_path / "cache"
    code = (
        "import sys, os\n"
        f"os.environ['BROADSHEET_CACHE'] = {str(env_cache)!r}\n"
        "import broadsheet.cli\n"
        "assert 'uharfbuzz' not in sys.modules, 'imported at start-up'\n"
        "from pathlib import Path\n"
        "from broadsheet.tools.build import build\n"
        f"build(Path({str(ROOT / 'layout' / 'dangjian.yaml')!r}), Path({str(tmp_path / 'out.pdf')!r}), True)\n"
        "print('uharfbuzz' in sys.modules)\n"
    )
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120) for _ in range(2)]
    for run in runs:
        assert run.returncode == 0, run.stderr
    assert [run.stdout.strip() for run in runs] == ["True", "False"]  # cold reads fonts; warm does not
