"""Preflight (`broadsheet check`): each problem found in a deliberately bad project, with its
severity and place; the table, --json, -o and the exit codes (0 ok, 1 an error, 2 invalid input)."""

from __future__ import annotations

import re

import dataclasses
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from broadsheet.input.project import load_project
from broadsheet.page.layout import lay_out as layout
from broadsheet.cli import main
from broadsheet.display import Box, Document, GlyphRun, Image as ImageItem, Page, Rule
from broadsheet.page.grid import Geometry
from broadsheet.tools.check import (MIN_PPI, check_bounds, check_images, check_rules, image_ppi,
                                  preflight)
from conftest import MINI_SPEC, SAMPLE_SPEC, small_truetype

TEXT = "天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳云腾致雨露结为霜金生丽水玉出昆冈"
MM = 72 / 25.4


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def checks(report, severity: str | None = None) -> list[str]:
    return [i.check for i in report.items if severity is None or i.severity == severity]


def photo(root: Path, name: str, size: tuple[int, int], mode: str = "RGB") -> Path:
    colour = (40, 80, 160) if mode == "RGB" else (0, 40, 80, 10) if mode == "CMYK" else 120
    path = root / name
    Image.new(mode, size, colour).save(path, "JPEG", quality=85)
    return path


def with_image(mini, name: str, columns: str = "1-2", lines: int = 8) -> None:
    mini.spec(MINI_SPEC + f"    images: [{{file: {name}, columns: {columns}, top: 5, lines: {lines}}}]\n")


# ---------------------------------------------------------------------------------------------
# a clean page


def test_sample_page_passes_preflight(tmp_path):
    result = cli("check", SAMPLE_SPEC)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["severity", "check", "where", "problem"]
    assert not [line for line in lines[1:-1] if line.split()[0] in ("error", "warning")], lines
    assert lines[-1] == f"{SAMPLE_SPEC}: 1 page, 0 errors, 0 warnings, 1 note: passes preflight"


def test_clean_mini_project(mini):
    report = preflight(Path("spec.yaml"))
    assert checks(report, "error") == [] and report.exit_code == 0
    result = cli("check", "spec.yaml")
    assert result.exit_code == 0
    assert not (mini.root / "out").exists(), "check writes nothing"


# ---------------------------------------------------------------------------------------------
# each problem


def test_low_resolution_image(mini):
    photo(mini.root, "small.jpg", (120, 80))
    with_image(mini, "small.jpg")
    report = preflight(Path("spec.yaml"))
    [item] = [i for i in report.items if i.check == "image-resolution"]
    assert item.severity == "error" and "small.jpg" in item.message and item.page == 1
    assert item.where.startswith("p.1 ")
    result = cli("check", "spec.yaml")
    assert result.exit_code == 1 and "image-resolution" in result.stdout and "fails preflight" in result.stdout
    assert cli("check", "spec.yaml", "--min-ppi", 5).exit_code == 0


def test_resolution_is_pixels_over_printed_inches(mini):
    photo(mini.root, "p.jpg", (1000, 700))
    with_image(mini, "p.jpg")
    project = load_project(Path("spec.yaml"))
    [im] = [i for i in layout(project).document.pages[0].items if isinstance(i, ImageItem)]
    placed_w = im.placed[2] if getattr(im, "placed", None) else im.w
    assert image_ppi(im) == pytest.approx(1000 / (placed_w / 72), rel=0.02)
    # computed from the file when the display list does not say
    bare = ImageItem.__new__(ImageItem)
    for f in dataclasses.fields(ImageItem):
        object.__setattr__(bare, f.name, getattr(im, f.name) if f.name not in ("ppi",) else 0)
    assert image_ppi(bare) == pytest.approx(image_ppi(im), rel=0.02)


