"""A project's files as a build treats them (input/files.py): a name the system refuses to look up is
no file, and an output that is one of the project's inputs is refused before anything is written."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from broadsheet.diagnostics import InputError
from broadsheet.input.files import is_file, refuse_overwriting_inputs
from broadsheet.input.project import load_project


def test_is_file(tmp_path):
    (tmp_path / "a.md").write_text("x")
    (tmp_path / "folder").mkdir()
    (tmp_path / "link.md").symlink_to(tmp_path / "a.md")
    (tmp_path / "dangling.md").symlink_to(tmp_path / "gone.md")
    assert [is_file(tmp_path / n) for n in ("a.md", "folder", "link.md", "dangling.md", "none.md")] == [
        True, False, True, False, False]
    assert is_file(tmp_path / ("x" * 300 + ".md")) is False  # ENAMETOOLONG: no file, no OSError


def _refused(project, *outputs: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        refuse_overwriting_inputs(project, list(outputs))
    assert {d.code for d in info.value.diagnostics} == {"output"}
    return [str(d) for d in info.value.diagnostics]


def test_an_output_that_is_an_input_is_refused_naming_each(tmp_path):
    inputs = [tmp_path / "spec.yaml", tmp_path / "story.md", tmp_path / "pics" / "photo.png"]
    project = SimpleNamespace(files={p.resolve() for p in inputs})
    refuse_overwriting_inputs(project, [tmp_path / "out.pdf", tmp_path / "out.png"])  # fine: raises nothing
    assert _refused(project, tmp_path / "out.pdf", tmp_path / "story.md", tmp_path / "pics" / "photo.png") == [
        f"{tmp_path / 'story.md'}: error: this output is an input of the build; writing it would destroy it: "
        "choose another output",
        f"{tmp_path / 'pics' / 'photo.png'}: error: this output is an input of the build; writing it would destroy it: "
        "choose another output"]


def test_an_input_named_another_way_is_the_same_file(tmp_path, monkeypatch):
    (tmp_path / "layout").mkdir()
    (tmp_path / "story.md").write_text("x")
    (tmp_path / "alias.md").symlink_to(tmp_path / "story.md")
    project = SimpleNamespace(files={(tmp_path / "story.md").resolve()})
    monkeypatch.chdir(tmp_path / "layout")
    assert len(_refused(project, Path("../story.md"))) == 1
    assert len(_refused(project, tmp_path / "alias.md")) == 1  # a link to it: writing would replace it too
    assert _refused(project, Path("../story.md"))[0].startswith("../story.md: error: ")  # as the user named it


def test_every_file_of_a_loaded_project_is_protected(mini):
    from PIL import Image

    Image.new("RGB", (40, 30)).save(mini.root / "photo.jpg")
    mini.spec(mini.texts["spec.yaml"] + "    images:\n      - {file: photo.jpg, columns: 1-2, top: 20, lines: 10}\n")
    project = load_project(Path("spec.yaml"))
    for name in ("spec.yaml", "styles.yaml", "story.md", "photo.jpg"):
        assert len(_refused(project, Path(name))) == 1, name
    refuse_overwriting_inputs(project, [Path("out.pdf"), Path(os.devnull)])
