"""The layout's regression test: every spec in layout/ is built and its text dump (one line per
display item) compared with the committed one in tests/dumps/. A layout change shows as a readable
unified diff; when the change is meant, regenerate the dumps with `make dumps` and commit them with
a note on why each kind of change is right."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from broadsheet.tools.build import build
from broadsheet.display import dump

from conftest import ROOT

SPECS = sorted((ROOT / "layout").glob("*.yaml"))
DUMPS = ROOT / "tests" / "dumps"


@pytest.mark.parametrize("spec", SPECS, ids=[s.stem for s in SPECS])
def test_layout_matches_the_committed_dump(spec: Path, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)  # file names in the dump are as the user sees them from the repository
    result, _ = build(spec.relative_to(ROOT), tmp_path / f"{spec.stem}.pdf", allow_overset=True)
    got = dump(result.document)
    expected_path = DUMPS / f"{spec.stem}.dump"
    assert expected_path.is_file(), f"no committed dump for {spec.name}: run `make dumps`"
    expected = expected_path.read_text(encoding="utf-8")
    if got != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(keepends=True), got.splitlines(keepends=True),
                                            f"tests/dumps/{spec.stem}.dump (committed)", f"{spec.name} (built now)", n=1))
        pytest.fail(f"the layout of {spec.name} changed (if meant: `make dumps`):\n{diff[:20000]}", pytrace=False)


def test_every_committed_dump_has_its_spec():
    assert {p.stem for p in DUMPS.glob("*.dump")} == {s.stem for s in SPECS}


def test_dump_has_one_line_per_item_with_its_position(sample):
    doc = sample.result.document
    lines = dump(doc).splitlines()
    items = sum(len(p.items) for p in doc.pages)
    assert len(lines) == 1 + len(doc.pages) + items
    body = next(line for line in lines if " body " in line)
    page, kind, x, y, story, role, face, size = body.split()[:8]
    assert (page, kind, role, face, size) == ("p1", "text", "body", "NotoSerifCJKsc-Regular", "9")
    assert float(x) > 0 and float(y) > 0 and story in ("huanren", "lingyuan", "sikao", "zhitongche")
    assert body.endswith("|") and body.split("|")[1]
