"""Validation of specs, style sheets and stories: every problem is an error at the exact
file:line:col of the YAML (or Markdown) we wrote, with a did-you-mean where a name is misspelt,
and all the problems of a broken project are reported in one run."""

from __future__ import annotations

import pytest

from broadsheet.fonts.faces import BUNDLED
from conftest import MINI_SPEC, find, parse_diag

EIGHT_COLUMNS = MINI_SPEC.replace("columns: 4", "columns: 8")
TWO_SHEETS = MINI_SPEC.replace("styles: styles.yaml", "styles: [styles.yaml, extra.yaml]")


def test_the_mini_project_is_valid(mini):
    """The baseline every test below breaks in one place."""
    result, warnings = mini.build()
    assert (mini.root / "out.pdf").read_bytes().startswith(b"%PDF-")
    assert not any(r.overset for r in result.stories.values()) and not warnings


# ---------------------------------------------------------------------------------------------
# spec structure


def test_unknown_key_with_did_you_mean(mini):
    text = MINI_SPEC.replace("  columns: 4\n  gutter: 1字\n", "  gutter: 1字\n  colums: 4\n")
    mini.spec(text)
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "colums"), "unknown key 'colums' (did you mean 'columns'?)")
    # the grid then lacks its columns: reported at the grid mapping (its first key)
    find(errors, mini.at("spec.yaml", "gutter"), "missing required key 'columns'")


def test_unknown_first_key_with_did_you_mean(mini):
    mini.spec(MINI_SPEC.replace("  columns: 4\n", "  colums: 4\n"))
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "colums"), "unknown key 'colums' (did you mean 'columns'?)")


def test_unknown_keys_at_other_levels(mini):
    text = MINI_SPEC.replace("subject: 测试主题", "subjet: 测试主题")
    text = text.replace("    frame: {columns: 1-4, top: 0, bottom: end}\n",
                        "    headlin: {align: left}\n    frame:\n      - {columns: 1-2, botom: end}\n")
    mini.spec(text)
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "subjet"), "unknown key 'subjet' (did you mean 'subject'?)")
    find(errors, mini.at("spec.yaml", "botom"), "unknown key 'botom' (did you mean 'bottom'?)")
    find(errors, mini.at("spec.yaml", "headlin"), "unknown key 'headlin' (did you mean 'headline'?)")
    assert len(errors) == 3, errors


def test_error_inside_a_single_mapping_frame_points_at_the_key(mini):
    mini.spec(MINI_SPEC.replace("bottom: end}", "botom: end}").replace("top: 0", "top: abc"))
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "botom"), "unknown key 'botom' (did you mean 'bottom'?)")
    find(errors, mini.at("spec.yaml", "abc"), "'abc'")


def test_wrong_types(mini):
    text = MINI_SPEC.replace("title: 小样测试", "title: [小样, 测试]").replace("columns: 4", "columns: four")
    mini.spec(text)
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "[小样"), "'title': must be text (a string), got", "['小样', '测试']")
    find(errors, mini.at("spec.yaml", "four"), "'grid.columns'", "must be a whole number, got 'four'")
    assert len(errors) == 2, errors


def test_out_of_range_number(mini):
    mini.spec(MINI_SPEC.replace("columns: 4", "columns: 30"))
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "30"), "'grid.columns'", "24")


def test_bad_unit(mini):
    mini.spec(MINI_SPEC.replace("gutter: 1字", "gutter: 4ft"))
    errors = mini.errors()
    msg = find(errors, mini.at("spec.yaml", "4ft"), "'grid.gutter': unknown unit 'ft' in '4ft'")
    assert "字" in msg and "mm" in msg  # says which units would do
    assert len(errors) == 1, errors


def test_unit_not_allowed_for_the_key(mini):
    mini.spec(MINI_SPEC.replace("margins: 15mm", "margins: 2行"))
    errors = mini.errors()
    assert errors, "a margin in body lines has no meaning"
    for e in errors:
        assert e.startswith(mini.at("spec.yaml", "2行") + ": error: "), errors
    assert any("unit '行' is not allowed here" in e for e in errors), errors


def test_unknown_page_size(mini):
    mini.spec(MINI_SPEC.replace("size: A4", "size: A9"))
    errors = mini.errors()
    msg = find(errors, mini.at("spec.yaml", "A9"), "'page.size'", "'A9'")
    assert "对开" in msg and "[390mm, 540mm]" in msg  # the named sizes and the explicit form


