"""Page furniture: the rules under the running head and over the foot, boxes and rules around
stories, column rules (栏线). Everything is emitted as display-list items."""

from __future__ import annotations

from broadsheet.display import Box, Page, Rule
from broadsheet.input.jobs import Segment
from broadsheet.page.context import StoryContext
from broadsheet.page.frame import Interval
from broadsheet.page.grid import Geometry

BLACK = (0.0, 0.0, 0.0, 100.0)


def header_rule(page: Page, geo: Geometry, weight: float = 0.75) -> None:
    y = geo.y0 - 0.45 * geo.pitch
    page.items.append(Rule(geo.x0, y, geo.x0 + geo.width, y, weight, BLACK))


def footer_rule(page: Page, geo: Geometry, weight: float = 0.5) -> None:
    y = geo.y0 + geo.height + 0.45 * geo.pitch
    page.items.append(Rule(geo.x0, y, geo.x0 + geo.width, y, weight, BLACK))


def frame_bounds(geo: Geometry, segments: list[Segment], page: int) -> tuple[float, float, float, float] | None:
    """Bounding box (x0, y0, x1, y1) of a story's segments on one page."""
    segs = [s for s in segments if s.page == page]
    if not segs:
        return None
    x0 = min(geo.col_x(s.c1) for s in segs)
    x1 = max(geo.col_x(s.c2) + geo.col_w for s in segs)
    y0 = min(geo.line_y(s.top) for s in segs)
    y1 = max(geo.line_y(s.bottom) for s in segs)
    return x0, y0, x1, y1


def story_furniture(ctx: StoryContext, filled: dict[tuple[int, int], list[Interval]]) -> None:
    """A story's box, edge rules and column rules (where both columns hold text: `filled`), on
    each page it is on."""
    g, job = ctx.geo, ctx.job
    for page in sorted({s.page for s in job.segments}):
        bounds = frame_bounds(g, job.segments, page)
        if bounds is None:
            continue
        pg = ctx.page(page)
        if job.box is not None:
            box(pg, bounds, job.box.inset, job.box.weight, job.box.color, job.box.tint)
        if job.rules:
            edge_rules(pg, g, bounds, job.rules, job.rule_weight, BLACK)
        if job.column_rules:
            cols = sorted({c for s in job.segments if s.page == page for c in range(s.c1, s.c2)})
            column_rules(pg, g, filled, page, cols, job.rule_weight, BLACK)


def box(page: Page, bounds: tuple[float, float, float, float], inset: float, weight: float,
        color: tuple[float, float, float, float], tint: tuple[float, float, float, float] | None) -> None:
    """A ruled box around a story, `inset` outside its text (placed in the gutters and margins),
    with an optional tinted background drawn before the text."""
    x0, y0, x1, y1 = bounds
    page.items.insert(0, Box(x0 - inset, y0 - inset, x1 - x0 + 2 * inset, y1 - y0 + 2 * inset, color, tint, weight))


def edge_rules(page: Page, geo: Geometry, bounds: tuple[float, float, float, float], edges: list[str],
               weight: float, color: tuple[float, float, float, float]) -> None:
    """Rules along a story's edges, in the middle of the gutter (sides) or on the line boundary
    (top and bottom), separating it from its neighbours."""
    x0, y0, x1, y1 = bounds
    half = geo.gutter / 2
    lines = {
        "top": (x0, y0, x1, y0),
        "bottom": (x0, y1, x1, y1),
        "left": (x0 - half, y0, x0 - half, y1),
        "right": (x1 + half, y0, x1 + half, y1),
    }
    for edge in edges:
        page.items.append(Rule(*lines[edge], weight, color))


def column_rules(page: Page, geo: Geometry, filled: dict[tuple[int, int], list[Interval]], page_no: int,
                 cols: list[int], weight: float, color: tuple[float, float, float, float]) -> None:
    """栏线: a rule in each gutter between two of the story's columns, wherever both columns hold
    text (not across a headline or photo that spans them, not beside a short last column)."""
    for c in cols:
        left, right = filled.get((page_no, c), []), filled.get((page_no, c + 1), [])
        x = geo.col_x(c) + geo.col_w + geo.gutter / 2
        for a0, b0 in left:
            for a1, b1 in right:
                a, b = max(a0, a1), min(b0, b1)
                if b > a:
                    page.items.append(Rule(x, geo.line_y(a), x, geo.line_y(b), weight, color))
