"""Placed pictures: what the build checks before layout (a readable JPEG or PNG, within the pixel
limit) and the size in pixels that layout scales.

Pillow reads only a file's header when it opens it and checks its pixel limit there, before
anything is decoded, so a small file whose header declares a huge picture (a decompression bomb)
costs nothing. The limit is set here explicitly, as Pillow's own, so that it also guards every
later decode (the PDF writer, the preflight).
"""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image as PILImage, UnidentifiedImageError

#: The largest picture placed, in pixels: a full broadsheet page (390 × 540 mm) at 400 ppi is
#: 51 million; 100 million is a medium-format camera's frame. A bigger one would take gigabytes
#: to decode.
MAX_PIXELS = 100_000_000
PILImage.MAX_IMAGE_PIXELS = MAX_PIXELS


def image_info(path: Path) -> tuple[str | None, tuple[int, int] | None]:
    """Why a picture cannot be placed (not a readable JPEG/PNG, too many pixels), or its size in pixels."""
    try:
        with warnings.catch_warnings():
            # Pillow warns past its limit and refuses past twice that: both are a refusal here
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(path) as im:
                if im.format not in ("JPEG", "PNG"):
                    return f"is a {im.format} file, not JPEG or PNG", None
                size = im.size
                im.verify()
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        return f"has more pixels than the limit of {MAX_PIXELS // 1_000_000} million; scale it down for print", None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        return f"cannot be read as an image ({exc}); export it again as JPEG or PNG", None
    return None, size
