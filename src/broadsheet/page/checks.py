"""Checks of the laid-out pages that stop a press: text printed over other text."""

from __future__ import annotations

from operator import attrgetter
from typing import Iterator

from broadsheet.diagnostics import Diagnostic, Pos
from broadsheet.display import Document, GlyphRun, ascent_share, extent

_SIZE = attrgetter("size")

#: Ink boxes may touch by this much (pt) without counting as overprinted: rounding, kerning.
TOLERANCE = 0.5


#: How far a glyph's ink may reach beyond its em box, in ems, for `reach`: the ink of the first
#: glyph to the left of its origin, of the last past its advance.
OVERHANG = 0.5


def text_overlaps(doc: Document, fallback: Pos) -> list[Diagnostic]:
    """An error for the text lines whose ink boxes overlap, at the later line's source: one per page
    and pair of elements (story and role), with how many more of their lines do the same, so that a
    layout gone wrong is a few messages, not one per pair of lines."""
    groups: dict[tuple, list] = {}
    for number, ra, rb in overlapping_pairs(doc):
        key = (number, rb.story, rb.role, ra.story, ra.role)
        if key in groups:
            groups[key][2] += 1
        else:
            groups[key] = [ra, rb, 1]
    out = []
    for (number, *_), (ra, rb, count) in groups.items():
        more = f" ({count - 1} more of their lines print over each other there)" if count > 1 else ""
        out.append(Diagnostic(rb.source or ra.source or fallback,
                              f"text prints over other text on page {number}: {_name(rb)} over {_name(ra)}{more}; "
                              "move or shorten one of them", "error", "overlap"))
    return out


def overlapping_pairs(doc: Document) -> Iterator[tuple[int, GlyphRun, GlyphRun]]:
    """(page number, line, later line) for each two text lines whose ink boxes overlap. Lines are
    paired by `reach`, a box that holds their ink and is read from their ends alone; only the
    pairs whose boxes meet are measured (`extent`): the lines of neighbouring columns and of the
    same column never are (a quarter of a 100-page layout was measuring every line)."""
    for page in doc.pages:
        lines = []
        for run in page.items:
            if isinstance(run, GlyphRun):
                box = reach(run)
                if box is not None:
                    lines.append((box, run))
        lines.sort(key=lambda b: b[0][1])
        measured: dict[int, tuple[float, float, float, float] | None] = {}

        def ink(k: int):
            if k not in measured:
                measured[k] = extent(lines[k][1])
            return measured[k]

        n = len(lines)
        for i, (a, ra) in enumerate(lines):
            left, bottom, right = a[0], a[3] - TOLERANCE, a[2] - TOLERANCE
            for k in range(i + 1, n):  # (an index: a slice would copy the rest of the page per line)
                b, rb = lines[k]
                if b[1] >= bottom:
                    break  # sorted by top: nothing further down reaches this line
                b_right = b[2] - TOLERANCE
                if right <= b[0] or b_right <= left or right <= left or b_right <= b[0]:
                    continue  # side by side (another column); one above the other is taken care of above
                if (x := ink(i)) is not None and (y := ink(k)) is not None and _meet(x, y) and not _dash_halves(ra, rb):
                    yield page.number, ra, rb


def _meet(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > TOLERANCE and min(a[3], b[3]) - max(a[1], b[1]) > TOLERANCE


def reach(run: GlyphRun) -> tuple[float, float, float, float] | None:
    """A box (left, top, right, bottom) that holds the run's `extent`, from its first and last
    glyphs: as high as its largest glyph's em, as wide as its glyphs' boxes and `OVERHANG` more
    on either side. A turned run gets its extent itself."""
    glyphs = run.glyphs
    if run.rotate or not glyphs:
        return extent(run)
    first = glyphs[0]
    if first.text.isspace():
        first = next((g for g in glyphs if not g.text.isspace()), None)
        if first is None:
            return None
    size = max(map(_SIZE, glyphs))
    asc = ascent_share(first.face)
    last = glyphs[-1]
    margin = OVERHANG * size
    s = run.stretch  # (run.along, inlined: a page has thousands of lines)
    left = run.x + (glyphs[0].x - margin) * s
    right = run.x + (last.x + last.face.advance(last.gid, last.size) + margin) * s
    return left, run.y - size * asc, right, run.y + size * (1 - asc)


def _dash_halves(a: GlyphRun, b: GlyphRun) -> bool:
    """The two bars of a —— down a vertical title, which meet by design (page.vertical)."""
    return a.text == b.text == "—" and a.x == b.x and a.story == b.story and a.role == b.role


def _name(run: GlyphRun) -> str:
    text = run.text.strip()
    short = text[:10] + ("…" if len(text) > 10 else "")
    who = f"story '{run.story}'" if run.story else "the running head"
    return f"the {run.role or 'text'} line '{short}' of {who}"
