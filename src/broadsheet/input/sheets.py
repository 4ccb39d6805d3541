"""Style sheets read and validated: paragraph and character styles with inheritance (based_on),
fonts by role, and a spec's overrides, resolved into `Styles`. Problems are collected with the
file:line:col of the key or value, and what could be resolved is kept, so later checks still run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationError, create_model

from broadsheet.diagnostics import Collector, InputError, Pos, did_you_mean
from broadsheet.input.fields import FontSize
from broadsheet.input.models import NoNull, Strict, diagnostics_from
from broadsheet.input.styles import PROPERTIES, ROOT, CharStyle, Color, FontRef, ParaStyle, Styles
from broadsheet.input.yamlsrc import Source, load_yaml


class CharProps(NoNull):
    based_on: str | None = None
    font: str | None = None
    size: FontSize | None = None
    color: Color | None = None


FontList = Annotated[list[str], BeforeValidator(lambda v: [v] if isinstance(v, str) else v)]


#: A paragraph style as a style sheet writes it: any of the properties, each optional.
ParaProps = create_model(
    "ParaProps", __base__=NoNull,
    based_on=(str | None, Field(None, description="another paragraph style whose values this one inherits")),
    **{name: (f.metadata["accepts"] | None, Field(None, description=f.metadata["description"]))
       for name, f in PROPERTIES.items()},
)


class SheetModel(Strict):
    fonts: dict[str, FontList] = {}
    fallback: FontList = []
    paragraph: dict[str, ParaProps] = {}
    character: dict[str, CharProps] = {}


@dataclass
class _Entry:
    props: dict[str, Any]
    origins: dict[str, Pos]
    where: Pos | None = None  # the style's own name in its sheet (a default value's problem is reported there)


def load_styles(
    sheets: list[tuple[Path, str]],
    overrides: tuple[Source, tuple, dict[str, Any]] | None,
    font_overrides: tuple[Source, tuple, dict[str, Any]] | None,
    out: Collector,
) -> Styles:
    """Load style sheets in order (later ones win), apply a spec's overrides, resolve inheritance.
    Problems go to `out`; what could be resolved is returned, so later checks still run."""
    para: dict[str, _Entry] = {}
    char: dict[str, _Entry] = {}
    roles: dict[str, list[FontRef]] = {}
    fallback: list[FontRef] = []
    broken: set[str] = set()  # styles with errors (reported): not resolved, but not unknown either
    for path, display in sheets:
        try:
            src = load_yaml(path, display)
        except InputError as exc:
            out.extend(exc.diagnostics)
            continue
        data = src.data if src.data is not None else {}
        try:
            sheet = SheetModel.model_validate(data)
        except ValidationError as exc:
            out.extend(diagnostics_from(exc, src, SheetModel))
            if not isinstance(data, dict):
                continue
            # keep what is valid on its own, so that the rest of the build is checked in this run too
            sheet, bad = _salvage(data)
            broken |= bad
        for role, names in sheet.fonts.items():
            roles[role] = _refs(src, ("fonts", role), data["fonts"][role], names)
        if sheet.fallback:
            fallback = _refs(src, ("fallback",), data["fallback"], sheet.fallback)
        _merge(para, sheet.paragraph, src, ("paragraph",))
        _merge(char, sheet.character, src, ("character",))
    if font_overrides:
        src, base, raw = font_overrides
        for role, value in raw.items():
            names = [value] if isinstance(value, str) else value
            if isinstance(role, str) and isinstance(names, list) and all(isinstance(n, str) for n in names):
                roles[role] = _refs(src, base + (role,), value, names)
            # (anything else is an error of the spec's own validation: not used, not reported twice)
    if overrides:
        src, base, raw = overrides
        for name, props in raw.items():
            if not isinstance(props, (dict, type(None))) or not all(isinstance(k, str) for k in props or {}):
                continue  # not a mapping of properties: reported by the spec's own validation
            if name not in para:
                out.error(src.pos(base + (name,), key=True),
                          f"override of unknown paragraph style '{name}'{did_you_mean(name, para)}", "style")
                continue
            try:
                model = ParaProps.model_validate(props or {})
            except ValidationError as exc:
                out.extend(diagnostics_from(exc, src, ParaProps, base + (name,)))
                continue
            _merge(para, {name: model}, src, base, replace=False)
    resolved = _resolve(para, out, ROOT, ParaStyle, broken)
    chars = _resolve(char, out, {"font": None, "size": None, "color": None}, CharStyle, broken)
    return Styles(resolved, chars, roles, fallback, set(para) | broken)


def _salvage(data: dict[str, Any]) -> tuple[SheetModel, set[str]]:
    """The parts of an invalid style sheet that validate on their own, and the names of its styles
    that do not (their errors are already reported)."""
    parts: dict[str, Any] = {}
    broken: set[str] = set()
    for key in ("fonts", "fallback"):
        try:
            parts[key] = SheetModel.model_validate({key: data[key]}).__dict__[key] if key in data else None
        except ValidationError:
            pass
    for key, model in (("paragraph", ParaProps), ("character", CharProps)):
        styles = data.get(key)
        good = {}
        for name, props in (styles.items() if isinstance(styles, dict) else ()):
            try:
                good[name] = model.model_validate(props or {})
            except ValidationError:
                broken.add(str(name))
        parts[key] = good
    return SheetModel.model_construct(**{k: v for k, v in parts.items() if v is not None}), broken


def _refs(src: Source, path: tuple, raw: Any, names: list[str]) -> list[FontRef]:
    refs = []
    for i, name in enumerate(names):
        p = path + (i,) if isinstance(raw, list) else path
        refs.append(FontRef(name, src.pos(p)))
    return refs


def _merge(table: dict[str, _Entry], styles: dict[str, Any], src: Source, base: tuple, replace: bool = True) -> None:
    for name, model in styles.items():
        fields = {k: getattr(model, k) for k in model.model_fields_set}
        entry = table.get(name)
        if entry is None or replace:
            entry = table[name] = _Entry({}, {}, src.pos(base + (name,), key=True))
        for key, value in fields.items():
            entry.props[key] = value
            entry.origins[key] = src.pos(base + (name, key))


def _resolve(table: dict[str, _Entry], out: Collector, root: dict[str, Any], cls: type,
             broken: set[str] = frozenset()) -> dict[str, Any]:
    done: dict[str, Any] = {}

    def get(name: str, trail: tuple[str, ...]) -> tuple[dict[str, Any], dict[str, Pos | None]] | None:
        entry = table[name]
        base = entry.props.get("based_on")
        if base is None:
            props, origins = dict(root), {k: None for k in root}
        elif base in trail or base == name:
            out.error(entry.origins["based_on"], f"style '{name}': based_on makes a cycle ({' → '.join(trail + (name, base))})", "style")
            return None
        elif base in broken:
            return None  # its base has errors of its own, already reported
        elif base not in table:
            out.error(entry.origins["based_on"], f"style '{name}' is based on unknown style '{base}'{did_you_mean(base, table)}", "style")
            return None
        else:
            parent = get(base, trail + (name,))
            if parent is None:
                return None
            props, origins = dict(parent[0]), dict(parent[1])
        for key, value in entry.props.items():
            if key != "based_on":
                props[key] = value
                origins[key] = entry.origins[key]
        origins["name"] = entry.where
        return props, origins

    for name in table:
        got = get(name, ())
        if got is not None:
            props, origins = got
            done[name] = cls(name=name, origins=origins, **{k: props[k] for k in root})
    return done
