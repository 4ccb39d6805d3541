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

import struct
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from broadsheet.cache import Staged, write_atomic
from broadsheet.diagnostics import did_you_mean
from broadsheet.display import Document, GlyphRun, Image, Marker, Page, colours

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
                  progress: Callable[[int], None] | None = None, jobs: int = 1,
                  staged: Staged | None = None) -> list[Path]:
    """Write a PNG of every page (see proof_paths) and, for more than one page, a contact sheet
    (NAME-contact.png); returns the files written. `progress` is called with 1 after each page.
    With `jobs` > 1 the pages render in that many worker processes (see `_pool`). With `staged`
    the files are staged there (to be replaced with the PDF, or not at all), not written."""
    paths = proof_paths(stem, len(doc.pages))
    job = _Job(pdf, doc, paths, dpi / 72, frozenset(overlays), contact and len(doc.pages) > 1, staged is not None)
    thumbs = []
    pool = _pool(job, jobs)
    try:
        for thumb, files in (pool.imap(_render_page, range(len(paths))) if pool else map(job.render, range(len(paths)))):
            if staged is not None:
                staged.files += files  # a worker staged them: the parent commits (or discards) them
            if thumb is not None:
                thumbs.append(thumb)
            if progress:
                progress(1)
    finally:
        if pool:
            pool.close()
            pool.join()
        job.close()
    written = list(paths)
    if thumbs:
        path = contact_path(stem)
        data = png_bytes(contact_sheet(thumbs, [page_label(p, doc) for p in doc.pages]))
        (staged.write if staged is not None else write_atomic)(path, data)
        written.append(path)
    return written


def _trimmed(sheet):
    """A PDF page cropped to its trim box: a PDF/X page's bleed and marks lie outside the proof."""
    sheet.set_cropbox(*sheet.get_trimbox())
    return sheet


def page_bitmaps(pdf: bytes, pages: int, dpi: float = 100) -> Iterator:
    """The first `pages` pages of the PDF rendered by pypdfium2 (its bitmaps, BGR), one at a time."""
    import pypdfium2 as pdfium

    pdf_doc = pdfium.PdfDocument(pdf)
    try:
        for index in range(pages):
            yield _trimmed(pdf_doc[index]).render(scale=dpi / 72)
    finally:
        pdf_doc.close()


@dataclass
class _Job:
    """Everything the proofs of one document need, and the PDF opened once per process."""

    pdf: bytes
    doc: Document
    paths: list[Path]
    scale: float
    overlays: frozenset[str]
    contact: bool
    staged: bool  # stage the PNGs (cache.Staged) for the caller to commit with the PDF
    opened: Any = None  # pypdfium2.PdfDocument, opened on the first page rendered in this process

    def render(self, index: int) -> tuple[Any, list[tuple[Path, Path]]]:
        """Render, mark and write one page's proof; its thumbnail for the contact sheet, if wanted,
        and the (temporary, target) files it staged."""
        if self.opened is None:
            import pypdfium2 as pdfium

            self.opened = pdfium.PdfDocument(self.pdf)
        page = self.doc.pages[index]
        # rev_byteorder: pdfium writes RGB, which PIL copies as it is; a page in black and greys
        # only is rendered grey (the same ink, rendered 10 % faster, a third of the bytes to write);
        # a grey bitmap's image shares the bitmap's memory, hence the copy
        gray = neutral(page)
        bitmap = _trimmed(self.opened[index]).render(scale=self.scale, rev_byteorder=True, grayscale=gray)
        image = bitmap.to_pil().copy() if gray else bitmap.to_pil()
        image = draw_overlays(image, page, self.doc, self.scale, self.overlays)
        data = png_bytes(image)
        files: list[tuple[Path, Path]] = []
        if self.staged:
            here = Staged()
            here.write(self.paths[index], data)
            files = here.files
        else:
            write_atomic(self.paths[index], data)
        return (_thumbnail(image) if self.contact else None), files

    def close(self) -> None:
        if self.opened is not None:
            self.opened.close()
            self.opened = None


#: The job of the pool being forked: workers inherit it (the document and the PDF's bytes are
#: never pickled; a task is a page number and a result a thumbnail).
_JOB: _Job | None = None


def _render_page(index: int):
    assert _JOB is not None
    return _JOB.render(index)


