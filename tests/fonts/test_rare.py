"""Rare characters out of the box: the bundled Noto fonts cover GB 18030-2022 implementation level 1
(Extension A included) but for the characters fonts/README.md lists, an Extension A name builds, and
a character that a fallback of another weight or slant sets is a warning naming it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

from broadsheet.fonts.faces import BUNDLED, load_face
from broadsheet.input.project import load_project

ROOT = Path(__file__).resolve().parents[2]
EXT_A_NAMES = "㑇㓥䶮"  # 张㑇 (a Tang poet), 刘䶮 (founder of the Southern Han), 㓥 in place names


def _build_fonts():
    spec = importlib.util.spec_from_file_location("build_fonts", ROOT / "fonts" / "build_fonts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def level1() -> set[int]:
    return _build_fonts().gb18030_level1()


def test_gb18030_level1_repertoire(level1):
    """One- and two-byte parts (GBK and more), Extension A and the URO up to U+9FEF; not what
    Unicode added later (U+4DB6…, U+9FF0…) nor the Private Use Area."""
    bf = _build_fonts()
    assert bf.gbk_chars() < level1
    assert set(range(0x3400, 0x4DB6)) <= level1 and set(range(0x9FA6, 0x9FF0)) <= level1
    assert not level1 & {0x4DB6, 0x4DBF, 0x9FF0, 0x9FFF}
    assert {0x1E3F, 0xFE10, 0xFE19, 0x20AC, 0x2E81, 0x2FF0, 0x2FFB, 0x303E} <= level1  # ḿ ︐ ︙ € ⺁ ⿰ ⿻ 〾
    assert {0x20087, 0x241FE} <= level1  # two-byte codes FE51, FE91: Extension B characters
    assert not any(0xE000 <= cp <= 0xF8FF for cp in level1)
    assert set(range(0x20, 0x7F)) <= level1 and len(level1) == 28588
    # the 27,533 汉字 GB 18030-2000/2005 required, and the 66 URO ideographs 2022 adds to level 1
    # (URO, Extension A, compatibility ideographs, radicals and the six Extension B characters)
    ideographs = [cp for cp in level1 if 0x2E80 <= cp <= 0x2EFF or 0x3400 <= cp <= 0x4DBF or 0x4E00 <= cp <= 0x9FFF
                  or 0xF900 <= cp <= 0xFAFF or cp >= 0x20000]
    assert len(ideographs) == 27533 + 66


@pytest.mark.parametrize("name, missing", [
    ("NotoSerifCJKsc-Regular.otf", {0x2252, *range(0x9FEB, 0x9FF0)}),
    ("NotoSerifCJKsc-Bold.otf", {0x2252, *range(0x9FEB, 0x9FF0)}),
    ("NotoSansCJKsc-Bold.otf", {0x2252}),
])
def test_bundled_noto_fonts_cover_level1_but_for_what_the_readme_says(level1, name, missing):
    """Noto CJK 2.001/2.004 lack ≒ (U+2252) and the serif the five URO characters of Unicode 11."""
    face = load_face(BUNDLED / name)
    assert level1 - face.cmap.keys() == missing


def test_extension_a_names_build_in_the_styles_own_fonts(mini):
    mini.write("story.md", f"---\ntitle: 张{EXT_A_NAMES[0]}与刘{EXT_A_NAMES[2]}\n---\n\n"
                           f"**本报讯** 唐代诗人张{EXT_A_NAMES[0]}，南汉刘{EXT_A_NAMES[2]}，{EXT_A_NAMES[1]}。\n")
    _, warnings = mini.build()
    assert not [w for w in warnings if w.code == "glyph"], warnings
    project = load_project(Path("spec.yaml"))
    for role in ("书宋", "标宋", "黑体"):
        chain = project.chains[role]
        assert all(chain.lookup(ch)[0] is chain.faces[0] for ch in EXT_A_NAMES), role


def _glyph():
    pen = TTGlyphPen(None)
    pen.moveTo((100, -100)), pen.lineTo((900, -100)), pen.lineTo((500, 800)), pen.closePath()
    return pen.glyph()


def _tiny_bold(path: Path, chars: str) -> None:
    """A bold TrueType face with an em-square glyph for each of `chars`."""
    names = [".notdef", *(f"uni{ord(c):04X}" for c in chars)]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord(c): n for c, n in zip(chars, names[1:])})
    fb.setupGlyf({n: _glyph() for n in names})
    fb.setupHorizontalMetrics({n: (1000, 100) for n in names})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": "Tiny Title", "styleName": "Bold", "psName": "TinyTitle-Bold"})
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWeightClass=700, fsSelection=0x20)
    fb.setupPost()
    fb.font.save(path)


def test_a_bold_title_character_only_a_regular_fallback_has_is_a_warning(mini):
    """The title's own font is bold; the fallback that has 㑇 is Noto Serif CJK SC Regular."""
    _tiny_bold(mini.root / "tiny-bold.ttf", "标题")
    styles = mini.texts["styles.yaml"]
    mini.write("styles.yaml", styles.replace("  标宋: Noto Serif CJK SC Bold\n", "  标宋: tiny-bold.ttf\n", 1))
    mini.write("story.md", f"---\ntitle: 标题{EXT_A_NAMES[0]}题{EXT_A_NAMES[0]}\n---\n\n正文。\n")
    _, warnings = mini.build()
    glyph = [w for w in warnings if w.code == "glyph"]
    assert len(glyph) == 1, warnings  # once per style and character
    w = glyph[0]
    assert (w.severity, w.pos.file, w.pos.line) == ("warning", "story.md", 2)
    assert w.message == (f"character '{EXT_A_NAMES[0]}' (U+3447) in story 'story' is set in the fallback font "
                         "NotoSerifCJKsc-Regular (Regular): style 'title' uses TinyTitle-Bold (Bold), which lacks "
                         "it; add a Bold font that has it to the style's fonts")


def test_a_body_character_only_the_bold_sans_has_is_a_warning_a_same_weight_fallback_is_not(mini):
    """鿫 (U+9FEB) is in Noto Sans CJK SC Bold only: in the regular body a warning at its line; in the
    bold title, set from the bold sans, none."""
    mini.write("story.md", "---\ntitle: 标题鿫\n---\n\n第一段。\n\n第二段鿫字，又是鿫。\n")
    _, warnings = mini.build()
    glyph = [w for w in warnings if w.code == "glyph"]
    assert [(w.pos.line, w.message.split(":")[0]) for w in glyph] == [
        (7, "character '鿫' (U+9FEB) in story 'story' is set in the fallback font NotoSansCJKsc-Bold (Bold)")]
    assert "style 'body' uses NotoSerifCJKsc-Regular (Regular)" in glyph[0].message
