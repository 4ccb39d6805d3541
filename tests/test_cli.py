"""The command line: exit codes (0 ok, 1 overset, 2 invalid input), positioned messages and never a
traceback, outputs left alone by failed builds, proofs, help — and the sample page itself; the
conventions of every command (--verbose, progress bars and colours only on a terminal, help with
an example, a README that documents every command and option)."""

from __future__ import annotations

import os
import re
import sys
import threading
from pathlib import Path

import click
import pdfplumber
import pytest
from click.testing import CliRunner
from PIL import Image

from broadsheet import cli as cli_module
from broadsheet.cli import main
from conftest import MINI_SPEC, MINI_STORY, NEWSPAPER_STYLES, ROOT, SAMPLE_SPEC, parse_diag, run_cli

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
TEXT = "天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳云腾致雨露结为霜金生丽水玉出昆冈"
OVERSET_RED = (220, 0, 0)  # proof.MARK_COLOURS["overset"]


def cli(*args: str):
    """Run the CLI in-process (fast); stdout and stderr apart."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def stderr_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# ---------------------------------------------------------------------------------------------
# invalid input: exit 2, file:line:col, no traceback


@pytest.mark.parametrize(
    "change, file, needle, words",
    [
        (lambda m: m.spec(MINI_SPEC.replace("gutter: 1字", "gutter: 4ft")), "spec.yaml", "4ft", "unknown unit 'ft'"),
        (lambda m: m.spec(MINI_SPEC.replace("line: 14pt", "line: 14pt: 1")), "spec.yaml", "14pt: 1", "YAML syntax"),
        (lambda m: m.spec(MINI_SPEC.replace("story: story.md", "story: gone.md")), "spec.yaml", "gone.md",
         "story file not found"),
        (lambda m: m.write("story.md", "正文有\U0002A6D6字。\n"), "story.md", "正文", "U+2A6D6"),
        (lambda m: m.write("story.md", "---\ntitel: 标题\n---\n正文。\n"), "story.md", "titel",
         "did you mean 'title'"),
        (lambda m: m.write("styles.yaml", NEWSPAPER_STYLES.read_text(encoding="utf-8") + "oops: [\n"),
         "styles.yaml", None, "YAML syntax"),
    ],
    ids=["bad-unit", "spec-yaml", "missing-story", "missing-glyph", "story-front-matter", "sheet-yaml"],
)
def test_invalid_input_exits_2_with_positions(mini, change, file, needle, words):
    change(mini)
    proc = run_cli("build", "spec.yaml", "-o", "out.pdf", cwd=mini.root)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stdout == ""
    lines = stderr_lines(proc.stderr)
    assert lines[-1] == "spec.yaml: 1 error; nothing written", lines
    f, line, col, severity, message = parse_diag(lines[0])
    assert (f, severity) == (file, "error") and words in message, lines
    assert line is not None and col is not None, f"no line:col in {lines[0]!r}"
    if needle is not None:
        want_line, want_col = mini.pos(file, needle)
        assert line == want_line, lines
        if file.endswith(".yaml"):
            assert col == want_col + (4 if needle == "14pt: 1" else 0), lines  # YAML stops at the 2nd ':'
    else:
        assert line == mini.texts[file].count("\n") + 1  # the unclosed [ runs to the end of the file
    assert not (mini.root / "out.pdf").exists()


def test_several_errors_counted(mini):
    mini.spec(MINI_SPEC.replace("gutter: 1字", "gutter: 4ft").replace("size: A4", "size: A9"))
    proc = run_cli("build", "spec.yaml", "-o", "out.pdf", cwd=mini.root)
    assert proc.returncode == 2
    lines = stderr_lines(proc.stderr)
    assert lines[-1] == "spec.yaml: 2 errors; nothing written"
    assert [parse_diag(x)[:3] for x in lines[:-1]] == sorted(
        [("spec.yaml", *mini.pos("spec.yaml", "A9")), ("spec.yaml", *mini.pos("spec.yaml", "4ft"))])


@pytest.mark.parametrize("content", [None, "", "- 一\n- 二\n", b"\xff\xfe\x00garbage"], ids=["missing", "empty", "list", "binary"])
def test_unusable_spec_files_exit_2(tmp_path, content):
    spec = tmp_path / "spec.yaml"
    if isinstance(content, bytes):
        spec.write_bytes(content)
    elif content is not None:
        spec.write_text(content, encoding="utf-8")
    result = cli("build", spec, "-o", tmp_path / "out.pdf")
    assert result.exit_code == 2, result.output
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{spec}") and ": error: " in first
    assert not (tmp_path / "out.pdf").exists()


def test_usage_errors_are_not_tracebacks(tmp_path):
    result = CliRunner().invoke(main, ["build", str(tmp_path)])  # a directory, not a spec
    assert result.exit_code == 2 and "is a directory" in result.output
    assert isinstance(result.exception, SystemExit)
    result = CliRunner().invoke(main, ["build", "x.yaml", "--dpi", "5"])
    assert result.exit_code == 2 and "--dpi" in result.output


# ---------------------------------------------------------------------------------------------
# a failed build leaves the existing output alone


def test_failed_builds_leave_the_existing_pdf_byte_identical(mini):
    good = cli("build", "spec.yaml", "-o", "out.pdf")
    assert good.exit_code == 0, good.output
    out = mini.root / "out.pdf"
    before, mtime = out.read_bytes(), out.stat().st_mtime_ns
    assert before.startswith(b"%PDF-")

    mini.spec(MINI_SPEC.replace("gutter: 1字", "gutter: 4ft"))  # invalid input
    bad = cli("build", "spec.yaml", "-o", "out.pdf")
    assert bad.exit_code == 2 and "nothing written" in bad.stderr
    assert out.read_bytes() == before and out.stat().st_mtime_ns == mtime

    mini.spec(MINI_SPEC.replace("columns: 1-4, top: 0, bottom: end", "columns: 1, top: 0, bottom: 2"))
    mini.write("story.md", TEXT * 4 + "\n")  # overset
    over = cli("build", "spec.yaml", "-o", "out.pdf")
    assert over.exit_code == 1 and "nothing written" in over.stderr
    assert out.read_bytes() == before and out.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in mini.root.iterdir() if p.suffix not in (".md", ".yaml")) == ["out.pdf"], \
        "a temporary file was left behind"


KILLED_WHILE_PROOFING = """\
import os, signal, sys
from broadsheet import cli
from broadsheet.output import proof

