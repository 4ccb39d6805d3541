"""Checks of the laid-out pages that stop a press: text printed over other text."""

from __future__ import annotations

from broadsheet.diagnostics import Diagnostic, Pos
from broadsheet.display import Document, GlyphRun, extent

#: Ink boxes may touch by this much (pt) without counting as overprinted: rounding, kerning.
TOLERANCE = 0.5


def text_overlaps(doc: Document, fallback: Pos) -> list[Diagnostic]:
    """One error per pair of text lines whose ink boxes overlap, at the later line's source."""
    out = []
    for page in doc.pages:
        boxes = []
        for run in page.items:
            if isinstance(run, GlyphRun):
                box = extent(run)
                if box is not None:
                    boxes.append((box, run))
        boxes.sort(key=lambda b: b[0][1])
        n = len(boxes)
        for i, (a, ra) in enumerate(boxes):
            for k in range(i + 1, n):  # (an index: a slice would copy the rest of the page per line)
                b, rb = boxes[k]
                if b[1] >= a[3] - TOLERANCE:
                    break  # sorted by top: nothing further down reaches this line
                if min(a[2], b[2]) - max(a[0], b[0]) > TOLERANCE and min(a[3], b[3]) - max(a[1], b[1]) > TOLERANCE \
                        and not _dash_halves(ra, rb):
                    out.append(Diagnostic(
                        rb.source or ra.source or fallback,
                        f"text prints over other text on page {page.number}: {_name(rb)} over {_name(ra)}; "
                        "move or shorten one of them", "error", "overlap"))
    return out


def _dash_halves(a: GlyphRun, b: GlyphRun) -> bool:
    """The two bars of a —— down a vertical title, which meet by design (page.vertical)."""
    return a.text == b.text == "—" and a.x == b.x and a.story == b.story and a.role == b.role


def _name(run: GlyphRun) -> str:
    text = run.text.strip()
    short = text[:10] + ("…" if len(text) > 10 else "")
    who = f"story '{run.story}'" if run.story else "the running head"
    return f"the {run.role or 'text'} line '{short}' of {who}"
