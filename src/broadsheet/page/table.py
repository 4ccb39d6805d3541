"""A table in a story's body (a Markdown pipe table) as one flowable unit a column wide: its
columns as wide as their widest cell and the room left shared out among them. When the cells are
too wide together, the first row's cells (the column heads) go on to more lines first, then the
longest of the others, and a number or word only when nothing else is left (a warning): each
column is given a character's width, then that of its widest such run, then of its widest cell
below the first row, then of its head, as far as the room goes, in proportion to what it needs
more at each step. Each cell is aligned as the delimiter row says,
and the table ruled as a 三线表 — a heavier rule above and below, a light one under the first row,
and no other (how Chinese print rules its tables). A table whose columns cannot each have a
character's width is an error: its cells would print over each other."""

from __future__ import annotations

from broadsheet.diagnostics import Diagnostic, Pos
from broadsheet.input.story import Block
from broadsheet.page.context import StoryContext
from broadsheet.page.flow import Unit
from broadsheet.text.compose import Line

OUTER_RULE = 0.75  # pt: the rules above and below the table
HEAD_RULE = 0.4    # pt: the rule under its first row
WIDE = 1e4         # pt: a measure no cell fills, to find its one-line width


def table_unit(ctx: StoryContext, block: Block) -> Unit:
    """The table, half a line clear of the text above and below it, centred in whole lines."""
    g, setter, job = ctx.geo, ctx.setter, ctx.job
    quality = ctx.report.quality
    measure = g.col_w
    head = ctx.style("table_head")
    body = ctx.style("table")
    gap = body.size  # an em between columns
    rows = block.cells
    styles = [head if k == 0 else body for k in range(len(rows))]

    def spans(cell: Block) -> list[tuple[str, bool]]:
        return [(s.text, s.strong) for s in cell.spans]

    n = len(block.align)
    least = [0.0] * n  # a column's widest run that may not break
    cells = [0.0] * n  # its widest cell below the first row, on one line
    heads = [0.0] * n  # and its head
    for k, (row, style) in enumerate(zip(rows, styles)):
        for c, cell in enumerate(row):
            if cell.spans:
                wide = max(line.natural for line in setter.compose(spans(cell), style, WIDE, cell.role, "left", quality))
                if k:
                    cells[c] = max(cells[c], wide)
                else:
                    heads[c] = wide
                narrow = setter.compose(spans(cell), style, style.size, cell.role, "left", quality)
                least[c] = max(least[c], _widest_run(narrow))
    if n > 1 and n * body.size + gap * (n - 1) > measure:  # many columns: closer together first
        gap = max(0.0, (measure - n * body.size) / (n - 1))
    room = measure - gap * (n - 1)
    one = [min(w, body.size) for w in least]  # a character a column, at the least
    steps = [one, least, list(map(max, least, cells)), list(map(max, least, cells, heads))]
    widths = _share(steps, room)
    if min(widths) < body.size - 1e-6:
        ctx.diagnostics.append(Diagnostic(
            Pos(job.story.file, block.line), f"story '{job.name}': its table has {n} columns, more than its "
            f"column ({g.col_w:.1f}pt, {g.col_w / body.size:.0f} characters of its '{body.name}' style) holds a "
            "character of each; give it fewer columns, or set it in a smaller style", "error", "table"))
        return Unit(1, [], 0, 1, source=Pos(job.story.file, block.line))
    lefts = [sum(widths[:c]) + gap * c for c in range(len(widths))]

    set_rows: list[tuple[float, list[tuple[float, float, Line, str]]]] = []  # (height, runs from the row top)
    chars = split = 0
    for k, (row, style) in enumerate(zip(rows, styles)):
        lead = style.leading_pt(g.pitch)
        set_cells = [(c, setter.compose(spans(cell), style, max(widths[c], style.size), cell.role, block.align[c],
                                        quality)) for c, cell in enumerate(row) if cell.spans]
        height = max([lead] + [lead * len(lines) for _, lines in set_cells])
        runs: list[tuple[float, float, Line, str]] = []
        for c, lines in set_cells:
            down = (height - lead * len(lines)) / 2  # a cell of fewer lines is centred in its row
            for i, line in enumerate(lines):
                runs.append((down + i * lead + setter.baseline(style, lead), lefts[c], line, row[c].role))
                chars += line.end - line.start
                split += line.split_word
        set_rows.append((height, runs))
    if split:
        ctx.diagnostics.append(Diagnostic(
            Pos(job.story.file, block.line), f"story '{job.name}': its table is too wide for the column "
            f"({g.col_w:.1f}pt): {split} of its cells break inside a word or number; give it fewer columns or "
            "shorter cells", "warning", "word-break"))
    content = sum(h for h, _ in set_rows)
    lines_high = setter.lines_for(content + g.pitch, job.grid)
    top = (lines_high * g.pitch - content) / 2
    y = top
    out: list[tuple[float, float, Line, str]] = []
    rules = [(top, OUTER_RULE)]
    for k, (height, runs) in enumerate(set_rows):
        out += [(y + base, x, line, role) for base, x, line, role in runs]
        y += height
        if k == 0 and len(set_rows) > 1:
            rules.append((y, HEAD_RULE))
    rules.append((y, OUTER_RULE))
    return Unit(lines_high, out, chars, lines_high, source=Pos(job.story.file, block.line),
                rules=tuple((at, 0.0, measure, weight, body.color) for at, weight in rules))


def _widest_run(lines: list[Line]) -> float:
    """The widest run of a cell set as narrow as it goes (an em) that its lines may not break: lines
    ending inside a word or number (the composer's last resort) are one run with the next."""
    widest = run = 0.0
    for line in lines:
        run += line.natural
        if not line.split_word:
            widest, run = max(widest, run), 0.0
    return max(widest, run)


def _share(steps: list[list[float]], room: float) -> list[float]:
    """Column widths from widths each wider than the one before: the widest that fits the room, and
    towards the next in proportion to what each column needs more; past the last, the room left
    shared out evenly; short of the first, that one scaled down (its runs then break)."""
    first, last = steps[0], steps[-1]
    if sum(last) <= room:
        return [w + (room - sum(last)) / len(last) for w in last]
    if sum(first) >= room:
        return [w * room / sum(first) for w in first]
    lo, hi = next((a, b) for a, b in zip(steps, steps[1:]) if sum(b) > room)  # (the last one is)
    f = (room - sum(lo)) / (sum(hi) - sum(lo))
    return [a + (b - a) * f for a, b in zip(lo, hi)]
