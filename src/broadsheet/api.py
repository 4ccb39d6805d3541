"""The Python API, for scripts that automate editions: the same stages, options and diagnostics as
the command line.

    from pathlib import Path
    from broadsheet import api

    outcome = api.build(Path("layout/dangjian.yaml"), api.BuildOptions(output=Path("out/p5.pdf"), proof=True))
    for d in outcome.warnings:
        print(d)                        # layout/dangjian.yaml:36:9: warning: ...
    report = api.check(Path("layout/dangjian.yaml"))
    print(report.exit_code, report.summary())

Every function raises `InputError` (invalid input: `.diagnostics`, each with `pos`, `code`,
`severity`, `message`) or, for `build` and `proof`, `OversetError` (text does not fit, unless
`allow_overset`); outputs are written atomically and left untouched by a failed build.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from broadsheet.diagnostics import Diagnostic, InputError, Pos
from broadsheet.input.project import Project, load_project
from broadsheet.page.result import Result
from broadsheet.tools.build import BuildOptions, Outcome, OversetError, run_build
from broadsheet.tools.check import Report

__all__ = ["BuildOptions", "Diagnostic", "InputError", "Outcome", "OversetError", "Pos", "Project", "Report",
           "Result", "build", "check", "dump", "lay_out", "load", "proof"]


def load(spec: Path) -> Project:
    """Load and validate a spec with its style sheets, stories, fonts and images."""
    return load_project(Path(spec))


def lay_out(project: Project) -> Result:
    """Lay out a loaded project: the display list (`result.document`) and a report per story."""
    from broadsheet.page.layout import lay_out as run

    return run(project)


def dump(result: Result) -> str:
    """The laid-out pages as text, one line per display item (as `build --dump` writes it)."""
    from broadsheet.display import dump as text

    return text(result.document)


def build(spec: Path, options: BuildOptions = BuildOptions()) -> Outcome:
    """Build the PDF (and the proofs and dump the options ask for)."""
    return run_build(Path(spec), options)


def proof(spec: Path, options: BuildOptions = BuildOptions()) -> Outcome:
    """Build the PDF and its PNG proofs."""
    return run_build(Path(spec), replace(options, proof=True))


def check(spec: Path, min_ppi: float | None = None, cmyk: bool = False) -> Report:
    """Preflight: the report `broadsheet check` prints (`items`, `exit_code`, `to_json()`)."""
    from broadsheet.tools.check import MIN_PPI, preflight

    return preflight(Path(spec), MIN_PPI if min_ppi is None else min_ppi, cmyk)
