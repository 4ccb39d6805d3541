"""Validation plumbing shared by the spec and style sheet loaders: strict pydantic models, unit-aware
field types, and the translation of pydantic errors into positioned diagnostics."""

from __future__ import annotations

import re
import types
import typing
from typing import Annotated, Any, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, WithJsonSchema, field_validator

from broadsheet.diagnostics import Diagnostic, did_you_mean
from broadsheet.units import ABSOLUTE, ALIASES, HAO, MAX_TEXT, Length, parse_font_size, parse_length
from broadsheet.input.yamlsrc import Source


class Strict(BaseModel):
    """Base of every spec and style model: unknown keys are errors, values are immutable, and a
    number must be finite (YAML's .nan and .inf are not sizes)."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True, allow_inf_nan=False)


class NoNull(Strict):
    """A model whose keys may be left out but not written empty: in a style, `size:` with no value
    would otherwise replace the inherited size with nothing."""

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("no value (null): write a value, or delete the key to inherit it")
        return value


def _length(default_unit: str | None, *allowed: str, minimum: float | None = None, above: bool = False):
    """Parse a length in one of the `allowed` units; with `minimum`, its number may not be below it
    (or, with `above`, must be more)."""
    def parse(value: Any) -> Length:
        length = value if isinstance(value, Length) else parse_length(value, default_unit, allowed or None)
        if minimum is not None and (length.value <= minimum if above else length.value < minimum):
            bound = "more than" if above else "at least"
            raise ValueError(f"must be {bound} {minimum:g}, got {length}")
        return length

    return BeforeValidator(parse)


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
AbsLength = Annotated[Length, _length(None, *ABSOLUTE, minimum=0), WithJsonSchema(ABS_SCHEMA)]
#: A length that must be more than zero (the line pitch).
PositiveLength = Annotated[Length, _length(None, *ABSOLUTE, minimum=0, above=True), WithJsonSchema(ABS_SCHEMA)]
#: Vertical positions and extents: body lines (a bare number means lines) or absolute units.
VLength = Annotated[Length, _length("行", "行", *ABSOLUTE, minimum=0), WithJsonSchema(V_SCHEMA)]
#: Horizontal widths within text: em (字) or absolute.
HLength = Annotated[Length, _length(None, "字", *ABSOLUTE, minimum=0), WithJsonSchema(H_SCHEMA)]
#: A font size in points (accepts 号 names); a float goes through the same checks as '9pt'.
FontSize = Annotated[float, BeforeValidator(parse_font_size), WithJsonSchema(FONT_SIZE_SCHEMA)]


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


Columns = Annotated[tuple[int, int], BeforeValidator(_columns), WithJsonSchema(COLUMNS_SCHEMA)]


def diagnostics_from(exc: ValidationError, src: Source, model: type[BaseModel], base: tuple = ()) -> list[Diagnostic]:
    """Turn pydantic errors into file:line:col diagnostics, with did-you-mean for unknown keys."""
    out = []
    seen_locs: set[tuple] = set()
    for err in exc.errors(include_url=False):
        loc = _as_written(src.data, base, err["loc"], keep_last=err["type"] == "missing")
        if loc in seen_locs:
            continue  # pydantic reports each failing branch of a union; one message per place
        seen_locs.add(loc)
        path = base + loc
        if err["type"] == "extra_forbidden":
            key = loc[-1]
            hint = did_you_mean(key, _fields_at(model, loc[:-1]))
            out.append(src.diag(path, f"unknown key '{key}'{hint}", key=True))
            continue
        if err["type"] == "missing":
            msg = f"missing required key '{loc[-1]}'"
            path = path[:-1]
        else:
            msg = f"'{'.'.join(map(str, loc))}': {plain(err)}"
        out.append(src.diag(path, msg))
    return out


#: pydantic's error types in the words of a style sheet's reader ({…} from the error's context).
_WORDING = {
    "greater_than_equal": "must be at least {ge}",
    "greater_than": "must be more than {gt}",
    "less_than_equal": "must be at most {le}",
    "less_than": "must be less than {lt}",
    "finite_number": "must be a finite number, not NaN or infinity",
    "int_type": "must be a whole number", "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number", "float_type": "must be a number", "float_parsing": "must be a number",
    "string_type": "must be text (a string)", "bool_type": "must be true or false",
    "bool_parsing": "must be true or false", "dict_type": "must be a mapping of keys and values",
    "list_type": "must be a list", "tuple_type": "must be a list", "model_type": "must be a mapping of keys and values",
    "model_attributes_type": "must be a mapping of keys and values",
    "literal_error": "must be {expected}", "enum": "must be {expected}",
    "too_short": "must have at least {min_length} item(s)", "too_long": "must have at most {max_length} item(s)",
}


def plain(err: Any) -> str:
    """One pydantic error as a message: our validators' own words, or pydantic's rephrased."""
    if err["type"] == "value_error":
        return err["msg"].removeprefix("Value error, ")
    if err.get("input", ...) is None:
        return "no value (null): write a value, or delete the key"
    template = _WORDING.get(err["type"])
    msg = template.format(**err.get("ctx", {})) if template else err["msg"].replace("Input should be", "must be")
    return msg + ("" if err["type"] in {"too_short", "too_long"} else f", got {_short(err.get('input'))}")


def _as_written(data: Any, base: tuple, loc: tuple, keep_last: bool = False) -> tuple:
    """The steps of a pydantic error's location that are in the YAML, so the path matches it: not
    the list indexes a validator added when it wrapped a single value in a list (a frame written
    as one mapping is validated as a list of one), nor the names pydantic gives a union's branches
    ('int', 'function-after[…]'). Told apart by the data, not by their look: a key may be named
    'a[1]'. The last step of a missing key is kept (it is not in the data, by definition)."""
    node = data
    for step in base:
        node = node[step] if isinstance(node, (dict, list)) and _has(node, step) else None
    out = []
    for i, step in enumerate(loc):
        if isinstance(step, int) and not isinstance(node, list):
            continue
        if isinstance(step, str) and not (isinstance(node, dict) and step in node) and not (keep_last and i == len(loc) - 1):
            continue
        out.append(step)
        node = node[step] if isinstance(node, (dict, list)) and _has(node, step) else None
    return tuple(out)


def _has(node: Any, step: Any) -> bool:
    if isinstance(node, dict):
        return step in node
    return isinstance(step, int) and 0 <= step < len(node)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 40 else text[:37] + "..."


def _fields_at(model: Any, loc: tuple) -> list[str]:
    """Field names of the model found by following `loc` from `model` (for did-you-mean)."""
    tp: Any = model
    for step in loc:
        tp = _unwrap(tp, step)
        if tp is None:
            return []
    tp = _unwrap(tp, None)
    if typing.get_origin(tp) is list:  # a single mapping validated as a list of one
        tp = _unwrap(typing.get_args(tp)[0], None)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return list(tp.model_fields)
    return []


def _unwrap(tp: Any, step: Any) -> Any:
    """Follow one path step through Annotated/Optional/Union/list/dict/model types."""
    origin = typing.get_origin(tp)
    if origin is Annotated:
        return _unwrap(typing.get_args(tp)[0], step)
    if origin in (Union, types.UnionType):
        for arg in typing.get_args(tp):
            found = _unwrap(arg, step)
            if found is not None and (step is not None or _is_model(found)):
                return found
        return None
    if step is None:
        return tp
    if origin in (list, tuple) and isinstance(step, int):
        return typing.get_args(tp)[0]
    if origin is dict:
        return typing.get_args(tp)[1]
    if _is_model(tp) and isinstance(step, str) and step in tp.model_fields:
        return tp.model_fields[step].annotation
    return None


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)
