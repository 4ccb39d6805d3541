"""Hostile and absurd input: every case ends in a positioned message and exit 2, never in a
traceback, a hang or a memory blow-up; what the fuzzer found, each as its own case; and the
last-resort handler for what nothing else caught."""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image

from conftest import MINI_MARGINS, MINI_SPEC, broadsheet_exe, find, parse_diag

#: Peak memory allowed for any hostile input (the issue's bound).
MAX_RSS = 1024 ** 3


def _image_spec(file: str) -> str:
    return MINI_SPEC + f"    images:\n      - {{file: {file}, columns: 1-2, top: 0, lines: 10}}\n"


def _png_header(width: int, height: int) -> bytes:
    """A valid PNG signature and header declaring `width` × `height`, with one tiny data chunk."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b"")


def _jpeg_header(root: Path, width: int, height: int) -> bytes:
    """A small real JPEG whose frame header (SOF0) is rewritten to declare `width` × `height`."""
    Image.new("RGB", (8, 8), (200, 30, 30)).save(root / "small.jpg", quality=80)
    data = bytearray((root / "small.jpg").read_bytes())
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _alias_bomb() -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for k in range(1, 10):
        lines.append(f"a{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * 9) + "]")
    return MINI_SPEC + "\n".join("x" + line for line in lines) + "\n"


# name -> (files to write, spec argument, a phrase of the expected error)
CASES = {
    "alias bomb": (lambda root: {"spec.yaml": _alias_bomb()}, "spec.yaml", "more than 100,000 values"),
    "spec is /dev/zero": (lambda root: {}, "/dev/zero", "larger than the limit of 1 MB"),
    "50 MB scalar": (lambda root: {"spec.yaml": MINI_SPEC.replace("小样测试", "长" * (50 * 2 ** 20 // 3))},
                     "spec.yaml", "larger than the limit of 1 MB"),
    "deep nesting": (lambda root: {"spec.yaml": MINI_SPEC + "x: " + "[" * 500 + "]" * 500 + "\n"},
                     "spec.yaml", "nested more than 32 deep"),
    "900-megapixel PNG": (lambda root: {"spec.yaml": _image_spec("big.png"), "big.png": _png_header(30000, 30000)},
                          "spec.yaml", "more pixels than the limit"),
    "900-megapixel JPEG": (lambda root: {"spec.yaml": _image_spec("big.jpg"), "big.jpg": _jpeg_header(root, 30000, 30000)},
                           "spec.yaml", "more pixels than the limit"),
    "150-megapixel PNG": (lambda root: {"spec.yaml": _image_spec("big.png"), "big.png": _png_header(15000, 10000)},
                          "spec.yaml", "more pixels than the limit of 100 million"),
    "page 100000": (lambda root: {"spec.yaml": MINI_SPEC.replace("bottom: end}", "bottom: end, page: 100000}")},
                    "spec.yaml", "must be at most 200"),
    "NaN margins": (lambda root: {"spec.yaml": MINI_SPEC.replace(MINI_MARGINS, "margins: .nan")},
                    "spec.yaml", "finite number"),
    "infinite line": (lambda root: {"spec.yaml": MINI_SPEC.replace("line: 14pt", "line: .inf")},
                      "spec.yaml", "finite number"),
}


#: Runs a command as its grandchild and prints the command's peak memory (KiB) and exit code. The
#: detour matters: Linux counts the memory of the process a child was forked from in the child's
#: peak, so a child of the test process (hundreds of MB) would report the test's size, not its own.
_MEASURE = """import os, sys
pid = os.fork()
if pid == 0:
    os.dup2(2, 1)  # the command's output goes with its errors: stdout carries the measurement
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def _run_measured(args: list[str], cwd: Path) -> tuple[int, str, int]:
    """Run the CLI; its exit code, its output (stdout and stderr) and its peak memory in bytes."""
    with open(cwd / "stderr.txt", "wb") as err:
        proc = subprocess.run([sys.executable, "-c", _MEASURE, broadsheet_exe(), *args], cwd=cwd, stdout=subprocess.PIPE,
                              stderr=err, text=True, timeout=300)
    kib, code = map(int, proc.stdout.split())
    return code, (cwd / "stderr.txt").read_text(encoding="utf-8"), kib * 1024


