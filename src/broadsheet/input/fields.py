"""Validation plumbing shared by the spec and style sheet loaders: strict pydantic models, unit-aware
field types, and the translation of pydantic errors into positioned diagnostics."""

from __future__ import annotations

import re
import types
import typing
from typing import Annotated, Any, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, WithJsonSchema

from broadsheet.diagnostics import Diagnostic, did_you_mean
from broadsheet.units import ABSOLUTE, ALIASES, HAO, Length, parse_font_size, parse_length
from broadsheet.input.yamlsrc import Source


class Strict(BaseModel):
    """Base of every spec and style model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


def _length(default_unit: str | None, *allowed: str):
    def parse(value: Any) -> Length:
        if isinstance(value, Length):
            return value
        return parse_length(value, default_unit, allowed or None)

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

#: Lengths on the page: absolute units only.
AbsLength = Annotated[Length, _length(None, *ABSOLUTE), WithJsonSchema(ABS_SCHEMA)]
#: Vertical positions and extents: body lines (a bare number means lines) or absolute units.
VLength = Annotated[Length, _length("行", "行", *ABSOLUTE), WithJsonSchema(V_SCHEMA)]
#: Horizontal widths within text: em (字) or absolute.
HLength = Annotated[Length, _length(None, "字", *ABSOLUTE), WithJsonSchema(H_SCHEMA)]
#: A font size in points (accepts 号 names).
FontSize = Annotated[float, BeforeValidator(lambda v: v if isinstance(v, float) else parse_font_size(v)),
                     WithJsonSchema(FONT_SIZE_SCHEMA)]


def _columns(value: Any) -> tuple[int, int]:
    """'1-5', '3', 3 or [1, 5] → (first, last), 1-based and inclusive."""
    if isinstance(value, bool):
        raise ValueError("expected columns such as 1-5")
    if isinstance(value, int):
        return (value, value)
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(isinstance(v, int) for v in value):
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
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and ("[" in p or p.startswith("function-"))))
        loc = _as_written(src.data, base, loc)
        if loc in seen_locs:
            continue  # pydantic reports each failing branch of a union; one message per place
        seen_locs.add(loc)
        path = base + loc
        if err["type"] == "extra_forbidden":
            key = loc[-1]
            hint = did_you_mean(key, _fields_at(model, loc[:-1]))
            out.append(src.diag(path, f"unknown key '{key}'{hint}", key=True))
            continue
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = f"missing required key '{loc[-1]}'"
            path = path[:-1]
        elif err["type"].endswith("_type") or err["type"] in {"literal_error", "enum"}:
            msg = f"'{'.'.join(map(str, loc))}': {msg[0].lower()}{msg[1:]}, got {_short(err.get('input'))}"
        else:
            msg = f"'{'.'.join(map(str, loc))}': {msg}"
        out.append(src.diag(path, msg))
    return out


def _as_written(data: Any, base: tuple, loc: tuple) -> tuple:
    """Drop the list indexes that a validator added when it wrapped a single value in a list
    (a frame written as one mapping is validated as a list of one), so the path matches the YAML."""
    node = data
    for step in base:
        node = node[step] if isinstance(node, (dict, list)) and _has(node, step) else None
    out = []
    for step in loc:
        if isinstance(step, int) and not isinstance(node, list):
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
