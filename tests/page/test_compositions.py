"""The composition cache (page/compositions.py): a rebuild after a one-paragraph edit of the 16-page
benchmark document composes that paragraph only, from memory (watch mode) and from disk (a new
process); cached lines give the same PDF as composed ones; a damaged cache file is composed again."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from broadsheet.page import compositions
from broadsheet.page.setter import Setter
from broadsheet.stats import Stats
from broadsheet.tools.build import build

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
    monkeypatch.setattr(compositions, "_requests", {})
    made = []
    real = Setter.pieces
    monkeypatch.setattr(Setter, "pieces", lambda self, *args: made.append(1) or real(self, *args))
    from_disk = _build(bench_doc, tmp_path / "c.pdf")
    assert from_disk.cache["lines miss"] == 0  # the edited paragraph was saved by the build before
    assert from_disk.cache["lines hit"] > 50
    assert not made, "what was asked for before is found without making its pieces"
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
