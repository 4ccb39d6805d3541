"""竖排: a title set top to bottom, one em cell after another down a vertical line centred in the
headline columns (clreq §3.1).

- Han characters stand upright; punctuation takes the font's vertical forms (`vert`/`vrt2`, by
  HarfBuzz: ，。、 in the upper right of the em, brackets, quotes and the ellipsis turned), and a
  dash the font has no vertical form for is set as the full-width bar's vertical form.
- Two to four digits or Latin letters stand upright side by side in one cell (纵中横,
  tate-chu-yoko), narrowed (never made smaller) when they would be wider than the em.
- A longer Latin run (a word, or words with spaces) is turned a quarter clockwise, its glyphs'
  tops to the right, and takes the length it needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from broadsheet.display import GlyphRun
from broadsheet.fonts.vertical import vertical_glyph
from broadsheet.input.styles import ParaStyle
from broadsheet.page.setter import Setter
from broadsheet.text.chars import BAR
from broadsheet.text.compose import Glyph, dash_join
from broadsheet.text.quality import Quality

#: At most this many digits or Latin letters stand upright side by side in one cell.
TATE_CHU_YOKO = 4
#: … in a group no wider than this (× the em): a little over the em, so that four digits stay legible.
TCY_WIDTH = 1.2
_LATIN_RUN = re.compile(r"[0-9A-Za-z]+(?:[ .,:%'’&/-]+[0-9A-Za-z]+)*")


@dataclass
class VerticalTitle:
    runs: list[GlyphRun]  # y relative to the top of the title
    height: float  # how far down the title reaches


def set_vertical(text: str, style: ParaStyle, setter: Setter, centre: float, story: str, role: str,
                 quality: Quality | None = None) -> VerticalTitle:
    """The title `text` down vertical lines centred on x = `centre`, from y = 0: a line break the
    writer typed starts the next line, to the left of the one before (vertical lines read right to
    left), the style's leading apart."""
    parts = [part for part in text.split("\n") if part.strip()]
    lead = style.leading_pt(setter.geo.pitch)
    right = centre + lead * (len(parts) - 1) / 2
    runs: list[GlyphRun] = []
    height = 0.0
    for k, part in enumerate(parts):
        line = _vertical_line(part, style, setter, right - k * lead, story, role, quality)
        runs += line.runs
        height = max(height, line.height)
    return VerticalTitle(runs, height)


def _vertical_line(text: str, style: ParaStyle, setter: Setter, centre: float, story: str, role: str,
                   quality: Quality | None) -> VerticalTitle:
    """One vertical line of a title, down x = `centre` from y = 0."""
    size = style.size
    step = size + style.letter_spacing.pt(em=size)  # one em cell, plus the style's tracking
    chain = setter.chain(style)
    base = setter.baseline(style, size)  # where a glyph's baseline sits in its em cell
    runs: list[GlyphRun] = []
    y = 0.0
    pos = 0
    text = "".join(text.split())  # a vertical title has no spaces between its cells
    for m in [*_LATIN_RUN.finditer(text), None]:
        stop = m.start() if m else len(text)
        for k in range(pos, stop):
            run = _upright(text[k], chain, size, style.color, centre, y + base, story, role)
            if text[k] == "—" and text[k - 1:k + 1] == "——" and k - 1 >= pos and run.glyphs:
                runs[-1], run = _join_dash(runs[-1], run, step)
            runs.append(run)
            y += step
        if m is None:
            break
        run = m.group()
        lines = setter.set_text(run, style, 1e6, role, "left", quality)
        width = lines[0].natural if lines else 0.0
        if len(run) <= TATE_CHU_YOKO and " " not in run:
            # upright side by side, at most a little wider than the em: narrowed to fit at their
            # full height, as a typesetter condenses 纵中横 (the fonts have no third- or
            # quarter-width digits), centred across the cell, on the baseline of its Han neighbours
            stretch = min(1.0, TCY_WIDTH * size / width) if width else 1.0
            runs.append(GlyphRun.of(lines[0], centre - width * stretch / 2, y + base, story, role, stretch=stretch))
            y += step
        else:
            # turned: the baseline runs down the line, the x-height centred on it, a Han–Latin gap
            # before and after
            gap = style.latin_gap.pt(em=size)
            runs.append(GlyphRun.of(lines[0], centre - size * 0.38, y + gap, story, role, rotate=90))
            y += gap + width + gap
        pos = m.end()
    return VerticalTitle(runs, y)


def _join_dash(first: GlyphRun, second: GlyphRun, step: float) -> tuple[GlyphRun, GlyphRun]:
    """The two bars of a —— moved down the line so that they make one line (text.compose.dash_join)."""
    g = first.glyphs[0]
    joined = dash_join(g.face, g.face.gid(BAR) or g.gid, g.size)  # the bar's metrics along the line
    if joined is None:
        return first, second
    pad, along = joined
    y = first.y + pad + (step - g.size) / 2  # centred on the two cells (with a tracked title's gap)
    return replace(first, y=y), replace(second, y=y + along)


def _upright(ch: str, chain, size: float, color, centre: float, baseline: float, story: str, role: str) -> GlyphRun:
    hit = chain.lookup(ch)
    if hit is None:  # the loader's glyph check has reported it
        return GlyphRun(centre, baseline, (), story, role)
    face, gid = hit
    form = vertical_glyph(face, ch)
    if form is not None and not form.vertical and ch in "—–":
        form = vertical_glyph(face, BAR) or form  # Noto CJK's — is proportional and has no vertical form
    gid = form.gid if form is not None else gid
    advance = face.advance(gid, size)
    return GlyphRun(centre - advance / 2, baseline, (Glyph(face, gid, size, color, ch, 0.0),), story, role)
