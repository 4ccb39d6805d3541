"""The on-disk cache: values come back, and each kind keeps only its most recently used entries."""

from __future__ import annotations

import os

from broadsheet import cache
from broadsheet.stats import COUNTS


def test_least_recently_used_entries_go_beyond_the_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path))
    monkeypatch.setitem(cache.LIMITS, "subsets", 3)
    for k in range(3):
        assert cache.cached("subsets", f"glyphs {k}", lambda k=k: k) == k
    files = {k: tmp_path / "subsets" / f"{cache.digest(f'glyphs {k}')}.pickle" for k in range(4)}
    for k in range(3):  # written long ago, in order
        os.utime(files[k], ns=(1_000_000_000 * (k + 1),) * 2)
    hits = COUNTS["subsets hit"]
    assert cache.cached("subsets", "glyphs 0", lambda: "recomputed") == 0  # a hit: now the most recent
    assert COUNTS["subsets hit"] == hits + 1
    assert cache.cached("subsets", "glyphs 3", lambda: 3) == 3  # a new entry: the oldest goes
    assert [k for k in range(4) if files[k].exists()] == [0, 2, 3]
