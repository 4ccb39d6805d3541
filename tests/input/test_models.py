"""Strict models and their errors (input/models.py): unknown keys and NaN refused, an empty value
refused where a missing one inherits, and pydantic's errors turned into diagnostics at the
file:line:col of the key or value, in the words of a style sheet's reader, one per place."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from broadsheet.input.fields import AbsLength, Columns, FontSize, HLength, PositiveLength, VLength
from broadsheet.input.models import NoNull, Strict, diagnostics_from
from broadsheet.input.yamlsrc import parse_yaml
from broadsheet.units import Length

from conftest import MINI_SPEC, find


class Inner(Strict):
    width: AbsLength


class Model(Strict):
    gap: HLength = Length(0, "字")
    line: PositiveLength | None = None
    top: VLength = Length(0, "行")
    inner: Inner | None = None
    cols: Columns = (1, 1)
    count: int = 3
    size: FontSize = 9.0


class Props(NoNull):
    size: FontSize | None = None


def _errors(text: str, model: type = Model) -> list[str]:
    src = parse_yaml(text, "m.yaml")
    with pytest.raises(ValidationError) as info:
        model.model_validate(src.data)
    return [str(d) for d in diagnostics_from(info.value, src, model)]


def _value(**data):
    return Model.model_validate(data)


def test_a_strict_model_refuses_unknown_keys_and_nan():
    with pytest.raises(ValidationError, match="extra_forbidden|Extra inputs"):
        _value(colour="red")
    with pytest.raises(ValidationError):
        _value(count=float("nan"))


def test_no_null_refuses_an_empty_value_but_not_a_missing_one():
    assert Props.model_validate({}).size is None
    with pytest.raises(ValidationError, match=r"no value \(null\): write a value, or delete the key to inherit it"):
        Props.model_validate({"size": None})


# ---------------------------------------------------------------------------------------------
# errors as diagnostics


def test_errors_at_their_value_and_unknown_keys_at_the_key():
    errors = _errors("gap: 2字\nline: 0pt\ninner:\n  widht: 3mm\ncols: 5-3\ncount: x\n")
    assert errors == [
        "m.yaml:2:7: error: 'line': must be more than 0, got 0pt",
        "m.yaml:4:3: error: missing required key 'width'",  # at the mapping that lacks it
        "m.yaml:4:3: error: unknown key 'widht' (did you mean 'width'?)",
        "m.yaml:5:7: error: 'cols': columns 5-3: write the first column (from 1) then the last",
        "m.yaml:6:8: error: 'count': must be a whole number, got 'x'",
    ]


@pytest.mark.parametrize("text, message", [
    ("count: 2.5\n", "'count': must be a whole number, got 2.5"),
    ("count: [1]\n", "'count': must be a whole number, got [1]"),
    ("inner: 5\n", "'inner': must be a mapping of keys and values, got 5"),
    ("count: ~\n", "'count': no value (null): write a value, or delete the key"),
    ("gap: " + "x" * 60 + "\n", "got a text of 60 characters"),
])
def test_pydantic_errors_in_plain_words(text, message):
    [error] = _errors(text)
    assert message in error and "Input should" not in error, error


def test_a_long_value_is_quoted_short():
    [error] = _errors("count: [" + ", ".join(["1"] * 40) + "]\n")
    quoted = error.split(", got ", 1)[1]
    assert quoted.startswith("[1, 1, 1") and quoted.endswith("...") and len(quoted) == 40


def test_a_union_field_has_one_message_per_place():
    """An optional field fails in each branch of its union: one error, without pydantic's names
    for the branches."""
    [error] = _errors("line: 2ft\n")
    assert error.startswith("m.yaml:1:7: error: 'line': unknown unit 'ft'"), error


def test_errors_inside_a_union_valued_key(mini):
    mini.spec(MINI_SPEC.replace("    frame:", "    box: maybe\n    frame:"))
    errors = mini.errors()
    assert len(errors) == 1, errors
    find(errors, mini.at("spec.yaml", "maybe"), "'stories.0.box'")
    assert ".bool" not in errors[0] and "BoxSpec" not in errors[0], errors

    mini.spec(MINI_SPEC.replace("    frame:", "    box: {weight: 2ft, wieght: 1pt}\n    frame:"))
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "2ft"), "unknown unit 'ft'")
    find(errors, mini.at("spec.yaml", "wieght"), "unknown key 'wieght' (did you mean 'weight'?)")
    assert len(errors) == 2, errors
