"""The quality of composed lines, as the report counts it: loose lines, compressed line ends, 孤字
and kinsoku exceptions."""

from __future__ import annotations

from dataclasses import dataclass

from broadsheet.text.chars import LINE_START_PROHIBITED, classify
from broadsheet.text.compose import Line

#: A justified line whose gaps were widened by more than this (× the font size) counts as loose.
LOOSE_GAP = 0.125


@dataclass
class Quality:
    """Per story counts of the composition's compromises (the quality report)."""

    lines: int = 0
    loose: int = 0  # lines whose gaps were widened beyond LOOSE_GAP em
    compressed: int = 0  # lines fitted by setting their last mark half width
    orphans: int = 0  # paragraphs whose last line holds a lone character (孤字)
    kinsoku: int = 0  # breaks that had to break a line-start/line-end rule
    full_width: int = 0  # ASCII , ; : ! ? ( ) set as full-width marks
    fit: float = 0.0  # copyfit: body lines to spare in the frame (negative: lines over)

    def add(self, lines: list[Line]) -> None:
        self.lines += len(lines)
        for line in lines:
            self.loose += is_loose(line)
            self.compressed += line.compressed_end
            self.kinsoku += line.forced
        self.orphans += is_orphan(lines)


def is_loose(line: Line) -> bool:
    return bool(line.glyphs) and line.spacing > LOOSE_GAP * line.glyphs[0].size


def is_orphan(lines: list[Line]) -> bool:
    """孤字: a paragraph's last line holding fewer than two characters besides punctuation."""
    if len(lines) < 2 or not lines[-1].glyphs:
        return False
    return sum(1 for g in lines[-1].glyphs if classify(g.text) not in LINE_START_PROHIBITED) < 2
