"""What a page's stories do to their neighbours, as warnings: 碰题 (two headlines side by side)
and text that runs on from one story into the next down a column (串文)."""

from __future__ import annotations

from collections import defaultdict

from broadsheet.diagnostics import Diagnostic
from broadsheet.display import Document, GlyphRun
from broadsheet.input.jobs import Segment, StoryJob
from broadsheet.page.grid import Geometry
from broadsheet.page.result import Result


def headline_clashes(result: Result) -> list[tuple[str, str]]:
    """碰题: pairs of stories whose headlines sit side by side (neighbouring columns, overlapping lines)."""
    heads = sorted((name, r.headline) for name, r in result.stories.items() if r.headline is not None)
    out = []
    for i, (na, (pa, a1, a2, at, ab)) in enumerate(heads):
        for nb, (pb, b1, b2, bt, bb) in heads[i + 1:]:
            if pa == pb and (a2 + 1 == b1 or b2 + 1 == a1) and at < bb and bt < ab:
                out.append((na, nb))
    return out


def run_ons(jobs: list[StoryJob], doc: Document, geo: Geometry) -> list[Diagnostic]:
    """A warning where one story's body text fills a column to the foot of its frame and the next
    story's body text starts on the very next line of that column, with no rule, box or line
    between them: the reader reads on from one story into the other (串文). A headline between
    them, or a column that ends short, parts them already."""
    lines: dict[str, set[tuple[int, int, int]]] = defaultdict(set)  # story: (page, column, line)
    step = geo.col_w + geo.gutter
    for page in doc.pages:
        for item in page.items:
            if isinstance(item, GlyphRun) and item.role == "body" and item.story:
                column = int((item.x - geo.x0) / step) + 1
                lines[item.story].add((page.number, column, int((item.y - geo.y0) / geo.pitch)))
    out = []
    for above in jobs:
        for below in jobs:
            if below is above or above.box is not None or below.box is not None:
                continue
            meet = _meeting(above, below, lines[above.name], lines[below.name])
            if meet is not None:
                page, column, line = meet
                out.append(Diagnostic(
                    below.source, f"the text of story '{above.name}' runs straight on into story '{below.name}' "
                    f"in column {column} of page {page} (line {line}): nothing parts them; give '{below.name}' a "
                    f"top rule (rules: [top]) or '{above.name}' a bottom one, or leave a line between the frames",
                    "warning", "run-on"))
    return out


def _meeting(above: StoryJob, below: StoryJob, a_lines: set[tuple[int, int, int]],
             b_lines: set[tuple[int, int, int]]) -> tuple[int, int, int] | None:
    """The first (page, column, line) where `above`'s text ends a segment's column and `below`'s
    starts the segment under it, unless a rule drawn along that edge parts them."""
    for sa in above.segments:
        for sb in below.segments:
            if sa.page != sb.page or sa.bottom != sb.top:
                continue
            if ("bottom" in above.rules and _edge(above.segments, sa.page, max) == sa.bottom) or \
                    ("top" in below.rules and _edge(below.segments, sb.page, min) == sb.top):
                continue  # (the rules run along the frame's outer edges: see furniture.edge_rules)
            for column in range(max(sa.c1, sb.c1), min(sa.c2, sb.c2) + 1):
                if (sa.page, column, sa.bottom - 1) in a_lines and (sb.page, column, sb.top) in b_lines:
                    return sa.page, column, sb.top
    return None


def _edge(segments: list[Segment], page: int, pick) -> int:
    """A frame's top (pick=min) or bottom (pick=max) line on a page."""
    return pick(s.top if pick is min else s.bottom for s in segments if s.page == page)
