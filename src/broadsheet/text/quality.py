"""The quality of composed lines, as the report counts it: loose lines, compressed line ends, 孤字
and kinsoku exceptions."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from broadsheet.text.chars import LINE_START_PROHIBITED, classify
from broadsheet.text.compose import Line
from broadsheet.text.punctuation import Change

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
    full_width: int = 0  # ASCII punctuation set the Chinese way (，（ “ …… ——)
    conversions: dict[str, int] = field(default_factory=dict)  # the same, by kind (text.punctuation)
    looseness: list[float] = field(default_factory=list)  # per justified line: the space justification added per gap, em
    fit: float = 0.0  # copyfit: body lines to spare in the frame (negative: lines over)

    def add(self, lines: list[Line]) -> list[bool]:
        """Count a paragraph's lines in; which of them are loose (for the proof's marks)."""
        self.lines += len(lines)
        loose = list(map(is_loose, lines))
        self.loose += sum(loose)
        for line in lines:
            self.compressed += line.compressed_end
            self.kinsoku += line.forced
            if not line.last and not line.forced and line.gaps:
                self.looseness.append(line.spacing / line.glyphs[0].size)
        self.orphans += is_orphan(lines)
        return loose

    def loose_p95_max(self) -> tuple[float, float]:
        """The 95th percentile and the maximum of the looseness of the justified lines (em)."""
        if not self.looseness:
            return 0.0, 0.0
        ordered = sorted(self.looseness)
        return ordered[math.ceil(0.95 * len(ordered)) - 1], ordered[-1]

    def converted(self, changes: list[Change]) -> None:
        self.full_width += len(changes)
        for c in changes:
            self.conversions[c.kind] = self.conversions.get(c.kind, 0) + 1


def is_loose(line: Line) -> bool:
    return bool(line.glyphs) and line.spacing > LOOSE_GAP * line.glyphs[0].size


def is_orphan(lines: list[Line]) -> bool:
    """孤字: a paragraph's last line holding fewer than two characters besides punctuation."""
    if len(lines) < 2 or not lines[-1].glyphs:
        return False
    counted = (g for g in lines[-1].glyphs if classify(g.text) not in LINE_START_PROHIBITED)
    return next(counted, None) is None or next(counted, None) is None  # (two are enough to know)
