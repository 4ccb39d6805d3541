"""The colour operators of a page's content stream.

A plain PDF paints everything in DeviceCMYK (a spot colour as its CMYK alternate). For the press,
spot colours become Separation colour spaces and 100 K black text and rules overprint: each
stretch in another colour is preceded by the graphics state that knocks out again. The names
used here (/BS-OP, /BS-KO, /BS-Sep1 …) are page resources that `pdfx.finish` adds to every page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from broadsheet.colours import CMYK, Spot, overprints

#: Graphics states: overprint (both fill and stroke, nonzero overprint mode) and knockout.
OVERPRINT, KNOCKOUT = "BS-OP", "BS-KO"
#: The separation that prints on every plate (registration marks).
ALL = "All"


@lru_cache(maxsize=None)
def _cmyk(c: tuple[float, float, float, float]) -> str:
    return " ".join(f"{v / 100:.4g}" for v in c)


@dataclass
class Inks:
    """Colour operators for one document. `press` switches on separations and overprint."""

    press: bool = False
    spots: dict[str, CMYK] = field(default_factory=dict)  # ink name -> CMYK alternate, in order of first use
    overprinting: bool = False  # the state of the current page's content so far
    used_states: bool = False
    filling: CMYK | None = None  # the fill colour the page's content has set so far (None: its default)

    def page(self) -> None:
        """A new page starts in the default state (knockout, the default fill colour)."""
        self.overprinting = False
        self.filling = None

    def fill(self, c: CMYK) -> str:
        """The operators that make `c` the fill colour; none if it is already (the colour is part
        of the graphics state, kept across text objects: most lines of a page are all black)."""
        if c == self.filling and (not self.press or overprints(c) == self.overprinting):
            return ""
        self.filling = c
        return self._paint(c, "k", "cs", "scn")

    def stroke(self, c: CMYK) -> str:
        return self._paint(c, "K", "CS", "SCN")

    def knockout(self) -> str:
        """Operators that end overprinting (before images and anything that must knock out)."""
        return self._state(False)

    def _paint(self, c: CMYK, process: str, space: str, value: str) -> str:
        if not self.press:
            return f"{_cmyk(c)} {process}"
        state = self._state(overprints(c))
        if isinstance(c, Spot):
            name = self.separation(c)
            return f"{state}/{name} {space} {c.tint / 100:.4g} {value}"
        return f"{state}{_cmyk(c)} {process}"

    def _state(self, on: bool) -> str:
        if not self.press or on == self.overprinting:
            return ""
        self.overprinting = on
        self.used_states = True
        return f"/{OVERPRINT if on else KNOCKOUT} gs "

    def separation(self, c: Spot) -> str:
        """The resource name of a spot colour's Separation space (the same ink named twice with
        two alternates keeps the first: one ink, one plate)."""
        self.spots.setdefault(c.name, c.alternate)
        return f"BS-Sep{list(self.spots).index(c.name) + 1}"
