"""Style sheets read (input/sheets.py): values validated at their file:line:col, inheritance (based_on)
with unknown bases and cycles reported where they are written, a spec's overrides, and a broken
style that neither hides other errors nor cascades into more."""

from __future__ import annotations

import pytest

from broadsheet.colours import Spot
from broadsheet.diagnostics import Collector, Pos
from broadsheet.input.sheets import ParaProps, load_styles
from broadsheet.input.styles import Styles
from broadsheet.input.yamlsrc import parse_yaml
from broadsheet.units import Length

from conftest import MINI_SPEC, find

TWO_SHEETS = MINI_SPEC.replace("styles: styles.yaml", "styles: [styles.yaml, extra.yaml]")


# ---------------------------------------------------------------------------------------------
# in a build


def test_bad_value_in_a_style_sheet(mini):
    mini.spec(TWO_SHEETS)
    mini.write("extra.yaml", "paragraph:\n  note:\n    size: 大五\n    colour: red\n    align: middle\n")
    errors = mini.errors()
    find(errors, mini.at("extra.yaml", "大五"), "'大五' is not a length", "号")
    find(errors, mini.at("extra.yaml", "colour"), "unknown key 'colour' (did you mean 'color'?)")
    find(errors, mini.at("extra.yaml", "middle"), "'paragraph.note.align'", "'middle'")


def test_unknown_based_on(mini):
    mini.spec(TWO_SHEETS)
    mini.write("extra.yaml", "paragraph:\n  note:\n    based_on: bodyy\n    size: 小五\n")
    errors = mini.errors()
    assert errors == [f"{mini.at('extra.yaml', 'bodyy')}: error: style 'note' is based on unknown style 'bodyy' "
                      "(did you mean 'body'?)"]


def test_unknown_based_on_of_an_element_style_is_one_error(mini):
    mini.spec(TWO_SHEETS)
    mini.write("extra.yaml", "paragraph:\n  deck:\n    based_on: kickr\n")
    errors = mini.errors()
    find(errors, mini.at("extra.yaml", "kickr"), "style 'deck' is based on unknown style 'kickr' (did you mean 'kicker'?)")
    assert len(errors) == 1, errors


def test_based_on_cycle(mini):
    mini.spec(TWO_SHEETS)
    extra = ("paragraph:\n"
             "  note_a:\n    based_on: note_b\n    size: 小五\n"
             "  note_b:\n    based_on: note_c\n"
             "  note_c:\n    based_on: note_a\n")
    mini.write("extra.yaml", extra)
    errors = mini.errors()
    assert len(errors) == 3, errors  # each style of the cycle is in error
    for name, target in (("note_a", "note_b\n"), ("note_b", "note_c\n"), ("note_c", "note_a\n")):
        msg = find(errors, mini.at("extra.yaml", target), f"style '{name}': based_on makes a cycle")
        assert all(n in msg for n in ("note_a", "note_b", "note_c")), msg


def test_style_based_on_itself(mini):
    mini.spec(TWO_SHEETS)
    mini.write("extra.yaml", "paragraph:\n  note:\n    based_on: note\n")
    errors = mini.errors()
    assert len(errors) == 1, errors
    line, col = mini.pos("extra.yaml", "based_on: note")
    find(errors, f"extra.yaml:{line}:{col + len('based_on: ')}", "style 'note': based_on makes a cycle (note → note)")


def test_style_override_of_an_unknown_style(mini):
    mini.spec(MINI_SPEC + "style_overrides:\n  bdy: {size: 10pt}\n")
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "bdy"), "override of unknown paragraph style 'bdy' (did you mean 'body'?)")
    assert len(errors) == 1, errors


def test_style_override_with_bad_values(mini):
    mini.spec(MINI_SPEC + "style_overrides:\n  body: {size: huge, colr: red}\n")
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "huge"), "'huge' is not a length", "号")
    find(errors, mini.at("spec.yaml", "colr"), "unknown key 'colr' (did you mean 'color'?)")


