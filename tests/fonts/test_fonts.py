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
from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTCollection, TTFont

from broadsheet.fonts.faces import BUNDLED, FontError, FontFinder, load_face, looks_like_path, split_member
from broadsheet.fonts.read import face_names, read_face
from broadsheet.fonts.vertical import vertical_glyph
from broadsheet.input.project import load_project
from broadsheet.text.chars import PUNCTUATION

from conftest import small_truetype

FONTS = sorted(p.name for p in BUNDLED.iterdir() if p.suffix in (".otf", ".ttf"))
ROOT = Path(__file__).resolve().parents[2]


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
    assert face.cmap == {65: 1} and face.advances == [500, 600]
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


def test_collection_members_are_found_and_read(tmp_path):
    path = tmp_path / "pair.ttc"
    collection = TTCollection()
    collection.fonts = [small_truetype("First Face", 600), small_truetype("Second Face", 700)]
    collection.save(path)
    assert [(i, names[0]) for i, names in face_names(path)] == [(0, "First Face Regular"), (1, "Second Face Regular")]
    second = FontFinder([tmp_path]).find("Second Face")
    assert second is not None and second.index == 1 and second.family == "Second Face"
    assert second.advances == [500, 700]


def _pair(folder: Path) -> Path:
    """A collection of two small faces, 'First Face' and 'Second Face', free to embed."""
    path = folder / "pair.ttc"
    collection = TTCollection()
    collection.fonts = [small_truetype("First Face", 600, fs_type=0), small_truetype("Second Face", 700, fs_type=0)]
    collection.save(path)
    return path


@pytest.mark.parametrize("name, expected", [("a.ttc#2", ("a.ttc", "2")), ("/x/N.otc#Noto Serif CJK SC", ("/x/N.otc", "Noto Serif CJK SC")),
                                            ("a.ttc", ("a.ttc", None)), ("Noto Serif CJK SC", ("Noto Serif CJK SC", None)),
                                            ("C#.ttf#1", ("C#.ttf", "1"))])
def test_a_collection_face_reference_splits_into_file_and_face(name, expected):
    assert split_member(name) == expected
    assert looks_like_path(name) == (name != "Noto Serif CJK SC")


@pytest.mark.parametrize("ref, index", [("pair.ttc", 0), ("pair.ttc#0", 0), ("pair.ttc#1", 1), ("pair.ttc#Second Face", 1),
                                        ("pair.ttc#second face regular", 1), ("pair.ttc#FirstFace-Regular", 0)])
def test_a_collection_face_by_index_or_name(tmp_path, ref, index):
    _pair(tmp_path)
    face = FontFinder().find(ref, tmp_path)
    assert face is not None and face.index == index
    assert face.family == ("First Face", "Second Face")[index] and face.advances[1] == (600, 700)[index]


def test_a_collection_face_that_is_not_there_is_a_font_error(tmp_path):
    _pair(tmp_path)
    with pytest.raises(FontError, match="pair.ttc: it has 2 faces, numbered 0 to 1, not 2"):
        FontFinder().find("pair.ttc#2", tmp_path)
    with pytest.raises(FontError, match="pair.ttc has no face named 'Third Face': its faces are "
                                        "#0 First Face Regular; #1 Second Face Regular"):
        FontFinder().find("pair.ttc#Third Face", tmp_path)


def test_every_face_of_a_collection_is_listed_with_its_reference(tmp_path, monkeypatch):
    """`broadsheet fonts` lists each face, its file as a style sheet names it (`pair.ttc#1`)."""
    from broadsheet.tools import fonts_report

    _pair(tmp_path)
    monkeypatch.setattr(fonts_report, "SYSTEM_DIRS", [tmp_path])
    rows, _ = fonts_report.list_fonts(text="A", system=True)
    listed = {(r.family, r.file, r.source, r.covered) for r in rows if "pair.ttc" in r.file}
    assert listed == {("First Face", f"{tmp_path}/pair.ttc#0", "system", 1),
                      ("Second Face", f"{tmp_path}/pair.ttc#1", "system", 1)}


def test_a_style_names_a_collection_face_by_path(mini):
    _pair(mini.root)
    styles = mini.texts["styles.yaml"]
    mini.write("styles.yaml", styles.replace("  书宋: Noto Serif CJK SC\n", "  书宋: pair.ttc#Second Face\n", 1))
    project = load_project(Path("spec.yaml"))
    assert [(f.family, f.index) for f in project.chains["书宋"].faces][:2] == [("Second Face", 1), ("Noto Serif CJK SC", 0)]
    assert (mini.root / "pair.ttc").resolve() in project.files  # watch mode rebuilds when it changes
    mini.write("styles.yaml", styles.replace("  书宋: Noto Serif CJK SC\n", "  书宋: pair.ttc\n", 1))
    project = load_project(Path("spec.yaml"))  # the first face, and a warning that says which
    assert project.chains["书宋"].faces[0].index == 0
    assert [str(w) for w in project.warnings if w.code == "font"] == [
        f"{mini.at('styles.yaml', 'pair.ttc')}: warning: font 'pair.ttc' is a collection: its first face, First Face, "
        "is used; name the face, e.g. 'pair.ttc#0' or 'pair.ttc#First Face' (`broadsheet fonts` "
        "lists the faces)"]
    mini.write("styles.yaml", styles.replace("  书宋: Noto Serif CJK SC\n", "  书宋: pair.ttc#5\n", 1))
    errors = mini.errors()
    line = mini.pos("styles.yaml", "  书宋:")[0]
    assert any(e.startswith(f"styles.yaml:{line}:") and "pair.ttc: it has 2 faces, numbered 0 to 1, not 5" in e
               for e in errors), errors


NOTO_SERIF_TTC = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")


@pytest.mark.skipif(not NOTO_SERIF_TTC.is_file(), reason="the system's fonts-noto-cjk collections are not installed")
def test_the_sc_face_of_the_system_noto_collection(monkeypatch):
    """Debian's NotoSerifCJK-Regular.ttc holds the JP face first: the SC one is asked for by name
    (inside the file or among the system's fonts) or by index, and every face is listed."""
    from broadsheet.tools import fonts_report

    by_name = FontFinder().find(f"{NOTO_SERIF_TTC}#Noto Serif CJK SC")
    assert by_name is not None and by_name.family == "Noto Serif CJK SC" and by_name.path == NOTO_SERIF_TTC
    assert FontFinder().find(f"{NOTO_SERIF_TTC}#{by_name.index}") is by_name
    assert FontFinder().find(str(NOTO_SERIF_TTC)).family == "Noto Serif CJK JP"
    monkeypatch.setattr(fonts_report, "SYSTEM_DIRS", [NOTO_SERIF_TTC.parent])
    rows, _ = fonts_report.list_fonts(system=True)
    listed = sorted(r.file for r in rows if r.file.startswith(str(NOTO_SERIF_TTC)))
    assert listed == [f"{NOTO_SERIF_TTC}#{i}" for i, _ in face_names(NOTO_SERIF_TTC)]
    assert len(listed) >= 5  # JP, KR, SC, TC, HK


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
    small_truetype("Short", 600).save(path)
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
