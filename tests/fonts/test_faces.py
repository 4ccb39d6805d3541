"""Finding faces (fonts/faces.py): by family, full or PostScript name among the bundled and system
fonts, or by path; a collection's face by index or name; faces loaded once; and the fallback chain
that gives each character the first face that has it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTCollection

from broadsheet.fonts.faces import (BUNDLED, Face, FontChain, FontError, FontFinder, font_path, load_face, looks_like_path,
                                    member_index, split_member)
from broadsheet.fonts.read import face_names
from broadsheet.stats import COUNTS

from conftest import small_pair, small_truetype


# ---------------------------------------------------------------------------------------------
# collections


def test_collection_members_are_found_and_read(tmp_path):
    path = tmp_path / "pair.ttc"
    collection = TTCollection()
    collection.fonts = [small_truetype("First Face", 600), small_truetype("Second Face", 700)]
    collection.save(path)
    assert [(i, names[0]) for i, names in face_names(path)] == [(0, "First Face Regular"), (1, "Second Face Regular")]
    second = FontFinder([tmp_path]).find("Second Face")
    assert second is not None and second.index == 1 and second.family == "Second Face"
    assert list(second.advances) == [500, 700]


@pytest.mark.parametrize("name, expected", [("a.ttc#2", ("a.ttc", "2")), ("/x/N.otc#Noto Serif CJK SC", ("/x/N.otc", "Noto Serif CJK SC")),
                                            ("a.ttc", ("a.ttc", None)), ("Noto Serif CJK SC", ("Noto Serif CJK SC", None)),
                                            ("C#.ttf#1", ("C#.ttf", "1"))])
def test_a_collection_face_reference_splits_into_file_and_face(name, expected):
    assert split_member(name) == expected
    assert looks_like_path(name) == (name != "Noto Serif CJK SC")


@pytest.mark.parametrize("ref, index", [("pair.ttc", 0), ("pair.ttc#0", 0), ("pair.ttc#1", 1), ("pair.ttc#Second Face", 1),
                                        ("pair.ttc#second face regular", 1), ("pair.ttc#FirstFace-Regular", 0)])
def test_a_collection_face_by_index_or_name(tmp_path, ref, index):
    small_pair(tmp_path)
    face = FontFinder().find(ref, tmp_path)
    assert face is not None and face.index == index
    assert face.family == ("First Face", "Second Face")[index] and face.advances[1] == (600, 700)[index]


def test_a_collection_face_that_is_not_there_is_a_font_error(tmp_path):
    small_pair(tmp_path)
    with pytest.raises(FontError, match="pair.ttc: it has 2 faces, numbered 0 to 1, not 2"):
        FontFinder().find("pair.ttc#2", tmp_path)
    with pytest.raises(FontError, match="pair.ttc has no face named 'Third Face': its faces are "
                                        "#0 First Face Regular; #1 Second Face Regular"):
        FontFinder().find("pair.ttc#Third Face", tmp_path)


def test_every_face_of_a_collection_is_listed_with_its_reference(tmp_path, monkeypatch):
    """`broadsheet fonts` lists each face, its file as a style sheet names it (`pair.ttc#1`)."""
    from broadsheet.tools import fonts_report

    small_pair(tmp_path)
    monkeypatch.setattr(fonts_report, "SYSTEM_DIRS", [tmp_path])
    rows, _ = fonts_report.list_fonts(text="A", system=True)
    listed = {(r.family, r.file, r.source, r.covered) for r in rows if "pair.ttc" in r.file}
    assert listed == {("First Face", f"{tmp_path}/pair.ttc#0", "system", 1),
                      ("Second Face", f"{tmp_path}/pair.ttc#1", "system", 1)}


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


# ---------------------------------------------------------------------------------------------
# finding and loading


def test_a_font_in_an_extra_folder_comes_before_the_bundled_one(tmp_path):
    small_truetype("Noto Serif CJK SC", 640, fs_type=0).save(tmp_path / "mine.ttf")
    mine = FontFinder([tmp_path]).find("noto serif cjk sc")  # names compare without case, spaces and hyphens
    assert mine is not None and mine.path == (tmp_path / "mine.ttf").resolve() and mine.advances[1] == 640
    bundled = FontFinder().find("NotoSerifCJKsc-Regular")
    assert bundled is not None and bundled.path.parent == BUNDLED.resolve()
    assert "Noto Serif CJK SC" in FontFinder().known_names()


def test_a_font_file_by_path_is_found_relative_to_the_file_naming_it(tmp_path):
    (tmp_path / "sub").mkdir()
    small_truetype("By Path", 600, fs_type=0).save(tmp_path / "sub" / "face.ttf")
    face = FontFinder().find("sub/face.ttf", tmp_path)
    assert face is not None and face.family == "By Path"
    assert FontFinder().find("sub/none.ttf", tmp_path) is None  # not there: an unknown font, not an error
    assert FontFinder().find("face.ttf", tmp_path) is None


def test_font_paths(tmp_path):
    assert font_path("~/f.otf", tmp_path) == Path.home() / "f.otf"
    assert font_path("fonts/f.otf", tmp_path) == tmp_path / "fonts" / "f.otf"
    assert font_path("/abs/f.otf", tmp_path) == Path("/abs/f.otf")
    assert font_path("f.otf", None) == Path("f.otf")


@pytest.mark.parametrize("name, path", [("Noto Serif CJK SC", False), ("fonts/kai", True), ("kai.TTF", True),
                                        ("kai.otc#1", True), ("Kai 2.0", False)])
def test_what_looks_like_a_path(name, path):
    assert looks_like_path(name) is path


def test_a_face_is_loaded_once(tmp_path, monkeypatch):
    small_truetype("Once", 600, fs_type=0).save(tmp_path / "once.ttf")
    monkeypatch.chdir(tmp_path)
    before = COUNTS["faces memory"]
    first = load_face(Path("once.ttf"))
    assert load_face(tmp_path / "once.ttf") is first  # the same file, however it is named
    assert COUNTS["faces memory"] == before + 1
    assert first.path == (tmp_path / "once.ttf").resolve()  # cached faces do not depend on the working directory


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x00\x00" + b"\x00" * 200])
def test_a_damaged_file_is_a_font_error_naming_it(tmp_path, content):
    (tmp_path / "broken.ttf").write_bytes(content)
    with pytest.raises(FontError, match=r"^cannot read font file broken.ttf: it is damaged or not a font$"):
        load_face(tmp_path / "broken.ttf")


def test_a_face_index_is_used_as_written_and_a_name_is_looked_up(tmp_path):
    path = small_pair(tmp_path)
    assert member_index(path, None) == 0
    assert member_index(path, "7") == 7  # out of range: load_face says how many there are
    assert member_index(path, "second-face") == 1


# ---------------------------------------------------------------------------------------------
# the fallback chain


def _face(name: str, chars: str, weight: int = 400, italic: bool = False, notdef: str = "") -> Face:
    """A face with `chars` (and `notdef` mapped to glyph 0, as a damaged cmap may have it)."""
    cmap = {ord(ch): k + 1 for k, ch in enumerate(chars)} | {ord(ch): 0 for ch in notdef}
    return Face(path=Path(f"{name}.otf"), index=0, postscript=name, family=name, upem=1000, cmap=cmap,
                advances=[1000] * (len(chars) + 1), ascent=880, descent=120, cff=True, fs_type=0,
                bbox=(0, -120, 1000, 880), cap_height=700, weight=weight, italic=italic)


def test_each_character_takes_the_first_face_that_has_it():
    song, hei = _face("Song", "中文", notdef="A"), _face("Hei", "文A字")
    chain = FontChain([song, hei])
    assert chain.lookup("中") == (song, 1)
    assert chain.lookup("文") == (song, 2)  # not the fallback's
    assert chain.lookup("A") == (hei, 2)  # glyph 0 is .notdef: no glyph
    assert chain.lookup("字") == (hei, 3)
    assert chain.lookup("😀") is None
    assert chain.names == "Song, Hei"


def test_missing_characters_are_found_by_index_spaces_aside():
    chain = FontChain([_face("Song", "中文")])
    assert chain.missing("中 文\t😀中😀\u3000") == [4, 6]
    assert chain.missing("中文") == []
    assert chain.missing("😀") == [0]  # asked again: still missing
    assert FontChain([]).missing("中 ") == [0]


def test_a_fallback_of_another_weight_or_slant_is_off_style():
    regular = _face("Song", "中")
    chain = FontChain([regular, _face("Song-Bold", "文", weight=700), _face("Song-Italic", "字", italic=True),
                       _face("Fang", "书")])  # the same weight and slant: fine
    assert chain.off_style("中文字书文") == [1, 2, 4]
    assert FontChain([_face("Bold", "中", weight=700)]).off_style("中") == []  # its own face, however bold
    assert FontChain([]).off_style("中") == []


def test_a_cached_face_comes_back_whole_its_character_map_unpacked_when_first_used(tmp_path):
    """As cached, the character map and the advances are packed arrays; the map is unpacked on
    first use (a warm build never looks a character up), and a face cached again keeps both."""
    import pickle

    face = load_face(BUNDLED / "LXGWWenKai-Regular.ttf")
    back = pickle.loads(pickle.dumps(face))
    assert "cmap" not in back.__dict__ and list(back.advances) == list(face.advances)
    assert back.gid("永") == face.gid("永") and back.cmap == face.cmap
    again = pickle.loads(pickle.dumps(pickle.loads(pickle.dumps(back))))
    assert again.cmap == face.cmap and again.advance(face.gid("永"), 10) == face.advance(face.gid("永"), 10)
    with pytest.raises(AttributeError):
        back.no_such_field
