"""The quality of composed lines (text/quality.py): loose lines and their looseness, compressed line
ends, 孤字 and kinsoku exceptions counted per story, and the figures the report gives."""

from __future__ import annotations

import pytest

from broadsheet.text.compose import Glyph, Line, Piece, Setting, compose
from broadsheet.text.punctuation import full_width_punctuation
from broadsheet.text.quality import LOOSE_GAP, Quality, is_loose, is_orphan

SIZE = 9.0
BLACK = (0.0, 0.0, 0.0, 100.0)


def line(text: str, spacing: float = 0.0, **kw) -> Line:
    """A line of `text` at SIZE (only what the quality figures read: glyphs' text and size)."""
    glyphs = [Glyph(None, 0, SIZE, BLACK, ch, k * SIZE) for k, ch in enumerate(text)]
    return Line(glyphs, 0, len(text), 13 * SIZE, len(text) * SIZE, spacing, **kw)


def test_a_line_is_loose_beyond_an_eighth_of_an_em_per_gap():
    assert LOOSE_GAP * SIZE == pytest.approx(1.125)
    assert not is_loose(line("正文", spacing=1.1)) and is_loose(line("正文", spacing=1.2))
    assert not is_loose(Line([], 0, 0, 10, 0, spacing=5)), "an empty line is not loose"


def test_a_lone_character_on_the_last_line_is_an_orphan():
    first = line("一二三四五六七八九十一二三")
    assert is_orphan([first, line("四。")]) and is_orphan([first, line("」。")])
    assert not is_orphan([first, line("四五。")])
    assert not is_orphan([line("四。")]), "a one-line paragraph has no orphan"
    assert not is_orphan([first, Line([], 0, 0, 10, 0)])


def test_a_paragraph_counted(chain):
    text = "这是Internationalization和Constantinople的故事，还有很多很多的文字在这里。"  # a long word: loose
    lines = compose([Piece(text, chain, SIZE, BLACK)], Setting(measure=13 * SIZE, indent=2 * SIZE))
    quality = Quality()
    quality.add(lines)
    quality.add([line("一二三四五六七八九十一二三", last=False, forced=True, gaps=12), line("四。", last=True)])
    assert quality.lines == len(lines) + 2
    loose = [ln for ln in lines if is_loose(ln)]
    assert loose and quality.loose == len(loose)
    assert quality.kinsoku == 1 and quality.orphans == 1
    assert quality.compressed == sum(ln.compressed_end for ln in lines) > 0
    # looseness: one figure per justified line (not the last, not a forced break), in em; the loose
    # ones beyond LOOSE_GAP
    justified = [ln for ln in lines if not ln.last and ln.gaps]
    assert len(quality.looseness) == len(justified) == len(lines) - 1
    assert sorted(v > LOOSE_GAP for v in quality.looseness) == sorted(is_loose(ln) for ln in justified)
    assert all(v >= 0 for v in quality.looseness)


def test_report_gives_looseness_p95_and_max_per_story():
    q = Quality(looseness=[i / 100 for i in range(100, 0, -1)])
    assert q.loose_p95_max() == (pytest.approx(0.95), pytest.approx(1.0))
    assert Quality().loose_p95_max() == (0.0, 0.0)
    assert Quality(looseness=[0.3]).loose_p95_max() == (0.3, 0.3)
    assert Quality(looseness=[0.1] * 19 + [0.9]).loose_p95_max() == (0.1, 0.9)  # one line in twenty is the 5 %


def test_conversions_are_counted_by_kind():
    _, changes = full_width_punctuation("他说,你好...再见!")
    quality = Quality()
    quality.converted(changes)
    quality.converted(full_width_punctuation("好,吗")[1])
    assert quality.full_width == 4 and sum(quality.conversions.values()) == 4
    assert quality.conversions["……"] == 1 and quality.conversions["，；：！？"] == 3
