"""The value types of specs and style sheets (input/fields.py): unit-aware lengths, font sizes,
column ranges, what each accepts and refuses in the reader's words, and their JSON Schema patterns."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from pydantic import TypeAdapter, ValidationError

from broadsheet.input.fields import AbsLength, Columns, FontSize, HLength, PositiveLength, VLength, length_pattern
from broadsheet.units import Length


def _read(kind, value):
    return TypeAdapter(kind).validate_python(value)


# ---------------------------------------------------------------------------------------------
# field types


@pytest.mark.parametrize("written, expected", [
    ("1-5", (1, 5)), ("3", (3, 3)), (3, (3, 3)), ([2, 4], (2, 4)), (" 2 ～ 4 栏 ", (2, 4)), ("1–3", (1, 3)), ("6~6", (6, 6)),
])
def test_columns_as_written(written, expected):
    assert _read(Columns, written) == expected


@pytest.mark.parametrize("written, words", [
    ("5-3", "columns 5-3: write the first column (from 1) then the last"),
    (0, "columns 0-0: write the first column (from 1)"),  # left of the page
    (-2, "columns -2--2"),
    (True, "expected columns such as 1-5"),
    ("1,2", "expected columns such as 1-5 or 3, got '1,2'"),
    ([1, 2, 3], "expected columns such as 1-5 or 3"),
    ("1" + " " * 50 + "-2", "got a text of 53 characters"),
])
def test_columns_that_are_not(written, words):
    with pytest.raises(ValidationError, match=re.escape(words)):
        _read(Columns, written)


def test_lengths_in_the_units_of_their_kind():
    assert (_read(HLength, "2字"), _read(VLength, 3), _read(PositiveLength, "14pt"), _read(FontSize, "小五"),
            _read(AbsLength, "2mm")) == (Length(2, "字"), Length(3, "行"), Length(14, "pt"), 9.0, Length(2, "mm"))
    with pytest.raises(ValidationError, match="unit '行' is not allowed here"):
        _read(HLength, "2行")  # a horizontal width in body lines
    with pytest.raises(ValidationError, match="needs a unit"):
        _read(HLength, 2)  # only vertical lengths take a bare number (lines)


@pytest.mark.parametrize("kind, value, words", [
    (HLength, "-1字", "must be at least 0, got -1字"),
    (PositiveLength, "0pt", "must be more than 0, got 0pt"),
    (VLength, -1, "must be at least 0"),
    (FontSize, -9, "font size must be positive"),
])
def test_lengths_out_of_range(kind, value, words):
    with pytest.raises(ValidationError, match=re.escape(words)):
        _read(kind, value)


def test_the_field_types_need_no_pydantic_until_a_model_uses_them():
    """A warm build reads resolved styles (annotated with these types) back from the cache: the
    types module imports no pydantic."""
    code = "import sys, broadsheet.input.fields, broadsheet.input.styles; print('pydantic' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


def test_length_pattern_for_editors():
    """The JSON Schema's pattern accepts what the validator does, English aliases included."""
    pattern = re.compile(length_pattern(("字", "mm")))
    assert [bool(pattern.match(t)) for t in ("2字", " 1.5 mm ", "3zi", ".5mm", "2", "2pt", "2字字")] == [
        True, True, True, True, False, False, False]
    assert re.match(length_pattern(("行",), unit_optional=True), "12")
