"""Diagnostics: every problem with the input is reported as ``file:line:col: severity: message``.

One position type (`Pos`) serves every diagnostic, font reference, style origin, story and display
item; a `Diagnostic` carries a `code` from a small closed set, so that `check` maps problems to its
checks by code and a reworded message can never change an exit code or a classification.

Loading stages collect diagnostics instead of raising on the first one, so that a user sees all
the problems of a spec, its style sheets and its stories in one run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Literal

Severity = Literal["error", "warning"]

#: What a diagnostic is about. `check` lists each under the check of the same name.
Code = Literal[
    "input",          # YAML syntax, unknown or missing keys, bad values, files that cannot be read
    "style",          # unknown, cyclic or missing paragraph styles
    "font",           # unknown or unreadable fonts
    "font-licence",   # a font whose licence (OS/2 fsType) forbids what the PDF does with it
    "glyph",          # a character no font of its style has; one a fallback of another weight sets
    "image",          # a picture that is unreadable or of the wrong kind
    "image-missing",  # a picture that is not there (drafts build with a marked placeholder; check fails it)
    "image-resolution",  # a picture printing below the resolution floor
    "photo",          # a photo over type or outside its story's frame
    "overlap",        # text printed over other text
    "frame",          # frames that overlap or leave the page
    "measure",        # a column that is not a whole number of body characters wide
    "overset",        # text that does not fit its frame
    "headline-clash",  # 碰题: two headlines side by side
    "run-on",         # 串文: one story's text running straight on into the next story's down a column
    "underset",       # 开天窗: columns of a frame that its story's text never reaches
    "word-break",     # a word, number or URL broken between letters: no legal break fits the measure
    "table",          # a table with more columns than its column holds
    "output",         # an output that cannot be written
]


#: Characters a terminal acts on instead of showing: C0 and C1 controls (ESC starts colour and
#: title sequences, BEL rings), DEL, and the bidirectional overrides and isolates that reorder
#: what follows them (U+202E makes 'gnp.exe' read 'exe.png'), plus the line and paragraph separators.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


#: The longest message printed in full.
MAX_MESSAGE = 1000


def printable(text: object) -> str:
    """`text` with every character a terminal would act on written as an escape (\\x1b,
    \\u202e), so that no input file can rewrite the user's terminal through a message. Every
    diagnostic's message and file name pass through here."""
    return _UNPRINTABLE.sub(lambda m: _escape(m.group()), str(text))


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@dataclass(frozen=True, order=True)
class Pos:
    """Where something came from: a file and, when known, its 1-based line and column."""

    file: str
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        file = printable(self.file)
        return file if self.line is None else f"{file}:{self.line}:{self.col or 1}"


@dataclass(frozen=True, order=True)
class Diagnostic:
    pos: Pos
    message: str
    severity: Severity = "error"
    code: Code = "input"

    def __post_init__(self) -> None:
        # messages quote user text (a story's characters, a key, a value); escape it once, here,
        # and cut what no one reads (a message quoting a megabyte-long value)
        message = printable(self.message)
        if len(message) > MAX_MESSAGE:
            message = message[:MAX_MESSAGE] + f"… ({len(message) - MAX_MESSAGE} more characters)"
        object.__setattr__(self, "message", message)

    def __str__(self) -> str:
        return f"{self.pos}: {self.severity}: {self.message}"


class InputError(Exception):
    """Raised once a stage has collected one or more error diagnostics."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


@dataclass
class Collector:
    """Gathers diagnostics across stages; `check()` raises if any is an error."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, pos: Pos, message: str, code: Code = "input") -> None:
        self.items.append(Diagnostic(pos, message, "error", code))

    def warning(self, pos: Pos, message: str, code: Code = "input") -> None:
        self.items.append(Diagnostic(pos, message, "warning", code))

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
    import difflib  # (only for a message)

    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.5)
    return f" (did you mean '{close[0]}'?)" if close else ""


def styled(d: Diagnostic) -> str:
    """A diagnostic as printed, its severity in colour (click.echo strips colours off a terminal)."""
    import click

    text = str(d)
    head, sep, tail = text.partition(f": {d.severity}: ")
    if not sep:
        return text
    colour = "red" if d.severity == "error" else "yellow"
    return f"{head}: {click.style(d.severity, fg=colour, bold=True)}: {tail}"
