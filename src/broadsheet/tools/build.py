"""The build driver: load and validate everything (collecting all errors), lay out, write the PDF
atomically, then the proofs; with the time each stage took and the font cache's use.

`BuildOptions` is the one declaration of what a build can be asked for: the CLI, watch mode, the
browser view and the Python API (`broadsheet.api`) all pass one."""

from __future__ import annotations

import gc
import os
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, ContextManager, Iterator

from broadsheet.beside import BESIDE_PAGES, beside as run_beside
from broadsheet.cache import Staged
from broadsheet.diagnostics import Diagnostic, InputError
from broadsheet.input.files import refuse_overwriting_inputs
from broadsheet.input.project import Project, ever_loaded, load_project
from broadsheet.output.proof import DEFAULT_OVERLAYS
from broadsheet.page.layout import lay_out, overprint_check
from broadsheet.page.result import Result
from broadsheet.stats import Stats
from broadsheet.text import words


@dataclass(frozen=True)
class BuildOptions:
    output: Path | None = None  # the PDF; default out/<spec name>.pdf
    allow_overset: bool = False  # build even if a story's text does not fit (a warning, marked on the proof)
    proof: bool = False  # also write PNG proofs next to the PDF
    dpi: float = 100  # proof resolution
    overlays: frozenset[str] = DEFAULT_OVERLAYS  # proof overlays (output.proof.OVERLAYS)
    contact: bool = True  # a contact sheet of several pages' proofs
    dump: Path | None = None  # also write the text dump of the laid-out pages
    pdfx: str | None = None  # the output standard (x1a, x4, none) instead of the spec's output.pdfx
    root: Path | None = None  # the project root (default: found from the spec, see input/root.py)
    jobs: int | None = None  # worker processes (layout, proofs); None: one per core this process may use

    @property
    def workers(self) -> int:
        if self.jobs:
            return self.jobs
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

    def pdf_for(self, spec: Path) -> Path:
        return self.output or Path("out") / f"{spec.stem}.pdf"


class OversetError(Exception):
    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(map(str, diagnostics)))


@dataclass(repr=False)
class Outcome:
    result: Result
    warnings: list[Diagnostic]
    project: Project
    output: Path
    proofs: list[Path]
    stats: Stats

    @property
    def written(self) -> list[Path]:
        return [self.output, *self.proofs]


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector. A build allocates hundreds of thousands of small objects
    (items, glyphs, runs) and keeps them to the end, so the collector's passes free nothing while
    re-scanning an ever larger heap: measured, 0.18 s of the 0.6 s layout of a 16-page build.
    Reference counting still frees everything acyclic. When the build is done its objects are
    frozen before the collector resumes: resuming would otherwise set off a collection over all of
    them (measured: 0.32 s of a 100-page edition, before its proofs), and a build leaves no cyclic
    garbage to be kept by the freezing (measured: none after a build in watch mode)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.freeze()
            gc.enable()


def overset_diagnostics(project: Project, result: Result, allow: bool) -> list[Diagnostic]:
    """One diagnostic per story that does not fit, at the spec line of its frame, with how much is over."""
    out = []
    for job in project.jobs:
        report = result.stories.get(job.name)
        if report is None or not report.overset:
            continue
        lines = report.overset_lines
        out.append(Diagnostic(
            job.source, f"story '{job.name}' is overset: {report.overset_chars} characters ({lines:.0f} body "
            f"line{'s' if round(lines) != 1 else ''}) do not fit its frame; cut the text or enlarge the frame "
            f"(copyfit {report.quality.fit:+.0f} lines)", "warning" if allow else "error", "overset"))
    return out


