"""Style sheets: named paragraph and character styles with inheritance, fonts by role, and the
resolution of a spec's overrides. Every resolved value remembers the file:line it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ValidationError

from broadsheet.diagnostics import Collector, InputError, Pos, did_you_mean
from broadsheet.input.fields import FontSize, HLength, NoNull, Strict, VLength, diagnostics_from
from broadsheet.units import Length, check_number, parse_length
from broadsheet.input.yamlsrc import Source, load_yaml

CMYK = tuple[float, float, float, float]
NAMED_COLORS: dict[str, CMYK] = {
    "black": (0, 0, 0, 100), "黑": (0, 0, 0, 100),
    "red": (0, 100, 100, 0), "红": (0, 100, 100, 0),
    "white": (0, 0, 0, 0), "白": (0, 0, 0, 0),
    "gray": (0, 0, 0, 50), "灰": (0, 0, 0, 50),
}


def _color(value: Any) -> CMYK:
    """CMYK in percent, [c, m, y, k]; or a name. Newspaper black is 100 K, never four-colour."""
    if isinstance(value, str) and value.strip() in NAMED_COLORS:
        return NAMED_COLORS[value.strip()]
    if (
        isinstance(value, (list, tuple))
        and len(value) == 4
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 100 for v in value)
    ):
        return tuple(float(v) for v in value)  # type: ignore[return-value]
    raise ValueError(
        f"colour must be CMYK percentages [c, m, y, k] (black is [0, 0, 0, 100]) or one of "
        f"{', '.join(n for n in NAMED_COLORS if n.isascii())}; got {value!r}"
    )


#: Leading as a multiple of the size: ten times is a poster's, not a newspaper's.
MAX_LEADING_FACTOR = 10.0


def _leading(value: Any) -> Length:
    """Leading as a length (14pt, 1行) or a plain number = multiple of the font size; more than zero."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if check_number(value) > MAX_LEADING_FACTOR:
            raise ValueError(f"leading {value} × the font size is beyond the limit of {MAX_LEADING_FACTOR:g}")
        length = Length(float(value), "×")
    else:
        length = parse_length(value, None, ("pt", "mm", "Q", "级", "行"))
    if length.value <= 0:
        raise ValueError(f"leading must be more than 0, got {length}: lines would print on top of each other")
    return length


Color = Annotated[CMYK, BeforeValidator(_color)]
Leading = Annotated[Length, BeforeValidator(_leading)]
Align = Literal["justify", "left", "center", "right"]


class ParaProps(NoNull):
    based_on: str | None = None
    font: str | None = None
    size: FontSize | None = None
    leading: Leading | None = None
    indent: HLength | None = None
    align: Align | None = None
    color: Color | None = None
    space_before: VLength | None = None
    space_after: VLength | None = None
    letter_spacing: HLength | None = None
    latin_gap: HLength | None = None
    latin_font: str | None = None
    hanging: bool | None = None
    compress_line_start: bool | None = None
    strictness: Literal["basic", "strict", "none"] | None = None
    full_width_punctuation: bool | None = None
    background: Color | None = None  # a colour block behind each line (flags reversed out of colour)


class CharProps(NoNull):
    based_on: str | None = None
    font: str | None = None
    size: FontSize | None = None
    color: Color | None = None


FontList = Annotated[list[str], BeforeValidator(lambda v: [v] if isinstance(v, str) else v)]


class SheetModel(Strict):
    fonts: dict[str, FontList] = {}
    fallback: FontList = []
    paragraph: dict[str, ParaProps] = {}
    character: dict[str, CharProps] = {}


#: Values a paragraph style has when nothing sets them.
ROOT = {
    "font": "书宋", "size": 9.0, "leading": Length(1, "行"), "indent": Length(0, "字"), "align": "justify",
    "color": (0.0, 0.0, 0.0, 100.0), "space_before": Length(0, "行"), "space_after": Length(0, "行"),
    "letter_spacing": Length(0, "字"), "latin_gap": Length(0.25, "字"), "latin_font": None, "hanging": False,
    "compress_line_start": True, "strictness": "basic", "full_width_punctuation": True, "background": None,
}


@dataclass(frozen=True)
class ParaStyle:
    name: str
    font: str
    size: float
    leading: Length
    indent: Length
    align: str
    color: CMYK
    space_before: Length
    space_after: Length
    letter_spacing: Length
    latin_gap: Length
    latin_font: str | None
    hanging: bool
    compress_line_start: bool
    strictness: str
    full_width_punctuation: bool
    background: CMYK | None
    origins: dict[str, Pos | None] = field(default_factory=dict, compare=False, hash=False)  # None: the default

    def leading_pt(self, line: float) -> float:
        if self.leading.unit == "×":
            return self.leading.value * self.size
        return self.leading.pt(line=line)


@dataclass(frozen=True)
class CharStyle:
    name: str
    font: str | None
    size: float | None
    color: CMYK | None
    origins: dict[str, Pos | None] = field(default_factory=dict, compare=False, hash=False)  # None: the default


@dataclass
class FontRef:
    """A font name as written, with where it was written (for 'unknown font' errors); `pos` is
    None for a style's font that names a family directly, not through a role."""

    name: str
    pos: Pos | None


@dataclass
class Styles:
    paragraph: dict[str, ParaStyle]
    character: dict[str, CharStyle]
    roles: dict[str, list[FontRef]]
    fallback: list[FontRef]
    declared: set[str] = field(default_factory=set)  # paragraph style names, resolved or not

    def chain(self, font: str) -> list[FontRef]:
        """The font fallback chain for a style's `font` (a role or a family name)."""
        first = self.roles.get(font) or [FontRef(font, None)]
        seen = {f.name for f in first}
        return first + [f for f in self.fallback if f.name not in seen]

    def para(self, name: str) -> ParaStyle:
        return self.paragraph[name]


@dataclass
class _Entry:
    props: dict[str, Any]
    origins: dict[str, Pos]


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
            entry = table[name] = _Entry({}, {})
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
        return props, origins

    for name in table:
        got = get(name, ())
        if got is not None:
            props, origins = got
            done[name] = cls(name=name, origins=origins, **{k: props[k] for k in root})
    return done