def test_style_override_applies(mini):
    """The positive side: an override changes the style (the body is set at 12 pt)."""
    mini.spec(MINI_SPEC + "style_overrides:\n  body: {size: 小四}\n")
    result, _ = mini.build()
    sizes = {g.size for run in result.document.pages[0].runs() if run.role == "body" for g in run.glyphs}
    assert sizes == {12.0}


def test_a_broken_style_does_not_hide_other_style_errors_nor_cascade(mini):
    styles = mini.texts["styles.yaml"]
    styles = styles.replace("    size: 小初\n", "    size: 小九\n", 1)  # title: a bad size
    styles = styles.replace("  body:\n    font: 书宋\n", "  body:\n    font: 宋体\n", 1)  # body: an unknown font
    mini.write("styles.yaml", styles)
    errors = mini.errors()
    find(errors, mini.at("styles.yaml", "小九"), "'paragraph.title.size'")
    find(errors, mini.at("styles.yaml", "宋体"), "unknown font '宋体'")
    # styles based on the broken title are not reported as based on an unknown style
    assert not [e for e in errors if "based on unknown style" in e], errors
    assert len(errors) == 2, errors


# ---------------------------------------------------------------------------------------------
# loading sheets


def _load(tmp_path, *sheets: str, overrides: str | None = None, fonts: str | None = None) -> tuple[Styles, Collector]:
    """The styles of `sheets` (a.yaml, b.yaml … in order) with a spec's `style_overrides` and `fonts`."""
    paths = []
    for k, text in enumerate(sheets):
        path = tmp_path / f"{'abc'[k]}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append((path, path.name))
    out = Collector()
    spec = parse_yaml((overrides or "") + (fonts or ""), "spec.yaml")
    data = spec.data or {}
    styles = load_styles(paths, (spec, ("style_overrides",), data.get("style_overrides", {})) if overrides else None,
                         (spec, ("fonts",), data.get("fonts", {})) if fonts else None, out)
    return styles, out


def test_a_style_inherits_what_it_does_not_set_and_remembers_where_each_value_came_from(tmp_path):
    styles, out = _load(tmp_path, "paragraph:\n  body:\n    size: 小五\n    indent: 2字\n"
                                  "  lead:\n    based_on: body\n    size: 10.5\n")
    assert not out.items
    lead = styles.para("lead")
    assert (lead.size, lead.indent, lead.align) == (10.5, Length(2, "字"), "justify")  # own, inherited, default
    assert lead.origins["size"] == Pos("a.yaml", 7, 11)
    assert lead.origins["indent"] == Pos("a.yaml", 4, 13)  # where body set it
    assert lead.origins["align"] is None  # nobody did


def test_a_later_sheet_replaces_a_style_and_an_override_changes_it(tmp_path):
    first = "paragraph:\n  body:\n    size: 9\n    indent: 2字\n"
    styles, out = _load(tmp_path, first, "paragraph:\n  body:\n    size: 10\n")
    body = styles.para("body")
    assert (body.size, body.indent, body.origins["size"]) == (10, Length(0, "字"), Pos("b.yaml", 3, 11))  # all of it
    styles, out = _load(tmp_path, first, overrides="style_overrides:\n  body: {size: 12}\n")
    body = styles.para("body")
    assert (body.size, body.indent, body.origins["size"]) == (12, Length(2, "字"), Pos("spec.yaml", 2, 16))  # one value
    assert not out.items


def test_fonts_by_role_and_the_fallback_chain(tmp_path):
    sheet = "fonts:\n  书宋: [Song A, Song B]\n  黑体: Hei\nfallback: [Song B, Last Resort]\nparagraph:\n  body: {}\n"
    styles, _ = _load(tmp_path, sheet)
    assert [(f.name, str(f.pos)) for f in styles.chain("书宋")] == [
        ("Song A", "a.yaml:2:8"), ("Song B", "a.yaml:2:16"), ("Last Resort", "a.yaml:4:20")]  # Song B once
    assert [f.name for f in styles.chain("Some Family")] == ["Some Family", "Song B", "Last Resort"]
    assert styles.chain("Some Family")[0].pos is None  # named by the style itself
    styles, _ = _load(tmp_path, sheet, fonts="fonts:\n  黑体: [My Hei]\n")
    assert [(f.name, str(f.pos)) for f in styles.chain("黑体")][0] == ("My Hei", "spec.yaml:2:8")  # the spec's own


