"""Command line: `broadsheet build` and `broadsheet proof`.

Exit codes: 0 success, 1 the text does not fit (overset), 2 invalid input (spec, style sheet, story,
font, image). Problems are printed as `file:line:col: severity: message`, never as a traceback.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from .diagnostics import InputError

EXIT_OVERSET = 1
EXIT_INPUT = 2


def _default_output(spec: Path) -> Path:
    return Path("out") / f"{spec.stem}.pdf"


def _report(diags, quiet: bool = False) -> None:
    for d in diags:
        if d.severity == "error" or not quiet:
            click.echo(str(d), err=True)


def _quality_table(result) -> str:
    rows = [("story", "lines", "loose", "compressed ends", "孤字", "kinsoku exceptions", "full-width marks", "copyfit")]
    for name, q in result.quality.items():
        fit = f"{q.fit:+.0f} lines" + (" to spare" if q.fit > 0 else (" over" if q.fit < 0 else ""))
        rows.append((name, str(q.lines), str(q.loose), str(q.compressed), str(q.orphans), str(q.kinsoku), str(q.full_width), fit))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows)


def _run(spec: Path, output: Path | None, allow_overset: bool, proof: bool, dpi: float, quiet: bool,
         report: bool = False) -> None:
    from .build import OversetError, build
    from .pdf import render
    from .proof import render_proofs

    out = output or _default_output(spec)
    t0 = time.perf_counter()
    try:
        result, warnings = build(spec, out, allow_overset)
    except InputError as exc:
        _report(exc.diagnostics)
        n = len(exc.diagnostics)
        click.echo(f"{spec}: {n} error{'s' if n != 1 else ''}; nothing written", err=True)
        sys.exit(EXIT_INPUT)
    except OSError as exc:  # the output cannot be written: a bad -o, a read-only folder
        click.echo(f"{out}: error: cannot write the PDF ({exc.strerror or exc}); choose another --output", err=True)
        sys.exit(EXIT_INPUT)
    except OversetError as exc:
        _report(exc.diagnostics)
        click.echo(f"{spec}: text does not fit; nothing written (use --allow-overset to build anyway)", err=True)
        sys.exit(EXIT_OVERSET)
    _report(warnings, quiet)
    if report:
        click.echo(_quality_table(result))
    written = [out]
    if proof:
        written += render_proofs(out.read_bytes(), result.document, out.with_suffix(""), dpi)
    if not quiet:
        pages = len(result.document.pages)
        click.echo(f"wrote {', '.join(map(str, written))} ({pages} page{'s' if pages != 1 else ''}, "
                   f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}, {time.perf_counter() - t0:.2f} s)")


SPEC = click.argument("spec", type=click.Path(path_type=Path, dir_okay=False))
OUTPUT = click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
                      help="PDF to write (default: out/SPEC-NAME.pdf).")
ALLOW = click.option("--allow-overset", is_flag=True, help="Build even if text does not fit (a warning; the proof marks the spot).")
DPI = click.option("--dpi", type=click.FloatRange(10, 1200), default=100, show_default=True, help="Proof resolution.")
QUIET = click.option("-q", "--quiet", is_flag=True, help="Print errors only.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="broadsheet")
def main() -> None:
    """Typeset Chinese newspaper pages from a YAML layout spec into print-ready PDF."""


@main.command()
@SPEC
@OUTPUT
@ALLOW
@click.option("--proof", is_flag=True, help="Also write PNG proofs next to the PDF.")
@click.option("--report", is_flag=True, help="Print the composition quality report: per story lines, loose lines, "
              "compressed line ends, 孤字, kinsoku exceptions.")
@DPI
@QUIET
def build(spec: Path, output: Path | None, allow_overset: bool, proof: bool, report: bool, dpi: float, quiet: bool) -> None:
    """Build the PDF of SPEC.

    Example: broadsheet build layout/dangjian.yaml -o out/dangjian.pdf --report
    """
    _run(spec, output, allow_overset, proof, dpi, quiet, report)


@main.command()
@SPEC
@OUTPUT
@ALLOW
@DPI
@QUIET
def proof(spec: Path, output: Path | None, allow_overset: bool, dpi: float, quiet: bool) -> None:
    """Build SPEC and write PNG proofs of its pages next to the PDF (out/NAME.png).

    Example: broadsheet proof layout/dangjian.yaml --dpi 150
    """
    _run(spec, output, allow_overset, True, dpi, quiet)
