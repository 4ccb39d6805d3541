"""`broadsheet styles` (tools/styles_report.py): the resolved styles of a spec or of one sheet, each
value with where it came from, as a listing that lines up in a terminal and as JSON."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from broadsheet.cli import main
from broadsheet.diagnostics import InputError
from broadsheet.tools.styles_report import describe, format_value, is_spec, load, text, to_json, unknown
from broadsheet.units import Length

from conftest import MINI_SPEC


def cli(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)


def cells(s: str) -> int:
    """Terminal cells of a text: two for each wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def test_a_spec_is_told_from_a_style_sheet():
    assert is_spec({"stories": []}) and is_spec({"page": {"size": "A4"}})
    assert not is_spec({"paragraph": {"body": {}}}) and not is_spec(["stories"]) and not is_spec(None)


@pytest.mark.parametrize("key,value,shown", [
    ("size", 9.0, "9pt (小五)"), ("size", 11.0, "11pt"), ("hanging", True, "true"), ("hanging", False, "false"),
    ("latin_font", None, "-"), ("indent", Length(2, "字"), "2字"), ("leading", Length(1.5, "×"), "1.5× size"),
    ("color", (0, 0, 0, 100), "black [0, 0, 0, 100]"), ("color", (10, 0, 5.5, 0), "[10, 0, 5.5, 0]"),
    ("align", "justify", "justify"),
])
def test_values_as_a_designer_writes_them(key, value, shown):
    assert format_value(key, value) == shown


def test_the_resolved_styles_of_a_spec_with_their_origins(mini):
    mini.spec(MINI_SPEC.replace("styles: styles.yaml\n", "styles: styles.yaml\nstyle_overrides:\n  body: {size: 五号}\n"))
    loaded = load(Path("spec.yaml"))
    assert loaded.diagnostics == [] and loaded.spec is not None
    data = describe(loaded)
    body, second = data["paragraph"]["body"], data["paragraph"]["second_title"]
    size_line = mini.pos("spec.yaml", "size: 五号")[0]
    assert body["size"] == {**body["size"], "value": 10.5, "text": "10.5pt (五号)", "origin": f"spec.yaml:{size_line}",
                            "via": "style_overrides.body"}
    assert body["hanging"]["origin"] == "default" and body["hanging"]["description"]
    assert second["font"]["via"] == "title" and second["font"]["origin"] == f"styles.yaml:{mini.pos('styles.yaml', 'font: 标宋')[0]}"
    assert data["character"]["strong"]["font"]["text"] == "黑体"
    assert [r["name"] for r in data["fonts"]["书宋"]] == ["Noto Serif CJK SC"] and data["fallback"]
    assert json.loads(to_json(data)) == data
    only = describe(loaded, ["body", "strong"])
    assert list(only["paragraph"]) == ["body"] and list(only["character"]) == ["strong"]
    assert only["fonts"] == {} and only["fallback"] == []
    assert unknown(loaded, ["body", "boddy", "strong", "titel"]) == ["boddy", "titel"]


def test_the_whole_listing_as_json_holds_plain_values(mini):
    # found by these tests: the character styles' origins (positions) went into the data, so that
    # `styles SPEC --json` without names ended in a traceback and the listing showed their repr
    result = cli("styles", "spec.yaml", "--json")
    assert result.exit_code == 0
    strong = json.loads(result.stdout)["character"]["strong"]
    assert set(strong) == {"font", "size", "color"} and strong["font"] == {"value": "黑体", "text": "黑体"}
    assert "origins" not in cli("styles", "spec.yaml").stdout


def test_a_sheet_alone_and_a_sheet_that_does_not_load(mini):
    sheet = load(Path("styles.yaml"))
    assert sheet.spec is None and "caption" in sheet.styles.paragraph
    mini.write("styles.yaml", mini.texts["styles.yaml"].replace("size: 小五\n", "size: 五毫米\n", 1))
    broken = load(Path("spec.yaml"))
    [d] = broken.diagnostics
    assert d.pos.file == "styles.yaml" and d.pos.line == mini.pos("styles.yaml", "五毫米")[0] and "五毫米" in d.message
    mini.write("empty.yaml", "[unclosed\n")
    with pytest.raises(InputError):
        load(Path("empty.yaml"))


def test_the_listing_lines_up_in_a_terminal(mini):
    listing = text(describe(load(Path("spec.yaml")), None))
    blocks = listing.split("\n\n")
    fonts = blocks[0].splitlines()
    assert fonts[0] == "font roles" and len(fonts) > 3
    # the origin column starts in the same terminal cell on every row, though the font names are CJK
    starts = {cells(row[:row.index(re.search(r"  styles\.yaml:\d+$", row).group(0))]) for row in fonts[1:]}
    assert len(starts) == 1, fonts
    body = next(b for b in blocks if b.startswith("paragraph style 'body'")).splitlines()[1:]
    value_ends = {cells(row.rsplit("  ", 1)[0]) for row in body if not row.endswith(")")}
    assert len(value_ends) == 1, body
    assert listing.endswith("\n") and not listing.endswith("\n\n")


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
