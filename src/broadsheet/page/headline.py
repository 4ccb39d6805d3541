"""The headline block: flag, kicker, title, deck and byline set across the headline columns at the
top of the story's first segment, centred in a whole number of body lines."""

from __future__ import annotations

from dataclasses import replace

from broadsheet.diagnostics import Pos
from broadsheet.display import Box, GlyphRun
from broadsheet.input.styles import ParaStyle
from broadsheet.page.context import StoryContext
from broadsheet.page.vertical import set_vertical
from broadsheet.text.compose import Line

HEAD_ORDER = ("flag", "kicker", "title", "deck", "byline")


def set_headline(ctx: StoryContext, page: int, top: int) -> int:
    """Set the head across the headline columns from line `top`; the body lines it takes."""
    job, g, setter = ctx.job, ctx.geo, ctx.setter
    items = [h for role in HEAD_ORDER for h in job.story.head if h.role == role]
    if not items:
        return 0
    c1, c2 = job.headline_cols
    width = g.span_w(c1, c2)
    placed: list[tuple[float, list[Line], ParaStyle, str, Pos]] = []
    vertical: list[tuple[float, list[GlyphRun]]] = []  # a 竖排 title: its runs, from the top of the block
    y = 0.0
    quality = ctx.report.quality
    for k, item in enumerate(items):
        style = ctx.style(item.role)
        align = style.align if item.role == "flag" else job.headline_align
        source = Pos(job.story.file, item.line, item.col)
        if k:
            y += style.space_before.pt(line=g.pitch, em=style.size)
        if job.vertical_title and item.role == "title":
            title = set_vertical(item.text, style, setter, g.col_x(c1) + width / 2, job.name, item.role, quality)
            vertical.append((y, [replace(r, source=source) for r in title.runs]))
            y += title.height + style.space_after.pt(line=g.pitch, em=style.size)
            continue
        lines = setter.set_text(item.text, style, width, item.role, align, quality)  # (a typed break is kept)
        lead = style.leading_pt(g.pitch)
        placed.append((y, lines, style, item.role, source))
        y += lead * len(lines) + style.space_after.pt(line=g.pitch, em=style.size)
    n = g.lines_for(y)
    extra = (n * g.pitch - y) / 2  # centre the block in its whole lines
    pg = ctx.page(page)
    for y_top, lines, style, role, source in placed:
        lead = style.leading_pt(g.pitch)
        for i, line in enumerate(lines):
            base = g.line_y(top) + extra + y_top + i * lead + setter.baseline(style, lead)
            if style.background is not None and line.glyphs:
                pad = style.size * 0.3
                x0 = g.col_x(c1) + line.glyphs[0].x - pad
                x1 = g.col_x(c1) + line.right + pad
                box_top = base - style.size * 0.88 - pad
                pg.items.append(Box(x0, box_top, x1 - x0, style.size + 2 * pad, None, style.background, 0))
            pg.items.append(GlyphRun.of(line, g.col_x(c1), base, job.name, role, source))
    for y_top, runs in vertical:
        pg.items += [replace(r, y=r.y + g.line_y(top) + extra + y_top) for r in runs]
    return n
