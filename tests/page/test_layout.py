"""Page geometry (frames, threading, headlines, photos, furniture, checks) on small projects, and
both sample specs built and read back."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from PIL import Image as PILImage

from broadsheet.input.project import load_project
from broadsheet.tools.build import build
from broadsheet.text.punctuation import full_width_punctuation
from broadsheet.display import Box, GlyphRun, Image, Rule
from broadsheet.input.story import load_story

from conftest import MINI_SPEC, ROOT, find

GRID_SPEC = MINI_SPEC.split("stories:")[0] + "stories:\n"  # the small A4 project, without its story

LONG = "　".join(["这是一段用来测试排版的文字，内容没有实际意义，只是让正文足够长，可以流过好几栏。"] * 3)


def story(title: str | None, paragraphs: int, extra: str = "") -> str:
    head = f"---\ntitle: {title}\n---\n\n" if title else ""
    return head + "\n\n".join(f"{k}号段落{LONG}" for k in range(1, paragraphs + 1)) + "\n" + extra


def runs(result, page: int = 1, story_name: str | None = None, role: str | None = None) -> list[GlyphRun]:
    out = result.document.pages[page - 1].runs()
    return [r for r in out if (story_name is None or r.story == story_name) and (role is None or r.role == role)]


def column_of(geo, x: float) -> int:
    return int((x - geo.x0 + geo.gutter / 2) // (geo.col_w + geo.gutter)) + 1


def test_frames_of_two_stories_may_not_overlap(mini):
    mini.write("b.md", story("乙", 1))
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-2, top: 0, bottom: 30}\n"
                          "  - story: b.md\n    frame: {columns: 2-3, top: 20, bottom: end}\n")
    errors = mini.errors()
    hit = find(errors, mini.at("spec.yaml", "{columns: 2-3"), "'story' and 'b' overlap", "columns 2-2", "lines 20-30")
    assert "page 1" in hit


def test_text_threads_down_each_segment_then_across(mini):
    # a step: columns 1-2 down to line 20, then columns 3-4 down to line 40
    mini.write("story.md", story(None, 14))
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame:\n      - {columns: 1-2, top: 0, bottom: 20}\n"
                          "      - {columns: 3-4, top: 0, bottom: 40}\n")
    result, _ = mini.build(allow_overset=True)
    geo = result.document.geometry
    body = runs(result, role="body")
    order = [(column_of(geo, r.x), int((r.y - geo.y0) // geo.pitch)) for r in body]
    cols = [c for c, _ in order]
    assert cols == sorted(cols), "text must fill column 1, then 2, then 3, then 4"
    assert set(cols) == {1, 2, 3, 4}
    for c in (1, 2):
        assert max(line for col, line in order if col == c) < 20
    for c in (3, 4):
        assert max(line for col, line in order if col == c) < 40
    # reading order: the text of the lines, concatenated, is the story's text
    text = "".join(r.text for r in body)
    assert text.startswith("1号段落这是一段")


def test_story_continues_on_another_page_with_jump_lines(mini):
    mini.write("story.md", story("跨版稿件", 8))
    spec = GRID_SPEC.replace("styles: styles.yaml", "styles: styles.yaml\nheader: {page: 3, section: 测试}")
    mini.spec(spec + "  - story: story.md\n    frame:\n      - {page: 1, columns: 1-4, top: 0, bottom: 15}\n"
                     "      - {page: 2, columns: 1-4, top: 0, bottom: end}\n")
    result, _ = mini.build()
    assert len(result.document.pages) == 2
    jumps1 = [r.text for r in runs(result, 1, role="jump")]
    jumps2 = [r.text for r in runs(result, 2, role="jump")]
    assert jumps1 == ["（下转第4版）"]
    assert jumps2 == ["（上接第3版）"]
    # the text goes on where it stopped: page 1's last body line is followed by page 2's first
    all_body = "".join(r.text for p in (1, 2) for r in runs(result, p, role="body"))
    expected = "".join(full_width_punctuation(b.text)[0] for b in load_story(Path("story.md")).blocks)
    assert all_body.replace(" ", "") == expected.replace(" ", "")


def test_headline_takes_whole_body_lines(mini):
    mini.write("story.md", story("标题占整行", 2))
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-4, top: 3, bottom: end}\n")
    result, _ = mini.build()
    geo = result.document.geometry
    page, c1, c2, top, bottom = result.stories["story"].headline
    assert (c1, c2, top) == (1, 4, 3) and bottom > top
    # the first body line sits on the grid line right under the headline block
    first = min(runs(result, role="body"), key=lambda r: r.y)
    line_top = geo.line_y(bottom)
    assert line_top < first.y < line_top + geo.pitch
    # and every body line of every column is on the shared grid
    base = (first.y - geo.y0) % geo.pitch
    for r in runs(result, role="body"):
        assert (r.y - geo.y0) % geo.pitch == pytest.approx(base, abs=0.01)


def test_vertical_title_sets_one_character_per_line(mini):
    mini.write("story.md", story("竖排标题", 8))
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-4, top: 0, bottom: end}\n"
                          "    headline: {columns: 1-1, vertical: true}\n")
    result, _ = mini.build()
    titles = runs(result, role="title")
    assert [r.text for r in titles] == list("竖排标题")
    assert len({round(r.y) for r in titles}) == 4
    # the text flows beside the title: column 2 starts at the top
    geo = result.document.geometry
    col2 = [r for r in runs(result, role="body") if column_of(geo, r.x) == 2]
    assert min(r.y for r in col2) < geo.line_y(1)


def make_photo(path: Path, size: tuple[int, int], mode: str = "RGB") -> Path:
    PILImage.new(mode, size, (120, 80, 40) if mode == "RGB" else 128 if mode == "L" else (10, 20, 30, 40)).save(path)
    return path


@pytest.mark.parametrize("mode,name", [("RGB", "rgb.jpg"), ("L", "gray.jpg"), ("CMYK", "cmyk.jpg"), ("RGB", "rgb.png")])
def test_photo_is_placed_and_text_flows_around_it(mini, mode, name):
    make_photo(mini.root / name, (1800, 1200), mode)
    mini.write("story.md", story("图片稿件", 4))
    mini.spec(GRID_SPEC + f"  - story: story.md\n    frame: {{columns: 1-4, top: 0, bottom: end}}\n"
                          f"    images:\n      - {{file: {name}, columns: 2-3, top: 10, lines: 12, caption: 图片说明文字。}}\n")
    result, warnings = mini.build()
    geo = result.document.geometry
    images = [i for i in result.document.pages[0].items if isinstance(i, Image)]
    assert len(images) == 1
    im = images[0]
    assert im.x == pytest.approx(geo.col_x(2)) and im.w == pytest.approx(geo.span_w(2, 3))
    assert im.y == pytest.approx(geo.line_y(10))
    # the caption directly below, at the photo's width
    cap = runs(result, role="caption")
    assert cap and cap[0].x == pytest.approx(im.x) and im.y + im.h < cap[0].y < im.y + im.h + geo.pitch
    # no body text under the photo or its caption
    for r in runs(result, role="body"):
        if column_of(geo, r.x) in (2, 3):
            assert not (im.y - 1 < r.y < cap[-1].y + geo.pitch / 2), r.text
    # fill: the picture covers the slot (cropped), aspect ratio kept
    px, py, pw, ph = im.placed
    assert pw / ph == pytest.approx(1800 / 1200, rel=1e-3)
    assert px <= im.x + 0.01 and py <= im.y + 0.01 and px + pw >= im.x + im.w - 0.01 and py + ph >= im.y + im.h - 0.01
    assert im.ppi > 200 and not [w for w in warnings if "ppi" in w.message]
    pdf = (mini.root / "out.pdf").read_bytes()
    assert b"/Subtype /Image" in pdf


def test_fit_shows_the_whole_picture_and_focal_point_steers_the_crop(mini):
    make_photo(mini.root / "tall.jpg", (600, 1800))
    mini.write("story.md", story(None, 2))
    base = GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-4, top: 0, bottom: end}\n    images:\n"
    mini.spec(base + "      - {file: tall.jpg, columns: 1-2, top: 0, lines: 10, fit: fit}\n")
    im = [i for i in mini.build()[0].document.pages[0].items if isinstance(i, Image)][0]
    px, py, pw, ph = im.placed
    assert ph == pytest.approx(im.h) and pw < im.w and px == pytest.approx(im.x + (im.w - pw) / 2)
    tops = []
    for focal in ("[0.5, 0.0]", "[0.5, 1.0]"):
        mini.spec(base + f"      - {{file: tall.jpg, columns: 1-2, top: 0, lines: 10, focal: {focal}}}\n")
        im = [i for i in mini.build()[0].document.pages[0].items if isinstance(i, Image)][0]
        tops.append(im.placed[1])
    assert tops[0] == pytest.approx(im.y)  # the top of the picture kept
    assert tops[1] < tops[0]  # the bottom kept: the picture moved up


def test_low_resolution_photo_is_a_warning(mini):
    make_photo(mini.root / "small.jpg", (120, 80))
    mini.write("story.md", story(None, 2))
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-4, top: 0, bottom: end}\n"
                          "    images:\n      - {file: small.jpg, columns: 1-2, top: 0, lines: 10}\n")
    _, warnings = mini.build()
    hits = [w for w in warnings if "ppi" in w.message]
    assert len(hits) == 1 and "below 170" in hits[0].message and hits[0].severity == "warning"


def test_missing_photo_is_a_placeholder_with_a_warning(mini):
    mini.write("story.md", story(None, 2))
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-4, top: 0, bottom: end}\n"
                          "    images:\n      - {file: nothere.jpg, columns: 1-2, top: 0, lines: 10}\n")
    result, warnings = mini.build()
    assert any("nothere.jpg not found" in w.message for w in warnings)
    assert any(r.role == "placeholder" and "图片缺失" in r.text for r in runs(result))


def test_headlines_side_by_side_are_a_warning(mini):
    mini.write("b.md", story("乙稿标题", 1))
    mini.write("story.md", story("甲稿标题", 1))
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-2, top: 0, bottom: end}\n"
                          "  - story: b.md\n    frame: {columns: 3-4, top: 0, bottom: end}\n")
    _, warnings = mini.build(allow_overset=True)
    hits = [w for w in warnings if "碰题" in w.message]
    assert len(hits) == 1 and "'b'" in hits[0].message and "'story'" in hits[0].message
    # staggered: no warning
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-2, top: 0, bottom: end}\n"
                          "  - story: b.md\n    frame: {columns: 3-4, top: 12, bottom: end}\n")
    _, warnings = mini.build(allow_overset=True)
    assert not [w for w in warnings if "碰题" in w.message]


def test_box_rules_and_column_rules(mini):
    mini.write("story.md", story("框线", 40))
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-3, top: 2, bottom: 40}\n"
                          "    box: {weight: 1pt, inset: 0.5字, tint: [0, 0, 10, 0]}\n"
                          "    rules: [right]\n    column_rules: true\n")
    result, _ = mini.build(allow_overset=True)
    geo = result.document.geometry
    items = result.document.pages[0].items
    boxes = [b for b in items if isinstance(b, Box) and b.stroke]
    assert len(boxes) == 1
    b = boxes[0]
    assert b.fill == (0, 0, 10, 0) and b.width == 1
    assert b.x == pytest.approx(geo.col_x(1) - 4.5) and b.y == pytest.approx(geo.line_y(2) - 4.5)
    assert items.index(b) < min(items.index(r) for r in items if isinstance(r, GlyphRun) and r.story)  # tint under the text
    verticals = [r for r in items if isinstance(r, Rule) and r.x0 == r.x1]
    xs = sorted({round(r.x0, 2) for r in verticals})
    gutter_mid = [round(geo.col_x(c) + geo.col_w + geo.gutter / 2, 2) for c in (1, 2, 3)]
    assert xs == gutter_mid  # two column rules and the rule on the right edge
    # the frame is full: the column rules run its whole height; a short last column has its rule
    # only beside its text
    rules = {round(r.x0, 2): (r.y0, r.y1) for r in verticals}
    below_headline = result.stories["story"].headline.bottom
    assert rules[gutter_mid[0]] == pytest.approx((geo.line_y(below_headline), geo.line_y(40)), abs=0.01)
    mini.write("story.md", story("框线", 5))
    result, _ = mini.build()
    page = result.document.pages[0]
    col2 = [r.y for r in page.runs() if r.story == "story" and geo.col_x(2) - 1 < r.x < geo.col_x(3) - 1]
    assert col2 and not [r for r in page.runs() if r.story == "story" and r.x > geo.col_x(3) - 1]
    rules = {round(r.x0, 2): (r.y0, r.y1) for r in page.items if isinstance(r, Rule) and r.x0 == r.x1}
    assert gutter_mid[1] not in rules  # column 3 holds no text
    assert max(col2) < rules[gutter_mid[0]][1] <= max(col2) + geo.pitch < geo.line_y(40)


def test_balanced_columns_end_together(mini):
    mini.write("story.md", story(None, 2))
    spec = GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-4, top: 0, bottom: end}\n"
    result, _ = mini.build()
    geo = result.document.geometry

    def bottoms(res):
        out = {}
        for r in runs(res, role="body"):
            c = column_of(geo, r.x)
            out[c] = max(out.get(c, 0), r.y)
        return out

    assert len(bottoms(result)) < 4  # unbalanced: the text stops in an early column
    mini.spec(spec + "    balance: true\n")
    balanced = bottoms(mini.build()[0])
    assert len(balanced) == 4
    assert max(balanced.values()) - min(balanced.values()) <= geo.pitch + 0.01


def test_copyfit_reports_lines_to_spare_and_over(mini):
    mini.write("story.md", story(None, 1))
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-1, top: 0, bottom: 20}\n")
    assert mini.build()[0].stories["story"].quality.fit > 0
    mini.write("story.md", story(None, 6))
    result, warnings = mini.build(allow_overset=True)
    assert result.stories["story"].quality.fit < 0
    assert any("overset" in w.message for w in warnings)


def test_edition_pages_share_the_template(mini):
    mini.write("story.md", story(None, 10))
    spec = GRID_SPEC.replace("styles: styles.yaml", "styles: styles.yaml\nheader: {paper: 测试报, page: 7}\n"
                             "footer: {paper: 测试报社出版}\npages:\n  - {section: 要闻}\n  - {section: 专版}\n")
    mini.spec(spec + "  - story: story.md\n    frame:\n      - {page: 1, columns: 1-4}\n      - {page: 2, columns: 1-4}\n")
    result, _ = mini.build(allow_overset=True)
    headers = [[r.text for r in runs(result, p, role="header")] for p in (1, 2)]
    assert "要闻" in headers[0] and "第7版" in headers[0]
    assert "专版" in headers[1] and "第8版" in headers[1]
    assert all(runs(result, p, role="footer") for p in (1, 2))


def _counts(texts) -> Counter:
    return Counter("".join("".join(full_width_punctuation(t)[0].split()) for t in texts))


@pytest.mark.parametrize("spec", ["dangjian.yaml", "sikai.yaml"])
def test_both_samples_build_and_hold_every_character_once(tmp_path, spec):
    import pdfplumber

    out = tmp_path / "out.pdf"
    result, _ = build(ROOT / "layout" / spec, out)
    assert not any(r.overset for r in result.stories.values())
    project = load_project(ROOT / "layout" / spec)
    expected = Counter()
    for job in project.jobs:
        expected += _counts([job.story.text()])
    placed = Counter()
    for page in result.document.pages:
        for r in page.runs():
            if r.story and r.role not in ("jump", "placeholder"):
                placed += Counter(r.text.replace(" ", ""))
    assert placed == expected  # every character of the stories exactly as often as written
    with pdfplumber.open(out) as pdf:
        text = Counter("".join(page.extract_text() or "" for page in pdf.pages).replace(" ", "").replace("\n", ""))
    missing = expected - text
    assert not missing, missing


def test_grid_alignment_is_a_story_option(mini):
    # a subhead whose own height is not whole lines: on the grid the text after it returns to the
    # grid; with grid: false it follows the subhead directly, off the grid
    extra = "\n## 小标题\n\n" + "后续段落" + LONG + "\n"
    mini.write("story.md", story(None, 1, extra))
    styles = mini.texts["styles.yaml"].replace("    space_before: 0.5行\n    space_after: 0.5行\n",
                                               "    space_before: 0.3行\n    space_after: 0.3行\n", 1)
    mini.write("styles.yaml", styles)
    spec = GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-4, top: 0, bottom: end}\n"
    for grid, on_grid in (("true", True), ("false", False)):
        mini.spec(spec + f"    grid: {grid}\n")
        result, _ = mini.build()
        geo = result.document.geometry
        body = runs(result, role="body")
        base = (body[0].y - geo.y0) % geo.pitch
        offsets = {round((r.y - geo.y0 - base) % geo.pitch, 2) % round(geo.pitch, 2) for r in body}
        assert (offsets == {0.0}) is on_grid, offsets


def test_fallback_takes_each_character_from_the_first_font_that_has_it(mini):
    # Noto Serif CJK SC has no ≒ (U+2252); LXGW WenKai, next in the chain, has it
    mini.write("story.md", "甲≒乙\n")
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-4, top: 0, bottom: end}\n")
    result, _ = mini.build()
    glyphs = [g for r in runs(result, role="body") for g in r.glyphs]
    faces = {g.text: g.face.family for g in glyphs}
    assert faces["甲"] == "Noto Serif CJK SC" and faces["≒"] == "LXGW WenKai"
    assert glyphs[1].x - glyphs[0].x == pytest.approx(glyphs[0].face.advance(glyphs[0].gid, glyphs[0].size))


def test_latin_may_use_its_own_font(mini):
    mini.write("story.md", "共计GUANCHAO和2019年\n")
    styles = mini.texts["styles.yaml"].replace("  body:\n    font: 书宋\n", "  body:\n    font: 书宋\n    latin_font: 黑体\n", 1)
    mini.write("styles.yaml", styles)
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-4, top: 0, bottom: end}\n")
    result, _ = mini.build()
    faces = {g.text: g.face.family for r in runs(result, role="body") for g in r.glyphs}
    assert faces["G"] == faces["2"] == "Noto Sans CJK SC"
    assert faces["共"] == "Noto Serif CJK SC"


def test_flag_reversed_out_of_a_colour_block(mini):
    mini.write("story.md", "---\nflag: ■ 信息直通车 ZHITONGCHE\n---\n\n" + LONG + "\n")
    styles = mini.texts["styles.yaml"].replace("  brief_flag:                # reversed out of a red block",
                                               "  brief_flag:", 1)
    mini.write("styles.yaml", styles)
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-2, top: 0, bottom: end}\n"
                          "    styles: {flag: brief_flag}\n")
    result, _ = mini.build()
    items = result.document.pages[0].items
    flag = runs(result, role="flag")[0]
    block = [b for b in items if isinstance(b, Box) and b.fill == (0, 100, 100, 0)]
    assert len(block) == 1 and items.index(block[0]) < items.index(flag)  # the block under the text
    b = block[0]
    assert b.y < flag.y < b.y + b.h and b.x <= flag.x + flag.glyphs[0].x
    assert all(g.color == (0, 0, 0, 0) for g in flag.glyphs)  # white type


def test_a_story_is_placed_once(mini):
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-2}\n  - story: story.md\n    frame: {columns: 3-4}\n")
    find(mini.errors(), mini.at("spec.yaml", "story.md", 2), "story 'story' is laid out twice")


def _renamed_font(src: Path, dest: Path, family: str, text: str) -> Path:
    """A small copy of a bundled font under another family name (a font the bundle does not have)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(src)
    opts = subset.Options()
    opts.name_IDs = ["*"]
    sub = subset.Subsetter(opts)
    sub.populate(text=text)
    sub.subset(font)
    ps = family.replace(" ", "")
    for rec in font["name"].names:
        if rec.nameID in (1, 16):
            rec.string = family
        elif rec.nameID == 4:
            rec.string = family
        elif rec.nameID == 6:
            rec.string = ps
    font.save(dest)
    return dest