@pytest.mark.parametrize("case", CASES)
def test_hostile_input_is_refused_in_bounded_memory(case, mini):
    files, spec, phrase = CASES[case]
    for name, content in files(mini.root).items():
        path = mini.root / name
        path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
    for command in (["build", spec, "-o", "out.pdf"], ["check", spec]):
        code, stderr, rss = _run_measured(command, mini.root)
        assert code == 2, stderr
        assert "Traceback" not in stderr and phrase in stderr, stderr
        if command[0] == "build":  # (check prints a table)
            first = stderr.splitlines()[0]
            assert parse_diag(first)[1] is not None, f"no line in {first!r}"
        assert rss < MAX_RSS, f"{case}, {command[0]}: peak memory {rss / 2 ** 20:.0f} MB"
    assert not (mini.root / "out.pdf").exists()


# ---------------------------------------------------------------------------------------------
# values: what the fuzzer found, at its cause


@pytest.mark.parametrize("prop, value, words", [
    ("leading", "null", ("'paragraph.body.leading'", "no value (null)")),
    ("font", "null", ("'paragraph.body.font'", "no value (null)")),
    ("size", "-9.0", ("font size must be positive",)),
    ("size", "0.0", ("font size must be positive",)),
    ("size", ".nan", ("not a number a page can use",)),
    ("size", "1.0e+6", ("beyond the limit of 10000",)),
    ("size", "2000", ("larger than the limit of 1000pt",)),
    ("leading", "0行", ("leading must be more than 0",)),
    ("leading", "1.0e+300", ("beyond the limit",)),
    ("leading", "20", ("leading 20 × the font size is beyond the limit of 10",)),
    ("indent", "-2字", ("must be at least 0",)),
    ("letter_spacing", "-0.1字", ("must be at least 0",)),
])
def test_bad_style_values_are_errors_at_their_place(mini, prop, value, words):
    """The body style (the sheet's first) gets `PROP: VALUE`, in place of its own value if it has one."""
    text = mini.texts["styles.yaml"]
    line = f"    {prop}: {value}\n"
    own = re.search(rf"^    {prop}: .*\n", text, re.M)
    text = text.replace(own.group(), line, 1) if own else text.replace("    indent: 2字\n", "    indent: 2字\n" + line, 1)
    mini.write("styles.yaml", text)
    row, col = mini.pos("styles.yaml", line.strip())
    find(mini.errors(), f"styles.yaml:{row}:{col + len(prop) + 2}", *words)


@pytest.mark.parametrize("old, new, words", [
    (MINI_MARGINS, "margins: -5mm", ("'page.margins'", "must be at least 0")),  # once, not once per side
    ("gutter: 1字", "gutter: -1字", ("'grid.gutter'", "must be at least 0")),
    ("columns: 4", "columns: 0", ("'grid.columns'", "must be at least 1, got 0")),
    ("columns: 4", "columns: 2.5", ("'grid.columns'", "must be a whole number, got 2.5")),
    ("line: 14pt", "line: 0pt", ("'grid.line'", "must be more than 0")),
    ("size: A4", "size: [100000mm, 100mm]", ("beyond the limit of 10000 for any length",)),
    ("size: A4", "size: [6000mm, 100mm]", ("a page side of 6000mm is outside the range",)),
    ("size: A4", "size: [5081mm, 100mm]", ("a page side of 5081mm is outside the range",)),
    ("bottom: end}", "bottom: 1.0e+308}", ("beyond the limit",)),
    ("bottom: end}", "bottom: 1" + "0" * 400 + "}", ("a number larger than the limit of 1e+15",)),  # no float holds it
    ("columns: 4", "columns: 0x" + "f" * 5000, ("a number larger than the limit",)),  # no message could print it
    (MINI_MARGINS, "margins: 1" + "0" * 5000, ("YAML value that cannot be read",)),  # Python reads no such int
    ("frame: {columns: 1-4, top: 0, bottom: end}", "frame: []", ("'stories.0.frame'", "at least 1 item")),
])
def test_bad_spec_values_are_errors_in_plain_words(mini, old, new, words):
    assert old in mini.texts["spec.yaml"]
    mini.spec(mini.texts["spec.yaml"].replace(old, new))
    errors = mini.errors()
    assert all(parse_diag(e)[1] is not None for e in errors), errors
    assert any(all(w in e for w in words) for e in errors), errors
    assert not any("Input should" in e or "input should" in e for e in errors), errors


