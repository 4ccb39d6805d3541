"""The helper commands and the CLI conventions: `styles` (resolved values and where they came
from), `fonts` (roles and coverage), --verbose timings and cache hits, progress bars and colours
only on a terminal, help with an example everywhere, and a README that documents every command
and option."""

from __future__ import annotations

import json
import re
import shutil
import sys

import click
from click.testing import CliRunner

from broadsheet import cli as cli_module
from broadsheet.cli import main
from conftest import MINI_SPEC, ROOT, run_cli

TEXT = "天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳云腾致雨露结为霜金生丽水玉出昆冈"


def cli(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)


# ---------------------------------------------------------------------------------------------
# styles


def _row(output: str, style: str, prop: str) -> str:
    block = output.split(f"paragraph style '{style}'\n", 1)[1].split("\n\n", 1)[0]
    [line] = [ln for ln in block.splitlines() if ln.split()[0] == prop]
    return line


def test_styles_shows_values_and_their_origins(mini):
    result = cli("styles", "spec.yaml")
    assert result.exit_code == 0, result.output
    out = result.stdout
    size_line = mini.pos("styles.yaml", "size: 小五")[0]
    assert re.search(rf"9pt \(小五\)\s+styles\.yaml:{size_line}$", _row(out, "body", "size"))
    assert _row(out, "body", "hanging").split()[-1] == "default"
    # inherited: second_title takes its font from title
    title_font = mini.pos("styles.yaml", "font: 标宋")[0]
    assert re.search(rf"标宋\s+styles\.yaml:{title_font} \(from title\)$", _row(out, "second_title", "font"))
    assert "font roles" in out and "Noto Serif CJK SC" in out
    assert "character style 'strong'" in out


def test_styles_shows_the_specs_overrides(mini):
    mini.spec(MINI_SPEC.replace("styles: styles.yaml\n", "styles: styles.yaml\nstyle_overrides:\n  body: {size: 五号}\n"))
    out = cli("styles", "spec.yaml", "body", "second_title").stdout
    line = mini.pos("spec.yaml", "size: 五号")[0]
    assert re.search(rf"10\.5pt \(五号\)\s+spec\.yaml:{line} \(style_overrides\.body\)$", _row(out, "body", "size"))
    assert "paragraph style 'title'" not in out, "NAMES limits the listing"
    assert "font roles" not in out


def test_styles_of_a_single_sheet_and_json(mini):
    result = cli("styles", "styles.yaml", "credit", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    credit = data["paragraph"]["credit"]
    assert credit["size"]["value"] == 7.5 and credit["size"]["text"] == "7.5pt (六号)"
    assert credit["font"]["via"] == "caption"
    assert credit["color"]["origin"] == "default" and credit["color"]["value"] == [0, 0, 0, 100]


def test_styles_unknown_name_and_broken_sheet(mini):
    result = cli("styles", "spec.yaml", "boddy")
    assert result.exit_code == 2 and "no style 'boddy' (did you mean 'body'?)" in result.stderr
    mini.write("styles.yaml", mini.texts["styles.yaml"].replace("size: 小五\n", "size: 五毫米\n", 1))
    broken = cli("styles", "spec.yaml")
    assert broken.exit_code == 2
    assert re.search(r"^styles\.yaml:\d+:\d+: error: .*五毫米", broken.stderr, re.M)


def test_styles_output_file(mini):
    assert cli("styles", "spec.yaml", "-o", "styles.txt").exit_code == 0
    assert "paragraph style 'body'" in (mini.root / "styles.txt").read_text(encoding="utf-8")


def test_the_whole_listing_as_json_holds_plain_values(mini):
    # the character styles' origins (positions) went into the data, so that `styles SPEC --json`
    # without names ended in a traceback and the listing showed their repr
    result = cli("styles", "spec.yaml", "--json")
    assert result.exit_code == 0
    strong = json.loads(result.stdout)["character"]["strong"]
    assert set(strong) == {"font", "size", "color"} and strong["font"] == {"value": "黑体", "text": "黑体"}
    assert "origins" not in cli("styles", "spec.yaml").stdout


# ---------------------------------------------------------------------------------------------
# fonts


def test_fonts_roles_and_coverage_of_a_text(mini):
    result = cli("fonts", "--text", "天地\U0002A6D6玄黄", "--no-system", "spec.yaml")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:6] == ["family", "font", "source", "roles", "coverage", "missing"]
    serif = next(ln for ln in lines if "NotoSerifCJKsc-Regular" in ln)
    assert "bundled" in serif and "书宋" in serif and "fallback 1" in serif
    assert "4/5" in serif and "\U0002A6D6" in serif
    kai = next(ln for ln in lines if "LXGWWenKai-Regular" in ln)
    assert "楷体" in kai


def test_fonts_reports_every_font_it_cannot_resolve_as_build_does(mini):
    mini.write("styles.yaml", mini.texts["styles.yaml"].replace("  楷体: LXGW WenKai\n", "  楷体: Nowhere Kai\n", 1))
    result = cli("fonts", "--no-system", "spec.yaml")
    assert result.exit_code == 2
    where = mini.at("styles.yaml", "Nowhere Kai")
    assert f"{where}: error: unknown font 'Nowhere Kai'" in result.stderr
    assert result.stderr.count("Nowhere Kai'") == 1
    assert "NotoSerifCJKsc-Regular" in result.stdout  # the listing still comes


def test_fonts_coverage_of_a_story_and_of_the_specs_stories(mini):
    mini.write("odd.md", "正文有\U0002A6D6字。\n")
    data = json.loads(cli("fonts", "--story", "odd.md", "--no-system", "--json").stdout)
    assert data["characters"] == 6
    for font in data["fonts"]:
        assert font["missing"] == "\U0002A6D6" and font["covered"] == 5 and font["roles"] == []
    whole = json.loads(cli("fonts", "spec.yaml", "--no-system", "--json").stdout)
    assert whole["characters"] > 20 and all(f["covered"] == f["total"] for f in whole["fonts"] if f["roles"])


def test_fonts_lists_bundled_and_system_fonts(tmp_path, monkeypatch):
    from broadsheet.tools import fonts_report as fontinfo

    system = tmp_path / "system-fonts"
    system.mkdir()
    shutil.copy(ROOT / "fonts" / "NotoSansCJKsc-Bold.otf", system / "SystemSans.otf")
    monkeypatch.setattr(fontinfo, "SYSTEM_DIRS", [system])
    result = cli("fonts")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "coverage" not in lines[0], "no text, no coverage"
    bundled = [ln for ln in lines if " bundled " in ln]
    assert len(bundled) == 4, "the four bundled fonts"
    [copy] = [ln for ln in lines if "SystemSans.otf" in ln]
    assert " system " in copy and "NotoSansCJKsc-Bold" in copy, "the same font in a system folder is listed too"
    assert "SystemSans.otf" not in cli("fonts", "--no-system").stdout


def test_fonts_text_and_story_are_exclusive(mini):
    mini.write("a.md", "字\n")
    result = CliRunner().invoke(main, ["fonts", "--text", "字", "--story", "a.md"])
    assert result.exit_code == 2 and "not both" in result.output


# ---------------------------------------------------------------------------------------------
# conventions


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
