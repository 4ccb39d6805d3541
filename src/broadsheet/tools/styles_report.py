"""`broadsheet styles`: the resolved paragraph and character styles of a spec (or of one style
sheet), after inheritance (based_on), later sheets and the spec's overrides, with the place each
value came from (file:line), and the font roles."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from broadsheet.diagnostics import Collector, Diagnostic, InputError, Pos
from broadsheet.units import HAO, Length


@dataclass(repr=False)
class Loaded:
    styles: Any  # styles.Styles
    diagnostics: list[Diagnostic]
    sources: list[Any] = field(default_factory=list)  # yamlsrc.Source of each sheet (and the spec)
    spec: Any = None  # spec.Spec when a spec was given


def is_spec(data: Any) -> bool:
    return isinstance(data, dict) and bool({"stories", "page", "grid"} & set(data))


def load(path: Path) -> Loaded:
    """Styles of a layout spec (its sheets, overrides and font roles) or of a single style sheet.
    Raises InputError only when nothing can be read; other problems are in `diagnostics`."""
    from broadsheet.input.load import load_spec_styles
    from broadsheet.input.spec import load_spec
    from broadsheet.input.sheets import load_styles
    from broadsheet.input.yamlsrc import load_yaml

    src = load_yaml(path, str(path))
    out = Collector()
    if not is_spec(src.data):
        styles = load_styles([(path, str(path))], None, None, out)
        return Loaded(styles, out.items, [src])
    spec = load_spec(path, out)
    styles, sheets = load_spec_styles(spec, out)
    sources = []
    for p, display in sheets:
        try:
            sources.append(load_yaml(p, display))
        except InputError:
            pass
    sources.append(spec.src)
    return Loaded(styles, out.items, sources, spec)


def _definers(sources: list[Any]) -> dict[tuple[str, int], str]:
    """(file, line) -> the style whose definition holds that line: "name", or "style_overrides.name"
    for a spec's override."""
    found: dict[tuple[str, int], str] = {}
    for src in sources:
        data = src.data if isinstance(src.data, dict) else {}
        for section, label in (("paragraph", "{}"), ("style_overrides", "style_overrides.{}")):
            table = data.get(section)
            if not isinstance(table, dict):
                continue
            for name, props in table.items():
                if not isinstance(props, dict):
                    continue
                for key in props:
                    try:
                        line, _ = src.where((section, name, key))
                    except Exception:
                        continue
                    found[(src.file, line)] = label.format(name)
    return found


def format_value(key: str, value: Any) -> str:
    from broadsheet.input.styles import NAMED_COLORS

    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if key == "size" and isinstance(value, (int, float)):
        names = [n for n, v in HAO.items() if abs(v - value) < 1e-9]
        return f"{value:g}pt" + (f" ({names[0]})" if names else "")
    if isinstance(value, Length):
        return f"{value.value:g}× size" if value.unit == "×" else str(value)
    if isinstance(value, tuple) and len(value) == 4 and all(isinstance(v, (int, float)) for v in value):
        names = [n for n, c in NAMED_COLORS.items() if n.isascii() and tuple(map(float, c)) == tuple(map(float, value))]
        cmyk = "[" + ", ".join(f"{v:g}" for v in value) + "]"
        return f"{names[0]} {cmyk}" if names else cmyk
    return str(value)


def _origin(pos: Pos | None) -> str:
    """Where a value was written, as 'file:line' (the column adds nothing in a listing)."""
    if pos is None:
        return "default"
    return pos.file if pos.line is None else f"{pos.file}:{pos.line}"


def describe(loaded: Loaded, names: list[str] | None = None) -> dict[str, Any]:
    """The resolved styles as data: {paragraph: {name: {prop: {value, text, origin, via, description}}},
    character, fonts}; the properties as ParaStyle declares them."""
    from dataclasses import fields

    from broadsheet.input.styles import PROPERTIES

    styles = loaded.styles
    definers = _definers(loaded.sources)
    wanted = set(names) if names else None
    para: dict[str, Any] = {}
    for name, st in styles.paragraph.items():
        if wanted is not None and name not in wanted:
            continue
        props = {}
        for prop, declared in PROPERTIES.items():
            value = getattr(st, prop)
            pos = st.origins.get(prop)
            where = _origin(pos)
            via = definers.get((pos.file, pos.line), "") if pos is not None and pos.line is not None else ""
            props[prop] = {"value": _jsonable(value), "text": format_value(prop, value), "origin": where,
                           "via": "" if via == name else via, "description": declared.metadata["description"]}
        para[name] = props
    chars: dict[str, Any] = {}
    for name, cs in styles.character.items():
        if wanted is not None and name not in wanted:
            continue
        chars[name] = {f.name: {"value": _jsonable(getattr(cs, f.name)), "text": format_value(f.name, getattr(cs, f.name))}
                       for f in fields(cs) if f.name not in ("name", "origins")}
    fonts = {role: [{"name": r.name, "origin": _origin(r.pos) if r.pos else ""} for r in refs]
             for role, refs in styles.roles.items()} if wanted is None else {}
    fallback = [{"name": r.name, "origin": _origin(r.pos) if r.pos else ""}
                for r in styles.fallback] if wanted is None else []
    return {"paragraph": para, "character": chars, "fonts": fonts, "fallback": fallback}


def _jsonable(value: Any) -> Any:
    if isinstance(value, Length):
        return str(value) if value.unit != "×" else value.value
    if isinstance(value, tuple):
        return list(value)
    return value


def unknown(loaded: Loaded, names: list[str]) -> list[str]:
    known = set(loaded.styles.paragraph) | set(loaded.styles.character)
    return [n for n in names if n not in known]


def text(data: dict[str, Any]) -> str:
    """The styles as a readable listing."""
    out: list[str] = []
    if data["fonts"] or data["fallback"]:
        out.append("font roles")
        rows = [(role, ", ".join(r["name"] for r in refs), refs[0]["origin"] if refs else "")
                for role, refs in data["fonts"].items()]
        if data["fallback"]:
            rows.append(("fallback", ", ".join(r["name"] for r in data["fallback"]), data["fallback"][0]["origin"]))
        w0 = max(len(r[0]) + _wide(r[0]) for r in rows)
        w1 = max(len(r[1]) + _wide(r[1]) for r in rows)
        for role, names, origin in rows:
            out.append(f"  {role.ljust(w0 - _wide(role))}  {names.ljust(w1 - _wide(names))}  {origin}")
        out.append("")
    for name, props in data["paragraph"].items():
        out.append(f"paragraph style '{name}'")
        kw = max(len(k) for k in props)
        vw = max(len(p["text"]) + _wide(p["text"]) for p in props.values())
        for key, p in props.items():
            via = p["via"]
            via = f" ({via})" if via.startswith("style_overrides") else (f" (from {via})" if via else "")
            out.append(f"  {key.ljust(kw)}  {p['text'].ljust(vw - _wide(p['text']))}  {p['origin']}{via}")
        out.append("")
    for name, props in data["character"].items():
        out.append(f"character style '{name}'")
        kw = max(len(k) for k in props)
        for key, p in props.items():
            out.append(f"  {key.ljust(kw)}  {p['text']}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _wide(text: str) -> int:
    """Extra terminal cells taken by wide (CJK) characters."""
    import unicodedata

    return sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
