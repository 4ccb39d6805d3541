"""Photos made ready for the press: RGB (and ICC-tagged) pictures converted to the output profile's
CMYK through LittleCMS (Pillow's ImageCms) with the chosen rendering intent, the total ink limited
to the spec's maximum; grayscale kept as DeviceGray; transparency flattened onto white paper (PDF/X-1a
allows none). Conversions are cached on disk, keyed by the picture, the profile, the intent and the
limit, so a rebuild converts nothing it has converted before."""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from pathlib import Path

from broadsheet.cache import cached, digest, file_key
from broadsheet.input.press import Press

INTENTS = {"perceptual": 0, "relative": 1, "saturation": 2, "absolute": 3}
GRAY_MODES = ("1", "L", "LA")


@dataclass(frozen=True)
class Prepared:
    """A picture as it goes into the PDF: Pillow mode (CMYK or L), size, zlib-compressed pixels."""

    mode: str
    size: tuple[int, int]
    pixels: bytes


def prepare(path: Path, press: Press) -> Prepared:
    """The picture at `path` in the press's colour (cached)."""
    key = f"{file_key(path)}|{digest(press.profile)}|{press.intent}|{press.ink_limit:g}"
    return cached("images", key, lambda: _convert(path, press))


def _convert(path: Path, press: Press) -> Prepared:
    from PIL import Image

    with Image.open(path) as im:
        im.load()
        source_icc = im.info.get("icc_profile")
        if im.mode == "CMYK":
            out = limit_ink(im, press.ink_limit)  # already separated: only the ink limit applies
        elif im.mode.startswith("I"):
            # 16-bit gray: Pillow's conversion clips at 255 (a white picture); scale to 8 bits
            out = im.convert("I").point(lambda v: v / 257).convert("L")
        elif im.mode in GRAY_MODES or (im.mode == "P" and _gray_palette(im)):
            out = _on_white(im).convert("L")
        else:
            out = to_cmyk(_on_white(im).convert("RGB"), press.profile, press.intent, source_icc, press.ink_limit)
    return Prepared(out.mode, out.size, zlib.compress(out.tobytes(), 6))


def to_cmyk(rgb, profile: bytes, intent: str, source_icc: bytes | None, ink_limit: float):
    """An RGB picture in the output profile's CMYK (from its own ICC profile, else sRGB), with the
    total ink limited to `ink_limit` percent."""
    from PIL import ImageCms

    dest = ImageCms.ImageCmsProfile(io.BytesIO(profile))
    transform = None
    if source_icc:
        try:
            transform = ImageCms.buildTransform(ImageCms.ImageCmsProfile(io.BytesIO(source_icc)), dest, "RGB", "CMYK",
                                                renderingIntent=INTENTS[intent])
        except (OSError, ImageCms.PyCMSError):
            pass  # a damaged tag, or a profile of another colour space: the picture is read as sRGB, as a browser does
    if transform is None:
        transform = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), dest, "RGB", "CMYK",
                                            renderingIntent=INTENTS[intent])
    return limit_ink(ImageCms.applyTransform(rgb, transform), ink_limit)


def limit_ink(cmyk, ink_limit: float):
    """Pixels whose C+M+Y+K exceeds the limit lose the excess from C, M and Y in proportion (black
    carries the picture's detail and is kept); pixels within the limit are untouched."""
    from PIL import Image, ImageMath

    limit = ink_limit * 255 / 100
    c, m, y, k = (band.convert("F") for band in cmyk.split())
    # (limit - k) / (c + m + y) is at least 1 exactly where the pixel is within the limit
    scale = ImageMath.lambda_eval(
        lambda a: a["max"](a["min"]((a["limit"] - a["k"]) / (a["c"] + a["m"] + a["y"] + 1e-6), 1.0), 0.0),
        c=c, m=m, y=y, k=k, limit=limit)
    # float to 8 bits truncates: a limited pixel never ends a unit above the limit, an untouched one keeps its value
    bands = [ImageMath.lambda_eval(lambda a: a["b"] * a["s"], b=band, s=scale).convert("L") for band in (c, m, y)]
    black = ImageMath.lambda_eval(lambda a: a["min"](a["k"], a["limit"]), k=k, limit=limit).convert("L")
    return Image.merge("CMYK", (*bands, black))


def _on_white(im):
    """The picture composited onto white paper (no alpha channel, no transparent palette entry)."""
    from PIL import Image

    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        paper.alpha_composite(rgba)
        return paper.convert("RGB") if im.mode != "LA" else paper.convert("L")
    return im


def _gray_palette(im) -> bool:
    palette = im.getpalette() or []
    return all(palette[i] == palette[i + 1] == palette[i + 2] for i in range(0, len(palette) - 2, 3))
