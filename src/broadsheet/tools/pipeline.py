"""One build as the command line and watch mode run it: `build.build` (validate, lay out, write the
PDF), then the proofs; with the time each stage took, the font cache's use, and the loaded project
(watch mode needs its files)."""

from __future__ import annotations

import time
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, ContextManager, Iterable

from broadsheet.output.proof import DEFAULT_OVERLAYS
from broadsheet.stats import Stats


@dataclass(repr=False)
class Outcome:
    result: Any  # layout.Result
    warnings: list
    project: Any  # build.Project
    output: Path
    proofs: list[Path]
    stats: Stats

    @property
    def written(self) -> list[Path]:
        return [self.output, *self.proofs]


def styled(d: Any) -> str:
    """A diagnostic as printed, its severity in colour (click.echo strips colours off a terminal)."""
    import click

    text = str(d)
    head, sep, tail = text.partition(f": {d.severity}: ")
    if not sep:
        return text
    colour = "red" if d.severity == "error" else "yellow"
    return f"{head}: {click.style(d.severity, fg=colour, bold=True)}: {tail}"


def run_build(spec: Path, output: Path, allow_overset: bool = False, proof: bool = False, dpi: float = 100,
              overlays: Iterable[str] = DEFAULT_OVERLAYS, contact: bool = True,
              progress: Callable[[int], ContextManager[Any]] | None = None,
              built: Callable[[list], Any] | None = None, root: Path | None = None,
              also_writes: tuple[Path, ...] = ()) -> Outcome:
    """Build the PDF (and the proofs); raises what build.build raises (InputError, OversetError)
    without touching the outputs. `progress(pages)`, if given, makes a progress bar (a context
    manager with an `update(n)` method, such as click.progressbar) for the proofs; `built(warnings)`
    is called once the PDF is made, before the proofs (so that warnings print before a bar); the PDF
    and the proofs are then replaced together, or (when any cannot be written) none of them.
    `root` is the project root (default: found from the spec); `also_writes`, files the caller
    writes after the build (a dump), are refused with the PDF if they are inputs."""
    from broadsheet.cache import Staged
    from broadsheet.tools.build import build
    from broadsheet.input.files import refuse_overwriting_inputs
    from broadsheet.output.proof import contact_path, proof_paths, render_proofs

    stats = Stats()
    t0 = time.perf_counter()
    staged = Staged()  # the PDF and its proofs are replaced together, or not at all
    try:
        result, warnings = build(spec, output, allow_overset, stats, root, also_writes, staged)
        if built is not None:
            built(warnings)
        proofs: list[Path] = []
        if proof:
            pages = len(result.document.pages)
            stem = output.with_suffix("")
            refuse_overwriting_inputs(stats.project, [*proof_paths(stem, pages), contact_path(stem)])
            with stats.stage("proofs"), (progress(pages) if progress else nullcontext()) as bar:
                proofs = render_proofs(staged.read(output), result.document, stem, dpi, overlays,
                                       contact, progress=bar.update if bar is not None else None, write=staged.write)
        staged.commit()
    finally:
        staged.discard()
    stats.timings["total"] = time.perf_counter() - t0
    return Outcome(result, warnings, stats.project, output, proofs, stats)