def test_tabs_in_text_are_set_as_spaces(mini):
    mini.write("story.md", "---\ntitle: 小样\t标题\n---\n\n这是一段\t测试文字。\n")
    mini.spec(mini.texts["spec.yaml"].replace("stories:", "header: {paper: \"报\\t名\"}\nstories:"))
    result, _ = mini.build()
    texts = [run.text for page in result.document.pages for run in page.items if hasattr(run, "glyphs")]
    assert any("这是一段" in t for t in texts)


def test_a_character_no_font_has_in_the_spec_is_an_error_at_its_line(mini):
    mini.spec(mini.texts["spec.yaml"].replace("stories:", "header:\n  paper: \"报\U0001F600\"\nstories:"))
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "\"报"), "U+1F600", "'header.paper'")


def test_non_utf8_and_control_characters_have_a_line_and_column(mini):
    mini.write("story.md", "---\ntitle: 标题\n---\n\n第一段。\n")
    (mini.root / "story.md").write_bytes(b"---\ntitle: x\n---\n\nab\xffc\n")
    errors = mini.errors()
    find(errors, "story.md:5:3", "not UTF-8")
    mini.write("story.md", "---\ntitle: 标题标题\x1b\n---\n\n第一段。\n")
    [error] = mini.errors()
    assert error.startswith("story.md:2:12: error: YAML syntax: character U+001B"), error  # columns count characters
    assert "\x1b" not in error


# ---------------------------------------------------------------------------------------------
# the last resort


def test_an_internal_error_is_one_line_with_its_own_exit_code(mini):
    """A bug (here: a layout that raises) prints one line naming the exception and where to
    report it, and exits 3, not 1 (overset) or 2 (input)."""
    script = ("import broadsheet.tools.build as b, broadsheet.cli as c\n"
              "b.lay_out = lambda project, *args, **kwargs: 1 / 0\n"
              "c.run()\n")
    proc = subprocess.run([sys.executable, "-c", script, "build", "spec.yaml", "-o", "out.pdf"], cwd=mini.root,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr
    [line] = proc.stderr.splitlines()
    assert line.startswith("broadsheet: internal error (ZeroDivisionError at ") and "please report it" in line
    proc = subprocess.run([sys.executable, "-c", script, "build", "spec.yaml", "-o", "out.pdf"], cwd=mini.root,
                          capture_output=True, text=True, timeout=120, env={**os.environ, "BROADSHEET_TRACEBACK": "1"})
    assert proc.returncode == 3 and "Traceback" in proc.stderr


# ---------------------------------------------------------------------------------------------
# the project root, outputs, temporary files


def _photo(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (400, 300), (120, 160, 200)).save(path, quality=90)


def test_a_story_outside_the_project_root_is_an_error_naming_it(mini):
    mini.spec(mini.texts["spec.yaml"].replace("story: story.md", "story: /etc/passwd"))
    find(mini.errors(), mini.at("spec.yaml", "/etc/passwd"), "story file /etc/passwd is outside the project root")


def test_paths_out_of_the_root_by_dots_symlinks_or_absolute_images_are_errors(mini, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    _photo(elsewhere / "secret.jpg")
    (elsewhere / "styles.yaml").write_text(mini.texts["styles.yaml"], encoding="utf-8")
    (mini.root / "linked.md").symlink_to(mini.root / "story.md")
    (mini.root / "escape.md").symlink_to(elsewhere / "styles.yaml")
    (mini.root / "photos").symlink_to(elsewhere)
    inside = mini.texts["spec.yaml"].replace("story: story.md", "story: linked.md")  # a link inside is fine
    mini.spec(_image_spec_for(inside, "photos/secret.jpg"))
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "photos/secret.jpg"), "image", "secret.jpg is outside the project root")
    assert not any("linked.md" in e for e in errors)
    mini.spec(inside.replace("styles: styles.yaml", f"styles: ../{elsewhere.name}/styles.yaml"))
    find(mini.errors(), mini.at("spec.yaml", f"../{elsewhere.name}"), "style sheet", "outside the project root")
    mini.spec(inside.replace("story: linked.md", "story: escape.md"))
    find(mini.errors(), mini.at("spec.yaml", "escape.md"), "outside the project root")


