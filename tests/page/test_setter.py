"""Setting text for the page (page/setter.py): a style's text as composition pieces (strong runs,
the Latin font, full-width punctuation), the setting a style asks for, the composition cache as
the setter uses it, and where a baseline sits in its line box."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from broadsheet.input.project import load_project
from broadsheet.page import compositions
from broadsheet.page.setter import script_runs
from broadsheet.stats import COUNTS
from broadsheet.text.quality import Quality

from conftest import GRID_SPEC, runs, story_context


@pytest.fixture
def setter(mini):
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1, top: 0, bottom: end}\n")
    return story_context(load_project(Path("spec.yaml"))).setter


def test_latin_runs_hold_letters_digits_and_the_marks_after_them():
    assert script_runs("共计GUANCHAO和2019-2020年") == [("共计", False), ("GUANCHAO", True), ("和", False),
                                                     ("2019-2020", True), ("年", False)]
    assert script_runs("(A)写3.11") == [("(", False), ("A)", True), ("写", False), ("3.11", True)]
    assert script_runs("中文") == [("中文", False)] and script_runs("") == []


def test_pieces_of_strong_spans_with_full_width_punctuation(setter):
    body = setter.styles.para("body")
    quality = Quality()
    pieces = setter.pieces([("本报讯", True), ("记者报道,今天", False)], body, quality)
    assert [(p.text, p.chain.faces[0].family) for p in pieces] == [("本报讯", "Noto Sans CJK SC"),  # strong: 黑体
                                                                  ("记者报道，今天", "Noto Serif CJK SC")]
    # an ellipsis written as three dots becomes two marks of three dots each: the spans after it
    # still begin where they did
    pieces = setter.pieces([("他说...", False), ("好", True)], body, quality)
    assert [p.text for p in pieces] == ["他说……", "好"] and pieces[1].chain.faces[0].family == "Noto Sans CJK SC"
    assert quality.full_width == 2 and quality.conversions == {"，；：！？": 1, "……": 1}
    off = replace(body, full_width_punctuation=False)
    assert [p.text for p in setter.pieces([("记者报道,今天", False)], off)] == ["记者报道,今天"]


def test_the_setting_a_style_asks_for(setter):
    body, title = setter.styles.para("body"), setter.styles.para("title")
    s = setter.setting(body, 117, "body")
    assert (s.measure, s.indent, s.align, s.even_lines) == (117, 2 * body.size, "justify", False)
    assert setter.setting(body, 117, "body", "right").align == "right"
    assert setter.setting(title, 117, "title").even_lines, "titles are set in lines of near-equal length"


def test_a_paragraph_met_again_comes_from_the_composition_cache(setter, monkeypatch):
    monkeypatch.setattr(compositions, "_memory", {})
    monkeypatch.setattr(compositions, "_requests", {})
    body = setter.styles.para("body")
    spans = [("记者报道,今天天气很好，大家都出门了。", False)]

    def compose(style=body, measure=117.0):
        quality = Quality()
        before = COUNTS.copy()
        lines = setter.compose(spans, style, measure, "body", quality=quality)
        used = COUNTS - before
        return lines, quality.full_width, (used["lines miss"], used["lines memory"])

    first, converted, use = compose()
    assert use == (1, 0) and converted == 1
    again, converted, use = compose()
    assert again is first and use == (0, 1)
    assert converted == 1, "a paragraph from the cache still counts its conversions"
    narrower, _, use = compose(measure=54.0)
    assert use == (1, 0) and len(narrower) > len(first)
    # the same style name with another value is another paragraph
    larger, _, use = compose(replace(body, size=10.5))
    assert use == (1, 0) and larger[0].glyphs[0].size == 10.5


def test_the_em_box_is_centred_in_its_line_box(setter):
    body = setter.styles.para("body")
    low, high = setter.baseline(body, 14), setter.baseline(body, 20)
    assert high - low == pytest.approx(3)  # six points more box: three above
    assert (14 - body.size) / 2 < low < (14 - body.size) / 2 + body.size
    assert setter.lines_for(15) == 2 and setter.lines_for(15, grid=False) == pytest.approx(15 / 14)


def test_latin_may_use_its_own_font(mini):
    mini.write("story.md", "共计GUANCHAO和2019年\n")
    styles = mini.texts["styles.yaml"].replace("  body:\n    font: 书宋\n", "  body:\n    font: 书宋\n    latin_font: 黑体\n", 1)
    mini.write("styles.yaml", styles)
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-4, top: 0, bottom: end}\n")
    result, _ = mini.build()
    faces = {g.text: g.face.family for r in runs(result, role="body") for g in r.glyphs}
    assert faces["G"] == faces["2"] == "Noto Sans CJK SC"
    assert faces["共"] == "Noto Serif CJK SC"
