"""Reading a project (input/load.py): the spec, its style sheets, stories, fonts and images read
and validated in full, every problem an error at the exact file:line:col of what we wrote, all of
them reported in one run; and what it resolves for layout."""

from __future__ import annotations

import re

from pathlib import Path

import pytest

from broadsheet.diagnostics import Pos
from broadsheet.fonts.faces import BUNDLED
from broadsheet.input.press import DEFAULT_PROFILE
from broadsheet.input.project import load_project

from conftest import MINI_MARGINS, MINI_SPEC, find, parse_diag, small_pair

EIGHT_COLUMNS = MINI_SPEC.replace("columns: 4", "columns: 8")
TWO_SHEETS = MINI_SPEC.replace("styles: styles.yaml", "styles: [styles.yaml, extra.yaml]")


def test_the_mini_project_is_valid(mini):
    """The baseline every test below breaks in one place."""
    result, warnings = mini.build()
    assert (mini.root / "out.pdf").read_bytes().startswith(b"%PDF-")
    assert not any(r.overset for r in result.stories.values())
    # its few lines leave columns 2–4 of the frame empty: that hole (开天窗) is its one warning
    assert [w.code for w in warnings] == ["underset"]


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


# ---------------------------------------------------------------------------------------------
# styles a story names


def test_unknown_style_in_a_story_styles_mapping(mini):
    mini.spec(MINI_SPEC + "    styles: {body: bodyy, tittle: title}\n")
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "bodyy"), "unknown paragraph style 'bodyy' (did you mean 'body'?)")
    find(errors, mini.at("spec.yaml", "tittle"), "unknown story element 'tittle' (did you mean 'title'?)")
    assert len(errors) == 2, errors


# ---------------------------------------------------------------------------------------------
# fonts


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


def test_a_style_names_a_collection_face_by_path(mini):
    small_pair(mini.root)
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


def test_a_missing_character_is_reported_at_its_column_as_written(mini):
    # past the indent, the '> ' of a quotation, the '**' of a run-in and the '## ' of a subhead
    # (four characters: each character is told once per style)
    chars = [chr(0xE001 + k) for k in range(4)]
    mini.write("story.md", "  正文{}。\n\n> **编者按** 这是{}。\n\n第一行\n  **粗**第二{}行\n\n## 小{}\n".format(*chars))
    places = sorted(parse_diag(e)[1:3] for e in mini.errors())
    assert places == [mini.pos("story.md", ch) for ch in chars]


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


def test_a_missing_character_is_reported_once_with_its_other_places(mini):
    story = f"第一段有{RARE}字。\n\n第二段也有{RARE}字，\n还有{RARE}字。\n"
    mini.write("story.md", story)
    [error] = mini.errors()
    assert error.startswith(mini.at("story.md", RARE) + ": error: ")  # the first place, line and column
    second, third = mini.pos("story.md", RARE, 2)[0], mini.pos("story.md", RARE, 3)[0]
    assert f"2 more in this story (lines {second}, {third})" in error


# ---------------------------------------------------------------------------------------------
# what would stop a press, found before anything is drawn


def test_a_story_laid_out_twice(mini):
    mini.spec(MINI_SPEC + "  - story: story.md\n    frame: {columns: 1, top: 0, bottom: 10, page: 2}\n")
    line, col = mini.pos("spec.yaml", "story: story.md", 2)
    [error] = mini.errors()
    assert error.startswith(f"spec.yaml:{line}:{col + len('story: ')}: error: story 'story' is laid out twice; "
                            "give it one frame (a list of segments may span pages)")


def test_frames_that_overlap(mini):
    mini.write("b.md", "另一篇稿件。\n")
    mini.spec(MINI_SPEC.replace("frame: {columns: 1-4, top: 0, bottom: end}", "frame: {columns: 1-2, top: 0, bottom: 20}")
              + "  - story: b.md\n    frame: {columns: 2-3, top: 10, bottom: 30}\n"
              + "  - story: c.md\n    frame: {columns: 3-4, top: 0, bottom: 5}\n")
    mini.write("c.md", "第三篇。\n")
    [error] = mini.errors()  # b and c share column 3 only below line 5: no overlap
    assert error == (f"{mini.at('spec.yaml', '{columns: 2-3')}: error: frames of stories 'story' and 'b' overlap on page 1: "
                     "columns 2-2, lines 10-20")


def test_frames_on_different_pages_do_not_overlap(mini):
    mini.write("b.md", "另一篇稿件。\n")
    mini.spec(MINI_SPEC + "  - story: b.md\n    frame: {columns: 1-4, top: 0, bottom: end, page: 2}\n")
    project = load_project(Path("spec.yaml"))
    assert [j.name for j in project.jobs] == ["story", "b"] and len(project.pages) == 2


def test_columns_too_narrow_for_text(mini):
    mini.spec(MINI_SPEC.replace("columns: 4\n", "columns: 24\n"))
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "columns: 24"), "columns are 4.2 mm wide: too narrow for text")
    find(errors, mini.at("styles.yaml", "2字"), "style 'body': indent 2字 leaves no room for a character")


def test_a_leading_smaller_than_the_text(mini):
    mini.write("styles.yaml", mini.texts["styles.yaml"].replace("    leading: 1行\n", "    leading: 8pt\n", 1))
    [error] = mini.errors()
    assert error == (f"{mini.at('styles.yaml', '8pt')}: error: style 'body': leading 8.00pt is smaller than its 9pt "
                     "text: its lines would print over each other; give it at least the text size, e.g. leading: 1行 "
                     "(14pt on this page's grid)")