def test_explicit_page_size_needs_units(mini):
    mini.spec(MINI_SPEC.replace("size: A4", "size: [210, 297mm]"))
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "[210"), "'page.size'", "needs a unit")


# ---------------------------------------------------------------------------------------------
# frames against the page


def test_frame_columns_outside_the_grid(mini):
    text = EIGHT_COLUMNS.replace("columns: 1-4, top: 0", "columns: 7-9, top: 0")
    mini.spec(text)
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "7-9"), "frame columns 7-9 leave the page: the grid has 8 columns")


def test_frame_columns_inside_the_grid_are_fine(mini):
    mini.spec(EIGHT_COLUMNS.replace("columns: 1-4, top: 0", "columns: 6-8, top: 0"))
    mini.build()
    assert (mini.root / "out.pdf").is_file()


def test_frame_bottom_beyond_the_type_area(mini):
    # A4 with 15 mm margins: (841.89 - 85.04) / 14 = 54 body lines
    mini.spec(MINI_SPEC.replace("bottom: end", "bottom: 60"))
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "60}"), "frame lines 0-60 leave the type area: a column has 54 lines")
    assert len(errors) == 1, errors


def test_frame_bottom_in_mm_beyond_the_type_area(mini):
    text = MINI_SPEC.replace("    frame: {columns: 1-4, top: 0, bottom: end}\n",
                             "    frame:\n      columns: 1-4\n      top: 2\n      bottom: 300mm\n")
    mini.spec(text)
    errors = mini.errors()
    # 300 mm = 850.4 pt = 60.7 lines, rounded up to 61; the error is at the bottom value
    find(errors, mini.at("spec.yaml", "300mm"), "frame lines 2-61 leave the type area: a column has 54 lines")


def test_frame_without_height(mini):
    mini.spec(MINI_SPEC.replace("top: 0, bottom: end", "top: 20, bottom: 10"))
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "{columns: 1-4"), "frame has no height (top line 20, bottom line 10)")


# ---------------------------------------------------------------------------------------------
# files


def test_missing_story_file(mini):
    mini.spec(MINI_SPEC.replace("story: story.md", "story: nostory.md"))
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "nostory.md"), "story file not found: nostory.md")
    assert len(errors) == 1, errors


def test_missing_style_sheet_file(mini):
    mini.spec(MINI_SPEC.replace("styles: styles.yaml", "styles: [styles.yaml, nosheet.yaml]"))
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "nosheet.yaml"), "style sheet not found: nosheet.yaml")
    assert len(errors) == 1, errors


def test_bad_yaml_in_the_spec(mini):
    mini.spec(MINI_SPEC.replace("  line: 14pt\n", "  line: 14pt: 12pt\n"))
    errors = mini.errors()
    assert len(errors) == 1, errors
    # PyYAML stops at the second ':' of the line
    line, col = mini.pos("spec.yaml", "14pt")
    assert errors[0].startswith(f"spec.yaml:{line}:{col + 4}: error: YAML syntax: "), errors
    assert "mapping values are not allowed" in errors[0]


def test_duplicate_key_in_the_spec(mini):
    mini.spec(MINI_SPEC + "title: 又一个标题\n")
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "title: 又一个"), "YAML syntax: duplicate key 'title'")


def test_bad_yaml_in_a_style_sheet(mini):
    mini.spec(TWO_SHEETS)
    mini.write("extra.yaml", "paragraph:\n  note:\n    size: 'nine pt\n    align: left\n")
    errors = mini.errors()
    assert len(errors) == 1, errors
    file, line, col, severity, message = parse_diag(errors[0])
    assert file == "extra.yaml" and line is not None and message.startswith("YAML syntax: ")
    assert "quoted scalar" in message  # the unclosed quote of line 3 runs to the end of the file


def test_bad_yaml_in_a_style_sheet_position(mini):
    mini.spec(TWO_SHEETS)
    mini.write("extra.yaml", "paragraph:\n  note:\n    size: 9pt: 10pt\n")
    errors = mini.errors()
    line, col = mini.pos("extra.yaml", "9pt")
    assert errors == [f"extra.yaml:{line}:{col + 3}: error: YAML syntax: mapping values are not allowed in this context"]


def test_bad_value_in_a_style_sheet(mini):
    mini.spec(TWO_SHEETS)
    mini.write("extra.yaml", "paragraph:\n  note:\n    size: 大五\n    colour: red\n    align: middle\n")
    errors = mini.errors()
    find(errors, mini.at("extra.yaml", "大五"), "'大五' is not a length", "号")
    find(errors, mini.at("extra.yaml", "colour"), "unknown key 'colour' (did you mean 'color'?)")
    find(errors, mini.at("extra.yaml", "middle"), "'paragraph.note.align'", "'middle'")


