"""The composition cache (page/compositions.py) and the worker processes (-j): a rebuild after a
one-paragraph edit of the 16-page benchmark document composes that paragraph only, from memory
(watch mode) and from disk (a new process); cached lines give the same PDF as composed ones;
stories laid out and proofs rendered in workers give the same bytes as in one process."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from broadsheet.page import compositions, parallel
from broadsheet.stats import Stats
from broadsheet.tools.build import BuildOptions, build, run_build

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bench_doc(tmp_path, monkeypatch) -> Path:
    """The benchmark document of `make bench` (the seed text 20 times over, 16 pages), with a cache
    of its own."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import run as bench
    finally:
        sys.path.remove(str(ROOT / "bench"))
    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path / "cache"))
    (tmp_path / "bench.md").write_text(bench.story_markdown(bench.seed_items() * 20), encoding="utf-8")
    (tmp_path / "bench.yaml").write_text(bench.style_sheet(), encoding="utf-8")
    spec = tmp_path / "spec.yaml"
    spec.write_text(bench.spec_yaml(16), encoding="utf-8")
    return spec


def _build(spec: Path, out: Path) -> Stats:
    stats = Stats()
    build(spec, out, stats=stats)
    return stats


def _edit_one_paragraph(spec: Path) -> None:
    story = spec.parent / "bench.md"
    text = story.read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    k = len(paragraphs) // 2 + 1
    while paragraphs[k].startswith("#"):  # a body paragraph, not a subhead
        k += 1
    paragraphs[k] = "编者按：" + paragraphs[k]
    story.write_text("\n\n".join(paragraphs), encoding="utf-8")


def test_one_paragraph_edit_recomposes_one_paragraph(bench_doc, tmp_path, monkeypatch):
    monkeypatch.setattr(compositions, "_memory", {})
    monkeypatch.setattr(compositions, "_files", {})
    first = _build(bench_doc, tmp_path / "a.pdf")
    assert first.cache["lines miss"] > 50  # distinct paragraphs (the copies repeat them)
    _edit_one_paragraph(bench_doc)

    in_memory = _build(bench_doc, tmp_path / "b.pdf")  # watch mode: the same process
    assert in_memory.cache["lines miss"] == 1
    assert in_memory.cache["lines hit"] == 0

    monkeypatch.setattr(compositions, "_memory", {})  # a new process: only the disk is left
    monkeypatch.setattr(compositions, "_files", {})
    from_disk = _build(bench_doc, tmp_path / "c.pdf")
    assert from_disk.cache["lines miss"] == 0  # the edited paragraph was saved by the build before
    assert from_disk.cache["lines hit"] > 50
    assert (tmp_path / "b.pdf").read_bytes() == (tmp_path / "c.pdf").read_bytes()


def test_cached_lines_give_the_same_pdf(bench_doc, tmp_path, monkeypatch):
    monkeypatch.setattr(compositions, "_memory", {})
    monkeypatch.setattr(compositions, "_files", {})
    _build(bench_doc, tmp_path / "composed.pdf")
    monkeypatch.setattr(compositions, "_memory", {})
    stats = _build(bench_doc, tmp_path / "stored.pdf")
    assert stats.cache["lines miss"] == 0
    assert (tmp_path / "composed.pdf").read_bytes() == (tmp_path / "stored.pdf").read_bytes()


def test_a_damaged_cache_file_is_composed_again(bench_doc, tmp_path, monkeypatch):
    monkeypatch.setattr(compositions, "_memory", {})
    monkeypatch.setattr(compositions, "_files", {})
    _build(bench_doc, tmp_path / "a.pdf")
    [stored] = (tmp_path / "cache" / "lines").iterdir()
    stored.write_bytes(stored.read_bytes()[:1000])
    monkeypatch.setattr(compositions, "_memory", {})
    monkeypatch.setattr(compositions, "_files", {})
    stats = _build(bench_doc, tmp_path / "b.pdf")
    assert stats.cache["lines hit"] == 0 and stats.cache["lines miss"] > 50
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


@pytest.mark.parametrize("name", ["sikai", "dangjian"])
def test_parallel_build_and_proofs_equal_serial(name, tmp_path, monkeypatch):
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


def test_stories_are_shared_out_by_their_text():
    from broadsheet.input.project import load_project

    jobs = load_project(ROOT / "layout" / "dangjian.yaml").jobs
    assert parallel.chunks(jobs, 1, 2) is None  # one page: a pool would not pay
    runs = parallel.chunks(jobs, parallel.MIN_PAGES, 2)
    assert runs is not None and sorted(i for run in runs for i in run) == list(range(len(jobs)))
    assert all(run == list(range(run[0], run[-1] + 1)) for run in runs)  # neighbours in spec order
    assert parallel.chunks(jobs, parallel.MIN_PAGES, 1) is None


def test_jobs_default_to_the_cores():
    assert BuildOptions().workers >= 1
    assert BuildOptions(jobs=3).workers == 3