def test_a_default_leading_too_small_is_reported_at_the_style_with_a_value_that_fits(mini):
    """Found by a new user: a 22pt title with no leading of its own (the default, one grid line)
    was reported at the spec's first line."""
    styles = mini.texts["styles.yaml"]
    start = styles.index("\n  title:\n") + 1
    end = re.compile(r"\n  \S").search(styles, start).start()  # the next style
    title = "  title:\n    font: 标宋\n    size: 二号"
    mini.write("styles.yaml", styles[:start] + title + styles[end:])
    [error] = mini.errors()
    line = styles[:start].count("\n") + 1
    assert error == (f"styles.yaml:{line}:3: error: style 'title': leading 14.00pt (the default, 1行) is smaller than "
                     "its 22pt text: its lines would print over each other; give it at least the text size, e.g. "
                     "leading: 2行 (28pt on this page's grid)")


def test_a_headline_size_wider_than_the_headline(mini):
    mini.write("styles.yaml", mini.texts["styles.yaml"].replace("    size: 小初\n", "    size: 130pt\n", 1))
    mini.spec(MINI_SPEC.replace("columns: 1-4, top: 0", "columns: 1, top: 0"))
    [error] = mini.errors()
    assert error.startswith(f"{mini.at('styles.yaml', '130pt')}: error: style 'title': 130pt characters are wider than "
                            "the 117.0pt headline of story 'story'"), error


# ---------------------------------------------------------------------------------------------
# what the project resolves


def test_the_grid_metadata_and_files(mini):
    mini.spec(MINI_SPEC.replace("stories:", "header: {paper: 测试报}\nstories:"))
    project = load_project(Path("spec.yaml"))
    g = project.geometry
    assert (round(g.page_w, 2), round(g.page_h, 2), round(g.x0, 2), round(g.y0, 2), g.columns, g.gutter, g.pitch) == (
        595.28, 841.89, 50.17, 42.52, 4, 9.0, 14.0)  # A4, 17.7 and 15 mm margins, a 1字 gutter of the 9 pt body
    assert round(g.col_w / 9, 2) == 13.0, "columns of 13 body characters"
    assert (project.title, project.subject, project.author) == ("小样测试", "测试主题", "测试报")  # the paper by default
    assert project.files == {*((mini.root / n).resolve() for n in ("spec.yaml", "styles.yaml", "story.md")),
                             DEFAULT_PROFILE}  # the bundled output profile, which no file names
    mini.spec(MINI_SPEC.replace("stories:", "author: 编辑部\nheader: {paper: 测试报}\nstories:"))
    assert load_project(Path("spec.yaml")).author == "编辑部"
    mini.spec(MINI_SPEC)
    assert load_project(Path("spec.yaml")).author == ""


def test_the_line_pitch_defaults_to_the_body_leading(mini):
    mini.spec(MINI_SPEC.replace("  line: 14pt\n", ""))
    [error] = mini.errors()  # the body's leading is 1行: a line of a grid that has none
    assert error == f"{mini.at('spec.yaml', 'columns: 4')}: error: grid.line (the body line pitch) is required, e.g. line: 14pt"
    mini.write("styles.yaml", mini.texts["styles.yaml"].replace("    leading: 1行\n", "    leading: 15pt\n", 1))
    assert load_project(Path("spec.yaml")).geometry.pitch == 15.0


def test_each_pages_label_and_running_head(mini):
    mini.spec(MINI_SPEC.replace("stories:", "header: {paper: 测试报, date: 5月1日, section: 要闻, page: 5, editor: 张三}\n"
                                            "footer: {paper: 测试报}\n"
                                            "pages:\n  - {section: 经济}\n  - {page: A2, editor: 李四}\n  - {}\nstories:"))
    pages = load_project(Path("spec.yaml")).pages
    assert [(p.number, p.label) for p in pages] == [(1, "第5版"), (2, "A2版"), (3, "第7版")]
    assert [(p.header.section, p.header.page, p.header.editor) for p in pages] == [
        ("经济", "第5版", "张三"), ("要闻", "A2", "李四"), ("要闻", "第7版", "张三")]
    assert pages[0].header.source == Pos("spec.yaml", *mini.pos("spec.yaml", "{paper: 测试报, date"))
    assert (pages[1].footer.paper, pages[1].footer.page, pages[1].footer.section) == ("测试报", "A2", None)


def test_without_a_header_the_pages_count_from_one(mini):
    mini.write("b.md", "另一篇稿件。\n")
    mini.spec(MINI_SPEC + "  - story: b.md\n    frame: {columns: 1-4, top: 0, bottom: end, page: 3}\n")
    pages = load_project(Path("spec.yaml")).pages
    assert [(p.number, p.label, p.header) for p in pages] == [(1, "第1版", None), (2, "第2版", None), (3, "第3版", None)]


def test_a_column_of_a_fraction_of_characters_is_a_warning_with_the_margins_that_fit(mini):
    """Found by a new user: 20 mm margins on a 四开 page made columns 13.69 characters wide, and
    every line spread the 0.69 em left over (4 loose lines in 44). A column is a whole number of
    body characters (栏宽 n 字)."""
    mini.spec(MINI_SPEC.replace(MINI_MARGINS, "margins: 15mm"))
    project = load_project(Path("spec.yaml"))
    [warning] = [w for w in project.warnings if w.code == "measure"]
    assert str(warning) == (
        f"{mini.at('spec.yaml', 'columns: 4')}: warning: a column is 13.42 body characters wide (9pt): every line of "
        "Chinese text spreads the 0.42 em left over between its characters; for whole characters make the type area "
        "174.6 mm for 13 (left and right margins 17.69 mm) or 187.3 mm for 14 (left and right margins 11.34 mm)")
    mini.spec(MINI_SPEC)  # the margins it names: no warning
    assert not [w for w in load_project(Path("spec.yaml")).warnings if w.code == "measure"]
