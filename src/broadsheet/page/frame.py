"""A story's frame as free body lines per column: built from its segments, then headline blocks
and photos are cut out of it; what is left is the space its text flows through."""

from __future__ import annotations

from dataclasses import dataclass

from broadsheet.input.jobs import Segment

Interval = tuple[int, int]  # [first line, last line + 1)


@dataclass(frozen=True)
class ColumnSpace:
    """Free lines [top, bottom) of one column of a frame: where its text may go."""

    page: int
    col: int
    top: float
    bottom: float
    segment: int  # index of the frame segment it belongs to


def cut(intervals: list[Interval], a: int, b: int) -> list[Interval]:
    """Remove lines [a, b) from a sorted list of intervals."""
    out = []
    for s, e in intervals:
        if e <= a or s >= b:
            out.append((s, e))
            continue
        if s < a:
            out.append((s, a))
        if e > b:
            out.append((b, e))
    return out


def add(intervals: list[Interval], a: int, b: int) -> list[Interval]:
    """Union of sorted intervals with [a, b)."""
    merged = sorted(intervals + [(a, b)])
    out: list[Interval] = []
    for s, e in merged:
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


class FrameSpace:
    """The free lines of each (page, column) of a frame, and the order its columns are read in."""

    def __init__(self, segments: list[Segment]):
        self.lines: dict[tuple[int, int], list[Interval]] = {}
        self.order: list[tuple[int, int, int]] = []  # page, column, segment: the reading order
        for k, seg in enumerate(segments):
            for c in range(seg.c1, seg.c2 + 1):
                if (seg.page, c) not in self.lines:
                    self.order.append((seg.page, c, k))
                self.lines[(seg.page, c)] = add(self.lines.get((seg.page, c), []), seg.top, seg.bottom)

    def copy(self) -> "FrameSpace":
        other = FrameSpace([])
        other.lines = {key: list(v) for key, v in self.lines.items()}
        other.order = list(self.order)
        return other

    def intervals(self, page: int, col: int) -> list[Interval]:
        return self.lines.get((page, col), [])

    def cut(self, page: int, cols: tuple[int, int], a: int, b: int) -> None:
        """Take lines [a, b) of columns cols[0]..cols[1] (a headline block, a photo)."""
        for c in range(cols[0], cols[1] + 1):
            if (page, c) in self.lines:
                self.lines[(page, c)] = cut(self.lines[(page, c)], a, b)

    def holds(self, page: int, cols: tuple[int, int], a: int, b: int) -> bool:
        """Are lines [a, b) free in every one of the columns?"""
        return all(any(s <= a and b <= e for s, e in self.intervals(page, c)) for c in range(cols[0], cols[1] + 1))

    def spaces(self) -> list[ColumnSpace]:
        """The free stretches in reading order."""
        return [ColumnSpace(p, c, a, b, k) for (p, c, k) in self.order for a, b in self.lines[(p, c)]]
