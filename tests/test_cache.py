"""The on-disk cache: values come back, and each kind keeps only its most recently used entries."""

from __future__ import annotations

import os
import pickle

import pytest

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


class _Planted:
    """What an attacker writes into the cache folder: unpickling it would run a shell command."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_planted_entry_runs_no_code_and_is_a_miss(tmp_path, monkeypatch):
    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path / "cache"))
    marker = tmp_path / "ran"
    entry = tmp_path / "cache" / "subsets" / f"{cache.digest('glyphs')}.pickle"
    entry.parent.mkdir(parents=True)
    entry.write_bytes(pickle.dumps(_Planted(marker)))
    misses = COUNTS["subsets miss"]
    assert cache.cached("subsets", "glyphs", lambda: "made") == "made"
    assert not marker.exists(), "unpickling a cache entry ran code"
    assert COUNTS["subsets miss"] == misses + 1
    assert cache.load_entry(entry) == "made"  # replaced by the good value
    with pytest.raises(pickle.UnpicklingError, match="builtins.eval"):
        entry.write_bytes(pickle.dumps(eval))
        cache.load_entry(entry)


def test_cached_faces_and_subsets_still_load(tmp_path, monkeypatch):
    """The allowlist admits what the cache really holds: a face (with its path) and a subset."""
    from broadsheet.fonts import faces
    from broadsheet.fonts.subset import make_subset

    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path))
    monkeypatch.setattr(faces, "_faces", {})  # read from the (new, empty) disk cache, not from memory
    face = faces.load_face(faces.BUNDLED / "LXGWWenKai-Regular.ttf")
    make_subset(face, {face.gid("永")})
    entries = sorted(tmp_path.glob("*/*.pickle"))
    assert {e.parent.name for e in entries} >= {"faces", "subsets"}
    loaded = [cache.load_entry(e) for e in entries]
    assert any(getattr(v, "postscript", None) == face.postscript for v in loaded)


def test_stored_values_with_references_dates_and_field_tuples_come_back(tmp_path, monkeypatch):
    """What a project entry holds: a tuple with fields (a frame segment), a date, and an object
    kept elsewhere, stored by reference and resolved by the reader's `refer`; without `refer`
    a reference is a miss."""
    from datetime import datetime, timezone

    from broadsheet.input.jobs import Segment

    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path))
    elsewhere = {"face-1": object()}
    value = (Segment(1, 1, 4, 0, 10), datetime(2020, 7, 21, tzinfo=timezone.utc), elsewhere["face-1"])
    cache.store("projects", "k", value, lambda obj: "face-1" if obj is elsewhere["face-1"] else None)
    back = cache.lookup("projects", "k", elsewhere.__getitem__)
    assert back[:2] == value[:2] and back[2] is elsewhere["face-1"]
    assert cache.lookup("projects", "k") is cache.MISSING
    assert cache.lookup("projects", "other key", elsewhere.__getitem__) is cache.MISSING


def test_a_value_the_cache_cannot_keep_only_costs_speed(tmp_path, monkeypatch):
    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path))
    cache.store("projects", "k", lambda: None)  # a function cannot be pickled: nothing is written, nothing raised
    assert cache.lookup("projects", "k") is cache.MISSING


def test_a_file_put_first_is_in_place_before_the_commit_and_put_back_by_a_discard(tmp_path):
    pdf, png, new = tmp_path / "page.pdf", tmp_path / "page.png", tmp_path / "new.pdf"
    pdf.write_bytes(b"old pdf")
    png.write_bytes(b"old png")
    for commit in (False, True):
        staged = cache.Staged()
        staged.write(pdf, b"new pdf")
        staged.write(new, b"first")
        staged.put_first(pdf)
        staged.put_first(new)
        assert pdf.read_bytes() == b"new pdf" and new.read_bytes() == b"first", "in place before the rest"
        staged.write(png, b"new png")
        assert png.read_bytes() == b"old png"
        if commit:
            staged.commit()
            assert (pdf.read_bytes(), png.read_bytes(), new.read_bytes()) == (b"new pdf", b"new png", b"first")
        else:  # a later failure: what was replaced comes back, what was new goes
            staged.discard()
            assert (pdf.read_bytes(), png.read_bytes()) == (b"old pdf", b"old png") and not new.exists()
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["page.pdf", "page.png"] + (["new.pdf"] if commit else []))
