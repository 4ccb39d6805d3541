"""Page furniture (page/furniture.py): the rules of the running head and foot, a story's box, its
edge rules and its column rules (栏线), as display-list items."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.display import Box, GlyphRun, Page, Rule
from broadsheet.input.jobs import Segment
from broadsheet.input.project import load_project
from broadsheet.page.furniture import BLACK, box, column_rules, edge_rules, footer_rule, frame_bounds, header_rule, \
    story_furniture
from broadsheet.page.grid import Geometry

from conftest import GRID_SPEC, filler, story_context

GEO = Geometry(page_w=120, page_h=140, x0=10, y0=20, width=100, height=95, columns=4, gutter=4, pitch=10)


def rules(page: Page) -> list[tuple[float, ...]]:
    """(x0, y0, x1, y1, weight) of each rule, to a hundredth of a point."""
    return [rounded(r.x0, r.y0, r.x1, r.y1, r.width) for r in page.items if isinstance(r, Rule)]


def rounded(*values: float) -> tuple[float, ...]:
    return tuple(round(v, 2) for v in values)


def test_running_head_and_foot_rules_span_the_type_area_in_the_margins():
    page = Page(1, 120, 140)
    header_rule(page, GEO)
    footer_rule(page, GEO)
    assert rules(page) == [(10, 15.5, 110, 15.5, 0.75), (10, 119.5, 110, 119.5, 0.5)]
    assert all(r.color == BLACK for r in page.items)


def test_frame_bounds_per_page():
    segments = [Segment(1, 1, 3, 0, 4), Segment(1, 1, 2, 4, 9), Segment(2, 4, 4, 2, 3)]
    assert frame_bounds(GEO, segments, 1) == pytest.approx((10, 20, 10 + 3 * 22 + 2 * 4, 110))
    assert frame_bounds(GEO, segments, 2) == pytest.approx((88, 40, 110, 50))
    assert frame_bounds(GEO, segments, 3) is None


def test_a_box_goes_under_what_the_page_holds_and_edge_rules_sit_in_the_gutters():
    page = Page(1, 120, 140, [Rule(0, 0, 1, 1, 1, BLACK)])
    box(page, (36, 30, 84, 80), 2, 1.0, BLACK, (0, 0, 10, 0))
    first = page.items[0]
    assert isinstance(first, Box) and (first.x, first.y, first.w, first.h) == pytest.approx((34, 28, 52, 54))
    assert (first.stroke, first.fill, first.width) == (BLACK, (0, 0, 10, 0), 1.0)
    page = Page(1, 120, 140)
    edge_rules(page, GEO, (36, 30, 84, 80), ["left", "right", "top", "bottom"], 0.5, BLACK)
    assert rules(page) == [(34, 30, 34, 80, 0.5), (86, 30, 86, 80, 0.5), (36, 30, 84, 30, 0.5), (36, 80, 84, 80, 0.5)]


def test_column_rules_run_only_beside_text_in_both_columns():
    filled = {(1, 1): [(0, 4), (6, 9)], (1, 2): [(2, 9)], (1, 3): [(0, 2)], (2, 1): [(0, 9)], (2, 2): [(0, 9)]}
    page = Page(1, 120, 140)
    column_rules(page, GEO, filled, 1, [1, 2, 3], 0.5, BLACK)
    x = 10 + 22 + 2  # in the middle of the gutter after column 1
    # lines 2-4 and 6-9 (a photo over column 1 between); nothing beside column 3, whose lines end
    # where column 2's begin; nothing from page 2; nothing after column 3 (column 4 holds no text)
    assert rules(page) == [(x, 40, x, 60, 0.5), (x, 80, x, 110, 0.5)]


def test_a_storys_furniture_on_every_page_it_is_on(mini):
    mini.write("story.md", filler(None, 1))
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame:\n      - {page: 1, columns: 1-2, top: 0, bottom: 10}\n"
                          "      - {page: 2, columns: 2-4, top: 5, bottom: 20}\n"
                          "    box: {weight: 1pt, inset: 3pt}\n    rules: [top]\n    column_rules: true\n")
    ctx = story_context(load_project(Path("spec.yaml")))
    g = ctx.geo
    ctx.page(1).items.append(GlyphRun(0, 0, ()))  # text already on the page: the box goes under it
    filled = {(1, 1): [(0, 10)], (1, 2): [(0, 10)], (2, 2): [(5, 20)], (2, 3): [(5, 20)], (2, 4): [(5, 12)]}
    story_furniture(ctx, filled)
    one, two = ctx.page(1).items, ctx.page(2).items
    assert isinstance(one[0], Box) and isinstance(one[1], GlyphRun)
    assert (one[0].x, one[0].y, one[0].width) == pytest.approx((g.col_x(1) - 3, g.line_y(0) - 3, 1))
    assert isinstance(two[0], Box) and two[0].x == pytest.approx(g.col_x(2) - 3)
    gutter = lambda c: g.col_x(c) + g.col_w + g.gutter / 2  # noqa: E731
    assert rules(ctx.page(1)) == [
        rounded(g.col_x(1), g.line_y(0), g.col_x(2) + g.col_w, g.line_y(0), 0.5),  # the top edge
        rounded(gutter(1), g.line_y(0), gutter(1), g.line_y(10), 0.5)]
    top, between, beside = rules(ctx.page(2))
    assert top[1] == top[3] == round(g.line_y(5), 2)
    assert between == rounded(gutter(2), g.line_y(5), gutter(2), g.line_y(20), 0.5)
    assert beside == rounded(gutter(3), g.line_y(5), gutter(3), g.line_y(12), 0.5), "beside the short last column only"


def test_box_rules_and_column_rules(mini):
    mini.write("story.md", filler("框线", 40))
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-3, top: 2, bottom: 40}\n"
                          "    box: {weight: 1pt, inset: 0.5字, tint: [0, 0, 10, 0]}\n"
                          "    rules: [right]\n    column_rules: true\n")
    result, _ = mini.build(allow_overset=True)
    geo = result.document.geometry
    items = result.document.pages[0].items
    boxes = [b for b in items if isinstance(b, Box) and b.stroke]
    assert len(boxes) == 1
    b = boxes[0]
    assert b.fill == (0, 0, 10, 0) and b.width == 1
    assert b.x == pytest.approx(geo.col_x(1) - 4.5) and b.y == pytest.approx(geo.line_y(2) - 4.5)
    assert items.index(b) < min(items.index(r) for r in items if isinstance(r, GlyphRun) and r.story)  # tint under the text
    verticals = [r for r in items if isinstance(r, Rule) and r.x0 == r.x1]
    xs = sorted({round(r.x0, 2) for r in verticals})
    gutter_mid = [round(geo.col_x(c) + geo.col_w + geo.gutter / 2, 2) for c in (1, 2, 3)]
    assert xs == gutter_mid  # two column rules and the rule on the right edge
    # the frame is full: the column rules run its whole height; a short last column has its rule
    # only beside its text
    rules = {round(r.x0, 2): (r.y0, r.y1) for r in verticals}
    below_headline = result.stories["story"].headline.bottom
    assert rules[gutter_mid[0]] == pytest.approx((geo.line_y(below_headline), geo.line_y(40)), abs=0.01)
    mini.write("story.md", filler("框线", 5))
    result, _ = mini.build()
    page = result.document.pages[0]
    col2 = [r.y for r in page.runs() if r.story == "story" and geo.col_x(2) - 1 < r.x < geo.col_x(3) - 1]
    assert col2 and not [r for r in page.runs() if r.story == "story" and r.x > geo.col_x(3) - 1]
    rules = {round(r.x0, 2): (r.y0, r.y1) for r in page.items if isinstance(r, Rule) and r.x0 == r.x1}
    assert gutter_mid[1] not in rules  # column 3 holds no text
    assert max(col2) < rules[gutter_mid[0]][1] <= max(col2) + geo.pitch < geo.line_y(40)
