"""What the browser is shown after a build: the page images and item map of the last good build,
and the errors of the last build if it failed (drawn over that last good proof).

A snapshot is made in the watcher's thread right after each build and never changed afterwards,
so the server's request handlers can read the current one without locks, and a page image always
belongs to the map it is shown with.

The pages are rendered from the PDF just written (output/proof.py, as the PNG proofs are) and kept
in memory as uncompressed BMP: lossless like PNG, but encoding a 对开 page at 100 dpi as PNG takes
120–370 ms on this machine, while a BMP is pdfium's own buffer behind a 54-byte header (rows of
BGR, top-down), and moving its 10 MB over the loopback is quicker than either. Every mark (frames,
slots, quality, placeholders) is drawn by the browser instead.
"""

from __future__ import annotations

import json
import struct
import time
from dataclasses import dataclass, field
from typing import Any

from broadsheet.output.proof import page_bitmaps
from broadsheet.tools.serve.pagemap import Places, diagnostic, page_map
from broadsheet.tools.watch import Watcher


@dataclass(frozen=True)
class Snapshot:
    version: int  # the build it follows (every build counts, good or failed)
    good: int  # the build whose proof it shows (0: none succeeded yet)
    images: tuple[bytes, ...] = ()  # BMP, one per page
    state: str = "{}"  # the JSON the browser draws from
    base: dict[str, Any] = field(default_factory=dict)  # the good build's map (pages, stories, warnings)
    places: Places | None = None


def bmp(bitmap) -> bytes:
    """A pypdfium2 bitmap (BGR) as a BMP file: a top-down 24-bit image whose rows are the bitmap's."""
    width, height, stride = bitmap.width, bitmap.height, bitmap.stride
    assert bitmap.mode == "BGR", bitmap.mode
    row = (width * 3 + 3) // 4 * 4  # BMP rows are padded to 4 bytes
    pixels = memoryview(bitmap.buffer).cast("B")
    if stride == row:
        body = bytes(pixels[:row * height])
    else:
        pad = bytes(row - width * 3)
        body = b"".join(bytes(pixels[y * stride:y * stride + width * 3]) + pad for y in range(height))
    header = struct.pack("<2sIHHI", b"BM", 54 + len(body), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, width, -height, 1, 24, 0, len(body), 2835, 2835, 0, 0)
    return header + info + body


def take(w: Watcher, previous: Snapshot | None, editor: bool) -> Snapshot:
    """The snapshot after the watcher's latest build (`previous`: the one before it)."""
    version = w.builds
    t0 = time.perf_counter()
    if w.ok and w.outcome is not None:
        outcome = w.outcome
        doc = outcome.result.document
        base, places = page_map(doc, outcome.project.jobs, outcome.result.stories, str(w.spec), outcome.warnings)
        images = tuple(bmp(b) for b in page_bitmaps(outcome.output.read_bytes(), len(doc.pages), w.options.dpi))
        good = version
    else:
        good = previous.good if previous else 0
        base = previous.base if previous else {}
        images = previous.images if previous else ()
        places = previous.places if previous else None
    state = {
        "version": version,
        "good": good,
        "ok": w.ok,
        "time": time.strftime("%H:%M:%S"),
        "seconds": round(w.last_seconds + time.perf_counter() - t0, 3),  # build and page images
        "spec": str(w.spec),
        "editor": editor,
        "pages": base.get("pages", []),
        "stories": base.get("stories", []),
        "problems": base.get("problems", []),
        "errors": [diagnostic(d, places) for d in w.errors],
    }
    return Snapshot(version, good, images, json.dumps(state, ensure_ascii=False, separators=(",", ":")), base, places)
