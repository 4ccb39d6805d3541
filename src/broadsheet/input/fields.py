"""The unit-aware value types of specs and style sheets (lengths, sizes, column ranges): what each
accepts, how it is read and its JSON Schema.

They annotate the resolved styles as well as the models that validate a file, so they are declared
without importing pydantic (`Parsed` uses pydantic's documented hook for custom types): a build
whose project the cache holds reads the styles back without validating anything, and without
pydantic's import (about a third of a warm build's start). The models and the translation of their
errors are in `input/models.py`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Callable

from broadsheet.units import ABSOLUTE, ALIASES, HAO, MAX_TEXT, Length, parse_font_size, parse_length


@dataclass(frozen=True, eq=False)  # hashed by identity: a union of annotated types hashes its members
class Parsed:
    """How a field's value is read, for pydantic to apply (through `__get_pydantic_core_schema__`):
    `parse` turns what the file holds into the value, raising ValueError in the reader's words;
    pydantic then checks the result against the annotated type, unless `plain`, where `parse`'s
    result is the value as it is (a spot colour stays a Spot). `schema` is the JSON Schema of what
    it accepts (None: the annotated type's own; for `plain`, any value)."""

    parse: Callable[[Any], Any]
    schema: dict[str, Any] | None = None
    plain: bool = False

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        if self.plain:
            return core_schema.no_info_plain_validator_function(self.parse, json_schema_input_schema=core_schema.any_schema())
        return core_schema.no_info_before_validator_function(self.parse, handler(source))

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        return dict(self.schema) if self.schema is not None else handler(schema)


def _length(schema: dict[str, Any], default_unit: str | None, *allowed: str, minimum: float | None = None,
            above: bool = False) -> Parsed:
    """A length in one of the `allowed` units; with `minimum`, its number may not be below it
    (or, with `above`, must be more)."""
    def parse(value: Any) -> Length:
        length = value if isinstance(value, Length) else parse_length(value, default_unit, allowed or None)
        if minimum is not None and (length.value <= minimum if above else length.value < minimum):
            bound = "more than" if above else "at least"
            raise ValueError(f"must be {bound} {minimum:g}, got {length}")
        return length

    return Parsed(parse, schema)


# JSON Schemas of these types (for `broadsheet schema` and editors' completion); they describe what
# the validators accept and change nothing in validation.
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"


def length_pattern(units: tuple[str, ...], unit_optional: bool = False) -> str:
    """A regular expression (JSON Schema dialect) for '20mm', '1.5字' … with one of `units`
    (and their English aliases)."""
    names = [*units, *(a for a, u in ALIASES.items() if u in units)]
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return rf"^\s*{_NUMBER}\s*(?:{alt}){'?' if unit_optional else ''}\s*$"


def length_schema(units: tuple[str, ...], example: str, bare: str | None = None) -> dict[str, Any]:
    """A length as a string with a unit; `bare` describes what a bare number means (if allowed)."""
    text = {"type": "string", "pattern": length_pattern(units, unit_optional=bare is not None),
            "description": f"a length with a unit ({', '.join(units)}), e.g. {example}"}
    if bare is None:
        return text
    return {"anyOf": [{"type": "number", "description": bare}, text]}


ABS_SCHEMA = length_schema(tuple(ABSOLUTE), "20mm, 9pt")
V_SCHEMA = length_schema(("行", *ABSOLUTE), "12行, 30mm", bare="body lines")
H_SCHEMA = length_schema(("字", *ABSOLUTE), "2字, 3mm")
FONT_SIZE_SCHEMA = {
    "anyOf": [
        {"type": "number", "exclusiveMinimum": 0, "description": "points"},
        {"enum": [*HAO, *(n.removesuffix("号") for n in HAO if n.endswith("号")), *(n + "号" for n in HAO if n.startswith("小")),
                  *(n.replace("号", "號") for n in HAO if n.endswith("号")), *(n + "號" for n in HAO if n.startswith("小"))],
         "description": "a Chinese font size (号), e.g. 小五 = 9pt"},
        {"type": "string", "pattern": length_pattern(tuple(ABSOLUTE), unit_optional=True),
         "description": "a size with a unit, e.g. 9pt, 3.5mm, 20Q"},
    ],
    "description": "font size: points, a 号 such as 小五 or 四号, or a length such as 9pt",
}
COLUMNS_SCHEMA = {
    "anyOf": [
        {"type": "integer", "minimum": 1},
        {"type": "string", "pattern": r"^\s*\d+\s*(?:[-–~～]\s*\d+)?\s*(?:栏)?\s*$"},
        {"type": "array", "items": {"type": "integer", "minimum": 1}, "minItems": 2, "maxItems": 2},
    ],
    "description": "page columns from 1 at the left: 3, '1-5' or [1, 5]",
}

#: Lengths on the page: absolute units only, never negative (margins, rule weights).
AbsLength = Annotated[Length, _length(ABS_SCHEMA, None, *ABSOLUTE, minimum=0)]
#: A length that must be more than zero (the line pitch).
PositiveLength = Annotated[Length, _length(ABS_SCHEMA, None, *ABSOLUTE, minimum=0, above=True)]
#: Vertical positions and extents: body lines (a bare number means lines) or absolute units.
VLength = Annotated[Length, _length(V_SCHEMA, "行", "行", *ABSOLUTE, minimum=0)]
#: Horizontal widths within text: em (字) or absolute.
HLength = Annotated[Length, _length(H_SCHEMA, None, "字", *ABSOLUTE, minimum=0)]
#: A font size in points (accepts 号 names); a float goes through the same checks as '9pt'.
FontSize = Annotated[float, Parsed(parse_font_size, FONT_SIZE_SCHEMA)]


def _columns(value: Any) -> tuple[int, int]:
    """'1-5', '3', 3 or [1, 5] → (first, last), 1-based and inclusive."""
    if isinstance(value, bool):
        raise ValueError("expected columns such as 1-5")
    if isinstance(value, str) and len(value) > MAX_TEXT:  # (the pattern would take quadratic time over it)
        raise ValueError(f"expected columns such as 1-5 or 3, got a text of {len(value)} characters")
    if isinstance(value, int):
        first = last = value  # checked as a range is: column 0 is left of the page
    elif isinstance(value, (list, tuple)) and len(value) == 2 and all(isinstance(v, int) for v in value):
        first, last = value
    elif isinstance(value, str) and (m := re.fullmatch(r"\s*(\d+)\s*(?:[-–~～]\s*(\d+))?\s*(?:栏)?\s*", value)):
        first = int(m.group(1))
        last = int(m.group(2) or first)
    else:
        raise ValueError(f"expected columns such as 1-5 or 3, got {value!r}")
    if first < 1 or last < first:
        raise ValueError(f"columns {first}-{last}: write the first column (from 1) then the last")
    return (first, last)


Columns = Annotated[tuple[int, int], Parsed(_columns, COLUMNS_SCHEMA)]