def _image_spec_for(spec: str, file: str) -> str:
    return spec + f"    images:\n      - {{file: {file}, columns: 1-2, top: 20, lines: 10}}\n"


def test_root_option_widens_and_narrows_the_root(mini):
    from click.testing import CliRunner

    from broadsheet.cli import main

    (mini.root / "sub").mkdir()
    mini.write("sub/spec.yaml", mini.texts["spec.yaml"].replace("styles: styles.yaml", "styles: ../styles.yaml")
               .replace("story: story.md", "story: ../story.md"))
    run = CliRunner().invoke
    assert run(main, ["build", "sub/spec.yaml", "-o", "out.pdf"]).exit_code == 2  # root: sub/
    assert run(main, ["build", "sub/spec.yaml", "-o", "out.pdf", "--root", "."]).exit_code == 0
    assert run(main, ["check", "sub/spec.yaml", "--root", "."]).exit_code == 0
    assert run(main, ["build", "spec.yaml", "-o", "out.pdf", "--root", "sub"]).exit_code == 2


def test_bundled_fonts_are_read_from_outside_the_root(mini):
    from broadsheet.fonts.faces import BUNDLED

    mini.write("styles.yaml", mini.texts["styles.yaml"].replace("  书宋: Noto Serif CJK SC", f"  书宋: {BUNDLED}/NotoSerifCJKsc-Regular.otf"))
    mini.build("bundled.pdf")
    mini.write("styles.yaml", mini.texts["styles.yaml"].replace(f"{BUNDLED}/", "/etc/fonts/../../tmp/"))
    find(mini.errors(), mini.at("styles.yaml", "/etc/fonts"), "font file", "outside the project root")


@pytest.mark.parametrize("output", ["spec.yaml", "story.md", "styles.yaml", "photo.jpg"])
def test_an_output_that_is_an_input_is_refused(mini, output):
    from click.testing import CliRunner

    from broadsheet.cli import main

    _photo(mini.root / "photo.jpg")
    mini.spec(_image_spec_for(mini.texts["spec.yaml"], "photo.jpg"))
    before = (mini.root / output).read_bytes()
    result = CliRunner().invoke(main, ["build", "spec.yaml", "-o", output])
    assert result.exit_code == 2 and "this output is an input of the build" in result.stderr
    assert (mini.root / output).read_bytes() == before
    dump = CliRunner().invoke(main, ["build", "spec.yaml", "-o", "out.pdf", "--dump", output])
    assert dump.exit_code == 2 and (mini.root / output).read_bytes() == before


def test_a_proof_that_would_overwrite_a_photo_is_refused_and_nothing_is_written(mini):
    from click.testing import CliRunner

    from broadsheet.cli import main

    _photo(mini.root / "photo.png")
    mini.spec(_image_spec_for(mini.texts["spec.yaml"], "photo.png"))
    before = (mini.root / "photo.png").read_bytes()
    result = CliRunner().invoke(main, ["proof", "spec.yaml", "-o", "photo.pdf"])
    assert result.exit_code == 2 and "\nphoto.png: error: this output is an input" in result.stderr, result.stderr
    assert (mini.root / "photo.png").read_bytes() == before and not (mini.root / "photo.pdf").exists()


def test_stale_temporary_files_of_killed_builds_are_removed(mini):
    old_form = mini.root / ".out.pdf.k2j4x9ab.tmp"  # before writers named themselves
    dead = mini.root / f".out.pdf.{2 ** 22 + 12345}.abcd1234.tmp"  # a process id no process has
    alive = mini.root / f".out.pdf.{os.getpid()}.abcd1234.tmp"  # a writer at work
    other = mini.root / ".other.pdf.k2j4x9ab.tmp"
    longer = mini.root / f".out.pdf.x.{2 ** 22 + 12345}.abcd1234.tmp"  # a temporary of out.pdf.x, not of out.pdf
    for f in (old_form, dead, alive, other, longer):
        f.write_bytes(b"half a PDF")
    mini.build()
    assert not old_form.exists() and not dead.exists()
    assert alive.exists() and other.exists() and longer.exists()
    assert sorted(p.name for p in mini.root.glob(".out.pdf.[0-9]*")) == [alive.name]


