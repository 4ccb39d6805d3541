"""The context a story is laid out in (page/context.py): its styles by role, its pages, the grid."""

from __future__ import annotations

from pathlib import Path

from broadsheet.input.project import load_project

from conftest import GRID_SPEC, story_context


def test_a_storys_context_gives_its_own_styles_pages_and_grid(mini):
    mini.write("b.md", "---\ntitle: 乙稿\n---\n\n正文。\n")
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame:\n      - {page: 1, columns: 1-2}\n"
                          "      - {page: 2, columns: 1-2}\n"
                          "  - story: b.md\n    frame: {page: 2, columns: 3-4}\n"
                          "    styles: {title: second_title, flag: brief_flag}\n")
    project = load_project(Path("spec.yaml"))
    a, b = story_context(project, "story"), story_context(project, "b")
    assert a.style("title").name == "title" and b.style("title").name == "second_title"
    assert b.style("flag").name == "brief_flag" and b.style("body").name == "body"
    assert b.style("title") is project.styles.para("second_title")
    assert [a.page(n).number for n in (1, 2)] == [1, 2] and a.page(2) is a.doc.pages[1]
    assert a.geo is project.geometry and a.geo.columns == 4
    assert [name for name, _ in a.others] == ["b"] and [name for name, _ in b.others] == ["story", "story"]
