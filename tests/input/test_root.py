"""The project root (input/root.py): the nearest folder at or above the spec holding a project
marker, else the spec's folder; and the rule that every file a build reads lies inside it (or in
a folder allowed besides, such as the font folders), symlinks resolved."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from broadsheet.input.root import find_root, outside, resolved


def test_the_root_is_the_nearest_marked_folder_and_root_overrides_it(tmp_path, monkeypatch):
    (tmp_path / "paper" / "layout").mkdir(parents=True)
    spec = tmp_path / "paper" / "layout" / "page.yaml"
    assert find_root(spec) == spec.parent.resolve()  # no marker: the spec's folder
    (tmp_path / "paper" / ".broadsheet").write_text("")
    assert find_root(spec) == (tmp_path / "paper").resolve()
    (tmp_path / "paper" / "layout" / ".git").mkdir()
    assert find_root(spec) == spec.parent.resolve()  # the nearest wins


def test_a_relative_spec_finds_its_root_from_the_working_directory(tmp_path, monkeypatch):
    (tmp_path / "layout").mkdir()
    (tmp_path / ".git").write_text("gitdir: elsewhere\n")  # a worktree's .git is a file: a marker too
    monkeypatch.chdir(tmp_path / "layout")
    assert find_root(Path("page.yaml")) == tmp_path.resolve()


def test_files_inside_the_root_may_be_read(tmp_path):
    root = tmp_path / "project"
    (root / "stories").mkdir(parents=True)
    assert outside(root / "stories" / "a.md", root) is None
    assert outside(root / "stories" / "missing.md", root) is None  # (not there: found later as missing)
    assert outside(root, root) is None
    assert outside(root / "stories" / ".." / "b.md", root) is None


@pytest.mark.parametrize("name", ["../elsewhere/a.md", "/etc/passwd", "stories/../../elsewhere/a.md"])
def test_files_outside_the_root_may_not(tmp_path, name):
    root = tmp_path / "project"
    (root / "stories").mkdir(parents=True)
    why = outside(root / name, root)
    assert why is not None and why.endswith(f"is outside the project root {root.resolve()} (set another with --root)")
    assert why.startswith(str(resolved(root / name)))  # the place it really is


def test_a_folder_named_like_the_root_is_not_inside_it(tmp_path):
    (tmp_path / "project").mkdir()
    assert outside(tmp_path / "project-old" / "a.md", tmp_path / "project") is not None


def test_a_symlink_is_where_it_points(tmp_path):
    root, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    root.mkdir(), elsewhere.mkdir()
    (elsewhere / "secret.md").write_text("x")
    (root / "inside.md").write_text("x")
    (root / "out.md").symlink_to(elsewhere / "secret.md")
    (root / "in.md").symlink_to(root / "inside.md")
    (root / "photos").symlink_to(elsewhere)
    assert outside(root / "out.md", root) is not None
    assert outside(root / "photos" / "secret.md", root) is not None
    assert outside(root / "in.md", root) is None


def test_allowed_folders_besides_the_root(tmp_path):
    root, fonts = tmp_path / "project", tmp_path / "fonts"
    root.mkdir(), fonts.mkdir()
    assert outside(fonts / "kai.ttf", root, (fonts,)) is None
    assert outside(tmp_path / "other" / "kai.ttf", root, (fonts,)) is not None


def test_a_path_the_system_refuses_to_look_up_is_only_made_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert resolved(Path("sto\0ry.md")) == Path(os.path.abspath("sto\0ry.md"))
    assert outside(Path("sto\0ry.md"), tmp_path) is None  # inside: opening it then fails as 'not found'
    long = Path("x" * 300) / "a.md"
    assert resolved(long) == tmp_path.resolve() / long
