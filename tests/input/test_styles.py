"""Resolved styles (input/styles.py): each paragraph property declared once on ParaStyle (default,
accepted values, description) and everything else derived from it; leading as a multiple or a
length; a style's font chain; colours by name, CMYK or spot ink."""

from __future__ import annotations

from dataclasses import fields

import pytest
from pydantic import TypeAdapter, ValidationError

from broadsheet.colours import Spot
from broadsheet.input.styles import PROPERTIES, ROOT, Color, FontRef, Leading, ParaStyle, Styles
from broadsheet.units import Length


def test_every_property_is_declared_once_on_the_style():
    declared = [f.name for f in fields(ParaStyle) if f.name not in ("name", "origins")]
    assert list(PROPERTIES) == declared
    assert ROOT == {f.name: f.default for f in fields(ParaStyle) if f.name in PROPERTIES}
    assert all(f.metadata["description"] for f in PROPERTIES.values())
    assert ParaStyle("body").size == ROOT["size"] == 9.0


def test_leading_as_a_multiple_of_the_size_or_on_the_line_grid():
    assert ParaStyle("a", size=10, leading=Length(1.5, "×")).leading_pt(14) == 15
    assert ParaStyle("a", size=10, leading=Length(2, "行")).leading_pt(14) == 28
    read = TypeAdapter(Leading).validate_python
    assert read(1.2) == Length(1.2, "×") and read("18pt") == Length(18, "pt")
    with pytest.raises(ValidationError, match="more than 0"):
        read(0)


def test_a_chain_is_the_role_then_the_fallback_without_repeats():
    styles = Styles({}, {}, {"书宋": [FontRef("A", None), FontRef("B", None)]}, [FontRef("B", None), FontRef("C", None)])
    assert [f.name for f in styles.chain("书宋")] == ["A", "B", "C"]
    assert [f.name for f in styles.chain("Some Family")] == ["Some Family", "B", "C"]  # a family named directly


def test_colours_by_name_cmyk_or_spot_ink():
    read = TypeAdapter(Color).validate_python
    assert read("红") == (0, 100, 100, 0) and read([10, 20, 30, 40]) == (10.0, 20.0, 30.0, 40.0)
    spot = read({"spot": "PANTONE 485 C", "cmyk": [0, 95, 100, 0], "tint": 50})
    assert isinstance(spot, Spot) and spot.name == "PANTONE 485 C" and tuple(spot) == (0, 47.5, 50, 0)
    with pytest.raises(ValidationError, match=r"colour must be CMYK percentages"):
        read("mauve")
