"""Diagnostics: every problem with the input is reported as ``file:line:col: message``.

Loading stages collect diagnostics instead of raising on the first one, so that a user sees all
the problems of a spec, its style sheets and its stories in one run.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str
    line: int | None
    col: int | None
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.col or 1}"
        return f"{where}: {self.severity}: {self.message}"


class InputError(Exception):
    """Raised once a stage has collected one or more error diagnostics."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


@dataclass
class Collector:
    """Gathers diagnostics across stages; `check()` raises if any is an error."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, file: str, line: int | None, col: int | None, message: str) -> None:
        self.items.append(Diagnostic(file, line, col, message, "error"))

    def warning(self, file: str, line: int | None, col: int | None, message: str) -> None:
        self.items.append(Diagnostic(file, line, col, message, "warning"))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def check(self) -> None:
        if self.errors:
            raise InputError(self.errors)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean …?)' suffix naming the closest choice, or '' if none is close."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.5)
    return f" (did you mean '{close[0]}'?)" if close else ""
