"""The spec's `output` settings resolved for the PDF writer (input/press.py): the standard (or the
command line's), bleed and marks in points and the slug they need, the output profile read and
checked, the print condition it stands for, and a date that keeps the file reproducible."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from PIL import ImageCms

from broadsheet.diagnostics import Collector
from broadsheet.input.press import DEFAULT_PROFILE, FALLBACK_DATE, SLUG, Press, load_press
from broadsheet.input.spec import load_spec

from conftest import MINI_SPEC

MM = 72 / 25.4


def _press(mini, output: str = "", standard: str | None = None) -> tuple[Press, Collector]:
    mini.spec(MINI_SPEC + (f"output:\n{output}" if output else ""))
    out = Collector()
    spec = load_spec(Path("spec.yaml"), out)
    assert not out.items, [str(d) for d in out.items]
    return load_press(spec, out, standard), out


@pytest.fixture(autouse=True)
def no_epoch(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def test_a_plain_pdf_by_default(mini):
    press, out = _press(mini)
    assert not out.items
    assert (press.standard, press.pdfx, press.bleed, press.marks, press.slug, press.offset) == ("none", False, 0, (), 0, 0)
    assert press.profile == DEFAULT_PROFILE.read_bytes()
    assert press.profile_name.startswith("Coldset newsprint")
    assert (press.condition, press.registry) == ("CGATS TR 002", "http://www.color.org")
    assert (press.intent, press.ink_limit, press.trapped, press.source) == ("perceptual", 240.0, False, "spec.yaml")
    assert press.date == FALLBACK_DATE  # never the clock


def test_bleed_and_marks_in_points_and_the_slug_they_need(mini):
    press, _ = _press(mini, "  pdfx: x1a\n  bleed: 3mm\n  marks: [info, crop, colorbar]\n")
    assert press.pdfx and press.bleed == pytest.approx(3 * MM)
    assert press.marks == ("crop", "colorbar", "info")  # in the order they are drawn, whatever the spec's
    assert press.slug == SLUG and press.offset == pytest.approx(3 * MM + SLUG)
    press, _ = _press(mini, "  bleed: 5mm\n")
    assert press.slug == 0 and press.offset == pytest.approx(5 * MM)  # no marks, no slug


def test_the_command_line_standard_wins(mini):
    assert _press(mini, "  pdfx: x1a\n", standard="x4")[0].standard == "x4"
    assert _press(mini, "  pdfx: x1a\n", standard="none")[0].pdfx is False
    assert _press(mini, "  pdfx: x1a\n")[0].standard == "x1a"


def test_a_plants_own_profile_is_a_custom_condition_described_by_the_profile(mini):
    shutil.copy(DEFAULT_PROFILE, mini.root / "plant.icc")
    press, out = _press(mini, "  profile: plant.icc\n")
    assert not out.items
    assert (press.condition, press.registry) == ("Custom", "")
    assert press.condition_info == press.profile_name and press.profile_name.startswith("Coldset newsprint")
    press, _ = _press(mini, "  profile: plant.icc\n  condition: ISOnewspaper26v4\n  registry: http://www.color.org\n"
                            "  condition_info: ISO newspaper 26\n")
    assert (press.condition, press.condition_info, press.registry) == ("ISOnewspaper26v4", "ISO newspaper 26",
                                                                       "http://www.color.org")


def test_a_profile_that_is_no_cmyk_output_profile_is_an_error_at_its_line(mini):
    (mini.root / "srgb.icc").write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    _, out = _press(mini, "  profile: srgb.icc\n")
    [error] = out.errors
    assert str(error) == (f"{mini.at('spec.yaml', 'srgb.icc')}: error: profile srgb.icc: is a RGB mntr profile; "
                          "PDF/X needs a CMYK output (prtr) profile")
    assert error.code == "output"


def test_bad_output_settings_are_positioned_errors(mini):
    mini.spec(MINI_SPEC + "output:\n  pdfx: x1a\n  profile: nowhere.icc\n")
    errors = mini.errors()
    line, col = mini.pos("spec.yaml", "nowhere.icc")
    assert any(e.startswith(f"spec.yaml:{line}:{col}: error: profile nowhere.icc cannot be read") for e in errors), errors
    (mini.root / "fake.icc").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    mini.spec(MINI_SPEC + "output:\n  pdfx: x1a\n  profile: fake.icc\n")
    assert any("fake.icc: not an ICC profile" in e for e in mini.errors())
    mini.spec(MINI_SPEC + "output:\n  pdfx: x2\n  ink_limit: 500%\n")
    errors = mini.errors()
    assert any("pdfx" in e and "x1a" in e for e in errors) and any("ink limit" in e for e in errors), errors


def test_the_date_from_the_spec_or_source_date_epoch(mini, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1595282400")
    press, out = _press(mini)
    assert press.date == datetime(2020, 7, 20, 22, tzinfo=timezone.utc) and not out.items
    press, _ = _press(mini, "  date: 2021-01-02\n")
    assert press.date == datetime(2021, 1, 2, tzinfo=timezone.utc)  # the spec's own wins


@pytest.mark.parametrize("epoch", ["yesterday", "1.5", "99999999999999999999"])
def test_a_source_date_epoch_that_is_no_time_is_an_error(mini, monkeypatch, epoch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    press, out = _press(mini)
    assert [str(e) for e in out.errors] == [
        f"SOURCE_DATE_EPOCH: error: SOURCE_DATE_EPOCH must be whole seconds since 1970; got '{epoch}'"]
    assert press.date == FALLBACK_DATE
