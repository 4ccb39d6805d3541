"""Units designers use: mm, pt, cm, in, Q (级), 字 (em of the current size), 行 (body lines), 栏 (columns),
and font sizes as 号.

Spec and style values are parsed into `Length` (number + unit) at validation time and turned into
points later, when the context that 字, 行 and 栏 need (font size, line pitch, column width) is known.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MM = 72 / 25.4

#: Chinese font sizes (号) in points, from ../shared/NEWSPAPER.md §3.
HAO = {
    "初号": 42.0, "小初": 36.0, "一号": 26.0, "小一": 24.0, "二号": 22.0, "小二": 18.0,
    "三号": 16.0, "小三": 15.0, "四号": 14.0, "小四": 12.0, "五号": 10.5, "小五": 9.0,
    "六号": 7.5, "小六": 6.5, "七号": 5.5, "八号": 5.0,
}

#: Absolute units in points.
ABSOLUTE = {"pt": 1.0, "mm": MM, "cm": 10 * MM, "in": 72.0, "Q": 0.25 * MM, "级": 0.25 * MM}
#: Relative units and the context value they multiply.
RELATIVE = {"字": "em", "em": "em", "行": "line", "栏": "column"}
#: English spellings accepted for the Chinese relative units.
ALIASES = {"zi": "字", "line": "行", "lines": "行", "col": "栏", "cols": "栏", "column": "栏", "columns": "栏",
           "欄": "栏", "級": "级"}
#: Traditional characters of the size and format names (號, 四開, 對開): read as the simplified ones.
TRADITIONAL = str.maketrans({"號": "号", "開": "开", "對": "对"})


def simplified(name: str) -> str:
    """A size or format name as the tables spell it (小五號 -> 小五号, 對開 -> 对开)."""
    return name.translate(TRADITIONAL)

#: No length on a page is this many of any unit (10 m in mm, 34 m in 字 of 小五): a larger number
#: is a typo, and refusing it keeps every later computation in range.
MAX_NUMBER = 10_000.0
#: Font sizes in points: 1000 pt (35 cm) is beyond the largest poster headline.
MAX_FONT_PT = 1000.0
#: The longest text read as a length, a size or a column range ('  1.25 mm ' is ten).
MAX_TEXT = 40

_LENGTH = re.compile(r"^\s*([+-]?\d+(?:\.\d*)?|[+-]?\.\d+)\s*([A-Za-z\u4e00-\u9fff]*)\s*$")


@dataclass(frozen=True)
class Length:
    value: float
    unit: str  # a key of ABSOLUTE or RELATIVE

    def pt(self, em: float | None = None, line: float | None = None, column: float | None = None) -> float:
        """This length in points; relative units need their context value."""
        if self.unit in ABSOLUTE:
            return self.value * ABSOLUTE[self.unit]
        ctx = {"em": em, "line": line, "column": column}[RELATIVE[self.unit]]
        if ctx is None:
            raise ValueError(f"'{self.unit}' has no meaning here")
        return self.value * ctx

    def __str__(self) -> str:
        return f"{self.value:g}{self.unit}"


def parse_length(value: object, default_unit: str | None = None, allowed: tuple[str, ...] | None = None) -> Length:
    """Parse '20mm', '1.5字', '3行', 12 (with a default unit) into a Length; ValueError says why not."""
    if isinstance(value, bool):
        raise ValueError(f"expected a length such as 20mm, got {value!r}")
    if isinstance(value, (int, float)):
        check_number(value)
        if default_unit is None:
            raise ValueError(f"a bare number ({value}) needs a unit, e.g. {value}mm or {value}pt")
        return Length(float(value), default_unit)
    if value is None:
        raise ValueError("no value (null): write a length such as 20mm")
    if not isinstance(value, str):
        raise ValueError(f"expected a length such as 20mm, got {type(value).__name__}")
    if len(value) > MAX_TEXT:  # no length is this long; and the pattern would take quadratic time over it
        raise ValueError(f"expected a length such as 20mm, got a text of {len(value)} characters")
    m = _LENGTH.match(value)
    if not m:
        raise ValueError(f"'{value}' is not a length: write a number and a unit, e.g. 20mm, 9pt, 2字, 3行")
    number, unit = check_number(float(m.group(1))), m.group(2)
    unit = ALIASES.get(unit, unit)
    if not unit:
        if default_unit is None:
            raise ValueError(f"'{value}' needs a unit, e.g. {value}mm or {value}pt")
        unit = default_unit
    if unit not in ABSOLUTE and unit not in RELATIVE:
        known = ", ".join(allowed or (*ABSOLUTE, *RELATIVE))
        raise ValueError(f"unknown unit '{unit}' in '{value}' (use one of {known})")
    if allowed is not None and unit not in allowed:
        raise ValueError(f"'{value}': unit '{unit}' is not allowed here (use one of {', '.join(allowed)})")
    return Length(number, unit)


def parse_font_size(value: object) -> float:
    """A font size in points: 9, '9pt', '3.5mm', '20Q' or a 号 name such as '小五'."""
    if isinstance(value, str):
        name = simplified(value.strip())
        for candidate in (name, name + "号", name.removesuffix("号")):  # 小五, 小五号, and 五 for 五号
            if candidate in HAO:
                return HAO[candidate]
    try:
        length = parse_length(value, default_unit="pt", allowed=tuple(ABSOLUTE))
    except ValueError as exc:
        raise ValueError(f"{exc}; a font size may also be a 号 such as 小五 or 四号") from None
    if length.pt() <= 0:
        raise ValueError(f"font size must be positive, got {value}")
    if length.pt() > MAX_FONT_PT:
        raise ValueError(f"font size {value} is larger than the limit of {MAX_FONT_PT:g}pt")
    return length.pt()


def check_number(value: float) -> float:
    """`value` if it is a finite number no larger than MAX_NUMBER; else ValueError says why."""
    if not math.isfinite(value):
        raise ValueError(f"{value} is not a number a page can use: write a finite number")
    if abs(value) > MAX_NUMBER:
        raise ValueError(f"{value:g} is beyond the limit of {MAX_NUMBER:g} for any length")
    return value
