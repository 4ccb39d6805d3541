"""A project's files as a build treats them (input/files.py): a name the system refuses to look up is
no file, and an output that is one of the project's inputs is refused before anything is written."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from broadsheet.diagnostics import InputError
from broadsheet.input.files import MAX_FILE_BYTES, is_file, line_col, read_text, refuse_overwriting_inputs
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


def _read_error(path, name: str = "f.yaml", **kw) -> str:
    with pytest.raises(InputError) as info:
        read_text(path, name, **kw)
    [d] = info.value.diagnostics
    return str(d)


def test_newlines_are_read_as_text_mode_reads_them(tmp_path):
    (tmp_path / "f.yaml").write_bytes(b"a: 1\r\nb: 2\rc: 3\n")
    assert read_text(tmp_path / "f.yaml", "f.yaml") == "a: 1\nb: 2\nc: 3\n"


def test_text_that_is_not_utf8_is_placed_at_its_first_bad_byte(tmp_path):
    (tmp_path / "f.yaml").write_bytes("标题: 一\n二: ".encode() + "三".encode("gbk"))
    assert _read_error(tmp_path / "f.yaml") == ("f.yaml:2:4: error: not UTF-8 text (invalid continuation byte at byte 17); "
                                               "save the file as UTF-8")


def test_missing_unreadable_and_too_large_files(tmp_path):
    assert _read_error(tmp_path / "none.yaml") == "f.yaml: error: file not found"
    assert _read_error(tmp_path / "none.yaml", missing="style sheet not found") == "f.yaml: error: style sheet not found"
    assert _read_error(tmp_path) == "f.yaml: error: cannot read: Is a directory"
    (tmp_path / "big.yaml").write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    assert _read_error(tmp_path / "big.yaml") == ("f.yaml:1:1: error: file larger than the limit of 1 MB for a spec, "
                                                  "style sheet or story")
    (tmp_path / "edge.yaml").write_bytes(b"#" * MAX_FILE_BYTES)
    assert len(read_text(tmp_path / "edge.yaml", "edge.yaml")) == MAX_FILE_BYTES  # the limit itself is read


def test_line_col():
    text = "ab\n标题x\n"
    assert [line_col(text, k) for k in (0, 2, 3, 5, 7)] == [(1, 1), (1, 3), (2, 1), (2, 3), (3, 1)]
