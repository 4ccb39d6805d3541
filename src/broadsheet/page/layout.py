"""Page layout, the driver: running heads on every page, then each story in spec order — its
headline block and photos placed on the grid and cut out of its frame, its body threaded through
the lines left (see `flow`), its jump lines and furniture — producing the display list.

Everything vertical is counted in body lines, so that body text in every column shares one
baseline grid: headline blocks, subheads, photos and captions take whole lines (unless a story
turns grid alignment off).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Iterable

from broadsheet.diagnostics import Diagnostic, Pos
from broadsheet.display import Document, Marker, Page
from broadsheet.input.jobs import Segment, StoryJob
from broadsheet.input.project import Project
from broadsheet.page import parallel
from broadsheet.page.body import body_units, place_units
from broadsheet.page.checks import text_overlaps
from broadsheet.page.compositions import Compositions
from broadsheet.page.context import StoryContext
from broadsheet.page.flow import balance_columns, flow, untouched
from broadsheet.page.frame import ColumnSpace, FrameSpace
from broadsheet.page.furniture import story_furniture
from broadsheet.page.headline import set_headline
from broadsheet.page.jumps import jump_lines, reserve_jumps
from broadsheet.page.neighbours import headline_clashes, run_ons
from broadsheet.page.photos import check_photo, place_photo
from broadsheet.page.result import Result
from broadsheet.page.running import running_head
from broadsheet.page.setter import Setter


def lay_out(project: Project, workers: int = 1, overprint: bool = True) -> Result:
    """The laid-out document of a loaded project, with a report per story and the warnings; the
    stories in up to `workers` processes where that pays (see `parallel`), the same either way.
    `overprint=False` leaves out the check of text printed over text (`overprint_check`), for a
    caller that runs it beside its next stage."""
    geo, styles = project.geometry, project.styles
    compositions = Compositions(Path(project.spec_file), project.chains)
    setter = Setter(styles, project.chains, geo, compositions)
    doc = Document([Page(p.number, geo.page_w, geo.page_h, label=p.label) for p in project.pages], project.title,
                   project.subject,
                   geo, project.author)
    result = Result(doc)
    for page, info in zip(doc.pages, project.pages):
        for running, style, footer in ((info.header, "header", False), (info.footer, "footer", True)):
            style = style if style in styles.paragraph else "header"
            if running is not None and style in styles.paragraph:
                running_head(page, running, styles.para(style), setter, footer)

    def one(job: StoryJob, setter: Setter, doc: Document, result: Result) -> None:
        frame = FrameSpace(job.segments, job.reading)
        others = [(o.name, seg) for o in project.jobs if o is not job for seg in o.segments]
        lay_out_story(StoryContext(job, setter, doc, project.pages, result.report(job.name), result.diagnostics,
                                   frame, frame.copy(), others))

    parallel.lay_out_all(project.jobs, setter, doc, result, workers, one)
    by_name = {job.name: job for job in project.jobs}
    for a, b in headline_clashes(result):
        result.diagnostics.append(Diagnostic(
            by_name[b].source, f"碰题: the headlines of '{a}' and '{b}' sit side by side at the same height; "
            "stagger them or set one story's headline narrower", "warning", "headline-clash"))
    result.diagnostics += run_ons(project.jobs, doc, geo)
    if overprint:
        result.diagnostics += overprint_check(project, doc)
    compositions.save()
    return result


def overprint_check(project: Project, doc: Document) -> list[Diagnostic]:
    """Text printed over text: an error at the later line's source (every line has its source;
    this is a backstop), else at the spec's first line."""
    return text_overlaps(doc, Pos(project.spec_file, 1, 1))


def holes(ctx: StoryContext, empty: list[ColumnSpace], spare: float) -> None:
    """开天窗: columns of a story's frame that its text never reaches print as holes in the page:
    a warning naming them. (Balanced columns that all hold text are the designer's choice.)"""
    if not empty or not (ctx.job.story.head or ctx.job.story.blocks):  # (an empty story is a warning of its own)
        return
    where: dict[int, dict[int, None]] = {}  # page -> its columns, in order
    for space in empty:
        where.setdefault(space.page, {})[space.col] = None
    named = " and ".join(f"{'column' if len(cols) == 1 else 'columns'} {_listed(cols)} of page {page}"
                         for page, cols in where.items())
    ctx.diagnostics.append(Diagnostic(
        ctx.job.source, f"开天窗: story '{ctx.job.name}' leaves {named} of its frame empty, its text ending "
        f"before {'it' if len(empty) == 1 else 'them'} ({spare:.0f} lines to spare); add copy, enlarge a photo, "
        "or make the frame smaller",
        "warning", "underset"))


def _listed(cols: Iterable[int]) -> str:
    """Column numbers as a designer writes them: 5, 1–2, 2 and 4."""
    runs: list[list[int]] = []
    for c in sorted(cols):
        if runs and c == runs[-1][-1] + 1:
            runs[-1].append(c)
        else:
            runs.append([c])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else f"{r[0]}" for r in runs)


def lay_out_story(ctx: StoryContext) -> None:
    job, g = ctx.job, ctx.geo
    for seg in job.segments:
        ctx.page(seg.page).items.append(Marker("frame", g.col_x(seg.c1), g.line_y(seg.top), g.span_w(seg.c1, seg.c2),
                                               (seg.bottom - seg.top) * g.pitch, job.name, job.source))
    first = job.segments[0]
    used = set_headline(ctx, first.page, first.top)
    if used:
        if job.story.head_text("title"):  # a flag alone is no headline (for 碰题)
            ctx.report.headline = Segment(first.page, *job.headline_cols, first.top, first.top + used)
        ctx.free.cut(first.page, job.headline_cols, first.top, first.top + used)
    captioned = set()
    for photo in job.photos:
        if photo.top < 0:
            photo = replace(photo, top=first.top + used)
        lines = place_photo(ctx, photo)
        captioned.add(photo.caption)
        check_photo(ctx, photo, lines)
        ctx.free.cut(photo.page, photo.cols, photo.top, photo.top + lines)
    spaces, jumps = reserve_jumps(ctx.free.spaces())
    units = body_units(ctx, captioned)
    flowed = flow(units, spaces)
    ctx.report.quality.fit = flowed.spare  # copyfit against the whole frame, before any balancing
    frame_spaces = spaces
    if job.balance_columns:
        spaces = balance_columns(units, spaces)
        flowed = flow(units, spaces)
    holes(ctx, untouched(frame_spaces, spaces, flowed), ctx.report.quality.fit)
    filled = place_units(ctx, units, spaces, flowed)
    jump_lines(ctx, spaces, flowed, jumps)
    story_furniture(ctx, filled)