def test_rgb_images_are_errors_only_when_cmyk_is_asked(mini):
    photo(mini.root, "rgb.jpg", (3000, 2000))
    with_image(mini, "rgb.jpg")
    assert "image-colour" not in checks(preflight(Path("spec.yaml")))
    report = preflight(Path("spec.yaml"), cmyk=True)
    [item] = [i for i in report.items if i.check == "image-colour"]
    assert item.severity == "error" and "RGB" in item.message
    assert cli("check", "spec.yaml", "--cmyk").exit_code == 1
    photo(mini.root, "cmyk.jpg", (3000, 2000), "CMYK")
    photo(mini.root, "grey.jpg", (3000, 2000), "L")
    for name in ("cmyk.jpg", "grey.jpg"):
        with_image(mini, name)
        assert checks(preflight(Path("spec.yaml"), cmyk=True), "error") == [], name


def test_unreadable_image(mini, tmp_path):
    photo(mini.root, "ok.jpg", (2000, 1500))
    with_image(mini, "ok.jpg")
    project = load_project(Path("spec.yaml"))
    doc = layout(project).document
    (mini.root / "ok.jpg").write_bytes(b"not a picture")
    [item] = check_images(doc)
    assert item.check == "image" and item.severity == "error" and "cannot be read" in item.message