def build(spec_path: Path, output: Path, allow_overset: bool = False,
          stats: Stats | None = None, pdfx: str | None = None, workers: int = 1, root: Path | None = None,
          also_writes: tuple[Path, ...] = (), staged: Staged | None = None) -> tuple[Result, list[Diagnostic]]:
    """Build the PDF; returns the layout result and the warnings. Raises InputError (invalid input,
    or an `output` or one of the files the caller writes after it, `also_writes`, that is an input
    of the build) or OversetError (text does not fit, unless allowed) without touching `output`.
    `stats`, if given, receives the time of each stage, the cache use and the loaded project;
    `pdfx` (x1a, x4, none) overrides the spec's output.pdfx; `workers` is how many processes may
    lay out the stories (the PDF is the same); `root` is the project root (default: found from the
    spec). With `staged`, the PDF is staged there for the caller to commit with its proofs."""
    from broadsheet.output.pdf import render

    stats = stats or Stats()
    with stats.observe(), _no_cyclic_gc():
        try:
            with stats.stage("load"):
                if not ever_loaded(spec_path, root):
                    words.start_helper()  # its headlines will need the segmenter: it loads while the spec is read
                project = stats.project = load_project(spec_path, root)
                refuse_overwriting_inputs(project, [output, *also_writes])
                press = replace(project.press, standard=pdfx) if pdfx else project.press
            beside = workers > 1 and len(project.pages) >= BESIDE_PAGES
            with stats.stage("layout"):
                result = lay_out(project, workers, overprint=not beside)
        finally:
            words.stop_helper()
        # the overprint check beside the PDF's drawing; either's error stops the build before
        # anything is written, as an error of layout does
        overprint = run_beside(overprint_check, project, result.document) if beside else lambda: []
        try:
            over = overset_diagnostics(project, result, allow_overset)
            if not any(d.severity == "error" for d in result.diagnostics) and (allow_overset or not over):
                with stats.stage("pdf"):
                    data = render(result.document, press)
        finally:
            result.diagnostics += overprint()
        stopping = [d for d in result.diagnostics if d.severity == "error"]
        if stopping:
            raise InputError(stopping)  # what would stop a press: nothing is written
        if over and not allow_overset:
            raise OversetError(over)
        warnings = list(project.warnings) + result.diagnostics + over
        with stats.stage("write"):
            if staged is not None:
                staged.write(output, data)
            else:
                _write_now(output, data)
    return result, warnings


def _write_now(path: Path, data: bytes) -> None:
    """Write one output atomically, as `Staged` does (an OSError names that output)."""
    staged = Staged()
    try:
        staged.write(path, data)
        staged.commit()
    finally:
        staged.discard()


def run_build(spec: Path, options: BuildOptions,
              progress: Callable[[int], ContextManager[Any]] | None = None,
              built: Callable[[list], Any] | None = None) -> Outcome:
    """Build the PDF (and the proofs, and the dump) as `options` ask; raises what `build` raises
    (InputError, OversetError) without touching the outputs. `progress(pages)`, if given, makes a
    progress bar (a context manager with an `update(n)` method, such as click.progressbar) for the
    proofs; `built(warnings)` is called once the PDF is written, before the proofs (so that warnings
    print before a bar)."""
    from broadsheet.display import dump
    from broadsheet.output.proof import contact_path, proof_paths, render_proofs

    output = options.pdf_for(spec)
    stats = Stats()
    t0 = time.perf_counter()
    staged = Staged()  # the PDF and its proofs are replaced together (the PDF a moment sooner), or not at all
    try:
        result, warnings = build(spec, output, options.allow_overset, stats, options.pdfx, options.workers,
                                 options.root, (options.dump,) if options.dump else (), staged)
        if built is not None:
            built(warnings)
        proofs: list[Path] = []
        if options.proof:
            pages = len(result.document.pages)
            stem = output.with_suffix("")
            refuse_overwriting_inputs(stats.project, [*proof_paths(stem, pages), contact_path(stem)])
            staged.put_first(output)  # the PDF first (watch shows it sooner); a failed proof puts the old one back
            with stats.stage("proofs"), (progress(pages) if progress else nullcontext()) as bar:
                proofs = render_proofs(staged.read(output), result.document, stem, options.dpi, options.overlays,
                                       options.contact, progress=bar.update if bar is not None else None,
                                       jobs=options.workers, staged=staged)
        staged.commit()
    finally:
        staged.discard()
    if options.dump is not None:
        _write_now(options.dump, dump(result.document).encode("utf-8"))
    stats.timings["total"] = time.perf_counter() - t0
    return Outcome(result, warnings, stats.project, output, proofs, stats)
