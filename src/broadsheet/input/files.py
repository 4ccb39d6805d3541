"""The files of a project as a build must treat them: text read bounded and as UTF-8 (without YAML:
a story is read this way where the cache holds its project), a path the system refuses to look up
is no file, and an output path that is one of the project's files is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from broadsheet.diagnostics import Diagnostic, InputError, Pos
from broadsheet.input.root import resolved

#: The limit on any input text file: a real spec, sheet or story is a few kilobytes. A story of
#: 1 MB (330,000 characters, a novel) takes 6 s and 170 MB to set; one of 4 MB took 33 s and 520 MB.
MAX_FILE_BYTES = 1024 * 1024


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of the character at `offset` in `text`."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def read_text(path: Path, name: str, missing: str = "file not found") -> str:
    """A UTF-8 text file's content; a missing, unreadable, too large or non-UTF-8 file is an
    InputError (at the line and column of the first byte that is not UTF-8)."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)  # bounded: a device such as /dev/zero never ends
    except FileNotFoundError:  # no line to point at: the file is not there
        raise InputError([Diagnostic(Pos(name), missing)]) from None
    except OSError as exc:
        raise InputError([Diagnostic(Pos(name), f"cannot read: {exc.strerror}")]) from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError([Diagnostic(Pos(name, 1, 1), f"file larger than the limit of {MAX_FILE_BYTES // 2 ** 20} MB "
                                     "for a spec, style sheet or story")])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[:exc.start].decode("utf-8")
        line, col = line_col(good, len(good))
        raise InputError([Diagnostic(Pos(name, line, col), f"not UTF-8 text ({exc.reason} at byte {exc.start}); "
                                     "save the file as UTF-8")]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")  # universal newlines, as text mode reads them


def is_file(path: Path) -> bool:
    """Whether `path` is a regular file; False, not an OSError, for a path the system refuses to
    look up (a name longer than it allows), which a spec can name like any other."""
    try:
        return path.is_file()
    except OSError:
        return False


def refuse_overwriting_inputs(project: Any, outputs: list[Path]) -> None:
    """Raise InputError naming each of the `outputs` a build would write that is a file of the
    project (`-o layout/page.yaml`, a proof named like a photo)."""
    inputs = {resolved(p) for p in project.files}
    clash = [out for out in outputs if resolved(out) in inputs]
    if clash:
        raise InputError([Diagnostic(Pos(str(p)), "this output is an input of the build; writing it would destroy it: "
                                     "choose another output", code="output") for p in clash])