def test_fonts_by_system_family_name_and_by_path(mini, monkeypatch):
    from broadsheet.fonts import faces as fonts

    text = "系统字体路径字体测试标题正文。，"
    mini.write("story.md", "---\ntitle: 路径字体\n---\n\n系统字体测试正文。\n")
    system = mini.root / "system"
    system.mkdir()
    _renamed_font(ROOT / "fonts" / "NotoSansCJKsc-Bold.otf", system / "a.otf", "Broadsheet System Sans", text)
    _renamed_font(ROOT / "fonts" / "NotoSerifCJKsc-Regular.otf", mini.root / "own.otf", "Broadsheet Path Serif", text)
    monkeypatch.setattr(fonts, "SYSTEM_DIRS", [system])
    styles = mini.texts["styles.yaml"].replace("  书宋: Noto Serif CJK SC\n", "  书宋: own.otf\n", 1)
    styles = styles.replace("  标宋: Noto Serif CJK SC Bold\n", "  标宋: Broadsheet System Sans\n", 1)
    mini.write("styles.yaml", styles)
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-4}\n")
    result, _ = mini.build()
    faces = {r.role: r.glyphs[0].face.postscript for r in runs(result)}
    assert faces["title"] == "BroadsheetSystemSans"
    assert faces["body"] == "BroadsheetPathSerif"
    pdf = (mini.root / "out.pdf").read_bytes()
    assert b"+BroadsheetSystemSans" in pdf and b"+BroadsheetPathSerif" in pdf


