"""The Python API runs the same stages, options and diagnostics as the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet import api

from conftest import MINI_SPEC


def test_load_lay_out_dump_build_check(mini):
    project = api.load(Path("spec.yaml"))
    result = api.lay_out(project)
    assert result.stories["story"].quality.lines > 0
    assert "|这是一段测试文字" in api.dump(result)
    outcome = api.build(Path("spec.yaml"), api.BuildOptions(output=Path("out/a.pdf"), dump=Path("out/a.dump")))
    assert outcome.output.read_bytes().startswith(b"%PDF")
    assert Path("out/a.dump").read_text(encoding="utf-8") == api.dump(result)
    proofed = api.proof(Path("spec.yaml"), api.BuildOptions(output=Path("out/b.pdf"), dpi=20))
    assert [p.name for p in proofed.proofs] == ["b.png"]
    assert api.check(Path("spec.yaml")).exit_code == 0


def test_errors_carry_positions_and_codes(mini):
    mini.spec(MINI_SPEC.replace("gutter: 1字", "gutter: 1ft"))
    with pytest.raises(api.InputError) as info:
        api.build(Path("spec.yaml"))
    [d] = info.value.diagnostics
    assert (d.pos.file, d.pos.line, d.code, d.severity) == ("spec.yaml", 8, "input", "error")
    assert not Path("out/spec.pdf").exists()


def test_overset_is_its_own_error(mini):
    mini.spec(MINI_SPEC.replace("columns: 1-4, top: 0, bottom: end", "columns: 1, top: 0, bottom: 2"))
    mini.write("story.md", "正文" * 400 + "\n")
    with pytest.raises(api.OversetError) as info:
        api.build(Path("spec.yaml"))
    assert info.value.diagnostics[0].code == "overset"
    assert api.build(Path("spec.yaml"), api.BuildOptions(allow_overset=True)).warnings[-1].code == "overset"
