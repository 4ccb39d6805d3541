"""Tables (page/table.py): a Markdown pipe table as one unit a column wide, its columns as wide as
their cells, the column heads wrapping before any number does, ruled as a 三线表."""

from __future__ import annotations

import pytest

from broadsheet.page.body import body_units

from test_body import body_context

PRICES = """首段。

| 品种 | 均价（元/斤） | 涨跌 |
|:--|--:|--:|
| 大白菜 | 0.85 | −6.2% |
| 菠菜 | 3.20 | −11.5% |
| 西红柿 | 2.95 | +1.7% |

末段。
"""


def table_of(mini, story: str = PRICES):
    ctx = body_context(mini, story)
    units = body_units(ctx, set())
    [table] = [u for u in units if u.rules]
    return ctx, table


def cells(table):
    """The table's cells as (row, text, x where its ink starts, x where it ends, role), rows by baseline."""
    bases = sorted({round(base, 2) for base, *_ in table.runs})
    return [(bases.index(round(base, 2)), line.text, dx + line.glyphs[0].x, dx + line.right, role)
            for base, dx, line, role in table.runs]


def test_a_table_is_one_unit_of_whole_lines_ruled_above_below_and_under_its_head(mini):
    ctx, table = table_of(mini)
    g = ctx.geo
    assert table.lines == int(table.lines) and table.lines_at_top == table.lines
    rules = [(y, x0, x1, w) for y, x0, x1, w, _ in table.rules]
    (top, *_, w_top), (head, *_, w_head), (bottom, *_, w_bottom) = rules
    assert top < head < bottom <= table.lines * g.pitch and w_top == w_bottom > w_head  # 三线表
    assert all((x0, x1) == (0.0, g.col_w) for _, x0, x1, _ in rules)
    bases = sorted({base for base, *_ in table.runs})
    assert top < bases[0] < head < bases[-1] < bottom  # the head between the first two rules
    assert table.chars == len("品种均价（元/斤）涨跌大白菜0.85−6.2%菠菜3.20−11.5%西红柿2.95+1.7%")


def test_cells_are_aligned_as_the_delimiter_row_says_and_heads_set_in_their_style(mini):
    ctx, table = table_of(mini)
    got = cells(table)
    texts = [text for _, text, *_ in got]
    assert "−11.5%" in texts and "大白菜" in texts  # no cell below the head breaks: they fit
    left = [x0 for _, text, x0, _, _ in got if text in ("大白菜", "菠菜", "西红柿")]
    right = [x1 for _, text, _, x1, _ in got if text in ("−6.2%", "−11.5%", "+1.7%")]
    assert left == pytest.approx([0.0] * 3) and right == pytest.approx([ctx.geo.col_w] * 3, abs=0.01)
    middle = [x1 for _, text, _, x1, _ in got if text in ("0.85", "3.20", "2.95")]
    assert max(middle) - min(middle) < 0.01  # right-aligned: the points line up
    heads = {role for _, text, *_, role in got if text in ("品种", "涨跌")}
    assert heads == {"table_head"}
    faces = {r[2].glyphs[0].face.family for r in table.runs if r[3] == "table_head"}
    assert faces == {"Noto Sans CJK SC"}  # 黑体, the bold face


def test_a_table_too_wide_for_its_column_breaks_its_heads_before_its_cells_and_tells_when_numbers_break(mini):
    wide = "| 项目名称及其说明 | 上半年 | 下半年 |\n|--|--:|--:|\n| 甲项 | 1,234.5 | 2,345.6 |\n"
    ctx, table = table_of(mini, "首段。\n\n" + wide)
    got = cells(table)
    first_head = [text for _, text, x0, _, role in got if role == "table_head" and x0 < 1]
    assert len(first_head) == 2 and "".join(first_head) == "项目名称及其说明"  # on two lines
    assert {"甲项", "1,234.5", "2,345.6"} <= {text for _, text, *_ in got} and ctx.diagnostics == []
    # a third column of numbers: not even those fit, and the warning says so
    wider = wide.replace("下半年 |\n|--|--:|--:|", "下半年 | 全年 |\n|--|--:|--:|--:|")
    wider = wider.replace("2,345.6 |", "2,345.6 | 3,456.7 |")
    ctx, table = table_of(mini, "首段。\n\n" + wider)
    [warning] = ctx.diagnostics
    assert warning.code == "word-break" and warning.pos.line == 3 and "table is too wide" in warning.message


def test_a_table_of_more_columns_than_its_column_holds_is_an_error_not_overprinted_cells(mini):
    many = "| " + " | ".join("品种" for _ in range(20)) + " |\n|" + "--|" * 20 + "\n| " + " | ".join(map(str, range(20))) + " |\n"
    ctx = body_context(mini, "首段。\n\n" + many)
    units = body_units(ctx, set())
    [error] = ctx.diagnostics
    assert (error.severity, error.code, error.pos.line) == ("error", "table", 3)
    assert "has 20 columns" in error.message and "fewer columns" in error.message
    assert all(u.runs[0][3] == "body" for u in units if u.runs)  # nothing set over each other