def test_the_pdf_does_not_depend_on_the_project_folder(mini, tmp_path_factory):
    import shutil

    _photo(mini.root / "pics" / "photo.jpg")
    mini.spec(_image_spec_for(mini.texts["spec.yaml"], "pics/photo.jpg"))
    mini.build("a.pdf")
    copy = tmp_path_factory.mktemp("moved") / "project"
    shutil.copytree(mini.root, copy)
    os.chdir(copy)
    from broadsheet.tools.build import build

    build(Path("spec.yaml"), Path("b.pdf"))
    assert (copy / "b.pdf").read_bytes() == (mini.root / "a.pdf").read_bytes()


def test_the_pdf_and_its_proofs_are_replaced_together_or_not_at_all(mini):
    from click.testing import CliRunner

    from broadsheet.cli import main

    run = CliRunner().invoke
    assert run(main, ["proof", "spec.yaml", "-o", "out.pdf"]).exit_code == 0
    pdf, png = (mini.root / "out.pdf").read_bytes(), (mini.root / "out.png").read_bytes()
    mini.write("story.md", mini.texts["story.md"].replace("第二段文字", "改过的第二段文字"))
    (mini.root / "out.png").unlink()
    (mini.root / "out.png").mkdir()  # the proof cannot be written
    result = run(main, ["proof", "spec.yaml", "-o", "out.pdf"])
    assert result.exit_code == 2 and result.stderr.splitlines()[-1].startswith("out.png: error: cannot write it"), result.stderr
    assert (mini.root / "out.pdf").read_bytes() == pdf, "the PDF was replaced without its proof"
    (mini.root / "out.png").rmdir()
    assert run(main, ["proof", "spec.yaml", "-o", "out.pdf"]).exit_code == 0
    assert (mini.root / "out.pdf").read_bytes() != pdf and (mini.root / "out.png").read_bytes() != png
    assert not list(mini.root.glob(".*.tmp"))


def test_a_file_name_too_long_for_the_system_is_not_found(mini):
    """Found by the fuzzer: a 300-character name made Path.is_file raise (ENAMETOOLONG)."""
    long = "x" * 300
    mini.spec(mini.texts["spec.yaml"].replace("story: story.md", f"story: {long}.md")
              .replace("styles: styles.yaml", f"styles: [styles.yaml, {long}.yaml]"))
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", f"{long}.md"), "story file not found")
    find(errors, mini.at("spec.yaml", f"{long}.yaml"), "style sheet not found")
    mini.spec(_image_spec_for(MINI_SPEC, f"{long}.jpg"))
    mini.write("styles.yaml", mini.texts["styles.yaml"].replace("  书宋: Noto Serif CJK SC", f"  书宋: {long}.otf"))
    errors = mini.errors()
    find(errors, mini.at("styles.yaml", f"{long}.otf"), "File name too long")


def test_the_fonts_report_reads_hostile_files_bounded(mini):
    from click.testing import CliRunner

    from broadsheet.cli import main

    run = CliRunner().invoke
    result = run(main, ["fonts", "--no-system", "--story", "/dev/zero"])
    assert result.exit_code == 0, result.output
    mini.spec(_alias_bomb())
    result = run(main, ["fonts", "spec.yaml", "--no-system"])
    assert result.exit_code == 2 and "more than 100,000 values" in result.stderr


def test_check_prints_file_names_with_control_characters_escaped(mini):
    from broadsheet.tools.check import preflight

    mini.write("story.md", mini.texts["story.md"] + "\n![图](pic\x1b[2J.jpg)\n")
    mini.spec(MINI_SPEC + "    images:\n      - {figure: 1, columns: 1-2, top: 20, lines: 10}\n")
    report = preflight(Path("spec.yaml"))
    [item] = [i for i in report.items if i.check == "image"]
    assert "pic\\x1b[2J.jpg" in item.message and "\x1b" not in report.table(lambda cell, sev: cell)


