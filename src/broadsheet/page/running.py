"""The running head (报眉) and foot: paper and date at the left, the section centred, the page and
the editors at the right, on a band above (or below) the type area with a rule."""

from __future__ import annotations

from broadsheet.display import GlyphRun, Page
from broadsheet.input.jobs import Running
from broadsheet.input.styles import ParaStyle
from broadsheet.page import furniture
from broadsheet.page.setter import Setter


def running_head(page: Page, running: Running, style: ParaStyle, setter: Setter, footer: bool = False) -> None:
    g = setter.geo
    base_y = (g.y0 + g.height + 1.3 * g.pitch) if footer else (g.y0 - 0.9 * g.pitch)
    role = "footer" if footer else "header"
    for text, align in (
        ("　".join(p for p in (running.paper, running.date) if p), "left"),
        (running.section or "", "center"),
        ("　".join(p for p in (running.page, running.editor) if p), "right"),
    ):
        if text:
            for line in setter.set_text(text, style, g.width, "header", align)[:1]:
                page.items.append(GlyphRun.of(line, g.x0, base_y, "", role, running.source))
    (furniture.footer_rule if footer else furniture.header_rule)(page, g)
