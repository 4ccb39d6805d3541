"""The mutation fuzzer (tests/fuzzing.py) over 2,000 seeded runs: whatever the mutation of the
sample spec, its style sheet or a story, a build succeeds, is overset or is invalid input, with
every message at a file:line:col and free of control characters, within the time limit. `make
fuzz` runs 50,000; BROADSHEET_FUZZ_RUNS=N sets how many this test runs."""

from __future__ import annotations

import os
import random

import pytest

import fuzzing
from broadsheet.diagnostics import Diagnostic, Pos

RUNS = int(os.environ.get("BROADSHEET_FUZZ_RUNS", "2000"))


def test_mutated_builds_end_in_an_outcome_the_cli_maps_to_0_1_or_2():
    summary = fuzzing.fuzz(RUNS)
    assert summary.runs == RUNS
    assert not summary.failures, fuzzing.report(summary)
    # the mutations reach every outcome: the fuzzer tests the layout, not only the validation
    assert summary.outcomes["ok"] > RUNS // 10 and summary.outcomes["input"] > RUNS // 10, summary.outcomes


def test_runs_are_reproducible_from_their_seed():
    base = fuzzing.corpus()
    assert fuzzing.mutate(base, random.Random(7)) == fuzzing.mutate(base, random.Random(7))
    assert fuzzing.mutate(base, random.Random(7)) != fuzzing.mutate(base, random.Random(8))


def test_the_corpus_is_the_sample_project_cut_short():
    files = fuzzing.corpus()
    assert files[fuzzing.SPEC] == (fuzzing.ROOT / fuzzing.SPEC).read_bytes()
    story = files["seeds/huanren.md"].decode()
    assert story.startswith("---\nflag: ") and "![" in story and "## " in story
    assert len(story) < len((fuzzing.ROOT / "seeds/huanren.md").read_text(encoding="utf-8")) // 4


@pytest.mark.parametrize("diag, problem", [
    (Diagnostic(Pos("a.yaml"), "x"), "no line"),
    (Diagnostic(Pos("a.yaml", 3, 1), "fine"), None),
])
def test_the_fuzzer_rejects_a_diagnostic_without_a_line(diag, problem):
    bad = fuzzing.bad_diagnostic([diag])
    assert (bad[0].split(":")[0] if bad else None) == problem


def test_the_fuzzer_catches_a_crash_and_a_hang(tmp_path, monkeypatch):
    import time

    import broadsheet.tools.build as build

    for sub in ("layout", "styles", "seeds"):
        (tmp_path / sub).mkdir()
    monkeypatch.setattr(build, "build", lambda *a, **k: 1 / 0)
    outcome, failure = fuzzing.run_one(0, fuzzing.corpus(), tmp_path, {})
    assert outcome == "crash" and failure.site.startswith("ZeroDivisionError")
    monkeypatch.setattr(fuzzing, "TIME_LIMIT", 0.2)
    monkeypatch.setattr(build, "build", lambda *a, **k: time.sleep(5))
    outcome, failure = fuzzing.run_one(0, fuzzing.corpus(), tmp_path, {})
    assert outcome == "crash" and failure.site.startswith("Hang")
