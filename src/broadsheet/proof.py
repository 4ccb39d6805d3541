"""Proof images: the PDF rendered to PNG with pypdfium2 (no external program), with the proof-only
markers of the display list drawn on top (overset spots, missing-image placeholders)."""

from __future__ import annotations

import io
from pathlib import Path

from .cache import write_atomic
from .display import Document, Marker

MARK_COLOURS = {"overset": (220, 0, 0), "placeholder": (0, 120, 220)}


def render_proofs(pdf: bytes, doc: Document, stem: Path, dpi: float = 100) -> list[Path]:
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    scale = dpi / 72
    pdf_doc = pdfium.PdfDocument(pdf)
    written = []
    try:
        for index, page in enumerate(doc.pages):
            image = pdf_doc[index].render(scale=scale).to_pil().convert("RGB")
            draw = ImageDraw.Draw(image)
            for m in page.items:
                if isinstance(m, Marker) and m.kind in MARK_COLOURS:
                    box = [m.x * scale, m.y * scale, (m.x + m.w) * scale, (m.y + m.h) * scale]
                    draw.rectangle(box, outline=MARK_COLOURS[m.kind], width=max(2, int(scale * 1.5)))
                    if m.kind == "overset":
                        x, y = box[2], box[3]
                        r = 4 * scale
                        draw.polygon([(x, y - r), (x + r, y), (x, y + r)], fill=MARK_COLOURS[m.kind])
            path = stem.with_name(f"{stem.name}.png" if len(doc.pages) == 1 else f"{stem.name}-{index + 1}.png")
            buf = io.BytesIO()
            image.save(buf, "PNG", optimize=False)
            write_atomic(path, buf.getvalue())
            written.append(path)
    finally:
        pdf_doc.close()
    return written
