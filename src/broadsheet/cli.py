"""Command line: build, proof, watch, serve, check, styles, fonts, schema.

Exit codes: 0 success, 1 the text does not fit (overset) or preflight found an error, 2 invalid
input (spec, style sheet, story, font, image, an unwritable output), 3 an internal error (a bug in
broadsheet, not in the input). Problems are printed as `file:line:col: severity: message`, never as
a traceback. Colours and progress bars appear only on a terminal.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import time
from pathlib import Path

import click

from broadsheet.diagnostics import InputError, printable

EXIT_OVERSET = 1
EXIT_PREFLIGHT = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3
#: Set (to anything) to print the traceback of an internal error, for a bug report.
TRACEBACK_ENV = "BROADSHEET_TRACEBACK"


def _report(diags, quiet: bool = False) -> None:
    from broadsheet.diagnostics import styled

    for d in diags:
        if d.severity == "error" or not quiet:
            click.echo(styled(d), err=True)


def _quality_table(result) -> str:
    rows = [("story", "lines", "loose", "looseness p95/max", "compressed ends", "孤字", "kinsoku exceptions",
             "punctuation set Chinese", "copyfit")]
    for name, story in result.stories.items():
        q = story.quality
        fit = f"{q.fit:+.0f} lines" + (" to spare" if q.fit > 0 else (" over" if q.fit < 0 else ""))
        kinds = " ".join(f"{kind}×{n}" for kind, n in sorted(q.conversions.items()))
        marks = f"{q.full_width} ({kinds})" if kinds else str(q.full_width)
        p95, worst = q.loose_p95_max()
        rows.append((name, str(q.lines), str(q.loose), f"{p95:.3f}/{worst:.3f} em", str(q.compressed), str(q.orphans),
                     str(q.kinsoku), marks, fit))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) for r in rows)


def _progress(length: int):
    """A progress bar on stderr when it is a terminal and there is more than one page; else nothing."""
    from contextlib import nullcontext

    if length > 1 and sys.stderr.isatty():
        return click.progressbar(length=length, label="proofs", file=sys.stderr)
    return nullcontext()


def _run(spec: Path, options, quiet: bool, report: bool = False, verbose: bool = False) -> None:
    from broadsheet.tools.build import OversetError, run_build

    t0 = time.perf_counter()
    try:
        outcome = run_build(spec, options, progress=None if quiet else _progress,
                            built=lambda warnings: _report(warnings, quiet))
    except InputError as exc:
        _report(exc.diagnostics)
        n = len(exc.diagnostics)
        click.echo(f"{spec}: {n} error{'s' if n != 1 else ''}; nothing written", err=True)
        sys.exit(EXIT_INPUT)
    except OSError as exc:  # an output cannot be written: a bad -o or --dump, a read-only folder, a proof path that is a folder
        where = printable(str(exc.filename or options.pdf_for(spec)))
        click.echo(f"{where}: error: cannot write it ({exc.strerror or exc}); nothing was replaced; choose another "
                   "output", err=True)
        sys.exit(EXIT_INPUT)
    except OversetError as exc:
        _report(exc.diagnostics)
        click.echo(f"{spec}: text does not fit; nothing written (use --allow-overset to build anyway)", err=True)
        sys.exit(EXIT_OVERSET)
    warnings = outcome.warnings
    if report:
        click.echo(_quality_table(outcome.result))
    if not quiet:
        pages = len(outcome.result.document.pages)
        click.echo(f"wrote {', '.join(map(str, outcome.written))} ({pages} page{'s' if pages != 1 else ''}, "
                   f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}, {time.perf_counter() - t0:.2f} s)")
    if verbose:
        for line in outcome.stats.lines():
            click.echo(line, err=True)


def _options(**kwargs):
    from broadsheet.tools.build import BuildOptions

    return BuildOptions(**kwargs)


def _overlays(ctx, param, values):
    from broadsheet.output.proof import parse_overlays

    try:
        return parse_overlays(values)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


SPEC = click.argument("spec", type=click.Path(path_type=Path, dir_okay=False))
OUTPUT = click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
                      help="PDF to write (default: out/SPEC-NAME.pdf).")
ALLOW = click.option("--allow-overset", is_flag=True, help="Build even if text does not fit (a warning; the proof marks the spot).")
DPI = click.option("--dpi", type=click.FloatRange(10, 1200), default=100, show_default=True, help="Proof resolution.")
QUIET = click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
VERBOSE = click.option("-v", "--verbose", is_flag=True, help="Print the time of each stage and the font cache's hits.")
OVERLAY = click.option(
    "--overlay", "overlays", multiple=True, callback=_overlays, metavar="NAMES",
    help="Proof overlays, comma-separated or repeated: grid (columns, margins), baselines, frames (with story "
         "names), slots (image slots), overset (on by default), quality (loose lines, 孤字); 'all' or 'none'.")
PDFX = click.option("--pdfx", type=click.Choice(["x1a", "x4", "none"]),
                    help="The output standard, overriding the spec's output.pdfx: x1a (PDF/X-1a:2001), x4 (PDF/X-4) "
                         "or none (plain PDF).")
JOBS = click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None,
                    help="Worker processes for the layout of an edition's stories and for the proofs (default: all cores).")
ROOT = click.option("--root", type=click.Path(path_type=Path, file_okay=False, exists=True),
                    help="The project root: every file the spec reads must lie inside it (default: the nearest "
                         "folder above the spec holding a .broadsheet file or a .git repository, else the spec's folder).")
CONTACT = click.option("--contact/--no-contact", default=True, show_default=True,
                       help="For several pages, also write a contact sheet (out/NAME-contact.png).")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="broadsheet")
def main() -> None:
    """Typeset Chinese newspaper pages from a YAML layout spec into print-ready PDF.

    Exit codes: 0 ok; 1 overset text or a preflight error; 2 invalid input; 3 internal error.
    """


def run() -> None:
    """The console script. An exception no stage turned into a diagnostic is a bug of ours: it is
    reported in one line with its own exit code, so that a script can tell it from overset text
    or invalid input. When the command is done, the heap is frozen: the interpreter's final
    collection then skips the build's hundreds of thousands of objects instead of scanning them
    only to free them anyway (measured: 45 ms of a 16-page build). A termination signal (`kill`,
    a supervisor stopping `watch`) ends the command as Ctrl-C does, through its clean-ups: a PDF
    already in place before its proofs is put back, and no temporary file stays."""
    signal.signal(signal.SIGTERM, _terminated)
    try:
        main()
    except Exception as exc:  # noqa: BLE001 - the last resort: everything expected is handled inside
        click.echo(internal_error(exc), err=True)
        if os.environ.get(TRACEBACK_ENV):
            import traceback

            traceback.print_exception(exc)
        sys.exit(EXIT_INTERNAL)
    finally:
        gc.freeze()


def _terminated(signum: int, frame) -> None:
    raise SystemExit(128 + signum)  # the shell's code for a command ended by that signal


def internal_error(exc: BaseException) -> str:
    """The one line an unexpected exception prints: what and where, and what to do."""
    import traceback  # (only for a bug: 10 ms of every start)

    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return (f"broadsheet: internal error ({type(exc).__name__}{where}: {printable(exc)[:200]}); this is a bug in "
            f"broadsheet, not in your files: please report it with the command and its input files (set "
            f"{TRACEBACK_ENV}=1 for the traceback)")


@main.command()
@SPEC
@OUTPUT
@ALLOW
@click.option("--proof", is_flag=True, help="Also write PNG proofs next to the PDF.")
@click.option("--report", is_flag=True, help="Print the composition quality report: per story lines, loose lines, "
              "compressed line ends, 孤字, kinsoku exceptions.")
@click.option("--dump", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write the laid-out pages as text, one line per display item (page, kind, x, y, story, "
                   "role, face, size, text): a readable diff of any layout change.")
@DPI
@OVERLAY
@CONTACT
@PDFX
@JOBS
@ROOT
@QUIET
@VERBOSE
def build(spec: Path, output: Path | None, allow_overset: bool, proof: bool, report: bool, dump: Path | None, dpi: float,
          overlays, contact: bool, pdfx: str | None, jobs: int | None, root: Path | None, quiet: bool, verbose: bool) -> None:
    """Build the PDF of SPEC.

    \b
    Example: broadsheet build layout/dangjian.yaml -o out/dangjian.pdf --report
    Example: broadsheet build layout/dangjian.yaml --pdfx x4
    """
    _run(spec, _options(output=output, allow_overset=allow_overset, proof=proof, dpi=dpi, overlays=overlays,
                        contact=contact, dump=dump, pdfx=pdfx, jobs=jobs, root=root), quiet, report, verbose)


@main.command()
@SPEC
@OUTPUT
@ALLOW
@DPI
@OVERLAY
@CONTACT
@PDFX
@JOBS
@ROOT
@QUIET
@VERBOSE
def proof(spec: Path, output: Path | None, allow_overset: bool, dpi: float, overlays, contact: bool, pdfx: str | None,
          jobs: int | None, root: Path | None,
          quiet: bool, verbose: bool) -> None:
    """Build SPEC and write PNG proofs of its pages next to the PDF (out/NAME.png, or NAME-1.png,
    NAME-2.png … and a contact sheet NAME-contact.png for several pages). Overlays are drawn on the
    PNGs only; the PDF is the same with or without them.

    \b
    Example: broadsheet proof layout/dangjian.yaml --dpi 150 --overlay grid,frames
    """
    _run(spec, _options(output=output, allow_overset=allow_overset, proof=True, dpi=dpi, overlays=overlays,
                        contact=contact, pdfx=pdfx, jobs=jobs, root=root), quiet, verbose=verbose)


@main.command()
@SPEC
@OUTPUT
@ALLOW
@click.option("--proof/--no-proof", default=True, show_default=True, help="Rebuild the PNG proofs too.")
@DPI
@OVERLAY
@PDFX
@JOBS
@ROOT
@QUIET
@VERBOSE
def watch(spec: Path, output: Path | None, allow_overset: bool, proof: bool, dpi: float, overlays, pdfx: str | None,
          jobs: int | None, root: Path | None, quiet: bool, verbose: bool) -> None:
    """Build SPEC, then rebuild the PDF and the proofs whenever the spec, a style sheet, a story or an
    image changes, printing one status line per rebuild. A failed rebuild prints its errors and
    keeps the last good output. Stop with Ctrl-C.

    \b
    Example: broadsheet watch layout/dangjian.yaml --overlay frames
    """
    from broadsheet.tools.watch import watch as run_watch

    try:
        run_watch(spec, _options(output=output, allow_overset=allow_overset, proof=proof, dpi=dpi, overlays=overlays,
                                 pdfx=pdfx, jobs=jobs, root=root),
                  quiet=quiet, verbose=verbose)
    except KeyboardInterrupt:
        pass
    if not quiet:
        click.echo("stopped watching", err=True)


def _editor(ctx, param, value):
    from broadsheet.tools.serve.editor import Editor

    try:
        return Editor(value) if value else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


@main.command()
@SPEC
@OUTPUT
@ALLOW
@DPI
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but a loopback address shows the pages to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port to listen on (0: a free one).")
@click.option("--editor", callback=_editor, metavar="COMMAND",
              help="Editor command for the page's 'open' buttons, with {file}, {line} and {col}, "
                   "e.g. 'code -g {file}:{line}:{col}'.")
@PDFX
@JOBS
@ROOT
@QUIET
def serve(spec: Path, output: Path | None, allow_overset: bool, dpi: float, host: str, port: int, editor,
          pdfx: str | None, jobs: int | None, root: Path | None, quiet: bool) -> None:
    """Serve a live proof of SPEC in the browser: every page, zoomable, with a contact sheet, rebuilt
    on every save of the spec, a style sheet, a story or an image. Hover a story to see its frame;
    click it for the spec line of its frame, its story file and the line's place in the story;
    problems and the quality report are listed and shown in place. Stop with Ctrl-C.

    \b
    Example: broadsheet serve layout/dangjian.yaml --editor 'code -g {file}:{line}'
    """
    from broadsheet.tools.serve.server import serve as run_server

    try:
        run_server(spec, _options(output=output, allow_overset=allow_overset, dpi=dpi, pdfx=pdfx, jobs=jobs, root=root),
                   host=host, port=port, editor=editor, quiet=quiet)
    except KeyboardInterrupt:
        pass
    except OSError as exc:  # the address is taken or cannot be had
        click.echo(f"error: cannot listen on {host}:{port} ({exc.strerror or exc})", err=True)
        sys.exit(EXIT_INPUT)
    click.echo("stopped serving", err=True)


@main.command()
@SPEC
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to this file instead of the terminal.")
@click.option("--json", "as_json", is_flag=True, help="The report as JSON (for scripts and CI).")
@click.option("--min-ppi", type=click.FloatRange(1, 10000), default=None,
              help="Minimum effective resolution of placed images (pixels per printed inch; default 170, newsprint's usual floor).")
@click.option("--cmyk", is_flag=True, help="Require CMYK (or grayscale) images: RGB images are errors.")
@click.option("--pdf", "pdf", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Also verify this PDF, built from SPEC, against the spec's PDF/X standard by reading it back.")
@PDFX
@ROOT
@QUIET
@VERBOSE
def check(spec: Path, output: Path | None, as_json: bool, min_ppi: float, cmyk: bool, pdf: Path | None, pdfx: str | None,
          root: Path | None, quiet: bool, verbose: bool) -> None:
    """Preflight SPEC: overset, missing glyphs and other invalid input, fonts whose licence forbids
    embedding, low-resolution and RGB images, rules thinner than 0.25 pt, anything outside the type
    area or off the page, 碰题, loose lines and 孤字. Writes nothing but the report.

    With --pdf, the built file too: its PDF/X identification, OutputIntent and profile, page boxes,
    colour spaces, transparency, fonts, overprinting black, ink coverage, image resolution and
    missing photos.

    Exit codes: 0 no error (warnings and notes allowed), 1 an error, 2 invalid input.

    \b
    Example: broadsheet check layout/dangjian.yaml --min-ppi 200 --cmyk
    Example: broadsheet check layout/dangjian.yaml --pdf out/dangjian.pdf
    """
    from broadsheet.tools.check import MIN_PPI, preflight

    from broadsheet.stats import Stats

    stats = Stats()
    with stats.observe(), stats.stage("total"):
        report = preflight(spec, MIN_PPI if min_ppi is None else min_ppi, cmyk, pdf, pdfx, root)
    colours = {"error": "red", "warning": "yellow", "note": "cyan"}
    if as_json:
        text = report.to_json(errors_only=quiet) + "\n"
    else:
        table = report.table(lambda cell, sev: click.style(cell, fg=colours.get(sev), bold=sev == "error"), quiet)
        text = ("" if quiet and not report.listed(True) else table + "\n") + report.summary() + "\n"
    _emit(text, output)
    if verbose:
        for line in stats.lines():
            click.echo(line, err=True)
    sys.exit(report.exit_code)


def _or_exit(spec: Path | None, load, *args):
    """Run a loading function; invalid input is reported and exits with code 2."""
    try:
        return load(*args)
    except InputError as exc:
        _report(exc.diagnostics)
    except OSError as exc:
        click.echo(f"{spec}: error: {exc.strerror or exc}", err=True)
    sys.exit(EXIT_INPUT)


def _emit(text: str, output: Path | None) -> None:
    """Print, or write to a file (without colours)."""
    if output is None:
        click.echo(text, nl=False)
        return
    from broadsheet.cache import write_atomic

    try:
        write_atomic(output, click.unstyle(text).encode("utf-8"))
    except OSError as exc:
        click.echo(f"{output}: error: cannot write ({exc.strerror or exc})", err=True)
        sys.exit(EXIT_INPUT)


@main.command()
@SPEC
@click.argument("names", nargs=-1)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the listing to this file instead of the terminal.")
@click.option("--json", "as_json", is_flag=True, help="The styles as JSON.")
def styles(spec: Path, names: tuple[str, ...], output: Path | None, as_json: bool) -> None:
    """Print the resolved styles of SPEC (a layout spec, or one style sheet), after based_on
    inheritance, later sheets and the spec's style_overrides, with the file:line each value comes
    from ('default' for the built-in defaults; '(from title)' when inherited). NAMES limits the
    listing to those styles.

    \b
    Example: broadsheet styles layout/dangjian.yaml body title
    """
    from broadsheet.diagnostics import did_you_mean
    from broadsheet.tools import styles_report as styleinfo

    loaded = _or_exit(spec, styleinfo.load, spec)
    _report(loaded.diagnostics)
    missing = styleinfo.unknown(loaded, list(names))
    for name in missing:
        known = [*loaded.styles.paragraph, *loaded.styles.character]
        click.echo(f"{spec}: error: no style '{name}'{did_you_mean(name, known)}", err=True)
    data = styleinfo.describe(loaded, list(names) or None)
    _emit(styleinfo.to_json(data) if as_json else styleinfo.text(data), output)
    if missing or any(d.severity == "error" for d in loaded.diagnostics):
        sys.exit(EXIT_INPUT)


@main.command()
@click.argument("spec", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--text", help="Show how much of TEXT each font covers (distinct characters) and what is missing.")
@click.option("--story", "story", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Coverage of a story file's text.")
@click.option("--system/--no-system", default=True, show_default=True, help="Include the system font folders.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the list to this file instead of the terminal.")
@click.option("--json", "as_json", is_flag=True, help="The list as JSON.")
def fonts(spec: Path | None, text: str | None, story: Path | None, system: bool, output: Path | None, as_json: bool) -> None:
    """List the fonts broadsheet finds (bundled fonts/, then the system font folders), with their
    roles in SPEC's style sheets (书宋, 标宋 …, fallback) when SPEC is given, and their coverage of
    --text or --story (or, with SPEC alone, of all its stories).

    \b
    Example: broadsheet fonts --text 永和九年 layout/dangjian.yaml
    """
    from broadsheet.tools import fonts_report as fontinfo

    if text is not None and story is not None:
        raise click.UsageError("give --text or --story, not both")
    if story is not None:
        text = fontinfo.text_of_story(story)
    elif text is None and spec is not None:
        text = fontinfo.text_of_spec(spec)
    rows, diags = _or_exit(spec, fontinfo.list_fonts, spec, text, system)
    _report(diags)
    _emit(fontinfo.to_json(rows, text) if as_json else fontinfo.table(rows, text is not None), output)
    if any(d.severity == "error" for d in diags):
        sys.exit(EXIT_INPUT)


@main.command()
@click.option("-o", "--output", "folder", type=click.Path(path_type=Path, file_okay=False), default=Path("schema"),
              show_default=True, help="Folder for layout.schema.json and styles.schema.json.")
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 if the files are missing or out of date.")
@QUIET
def schema(folder: Path, check_only: bool, quiet: bool) -> None:
    """Write JSON Schemas of the layout spec and the style sheets, for editors: start a YAML file
    with `# yaml-language-server: $schema=../schema/layout.schema.json` (or styles.schema.json)
    and VS Code's YAML extension completes keys and checks values as you type.

    \b
    Example: broadsheet schema -o schema
    """
    from broadsheet.tools.schema import FILES, dumps, schemas, write_schemas

    if check_only:
        bad = 0
        for name, s in schemas().items():
            path = folder / FILES[name]
            if not path.is_file():
                click.echo(f"{path}: missing (run: broadsheet schema -o {folder})", err=True)
            elif path.read_text(encoding="utf-8") != dumps(s):
                click.echo(f"{path}: out of date (run: broadsheet schema -o {folder})", err=True)
            else:
                continue
            bad += 1
        sys.exit(EXIT_PREFLIGHT if bad else 0)
    try:
        written = write_schemas(folder)
    except OSError as exc:
        click.echo(f"{folder}: error: cannot write ({exc.strerror or exc})", err=True)
        sys.exit(EXIT_INPUT)
    if not quiet:
        click.echo(f"wrote {', '.join(map(str, written))}")
