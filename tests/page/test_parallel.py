"""Stories laid out in worker processes (page/parallel.py, `-j`): shared out in runs of neighbours
by their text, sent back and put in spec order, the same display list, reports and warnings as one
process makes; and whole builds with their proofs, the same bytes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest

from broadsheet.display import Box, GlyphRun, dump
from broadsheet.input.project import load_project
from broadsheet.page import parallel
from broadsheet.page.layout import lay_out
from broadsheet.tools.build import BuildOptions, run_build

from conftest import GRID_SPEC, ROOT, filler


def jobs_of(*sizes: int) -> list:
    """Stand-ins for story jobs with texts of these lengths (chunks reads nothing else)."""
    return [SimpleNamespace(story=SimpleNamespace(blocks=[SimpleNamespace(text="字" * n)])) for n in sizes]


def test_runs_of_neighbours_of_about_equal_text():
    # the first run is the building process's own, whose stories need not travel back: a larger share
    assert parallel.FIRST_RUN_WEIGHT > 1
    assert parallel.chunks(jobs_of(100, 100, 100, 100), parallel.MIN_PAGES, 2) == [[0, 1, 2], [3]]
    assert parallel.chunks(jobs_of(*[100] * 10), parallel.MIN_PAGES, 2) == [list(range(6)), list(range(6, 10))]
    assert parallel.chunks(jobs_of(1000, 10, 10, 10), parallel.MIN_PAGES, 2) == [[0], [1, 2, 3]]
    # a run ends once it holds its share: after a long story the workers left take one story each
    assert parallel.chunks(jobs_of(10, 10, 10, 1000, 10, 10), parallel.MIN_PAGES, 3) == [[0, 1, 2, 3], [4], [5]]
    # no more workers than pairs of stories; a pool only from MIN_PAGES pages and for two workers
    assert parallel.chunks(jobs_of(*[10] * 6), parallel.MIN_PAGES, 8) == [[0, 1, 2], [3, 4], [5]]
    assert parallel.chunks(jobs_of(10, 10, 10), parallel.MIN_PAGES, 4) is None
    assert parallel.chunks(jobs_of(10, 10, 10, 10), parallel.MIN_PAGES - 1, 2) is None


def test_stories_are_shared_out_by_their_text():
    jobs = load_project(ROOT / "layout" / "dangjian.yaml").jobs
    assert parallel.chunks(jobs, 1, 2) is None  # one page: a pool would not pay
    runs = parallel.chunks(jobs, parallel.MIN_PAGES, 2)
    assert runs is not None and sorted(i for run in runs for i in run) == list(range(len(jobs)))
    assert all(run == list(range(run[0], run[-1] + 1)) for run in runs)  # neighbours in spec order
    assert parallel.chunks(jobs, parallel.MIN_PAGES, 1) is None


def test_a_glyph_run_travels_without_its_faces(sample):
    run = next(r for r in sample.result.document.pages[0].runs() if r.role == "body")
    encoded = parallel._encode(run)
    assert isinstance(encoded, tuple) and not any(isinstance(v, GlyphRun) for v in encoded)
    faces = {g.face.key: g.face for g in run.glyphs}
    assert encoded[0] == tuple(g.face.key for g in run.glyphs)  # faces by key
    assert parallel._decode(encoded, faces) == run
    # every other field travels: a Latin run down a vertical title, a squeezed line, a narrowed 纵中横
    turned = replace(run, rotate=90, compressed=True, stretch=0.5)
    assert parallel._decode(parallel._encode(turned), faces) == turned
    box = Box(1, 2, 3, 4)
    assert parallel._encode(box) is box and parallel._decode(box, faces) is box  # other items as they are


@pytest.fixture
def pool_always(monkeypatch):
    """The pool from the first story on, whatever the composition cache holds."""
    monkeypatch.setattr(parallel, "PROBE_PARAGRAPHS", 0)
    monkeypatch.setattr(parallel, "POOL_SHARE", 0)


def test_four_pages_laid_out_in_two_workers_as_in_one(mini, pool_always):
    for name in ("story", "a", "b", "c"):
        mini.write(f"{name}.md", filler(f"{name}稿标题", 2))
    mini.spec(GRID_SPEC + "".join(
        f"  - story: {name}\n    frame: {{page: {page}, columns: 1-4, top: 0, bottom: 30}}\n" + extra
        for name, page, extra in (("story.md", 1, ""), ("a.md", 2, "    box: {tint: [0, 0, 20, 0]}\n"),
                                  ("b.md", 3, ""), ("c.md", 4, "    balance: true\n"))))
    project = load_project(Path("spec.yaml"))
    assert parallel.chunks(project.jobs, 4, 2) == [[0, 1, 2], [3]], "the pool is used"
    serial, forked = lay_out(project, 1), lay_out(load_project(Path("spec.yaml")), 2)
    assert dump(forked.document) == dump(serial.document)
    assert isinstance(forked.document.pages[1].items[0], Box), "a tint stays under the page's text"
    assert forked.stories == serial.stories and list(forked.stories) == ["story", "a", "b", "c"]
    assert [str(d) for d in forked.diagnostics] == [str(d) for d in serial.diagnostics]


def test_the_pool_starts_only_for_stories_that_need_composing(mini, monkeypatch):
    """The first stories, laid out here, show what the rest will cost: lines to compose start a
    pool for the others, lines the composition cache holds keep them here."""
    names = ("story", "a", "b", "c", "d", "e")
    for name in names:
        mini.write(f"{name}.md", filler(f"{name}稿标题", 3))
    mini.spec(GRID_SPEC + "".join(f"  - story: {name}.md\n    frame: {{page: {k // 2 + 1}, columns: {1 + 2 * (k % 2)}-{2 + 2 * (k % 2)}, top: 0, bottom: 30}}\n"
                                  for k, name in enumerate(names)))
    monkeypatch.setattr(parallel, "PROBE_PARAGRAPHS", 3)
    pooled = []
    real = parallel.lay_out_stories
    monkeypatch.setattr(parallel, "lay_out_stories", lambda jobs, *rest: pooled.append([j.name for j in jobs]) or real(jobs, *rest))
    monkeypatch.setattr(parallel, "MIN_PAGES", 1)
    first = lay_out(load_project(Path("spec.yaml")), 2)
    assert pooled == [list(names[1:])], "composed: the first story here, the others in the pool"
    again = lay_out(load_project(Path("spec.yaml")), 2)
    assert pooled == [list(names[1:])], "cached: all of them here"
    assert dump(again.document) == dump(first.document) and [str(d) for d in again.diagnostics] == [str(d) for d in first.diagnostics]


@pytest.mark.parametrize("name", ["sikai", "dangjian"])
def test_parallel_build_and_proofs_equal_serial(name, tmp_path, monkeypatch, pool_always):
    """Stories laid out in two workers (the thresholds lowered so that the sample pages use them)
    give the same PDF, dump and proofs as one process."""
    monkeypatch.setattr(parallel, "MIN_PAGES", 1)
    monkeypatch.setattr(parallel, "MIN_STORIES_PER_WORKER", 1)
    spec = ROOT / "layout" / f"{name}.yaml"
    outputs = {}
    for jobs in (1, 2):
        out = tmp_path / f"j{jobs}" / f"{name}.pdf"
        dump = tmp_path / f"j{jobs}" / f"{name}.dump"
        outcome = run_build(spec, BuildOptions(output=out, proof=True, dpi=30, allow_overset=True, jobs=jobs, dump=dump))
        outputs[jobs] = [p.read_bytes() for p in [*outcome.written, dump]]
        assert len(outcome.written) == (2 if name == "dangjian" else 4)  # the PDF, the proofs (and the contact sheet)
    assert outputs[1] == outputs[2]
    assert outputs[1][-1] == (ROOT / "tests" / "dumps" / f"{name}.dump").read_bytes()
