"""Work beside the main line (beside.py): done in a forked child, or here where a fork is not
safe or the child fails, with the same result; what a build hands it."""

from __future__ import annotations

from pathlib import Path

import pytest


_BESIDE_SCRIPT = """
import os, threading, time
from broadsheet.beside import beside
me = os.getpid()
print("forked:", beside(os.getpid)() != me)
print("a failed child, done here:", beside(lambda: os.getpid() if os.getpid() == me else os._exit(3))() == me)
threading.Thread(target=time.sleep, args=(2,), daemon=True).start()
print("with another thread, done here:", beside(os.getpid)() == me)
"""


def test_work_beside_runs_in_a_forked_child_or_else_here(tmp_path):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _BESIDE_SCRIPT], capture_output=True, text=True, timeout=60,
                         cwd=tmp_path, check=True).stdout.splitlines()
    assert out == ["forked: True", "a failed child, done here: True", "with another thread, done here: True"]


def test_text_over_text_found_beside_the_pdf_stops_the_build(mini, monkeypatch):
    from broadsheet.diagnostics import InputError
    from broadsheet.tools import build as build_module
    from broadsheet.tools.build import build

    monkeypatch.setattr(build_module, "BESIDE_PAGES", 1)  # (a one-page project)
    found = []
    monkeypatch.setattr(build_module, "run_beside", lambda work, *args: found.append(work) or (lambda: work(*args)))

    header = ("header:\n  paper: 这是一个非常非常长的报纸名称用来让报眉的左右两部分重叠起来\n"
              "  date: 二〇二〇年七月二十一日星期二\n  editor: 责任编辑：王云峰　美术编辑：李静　校对：张三李四王五\n")
    mini.spec(mini.texts["spec.yaml"].replace("stories:\n", header + "stories:\n"))
    with pytest.raises(InputError) as info:
        build(Path("spec.yaml"), Path("out.pdf"), workers=2)
    assert [d for d in info.value.diagnostics if "text prints over other text on page 1" in d.message]
    assert not Path("out.pdf").exists() and len(found) == 1
