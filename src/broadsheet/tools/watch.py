"""Watch mode (`broadsheet watch`): rebuild the PDF and the proofs whenever the spec, a style sheet,
a story or an image changes, with one status line per rebuild.

What is watched comes from the loaded project: the spec, its style sheets, its story files, their
placed images and font files named by path. When the input does not load (a broken edit), the
files known from the last good load stay watched, together with whatever the spec names that can
still be read from it, so that fixing the edit rebuilds. A failed rebuild prints its errors and
leaves the last good PDF and proofs in place (both are written only after a successful build).

Speed: fonts are the expensive part of a build. Their metrics, the font index and the subsets are
cached on disk (cache.py), so even a fresh process parses and subsets nothing it has seen before;
a watch process also keeps every loaded face in memory (fonts.load_face memoises them), so a
rebuild after a one-line style change only re-reads the YAML and the stories, lays out and writes.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import click

from broadsheet.tools.build import BuildOptions

Echo = Callable[..., None]  # click.echo's signature: echo(message, err=False)


def spec_files(spec: Path) -> set[Path]:
    """Best effort for a spec that does not load: the spec and the files its YAML still names."""
    from broadsheet.diagnostics import InputError
    from broadsheet.input.references import references
    from broadsheet.input.yamlsrc import load_yaml

    spec = spec.resolve()
    try:
        data = load_yaml(spec).data
    except InputError:
        return {spec}
    return {spec} | references(data, spec.parent).files()


@dataclass
class Watcher:
    """Builds on demand and remembers what to watch and what the last good build said."""

    spec: Path
    options: BuildOptions
    quiet: bool = False
    verbose: bool = False
    echo: Echo = click.echo
    files: set[Path] = field(default_factory=set)
    ok: bool = False  # the last build succeeded
    good: bool = False  # some build succeeded: its output is there
    builds: int = 0
    last_warnings: list[str] | None = None
    last_seconds: float = 0.0
    stamps: dict[Path, int | None] = field(default_factory=dict)  # the files' mtimes as last built
    outcome: Any = None  # the last good build's tools.build.Outcome (serve shows it)
    errors: list = field(default_factory=list)  # the last build's error diagnostics (empty when it succeeded)
    built: Callable[["Watcher"], None] | None = None  # called after every build, good or failed (serve pushes it)

    def stale(self) -> list[Path]:
        """Watched files changed since they were last built from (edits that no notification
        reported: made while the watcher was being set up)."""
        return [p for p in sorted(self.files) if _mtime(p) != self.stamps.get(p, _mtime(p))]

    def build(self, changed: Iterable[Path] = ()) -> bool:
        """One rebuild with its status line; True if it succeeded (the outputs were replaced)."""
        self.builds += 1
        self.stamps = {p: _mtime(p) for p in self.files}  # before reading them: a later edit is stale
        try:
            return self._build(changed)
        finally:
            for p in self.files:
                self.stamps.setdefault(p, _mtime(p))
            if self.built is not None:
                self.built(self)

    def _build(self, changed: Iterable[Path]) -> bool:
        from broadsheet.diagnostics import Diagnostic, InputError, Pos, styled
        from broadsheet.tools import build

        stamp = time.strftime("%H:%M:%S")
        why = _changed_text(changed)
        t0 = time.perf_counter()
        try:
            outcome = build.run_build(self.spec, self.options)
        except (InputError, build.OversetError) as exc:
            self.last_seconds = time.perf_counter() - t0
            self.ok = False
            self.last_warnings = None
            self.errors = list(exc.diagnostics)
            self.files |= spec_files(self.spec)
            for d in exc.diagnostics:
                self.echo(styled(d), err=True)
            n = sum(1 for d in exc.diagnostics if d.severity == "error")
            what = "text does not fit" if isinstance(exc, build.OversetError) else f"{n} error{'s' if n != 1 else ''}"
            kept = "kept the last good output" if self.good else "nothing written"
            self.echo(f"{stamp} {click.style('failed', fg='red', bold=True)}{why}: {what}; {kept}", err=True)
            return False
        except OSError as exc:
            self.last_seconds = time.perf_counter() - t0
            self.ok = False
            self.errors = [Diagnostic(Pos(str(self.output)), f"cannot write {self.output} ({exc.strerror or exc})",
                                      code="output")]
            self.echo(f"{stamp} {click.style('failed', fg='red', bold=True)}{why}: cannot write "
                      f"{exc.filename or self.options.pdf_for(self.spec)} ({exc.strerror or exc})", err=True)
            return False
        except Exception as exc:  # a bug in a stage must not end a designer's session
            self.last_seconds = time.perf_counter() - t0
            self.ok = False
            self.errors = [Diagnostic(Pos(str(self.spec)), f"internal error {type(exc).__name__}: {exc} (please report it)")]
            self.echo(f"{stamp} {click.style('failed', fg='red', bold=True)}{why}: internal error "
                      f"{type(exc).__name__}: {exc} (please report it); still watching", err=True)
            return False
        self.last_seconds = time.perf_counter() - t0
        self.ok = self.good = True
        self.outcome, self.errors = outcome, []
        self.files = set(outcome.project.files)
        texts = [str(w) for w in outcome.warnings]
        if texts != self.last_warnings and not self.quiet:
            for w in outcome.warnings:
                self.echo(styled(w), err=True)
        self.last_warnings = texts
        if not self.quiet:
            n = len(texts)
            pages = len(outcome.result.document.pages)
            self.echo(f"{stamp} {click.style('rebuilt', fg='green')}{why}: {', '.join(map(str, outcome.written))} "
                      f"({pages} page{'s' if pages != 1 else ''}, {n} warning{'s' if n != 1 else ''}, "
                      f"{self.last_seconds:.2f} s)")
            if self.verbose:
                for line in outcome.stats.lines():
                    self.echo("  " + line, err=True)
        return True


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def _changed_text(changed: Iterable[Path]) -> str:
    names = sorted({_short(p) for p in changed})
    if not names:
        return ""
    return f" ({', '.join(names[:3])}{' …' if len(names) > 3 else ''} changed)"


def _short(p: Path) -> str:
    try:
        return str(Path(p).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(p)


#: After a change, how long no further change must come before the rebuild starts (an editor that
#: saves by writing a temporary file and renaming it makes two changes within a millisecond or two):
#: a fifth of the half second a save may take to reach the browser (`serve`).
SETTLE_MS = 20

def watch(spec: Path, options: BuildOptions, *, quiet: bool = False, verbose: bool = False,
          echo: Echo = click.echo, stop_event: threading.Event | None = None, max_rebuilds: int | None = None,
          step_ms: int = SETTLE_MS, built: Callable[[Watcher], None] | None = None) -> Watcher:
    """Build, then rebuild on every change of the project's files until Ctrl-C, `stop_event` is set,
    or `max_rebuilds` rebuilds after the first build (the last two are for tests and scripts);
    `built(watcher)` is called after each build. Returns the watcher (its `builds`, `ok`, `files`)."""
    import watchfiles

    w = Watcher(spec, options, quiet, verbose, echo, built=built)
    w.files = spec_files(spec)
    w.build()
    if not quiet:
        n = len(w.files)
        echo(f"watching {n} file{'s' if n != 1 else ''} (Ctrl-C to stop)", err=True)
    rebuilds = 0
    stop = stop_event or threading.Event()
    while not stop.is_set():
        files = set(w.files)
        wanted = {str(p) for p in files}
        folders = sorted({str(p.parent) for p in files if p.parent.is_dir()})
        if not folders:
            return w

        def relevant(change: Any, path: str) -> bool:
            return os.path.abspath(path) in wanted

        for changes in watchfiles.watch(*folders, watch_filter=relevant, stop_event=stop, recursive=False,
                                        debounce=1600, step=step_ms, rust_timeout=300, yield_on_timeout=True,
                                        raise_interrupt=True):
            if stop.is_set():
                return w
            paths = [Path(p) for _, p in changes] if changes else w.stale()
            if not paths:
                continue
            w.build(paths)
            rebuilds += 1
            if max_rebuilds is not None and rebuilds >= max_rebuilds:
                return w
            if w.files != files:
                break  # watch the new set of files (a story or a style sheet was added or removed)
        else:
            return w  # stopped (Ctrl-C raises KeyboardInterrupt to the caller)
    return w
