"""Where the loaded project comes from (input/project.py): the cache, when not one thing its loading
looked at has changed (content, a photo that arrives, the source date); the cached project with a
story read again when that story's text is all that changed; else a full read; a file
changed while it was read leaves no entry, a damaged entry is a miss, and a build the cache
answers imports neither PyYAML nor pydantic."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from broadsheet import cache
from broadsheet.fonts.faces import load_face
from broadsheet.input import project as project_module
from broadsheet.input.project import load_project
from broadsheet.stats import COUNTS

from conftest import MINI_SPEC, MINI_STORY

AN_HOUR = 3600 * 10 ** 9


def _settle(root: Path) -> None:
    """Make every file of the project an hour old, as a page's files are between edits."""
    then = time.time_ns() - AN_HOUR
    for p in root.rglob("*"):
        os.utime(p, ns=(then, then))


def _load(counted: str = "hit"):
    before = COUNTS[f"projects {counted}"]
    project = load_project(Path("spec.yaml"))
    assert COUNTS[f"projects {counted}"] == before + 1, f"expected a {counted}"
    return project


@pytest.fixture
def settled(mini):
    _settle(mini.root)
    return mini


def test_an_unchanged_project_comes_from_the_cache(settled):
    first = _load("miss")
    again = _load("hit")
    assert again is not first and again.jobs == first.jobs and again.styles == first.styles
    assert (again.geometry, again.pages, again.files, again.press, again.warnings) == (
        first.geometry, first.pages, first.files, first.press, first.warnings)
    # the faces are the font cache's own objects, not copies: layout and the PDF key by them
    face = again.chains["书宋"].faces[0]
    assert face is load_face(face.path, face.index) and face is first.chains["书宋"].faces[0]


def test_an_edit_is_seen_even_with_the_same_size_and_time(settled):
    _load("miss")
    story = settled.root / "story.md"
    stamp = story.stat().st_mtime_ns
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("第二段文字", "第三段文字"), encoding="utf-8")
    os.utime(story, ns=(stamp, stamp))  # (a copy that keeps the time; a coarse clock)
    project = _load("partial")
    assert "第三段文字" in project.jobs[0].story.blocks[-1].spans[0].text


def test_a_photo_that_arrives_is_seen(settled):
    settled.spec(MINI_SPEC.replace("    frame:", "    images: [{file: photo.png, columns: 1-2, lines: 6}]\n    frame:"))
    _settle(settled.root)
    assert [w.code for w in _load("miss").warnings] == ["image-missing"]
    assert [w.code for w in _load("hit").warnings] == ["image-missing"]
    from PIL import Image

    Image.new("RGB", (300, 200), "white").save(settled.root / "photo.png")
    _settle(settled.root)
    project = _load("miss")
    assert project.warnings == [] and project.jobs[0].photos[0].pixels == (300, 200)


def test_a_file_changed_while_it_was_read_leaves_no_entry(mini):
    """Files written just now (an editor's save during the build) may not be what was read."""
    _load("miss")
    _load("miss")


def test_a_damaged_entry_is_a_miss(settled):
    first = _load("miss")
    for entry in (cache.cache_dir() / "projects").glob("*.pickle"):
        entry.write_bytes(b"\x80\x05not a pickle")
    assert _load("miss").jobs == first.jobs
    _load("hit")


def test_the_source_date_is_part_of_what_is_kept(settled, monkeypatch):
    _load("miss")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert _load("miss").press.date.year == 2023
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert _load("hit").press.date.year == 2000


def test_a_build_the_cache_answers_imports_neither_yaml_nor_pydantic(settled):
    code = ("import sys; sys.argv = ['broadsheet', 'build', 'spec.yaml', '-o', 'out.pdf']\n"
            "from broadsheet.cli import run\n"
            "try:\n    run()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('yaml', 'pydantic') if m in sys.modules))")
    cold = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert cold.stdout.strip().endswith("['pydantic', 'yaml']"), cold.stdout + cold.stderr  # (the test can fail)
    warm = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert warm.stdout.strip().endswith("[]"), warm.stdout + warm.stderr
    assert (settled.root / "out.pdf").read_bytes().startswith(b"%PDF")


def test_a_link_pointed_elsewhere_is_seen(settled):
    """The story is a link to this week's copy: pointing it at another file changes the project
    although neither file has changed."""
    story = settled.root / "story.md"
    week1 = settled.root / "week1.md"
    story.rename(week1)
    week2 = settled.write("week2.md", week1.read_text(encoding="utf-8").replace("第二段文字", "下一周的文字"))
    story.symlink_to(week1.name)
    _settle(settled.root)
    _load("miss")
    assert "第二段文字" in _load("hit").jobs[0].story.blocks[-1].spans[0].text
    story.unlink()
    story.symlink_to(week2.name)
    _settle(settled.root)
    assert "下一周的文字" in _load("miss").jobs[0].story.blocks[-1].spans[0].text


