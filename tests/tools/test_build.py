"""The build driver (tools/build.py): the options, the stages and what each failure leaves
behind (nothing written: the PDF and its proofs are replaced together or not at all), the overset
message, the pause of the cyclic garbage collector."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from PIL import Image

from broadsheet.diagnostics import InputError
from broadsheet.input.project import load_project
from broadsheet.page.layout import lay_out
from broadsheet.stats import Stats
from broadsheet.tools.build import BuildOptions, OversetError, _no_cyclic_gc, build, overset_diagnostics, run_build

from conftest import MINI_SPEC

SHORT_FRAME = MINI_SPEC.replace("columns: 1-4, top: 0, bottom: end", "columns: 1, top: 0, bottom: 3")


def test_jobs_default_to_the_cores():
    assert BuildOptions().workers >= 1
    assert BuildOptions(jobs=3).workers == 3


def test_the_pdf_goes_to_out_by_the_specs_name_unless_told():
    assert BuildOptions().pdf_for(Path("layout/page.yaml")) == Path("out/page.pdf")
    assert BuildOptions(output=Path("x/y.pdf")).pdf_for(Path("layout/page.yaml")) == Path("x/y.pdf")


def test_a_build_runs_its_stages_and_writes_the_pdf(mini):
    stats = Stats()
    result, warnings = build(Path("spec.yaml"), Path("out/a.pdf"), stats=stats)
    assert list(stats.timings) == ["load", "layout", "pdf", "write"]
    assert stats.project is not None and stats.project.jobs[0].name == "story"
    assert (mini.root / "out/a.pdf").read_bytes().startswith(b"%PDF")
    assert [w.code for w in warnings] == ["underset"]  # the mini page's 开天窗
    assert result.stories["story"].quality.lines > 0


def test_the_overset_message_names_the_story_and_how_much(mini):
    mini.spec(SHORT_FRAME)
    mini.write("story.md", "正文" * 100 + "\n")
    project = load_project(Path("spec.yaml"))
    result = lay_out(project)
    [error] = overset_diagnostics(project, result, allow=False)
    report = result.stories["story"]
    assert error.severity == "error" and error.code == "overset" and error.pos == project.jobs[0].source
    assert (f"story 'story' is overset: {report.overset_chars} characters ({report.overset_lines:.0f} body lines) "
            f"do not fit its frame") in error.message
    assert f"(copyfit {report.quality.fit:+.0f} lines)" in error.message and report.quality.fit < 0
    [warning] = overset_diagnostics(project, result, allow=True)
    assert warning.severity == "warning" and warning.message == error.message
    mini.write("story.md", "正文" * 23 + "\n")  # one line more than the frame holds
    project = load_project(Path("spec.yaml"))
    [one] = overset_diagnostics(project, lay_out(project), allow=True)
    assert "(1 body line) do not fit" in one.message
    mini.spec(MINI_SPEC)
    project = load_project(Path("spec.yaml"))
    assert overset_diagnostics(project, lay_out(project), allow=False) == []


def test_what_stops_a_build_writes_nothing(mini):
    mini.spec(SHORT_FRAME)
    mini.write("story.md", "正文" * 100 + "\n")
    with pytest.raises(OversetError) as info:
        build(Path("spec.yaml"), Path("a.pdf"))
    assert [d.code for d in info.value.diagnostics] == ["overset"] and not (mini.root / "a.pdf").exists()
    _, warnings = build(Path("spec.yaml"), Path("a.pdf"), allow_overset=True)
    assert warnings[-1].code == "overset" and (mini.root / "a.pdf").exists()
    with pytest.raises(InputError) as info:  # -o onto an input of the build
        build(Path("spec.yaml"), Path("story.md"))
    assert "this output is an input of the build" in info.value.diagnostics[0].message
    assert mini.texts["story.md"] == (mini.root / "story.md").read_text(encoding="utf-8")


def test_the_pdf_and_its_proofs_are_replaced_together(mini):
    outcome = run_build(Path("spec.yaml"), BuildOptions(output=Path("page.pdf"), proof=True, dpi=20,
                                                        dump=Path("page.dump")))
    assert [p.name for p in outcome.written] == ["page.pdf", "page.png"]
    assert set(outcome.stats.timings) == {"load", "layout", "pdf", "write", "proofs", "total"}
    assert (mini.root / "page.dump").read_text(encoding="utf-8").count("|这是一段测试文字") == 1
    before = (mini.root / "page.pdf").read_bytes()
    # a photo named like the proof: the proof would overwrite it, so neither the proof nor the PDF
    # is written, though the PDF was made before the clash was known
    Image.new("RGB", (300, 200), (200, 30, 30)).save(mini.root / "photo.png")
    mini.spec(MINI_SPEC + "    images: [{file: photo.png, columns: 1-2, top: 20, lines: 8}]\n")
    with pytest.raises(InputError):
        run_build(Path("spec.yaml"), BuildOptions(output=Path("photo.pdf"), proof=True, dpi=20))
    assert not (mini.root / "photo.pdf").exists()
    assert (mini.root / "page.pdf").read_bytes() == before


def test_the_pdf_is_in_place_while_its_proofs_are_rendered(mini, monkeypatch):
    """Watch shows the PDF a proof's time sooner (the proofs still replace theirs together)."""
    from broadsheet.output import proof

    seen = []
    real = proof.render_proofs

    def spy(pdf, *args, **kwargs):
        seen.append((mini.root / "page.pdf").read_bytes() == pdf)
        return real(pdf, *args, **kwargs)

    monkeypatch.setattr(proof, "render_proofs", spy)
    run_build(Path("spec.yaml"), BuildOptions(output=Path("page.pdf"), proof=True, dpi=20))
    assert seen == [True]
    assert not list(mini.root.glob(".*.tmp")), "the PDF it replaced is not kept after the commit"


def test_built_is_told_the_warnings_before_the_proofs_and_progress_counts_the_pages(mini):
    mini.spec(MINI_SPEC + "    images: [{file: nowhere.jpg, columns: 1-2, top: 20, lines: 8}]\n")
    events = []

    class Bar:
        def __init__(self, pages):
            events.append(("bar", pages))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def update(self, n):
            events.append(("page", n))

    run_build(Path("spec.yaml"), BuildOptions(output=Path("a.pdf"), proof=True, dpi=20), progress=Bar,
              built=lambda warnings: events.append(("built", [w.code for w in warnings])))
    assert events == [("built", ["image-missing", "underset"]), ("bar", 1), ("page", 1)]


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cyclic_collector_is_paused_and_restored_even_after_an_error(enabled):
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        with pytest.raises(RuntimeError):
            with _no_cyclic_gc():
                assert not gc.isenabled()
                raise RuntimeError("a stage failed")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
