"""Opening a place in the user's editor: `--editor 'code -g {file}:{line}'`.

The template is split like a shell command line first and the placeholders are filled in each
word afterwards, so a file name with spaces stays one argument and nothing is ever run through a
shell.
"""

from __future__ import annotations

import shlex
import subprocess
from dataclasses import dataclass

FIELDS = ("file", "line", "col")


@dataclass(frozen=True)
class Editor:
    template: str

    def __post_init__(self) -> None:
        words = shlex.split(self.template)
        if not words:
            raise ValueError("the editor command is empty")
        try:
            [w.format(file="", line=1, col=1) for w in words]
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"the editor command may use {{file}}, {{line}} and {{col}} only ({exc})") from None
        if not any("{file}" in w for w in words):
            raise ValueError("the editor command needs {file}, e.g. 'code -g {file}:{line}'")

    def argv(self, file: str, line: int | None = None, col: int | None = None) -> list[str]:
        return [w.format(file=file, line=line or 1, col=col or 1) for w in shlex.split(self.template)]

    def open(self, file: str, line: int | None = None, col: int | None = None) -> None:
        """Start the editor and do not wait for it (a GUI editor may stay open for hours)."""
        subprocess.Popen(self.argv(file, line, col), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
