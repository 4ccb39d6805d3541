"""Page geometry: the type area, the column grid and the body line grid."""

from __future__ import annotations

import math
from dataclasses import dataclass

from broadsheet.units import Length

EPS = 1e-6


@dataclass(frozen=True)
class Geometry:
    page_w: float
    page_h: float
    x0: float  # type area left
    y0: float  # type area top
    width: float
    height: float
    columns: int
    gutter: float
    pitch: float  # body line pitch

    @property
    def col_w(self) -> float:
        return (self.width - (self.columns - 1) * self.gutter) / self.columns

    @property
    def lines(self) -> int:
        """Body lines in a full column."""
        return int(math.floor(self.height / self.pitch + EPS))

    def col_x(self, c: int) -> float:
        return self.x0 + (c - 1) * (self.col_w + self.gutter)

    def span_w(self, first: int, last: int) -> float:
        return (last - first + 1) * self.col_w + (last - first) * self.gutter

    def line_y(self, k: float) -> float:
        return self.y0 + k * self.pitch

    def to_lines(self, length: Length) -> int:
        """A vertical length as whole body lines (absolute lengths round up to the next line)."""
        if length.unit == "行":
            return int(round(length.value))
        return int(math.ceil(length.pt() / self.pitch - EPS))

    def lines_for(self, height_pt: float) -> int:
        return max(0, int(math.ceil(height_pt / self.pitch - EPS)))

