"""Resolved styles: named paragraph and character styles, every property with its value and the
file:line it came from, and fonts by role. Each paragraph property is declared once, on ParaStyle;
reading the style sheets (inheritance, a spec's overrides) is `input/sheets.py`."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Annotated, Any, Literal

from broadsheet.colours import Spot
from broadsheet.diagnostics import Pos
from broadsheet.input.fields import FontSize, HLength, Parsed, VLength
from broadsheet.units import Length, check_number, parse_length

CMYK = tuple[float, float, float, float]
NAMED_COLORS: dict[str, CMYK] = {
    "black": (0, 0, 0, 100), "黑": (0, 0, 0, 100),
    "red": (0, 100, 100, 0), "红": (0, 100, 100, 0),
    "white": (0, 0, 0, 0), "白": (0, 0, 0, 0),
    "gray": (0, 0, 0, 50), "灰": (0, 0, 0, 50),
}


def _percentages(value: Any, count: int) -> bool:
    return (isinstance(value, (list, tuple)) and len(value) == count
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 100 for v in value))


def _color(value: Any) -> CMYK:
    """CMYK in percent, [c, m, y, k]; a name; or a spot colour {spot: ink name, cmyk: its CMYK
    alternate, tint: percent}. Newspaper black is 100 K, never four-colour."""
    if isinstance(value, Spot):
        return value
    if isinstance(value, str) and value.strip() in NAMED_COLORS:
        return NAMED_COLORS[value.strip()]
    if _percentages(value, 4):
        return tuple(float(v) for v in value)  # type: ignore[return-value]
    if isinstance(value, dict) and "spot" in value:
        name, alternate, tint = value.get("spot"), value.get("cmyk"), value.get("tint", 100)
        extra = set(value) - {"spot", "cmyk", "tint"}
        if extra:
            raise ValueError(f"a spot colour has the keys spot, cmyk and tint, not {', '.join(sorted(map(str, extra)))}")
        if not isinstance(name, str) or not name.strip() or name.strip() in ("All", "None"):
            raise ValueError(f"spot must name the ink, e.g. 'PANTONE 485 C' (not All or None); got {name!r}")
        if not _percentages(alternate, 4):
            raise ValueError(f"the spot colour {name!r} needs its CMYK alternate, cmyk: [c, m, y, k] in percent; got {alternate!r}")
        if not _percentages([tint], 1):
            raise ValueError(f"tint is a percentage 0-100; got {tint!r}")
        return Spot(name.strip(), tuple(float(v) for v in alternate), float(tint))
    raise ValueError(
        f"colour must be CMYK percentages [c, m, y, k] (black is [0, 0, 0, 100]), one of "
        f"{', '.join(n for n in NAMED_COLORS if n.isascii())}, or a spot colour "
        f"{{spot: PANTONE 485 C, cmyk: [0, 95, 100, 0]}}; got {value!r}"
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


# plain: a spot colour must stay a Spot, which validating it as a tuple would undo
Color = Annotated[CMYK, Parsed(_color, plain=True)]
Leading = Annotated[Length, Parsed(_leading)]
Align = Literal["justify", "left", "center", "right"]


def prop(default: Any, accepts: Any, description: str) -> Any:
    """A paragraph style property: its default, the type a style sheet's value is validated as, and
    what it does. Declared once, on ParaStyle; the style sheets' model, the defaults, the JSON
    Schema's descriptions and the `styles` report are derived from it."""
    return field(default=default, metadata={"accepts": accepts, "description": description})


@dataclass(frozen=True)
class ParaStyle:
    """A resolved paragraph style: every property has a value (its own, inherited, or the default)."""

    name: str
    font: str = prop("书宋", str, "a font role (书宋, 标宋, 黑体, 楷体 …), a family name, or a font file (file.ttc#2: a collection face)")
    size: float = prop(9.0, FontSize, "font size: pt, a 号 such as 小五, or a length")
    leading: Length = prop(Length(1, "行"), Leading,
                           "line to line: pt, mm, 行 (body lines), or a number = a multiple of the size")
    indent: Length = prop(Length(0, "字"), HLength, "first-line indent, e.g. 2字")
    align: str = prop("justify", Align, "justify, left, center or right")
    color: CMYK = prop((0.0, 0.0, 0.0, 100.0), Color, "text colour: CMYK percentages, a name or a spot colour")
    space_before: Length = prop(Length(0, "行"), VLength,
                                "space above the paragraph (行 or a length); dropped at the top of a column")
    space_after: Length = prop(Length(0, "行"), VLength,
                               "space below the paragraph (行 or a length); dropped at the top of a column")
    letter_spacing: Length = prop(Length(0, "字"), HLength, "extra space between characters (字)")
    latin_gap: Length = prop(Length(0.25, "字"), HLength, "space between Chinese and Latin text (字)")
    latin_font: str | None = prop(None, str, "font for Latin letters and digits")
    hanging: bool = prop(False, bool, "hang line-end punctuation outside the measure")
    compress_line_start: bool = prop(True, bool, "set an opening mark at the start of a line half width")
    strictness: str = prop("basic", Literal["basic", "strict", "none"],
                           "line-breaking rules (kinsoku): basic, strict or none")
    punctuation: str = prop("全角", Literal["全角", "开明", "半角"],
                            "mark widths: 全角 (full), 开明 (only 。？！ full, the rest half), 半角 (all half)")
    full_width_punctuation: bool = prop(True, bool, "set ASCII punctuation in Chinese text the Chinese way (，（“……——)")
    background: CMYK | None = prop(None, Color, "a colour block behind each line (a flag reversed out of colour)")
    origins: dict[str, Pos | None] = field(default_factory=dict, compare=False, hash=False)  # None: the default

    def leading_pt(self, line: float) -> float:
        if self.leading.unit == "×":
            return self.leading.value * self.size
        return self.leading.pt(line=line)


#: The paragraph style properties, as declared on ParaStyle.
PROPERTIES = {f.name: f for f in fields(ParaStyle) if "accepts" in f.metadata}
#: Values a paragraph style has when nothing sets them.
ROOT = {name: f.default for name, f in PROPERTIES.items()}

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