# ---------------------------------------------------------------------------------------------
# styles


def test_unknown_style_in_a_story_styles_mapping(mini):
    mini.spec(MINI_SPEC + "    styles: {body: bodyy, tittle: title}\n")
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "bodyy"), "unknown paragraph style 'bodyy' (did you mean 'body'?)")
    find(errors, mini.at("spec.yaml", "tittle"), "unknown story element 'tittle' (did you mean 'title'?)")
    assert len(errors) == 2, errors


def test_unknown_based_on(mini):
    mini.spec(TWO_SHEETS)
    mini.write("extra.yaml", "paragraph:\n  note:\n    based_on: bodyy\n    size: 小五\n")
    errors = mini.errors()
    assert errors == [f"{mini.at('extra.yaml', 'bodyy')}: error: style 'note' is based on unknown style 'bodyy' "
                      "(did you mean 'body'?)"]


def test_unknown_based_on_of_an_element_style_is_one_error(mini):
    mini.spec(TWO_SHEETS)
    mini.write("extra.yaml", "paragraph:\n  deck:\n    based_on: kickr\n")
    errors = mini.errors()
    find(errors, mini.at("extra.yaml", "kickr"), "style 'deck' is based on unknown style 'kickr' (did you mean 'kicker'?)")
    assert len(errors) == 1, errors


def test_based_on_cycle(mini):
    mini.spec(TWO_SHEETS)
    extra = ("paragraph:\n"
             "  note_a:\n    based_on: note_b\n    size: 小五\n"
             "  note_b:\n    based_on: note_c\n"
             "  note_c:\n    based_on: note_a\n")
    mini.write("extra.yaml", extra)
    errors = mini.errors()
    assert len(errors) == 3, errors  # each style of the cycle is in error
    for name, target in (("note_a", "note_b\n"), ("note_b", "note_c\n"), ("note_c", "note_a\n")):
        msg = find(errors, mini.at("extra.yaml", target), f"style '{name}': based_on makes a cycle")
        assert all(n in msg for n in ("note_a", "note_b", "note_c")), msg


def test_style_based_on_itself(mini):
    mini.spec(TWO_SHEETS)
    mini.write("extra.yaml", "paragraph:\n  note:\n    based_on: note\n")
    errors = mini.errors()
    assert len(errors) == 1, errors
    line, col = mini.pos("extra.yaml", "based_on: note")
    find(errors, f"extra.yaml:{line}:{col + len('based_on: ')}", "style 'note': based_on makes a cycle (note → note)")


@pytest.mark.parametrize("sheet,name", [
    ("fonts:\n  仿宋: FangSong Nowhere\nparagraph:\n  note:\n    font: 仿宋\n", "FangSong Nowhere"),  # a role's family
    ("paragraph:\n  note:\n    font: Nowhere Sans\n", "Nowhere Sans"),  # named in a style
    ("fonts:\n  仿宋: [Noto Serif CJK SC, Nowhere Kai]\nparagraph:\n  note:\n    font: 仿宋\n", "Nowhere Kai"),  # in a list
])
def test_unknown_font(mini, sheet, name):
    mini.spec(TWO_SHEETS)
    mini.write("extra.yaml", sheet)
    errors = mini.errors()
    find(errors, mini.at("extra.yaml", name), f"unknown font '{name}'")
    assert len(errors) == 1, errors


@pytest.mark.parametrize("content", [b"", b"not a font", (BUNDLED / "NotoSerifCJKsc-Regular.otf").read_bytes()[:5000]])
def test_font_file_that_cannot_be_read(mini, content):
    """Empty, not a font, cut short: an error at the style naming the file, no traceback."""
    mini.spec(TWO_SHEETS)
    (mini.root / "broken.otf").write_bytes(content)
    mini.write("extra.yaml", "paragraph:\n  note:\n    font: broken.otf\n")
    errors = mini.errors()
    find(errors, mini.at("extra.yaml", "broken.otf"), "cannot read font file broken.otf: it is damaged or not a font; use another font")
    assert len(errors) == 1, errors


def test_unknown_font_in_the_sheet_fallback(mini):
    mini.spec(TWO_SHEETS)
    mini.write("extra.yaml", "fallback: [Noto Serif CJK SC, Missing Hei]\n")
    errors = mini.errors()
    assert errors and all(e.startswith(mini.at("extra.yaml", "Missing Hei") + ": error: unknown font 'Missing Hei'")
                          for e in errors), errors