def test_a_nul_character_in_a_path_is_not_found(mini):
    """Found by the fuzzer: a path with a NUL character made Path.resolve raise ValueError."""
    mini.spec(mini.texts["spec.yaml"].replace("story: story.md", 'story: "sto\\0ry.md"'))
    find(mini.errors(), mini.at("spec.yaml", '"sto'), "story file not found")
    mini.spec(MINI_SPEC + "    images:\n      - {figure: 1, columns: 1-2, top: 20, lines: 10}\n")
    mini.write("story.md", mini.texts["story.md"] + "\n![图](pi\x00c.jpg)\n")
    _, warnings = mini.build()
    assert any("not found" in str(w) and "\\x00" in str(w) for w in warnings), warnings


def test_long_lines_and_values_take_linear_time(mini):
    """A figure line of many '](' (the figure pattern backtracked through each: minutes), and
    lengths and column ranges padded with spaces (quadratic), are refused or parsed at once."""
    import time

    mini.write("story.md", mini.texts["story.md"] + "\n![" + "](" * 500_000 + "\n")
    mini.spec(mini.texts["spec.yaml"].replace("gutter: 1字", "gutter: '1" + " " * 100_000 + "x!'")
              .replace("columns: 1-4", "columns: '1" + " " * 100_000 + "-'"))
    t0 = time.perf_counter()
    errors = mini.errors()
    assert time.perf_counter() - t0 < 5
    find(errors, mini.at("spec.yaml", "'1 "), "got a text of 100003 characters")
    find(errors, "story.md:11:1", "malformed figure")
    assert all(len(e) < 1200 for e in errors)


def test_keys_that_look_like_pydantic_tags_are_reported_as_written(mini):
    """Found by the fuzzer: an unknown key with a '[' in it ('charac[]ter') was dropped from the
    error's location as if pydantic had made it up, and the empty location raised IndexError."""
    mini.write("styles.yaml", mini.texts["styles.yaml"] + "charac[]ter: {}\nint: 3\n")
    errors = mini.errors()
    find(errors, mini.at("styles.yaml", "charac[]ter"), "unknown key 'charac[]ter'")
    find(errors, mini.at("styles.yaml", "int: 3"), "unknown key 'int'")


def test_an_empty_story_is_a_warning_at_its_spec_line(mini):
    mini.write("story.md", "")
    _, warnings = mini.build()
    assert [str(w) for w in warnings] == [f"{mini.at('spec.yaml', 'story.md')}: warning: story 'story' is empty: it has no head and no text"]


@pytest.mark.parametrize("extra, words", [
    ("fonts: {书宋: null}", "'fonts.书宋': no value (null)"),
    ("fonts: {书宋: 5}", "'fonts.书宋': must be text (a string), got 5"),
    ("fonts: {书宋: [1, null]}", "'fonts.书宋.0': must be text (a string), got 1"),
    ("style_overrides: {body: 5}", "'style_overrides.body': must be a mapping of keys and values, got 5"),
])
def test_the_specs_fonts_and_overrides_are_used_only_once_valid(mini, extra, words):
    """The style stage reads them from the raw spec (to check everything in one run): a value of
    the wrong kind raised TypeError there, or was reported twice."""
    mini.spec(MINI_SPEC + extra + "\n")
    errors = mini.errors()
    assert len(errors) == len({e.split(": error: ")[1].split("'")[1] for e in errors}), errors  # one per place
    assert any(words in e for e in errors), errors


def test_the_numbers_of_stories_segments_and_photos_are_bounded(mini):
    segment = "{columns: 1, top: 0, bottom: 1}"
    mini.spec(MINI_SPEC.replace("frame: {columns: 1-4, top: 0, bottom: end}", "frame: [" + ", ".join([segment] * 101) + "]"))
    find(mini.errors(), mini.at("spec.yaml", "[{columns"), "'stories.0.frame': must have at most 100 item(s)")
    story = "  - story: story.md\n    frame: {columns: 1, top: 0, bottom: 1}\n"
    mini.spec(MINI_SPEC.split("stories:")[0] + "stories:\n" + story * 2001)
    assert any("'stories': must have at most 2000 item(s)" in e for e in mini.errors())