def test_leading_as_a_multiple_of_the_size_or_a_length(tmp_path):
    styles, out = _load(tmp_path, "paragraph:\n  a: {size: 10, leading: 1.5}\n  b: {size: 10, leading: 2行}\n"
                                  "  c: {size: 10, leading: 16pt}\n")
    assert not out.items
    assert [styles.para(n).leading_pt(line=14) for n in "abc"] == [15, 28, 16]


@pytest.mark.parametrize("written, colour", [
    ("red", (0, 100, 100, 0)), ("红", (0, 100, 100, 0)), ("[10, 20, 30, 40]", (10, 20, 30, 40)),
    ("[0, 0, 0, 100]", (0, 0, 0, 100)),
])
def test_colours_by_name_or_cmyk(tmp_path, written, colour):
    styles, out = _load(tmp_path, f"paragraph:\n  body: {{color: {written}}}\n")
    assert not out.items and styles.para("body").color == colour


@pytest.mark.parametrize("written, words", [
    ("[0, 0, 100]", "colour must be CMYK percentages [c, m, y, k]"),
    ("[0, 0, 0, 101]", "colour must be CMYK percentages"),
    ("purple", "one of black, red, white, gray"),
    ("{spot: All, cmyk: [0, 0, 0, 100]}", "spot must name the ink"),
    ("{spot: '  ', cmyk: [0, 0, 0, 100]}", "spot must name the ink"),
    ("{spot: 报头红, cmyk: [0, 100, 100]}", "the spot colour '报头红' needs its CMYK alternate"),
    ("{spot: 报头红, cmyk: [0, 100, 100, 0], tint: 120}", "tint is a percentage 0-100; got 120"),
    ("{spot: 报头红, cmyk: [0, 100, 100, 0], tnt: 50}", "a spot colour has the keys spot, cmyk and tint, not tnt"),
])
def test_colours_that_are_not(tmp_path, written, words):
    _, out = _load(tmp_path, f"paragraph:\n  body: {{color: {written}}}\n")
    [error] = out.errors
    assert str(error).startswith("a.yaml:2:17: error: 'paragraph.body.color': ") and words in error.message, str(error)


def test_spot_colour_keeps_its_ink_through_validation():
    props = ParaProps.model_validate({"color": {"spot": "PANTONE 485 C", "cmyk": [0, 95, 100, 0], "tint": 50}})
    assert isinstance(props.color, Spot) and props.color.name == "PANTONE 485 C"
    assert tuple(props.color) == (0, 47.5, 50, 0) and props.color.alternate == (0, 95, 100, 0)
    assert props.color != (0, 47.5, 50, 0)  # another ink than the process colour of the same numbers
    with pytest.raises(ValueError, match="CMYK alternate"):
        ParaProps.model_validate({"color": {"spot": "PANTONE 485 C"}})


def test_what_validates_in_a_broken_sheet_is_kept(tmp_path):
    """So that the rest of the build is checked in the same run: the good style resolves, the
    broken one is declared (no 'unknown style' for what is based on it) but not resolved."""
    styles, out = _load(tmp_path, "fonts:\n  书宋: Song\nparagraph:\n  body: {size: 9}\n  bad: {size: huge}\n"
                                  "  child: {based_on: bad}\n")
    [error] = out.errors  # the bad size; child, based on the broken style, is no error of its own
    assert str(error).startswith("a.yaml:5:15: error: 'paragraph.bad.size': 'huge' is not a length"), str(error)
    assert set(styles.paragraph) == {"body"} and {"bad", "child"} <= styles.declared
    assert [f.name for f in styles.chain("书宋")] == ["Song"]


def test_a_sheet_that_cannot_be_read_is_reported_and_the_others_load(tmp_path):
    styles, out = _load(tmp_path, "paragraph: [\n", "paragraph:\n  body: {size: 9}\n")
    assert [str(e).split(": error: ")[0] for e in out.errors] == ["a.yaml:2:1"]
    assert styles.para("body").size == 9
