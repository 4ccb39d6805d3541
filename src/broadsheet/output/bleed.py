"""Bleed: a tint box or photo that reaches the trim edge is printed beyond it by the bleed, so that
trimming a little off never leaves a white sliver. Text and rules never bleed."""

from __future__ import annotations

from dataclasses import replace

from broadsheet.display import Box, Image, Item

EDGE = 0.5  # pt: what counts as touching the trim


def extend(item: Item, width: float, height: float, bleed: float) -> Item:
    """`item` grown by `bleed` on each side where it touches the trim (width × height)."""
    if bleed <= 0 or not (isinstance(item, Image) or (isinstance(item, Box) and item.fill is not None)):
        return item
    x0, y0, x1, y1 = item.x, item.y, item.x + item.w, item.y + item.h
    nx0 = x0 - bleed if x0 <= EDGE else x0
    ny0 = y0 - bleed if y0 <= EDGE else y0
    nx1 = x1 + bleed if x1 >= width - EDGE else x1
    ny1 = y1 + bleed if y1 >= height - EDGE else y1
    if (nx0, ny0, nx1, ny1) == (x0, y0, x1, y1):
        return item
    grown = replace(item, x=nx0, y=ny0, w=nx1 - nx0, h=ny1 - ny0)
    if isinstance(item, Image):
        # the picture, scaled about its centre, must still cover the larger slot
        px, py, pw, ph = item.placed
        scale = max(1.0, (nx1 - nx0) / pw if pw else 1.0, (ny1 - ny0) / ph if ph else 1.0,
                    *(_cover(px, pw, nx0, nx1)), *(_cover(py, ph, ny0, ny1)))
        cx, cy = px + pw / 2, py + ph / 2
        grown = replace(grown, placed=(cx - pw * scale / 2, cy - ph * scale / 2, pw * scale, ph * scale))
    return grown


def _cover(start: float, size: float, lo: float, hi: float) -> tuple[float, float]:
    """The scales about the centre that make [start, start + size] reach lo and hi."""
    centre, half = start + size / 2, size / 2
    if half <= 0:
        return 1.0, 1.0
    return (centre - lo) / half, (hi - centre) / half
