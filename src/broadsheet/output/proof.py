"""Proof images: the PDF rendered to PNG with pypdfium2 (no external program), with proof-only
overlays drawn on top, and a contact sheet of an edition's pages.

Overlays (switched on by name; `overset` is on by default, missing-image placeholders are always
marked):

| name        | what it draws                                                            |
|-------------|--------------------------------------------------------------------------|
| `grid`      | the type area (margins) and the column grid                              |
| `baselines` | the body baseline grid                                                   |
| `frames`    | each story's frame outline, labelled with the story's name               |
| `slots`     | image slot boxes, labelled with the file                                 |
| `overset`   | a red box and arrow where a story's text ran out of room                 |
| `quality`   | loose lines (yellow) and 孤字 (magenta) highlighted                      |

Overlays are drawn on the PNGs only: the PDF is rendered before and never changes.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable

from broadsheet.cache import write_atomic
from broadsheet.diagnostics import did_you_mean
from broadsheet.display import Document, GlyphRun, Marker, Page

OVERLAYS = ("grid", "baselines", "frames", "slots", "overset", "quality")
DEFAULT_OVERLAYS = frozenset({"overset"})

MARK_COLOURS = {"overset": (220, 0, 0), "placeholder": (0, 120, 220)}
#: Overlay colours (RGBA; the alpha blends them over the page).
COLOURS = {
    "margins": (230, 0, 170, 255),
    "columns": (0, 170, 230, 255),
    "baselines": (0, 190, 190, 150),
    "frames": (0, 150, 0, 255),
    "slots": (255, 130, 0, 255),
    "loose": (255, 210, 0, 110),
    "orphan": (230, 0, 230, 110),
}
#: Contact sheet: thumbnail height in pixels, gap and label band.
THUMB_H = 480
GAP = 16
LABEL_H = 22


def parse_overlays(values: Iterable[str]) -> frozenset[str]:
    """Overlay names from options such as `grid,frames` (repeatable), `all` or `none`;
    ValueError names an unknown one (with did-you-mean). Nothing given means the default."""
    names: list[str] = [n.strip().lower() for v in values for n in v.split(",") if n.strip()]
    if not names:
        return DEFAULT_OVERLAYS
    chosen: set[str] = set()
    for name in names:
        if name == "all":
            chosen.update(OVERLAYS)
        elif name == "none":
            chosen.clear()
        elif name in OVERLAYS:
            chosen.add(name)
        else:
            raise ValueError(f"unknown overlay '{name}'{did_you_mean(name, (*OVERLAYS, 'all', 'none'))}; "
                             f"choose from {', '.join(OVERLAYS)}, all, none")
    return frozenset(chosen)


def proof_paths(stem: Path, pages: int) -> list[Path]:
    """Where the proofs of a document go: NAME.png for one page, NAME-1.png, NAME-2.png … for several."""
    if pages == 1:
        return [stem.with_name(f"{stem.name}.png")]
    return [stem.with_name(f"{stem.name}-{k}.png") for k in range(1, pages + 1)]


def contact_path(stem: Path) -> Path:
    return stem.with_name(f"{stem.name}-contact.png")


def render_proofs(pdf: bytes, doc: Document, stem: Path, dpi: float = 100,
                  overlays: Iterable[str] = DEFAULT_OVERLAYS, contact: bool = True,
                  progress: Callable[[int], None] | None = None,
                  write: Callable[[Path, bytes], None] = write_atomic) -> list[Path]:
    """Write a PNG of every page (see proof_paths) and, for more than one page, a contact sheet
    (NAME-contact.png), each with `write(path, data)`; returns the files written. `progress` is
    called with 1 after each page."""
    import pypdfium2 as pdfium

    overlays = frozenset(overlays)
    scale = dpi / 72
    pdf_doc = pdfium.PdfDocument(pdf)
    written = []
    thumbs = []
    paths = proof_paths(stem, len(doc.pages))
    try:
        for index, page in enumerate(doc.pages):
            bitmap = pdf_doc[index].render(scale=scale)
            image = bitmap.to_pil().convert("RGB")
            image = draw_overlays(image, page, doc, scale, overlays)
            write(paths[index], _png(image))
            written.append(paths[index])
            if contact and len(doc.pages) > 1:
                thumbs.append(_thumbnail(image))
            if progress:
                progress(1)
    finally:
        pdf_doc.close()
    if thumbs:
        path = contact_path(stem)
        write(path, _png(contact_sheet(thumbs, [page_label(p, doc) for p in doc.pages])))
        written.append(path)
    return written


def page_label(page: Page, doc: Document) -> str:
    return f"p. {page.number}"


def _png(image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG", optimize=False, compress_level=1)
    return buf.getvalue()


def _thumbnail(image):
    from PIL import Image as PILImage

    w, h = image.size
    if h <= THUMB_H:
        return image.copy()
    return image.resize((max(1, round(w * THUMB_H / h)), THUMB_H), PILImage.Resampling.LANCZOS)


def contact_sheet(thumbs: list, labels: list[str], per_row: int = 4):
    """Pages side by side (up to `per_row` in a row), each labelled under it, on a grey ground."""
    from PIL import Image as PILImage, ImageDraw

    per_row = max(1, min(per_row, len(thumbs)))
    rows = [thumbs[i:i + per_row] for i in range(0, len(thumbs), per_row)]
    cell_w = max(t.size[0] for t in thumbs)
    cell_h = max(t.size[1] for t in thumbs) + LABEL_H
    sheet = PILImage.new("RGB", (GAP + per_row * (cell_w + GAP), GAP + len(rows) * (cell_h + GAP)), (200, 200, 200))
    draw = ImageDraw.Draw(sheet)
    for r, row in enumerate(rows):
        for c, thumb in enumerate(row):
            x = GAP + c * (cell_w + GAP)
            y = GAP + r * (cell_h + GAP)
            sheet.paste(thumb, (x, y))
            draw.rectangle([x - 1, y - 1, x + thumb.size[0], y + thumb.size[1]], outline=(90, 90, 90))
            draw.text((x, y + thumb.size[1] + 5), labels[r * per_row + c], fill=(0, 0, 0))
    return sheet


# ---------------------------------------------------------------------------------------------
# overlays


def draw_overlays(image, page: Page, doc: Document, scale: float, overlays: frozenset[str]):
    """The page image with the chosen overlays (and the placeholders, always) drawn on it."""
    from PIL import Image as PILImage, ImageDraw

    layer = PILImage.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    geo = doc.geometry
    px = lambda v: v * scale  # noqa: E731
    thin = max(1, round(scale * 0.5))
    font = _font(scale)
    if geo is not None and "baselines" in overlays:
        offset = baseline_offset(page, doc)
        k = 0
        while geo.line_y(k) + offset <= geo.y0 + geo.height + 1e-6:
            y = px(geo.line_y(k) + offset)
            draw.line([(px(geo.x0), y), (px(geo.x0 + geo.width), y)], fill=COLOURS["baselines"], width=1)
            k += 1
    if geo is not None and "grid" in overlays:
        top, bottom = px(geo.y0), px(geo.y0 + geo.height)
        for c in range(1, geo.columns + 1):
            x0, x1 = px(geo.col_x(c)), px(geo.col_x(c) + geo.col_w)
            draw.line([(x0, top), (x0, bottom)], fill=COLOURS["columns"], width=thin)
            draw.line([(x1, top), (x1, bottom)], fill=COLOURS["columns"], width=thin)
        draw.rectangle([px(geo.x0), top, px(geo.x0 + geo.width), bottom], outline=COLOURS["margins"], width=thin + 1)
    markers = [m for m in page.items if isinstance(m, Marker)]
    if "quality" in overlays:
        for m in markers:
            if m.kind in ("loose", "orphan"):
                draw.rectangle(_box(m, scale), fill=COLOURS[m.kind])
    if "frames" in overlays:
        for m in markers:
            if m.kind == "frame":
                box = _box(m, scale)
                draw.rectangle(box, outline=COLOURS["frames"], width=thin + 1)
                _label(draw, box[0] + 2 * thin, box[1] + 2 * thin, m.note, COLOURS["frames"], font)
    if "slots" in overlays:
        for m in markers:
            if m.kind == "slot":
                box = _box(m, scale)
                draw.rectangle(box, outline=COLOURS["slots"], width=thin + 1)
                draw.line([(box[0], box[1]), (box[2], box[3])], fill=COLOURS["slots"], width=thin)
                _label(draw, box[0] + 2 * thin, box[3] - 4 * thin - getattr(font, "size", 11), m.note, COLOURS["slots"], font)
    for m in markers:
        if m.kind == "placeholder" or (m.kind == "overset" and "overset" in overlays):
            colour = MARK_COLOURS[m.kind]
            box = _box(m, scale)
            draw.rectangle(box, outline=colour, width=max(2, int(scale * 1.5)))
            if m.kind == "overset":
                x, y = box[2], box[3]
                r = 4 * scale
                draw.polygon([(x, y - r), (x + r, y), (x, y + r)], fill=colour)
    out = image.convert("RGBA")
    out.alpha_composite(layer)
    return out.convert("RGB")


def _box(m: Marker, scale: float) -> list[float]:
    return [m.x * scale, m.y * scale, (m.x + m.w) * scale, (m.y + m.h) * scale]


def _font(scale: float):
    """PIL's default font, at a size that grows with the resolution where Pillow can scale it."""
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=max(10, round(7 * scale)))
    except (TypeError, OSError):  # Pillow < 10.1 or without FreeType: the fixed bitmap font
        return ImageFont.load_default()


def _label(draw, x: float, y: float, text: str, colour, font=None) -> None:
    """A small label on a white ground (PIL's default font: ASCII names read best)."""
    if not text:
        return
    left, top, right, bottom = draw.textbbox((x, y), text, font=font)
    draw.rectangle([left - 2, top - 2, right + 2, bottom + 2], fill=(255, 255, 255, 220))
    draw.text((x, y), text, fill=colour, font=font)


def baseline_offset(page: Page, doc: Document) -> float:
    """Where body baselines sit in their line: the most common offset of the body runs from the
    line grid (the em box is centred in the line, so it depends on the body font); the lines'
    tops when the page has no body text."""
    geo = doc.geometry
    if geo is None:
        return 0.0
    offsets = Counter(round((r.y - geo.y0) % geo.pitch, 2) for r in page.items
                      if isinstance(r, GlyphRun) and r.role == "body")
    if not offsets:
        offsets = Counter(round((r.y - geo.y0) % geo.pitch, 2) for p in doc.pages for r in p.items
                          if isinstance(r, GlyphRun) and r.role == "body")
    return offsets.most_common(1)[0][0] if offsets else 0.0
