"""Jump lines (page/jumps.py): a line kept on each side of a page break, and （下转…）/（上接…）
set there, naming the pages by their labels; and a story continued on another page."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.input.project import load_project
from broadsheet.input.story import load_story
from broadsheet.page.flow import Flowed, Placement
from broadsheet.page.frame import ColumnSpace
from broadsheet.page.jumps import jump_lines, reserve_jumps
from broadsheet.text.punctuation import full_width_punctuation

from conftest import GRID_SPEC, filler, runs, story_context

TWO_PAGES = ("  - story: story.md\n    frame:\n      - {page: 1, columns: 1-4, top: 0, bottom: 10}\n"
             "      - {page: 2, columns: 1-4, top: 0, bottom: end}\n")


def test_a_line_is_kept_on_each_side_of_every_page_break():
    spaces = [ColumnSpace(1, 1, 0, 10, 0), ColumnSpace(1, 2, 0, 10, 0), ColumnSpace(2, 1, 0, 20, 1),
              ColumnSpace(3, 1, 5, 20, 2)]
    kept, jumps = reserve_jumps(spaces)
    assert jumps == [(1, 2), (2, 3)]
    assert [(s.page, s.col, s.top, s.bottom) for s in kept] == [(1, 1, 0, 10), (1, 2, 0, 9), (2, 1, 1, 19),
                                                                 (3, 1, 6, 20)]
    assert [s.segment for s in kept] == [0, 0, 1, 2]
    assert spaces[1].bottom == 10, "the spaces given are left as they were"
    one_page = spaces[:2]
    assert reserve_jumps(one_page) == (one_page, [])


def jump_context(mini, pages: str = "pages: [{page: A1}, {page: B1}]\n"):
    mini.spec(GRID_SPEC.replace("stories:\n", pages + "stories:\n") + TWO_PAGES)
    ctx = story_context(load_project(Path("spec.yaml")))
    spaces, jumps = reserve_jumps(ctx.free.spaces())
    return ctx, spaces, jumps


def test_the_spec_words_its_jump_lines_as_its_paper_does(mini):
    """A traditional-Chinese paper writes 下轉; another paper 转A3版: `jumps` words both lines."""
    ctx, spaces, jumps = jump_context(mini, "pages: [{page: A1}, {page: B1}]\n"
                                            "jumps: {continued_to: '（下轉{page}）', continued_from: '【接{page}】'}\n")
    [(before, after)] = jumps
    jump_lines(ctx, spaces, Flowed([Placement(0, before, 8, 1), Placement(1, after, 1, 1)]), jumps)
    assert [r.text for r in ctx.page(1).runs()] == ["（下轉B1版）"]
    assert [r.text for r in ctx.page(2).runs()] == ["【接A1版】"]


@pytest.mark.parametrize("words, why", [
    ("'（下轉）'", "names its page once, as {page}"),
    ("'（下轉{page}{page}）'", "names its page once, as {page}"),
    ("'（下轉{pages}）'", "names its page once, as {page}"),
    ("5", "expected text naming the page as {page}"),
])
def test_jump_words_must_name_the_page_once(mini, words, why):
    mini.spec(GRID_SPEC.replace("stories:\n", f"jumps: {{continued_to: {words}}}\nstories:\n") + TWO_PAGES)
    [error] = mini.errors()
    line, col = mini.pos("spec.yaml", "continued_to: ")
    assert error.startswith(f"spec.yaml:{line}:{col + len('continued_to: ')}: error: 'jumps.continued_to': ")
    assert why in error and "such as （下转{page}）" in error


def test_jump_lines_name_the_pages_by_label_where_the_text_reaches_the_break(mini):
    ctx, spaces, jumps = jump_context(mini)
    [(before, after)] = jumps
    g = ctx.geo
    jump_lines(ctx, spaces, Flowed([Placement(0, before, 8, 1), Placement(1, after, 1, 1)]), jumps)
    [down] = ctx.page(1).runs()
    [up] = ctx.page(2).runs()
    assert (down.text, up.text) == ("（下转B1版）", "（上接A1版）")
    assert (down.role, down.story, up.role) == ("jump", "story", "jump")
    a, b = spaces[before], spaces[after]
    assert (a.page, a.col, a.bottom, b.page, b.col, b.top) == (1, 4, 9, 2, 1, 1)
    # on the line kept under the last column of page 1 (set right) and over the first of page 2 (left)
    assert down.x == pytest.approx(g.col_x(4)) and g.line_y(9) < down.y < g.line_y(10)
    # its closing bracket's ink, not its blank right half, ends at the column edge
    assert down.glyphs[-1].x + down.glyphs[-1].size / 2 == pytest.approx(g.col_w, abs=0.5)
    assert up.x == pytest.approx(g.col_x(1)) and g.line_y(0) < up.y < g.line_y(1)
    assert up.glyphs[0].x == pytest.approx(0, abs=0.5 * up.glyphs[0].size)


def test_no_jump_lines_where_the_text_ends_before_the_break(mini):
    ctx, spaces, jumps = jump_context(mini, "")
    [(before, _)] = jumps
    jump_lines(ctx, spaces, Flowed([Placement(0, 0, 0, 1), Placement(1, before, 8, 1)]), jumps)
    assert ctx.page(1).runs() == [] and ctx.page(2).runs() == []
    del ctx.setter.styles.paragraph["jump"]  # a style sheet without a jump style sets none
    jump_lines(ctx, spaces, Flowed([Placement(0, before + 1, 1, 1)]), jumps)
    assert ctx.page(1).runs() == [] and ctx.page(2).runs() == []


def test_story_continues_on_another_page_with_jump_lines(mini):
    mini.write("story.md", filler("跨版稿件", 8))
    spec = GRID_SPEC.replace("styles: styles.yaml", "styles: styles.yaml\nheader: {page: 3, section: 测试}")
    mini.spec(spec + "  - story: story.md\n    frame:\n      - {page: 1, columns: 1-4, top: 0, bottom: 15}\n"
                     "      - {page: 2, columns: 1-4, top: 0, bottom: end}\n")
    result, _ = mini.build()
    assert len(result.document.pages) == 2
    jumps1 = [r.text for r in runs(result, 1, role="jump")]
    jumps2 = [r.text for r in runs(result, 2, role="jump")]
    assert jumps1 == ["（下转第4版）"]
    assert jumps2 == ["（上接第3版）"]
    # the text goes on where it stopped: page 1's last body line is followed by page 2's first
    all_body = "".join(r.text for p in (1, 2) for r in runs(result, p, role="body"))
    expected = "".join(full_width_punctuation(b.text)[0] for b in load_story(Path("story.md")).blocks)
    assert all_body.replace(" ", "") == expected.replace(" ", "")


def test_jump_lines_name_page_labels(mini):
    mini.write("story.md", filler(None, 8))
    mini.spec(GRID_SPEC.replace("stories:\n", "pages: [{page: A1}, {page: A2}]\nstories:\n") + TWO_PAGES)
    result, _ = mini.build()
    jumps = [r.text for p in result.document.pages for r in p.runs() if r.role == "jump"]
    assert jumps == ["（下转A2版）", "（上接A1版）"]
