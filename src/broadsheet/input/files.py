"""The files of a project as a build must treat them: a path the system refuses to look up is no
file, and an output path that is one of the project's files is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from broadsheet.diagnostics import Diagnostic, InputError, Pos
from broadsheet.input.root import resolved


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