def test_overset(mini):
    mini.spec(MINI_SPEC.replace("columns: 1-4, top: 0, bottom: end", "columns: 1, top: 0, bottom: 3"))
    mini.write("story.md", TEXT * 12 + "\n")
    report = preflight(Path("spec.yaml"))
    [item] = [i for i in report.items if i.check == "overset"]
    # at the story's entry in the spec (where its frame is), with how much is over and the copyfit
    assert item.severity == "error" and item.where == mini.at("spec.yaml", "story: story.md")
    assert re.search(r"'story' is overset: \d+ characters \(\d+ body lines\) do not fit its frame", item.message)
    assert "copyfit -" in item.message
    result = cli("check", "spec.yaml", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["exit_code"] == 1 and data["errors"] >= 1
    assert any(i["check"] == "overset" for i in data["items"])


def test_missing_glyph_is_listed_and_exits_2(mini):
    mini.write("story.md", "正文有\U0002A6D6字。\n")
    report = preflight(Path("spec.yaml"))
    assert report.invalid and report.exit_code == 2
    [item] = report.items
    assert item.check == "glyph" and item.severity == "error" and "U+2A6D6" in item.message
    assert item.where == mini.at("story.md", "\U0002A6D6")  # line and column of the character
    result = cli("check", "spec.yaml")
    assert result.exit_code == 2 and "glyph" in result.stdout and "invalid input" in result.stdout


def test_other_invalid_input_is_listed(mini):
    mini.spec(MINI_SPEC.replace("gutter: 1字", "gutter: 4ft"))
    report = preflight(Path("spec.yaml"))
    assert report.exit_code == 2 and checks(report) == ["input"]
    assert report.items[0].where == "spec.yaml:{}:{}".format(*mini.pos("spec.yaml", "4ft"))


def test_thin_rules_from_the_spec(mini):
    mini.spec(MINI_SPEC.replace("    frame: {columns: 1-4, top: 0, bottom: end}\n",
                                "    frame: {columns: 1-4, top: 0, bottom: 30}\n    rules: [bottom]\n    rule_weight: 0.1pt\n"))
    report = preflight(Path("spec.yaml"))
    [item] = [i for i in report.items if i.check == "thin-rule"]
    assert item.severity == "warning" and "0.1 pt" in item.message and item.page == 1
    assert report.exit_code == 0, "a warning does not fail preflight"


def test_thin_rules_and_box_outlines_on_a_display_list():
    page = Page(1, 500, 500, [Rule(10, 10, 100, 10, 0.2, (0, 0, 0, 100)), Rule(10, 20, 100, 20, 0.25, (0, 0, 0, 100)),
                              Box(10, 30, 50, 50, (0, 0, 0, 100), None, 0.1), Box(10, 30, 50, 50, None, (0, 0, 0, 10), 0)])
    items = check_rules(Document([page]))
    assert [(i.check, i.message.split()[0]) for i in items] == [("thin-rule", "rule"), ("thin-rule", "box")]


GEO = Geometry(600, 800, 50, 60, 500, 680, 4, 10, 14)


def test_outside_the_type_area_and_off_the_page(mini):
    result, _ = _mini_page()
    glyph_run = next(r for r in result.document.pages[0].items if isinstance(r, GlyphRun) and r.role == "body")
    geo = result.document.geometry
    page = Page(1, geo.page_w, geo.page_h, [
        glyph_run,  # inside
        dataclasses.replace(glyph_run, x=geo.x0 - 20, role="body"),  # into the left margin
        dataclasses.replace(glyph_run, y=geo.y0 - 20, role="header"),  # the running head: by design
        Rule(geo.x0, geo.y0 - 5, geo.x0 + geo.width, geo.y0 - 5, 0.75, (0, 0, 0, 100)),  # under the running head
        Box(geo.x0 + geo.width - 10, geo.y0 + 100, 40, 40, (0, 0, 0, 100), None, 0.5),  # into the right margin
        Box(geo.page_w - 10, geo.y0 + 200, 40, 40, None, (0, 0, 0, 20), 0),  # off the page
    ])
    items = check_bounds(Document([page], geometry=geo))
    assert [(i.severity, i.check) for i in items] == [("warning", "outside"), ("warning", "outside"), ("error", "off-page")]
    assert "left by 0.7 mm" in items[0].message and "body line" in items[0].message  # 20 pt left, less the 2字 indent
    assert "right by" in items[1].message and "box" in items[1].message
    assert "runs off the page" in items[2].message


def test_a_rule_above_the_type_area_without_a_running_head_is_reported():
    page = Page(1, 600, 800, [Rule(50, 50, 550, 50, 0.75, (0, 0, 0, 100))])
    [item] = check_bounds(Document([page], geometry=GEO))
    assert item.check == "outside" and "top by" in item.message


def _mini_page():
    project = load_project(Path("spec.yaml"))
    return layout(project), project


@pytest.mark.parametrize("fs_type,words", [(0x0002, "forbids embedding"), (0x0100, "forbids subsetting"),
                                           (0x0200, "only its bitmaps"), (0x0000, None), (0x0004, None), (0x0008, None)])
def test_one_licence_rule_for_build_and_check(mini, fs_type, words):
    font = small_truetype("Licensed Kai", 600)  # its characters come from the fallback fonts
    font["OS/2"].fsType = fs_type
    font.save(mini.root / "kai.ttf")
    mini.write("styles.yaml", mini.texts["styles.yaml"].replace("  楷体: LXGW WenKai\n", "  楷体: kai.ttf\n", 1))
    report = preflight(Path("spec.yaml"))
    items = [i for i in report.items if i.check == "font-licence"]
    if words is None:
        assert not items and report.exit_code == 0
        mini.build()
        return
    assert report.exit_code == 2 and len(items) == 1 and words in items[0].message
    assert items[0].where == mini.at("styles.yaml", "kai.ttf")
    assert [e for e in mini.errors() if words in e]


def test_headline_clash(mini):
    mini.write("other.md", "---\ntitle: 另一篇稿件的标题\n---\n\n" + TEXT + "\n")
    mini.spec(MINI_SPEC.replace("    frame: {columns: 1-4, top: 0, bottom: end}\n", """\
    frame: {columns: 1-2, top: 0, bottom: end}
  - story: other.md
    frame: {columns: 3-4, top: 0, bottom: end}
"""))
    report = preflight(Path("spec.yaml"))
    [item] = [i for i in report.items if i.check == "headline-clash"]
    assert item.severity == "warning" and "碰题" in item.message
    assert item.where.startswith("spec.yaml:")


def test_quality_notes(mini):
    # a number that may not break and does not fit after the first line's characters leaves that
    # line short: its gaps open by more than an eighth of an em
    mini.write("story.md", "一二三四五六七八九12345678901234567890文字。" + "正文文字。" * 40 + "字\n")
    report = preflight(Path("spec.yaml"))
    result, _ = _mini_page()
    q = result.stories["story"].quality
    assert q.loose > 0, "a line left short before an unbreakable number comes out loose"
    [note] = [i for i in report.items if i.check == "quality"]
    assert note.severity == "note" and f"{q.loose} loose" in note.message and f"{q.orphans} 孤字" in note.message
    assert report.exit_code == 0, "notes do not fail preflight"


# ---------------------------------------------------------------------------------------------
# output


def test_json_and_output_file(mini):
    photo(mini.root, "small.jpg", (100, 60))
    with_image(mini, "small.jpg")
    result = cli("check", "spec.yaml", "--json", "-o", "report/check.json")
    assert result.exit_code == 1 and result.stdout == ""
    data = json.loads((mini.root / "report" / "check.json").read_text(encoding="utf-8"))
    assert set(data) >= {"spec", "pages", "errors", "warnings", "notes", "exit_code", "items"}
    assert data["pages"] == 1 and data["spec"] == "spec.yaml"
    assert {"severity", "check", "message", "where", "page"} <= set(data["items"][0])
    text = cli("check", "spec.yaml", "-o", "report/check.txt")
    assert text.exit_code == 1
    written = (mini.root / "report" / "check.txt").read_text(encoding="utf-8")
    assert "\x1b[" not in written and "image-resolution" in written


def test_colours_only_on_a_terminal(mini):
    photo(mini.root, "small.jpg", (100, 60))
    with_image(mini, "small.jpg")
    plain = CliRunner().invoke(main, ["check", "spec.yaml"])
    coloured = CliRunner().invoke(main, ["check", "spec.yaml"], color=True)
    assert "\x1b[" not in plain.stdout
    assert "\x1b[31m" in coloured.stdout  # errors in red


def test_quiet_lists_errors_only(mini):
    photo(mini.root, "small.jpg", (100, 60))
    with_image(mini, "small.jpg", lines=8)
    result = cli("check", "spec.yaml", "-q")
    assert result.exit_code == 1
    body = result.stdout.splitlines()[1:-1]
    assert body and all(line.startswith("error") for line in body)


@pytest.mark.parametrize("width,flagged", [(500, True), (1000, False)])
def test_build_and_check_share_one_resolution_floor(mini, width, flagged):
    # a 2-column slot (~250 pt wide, filled): 500 px print at ~144 ppi, 1000 px at ~288 ppi (the floor is 170)
    photo(mini.root, "p.jpg", (width, width * 2 // 3))
    with_image(mini, "p.jpg")
    _, warnings = mini.build()
    built = [w for w in warnings if w.code == "image-resolution"]
    checked = [i for i in preflight(Path("spec.yaml")).items if i.check == "image-resolution"]
    assert bool(built) == bool(checked) == flagged
    assert all(f"below {MIN_PPI:g}" in w.message for w in built)


def test_a_low_resolution_photo_is_told_once_when_the_file_is_checked_too(mini):
    from broadsheet.tools.build import build

    photo(mini.root, "p.jpg", (300, 200))
    with_image(mini, "p.jpg")
    build(Path("spec.yaml"), Path("out.pdf"), pdfx="x4")

    def low(pdf_check: bool) -> list[str]:
        report = preflight(Path("spec.yaml"), pdf=Path("out.pdf") if pdf_check else None, pdfx="x4")
        return [i.message for i in report.items if i.check == "image-resolution"]

    [told] = low(False)
    assert low(True) == [told] and "p.jpg" in told and "use a larger picture" in told
    # a file whose photo is not the one its spec now names: the file's finding stands on its own
    photo(mini.root, "p.jpg", (3000, 2000))
    [found] = low(True)
    assert found.startswith("image 300×200 px prints at")


def test_a_story_box_inset_in_the_margin_is_a_note():
    inset = Box(GEO.x0 - 4.5, GEO.y0 + 100, 200, 100, (0, 0, 0, 100), None, 0.75)  # half a gutter out, as boxes are
    wide = Box(GEO.x0 - 30, GEO.y0 + 300, 200, 100, (0, 0, 0, 100), None, 0.75)
    items = check_bounds(Document([Page(1, 600, 800, [inset, wide])], geometry=GEO))
    assert [(i.severity, i.check) for i in items] == [("note", "outside"), ("warning", "outside")]
    assert "inset" in items[0].message