def killed(*args, **kwargs):  # the PDF is in place by now; a supervisor stops the build
    os.kill(os.getpid(), signal.SIGTERM)

proof.render_proofs = killed
sys.argv = ["broadsheet", "proof", "spec.yaml", "-o", "out.pdf"]
cli.run()
"""


def test_a_build_terminated_while_proofing_puts_the_previous_pdf_back(mini):
    assert cli("proof", "spec.yaml", "-o", "out.pdf").exit_code == 0
    before = (mini.root / "out.pdf").read_bytes()
    mini.write("story.md", mini.texts["story.md"].replace("第二段文字", "改过的第二段文字"))
    import subprocess

    proc = subprocess.run([sys.executable, "-c", KILLED_WHILE_PROOFING], cwd=mini.root, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 128 + 15 and "Traceback" not in proc.stderr, proc.stderr
    assert (mini.root / "out.pdf").read_bytes() == before
    assert not list(mini.root.glob(".*.tmp")), "a temporary file was left behind"


# ---------------------------------------------------------------------------------------------
# overset


def _overset_project(mini):
    mini.spec(MINI_SPEC.replace("columns: 1-4, top: 0, bottom: end", "columns: 1, top: 0, bottom: 3"))
    story = TEXT * 6 + "\n\n" + TEXT * 6 + "\n"  # no head, no spaces: every character is one glyph
    mini.write("story.md", story)
    return len(TEXT) * 12


def test_overset_exits_1_naming_the_story_and_the_characters(mini):
    _overset_project(mini)
    proc = run_cli("build", "spec.yaml", "-o", "out.pdf", cwd=mini.root)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = stderr_lines(proc.stderr)
    m = re.fullmatch(r"spec\.yaml:12:5: error: story 'story' is overset: (\d+) characters \(\d+ body lines\) do not fit its frame; .*", lines[0])
    assert m, lines
    assert int(m.group(1)) > 0
    assert lines[-1] == "spec.yaml: text does not fit; nothing written (use --allow-overset to build anyway)"
    assert not (mini.root / "out.pdf").exists()


def test_allow_overset_is_a_warning_and_the_count_is_exact(mini):
    total = _overset_project(mini)
    result = cli("build", "spec.yaml", "-o", "out.pdf", "--allow-overset")
    assert result.exit_code == 0, result.output
    m = re.search(r"^spec\.yaml:12:5: warning: story 'story' is overset: (\d+) characters", result.stderr, re.M)
    assert m, result.stderr
    assert "error" not in result.stderr
    assert re.match(r"wrote out\.pdf \(1 page, 1 warning, [\d.]+ s\)", result.stdout), result.stdout
    with pdfplumber.open(mini.root / "out.pdf") as pdf:
        placed = [c["text"] for c in pdf.pages[0].chars if c["text"].strip()]
    assert 0 < len(placed) < total
    assert set(placed) <= set(TEXT)
    assert len(placed) + int(m.group(1)) == total, "set + overset characters must be the whole story"


# ---------------------------------------------------------------------------------------------
# proofs


def _png_size_ok(png: Path, page: tuple[float, float], dpi: float) -> Image.Image:
    image = Image.open(png)
    image.load()
    want = (page[0] * dpi / 72, page[1] * dpi / 72)
    assert abs(image.size[0] - want[0]) <= 1 and abs(image.size[1] - want[1]) <= 1, (image.size, want)
    return image.convert("RGB")


def test_build_proof_writes_a_png_of_the_page_size(mini):
    result = cli("build", "spec.yaml", "-o", "pdfs/page.pdf", "--proof", "--dpi", "36")
    assert result.exit_code == 0, result.output
    assert "pdfs/page.png" in result.stdout
    image = _png_size_ok(mini.root / "pdfs" / "page.png", A4, 36)
    colours = image.getcolors(maxcolors=1 << 20)
    assert len(colours) > 2, "the proof is blank"
    assert OVERSET_RED not in {c for _, c in colours}, "an overset mark on a page that fits"


@pytest.mark.parametrize("dpi", [20, 72.5])
def test_proof_command_and_dpi(mini, dpi):
    result = cli("proof", "spec.yaml", "-o", "p.pdf", "--dpi", dpi)
    assert result.exit_code == 0, result.output
    assert (mini.root / "p.pdf").read_bytes().startswith(b"%PDF-")
    _png_size_ok(mini.root / "p.png", A4, dpi)


def test_proof_marks_the_overset(mini):
    _overset_project(mini)
    result = cli("proof", "spec.yaml", "-o", "p.pdf", "--allow-overset", "--dpi", "50")
    assert result.exit_code == 0, result.output
    image = _png_size_ok(mini.root / "p.png", A4, 50)
    reds = sum(n for n, c in image.getcolors(maxcolors=1 << 20) if c == OVERSET_RED)
    assert reds > 50, "the proof does not mark the overset spot"


def test_sample_page_proof_size(sample, tmp_path):
    """The 对开 sample's proof (rendered from the session's build, not rebuilt) at 20 dpi."""
    from broadsheet.output.proof import render_proofs

    written = render_proofs(sample.pdf, sample.result.document, tmp_path / "dangjian", 20)
    assert written == [tmp_path / "dangjian.png"]
    image = _png_size_ok(written[0], (390 * MM, 540 * MM), 20)
    assert len(image.getcolors(maxcolors=1 << 20)) > 2


# ---------------------------------------------------------------------------------------------
# output and messages


def test_default_output_is_out_slash_spec_name(mini):
    result = cli("build", "spec.yaml")
    assert result.exit_code == 0, result.output
    assert (mini.root / "out" / "spec.pdf").read_bytes().startswith(b"%PDF-")
    assert result.stdout.startswith("wrote out/spec.pdf (1 page, 1 warning, ")  # the mini page's 开天窗


def test_quiet_prints_errors_only(mini):
    mini.spec(MINI_SPEC + "    images: [{file: nowhere.jpg, columns: 1, top: 20, lines: 5}]\n")
    loud = cli("build", "spec.yaml", "-o", "a.pdf")
    assert loud.exit_code == 0
    f, line, col, severity, message = parse_diag(loud.stderr.splitlines()[0])
    assert (f, line, severity) == ("spec.yaml", mini.pos("spec.yaml", "{file: nowhere")[0], "warning")
    assert "nowhere.jpg not found" in message
    quiet = cli("build", "spec.yaml", "-o", "b.pdf", "-q")
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""
    assert (mini.root / "b.pdf").read_bytes() == (mini.root / "a.pdf").read_bytes()


def test_help_for_every_command():
    runner = CliRunner()
    top = runner.invoke(main, ["--help"])
    assert top.exit_code == 0 and "Usage:" in top.output
    assert set(main.commands) >= {"build", "proof"}
    for name, command in main.commands.items():
        assert name in top.output
        for flag in ("--help", "-h"):
            result = runner.invoke(main, [name, flag])
            assert result.exit_code == 0, (name, result.output)
            assert re.search(rf"Usage: main {name} \[OPTIONS\]( \[?SPEC\]?)?( \[NAMES\]\.\.\.)?\n", result.output), result.output
            assert "Example:" in result.output, name
            for param in command.params:
                for opt in param.opts:
                    if opt.startswith("--"):
                        assert opt in result.output, (name, opt)
    version = runner.invoke(main, ["--version"])
    assert version.exit_code == 0 and re.search(r"\d+\.\d+", version.output)


def test_help_of_the_installed_script(tmp_path):
    for args in (["--help"], ["build", "--help"], ["proof", "--help"]):
        proc = run_cli(*args, cwd=tmp_path)
        assert proc.returncode == 0 and "Usage: broadsheet" in proc.stdout, proc.stderr


# ---------------------------------------------------------------------------------------------
# the sample page


def test_sample_page_builds_without_overset(tmp_path):
    """A real requirement: the sample page fits (no --allow-overset)."""
    out = tmp_path / "dangjian.pdf"
    proc = run_cli("build", SAMPLE_SPEC, "-o", out, cwd=ROOT)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 0, proc.stderr
    assert "overset" not in proc.stderr
    assert out.read_bytes().startswith(b"%PDF-")


# ---------------------------------------------------------------------------------------------
# bugs: problems that end in a traceback


def test_unwritable_output_is_an_error_not_a_traceback(mini):
    proc = run_cli("build", "spec.yaml", "-o", "story.md/out.pdf", cwd=mini.root)
    assert "Traceback" not in proc.stderr, proc.stderr[-300:]
    assert proc.returncode not in (0, 1)
    assert "story.md/out.pdf" in proc.stderr


def test_corrupt_image_is_invalid_input(mini):
    (mini.root / "photo.jpg").write_bytes(b"not a jpeg at all")
    mini.spec(MINI_SPEC + "    images: [{file: photo.jpg, columns: 1-2, top: 5, lines: 6}]\n")
    proc = run_cli("build", "spec.yaml", "-o", "out.pdf", cwd=mini.root)
    assert "Traceback" not in proc.stderr, proc.stderr[-300:]
    assert proc.returncode == 2
    assert parse_diag(stderr_lines(proc.stderr)[0])[0] == "spec.yaml"


def test_font_cache_is_independent_of_the_working_directory(tmp_path):
    env = {"BROADSHEET_CACHE": str(tmp_path / "cache")}
    serif = ROOT / "fonts" / "NotoSerifCJKsc-Regular.otf"
    first = tmp_path / "a"
    second = tmp_path / "b" / "c" / "d"
    for folder, extra, story in ((first, f"fonts:\n  书宋: {os.path.relpath(serif, first)}\n", MINI_STORY),
                                 (second, "", "另一篇完全不同的稿件，用字不同。\n")):
        folder.mkdir(parents=True)
        (folder / "spec.yaml").write_text(MINI_SPEC + extra, encoding="utf-8")
        (folder / "styles.yaml").write_text(NEWSPAPER_STYLES.read_text(encoding="utf-8"), encoding="utf-8")
        (folder / "story.md").write_text(story, encoding="utf-8")
        proc = run_cli("build", "spec.yaml", "-o", "out.pdf", "-q", cwd=folder, env=env)
        assert proc.returncode == 0, proc.stderr[-400:]


def test_output_gets_the_usual_file_mode(mini):
    import os
    import stat

    mini.build()
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE((mini.root / "out.pdf").stat().st_mode) == 0o666 & ~mask


def test_output_to_a_device_is_written_not_replaced(mini, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    mini.build(out=str(fifo))
    reader.join(30)
    assert got and got[0].startswith(b"%PDF")
    assert fifo.is_fifo()  # still the pipe, not a file put in its place


@pytest.mark.parametrize("command", ["build", "proof", "watch", "serve"])
def test_every_building_command_takes_the_build_options(command):
    """The output standard, the workers and the project root mean the same in every command that builds."""
    from broadsheet.cli import main

    names = {p.name for p in main.commands[command].params}
    assert names >= {"output", "allow_overset", "dpi", "pdfx", "jobs", "root"}, names


# ---------------------------------------------------------------------------------------------
# conventions: timings and cache use with --verbose, progress bars and colours on a terminal only,
# help with an example everywhere, exit codes, the README


def test_verbose_prints_stage_timings_and_cache_hits(mini):
    result = cli("proof", "spec.yaml", "-o", "p.pdf", "-v")
    assert result.exit_code == 0
    stages = re.search(r"^load \d+ ms  layout \d+ ms  pdf \d+ ms  write \d+ ms  proofs \d+ ms  total \d+ ms$",
                       result.stderr, re.M)
    assert stages, result.stderr
    cache = re.search(r"^cache: (.*)$", result.stderr, re.M)
    assert cache and "faces:" in cache.group(1) and "subsets:" in cache.group(1)
    again = cli("build", "spec.yaml", "-o", "p.pdf", "-v")
    line = re.search(r"^cache: (.*)$", again.stderr, re.M).group(1)
    assert "miss" not in line.split("subsets:")[1], "a second build finds its subsets in the cache"
    assert "faces: " in line and "memory" in line, "and its faces in memory (same process)"
    quiet = cli("build", "spec.yaml", "-o", "p.pdf")
    assert "ms" not in quiet.stderr


def test_progress_bar_only_on_a_terminal(monkeypatch):
    assert not isinstance(cli_module._progress(3), type(click.progressbar(length=1)))
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    bar = cli_module._progress(3)
    assert hasattr(bar, "update") and bar.length == 3
    assert not hasattr(cli_module._progress(1), "length"), "one page needs no bar"


def test_colours_only_on_a_terminal(mini):
    mini.spec(MINI_SPEC + "    images: [{file: nowhere.jpg, columns: 1, top: 20, lines: 5}]\n")
    plain = CliRunner().invoke(main, ["build", "spec.yaml", "-o", "a.pdf"])
    coloured = CliRunner().invoke(main, ["build", "spec.yaml", "-o", "a.pdf"], color=True)
    assert "\x1b[" not in plain.stderr and ": warning: " in plain.stderr
    assert "\x1b[33m" in coloured.stderr
    proc = run_cli("build", "spec.yaml", "-o", "b.pdf", cwd=mini.root)  # a pipe, not a terminal
    assert "\x1b[" not in proc.stderr and ": warning: " in proc.stderr


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    for name in ("build", "proof", "watch", "serve", "check", "styles", "fonts", "schema"):
        assert name in main.commands
        result = runner.invoke(main, [name, "-h"])
        assert result.exit_code == 0 and "Example: broadsheet " + name in " ".join(result.output.split()), name


def test_exit_codes(mini):
    assert cli("check", "spec.yaml").exit_code == 0
    mini.spec(MINI_SPEC.replace("columns: 1-4, top: 0, bottom: end", "columns: 1, top: 0, bottom: 3"))
    mini.write("story.md", TEXT * 12 + "\n")
    assert cli("build", "spec.yaml", "-o", "x.pdf").exit_code == 1
    assert cli("check", "spec.yaml").exit_code == 1
    mini.spec(MINI_SPEC.replace("gutter: 1字", "gutter: 1ft"))
    for command in ("build", "proof", "check", "styles"):
        assert cli(command, "spec.yaml").exit_code == 2, command


def test_readme_documents_every_command_and_option():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Commands", 1)[1].split("\n## ", 1)[0]
    for name, command in main.commands.items():
        assert f"broadsheet {name}" in section, name
        for param in command.params:
            for opt in [*param.opts, *param.secondary_opts]:
                if opt.startswith("--"):
                    assert opt in section, (name, opt)
    for code in ("**0**", "**1**", "**2**"):
        assert code in section


def test_watch_dependency_is_declared():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^\s*"watchfiles', text, re.M)
    assert "jsonschema" in text
