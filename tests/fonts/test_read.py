"""Reading a face through HarfBuzz (fonts/read.py), against fontTools' reading of the same files:
for every bundled font (CFF and TrueType) the same names, character map, advances, em box,
licence flags and punctuation ink; fonts without an OS/2 table; weight and slant; names given
in one language only; and damaged files."""

from __future__ import annotations

import math
import struct

import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

from broadsheet.fonts.faces import BUNDLED, FontFinder
from broadsheet.fonts.read import face_names, read_face
from broadsheet.text.chars import PUNCTUATION

from conftest import small_truetype


FONTS = sorted(p.name for p in BUNDLED.iterdir() if p.suffix in (".otf", ".ttf"))


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
    assert list(ours.advances) == [theirs["hmtx"][name][0] for name in theirs.getGlyphOrder()]


def test_em_box_and_licence(pair):
    ours, theirs = pair
    head, os2 = theirs["head"], theirs["OS/2"]
    assert (ours.upem, ours.bbox) == (head.unitsPerEm, (head.xMin, head.yMin, head.xMax, head.yMax))
    assert (ours.fs_type, ours.ascent, ours.descent, ours.cap_height) == (
        os2.fsType, os2.sTypoAscender, -os2.sTypoDescender, os2.sCapHeight)
    assert ours.cff == ("CFF " in theirs)
    assert (ours.weight, ours.italic) == (os2.usWeightClass, bool(os2.fsSelection & 0x0201))
    assert ours.style == ("Bold" if "Bold" in ours.postscript else "Regular")


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


def test_a_font_without_os2_table(tmp_path):
    """Old Mac fonts have none: no licence flags, and the vertical metrics of hhea."""
    path = tmp_path / "old.ttf"
    small_truetype("Old Mac", 600, os2=False).save(path)
    face = read_face(path, 0)
    assert (face.fs_type, face.ascent, face.descent) == (0, 880, 120)
    assert face.cmap == {65: 1} and list(face.advances) == [500, 600]
    assert face.ink == {} and face.embeddable and not face.cff
    assert face.cap_height == 700  # none given: 0.7 em
    assert (face.weight, face.italic) == (400, False)


def test_weight_and_slant_without_os2_come_from_mac_style(tmp_path):
    path = tmp_path / "old-bold-italic.ttf"
    font = small_truetype("Old Mac", 600, os2=False)
    font["head"].macStyle = 0b11  # bold, italic
    font.save(path)
    face = read_face(path, 0)
    assert (face.weight, face.italic, face.style) == (700, True, "Bold Italic")


@pytest.mark.parametrize("weight, fs_selection, style", [(400, 0x40, "Regular"), (700, 0x20, "Bold"),
                                                         (300, 0x01, "Light Italic"), (500, 0x200, "Medium Italic"),
                                                         (450, 0x00, "weight 450")])
def test_weight_and_slant_from_os2(tmp_path, weight, fs_selection, style):
    """usWeightClass, and fsSelection's italic (bit 0) or oblique (bit 9) bit."""
    path = tmp_path / "styled.ttf"
    small_truetype("Styled", 600, weight=weight, fs_selection=fs_selection).save(path)
    face = read_face(path, 0)
    assert (face.weight, face.style) == (weight, style)


def test_licence_flags(tmp_path):
    """fsType 0x0002 (restricted licence embedding) forbids embedding."""
    path = tmp_path / "restricted.ttf"
    small_truetype("Restricted", 600).save(path)
    face = read_face(path, 0)
    assert (face.fs_type, face.ascent, face.descent) == (2, 800, 200)
    assert not face.embeddable


def test_a_name_given_only_in_chinese_is_found(tmp_path):
    """No English record: the name in the language the font gives it in."""
    font = small_truetype("unused", 600)
    font["name"].names = []
    font["name"].setName("方正书宋", 1, 3, 1, 0x804)  # Windows, Chinese (PRC)
    font["name"].setName("Regular", 2, 3, 1, 0x409)
    font["name"].setName("FZShuSong", 6, 3, 1, 0x409)
    path = tmp_path / "zh.ttf"
    font.save(path)
    face = FontFinder([tmp_path]).find("方正书宋")
    assert face is not None and (face.family, face.postscript) == ("方正书宋", "FZShuSong")


# ---------------------------------------------------------------------------------------------
# damaged files


@pytest.mark.parametrize("content", [b"", b"not a font", (BUNDLED / "NotoSerifCJKsc-Regular.otf").read_bytes()[:5000]])
def test_damaged_files_are_value_errors(tmp_path, content):
    path = tmp_path / "broken.otf"
    path.write_bytes(content)
    with pytest.raises(ValueError):
        read_face(path, 0)


def test_a_table_cut_short_is_a_damaged_font(tmp_path):
    """A head table too short to hold the bounding box: an error, not a crash."""
    path = tmp_path / "short.ttf"
    small_truetype("Short", 600).save(path)
    data = bytearray(path.read_bytes())
    (count,) = struct.unpack_from(">H", data, 4)
    record = next(12 + 16 * k for k in range(count) if data[12 + 16 * k:16 + 16 * k] == b"head")
    struct.pack_into(">I", data, record + 12, 40)  # the table's length
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="head"):
        read_face(path, 0)
