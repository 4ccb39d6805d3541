"""Jump lines (转版): where a story continues on another page, the last line before the break says
（下转第X版） and the first line after it （上接第X版）, naming the pages by their labels."""

from __future__ import annotations

from broadsheet.display import GlyphRun
from broadsheet.page.context import StoryContext
from broadsheet.page.flow import Flowed
from broadsheet.page.frame import ColumnSpace


def reserve_jumps(spaces: list[ColumnSpace]) -> tuple[list[ColumnSpace], list[tuple[int, int]]]:
    """Keep a line before each page break for the jump line and one after it; returns the spaces
    and the (space before, space after) pairs."""
    jumps = []
    out = list(spaces)
    for k in range(len(out) - 1):
        if out[k].page != out[k + 1].page:
            a, b = out[k], out[k + 1]
            out[k] = ColumnSpace(a.page, a.col, a.top, a.bottom - 1, a.segment)
            out[k + 1] = ColumnSpace(b.page, b.col, b.top + 1, b.bottom, b.segment)
            jumps.append((k, k + 1))
    return out, jumps


def jump_lines(ctx: StoryContext, spaces: list[ColumnSpace], flowed: Flowed, jumps: list[tuple[int, int]]) -> None:
    """Set the jump lines of the breaks the text reached."""
    if not jumps or "jump" not in ctx.setter.styles.paragraph:
        return
    g, setter, job = ctx.geo, ctx.setter, ctx.job
    style = ctx.setter.styles.para(job.roles.get("jump", "jump"))
    reached = {pl.space for pl in flowed.placements}
    for before, after in jumps:
        if not any(s >= after for s in reached):
            continue  # the text ended before the break
        a, b = spaces[before], spaces[after]
        for space, line, text, align in ((a, a.bottom, ctx.pages[b.page - 1].jump_to, "right"),
                                         (b, b.top - 1, ctx.pages[a.page - 1].jump_from, "left")):
            for ln in setter.set_text(text, style, g.col_w, "jump", align, ctx.report.quality)[:1]:
                ctx.page(space.page).items.append(GlyphRun.of(
                    ln, g.col_x(space.col), g.line_y(line) + setter.baseline(style, g.pitch), job.name, "jump", job.source))