def test_unknown_font_in_the_spec_fonts(mini):
    mini.spec(MINI_SPEC + "fonts:\n  书宋: Song Nowhere\n")
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "Song Nowhere"), "unknown font 'Song Nowhere'")


def test_unknown_font_did_you_mean(mini):
    mini.spec(TWO_SHEETS)
    mini.write("extra.yaml", "fonts:\n  仿宋: Noto Serif CJK SX\nparagraph:\n  note:\n    font: 仿宋\n")
    errors = mini.errors()
    find(errors, mini.at("extra.yaml", "Noto Serif CJK SX"), "did you mean 'Noto Serif CJK SC")


def test_style_override_of_an_unknown_style(mini):
    mini.spec(MINI_SPEC + "style_overrides:\n  bdy: {size: 10pt}\n")
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "bdy"), "override of unknown paragraph style 'bdy' (did you mean 'body'?)")
    assert len(errors) == 1, errors


def test_style_override_with_bad_values(mini):
    mini.spec(MINI_SPEC + "style_overrides:\n  body: {size: huge, colr: red}\n")
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "huge"), "'huge' is not a length", "号")
    find(errors, mini.at("spec.yaml", "colr"), "unknown key 'colr' (did you mean 'color'?)")


def test_style_override_applies(mini):
    """The positive side: an override changes the style (the body is set at 12 pt)."""
    mini.spec(MINI_SPEC + "style_overrides:\n  body: {size: 小四}\n")
    result, _ = mini.build()
    sizes = {g.size for run in result.document.pages[0].runs() if run.role == "body" for g in run.glyphs}
    assert sizes == {12.0}


# ---------------------------------------------------------------------------------------------
# all errors in one run


def test_all_errors_reported_together(mini):
    text = EIGHT_COLUMNS.replace("columns: 1-4, top: 0", "columns: 7-9, top: 0")
    text = text.replace("styles: styles.yaml", "styles: [styles.yaml, extra.yaml]")
    text += ("    styles: {body: bodyy}\n"
             "  - story: nostory.md\n    frame: {columns: 1-2, top: 0, bottom: end}\n"
             "  - story: story2.md\n    frame: {columns: 3-4, top: 0, bottom: 60}\n")
    mini.spec(text)
    mini.write("story2.md", "第二篇稿件。\n")
    mini.write("extra.yaml", "paragraph:\n  note:\n    based_on: bodyy\n")
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "7-9"), "frame columns 7-9 leave the page")
    find(errors, mini.at("spec.yaml", "bodyy"), "unknown paragraph style 'bodyy'")
    find(errors, mini.at("spec.yaml", "nostory.md"), "story file not found")
    find(errors, mini.at("spec.yaml", "60}"), "frame lines 0-60 leave the type area")
    find(errors, mini.at("extra.yaml", "bodyy"), "style 'note' is based on unknown style 'bodyy'")
    assert len(errors) == 5, errors  # one each; the headline, which takes the frame's columns, adds none


def test_all_schema_errors_of_a_spec_reported_together(mini):
    text = (MINI_SPEC.replace("gutter: 1字", "gutter: 4ft").replace("size: A4", "size: A9")
            .replace("columns: 4", "columns: four").replace("    frame:", "    headline: {align: middle}\n    frame:"))
    mini.spec(text)
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "4ft"), "unknown unit 'ft'")
    find(errors, mini.at("spec.yaml", "A9"), "'page.size'")
    find(errors, mini.at("spec.yaml", "four"), "'grid.columns'")
    find(errors, mini.at("spec.yaml", "middle"), "'stories.0.headline.align'", "'middle'")
    assert len(errors) == 4, errors


def test_errors_inside_a_union_valued_key(mini):
    mini.spec(MINI_SPEC.replace("    frame:", "    box: maybe\n    frame:"))
    errors = mini.errors()
    assert len(errors) == 1, errors
    find(errors, mini.at("spec.yaml", "maybe"), "'stories.0.box'")
    assert ".bool" not in errors[0] and "BoxSpec" not in errors[0], errors

    mini.spec(MINI_SPEC.replace("    frame:", "    box: {weight: 2ft, wieght: 1pt}\n    frame:"))
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "2ft"), "unknown unit 'ft'")
    find(errors, mini.at("spec.yaml", "wieght"), "unknown key 'wieght' (did you mean 'weight'?)")
    assert len(errors) == 2, errors


