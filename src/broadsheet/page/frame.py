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


Reading = str  # "auto", "segments" or "columns" (see FrameSpace.spaces)


def reading_groups(segments: list[Segment], reading: Reading = "auto") -> list[list[int]]:
    """The frame's segments in groups that are read together, column by column, each column top to
    bottom; the groups one after the other. `segments`: each segment its own group (segment by
    segment); `columns`: one group (every column of the page top to bottom, then the next column);
    `auto`: a segment joins the group before it when it continues it directly below (an L or
    拐角: the long columns are read to their foot), so that text never jumps over another story
    between two segments of its frame."""
    groups: list[list[int]] = []
    for k, seg in enumerate(segments):
        if reading == "columns" and groups and segments[groups[-1][0]].page == seg.page:
            groups[-1].append(k)
        elif reading == "auto" and groups and any(_continues(segments[j], seg) for j in groups[-1]):
            groups[-1].append(k)
        else:
            groups.append([k])
    return groups


def _continues(above: Segment, seg: Segment) -> bool:
    return above.page == seg.page and above.bottom == seg.top and above.c1 <= seg.c2 and seg.c1 <= above.c2


class FrameSpace:
    """The free lines of each (page, column) of a frame, and the order they are read in."""

    def __init__(self, segments: list[Segment], reading: Reading = "auto"):
        self.segments = segments
        self.reading = reading
        self.lines: dict[tuple[int, int], list[Interval]] = {}
        for seg in segments:
            for c in range(seg.c1, seg.c2 + 1):
                self.lines[(seg.page, c)] = add(self.lines.get((seg.page, c), []), seg.top, seg.bottom)

    def copy(self) -> "FrameSpace":
        other = FrameSpace(self.segments, self.reading)
        other.lines = {key: list(v) for key, v in self.lines.items()}
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
        """The free stretches in reading order (see `reading_groups`); a stretch belongs to the
        first segment of its group that holds its column."""
        out: list[ColumnSpace] = []
        for group in reading_groups(self.segments, self.reading):
            page = self.segments[group[0]].page
            cols: dict[int, tuple[int, list[Interval]]] = {}  # column -> (its first segment, its lines in the group)
            for k in group:
                seg = self.segments[k]
                for c in range(seg.c1, seg.c2 + 1):
                    first, lines = cols.setdefault(c, (k, []))
                    for s, e in self.intervals(page, c):
                        a, b = max(s, seg.top), min(e, seg.bottom)
                        if a < b:
                            lines[:] = add(lines, a, b)
            for c in sorted(cols):
                first, lines = cols[c]
                out += [ColumnSpace(page, c, a, b, first) for a, b in lines]
        return out
