"""The layout driver (page/layout.py) on small projects: frames, threading through them, 碰题
between stories, copyfit, fonts; and both sample specs built and read back."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from broadsheet.display import Document
from broadsheet.input.jobs import Segment
from broadsheet.input.project import load_project
from broadsheet.page.neighbours import headline_clashes
from broadsheet.page.result import Result
from broadsheet.tools.build import build
from broadsheet.text.punctuation import full_width_punctuation

from conftest import GRID_SPEC, ROOT, column_of, filler, find, runs


def test_frames_of_two_stories_may_not_overlap(mini):
    mini.write("b.md", filler("乙", 1))
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-2, top: 0, bottom: 30}\n"
                          "  - story: b.md\n    frame: {columns: 2-3, top: 20, bottom: end}\n")
    errors = mini.errors()
    hit = find(errors, mini.at("spec.yaml", "{columns: 2-3"), "'story' and 'b' overlap", "columns 2-2", "lines 20-30")
    assert "page 1" in hit


def test_text_threads_down_each_segment_then_across(mini):
    # a step: columns 1-2 down to line 20, then columns 3-4 down to line 40
    mini.write("story.md", filler(None, 14))
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


def test_headlines_side_by_side_are_a_warning(mini):
    mini.write("b.md", filler("乙稿标题", 1))
    mini.write("story.md", filler("甲稿标题", 1))
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


def test_headline_clashes_are_headlines_in_neighbouring_columns_at_overlapping_lines():
    result = Result(Document([]))
    for name, headline in (("a", Segment(1, 1, 2, 0, 5)), ("b", Segment(1, 3, 4, 3, 8)), ("c", Segment(1, 5, 6, 5, 9)),
                           ("d", Segment(2, 3, 4, 0, 5)), ("e", Segment(1, 3, 4, 5, 9)), ("f", None)):
        result.report(name).headline = headline
    # a-b side by side; b-c and c-e overlap by lines 5-8; a-e only touch (a ends where e begins); d is
    # on another page; b and e share their columns (one over the other); f has no headline
    assert headline_clashes(result) == [("a", "b"), ("b", "c"), ("c", "e")]


def test_copyfit_reports_lines_to_spare_and_over(mini):
    mini.write("story.md", filler(None, 1))
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-1, top: 0, bottom: 20}\n")
    assert mini.build()[0].stories["story"].quality.fit > 0
    mini.write("story.md", filler(None, 6))
    result, warnings = mini.build(allow_overset=True)
    assert result.stories["story"].quality.fit < 0
    assert any("overset" in w.message for w in warnings)


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


def test_fallback_takes_each_character_from_the_first_font_that_has_it(mini):
    # Noto Serif CJK SC has no ≒ (U+2252); LXGW WenKai, next in the chain, has it
    mini.write("story.md", "甲≒乙\n")
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-4, top: 0, bottom: end}\n")
    result, _ = mini.build()
    glyphs = [g for r in runs(result, role="body") for g in r.glyphs]
    faces = {g.text: g.face.family for g in glyphs}
    assert faces["甲"] == "Noto Serif CJK SC" and faces["≒"] == "LXGW WenKai"
    assert glyphs[1].x - glyphs[0].x == pytest.approx(glyphs[0].face.advance(glyphs[0].gid, glyphs[0].size))


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
