"""The story's body: its paragraphs, subheads, tables and uncaptioned figures composed to the column
measure as flowable units (a body line each, a subhead block with its space, a table: page/table),
and the units placed where the flow put them. A source signature (@sign) ends the paragraph before it."""

from __future__ import annotations

import math

from broadsheet.diagnostics import Diagnostic, Pos
from broadsheet.display import GlyphRun, Marker, Rule
from broadsheet.input.story import Block
from broadsheet.page.context import StoryContext
from broadsheet.page.flow import Flowed, Unit
from broadsheet.page.frame import ColumnSpace, Interval, add
from broadsheet.page.table import table_unit
from broadsheet.text.compose import Glyph, Line
from broadsheet.text.quality import is_loose, is_orphan


#: Running text: it breaks across columns at any line, and its spacing and 孤字 are reported.
RUNNING = ("body", "quote")


def body_units(ctx: StoryContext, captioned: set[str]) -> list[Unit]:
    """The story's body as flowable units, in reading order (figures whose caption is already
    under a photo are left out)."""
    g, setter, job = ctx.geo, ctx.setter, ctx.job
    quality = ctx.report.quality
    units: list[Unit] = []
    blocks = job.story.blocks
    for bi, block in enumerate(blocks):
        if block.kind == "sign":
            continue  # set with the paragraph before it
        if block.kind == "figure" and block.text in captioned:
            continue  # its caption is under its photo
        if block.kind == "table":
            units.append(table_unit(ctx, block))
            continue
        role = block.role
        style = ctx.style(role)
        measure = g.col_w
        spans = [(s.text, s.strong) for s in block.spans]
        lines = setter.compose(spans, style, measure, role, quality=quality)
        loose = quality.add(lines) if role in RUNNING else None  # (which lines are loose: the proof marks them)
        split = [line for line in lines if line.split_word]  # the composer's last resort
        if split:
            ctx.diagnostics.append(Diagnostic(
                Pos(job.story.file, *block.place_of(split[0].end)),  # where the word is broken
                f"story '{job.name}': a word wider than the column breaks between letters after "
                f"'{split[0].text}' ({len(split)} such break{'s' * (len(split) > 1)}; no hyphenation point or URL "
                "break fits)", "warning", "word-break"))
        nxt = blocks[bi + 1] if bi + 1 < len(blocks) else None
        if nxt is not None and nxt.kind == "sign":
            lines = _sign(ctx, lines, nxt, measure)
            loose = None  # (its last line is another now)
        lead = style.leading_pt(g.pitch)
        before = style.space_before.pt(line=g.pitch, em=style.size)
        after = style.space_after.pt(line=g.pitch, em=style.size)
        file = job.story.file
        if role in RUNNING or (math.isclose(lead, g.pitch) and not before and not after):
            # one unit per line: body text breaks across columns anywhere; its space before and
            # after are units of their own, dropped at the top of a column (whole lines on the grid)
            if before:
                units.append(Unit(setter.lines_for(before, job.grid), [], 0, 0))
            base = setter.baseline(style, lead)
            orphan = role in RUNNING and is_orphan(lines)
            where: dict[int, Pos] = {}  # one position per source line, shared by the lines set from it
            # (a paragraph written on one line, as most are, has its source without a search per line)
            one = Pos(file, block.line) if all(p[1] == block.line for p in block.places) else None
            height = lead / g.pitch
            last = len(lines) - 1
            if loose is None:
                loose = list(map(is_loose, lines))
            for k, line in enumerate(lines):
                flag = "loose" if loose[k] else ("orphan" if orphan and k == last else "")
                if one is None:
                    n = block.line_of(line.start)
                    source = where.get(n) or where.setdefault(n, Pos(file, n))
                units.append(Unit(height, [(base, 0.0, line, role)], line.end - line.start, height, 0, flag,
                                  one or source))
            if after:
                units.append(Unit(setter.lines_for(after, job.grid), [], 0, 0))
            continue
        body_h = lead * len(lines)
        n = setter.lines_for(before + body_h + after, job.grid)
        n_top = setter.lines_for(body_h + after, job.grid)
        pad = (n * g.pitch - (before + body_h + after)) / 2  # centre the block in its whole lines
        runs = [(before + pad + i * lead + setter.baseline(style, lead), 0.0, line, role)
                for i, line in enumerate(lines)]
        chars = sum(len(line.glyphs) for line in lines)
        units.append(Unit(n, runs, chars, n_top, keep_with_next=2 if role == "subhead" else 0,
                          source=Pos(file, block.line)))
    return units


