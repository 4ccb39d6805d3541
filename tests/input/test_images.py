"""Placed pictures checked before layout (input/images.py): a readable JPEG or PNG within the pixel
limit gives its size in pixels; anything else a reason, read from the header alone for a picture
that declares too many pixels (a decompression bomb)."""

from __future__ import annotations

import struct
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image

from broadsheet.input.images import MAX_PIXELS, image_info


def _png_header(width: int, height: int) -> bytes:
    """A PNG signature and header declaring `width` × `height`, with one tiny data chunk."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("name, mode", [("a.png", "RGB"), ("b.jpg", "RGB"), ("c.png", "LA"), ("d.jpg", "CMYK"),
                                        ("e.png", "I;16")])
def test_a_readable_picture_gives_its_size(tmp_path, name, mode):
    Image.new(mode, (120, 80)).save(tmp_path / name)
    assert image_info(tmp_path / name) == (None, (120, 80))


def test_the_kind_is_read_from_the_file_not_its_name(tmp_path):
    Image.new("RGB", (30, 20)).save(tmp_path / "really.png", format="JPEG")
    assert image_info(tmp_path / "really.png") == (None, (30, 20))
    Image.new("RGB", (30, 20)).save(tmp_path / "anim.png", format="GIF")
    assert image_info(tmp_path / "anim.png") == ("is a GIF file, not JPEG or PNG", None)


@pytest.mark.parametrize("content", [b"", b"not a picture", b"\x89PNG\r\n\x1a\n" + b"\0" * 30])
def test_a_file_that_is_no_picture(tmp_path, content):
    (tmp_path / "x.png").write_bytes(content)
    problem, size = image_info(tmp_path / "x.png")
    assert size is None and problem.startswith("cannot be read as an image (")
    assert problem.endswith("); export it again as JPEG or PNG")


def test_a_damaged_png_is_found_by_its_checksums(tmp_path):
    Image.new("RGB", (50, 50), (200, 10, 10)).save(tmp_path / "ok.png")
    data = bytearray((tmp_path / "ok.png").read_bytes())
    idat = data.index(b"IDAT")
    data[idat + 6] ^= 0xFF  # a byte of the compressed pixels: the chunk's CRC no longer matches
    (tmp_path / "bad.png").write_bytes(bytes(data))
    problem, size = image_info(tmp_path / "bad.png")
    assert size is None and problem.startswith("cannot be read as an image")


@pytest.mark.parametrize("width, height", [(15_000, 10_000), (30_000, 30_000)])  # past the limit; past twice it
def test_too_many_pixels_are_refused_from_the_header(tmp_path, width, height):
    (tmp_path / "big.png").write_bytes(_png_header(width, height))
    t0 = time.perf_counter()
    assert image_info(tmp_path / "big.png") == ("has more pixels than the limit of 100 million; scale it down for print",
                                                None)
    assert time.perf_counter() - t0 < 0.5  # nothing decoded


def test_the_limit_itself_is_allowed(tmp_path):
    (tmp_path / "edge.png").write_bytes(_png_header(10_000, MAX_PIXELS // 10_000))
    problem, size = image_info(tmp_path / "edge.png")
    assert "more pixels" not in (problem or "")  # (its data is a stub: refused as unreadable, not as too big)


def test_the_limit_guards_every_later_decode(tmp_path):
    """Pillow's own limit is the build's (the PDF writer and the preflight open pictures too): 95
    million pixels, past Pillow's default of 89 million, open without a warning; twice the limit
    is refused."""
    import warnings

    (tmp_path / "large.png").write_bytes(_png_header(9_500, 10_000))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        Image.open(tmp_path / "large.png").close()
    (tmp_path / "big.png").write_bytes(_png_header(20_001, 10_000))
    with pytest.raises(Image.DecompressionBombError):
        Image.open(tmp_path / "big.png")


def test_a_missing_file(tmp_path):
    problem, size = image_info(Path(tmp_path / "none.jpg"))
    assert size is None and "No such file" in problem