def test_spec_schema_errors_and_style_sheet_errors_together(mini):
    mini.spec(TWO_SHEETS.replace("gutter: 1字", "gutter: 4ft").replace("size: A4", "size: A9"))
    mini.write("extra.yaml", "paragraph:\n  note:\n    based_on: bodyy\n")
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "4ft"), "unknown unit 'ft'")
    find(errors, mini.at("spec.yaml", "A9"), "'page.size'")
    find(errors, mini.at("extra.yaml", "bodyy"), "unknown style 'bodyy'")
    assert len(errors) == 3, errors


def test_override_error_does_not_hide_frame_errors(mini):
    text = EIGHT_COLUMNS.replace("columns: 1-4, top: 0", "columns: 7-9, top: 0")
    mini.spec(text + "    styles: {body: bodyy}\nstyle_overrides:\n  bdy: {size: 10pt}\n")
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "bdy:"), "override of unknown paragraph style 'bdy'")
    find(errors, mini.at("spec.yaml", "7-9"), "frame columns 7-9 leave the page")
    find(errors, mini.at("spec.yaml", "bodyy"), "unknown paragraph style 'bodyy'")


# ---------------------------------------------------------------------------------------------
# characters no font has


RARE = "\U0002A6D6"  # 𪛖, CJK Extension B: in none of the bundled fonts
PRIVATE = "\ue000"  # private use area


def test_character_no_font_has(mini):
    story = ("---\ntitle: 小样标题\n---\n\n"
             f"第一段文字。\n\n罕见字{RARE}在这里。\n\n私用区字符{PRIVATE}也不行。\n")
    mini.write("story.md", story)
    errors = mini.errors()
    assert len(errors) == 2, errors
    rare, private = sorted(errors, key=lambda e: parse_diag(e)[1])
    line = mini.pos("story.md", "罕见字")[0]
    assert rare.startswith(f"story.md:{line}:")
    assert f"character '{RARE}' (U+2A6D6) in story 'story' is in no font of style 'body'" in rare
    line = mini.pos("story.md", "私用区")[0]
    assert private.startswith(f"story.md:{line}:")
    assert "(U+E000) in story 'story'" in private


def test_character_no_font_has_in_the_headline(mini):
    mini.write("story.md", f"---\nkicker: 引题\ntitle: 标题有{RARE}字\n---\n\n正文。\n")
    errors = mini.errors()
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"story.md:{mini.pos('story.md', '标题有')[0]}:")
    assert "(U+2A6D6) in story 'story' is in no font of style 'title'" in errors[0]


def test_character_no_font_has_in_a_strong_run_in(mini):
    mini.write("story.md", f"**本报讯{RARE}** 正文。\n")
    errors = mini.errors()
    assert len(errors) == 1 and errors[0].startswith("story.md:1:") and "U+2A6D6" in errors[0], errors


def test_character_no_font_has_reported_at_its_own_line(mini):
    mini.write("story.md", f"第一行文字\n第二行有{RARE}字\n")
    errors = mini.errors()
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"story.md:{mini.pos('story.md', '第二行')[0]}:"), errors


def test_a_broken_style_does_not_hide_other_style_errors_nor_cascade(mini):
    styles = mini.texts["styles.yaml"]
    styles = styles.replace("    size: 小初\n", "    size: 小九\n", 1)  # title: a bad size
    styles = styles.replace("  body:\n    font: 书宋\n", "  body:\n    font: 宋体\n", 1)  # body: an unknown font
    mini.write("styles.yaml", styles)
    errors = mini.errors()
    find(errors, mini.at("styles.yaml", "小九"), "'paragraph.title.size'")
    find(errors, mini.at("styles.yaml", "宋体"), "unknown font '宋体'")
    # styles based on the broken title are not reported as based on an unknown style
    assert not [e for e in errors if "based on unknown style" in e], errors
    assert len(errors) == 2, errors


def test_a_missing_character_is_reported_once_with_its_other_places(mini):
    story = f"第一段有{RARE}字。\n\n第二段也有{RARE}字，\n还有{RARE}字。\n"
    mini.write("story.md", story)
    [error] = mini.errors()
    assert error.startswith(mini.at("story.md", RARE) + ": error: ")  # the first place, line and column
    second, third = mini.pos("story.md", RARE, 2)[0], mini.pos("story.md", RARE, 3)[0]
    assert f"2 more in this story (lines {second}, {third})" in error