def _sign(ctx: StoryContext, lines: list[Line], block: Block, measure: float) -> list[Line]:
    """Put a source signature at the right end of the paragraph's last line, or on its own line."""
    style = ctx.style("sign")
    sig = ctx.setter.set_text(block.text, style, measure, "sign", "right", ctx.report.quality)
    if not sig:
        return lines
    sig_line = sig[0]
    sig_w = sig_line.natural
    last = lines[-1] if lines else None
    # on the last line when there is room after where its text ends (`right`: a right-aligned or
    # centred line ends further right than its natural width), an em apart; else on a line of its own
    if last is not None and last.right + style.size + sig_w <= measure:
        shift = measure - sig_w - sig_line.glyphs[0].x
        moved = tuple(Glyph(gl.face, gl.gid, gl.size, gl.color, gl.text, gl.x + shift) for gl in sig_line.glyphs)
        merged = Line(last.glyphs + moved, last.start, last.end + len(block.text), measure, last.natural, last=True,
                      tracking=last.tracking)
        return lines[:-1] + [merged]
    return lines + sig


def place_units(ctx: StoryContext, units: list[Unit], spaces: list[ColumnSpace], flowed: Flowed) -> dict[tuple[int, int], list[Interval]]:
    """Draw each unit where the flow put it and record what did not fit; returns the lines that
    hold text, per (page, column)."""
    g, job = ctx.geo, ctx.job
    filled: dict[tuple[int, int], list[Interval]] = {}
    # per column space: where its lines go (a story's thousands of lines share a few spaces)
    where = [(ctx.page(sp.page).items, g.col_x(sp.col), (sp.page, sp.col)) for sp in spaces]
    y0, pitch = g.y0, g.pitch
    for pl in flowed.placements:
        unit = units[pl.unit]
        items, x, key = where[pl.space]
        if unit.runs:
            a, b = math.floor(pl.top + 1e-6), math.ceil(pl.top + pl.lines - 1e-6)
            held = filled.get(key)
            if held and held[-1][0] <= a <= held[-1][1]:  # the next line down the column: the last interval grows
                held[-1] = (held[-1][0], max(held[-1][1], b))
            else:
                filled[key] = add(held or [], a, b)
        top_y = y0 + pl.top * pitch - (unit.lines - pl.lines) * pitch  # (g.line_y), less a dropped space before
        for base, dx, line, role in unit.runs:
            items.append(GlyphRun.of(line, x + dx, top_y + base, job.name, role, unit.source))
        for y, x0, x1, weight, color in unit.rules:
            items.append(Rule(x + x0, top_y + y, x + x1, top_y + y, weight, color))
        if unit.flag:
            items.append(Marker(unit.flag, x, top_y, g.col_w, unit.lines * g.pitch, job.name, unit.source))
    if flowed.overset < len(units):
        left = sum(u.chars for u in units[flowed.overset:])
        ctx.report.overset_chars = left
        ctx.report.overset_lines = sum(u.lines for u in units[flowed.overset:])
        if flowed.placements:
            last = flowed.placements[-1]
            space = spaces[last.space]
            ctx.page(space.page).items.append(Marker(
                "overset", g.col_x(space.col), g.line_y(last.top + last.lines) - g.pitch, g.col_w, g.pitch,
                f"{job.name}: {left} characters overset", job.source))
    return filled
