"""Photos: the picture in its slot (cropped around a focal point, or fitted whole), or a marked
placeholder when the file is missing, with its caption and credit under it; and the checks that it
covers no type and prints at a fair resolution."""

from __future__ import annotations

from broadsheet.diagnostics import Diagnostic
from broadsheet.display import Box, GlyphRun, Image, Marker, Rule
from broadsheet.input.jobs import PhotoJob
from broadsheet.page.context import StoryContext

PLACEHOLDER_FILL = (0.0, 0.0, 0.0, 12.0)
PLACEHOLDER_LINE = (0.0, 0.0, 0.0, 40.0)
#: Photos printing below this resolution are a warning from the build and an error from `check`
#: (unless its --min-ppi says otherwise): newsprint's usual floor; coated stock wants 200–300 ppi.
MIN_PPI = 170


def place_photo(ctx: StoryContext, photo: PhotoJob) -> int:
    """Place a photo (or its placeholder) with caption and credit below it; the body lines used."""
    g, setter, job = ctx.geo, ctx.setter, ctx.job
    pg = ctx.page(photo.page)
    quality = ctx.report.quality
    x, y = g.col_x(photo.cols[0]), g.line_y(photo.top)
    w, h = g.span_w(*photo.cols), photo.lines * g.pitch - g.pitch * 0.25
    pg.items.append(Marker("slot", x, y, w, h, photo.display, photo.source))
    if photo.pixels is not None:
        pg.items.append(_image(ctx, photo, x, y, w, h))
    else:
        pg.items.append(Box(x, y, w, h, PLACEHOLDER_LINE, PLACEHOLDER_FILL, 0.5))
        pg.items.append(Rule(x, y, x + w, y + h, 0.5, PLACEHOLDER_LINE))
        pg.items.append(Rule(x, y + h, x + w, y, 0.5, PLACEHOLDER_LINE))
        pg.items.append(Marker("placeholder", x, y, w, h, photo.display, photo.source))
        label = ctx.style("caption")
        text = f"图片缺失 {photo.display}"
        lacking = set(setter.chain(label).missing(text))  # a file name may hold characters no font has
        text = "".join(ch for k, ch in enumerate(text) if k not in lacking)
        for i, line in enumerate(setter.set_text(text, label, w, "caption", "center", quality)[:2]):
            pg.items.append(GlyphRun.of(line, x, y + h / 2 + i * label.leading_pt(g.pitch), job.name, "placeholder",
                                        photo.source))
    y_text = y + h
    for text, role in ((photo.caption, "caption"), (photo.credit, "credit")):
        if not text:
            continue
        style = ctx.style(role)
        lead = style.leading_pt(g.pitch)
        y_text += style.space_before.pt(line=g.pitch, em=style.size)
        for line in setter.set_text(text, style, w, role, quality=quality):
            pg.items.append(GlyphRun.of(line, x, y_text + setter.baseline(style, lead), job.name, role, photo.source))
            y_text += lead
    return g.lines_for(y_text - y + g.pitch * 0.5)


def check_photo(ctx: StoryContext, photo: PhotoJob, lines: int) -> None:
    """A photo with its caption must lie in its story's free lines. Over its own headline or
    another of its photos, or over another story's frame, it would print over type: an error.
    Outside its frame where no story is, a warning; below the type area, a warning; off the page
    an error."""
    g = ctx.geo
    a, b = photo.top, photo.top + lines
    where = (f"photo {photo.display} of story '{ctx.job.name}' (columns {photo.cols[0]}-{photo.cols[1]}, "
             f"lines {a}-{b}, with its caption)")
    inside = ctx.frame.holds(photo.page, photo.cols, a, b)
    clear = ctx.free.holds(photo.page, photo.cols, a, b)
    over = sorted({name for name, seg in ctx.others if seg.page == photo.page and seg.c1 <= photo.cols[1]
                   and photo.cols[0] <= seg.c2 and seg.top < b and a < seg.bottom})
    problems: list[tuple[str, str]] = []
    if over:
        problems.append(("error", f"covers the text of {', '.join(repr(n) for n in over)}: move it into its own frame"))
    elif not inside:
        problems.append(("warning", "lies outside the story's frame"))
    if inside and not clear:
        problems.append(("error", "overlaps the story's headline or another photo: move it down or make room"))
    if g.line_y(b) > g.page_h:
        problems.append(("error", "runs off the page: make it or its caption shorter"))
    elif b > g.lines:
        problems.append(("warning", "runs below the type area"))
    for severity, problem in problems:
        ctx.diagnostics.append(Diagnostic(ctx.job.source, f"{where} {problem}", severity, "photo"))  # type: ignore[arg-type]


def _image(ctx: StoryContext, photo: PhotoJob, x: float, y: float, w: float, h: float) -> Image:
    """The image item: `fill` covers the slot and crops around the focal point, `fit` shows the
    whole picture centred in the slot. Its effective resolution is checked here."""
    pw, ph = photo.pixels
    if photo.fit == "fill":
        scale = max(w / pw, h / ph)
    else:
        scale = min(w / pw, h / ph)
    dw, dh = pw * scale, ph * scale
    fx, fy = photo.focal
    if photo.fit == "fill":
        # put the focal point as near the slot's centre as the picture's edges allow
        dx = min(0.0, max(w - dw, w / 2 - fx * dw))
        dy = min(0.0, max(h - dh, h / 2 - fy * dh))
    else:
        dx, dy = (w - dw) / 2, (h - dh) / 2
    ppi = 72 / scale
    if ppi < MIN_PPI:
        ctx.diagnostics.append(Diagnostic(
            ctx.job.source,
            f"photo {photo.display} prints at {ppi:.0f} ppi in story '{ctx.job.name}' (below {MIN_PPI}): use a larger "
            "picture or a smaller slot", "warning", "image-resolution"))
    return Image(x, y, w, h, photo.path, (x + dx, y + dy, dw, dh), ppi)
