"""The story's body (page/body.py): paragraphs as units of one line each, subheads as blocks of
whole lines kept with what follows, figures as captions unless they are under a photo, a signature
at the end of its paragraph; and the units drawn where the flow put them, with what did not fit."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.display import Marker
from broadsheet.input.project import load_project
from broadsheet.page.body import body_units, place_units
from broadsheet.page.flow import flow
from broadsheet.page.frame import ColumnSpace

from conftest import GRID_SPEC, LONG, MINI_STORY, filler, runs, story_context


def body_context(mini, story: str = MINI_STORY):
    mini.write("story.md", story)
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1, top: 0, bottom: end}\n")
    return story_context(load_project(Path("spec.yaml")))


def test_paragraphs_are_units_of_a_line_and_a_subhead_a_block_kept_with_the_next(mini):
    ctx = body_context(mini)
    g = ctx.geo
    units = body_units(ctx, set())
    roles = [u.runs[0][3] for u in units]
    assert roles == ["body", "body", "subhead", "body"]
    first, second, subhead, last = units
    for u in (first, second, last):
        assert (u.lines, u.lines_at_top, u.keep_with_next, len(u.runs)) == (1, 1, 0, 1)
    assert first.chars + second.chars == len("这是一段测试文字，用来检验排版是否正确。")  # every character once
    assert "".join(u.runs[0][2].text for u in (first, second)) == "这是一段测试文字，用来检验排版是否正确。"
    # the subhead with its half lines of space before and after: two whole lines, kept with two lines
    assert (subhead.lines, subhead.keep_with_next, subhead.chars) == (2, 2, 3)
    assert g.pitch / 2 < subhead.runs[0][0] < 1.5 * g.pitch  # its baseline about the middle of its block
    assert [u.source.line for u in units] == [5, 5, 7, 9] and {u.source.file for u in units} == {"story.md"}
    assert ctx.report.quality.lines == 3, "the quality report counts body lines"


def test_a_figure_under_its_photo_is_left_out_and_any_other_is_a_caption_in_the_text(mini):
    ctx = body_context(mini, MINI_STORY + "\n![图片说明。](p.jpg)\n")
    alone = body_units(ctx, set())
    assert [(u.runs[0][3], u.runs[0][2].text) for u in alone][-1] == ("caption", "图片说明。")
    under_photo = body_units(ctx, {"图片说明。"})
    assert len(under_photo) == len(alone) - 1 and all(u.runs[0][3] != "caption" for u in under_photo)


def test_a_word_wider_than_the_column_is_a_warning_at_its_line(mini):
    ctx = body_context(mini, "首段。\n\n末段。" + "1234567890" * 5 + "文字\n")
    units = body_units(ctx, set())
    [warning] = ctx.diagnostics
    assert warning.code == "word-break" and warning.severity == "warning" and (warning.pos.line, warning.pos.col) == (3, 19)  # at the 6 after 末段。12345…5
    assert "(2 such breaks;" in warning.message and "'末段。123456789012345'" in warning.message
    assert "".join(u.runs[0][2].text for u in units[1:]) == "末段。" + "1234567890" * 5 + "文字"


def test_loose_lines_are_flagged_for_the_proof(mini):
    ctx = body_context(mini, "首段。\n\n一二三四五六七八九12345678901234567890文字。" + "正文文字。" * 10 + "\n")
    flags = [u.flag for u in body_units(ctx, set())]
    assert "loose" in flags and flags.count("loose") == ctx.report.quality.loose
    assert flags[-1] != "loose", "a paragraph's last line is not justified"


def test_units_are_drawn_where_the_flow_put_them_and_the_rest_is_overset(mini):
    ctx = body_context(mini)
    g = ctx.geo
    units = body_units(ctx, set())
    spaces = [ColumnSpace(1, 2, 4, 7, 0)]  # three lines: two body lines, then no room for the subhead
    flowed = flow(units, spaces)
    filled = place_units(ctx, units, spaces, flowed)
    assert filled == {(1, 2): [(4, 6)]}
    lines = ctx.page(1).runs()
    assert [r.text for r in lines] == ["这是一段测试文字，用来", "检验排版是否正确。"]
    assert [r.x for r in lines] == [g.col_x(2)] * 2
    assert [r.y for r in lines] == pytest.approx([g.line_y(4) + units[0].runs[0][0], g.line_y(5) + units[1].runs[0][0]])
    assert (ctx.report.overset_chars, ctx.report.overset_lines, ctx.report.overset) == (3 + 11, 3, True)
    [marker] = [m for m in ctx.page(1).items if isinstance(m, Marker)]
    assert marker.kind == "overset" and marker.note == "story: 14 characters overset"
    assert (marker.x, marker.y, marker.h) == pytest.approx((g.col_x(2), g.line_y(5), g.pitch))  # on its last line


def test_all_placed_is_no_overset(mini):
    ctx = body_context(mini)
    units = body_units(ctx, set())
    spaces = [ColumnSpace(1, 1, 0, 20, 0)]
    filled = place_units(ctx, units, spaces, flow(units, spaces))
    assert filled == {(1, 1): [(0, 5)]} and not ctx.report.overset and ctx.report.overset_lines == 0
    assert not [m for m in ctx.page(1).items if isinstance(m, Marker) and m.kind == "overset"]


def test_grid_alignment_is_a_story_option(mini):
    # a subhead whose own height is not whole lines: on the grid the text after it returns to the
    # grid; with grid: false it follows the subhead directly, off the grid
    extra = "\n## 小标题\n\n" + "后续段落" + LONG + "\n"
    mini.write("story.md", filler(None, 1, extra))
    styles = mini.texts["styles.yaml"].replace("    space_before: 0.5行\n    space_after: 0.5行\n",
                                               "    space_before: 0.3行\n    space_after: 0.3行\n", 1)
    mini.write("styles.yaml", styles)
    spec = GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-4, top: 0, bottom: end}\n"
    for grid, on_grid in (("true", True), ("false", False)):
        mini.spec(spec + f"    grid: {grid}\n")
        result, _ = mini.build()
        geo = result.document.geometry
        body = runs(result, role="body")
        base = (body[0].y - geo.y0) % geo.pitch
        offsets = {round((r.y - geo.y0 - base) % geo.pitch, 2) % round(geo.pitch, 2) for r in body}
        assert (offsets == {0.0}) is on_grid, offsets


@pytest.mark.parametrize("align,same_line", [("justify", True), ("right", False)])
def test_a_sign_follows_any_paragraph_without_overprinting(mini, align, same_line):
    mini.write("story.md", "短短一句话。\n@sign 某组宣\n")
    mini.write("styles.yaml", mini.texts["styles.yaml"].replace("    indent: 2字\n    align: justify\n",
                                                                f"    indent: 2字\n    align: {align}\n", 1))
    result, _ = mini.build()  # text over text would be an error
    runs = [r for r in result.document.pages[0].runs() if r.story == "story"]
    assert [r.text for r in runs] == (["短短一句话。某组宣"] if same_line else ["短短一句话。", "某组宣"])
    geo = result.document.geometry
    last = runs[-1]
    assert last.x + last.glyphs[-1].x + last.glyphs[-1].size == pytest.approx(geo.col_x(1) + geo.col_w, abs=0.5)


def test_a_hard_break_ends_a_line_unspread_and_only_the_first_is_indented(mini):
    ctx = body_context(mini, "首段。\n\n床前明月光，\\\n疑是地上霜。\\\n" + "举头望明月，低头思故乡。" * 2 + "\n")
    lines = [u.runs[0][2] for u in body_units(ctx, set())][1:]
    text = "床前明月光，\n疑是地上霜。\n" + "举头望明月，低头思故乡。" * 2
    assert [ln.text for ln in lines[:2]] == ["床前明月光，", "疑是地上霜。"]
    assert "".join(ln.text for ln in lines[2:]) == "举头望明月，低头思故乡。" * 2
    indent = ctx.style("body").indent.pt(em=ctx.style("body").size)
    assert [ln.glyphs[0].x for ln in lines[:3]] == pytest.approx([indent, 0, 0])
    assert lines[0].last and lines[0].spacing == 0 and lines[1].last  # a line before a break is not spread
    # the lines' offsets are those of the paragraph's text, for their source lines
    assert [text[ln.start:ln.end].replace("\n", "") for ln in lines] == [ln.text for ln in lines]
    assert [u.source.line for u in body_units(ctx, set())[1:4]] == [3, 4, 5]


def test_a_quotation_is_running_text_in_its_own_style(mini):
    ctx = body_context(mini, "首段。\n\n> **编者按** " + "这是一段编者按语，" * 8 + "\n\n正文。\n")
    units = body_units(ctx, set())
    quote = [u for u in units if u.runs[0][3] == "quote"]
    assert len(quote) > 2 and all(u.lines == 1 for u in quote)  # a line a unit: it breaks across columns
    assert {r[2].glyphs[-1].face.family for u in quote for r in u.runs} == {"LXGW WenKai"}
    assert ctx.report.quality.lines == 1 + len(quote) + 1  # its lines are counted with the body's


def test_a_story_with_a_quotation_needs_a_quote_style(mini):
    mini.write("styles.yaml", mini.root.joinpath("styles.yaml").read_text(encoding="utf-8").replace("  quote:", "  unused_quote:"))
    mini.write("story.md", "> 引文。\n")
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1, top: 0, bottom: end}\n")
    [message] = [e for e in mini.errors() if "'quote'" in e]
    assert "define no 'quote' paragraph style" in message and "styles: {quote: STYLE}" in message
