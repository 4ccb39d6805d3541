"""Laying out an edition's stories in worker processes (`-j`), with the same display list as one
process makes.

Stories are independent while they are laid out: each reads only the spec (its frame, the other
stories' frames) and appends to the pages; the checks across stories (碰题, text over text) run
after all of them. So the stories are cut into runs of neighbours, one run per worker, balanced by
their text; the workers are forked (they inherit the loaded project, fonts and composition cache:
nothing is pickled on the way there) and send back, per story, what it put on each page (glyphs
by face key, not faces), its report and its warnings, and the lines they composed. The parent puts
it all in spec order, as the serial loop would have.

The building process lays out the first run itself, straight into the document, while the
workers do theirs: only their stories travel. Measured on the bench's 100-page edition, warm, on
this 2-core machine: a worker's half of the layout takes 1.0–1.4 s, and its 26 MB of display list
0.43 s to pickle and as long again to unpickle and decode; with every run sent back the pool was
slower than one process (layout 4.4 s against 3.2 s), with the first run at home and half as
large again as the others (`FIRST_RUN_WEIGHT`) it is about even to 10 % faster. So it pays from a
few pages with several stories each (`MIN_PAGES`, `MIN_STORIES_PER_WORKER`), on free cores only,
and only for lines that have to be composed: the first stories are laid out here, and show whether
the rest will be (`POOL_SHARE`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import fields
from itertools import accumulate
from typing import Callable

from broadsheet.diagnostics import Diagnostic
from broadsheet.display import Document, GlyphRun, Item, Marker, Page
from broadsheet.input.jobs import StoryJob
from broadsheet.page.result import Result, StoryReport
from broadsheet.page.setter import Setter
from broadsheet.stats import COUNTS
from broadsheet.text.compose import glyph_of

MIN_PAGES = 4
MIN_STORIES_PER_WORKER = 2
#: The first run is laid out by the building process itself, straight into the document; a worker's
#: travels back (encoded, pickled, unpickled, decoded: about half as long again as laying it out,
#: measured on the bench's 100-page edition), so the first run is this much larger than the others.
FIRST_RUN_WEIGHT = 1.5

#: A pool pays for composing, not for lines the composition cache holds: the building process
#: makes every glyph of the display list either way, from the cache's entries or from what the
#: workers send. Measured on the bench's 100-page edition: with its lines cached, layout 1.12 s in
#: one process and 1.17 s with two; with none, 4.1 s and 3.0 s. So the first stories are laid out
#: here, and the pool starts for the rest only if this share of their first paragraphs (at least
#: `PROBE_PARAGRAPHS`) had to be composed.
POOL_SHARE = 0.2
PROBE_PARAGRAPHS = 20

LayOutStory = Callable[[StoryJob, Setter, Document, Result], None]
#: What a worker sends back for one story: per page, the items it put in front of the page's
#: items (a box's tint) and those it appended, encoded; its report and its warnings.
StoryOut = tuple[list[tuple[list, list]], StoryReport, list[Diagnostic]]

#: The work of the pool being forked; workers inherit it (see `_work`).
_TASK: tuple[list[StoryJob], Setter, Document, LayOutStory] | None = None


def chunks(jobs: list[StoryJob], pages: int, workers: int) -> list[list[int]] | None:
    """Runs of neighbouring stories (by index), one per worker and of about equal text, or None
    where a pool would not pay (few pages or stories, one worker, no fork on this platform)."""
    workers = min(workers, len(jobs) // MIN_STORIES_PER_WORKER)
    if workers < 2 or pages < MIN_PAGES:
        return None
    import multiprocessing  # only here: 10–20 ms of imports that a one-page build does without

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    sizes = [sum(len(b.text) for b in job.story.blocks) + 1 for job in jobs]
    # the first run is this process's, whose stories need not travel: it takes more
    weights = [FIRST_RUN_WEIGHT] + [1.0] * (workers - 1)
    total = sum(sizes) / sum(weights)
    ends = list(accumulate(w * total for w in weights))
    out: list[list[int]] = [[]]
    done = 0.0
    for i, size in enumerate(sizes):
        if done >= ends[len(out) - 1] and len(out) < workers:
            out.append([])
        out[-1].append(i)
        done += size
    return [c for c in out if c]


def lay_out_all(jobs: list[StoryJob], setter: Setter, doc: Document, result: Result, workers: int,
                lay_out_story: LayOutStory) -> None:
    """Lay out the stories in spec order: here, until the composition cache has shown whether the
    rest needs composing (`POOL_SHARE`), and then in a pool where one pays (`chunks`)."""
    before = COUNTS.copy()
    for k, job in enumerate(jobs):
        seen = COUNTS - before
        paragraphs = seen["lines miss"] + seen["lines hit"] + seen["lines memory"]
        if paragraphs >= PROBE_PARAGRAPHS:
            runs = chunks(jobs[k:], len(doc.pages), workers) if seen["lines miss"] >= POOL_SHARE * paragraphs else None
            if runs:
                lay_out_stories(jobs[k:], setter, doc, result, runs, lay_out_story)
            else:
                for rest in jobs[k:]:
                    lay_out_story(rest, setter, doc, result)
            return
        lay_out_story(job, setter, doc, result)


def lay_out_stories(jobs: list[StoryJob], setter: Setter, doc: Document, result: Result, runs: list[list[int]],
                    lay_out_story: LayOutStory) -> None:
    """Lay out the stories of `runs` in as many workers, and put what they made into `doc` and
    `result` in spec order."""
    global _TASK
    import multiprocessing

    compositions = setter.compositions
    compositions.preload()  # read the cache file once, here, rather than in every worker
    _TASK = jobs, setter, doc, lay_out_story
    try:
        with multiprocessing.get_context("fork").Pool(len(runs) - 1) as pool:
            pending = pool.map_async(_work, runs[1:])
            # the first run here, meanwhile, straight into the document (as the serial loop would):
            # what this process lays out need not travel
            for i in runs[0]:
                lay_out_story(jobs[i], setter, doc, result)
            answers = pending.get()
    finally:
        _TASK = None
    faces = compositions.faces
    for (stories, handed, counts), run in zip(answers, runs[1:]):
        compositions.take(handed)
        COUNTS.update(counts)
        for (pages, report, diagnostics), i in zip(stories, run):
            for page, (front, back) in zip(doc.pages, pages):
                page.items[0:0] = [_decode(it, faces) for it in front]
                page.items.extend(_decode(it, faces) for it in back)
            result.stories[jobs[i].name] = report
            result.diagnostics.extend(diagnostics)


def _work(run: list[int]) -> tuple[list[StoryOut], object, Counter]:
    assert _TASK is not None
    jobs, setter, template, lay_out_story = _TASK
    before = COUNTS.copy()
    out = []
    for i in run:
        start = Marker("start", 0, 0, 0, 0)  # what the story puts before it went in front of the page's items
        doc = Document([Page(p.number, p.width, p.height, [start]) for p in template.pages], template.title,
                       template.subject, template.geometry, template.author)
        result = Result(doc)
        lay_out_story(jobs[i], setter, doc, result)
        pages = []
        for page in doc.pages:
            k = next(n for n, it in enumerate(page.items) if it is start)
            pages.append(([_encode(it) for it in page.items[:k]], [_encode(it) for it in page.items[k + 1:]]))
        out.append((pages, result.report(jobs[i].name), result.diagnostics))
    return out, setter.compositions.handover(), COUNTS - before


#: A glyph run's fields besides its glyphs, each of which travels as it is.
_RUN_FIELDS = tuple(f.name for f in fields(GlyphRun) if f.name != "glyphs")


def _encode(item: Item) -> object:
    """A display item as it can travel: a glyph run's glyphs column by column, faces by key."""
    if not isinstance(item, GlyphRun):
        return item
    columns = tuple(zip(*item.glyphs))
    keys = tuple(g.face.key for g in item.glyphs)
    return keys, columns[1:], tuple(getattr(item, name) for name in _RUN_FIELDS)


def _decode(item: object, faces: dict) -> Item:
    if not isinstance(item, tuple):
        return item  # type: ignore[return-value]
    keys, columns, values = item
    glyphs = tuple(map(glyph_of, zip(map(faces.__getitem__, keys), *columns)))
    return GlyphRun(glyphs=glyphs, **dict(zip(_RUN_FIELDS, values)))
