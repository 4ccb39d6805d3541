"""`broadsheet fonts` (tools/fonts_report.py): the fonts broadsheet finds, the roles a spec's sheets
give them, their licence and how much of a text each covers, as a table and as JSON."""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

from click.testing import CliRunner

from broadsheet.cli import main
from broadsheet.tools.fonts_report import FontRow, distinct, list_fonts, table, text_of_spec, text_of_story, to_json

from conftest import GRID_SPEC, ROOT, small_truetype


def cli(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)


def test_the_distinct_characters_of_a_text_as_set():
    # in order of first use, once each, ASCII marks as set the Chinese way (... is ……: one mark twice)
    assert distinct("天地 天,玄\n地...") == "天地，玄…"
    assert distinct("") == "" and distinct(" \n\t") == ""


def test_the_text_of_a_story_and_of_a_specs_stories(mini):
    mini.write("story.md", '---\ntitle: 标题字\nbyline: 署名\n---\n\n正文**粗体**字。\n\n![图说字](p.jpg "摄影字")\n')
    text = text_of_story(Path("story.md"))
    for part in ("标题字", "署名", "正文", "粗体", "图说字", "摄影字"):
        assert part in text
    assert "**" not in text and "p.jpg" not in text
    mini.write("broken.md", "---\ntitel: 错\n---\n\n原文。\n")  # does not load: the file as it is
    assert text_of_story(Path("broken.md")) == "---\ntitel: 错\n---\n\n原文。\n"
    assert "标题字" in text_of_spec(Path("spec.yaml"))
    mini.spec("stories: [\n")
    assert text_of_spec(Path("spec.yaml")) is None


def test_a_spec_reads_no_story_outside_its_project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "outside.md").write_text("外面的字。\n", encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    (project / "inside.md").write_text("里面的字。\n", encoding="utf-8")
    (project / "spec.yaml").write_text(GRID_SPEC + "  - story: ../outside.md\n    frame: {columns: 1-2}\n"
                                                   "  - story: inside.md\n    frame: {columns: 3-4}\n", encoding="utf-8")
    assert text_of_spec(project / "spec.yaml") == "里面的字。"


def test_fonts_found_with_their_roles_and_coverage(mini):
    small_truetype("Broadsheet Tiny", 600, fs_type=0).save(mini.root / "tiny.ttf")  # installable: embeds
    mini.write("styles.yaml", mini.texts["styles.yaml"].replace("  楷体: LXGW WenKai\n", "  楷体: tiny.ttf\n", 1))
    rows, diagnostics = list_fonts(Path("spec.yaml"), "天A", system=False)
    assert diagnostics == []
    by_name = {r.name: r for r in rows}
    [tiny] = [r for r in rows if r.family == "Broadsheet Tiny"]
    assert (tiny.source, tiny.file, tiny.roles) == ("file", "tiny.ttf", ["楷体"])  # named by path, shown as written
    assert (tiny.covered, tiny.total, tiny.missing) == (1, 2, "天")
    serif = by_name["NotoSerifCJKsc-Regular"]
    assert serif.source == "bundled" and serif.roles == ["书宋", "fallback 1"] and serif.missing == ""
    assert by_name["LXGWWenKai-Regular"].roles == ["fallback 3"], "no longer 楷体, still in the fallback chain"
    assert [r.source for r in rows] == ["bundled"] * 4 + ["file"]  # with a role: the bundled first
    plain, _ = list_fonts(system=False)
    assert {r.source for r in plain} == {"bundled"} and not any(r.roles for r in plain)
    assert all(r.covered is None for r in plain), "no text, no coverage"


def test_the_table_lines_up_and_shortens_what_is_missing():
    rows = [FontRow("NotoSerifCJKsc-Regular", "Noto Serif CJK SC", "fonts/a.otf", "bundled", ["书宋", "fallback 1"],
                    True, 70, 100, "".join(chr(0x4E00 + k) for k in range(30))),
            FontRow("Locked", "某字体", "b.ttf", "file", [], False, 100, 100, "")]
    lines = table(rows, show_coverage=True).splitlines()
    assert lines[0].split() == ["family", "font", "source", "roles", "coverage", "missing", "file"]
    first, second = lines[1], lines[2]
    assert "一丁丂七丄丅丆万丈三上下丌不与丏丐丑丒专且丕世丗" in first and "… (+6)" in first and "70/100" in first
    assert "Locked (no embedding)" in second and second.split()[-1] == "b.ttf" and " - " in second

    def cell_of(line: str, word: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line[:line.index(word)])

    assert cell_of(first, "bundled") == cell_of(second, "file") == cell_of(lines[0], "source")
    assert cell_of(first, "fonts/a.otf") == cell_of(second, "b.ttf") == cell_of(lines[0], "file")
    assert "coverage" not in table(rows, show_coverage=False)
    data = json.loads(to_json(rows, "天地天"))
    assert data["characters"] == 2 and data["fonts"][1]["embeddable"] is False
    assert "characters" not in json.loads(to_json(rows, None))


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
