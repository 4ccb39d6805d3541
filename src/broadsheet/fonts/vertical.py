"""Vertical forms (竖排): the glyph a character takes in vertical text, by HarfBuzz shaping with the
fonts' own `vert`/`vrt2` substitutions, and where it sits on the vertical line.

In vertical text the CJK marks are not the horizontal glyphs: ，。、 move to the upper right of the
em, brackets, quotes and the ellipsis turn a quarter. The fonts carry those forms; shaping top to
bottom finds them. A character the font has no vertical form for keeps its glyph (`vertical` is
False): Han characters stand upright as they are, while Latin letters and a proportional dash
such as Noto CJK's U+2014 have to be turned by the layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from broadsheet.fonts import harfbuzz
from broadsheet.fonts.faces import Face

#: Shaped as Simplified Chinese whatever the machine's locale (HarfBuzz would guess it from the
#: locale, and a font's `locl` forms with it): the same glyphs on every machine.
LANGUAGE = "zh-Hans"


@dataclass(frozen=True)
class VerticalGlyph:
    gid: int  # the glyph to set in vertical text
    vertical: bool  # a vertical form of the font's (vert/vrt2), not the horizontal glyph
    advance: int  # the vertical advance, font units, down the line
    origin: tuple[int, int]  # the vertical origin in the glyph's own (horizontal) coordinates,
    # font units: the point that sits on the line's centre axis at the top of the glyph's em


@lru_cache(maxsize=4096)
def vertical_glyph(face: Face, ch: str) -> VerticalGlyph | None:
    """The vertical form of one character in `face`, or None if the face lacks the character."""
    horizontal = face.gid(ch)
    if horizontal is None:
        return None
    hb = harfbuzz.hb()  # shaping needs the font itself, not the cached metrics
    font = harfbuzz.font(face.path, face.index)
    buf = hb.Buffer()
    buf.add_str(ch)
    buf.guess_segment_properties()  # the script (Han, Latin …) from the character
    buf.language = LANGUAGE
    buf.direction = "ttb"
    hb.shape(font, buf, {"vert": True, "vrt2": True})
    shaped = buf.glyph_infos
    # one glyph in, one out; a font that decomposes the character (ccmp) has no single vertical form
    gid = shaped[0].codepoint if len(shaped) == 1 else horizontal
    # HarfBuzz counts y upwards: a top-to-bottom advance is negative
    return VerticalGlyph(gid, gid != horizontal, -font.get_glyph_v_advance(gid), tuple(font.get_glyph_v_origin(gid)))
