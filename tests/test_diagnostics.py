"""Diagnostics: `file:line:col: severity: message`, with every character a terminal would act on
escaped and overlong messages cut; the collector that gathers them across stages; did-you-mean."""

from __future__ import annotations

import pytest

from broadsheet.diagnostics import (MAX_MESSAGE, Collector, Diagnostic, InputError, Pos, did_you_mean, printable,
                                    styled)


def test_control_characters_are_escaped_in_every_message():
    d = Diagnostic(Pos("a\x1b[2Jb.md", 1, 1), "style '\x1b]0;owned\x07' and \u202egnp.exe")
    text = str(d)
    assert text == "a\\x1b[2Jb.md:1:1: error: style '\\x1b]0;owned\\x07' and \\u202egnp.exe"
    assert printable("中文 text") == "中文 text"


@pytest.mark.parametrize("raw, shown", [
    ("\x00\x7f", "\\x00\\x7f"),  # NUL, DEL
    ("a\x9bb", "a\\x9bb"),  # C1: the one-byte CSI
    ("\u2028\u2029", "\\u2028\\u2029"),  # line and paragraph separators
    ("\u2066x\u2069\u200f", "\\u2066x\\u2069\\u200f"),  # isolates and a direction mark
    ("\ufeffBOM", "\\ufeffBOM"),
    ("tab\tnew\nline", "tab\\x09new\\x0aline"),  # a message is one line
    ("，。《》\u3000é", "，。《》\u3000é"),  # what a page prints is shown as it is
])
def test_printable(raw, shown):
    assert printable(raw) == shown


def test_positions_print_as_far_as_they_are_known():
    assert str(Pos("spec.yaml")) == "spec.yaml"
    assert str(Pos("spec.yaml", 3)) == "spec.yaml:3:1"  # a line without a column: its first
    assert str(Pos("spec.yaml", 3, 7)) == "spec.yaml:3:7"
    assert str(Diagnostic(Pos("spec.yaml", 3, 7), "bad value", "warning")) == "spec.yaml:3:7: warning: bad value"


def test_diagnostics_sort_by_file_then_line_then_column():
    found = [Diagnostic(Pos("b.md", 1, 1), "x"), Diagnostic(Pos("a.md", 10, 1), "y"), Diagnostic(Pos("a.md", 2, 5), "z"),
             Diagnostic(Pos("a.md", 2, 3), "w")]
    assert [str(d.pos) for d in sorted(found)] == ["a.md:2:3", "a.md:2:5", "a.md:10:1", "b.md:1:1"]


def test_an_overlong_message_is_cut_saying_how_much_was_left_out():
    d = Diagnostic(Pos("s.md", 1, 1), "长" * (MAX_MESSAGE + 234))
    assert d.message == "长" * MAX_MESSAGE + "… (234 more characters)"
    assert Diagnostic(Pos("s.md", 1, 1), "x" * MAX_MESSAGE).message == "x" * MAX_MESSAGE  # the limit itself is whole


def test_an_escaped_message_is_measured_as_printed():
    """Escaping comes first: four characters of ESC are 16 printed ones."""
    d = Diagnostic(Pos("s.md", 1, 1), "\x1b" * MAX_MESSAGE)
    assert d.message.startswith("\\x1b" * (MAX_MESSAGE // 4) + "…") and "\x1b" not in d.message


def test_the_collector_raises_its_errors_only():
    out = Collector()
    out.warning(Pos("a.yaml", 1, 1), "just so", "font")
    out.check()  # a warning is no reason to stop
    out.error(Pos("a.yaml", 2, 1), "wrong", "style")
    out.extend([Diagnostic(Pos("b.yaml", 1, 1), "also wrong")])
    assert [d.message for d in out.errors] == ["wrong", "also wrong"]
    assert [(d.message, d.code) for d in out.warnings] == [("just so", "font")]
    with pytest.raises(InputError) as info:
        out.check()
    assert [d.code for d in info.value.diagnostics] == ["style", "input"]
    assert str(info.value) == "a.yaml:2:1: error: wrong\nb.yaml:1:1: error: also wrong"


def test_did_you_mean_names_the_closest_choice_or_nothing():
    assert did_you_mean("colums", ["gutter", "columns", "line"]) == " (did you mean 'columns'?)"
    assert did_you_mean("bdy", {"body": 1, "title": 2}) == " (did you mean 'body'?)"  # any iterable of names
    assert did_you_mean("xyzzy", ["columns", "gutter"]) == ""
    assert did_you_mean(2020, ["title", "2021"]) == " (did you mean '2021'?)"  # a YAML key may be a number


def test_styled_colours_the_severity_only():
    error = styled(Diagnostic(Pos("a.yaml", 3, 4), "bad"))
    warning = styled(Diagnostic(Pos("a.yaml", 3, 4), "bad", "warning"))
    assert error == "a.yaml:3:4: \x1b[31m\x1b[1merror\x1b[0m: bad"
    assert warning == "a.yaml:3:4: \x1b[33m\x1b[1mwarning\x1b[0m: bad"
