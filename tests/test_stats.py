"""Build statistics (--verbose, watch mode): stage timings that add up over repeated stages, and
the cache use counted while a build runs, printed by kind."""

from __future__ import annotations

import itertools

import pytest

from broadsheet import stats
from broadsheet.stats import COUNTS, Stats


@pytest.fixture
def clock(monkeypatch):
    """perf_counter advancing 0.25 s a call."""
    ticks = itertools.count()
    monkeypatch.setattr(stats.time, "perf_counter", lambda: next(ticks) * 0.25)


def test_stages_are_timed_in_order_and_a_repeated_stage_adds_up(clock):
    s = Stats()
    with s.stage("load"):
        pass
    with s.stage("layout"):
        pass
    with s.stage("load"):
        pass
    assert s.timings == {"load": 0.5, "layout": 0.25}
    assert s.lines() == ["load 500 ms  layout 250 ms"]


def test_a_stage_that_fails_is_timed_too(clock):
    s = Stats()
    with pytest.raises(ZeroDivisionError), s.stage("write"):
        1 / 0
    assert s.timings == {"write": 0.25}


def test_observe_counts_only_what_happens_inside():
    COUNTS["faces hit"] += 5  # before: not this build's
    s = Stats()
    with s.observe() as seen:
        COUNTS["faces hit"] += 2
        COUNTS["faces memory"] += 3
        COUNTS["subsets miss"] += 1
    COUNTS["subsets miss"] += 4  # after: not this build's either
    assert seen is s
    assert +s.cache == {"faces hit": 2, "faces memory": 3, "subsets miss": 1}


def test_a_second_observation_adds_to_the_first():
    s = Stats()
    for _ in range(2):
        with s.observe():
            COUNTS["lines hit"] += 10
    assert s.cache["lines hit"] == 20


def test_cache_use_is_printed_by_kind_memory_hit_miss():
    s = Stats(timings={"load": 0.0123})
    s.cache.update({"subsets hit": 3, "faces miss": 1, "faces memory": 2, "subsets miss": 0})
    assert s.lines() == ["load 12 ms", "cache: faces: 2 memory, 1 miss; subsets: 3 hit"]
    assert Stats().lines() == [""]  # nothing timed, no cache line
