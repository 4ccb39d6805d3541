"""The display list: what layout produces and rendering, proofs and checks consume.

Coordinates are points from the page's top-left corner, y downwards (as a designer measures);
the PDF writer flips them. Nothing here knows about PDF.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from pathlib import Path

from broadsheet.diagnostics import Pos
from broadsheet.text.chars import PUNCTUATION
from broadsheet.text.compose import Glyph, Line
from broadsheet.page.grid import Geometry

CMYK = tuple[float, float, float, float]


@dataclass(slots=True)
class GlyphRun:
    """One line of text: glyphs positioned along a baseline starting at (x, y). (Not frozen, as the
    other items are: a document has tens of thousands of runs, and a frozen dataclass is built
    field by field through object.__setattr__, measured 1.46 µs a run against 0.22 µs; nothing
    changes a run once layout has made it.)"""

    x: float
    y: float  # baseline
    glyphs: tuple[Glyph, ...]
    story: str = ""
    role: str = ""  # body, title, caption …
    tracking: float = 0.0  # the space composition put between most glyphs (justification, letter spacing)
    source: Pos | None = None  # where its text was written (story file:line, or the spec for furniture)
    rotate: int = 0  # 90: turned a quarter clockwise, the baseline running down from (x, y) (Latin in 竖排)
    compressed: bool = False  # fitted by setting its last mark half width (the quality report counts these)
    stretch: float = 1.0  # the glyphs' width as set, × their own (a 纵中横 group narrowed to fit its cell)

    @classmethod
    def of(cls, line: Line, x: float, y: float, story: str = "", role: str = "", source: Pos | None = None,
           rotate: int = 0, stretch: float = 1.0) -> "GlyphRun":
        """A composed line set with its measure starting at x, on baseline y."""
        return cls(x, y, tuple(line.glyphs), story, role, line.tracking, source, rotate, line.compressed_end, stretch)

    def along(self, x: float) -> float:
        """How far along its baseline from (x, y) a position of its line (a glyph's x) is set."""
        return x * self.stretch

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
    source: Pos | None = None  # the spec line of the frame or image slot it marks


Item = GlyphRun | Rule | Box | Image | Marker


def colours(item: Item) -> list[CMYK]:
    """The colours an item prints in (its glyphs', a rule's, a box's fill and outline)."""
    if isinstance(item, GlyphRun):
        return [g.color for g in item.glyphs]
    if isinstance(item, Rule):
        return [item.color]
    if isinstance(item, Box):
        return [c for c in (item.fill, item.stroke) if c is not None]
    return []


@dataclass
class Page:
    number: int
    width: float
    height: float
    items: list[Item] = field(default_factory=list)
    label: str = ""  # the printed page (版), e.g. 第5版 or A2版

    def runs(self) -> list[GlyphRun]:
        return [i for i in self.items if isinstance(i, GlyphRun)]


@dataclass
class Document:
    pages: list[Page]
    title: str = ""
    subject: str = ""
    geometry: Geometry | None = None  # the page grid (for proof overlays and checks)
    author: str = ""


def extent(item: Item) -> tuple[float, float, float, float] | None:
    """(left, top, right, bottom) of what an item prints, in points; None for proof markers."""
    if isinstance(item, GlyphRun):
        glyphs = list(item.glyphs)
        while len(glyphs) > 1 and glyphs[-1].text in PUNCTUATION:
            glyphs.pop()  # a hanging mark sits outside the measure by design
        glyphs = [g for g in glyphs if not g.text.isspace()]
        if not glyphs:
            return None
        size = max(map(_SIZE, glyphs))
        face = glyphs[0].face
        asc = ascent_share(face)
        start, end = math.inf, -math.inf
        # The glyphs stand in order and each one's ink lies in its own em box, so only the first
        # and last few can hold the run's ends (a page has tens of thousands of glyphs).
        for g in (glyphs if len(glyphs) <= 2 * _ENDS else glyphs[:_ENDS] + glyphs[-_ENDS:]):
            span = _SPANS.get((g.face, g.gid, g.size, g.text))
            if span is None:
                span = _SPANS[g.face, g.gid, g.size, g.text] = _ink(g._replace(x=0.0))
            if g.x + span[0] < start:
                start = g.x + span[0]
            if g.x + span[1] > end:
                end = g.x + span[1]
        start, end = item.along(start), item.along(end)
        if item.rotate == 90:  # along the run is down the page; the glyphs' tops face right
            return item.x - size * (1 - asc), item.y + start, item.x + size * asc, item.y + end
        return item.x + start, item.y - size * asc, item.x + end, item.y + size * (1 - asc)
    if isinstance(item, Rule):
        half = item.width / 2
        return min(item.x0, item.x1) - half, min(item.y0, item.y1) - half, max(item.x0, item.x1) + half, max(item.y0, item.y1) + half
    if isinstance(item, Box):
        half = item.width / 2 if item.stroke is not None else 0.0
        return item.x - half, item.y - half, item.x + item.w + half, item.y + item.h + half
    if isinstance(item, Image):
        return item.x, item.y, item.x + item.w, item.y + item.h
    return None


_ENDS = 3
_SIZE = attrgetter("size")


@lru_cache(maxsize=64)  # (asked for every line of a page by the checks)
def ascent_share(face) -> float:
    """The share of a text line's em above its baseline: the face's ascent over ascent + descent."""
    return face.ascent / (face.ascent + face.descent) if face.ascent + face.descent else 0.88

#: A glyph's ink span from its origin by (face, gid, size, text): a build measures every glyph of
#: every line (the overprint check), most of them the same few thousand.
_SPANS: dict[tuple, tuple[float, float]] = {}


def _ink(g: Glyph) -> tuple[float, float]:
    """A glyph's horizontal extent: the ink of a punctuation mark (a mark compressed at the start
    of a line has its blank half outside the measure), else its advance."""
    ink = g.face.ink.get(ord(g.text)) if len(g.text) == 1 else None
    if ink is not None:
        return g.x + ink[0] * g.size / g.face.upem, g.x + ink[1] * g.size / g.face.upem
    return g.x, g.x + g.face.advance(g.gid, g.size)


# ---------------------------------------------------------------------------------------------
# the text dump: the display list as readable lines, the layout's regression oracle


def _num(v: float) -> str:
    return f"{v:.2f}"


def _colour(c: CMYK | None) -> str:
    return "-" if c is None else "cmyk(" + ",".join(f"{v:g}" for v in c) + ")"


def _quoted(text: str) -> str:
    """Text between bars, with control characters (and the bar's own escape) spelt out."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 or ch in "\u2028\u2029":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "|" + "".join(out) + "|"


def dump_item(page: int, item: Item) -> str:
    """One display item as one line: page, kind, x and y in pt, story, role, face, size, then what
    the kind has (the text of a line, a rule's end, a box's size …)."""
    head = f"p{page}"
    if isinstance(item, GlyphRun):
        faces = ",".join(dict.fromkeys(g.face.postscript for g in item.glyphs)) or "-"
        sizes = ",".join(dict.fromkeys(f"{g.size:g}" for g in item.glyphs)) or "-"
        # x is where the first glyph stands (centred and right-aligned lines move it), `last` where
        # the last one does: together they show the line's start, width and justification
        # (a turned run goes down the page: there y is where its first glyph stands, `last` the last's)
        g0, gn = (item.along(item.glyphs[0].x), item.along(item.glyphs[-1].x)) if item.glyphs else (0.0, None)
        x, y = (item.x, item.y + g0) if item.rotate else (item.x + g0, item.y)
        start = item.y if item.rotate else item.x
        end = _num(start + gn) if gn is not None else "-"
        turned = f" rot={item.rotate}" if item.rotate else ""
        narrowed = f" stretch={item.stretch:.3f}" if item.stretch != 1 else ""
        return (f"{head} text {_num(x)} {_num(y)} {item.story or '-'} {item.role or '-'} {faces} {sizes} "
                f"track={item.tracking:.3f} last={end}{turned}{narrowed} {_quoted(item.text)}")
    if isinstance(item, Rule):
        return (f"{head} rule {_num(item.x0)} {_num(item.y0)} - - - {item.width:g} to={_num(item.x1)},{_num(item.y1)} "
                f"{_colour(item.color)}")
    if isinstance(item, Box):
        return (f"{head} box {_num(item.x)} {_num(item.y)} - - - {item.width:g} size={_num(item.w)}x{_num(item.h)} "
                f"stroke={_colour(item.stroke)} fill={_colour(item.fill)}")
    if isinstance(item, Image):
        px, py, pw, ph = item.placed
        return (f"{head} image {_num(item.x)} {_num(item.y)} - - - - size={_num(item.w)}x{_num(item.h)} "
                f"placed={_num(px)},{_num(py)},{_num(pw)}x{_num(ph)} ppi={item.ppi:.0f} {_quoted(item.path.name)}")
    return (f"{head} marker:{item.kind} {_num(item.x)} {_num(item.y)} - - - - size={_num(item.w)}x{_num(item.h)} "
            f"{_quoted(item.note)}")


def dump(doc: Document) -> str:
    """The whole laid-out document, one line per display item in drawing order."""
    lines = [f"document {_quoted(doc.title)} pages={len(doc.pages)}"]
    for page in doc.pages:
        lines.append(f"page {page.number} {_num(page.width)}x{_num(page.height)}")
        lines.extend(dump_item(page.number, item) for item in page.items)
    return "\n".join(lines) + "\n"