def _pool(job: _Job, jobs: int):
    """Worker processes for the pages, or None to render them here: one page, one job, or no
    fork on this platform. The pages are independent and each costs far more than a worker's
    start (forked, it inherits the loaded modules: 10–40 ms): a 对开 page at 100 dpi takes about
    90 ms to render, 180 ms to encode as PNG and 50 ms to thumbnail (CPU time, measured)."""
    global _JOB
    workers = min(jobs, len(job.paths))
    if workers < 2:
        return None
    import multiprocessing  # only here: a one-page proof (watch mode) does without its imports

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    _JOB = job
    try:
        return multiprocessing.get_context("fork").Pool(workers)
    finally:
        _JOB = None  # the workers have their copy; the parent renders nothing itself


def page_label(page: Page, doc: Document) -> str:
    return page.label or f"p. {page.number}"


def neutral(page: Page) -> bool:
    """Whether the page prints in black and greys only (no photo, no colour with cyan, magenta or
    yellow in it): its proof is a grey image, the same ink as the colour render (pdfium's grey
    anti-aliasing places glyph edges a little otherwise, no further from true; tested)."""
    return not any(isinstance(item, Image) or any(c[0] or c[1] or c[2] for c in colours(item))
                   for item in page.items)


#: PNG colour types of the image modes written as they are; others are converted to RGB.
PNG_TYPES = {"L": (0, 1), "RGB": (2, 3)}  # mode: (colour type, bytes a pixel)


def png_bytes(image) -> bytes:
    """A grey or RGB image as PNG without row filters, deflated by ISA-L (python-isal) at its
    level 1. Measured on the sample page at 100 dpi (9.8 MB of rows): 10 ms, where zlib's level 1
    takes 53 ms and Pillow's encoder, which tries a filter per row, about 170 ms; the file is a
    quarter larger than zlib's (2.5 MB against 2.0), which a proof on the designer's disk can bear."""
    from isal import isal_zlib  # here: a build without proofs does without it
    if image.mode not in PNG_TYPES:
        image = image.convert("RGB")
    colour_type, depth = PNG_TYPES[image.mode]
    w, h = image.size
    raw, stride = memoryview(image.tobytes()), depth * w
    deflate = isal_zlib.compressobj(1)
    none = b"\0"  # each row's filter type: none
    # row by row, so that the rows with their filter bytes are never copied into one string
    idat = [part for k in range(0, h * stride, stride) for part in (deflate.compress(none), deflate.compress(raw[k:k + stride]))]
    idat.append(deflate.flush())

    def chunk(kind: bytes, data: bytes) -> bytes:
        return b"".join((struct.pack(">I", len(data)), kind, data, struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))))

    header = struct.pack(">IIBBBBB", w, h, 8, colour_type, 0, 0, 0)  # 8 bits, deflate, no filter, no interlace
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"".join(idat)) + chunk(b"IEND", b"")


def _thumbnail(image):
    from PIL import Image as PILImage

    w, h = image.size
    if h <= THUMB_H:
        return image.copy()
    # reducing_gap: a box reduction by the whole factor first (4 for a 对开 page at 100 dpi), then
    # Lanczos over what is left: 5 ms, where a reduction by 2 first takes 11 ms and none 60 ms; at
    # thumbnail size the three look alike (compared side by side)
    return image.resize((max(1, round(w * THUMB_H / h)), THUMB_H), PILImage.Resampling.LANCZOS, reducing_gap=1.0)


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

    if overlays <= {"overset"} and not any(
            isinstance(m, Marker) and (m.kind == "placeholder" or (m.kind == "overset" and overlays)) for m in page.items):
        return image  # nothing to draw: spare the page two colour conversions and a composite
    # the markers are opaque and drawn on the page itself; the other overlays are translucent, on
    # a layer composited over it (the composite costs 15 ms on a 对开 page at 100 dpi)
    opaque = overlays <= {"overset"}
    out = image.convert("RGB")
    layer = out if opaque else PILImage.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    geo = doc.geometry
    px = lambda v: v * scale  # noqa: E731
    thin = max(1, round(scale * 0.5))
    font = _font(scale)
    if geo is not None and "baselines" in overlays:
        for y in map(px, baselines(page, doc)):
            draw.line([(px(geo.x0), y), (px(geo.x0 + geo.width), y)], fill=COLOURS["baselines"], width=1)
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
    if opaque:
        return out
    out = out.convert("RGBA")
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


def baselines(page: Page, doc: Document) -> list[float]:
    """The y of every body baseline of the grid in the type area (pt from the page's top)."""
    geo = doc.geometry
    if geo is None:
        return []
    offset = baseline_offset(page, doc)
    out = []
    k = 0
    while geo.line_y(k) + offset <= geo.y0 + geo.height + 1e-6:
        out.append(geo.line_y(k) + offset)
        k += 1
    return out


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