def test_a_photo_outside_its_frame_where_no_story_is_a_warning(mini):
    make_photo(mini.root / "p.jpg", (1800, 1200))
    mini.write("story.md", story("标题", 3))
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-2, top: 0, bottom: end}\n"
                          "    images:\n      - {file: p.jpg, columns: 3-4, top: 10, lines: 6}\n")
    _, warnings = mini.build(allow_overset=True)
    assert [w for w in warnings if "outside the story's frame" in w.message and "p.jpg" in w.message]


@pytest.mark.parametrize("slot,other,problem", [
    ("{file: p.jpg, columns: 1-2, top: 0, lines: 6}", "", "overlaps the story's headline"),
    ("{file: p.jpg, columns: 3-4, top: 10, lines: 6}",
     "  - story: b.md\n    frame: {columns: 3-4, top: 0, bottom: end}\n", "covers the text of 'b'"),
])
def test_a_photo_over_type_stops_the_build(mini, slot, other, problem):
    make_photo(mini.root / "p.jpg", (1800, 1200))
    mini.write("story.md", story("标题", 3))
    mini.write("b.md", story(None, 1))
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-2, top: 0, bottom: end}\n"
                          f"    images:\n      - {slot}\n" + other)
    errors = mini.errors()
    assert [e for e in errors if problem in e and "p.jpg" in e and e.startswith("spec.yaml:")], errors


def test_photos_of_the_samples_sit_in_free_lines(tmp_path):
    for spec in ("dangjian.yaml", "sikai.yaml"):
        _, warnings = build(ROOT / "layout" / spec, tmp_path / "out.pdf")
        assert not [w for w in warnings if "photo" in w.message and ("overlaps" in w.message or "outside" in w.message)]