def test_an_entry_of_another_shape_is_a_miss(settled):
    first = _load("miss")
    key = project_module._key(Path("spec.yaml"), None)
    cache.store("projects", key, ("an", "older", "shape"))
    assert _load("miss").jobs == first.jobs


def _edit(root: Path, old: str, new: str) -> None:
    story = root / "story.md"
    story.write_text(story.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    _settle(root)


def test_a_story_edit_reads_that_story_again_as_a_full_read_would(settled):
    from broadsheet.input.load import read_project

    _load("miss")
    _edit(settled.root, "第二段文字", "第二段文字已改")
    partial = _load("partial")
    full = read_project(Path("spec.yaml"))
    assert "第二段文字已改" in partial.jobs[0].story.blocks[-1].spans[0].text
    assert partial.jobs == full.jobs and partial.warnings == full.warnings and partial.files == full.files
    assert _load("hit").jobs == full.jobs  # the new text is what the cache keeps now


def test_a_story_edit_checks_the_glyphs_of_what_is_new_only(settled, monkeypatch):
    # the other blocks and the head were checked when the kept project was loaded, with the same
    # styles and fonts (measured: 17 ms for a 15-page story, against 0.3 ms for one paragraph)
    _load("miss")
    checked = []
    real = project_module.check_story_glyphs
    monkeypatch.setattr(project_module, "check_story_glyphs",
                        lambda job, *rest: checked.append(job.story) or real(job, *rest))
    _edit(settled.root, "第二段文字", "第二段文字已改")
    _load("partial")
    [story] = checked
    assert story.head == [] and [b.text for b in story.blocks] == ["第二段文字已改，内容简短。"]


def test_a_table_cell_edit_has_its_glyphs_checked(settled):
    from broadsheet.diagnostics import InputError

    _edit(settled.root, "第二段文字", "| 品种 | 价格 |\n|--|--:|\n| 白菜 | 1.20 |\n\n第二段文字")
    _load("miss")
    _edit(settled.root, "| 白菜 |", "| 白菜\ud7ff |")
    with pytest.raises(InputError, match="U\\+D7FF"):
        load_project(Path("spec.yaml"))


@pytest.mark.parametrize(("old", "new"), [
    ("title: 小样标题", "title: 小样标题\nkicker: 引题"),
    ("第二段文字", "| 品种 |\n|--|\n| 白菜 |\n\n第二段文字"),  # a table: its styles  # a head element more: its style must exist
    ("## 小标题\n", ""),  # no subhead any more
    ("第二段文字", "第二段文字\n\n@credit 图片提供"),  # a credit: its style
    ("第二段文字", "第二段文字\n\n![图片说明](photo.png)"),  # a figure: its photo
    ("第二段文字", "第二段文字\ud7ff"),  # a character no font has: the full read reports it
    ("第二段文字", "第二段文字**"),  # an unclosed strong span: an error of the story file
])
def test_a_story_edit_that_changes_more_than_its_text_is_a_full_read(settled, old, new):
    from broadsheet.diagnostics import InputError

    _load("miss")
    _edit(settled.root, old, new)
    before = COUNTS["projects miss"]
    try:
        load_project(Path("spec.yaml"))
    except InputError:
        pass
    assert COUNTS["projects miss"] == before + 1


def test_a_story_edit_with_a_style_edit_is_a_full_read(settled):
    _load("miss")
    _edit(settled.root, "第二段文字", "第二段文字已改")
    sheet = settled.root / "styles.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _settle(settled.root)
    _load("miss")


_PIECES = ["第二段文字", "，", "。", "\n", "\n\n", "## ", "**", "@sign ", "@credit ", "![说明](p.png)", "\\*", "A B",
           "---\n", "title: 新题\n", "\ud7ff", " ", "“", "1,000"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_PIECES), max_size=8), st.integers(min_value=0, max_value=200))
def test_whatever_a_story_becomes_a_partial_read_is_a_full_read(settled, pieces, at):
    """Any edit of the story: where the cache reads only the story again, the project is the one a
    full read makes (jobs, warnings, files); where it cannot, it reads everything."""
    from broadsheet.diagnostics import InputError
    from broadsheet.input.load import read_project

    story = settled.root / "story.md"
    story.write_text(MINI_STORY, encoding="utf-8")
    _settle(settled.root)
    load_project(Path("spec.yaml"))  # (kept: the files are settled)
    text = MINI_STORY[:at] + "".join(pieces) + MINI_STORY[at:]
    story.write_text(text, encoding="utf-8")
    _settle(settled.root)
    partial = COUNTS["projects partial"]
    try:
        got = load_project(Path("spec.yaml"))
    except InputError as exc:
        with pytest.raises(InputError) as full:
            read_project(Path("spec.yaml"))
        assert [str(d) for d in full.value.diagnostics] == [str(d) for d in exc.diagnostics]
        assert COUNTS["projects partial"] == partial
        return
    full = read_project(Path("spec.yaml"))
    assert (got.jobs, got.warnings, got.files) == (full.jobs, full.warnings, full.files)
