"""The strict pydantic models every spec and style sheet model is built on, and the translation of
pydantic's errors into file:line:col diagnostics in the words of a style sheet's reader. Imported
only to validate: a build whose project the cache holds does without pydantic."""

from __future__ import annotations

import types
import typing
from typing import Annotated, Any, Union

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from broadsheet.diagnostics import Diagnostic, did_you_mean
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
