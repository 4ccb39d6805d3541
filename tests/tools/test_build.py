"""The build driver (tools/build.py)."""

from __future__ import annotations

from broadsheet.tools.build import BuildOptions


def test_jobs_default_to_the_cores():
    assert BuildOptions().workers >= 1
    assert BuildOptions(jobs=3).workers == 3
