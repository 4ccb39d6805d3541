"""The headline block (page/headline.py): flag, kicker, title, deck and byline set in that order
across the headline columns, centred in whole body lines; a flag's colour block."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.display import Box
from broadsheet.input.project import load_project
from broadsheet.page.headline import set_headline

from conftest import GRID_SPEC, LONG, filler, runs, story_context

HEAD = "---\nbyline: 本报记者 王某\ndeck: 副题文字\ntitle: 主标题\nkicker: 引题文字\n---\n\n正文。\n"


def headline_context(mini, story: str = HEAD, headline: str = ""):
    mini.write("story.md", story)
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-4, top: 3, bottom: end}\n" + headline)
    return story_context(load_project(Path("spec.yaml")))


def test_the_head_is_set_in_its_order_within_the_lines_it_takes(mini):
    ctx = headline_context(mini)
    g = ctx.geo
    used = set_headline(ctx, 1, 3)
    lines = sorted(ctx.page(1).runs(), key=lambda r: r.y)
    assert [r.role for r in lines] == ["kicker", "title", "deck", "byline"], "written the other way round"
    assert [r.text for r in lines] == ["引题文字", "主标题", "副题文字", "本报记者 王某"]
    assert used >= 4 and all(r.source.file == "story.md" for r in lines)
    title = lines[1]
    assert title.source.line == 4  # where the writer wrote it
    # the block lies in the whole lines it takes from line 3, with less than a line to spare
    top, bottom = g.line_y(3), g.line_y(3 + used)
    first_top = lines[0].y - lines[0].glyphs[0].size
    assert top < first_top < top + g.pitch and bottom - g.pitch < lines[-1].y < bottom
    # one more line of head takes more lines
    ctx2 = headline_context(mini, HEAD.replace("title: 主标题", "title: |\n  主标题\n  第二行"))
    assert set_headline(ctx2, 1, 3) > used


def test_the_headline_alignment_is_the_storys_and_the_flags_its_styles(mini):
    story = "---\nflag: 栏目\ntitle: 主标题\n---\n\n正文。\n"
    offsets = {}
    for align in ("center", "left"):
        ctx = headline_context(mini, story, f"    headline: {{columns: 1-4, align: {align}}}\n")
        set_headline(ctx, 1, 3)
        offsets[align] = {r.role: r.glyphs[0].x for r in ctx.page(1).runs()}
    g = ctx.geo
    assert offsets["left"]["title"] == pytest.approx(0, abs=1)
    assert offsets["center"]["title"] > g.span_w(1, 4) / 3  # the title centred across the four columns
    assert offsets["left"]["flag"] == offsets["center"]["flag"], "the flag follows its own style"


def test_a_story_without_a_head_takes_no_lines(mini):
    ctx = headline_context(mini, "只有正文。\n")
    assert set_headline(ctx, 1, 3) == 0
    assert ctx.page(1).items == []


def test_headline_takes_whole_body_lines(mini):
    mini.write("story.md", filler("标题占整行", 2))
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-4, top: 3, bottom: end}\n")
    result, _ = mini.build()
    geo = result.document.geometry
    page, c1, c2, top, bottom = result.stories["story"].headline
    assert (c1, c2, top) == (1, 4, 3) and bottom > top
    # the first body line sits on the grid line right under the headline block
    first = min(runs(result, role="body"), key=lambda r: r.y)
    line_top = geo.line_y(bottom)
    assert line_top < first.y < line_top + geo.pitch
    # and every body line of every column is on the shared grid
    base = (first.y - geo.y0) % geo.pitch
    for r in runs(result, role="body"):
        assert (r.y - geo.y0) % geo.pitch == pytest.approx(base, abs=0.01)


def test_flag_reversed_out_of_a_colour_block(mini):
    mini.write("story.md", "---\nflag: ■ 信息直通车 ZHITONGCHE\n---\n\n" + LONG + "\n")
    styles = mini.texts["styles.yaml"].replace("  brief_flag:                # reversed out of a red block",
                                               "  brief_flag:", 1)
    mini.write("styles.yaml", styles)
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-2, top: 0, bottom: end}\n"
                          "    styles: {flag: brief_flag}\n")
    result, _ = mini.build()
    items = result.document.pages[0].items
    flag = runs(result, role="flag")[0]
    block = [b for b in items if isinstance(b, Box) and b.fill == (0, 100, 100, 0)]
    assert len(block) == 1 and items.index(block[0]) < items.index(flag)  # the block under the text
    b = block[0]
    assert b.y < flag.y < b.y + b.h and b.x <= flag.x + flag.glyphs[0].x
    assert all(g.color == (0, 0, 0, 0) for g in flag.glyphs)  # white type
