"""Printer's marks in the slug, outside the trim and bleed: crop marks at the corners,
registration targets on the four sides, a colour bar (process inks, black tints, the spot inks
used) and an information line (file, page, standard, print condition, date).

They are display items in the page's own coordinates (top-left of the trim, y down) that lie
outside the page, drawn by the PDF writer after the page; they are no part of the layout's
display list, so dumps, checks and proofs (cropped to the trim) never see them.
"""

from __future__ import annotations

from broadsheet.colours import BLACK, CMYK, Spot
from broadsheet.display import Box, GlyphRun, Item, Page, Rule
from broadsheet.fonts.faces import Face
from broadsheet.input.press import Press
from broadsheet.output.inks import ALL
from broadsheet.text.compose import Glyph
from broadsheet.units import MM

HAIRLINE = 0.25  # pt: marks are thin, but no thinner than what a plate holds
CROP_GAP = 2 * MM  # crop marks start this far outside the bleed, so that they never print on the page
CROP_LEN = 6 * MM
TARGET = 3 * MM  # registration target: half the cross, and the square's half side is half of it
PATCH = 5 * MM
INFO_SIZE = 6.0  # pt
REGISTRATION: CMYK = Spot(ALL, (100.0, 100.0, 100.0, 100.0))
PROCESS: tuple[CMYK, ...] = ((100, 0, 0, 0), (0, 100, 0, 0), (0, 0, 100, 0), BLACK, (0, 0, 0, 75), (0, 0, 0, 50),
                             (0, 0, 0, 25), (100, 100, 0, 0), (0, 100, 100, 0), (100, 0, 100, 0))

STANDARD_NAMES = {"x1a": "PDF/X-1a:2001", "x4": "PDF/X-4", "none": "PDF"}


def page_marks(page: Page, pages: int, press: Press, spots: list[Spot], face: Face | None) -> list[Item]:
    """The marks the spec asks for, for one page; `face` sets the information line (None: no line)."""
    w, h, b = page.width, page.height, press.bleed
    items: list[Item] = []
    if "crop" in press.marks:
        start, end = b + CROP_GAP, b + CROP_GAP + CROP_LEN
        for x, sx in ((0.0, -1), (w, 1)):
            for y, sy in ((0.0, -1), (h, 1)):
                items.append(Rule(x + sx * start, y, x + sx * end, y, HAIRLINE, REGISTRATION))
                items.append(Rule(x, y + sy * start, x, y + sy * end, HAIRLINE, REGISTRATION))
    middle = b + CROP_GAP + CROP_LEN / 2  # the slug's middle line, where the targets sit
    if "registration" in press.marks:
        for cx, cy in ((w / 2, -middle), (w / 2, h + middle), (-middle, h / 2), (w + middle, h / 2)):
            items += _target(cx, cy)
    if "colorbar" in press.marks:
        x = CROP_GAP + CROP_LEN + b  # clear of the crop marks of the bottom-left corner
        for colour in (*PROCESS, *spots):
            items.append(Box(x, h + middle - PATCH / 2, PATCH, PATCH, fill=colour, width=0))
            x += PATCH
    if "info" in press.marks and face is not None:
        printed = f"{page.label} " if page.label else ""
        text = (f"{press.source}  {printed}(page {page.number} of {pages})  {STANDARD_NAMES[press.standard]}  "
                f"{press.condition}  {press.date.strftime('%Y-%m-%d %H:%M %Z')}")
        run = info_line(face, text, w / 2 + TARGET * 3, -middle + INFO_SIZE * 0.35)
        if run is not None:
            items.append(run)
    return items


def _target(cx: float, cy: float) -> list[Item]:
    """A registration target: a cross through a square outline, in every separation."""
    return [
        Rule(cx - TARGET, cy, cx + TARGET, cy, HAIRLINE, REGISTRATION),
        Rule(cx, cy - TARGET, cx, cy + TARGET, HAIRLINE, REGISTRATION),
        Box(cx - TARGET / 2, cy - TARGET / 2, TARGET, TARGET, stroke=REGISTRATION, width=HAIRLINE),
    ]


def info_line(face: Face, text: str, x: float, y: float) -> GlyphRun | None:
    """The information line set in `face` (None when the face lacks a character of it)."""
    glyphs = []
    pen = 0.0
    for ch in text:
        gid = face.gid(ch)
        if gid is None:
            return None
        glyphs.append(Glyph(face, gid, INFO_SIZE, BLACK, ch, pen))
        pen += face.advance(gid, INFO_SIZE)
    return GlyphRun(x, y, tuple(glyphs), role="marks")


def info_face(doc_faces: list[Face]) -> Face | None:
    """The first face of the document with the Latin letters and digits the line needs."""
    for face in doc_faces:
        if all(face.gid(ch) is not None for ch in "abcdefghijklmnopqrstuvwxyz0123456789-:./ PDFX"):
            return face
    return None
