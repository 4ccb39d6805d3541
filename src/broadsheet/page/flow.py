"""Threading: a story's text units flow through the free line intervals of its frame (column spaces), in
reading order: down a column, then the next column to the right, segment after segment, page
after page. Pure functions over line counts, so that balancing can try several column depths.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from broadsheet.diagnostics import Pos
from broadsheet.page.frame import ColumnSpace
from broadsheet.text.compose import CMYK, Line


@dataclass(slots=True)  # (a page has hundreds)
class Unit:
    """A piece of flowed text that is never split: a body line, a subhead with its space, a table."""

    lines: float  # height in body lines (whole lines when the story keeps to the grid)
    runs: list[tuple[float, float, Line, str]]  # baseline from unit top, x, line, role
    chars: int
    lines_at_top: float  # height when it starts a column (space before dropped)
    keep_with_next: int = 0
    flag: str = ""  # "loose" or "orphan": marked on proofs
    source: Pos | None = None  # where its text was written
    rules: tuple[tuple[float, float, float, float, CMYK], ...] = ()  # y from unit top, x0, x1, weight, colour


@dataclass(slots=True)
class Placement:
    unit: int
    space: int  # index of the column space it went to
    top: float  # line where the unit's box starts (after a dropped space before)
    lines: float  # lines it occupies there


@dataclass
class Flowed:
    placements: list[Placement] = field(default_factory=list)
    overset: int = 0  # index of the first unit that did not fit (== len(units) when all fit)
    spare: float = 0.0  # free lines left in the frame after the text


def flow(units: list[Unit], spaces: list[ColumnSpace]) -> Flowed:
    """Place units in order; a unit that does not fit the rest of a space goes to the next space."""
    out = Flowed()
    si, i = 0, 0
    cursor = spaces[0].top if spaces else 0.0
    eps = 1e-6
    while i < len(units) and si < len(spaces):
        space, unit = spaces[si], units[i]
        at_top = abs(cursor - space.top) < eps
        need = unit.lines_at_top if at_top else unit.lines
        # keep a subhead with the first lines that follow it (unless it already starts a space)
        follow = sum(u.lines for u in units[i + 1:i + 1 + unit.keep_with_next]) if unit.keep_with_next else 0.0
        if cursor + need > space.bottom + eps or (not at_top and cursor + need + follow > space.bottom + eps):
            si += 1
            if si < len(spaces):
                cursor = spaces[si].top
            continue
        out.placements.append(Placement(i, si, cursor, need))
        cursor += need
        i += 1
        if cursor >= space.bottom - eps:
            si += 1
            if si < len(spaces):
                cursor = spaces[si].top
    out.overset = i
    if si < len(spaces):
        out.spare = (spaces[si].bottom - cursor) + sum(s.bottom - s.top for s in spaces[si + 1:])
    if i < len(units):
        out.spare = -sum(u.lines for u in units[i:])
    return out


def untouched(spaces: list[ColumnSpace], placed_in: list[ColumnSpace], flowed: Flowed) -> list[ColumnSpace]:
    """The column spaces of a frame (`spaces`, in reading order) after the one where its text
    ends, which the text never reaches: `flowed` is the flow through `placed_in`, the same spaces
    or their balanced version (which drops spaces below the balanced depth). All of them for a
    story with no body text; none for text that runs over."""
    if flowed.spare < 0:
        return []
    if not flowed.placements:
        return list(spaces)
    last = placed_in[flowed.placements[-1].space]
    end = next(k for k, s in enumerate(spaces)
               if (s.page, s.col, s.segment, s.top) == (last.page, last.col, last.segment, last.top))
    return spaces[end + 1:]


def balance_columns(units: list[Unit], spaces: list[ColumnSpace]) -> list[ColumnSpace]:
    """Shorten the columns of the run where the text ends (the spaces of its reading group) so
    that they end on the same line, or the last ones one line higher: the smallest common depth
    at which everything still fits, then, from the last column leftwards, each column one line
    shorter while the text still fits."""
    first = flow(units, spaces)
    if first.overset < len(units) or not first.placements:
        return spaces
    last_seg = spaces[first.placements[-1].space].segment
    run = [k for k, s in enumerate(spaces) if s.segment == last_seg]

    def capped(depth: dict[int, int]) -> list[ColumnSpace]:
        out = []
        for k, s in enumerate(spaces):
            if k in depth and s.bottom > depth[k]:
                if s.top >= depth[k]:
                    continue
                s = ColumnSpace(s.page, s.col, s.top, depth[k], s.segment)
            out.append(s)
        return out

    def fits(depth: dict[int, int]) -> bool:
        return flow(units, capped(depth)).overset >= len(units)

    # whole lines: binary search the smallest common depth that still holds all the text
    lo, hi = int(min(spaces[k].top for k in run)), int(max(spaces[k].bottom for k in run))
    while lo < hi:
        mid = (lo + hi) // 2
        if fits({k: mid for k in run}):
            hi = mid
        else:
            lo = mid + 1
    depth = {k: hi for k in run}
    for k in reversed(run):
        shorter = {**depth, k: hi - 1}
        if not fits(shorter):
            break
        depth = shorter
    return capped(depth)
