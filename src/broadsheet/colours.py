"""Colours as the press sees them: CMYK percentages, and spot colours (a named ink with the CMYK
that stands in for it on a four-colour proof or press).

A spot colour *is* a CMYK tuple (its alternate at its tint), so that layout, dumps and proofs,
which only carry colours along, need not know about inks; only the PDF writer asks for the name.
"""

from __future__ import annotations

CMYK = tuple[float, float, float, float]

#: 100 % black and nothing else: the one colour that overprints (black text on a tint box keeps
#: the tint under it, and misregistration cannot open a white gap around the letters).
BLACK: CMYK = (0.0, 0.0, 0.0, 100.0)


class Spot(tuple):
    """A spot colour: the tuple is its CMYK alternate at `tint` percent; `name` is the ink
    (`PANTONE 485 C`, or a custom name) and `alternate` its CMYK at 100 %."""

    name: str
    tint: float
    alternate: CMYK

    def __new__(cls, name: str, alternate: CMYK, tint: float = 100.0) -> "Spot":
        self = super().__new__(cls, tuple(round(v * tint / 100, 4) for v in alternate))
        self.name, self.tint, self.alternate = name, float(tint), tuple(float(v) for v in alternate)
        return self

    def __getnewargs__(self):  # copies and pickles keep the ink, not only the four numbers
        return self.name, self.alternate, self.tint

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Spot):
            return (self.name, self.tint, self.alternate) == (other.name, other.tint, other.alternate)
        return False  # never equal to the process colour of the same numbers: it is another ink

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((self.name, self.tint, self.alternate))

    def __repr__(self) -> str:
        return f"Spot({self.name!r}, {self.alternate}, {self.tint:g})"


def coverage(c: CMYK) -> float:
    """Total area coverage (TAC) in percent: the sum of the four inks. A spot colour counts its
    CMYK alternate, which is what a four-colour press prints for it."""
    return float(sum(c))


def overprints(c: CMYK) -> bool:
    """Whether text and rules in this colour are set to overprint: 100 K only (rich black,
    reversed-out white and every other colour knock out)."""
    return not isinstance(c, Spot) and tuple(map(float, c)) == BLACK
