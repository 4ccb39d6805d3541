"""Threading: a story's text units flow through the free line intervals of its frame (slots), in
reading order: down a column, then the next column to the right, segment after segment, page
after page. Pure functions over line counts, so that balancing can try several column depths.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from broadsheet.diagnostics import Pos
from broadsheet.text.compose import Line


@dataclass
class Unit:
    """A piece of flowed text that is never split: a body line, or a subhead with its space."""

    lines: float  # height in body lines (whole lines when the story keeps to the grid)
    runs: list[tuple[float, float, Line, str]]  # baseline from unit top, x, line, role
    chars: int
    lines_at_top: float  # height when it starts a column (space before dropped)
    keep_with_next: int = 0
    flag: str = ""  # "loose" or "orphan": marked on proofs
    source: Pos | None = None  # the story file's line it was written on


@dataclass(frozen=True)
class Slot:
    """Free lines [top, bottom) of one column of a frame."""

    page: int
    col: int
    top: float
    bottom: float
    segment: int  # index of the frame segment it belongs to


@dataclass
class Placement:
    unit: int
    slot: int
    top: float  # line where the unit's box starts (after a dropped space before)
    lines: float  # lines it occupies there


@dataclass
class Flowed:
    placements: list[Placement] = field(default_factory=list)
    overset: int = 0  # index of the first unit that did not fit (== len(units) when all fit)
    spare: float = 0.0  # free lines left in the frame after the text


def flow(units: list[Unit], slots: list[Slot]) -> Flowed:
    """Place units in order; a unit that does not fit the rest of a slot goes to the next slot."""
    out = Flowed()
    si, i = 0, 0
    cursor = slots[0].top if slots else 0.0
    eps = 1e-6
    while i < len(units) and si < len(slots):
        slot, unit = slots[si], units[i]
        at_top = abs(cursor - slot.top) < eps
        need = unit.lines_at_top if at_top else unit.lines
        # keep a subhead with the first lines that follow it (unless it already starts a slot)
        follow = sum(u.lines for u in units[i + 1:i + 1 + unit.keep_with_next])
        if cursor + need > slot.bottom + eps or (not at_top and cursor + need + follow > slot.bottom + eps):
            si += 1
            if si < len(slots):
                cursor = slots[si].top
            continue
        out.placements.append(Placement(i, si, cursor, need))
        cursor += need
        i += 1
        if cursor >= slot.bottom - eps:
            si += 1
            if si < len(slots):
                cursor = slots[si].top
    out.overset = i
    if si < len(slots):
        out.spare = (slots[si].bottom - cursor) + sum(s.bottom - s.top for s in slots[si + 1:])
    if i < len(units):
        out.spare = -sum(u.lines for u in units[i:])
    return out


def balance(units: list[Unit], slots: list[Slot]) -> list[Slot]:
    """Shorten the columns of the segment where the text ends so that they end on (nearly) the
    same line: the smallest common depth at which everything still fits."""
    first = flow(units, slots)
    if first.overset < len(units) or not first.placements:
        return slots
    last_seg = slots[first.placements[-1].slot].segment
    seg_slots = [k for k, s in enumerate(slots) if s.segment == last_seg]
    top = min(slots[k].top for k in seg_slots)
    lo, hi = top, max(slots[k].bottom for k in seg_slots)

    def capped(depth: float) -> list[Slot]:
        out = []
        for k, s in enumerate(slots):
            if k in seg_slots and s.bottom > depth:
                if s.top >= depth:
                    continue
                s = Slot(s.page, s.col, s.top, depth, s.segment)
            out.append(s)
        return out

    # whole lines: binary search the smallest depth that still holds all the text
    lo_i, hi_i = int(lo), int(hi)
    while lo_i < hi_i:
        mid = (lo_i + hi_i) // 2
        if flow(units, capped(mid)).overset >= len(units):
            hi_i = mid
        else:
            lo_i = mid + 1
    return capped(hi_i)
