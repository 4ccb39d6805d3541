"""Opening a place in the user's editor (tools/serve/editor.py): the command line built from the
--editor template, word by word and never through a shell, and the editor started without waiting."""

from __future__ import annotations

import shlex
import sys
import time

import pytest

from broadsheet.tools.serve.editor import Editor


def test_editor_template():
    editor = Editor("code -g {file}:{line}:{col}")
    assert editor.argv("my story.md", 12, 3) == ["code", "-g", "my story.md:12:3"], "one argument, no shell"
    assert Editor("vim +{line} {file}").argv("a.md", None) == ["vim", "+1", "a.md"]
    for bad in ("", "code -g {path}", "code -g", "code {file} {0}"):
        with pytest.raises(ValueError):
            Editor(bad)


def test_quoted_words_and_file_names_that_look_like_shell():
    editor = Editor("'/opt/my editor/bin/ed' --goto '{file}' +{line}:{col}")
    assert editor.argv("a; rm -rf ~.md", 7, 2) == ["/opt/my editor/bin/ed", "--goto", "a; rm -rf ~.md", "+7:2"]
    assert editor.argv("$(id).md") == ["/opt/my editor/bin/ed", "--goto", "$(id).md", "+1:1"]
    with pytest.raises(ValueError, match=r"needs \{file\}"):
        Editor("ed +{line}")
    with pytest.raises(ValueError, match="is empty"):
        Editor("   ")


def test_the_editor_starts_and_is_not_waited_for(tmp_path):
    note = tmp_path / "opened.txt"
    # an editor that takes its time, then writes down what it was asked to open
    script = "import sys, time; time.sleep(1); open(sys.argv[1], 'w').write(sys.argv[2])"
    editor = Editor(f"{shlex.quote(sys.executable)} -c {shlex.quote(script)} {shlex.quote(str(note))} {{file}}:{{line}}")
    t0 = time.monotonic()
    editor.open("my story.md", 4)
    assert time.monotonic() - t0 < 0.9 and not note.exists(), "open returns while the editor runs"
    deadline = time.monotonic() + 15
    while not (note.exists() and note.read_text(encoding="utf-8")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert note.read_text(encoding="utf-8") == "my story.md:4"
