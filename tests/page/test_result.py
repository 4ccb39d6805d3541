"""What layout produces (page/result.py): the document and one report per story, in spec order,
with what did not fit and where the headline stands."""

from __future__ import annotations

from pathlib import Path

from broadsheet.display import Document
from broadsheet.input.project import load_project
from broadsheet.page.layout import lay_out
from broadsheet.page.result import Result, StoryReport

from conftest import GRID_SPEC, filler


def test_a_report_per_story_made_once():
    result = Result(Document([]))
    first = result.report("b")
    first.overset_chars = 3
    assert result.report("b") is first and result.report("a") is not first
    assert list(result.stories) == ["b", "a"]  # in the order asked for: the spec's
    assert first.overset and not result.report("a").overset
    assert StoryReport(overset_lines=2.0).overset is False, "lines alone are no overset: characters are"


def test_the_reports_of_a_layout(mini):
    mini.write("story.md", filler("甲稿标题", 3))
    mini.write("b.md", "---\nflag: 栏目\n---\n\n短稿。\n")
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-2, top: 2, bottom: 12}\n"
                          "  - story: b.md\n    frame: {columns: 3-4, top: 0, bottom: end}\n")
    project = load_project(Path("spec.yaml"))
    result = lay_out(project)
    assert list(result.stories) == ["story", "b"]
    a, b = result.stories["story"], result.stories["b"]
    page, c1, c2, top, bottom = a.headline
    assert (page, c1, c2, top) == (1, 1, 2, 2) and 2 < bottom < 12
    assert b.headline is None, "a flag alone is no headline"
    written = sum(len(block.text) for block in project.jobs[0].story.blocks)
    placed = sum(len(r.text) for r in result.document.pages[0].runs() if r.story == "story" and r.role == "body")
    assert a.overset and a.overset_chars == written - placed > 0
    assert a.overset_lines > 0 and a.quality.fit == -a.overset_lines  # the copyfit says as much
    assert not b.overset and b.overset_chars == 0 and b.quality.fit > 0
