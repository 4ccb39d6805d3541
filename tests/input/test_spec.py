"""The layout spec (input/spec.py): its structure validated in full before anything is drawn, each
problem an error at the exact file:line:col of the YAML we wrote, with a did-you-mean where a key
is misspelt, and all of a spec's problems in one run."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from broadsheet.diagnostics import Collector, InputError
from broadsheet.input.spec import load_spec
from broadsheet.units import Length

from conftest import MINI_MARGINS, MINI_SPEC, find


# ---------------------------------------------------------------------------------------------
# structure


def test_unknown_key_with_did_you_mean(mini):
    text = MINI_SPEC.replace("  columns: 4\n  gutter: 1字\n", "  gutter: 1字\n  colums: 4\n")
    mini.spec(text)
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "colums"), "unknown key 'colums' (did you mean 'columns'?)")
    # the grid then lacks its columns: reported at the grid mapping (its first key)
    find(errors, mini.at("spec.yaml", "gutter"), "missing required key 'columns'")


def test_unknown_first_key_with_did_you_mean(mini):
    mini.spec(MINI_SPEC.replace("  columns: 4\n", "  colums: 4\n"))
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "colums"), "unknown key 'colums' (did you mean 'columns'?)")


def test_unknown_keys_at_other_levels(mini):
    text = MINI_SPEC.replace("subject: 测试主题", "subjet: 测试主题")
    text = text.replace("    frame: {columns: 1-4, top: 0, bottom: end}\n",
                        "    headlin: {align: left}\n    frame:\n      - {columns: 1-2, botom: end}\n")
    mini.spec(text)
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "subjet"), "unknown key 'subjet' (did you mean 'subject'?)")
    find(errors, mini.at("spec.yaml", "botom"), "unknown key 'botom' (did you mean 'bottom'?)")
    find(errors, mini.at("spec.yaml", "headlin"), "unknown key 'headlin' (did you mean 'headline'?)")
    assert len(errors) == 3, errors


def test_error_inside_a_single_mapping_frame_points_at_the_key(mini):
    mini.spec(MINI_SPEC.replace("bottom: end}", "botom: end}").replace("top: 0", "top: abc"))
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "botom"), "unknown key 'botom' (did you mean 'bottom'?)")
    find(errors, mini.at("spec.yaml", "abc"), "'abc'")


def test_wrong_types(mini):
    text = MINI_SPEC.replace("title: 小样测试", "title: [小样, 测试]").replace("columns: 4", "columns: four")
    mini.spec(text)
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "[小样"), "'title': must be text (a string), got", "['小样', '测试']")
    find(errors, mini.at("spec.yaml", "four"), "'grid.columns'", "must be a whole number, got 'four'")
    assert len(errors) == 2, errors


def test_out_of_range_number(mini):
    mini.spec(MINI_SPEC.replace("columns: 4", "columns: 30"))
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "30"), "'grid.columns'", "24")


def test_bad_unit(mini):
    mini.spec(MINI_SPEC.replace("gutter: 1字", "gutter: 4ft"))
    errors = mini.errors()
    msg = find(errors, mini.at("spec.yaml", "4ft"), "'grid.gutter': unknown unit 'ft' in '4ft'")
    assert "字" in msg and "mm" in msg  # says which units would do
    assert len(errors) == 1, errors


def test_unit_not_allowed_for_the_key(mini):
    mini.spec(MINI_SPEC.replace(MINI_MARGINS, "margins: 2行"))
    errors = mini.errors()
    assert errors, "a margin in body lines has no meaning"
    for e in errors:
        assert e.startswith(mini.at("spec.yaml", "2行") + ": error: "), errors
    assert any("unit '行' is not allowed here" in e for e in errors), errors


@pytest.mark.parametrize("columns", ["0", "[0, 2]"])
def test_column_zero_is_an_error_not_a_frame_left_of_the_page(mini, columns):
    mini.spec(MINI_SPEC.replace("columns: 1-4, top: 0", f"columns: {columns}, top: 0"))
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", f"{columns},"), "'stories.0.frame.columns': columns 0-", "write the first column (from 1)")
    assert len(errors) == 1, errors


def test_unknown_page_size(mini):
    mini.spec(MINI_SPEC.replace("size: A4", "size: A9"))
    errors = mini.errors()
    msg = find(errors, mini.at("spec.yaml", "A9"), "'page.size'", "'A9'")
    assert "对开" in msg and "[390mm, 540mm]" in msg  # the named sizes and the explicit form


def test_explicit_page_size_needs_units(mini):
    mini.spec(MINI_SPEC.replace("size: A4", "size: [210, 297mm]"))
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "[210"), "'page.size'", "needs a unit")


def test_all_schema_errors_of_a_spec_reported_together(mini):
    text = (MINI_SPEC.replace("gutter: 1字", "gutter: 4ft").replace("size: A4", "size: A9")
            .replace("columns: 4", "columns: four").replace("    frame:", "    headline: {align: middle}\n    frame:"))
    mini.spec(text)
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "4ft"), "unknown unit 'ft'")
    find(errors, mini.at("spec.yaml", "A9"), "'page.size'")
    find(errors, mini.at("spec.yaml", "four"), "'grid.columns'")
    find(errors, mini.at("spec.yaml", "middle"), "'stories.0.headline.align'", "'middle'")
    assert len(errors) == 4, errors


# ---------------------------------------------------------------------------------------------
# the spec loaded


def _load(mini, text: str):
    mini.spec(text)
    out = Collector()
    return load_spec(Path("spec.yaml"), out), out


def test_a_valid_spec_has_its_model_and_folder(mini):
    (mini.root / ".broadsheet").write_text("")
    (mini.root / "layout").mkdir()
    mini.write("layout/spec.yaml", MINI_SPEC)
    out = Collector()
    spec = load_spec(Path("layout/spec.yaml"), out)
    assert not out.items and spec.model.title == "小样测试" and spec.model.grid.columns == 4
    assert spec.dir == Path("layout") and spec.root == mini.root.resolve()  # the marked folder above it
    assert spec.resolve("../story.md") == (mini.root / "story.md").resolve()
    assert spec.display((mini.root / "layout" / "spec.yaml").resolve()) == "layout/spec.yaml"
    assert spec.display(Path("/elsewhere/x.md")) == "/elsewhere/x.md"


def test_an_invalid_spec_keeps_its_raw_data_for_the_other_checks(mini):
    spec, out = _load(mini, MINI_SPEC.replace("columns: 4", "columns: four"))
    assert spec.model is None and spec.src.data["styles"] == "styles.yaml"
    assert [e.message for e in out.errors] == ["'grid.columns': must be a whole number, got 'four'"]


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "just text\n"])
def test_a_spec_that_is_no_mapping_is_refused(mini, text):
    mini.spec(text)
    with pytest.raises(InputError, match="a layout spec must be a mapping of keys"):
        load_spec(Path("spec.yaml"), Collector())


@pytest.mark.parametrize("size, mm", [("对开", (390, 540)), ("對開", (390, 540)), (" 四开 ", (270, 390)), ("B4", (257, 364)),
                                      ("[300mm, 40cm]", (300, 400)), ("[8.5in, 11in]", (215.9, 279.4))])
def test_page_sizes_by_name_or_measure(mini, size, mm):
    spec, out = _load(mini, MINI_SPEC.replace("size: A4", f"size: {size}"))
    assert not out.items
    assert [round(side.pt() * 25.4 / 72, 1) for side in spec.model.page.size] == pytest.approx(list(mm))


def test_margins_one_for_all_sides_or_each_its_own(mini):
    spec, _ = _load(mini, MINI_SPEC.replace(MINI_MARGINS, "margins: {top: 20mm, bottom: 15mm, left: 10mm, right: 12mm}"))
    m = spec.model.page.margins
    assert (m.top, m.bottom, m.left, m.right) == (Length(20, "mm"), Length(15, "mm"), Length(10, "mm"), Length(12, "mm"))
    spec, _ = _load(mini, MINI_SPEC.replace(MINI_MARGINS, "margins: 15mm"))
    assert {spec.model.page.margins.top, spec.model.page.margins.right} == {Length(15, "mm")}


def test_a_frame_of_one_segment_or_several(mini):
    spec, _ = _load(mini, MINI_SPEC)
    [segment] = spec.model.stories[0].frame
    assert (segment.columns, segment.top, segment.bottom, segment.page) == ((1, 4), Length(0, "行"), "end", 1)
    spec, out = _load(mini, MINI_SPEC.replace("frame: {columns: 1-4, top: 0, bottom: end}",
                                              "frame: [{columns: 1-2, bottom: 20}, {columns: 3-4, top: 5mm, page: 2}]"))
    assert not out.items
    assert [(f.columns, f.top, f.bottom, f.page) for f in spec.model.stories[0].frame] == [
        ((1, 2), Length(0, "行"), Length(20, "行"), 1), ((3, 4), Length(5, "mm"), "end", 2)]


@pytest.mark.parametrize("box, expected", [("true", {"weight": Length(0.75, "pt"), "tint": None}), ("false", None),
                                           ("{tint: [0, 0, 20, 0]}", {"weight": Length(0.75, "pt"), "tint": (0, 0, 20, 0)})])
def test_a_box_is_true_false_or_its_settings(mini, box, expected):
    spec, out = _load(mini, MINI_SPEC + f"    box: {box}\n")
    assert not out.items
    got = spec.model.stories[0].box
    assert (None if got is None else {"weight": got.weight, "tint": got.tint}) == expected


def test_output_defaults_and_settings(mini):
    spec, _ = _load(mini, MINI_SPEC)
    o = spec.model.output
    assert (o.pdfx, o.bleed, o.marks, o.ink_limit, o.date, o.trapped) == ("none", Length(0, "mm"), [], 240.0, None, False)
    spec, out = _load(mini, MINI_SPEC + "output:\n  pdfx: x4\n  ink_limit: 260 %\n  date: 2020-07-21\n"
                                        "  marks: [info, crop]\n")
    assert not out.items
    o = spec.model.output
    assert (o.pdfx, o.ink_limit, o.date, o.marks) == ("x4", 260.0, datetime(2020, 7, 21, tzinfo=timezone.utc), ["info", "crop"])


@pytest.mark.parametrize("written, moment", [
    ("2020-07-21", datetime(2020, 7, 21, tzinfo=timezone.utc)),  # a date: midnight UTC
    ("2020-07-21T06:00:00+08:00", datetime(2020, 7, 21, 6, tzinfo=timezone(timedelta(hours=8)))),
    ("'2020-07-21 06:00'", datetime(2020, 7, 21, 6, tzinfo=timezone.utc)),  # no zone: UTC
])
def test_output_dates(mini, written, moment):
    spec, out = _load(mini, MINI_SPEC + f"output:\n  date: {written}\n")
    assert not out.items and spec.model.output.date == moment and spec.model.output.date.utcoffset() == moment.utcoffset()


@pytest.mark.parametrize("setting, words", [
    ("ink_limit: 0%", "a total ink limit is between 0% and 400%"),
    ("ink_limit: 401", "a total ink limit is between 0% and 400%"),
    ("ink_limit: lots", "expected a percentage such as 240%; got 'lots'"),
    ("ink_limit: true", "a total ink limit is between 0% and 400%"),
    ("date: yesterday", "expected an ISO 8601 date or date-time"),
    ("date: 5", "expected a date such as 2020-07-21; got 5"),
    ("marks: [crop, bleed]", "'output.marks.1'"),
])
def test_output_settings_that_are_not(mini, setting, words):
    mini.spec(MINI_SPEC + f"output:\n  {setting}\n")
    errors = mini.errors()
    key, value = setting.split(": ", 1)
    line, col = mini.pos("spec.yaml", setting)
    col += len(key) + 2 + (value.index("bleed") if "bleed" in value else 0)  # the value (the list's item)
    find(errors, f"spec.yaml:{line}:{col}", words)
