"""What a page's stories do to their neighbours, as warnings: 碰题 (two headlines side by side)
and text that runs on from one story into the next down a column (串文)."""

from __future__ import annotations

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
    them, or a column that ends short, parts them already. Only the lines where two frames meet
    unparted are looked at (in most specs none: a rule or a line parts every pair)."""
    meetings = [(above, below, sa, sb) for above in jobs for below in jobs
                if below is not above and above.box is None and below.box is None
                for sa in above.segments for sb in below.segments
                if sa.page == sb.page and sa.bottom == sb.top and not _ruled(above, below, sa, sb)]
    if not meetings:
        return []
    wanted = {(job.name, seg.page, line) for above, below, sa, sb in meetings
              for job, seg, line in ((above, sa, sa.bottom - 1), (below, sb, sb.top))}
    pages = {seg.page for _, _, seg, _ in meetings}
    filled: set[tuple[str, int, int, int]] = set()  # story, page, column, line holding its body text
    step = geo.col_w + geo.gutter
    for page in doc.pages:
        if page.number not in pages:
            continue
        for item in page.items:
            if isinstance(item, GlyphRun) and item.role == "body":
                line = int((item.y - geo.y0) / geo.pitch)
                if (item.story, page.number, line) in wanted:
                    filled.add((item.story, page.number, int((item.x - geo.x0) / step) + 1, line))
    out = []
    told: set[tuple[str, str]] = set()  # (once per pair of stories: its first meeting)
    for above, below, sa, sb in meetings:
        if (above.name, below.name) in told:
            continue
        for column in range(max(sa.c1, sb.c1), min(sa.c2, sb.c2) + 1):
            if (above.name, sa.page, column, sa.bottom - 1) in filled and (below.name, sb.page, column, sb.top) in filled:
                told.add((above.name, below.name))
                out.append(Diagnostic(
                    below.source, f"the text of story '{above.name}' runs straight on into story '{below.name}' "
                    f"in column {column} of page {sa.page} (line {sb.top}): nothing parts them; give '{below.name}' a "
                    f"top rule (rules: [top]) or '{above.name}' a bottom one, or leave a line between the frames",
                    "warning", "run-on"))
                break
    return out


def _ruled(above: StoryJob, below: StoryJob, sa: Segment, sb: Segment) -> bool:
    """Whether a rule runs along the edge where two segments meet (the rules run along a frame's
    outer edges on each page: see furniture.edge_rules)."""
    return (("bottom" in above.rules and max(s.bottom for s in above.segments if s.page == sa.page) == sa.bottom)
            or ("top" in below.rules and min(s.top for s in below.segments if s.page == sb.page) == sb.top))
