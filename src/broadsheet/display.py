"""The display list: what layout produces and rendering, proofs and checks consume.

Coordinates are points from the page's top-left corner, y downwards (as a designer measures);
the PDF writer flips them. Nothing here knows about PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .compose import Glyph, Line
from .geometry import Geometry

CMYK = tuple[float, float, float, float]


@dataclass(frozen=True)
class GlyphRun:
    """One line of text: glyphs positioned along a baseline starting at (x, y)."""

    x: float
    y: float  # baseline
    glyphs: tuple[Glyph, ...]
    story: str = ""
    role: str = ""  # body, title, caption …
    tracking: float = 0.0  # the space composition put between most glyphs (justification, letter spacing)

    @classmethod
    def of(cls, line: Line, x: float, y: float, story: str = "", role: str = "") -> "GlyphRun":
        """A composed line set with its measure starting at x, on baseline y."""
        return cls(x, y, tuple(line.glyphs), story, role, line.tracking)

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.glyphs)


@dataclass(frozen=True)
class Rule:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float
    color: CMYK


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    stroke: CMYK | None = None
    fill: CMYK | None = None
    width: float = 0.5


@dataclass(frozen=True)
class Image:
    """A photo shown in the slot (x, y, w, h); the picture itself is drawn at `placed`
    (x, y, w, h) and clipped to the slot, which crops it when it is larger."""

    x: float
    y: float
    w: float
    h: float
    path: Path
    placed: tuple[float, float, float, float]
    ppi: float  # effective resolution at the printed size


@dataclass(frozen=True)
class Marker:
    """Proof-only annotation (not printed): overset spots, image placeholders, frames."""

    kind: str
    x: float
    y: float
    w: float
    h: float
    note: str = ""


Item = GlyphRun | Rule | Box | Image | Marker


@dataclass
class Page:
    number: int
    width: float
    height: float
    items: list[Item] = field(default_factory=list)

    def runs(self) -> list[GlyphRun]:
        return [i for i in self.items if isinstance(i, GlyphRun)]


@dataclass
class Document:
    pages: list[Page]
    title: str = ""
    subject: str = ""
    geometry: Geometry | None = None  # the page grid (for proof overlays and checks)
    author: str = ""
