"""Even spacing: the justified body lines of both sample layouts (the broadsheet's 13-character
and the tabloid's 11-character columns) stay within the issue's figures, by the layout's own
quality report (looseness: the space justification adds per gap, in em)."""

from __future__ import annotations

import pytest

from broadsheet.tools.build import build

from conftest import ROOT


def figures(result) -> tuple[float, float, float]:
    """Looseness p95 and max over all stories, and the share of lines reported loose."""
    quality = [story.quality for story in result.stories.values()]
    values = sorted(v for q in quality for v in q.looseness)
    lines = sum(q.lines for q in quality)
    loose = sum(q.loose for q in quality)
    return values[int(0.95 * len(values)) - 1], values[-1], loose / lines


@pytest.mark.parametrize("spec", ["dangjian", "sikai"])
def test_justified_lines_are_evenly_spaced(spec, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    result, _ = build(ROOT / "layout" / f"{spec}.yaml", tmp_path / "out.pdf", allow_overset=True)
    p95, worst, loose = figures(result)
    assert p95 <= 0.10 and worst <= 0.25 and loose <= 0.03, (p95, worst, loose)
