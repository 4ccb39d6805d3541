"""The running head and foot (page/running.py): paper and date at the left, the section centred, the
page and the editors at the right, above (or under) the type area, with its rule; and an edition's
pages each with its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.diagnostics import Pos
from broadsheet.display import Page, Rule
from broadsheet.input.jobs import Running
from broadsheet.input.project import load_project
from broadsheet.page.running import running_head

from conftest import GRID_SPEC, filler, runs, story_context

RUNNING = Running("测试报", "2020年7月21日", "要闻", "第1版", "责任编辑：某某", Pos("spec.yaml", 3, 1))


def head_of(mini, running: Running, footer: bool = False) -> tuple[Page, object]:
    setter = story_context(load_project(Path("spec.yaml"))).setter
    page = Page(1, setter.geo.page_w, setter.geo.page_h)
    running_head(page, running, setter.styles.para("footer" if footer else "header"), setter, footer)
    return page, setter.geo


def test_the_running_head_sets_three_parts_over_the_type_area(mini):
    page, g = head_of(mini, RUNNING)
    left, centre, right = sorted(page.runs(), key=lambda r: r.x + r.glyphs[0].x)
    assert [left.text, centre.text, right.text] == ["测试报　2020年7月21日", "要闻", "第1版　责任编辑：某某"]
    assert {(r.y, r.role, r.story, r.source) for r in page.runs()} == {(g.y0 - 0.9 * g.pitch, "header", "", RUNNING.source)}
    assert left.glyphs[0].x == pytest.approx(0, abs=0.5)
    mid = centre.glyphs[0].x + (centre.glyphs[-1].x + centre.glyphs[-1].size - centre.glyphs[0].x) / 2
    assert mid == pytest.approx(g.width / 2, abs=0.5)
    assert right.glyphs[-1].x + right.glyphs[-1].size == pytest.approx(g.width, abs=0.5)
    [rule] = [i for i in page.items if isinstance(i, Rule)]
    assert g.y0 - g.pitch < rule.y0 == rule.y1 < g.y0 and (rule.x0, rule.x1) == pytest.approx((g.x0, g.x0 + g.width))


def test_the_running_foot_sits_under_the_type_area_and_leaves_out_what_it_lacks(mini):
    page, g = head_of(mini, Running("测试报社出版", None, None, None, None), footer=True)
    [only] = page.runs()
    assert only.text == "测试报社出版" and only.role == "footer" and only.y == pytest.approx(g.y0 + g.height + 1.3 * g.pitch)
    [rule] = [i for i in page.items if isinstance(i, Rule)]
    assert g.y0 + g.height < rule.y0 < only.y - only.glyphs[0].size


def test_edition_pages_share_the_template(mini):
    mini.write("story.md", filler(None, 10))
    spec = GRID_SPEC.replace("styles: styles.yaml", "styles: styles.yaml\nheader: {paper: 测试报, page: 7}\n"
                             "footer: {paper: 测试报社出版}\npages:\n  - {section: 要闻}\n  - {section: 专版}\n")
    mini.spec(spec + "  - story: story.md\n    frame:\n      - {page: 1, columns: 1-4}\n      - {page: 2, columns: 1-4}\n")
    result, _ = mini.build(allow_overset=True)
    headers = [[r.text for r in runs(result, p, role="header")] for p in (1, 2)]
    assert "要闻" in headers[0] and "第7版" in headers[0]
    assert "专版" in headers[1] and "第8版" in headers[1]
    assert all(runs(result, p, role="footer") for p in (1, 2))
