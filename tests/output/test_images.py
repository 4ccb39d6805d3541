"""Photos made ready for the press (output/images.py): RGB converted to the output profile's CMYK
with the ink limited, grayscale kept gray, 16-bit gray scaled, transparency flattened onto white
paper, CMYK only limited; and each conversion cached."""

from __future__ import annotations

import os
import zlib

import pytest
from PIL import Image

from broadsheet.input.press import DEFAULT_PROFILE, FALLBACK_DATE, Press
from broadsheet.output.images import limit_ink, prepare, to_cmyk
from broadsheet.stats import COUNTS

PROFILE = DEFAULT_PROFILE.read_bytes()


def _press(ink_limit: float = 240, intent: str = "perceptual") -> Press:
    return Press("x1a", 0.0, (), PROFILE, "newsprint", "CGATS TR 002", "", "", intent, ink_limit, FALLBACK_DATE, False)


def _pixels(prepared) -> Image.Image:
    return Image.frombytes(prepared.mode, prepared.size, zlib.decompress(prepared.pixels))


def test_limit_ink_keeps_pixels_within_the_limit():
    im = Image.new("CMYK", (3, 1))
    for x, px in enumerate([(255, 255, 255, 255), (10, 20, 30, 40), (250, 250, 200, 100)]):
        im.putpixel((x, 0), px)
    out = limit_ink(im, 240)
    assert out.getpixel((1, 0)) == (10, 20, 30, 40)
    for x in (0, 2):
        px = out.getpixel((x, 0))
        assert sum(px) <= 240 * 255 / 100 and px[3] == im.getpixel((x, 0))[3]
        assert sum(px) >= 240 * 255 / 100 - 3  # reduced to the limit, not far below it


def test_limit_ink_takes_the_excess_from_cmy_in_proportion():
    im = Image.new("CMYK", (1, 1), (200, 100, 50, 200))  # 550 of the 612 units a 240 % limit allows … over it
    c, m, y, k = limit_ink(im, 150).getpixel((0, 0))  # 382 units
    assert k == 200 and c + m + y + k <= 383
    assert c / m == pytest.approx(2, abs=0.05) and m / y == pytest.approx(2, abs=0.1)
    assert limit_ink(Image.new("CMYK", (1, 1), (0, 0, 0, 255)), 80).getpixel((0, 0))[3] == 204  # black alone: cut too


def test_an_rgb_photo_is_converted_and_limited(tmp_path):
    im = Image.new("RGB", (4, 2), (0, 0, 0))
    im.putpixel((0, 0), (230, 20, 30))
    im.save(tmp_path / "rgb.png")
    prepared = prepare(tmp_path / "rgb.png", _press(200))
    out = _pixels(prepared)
    assert (prepared.mode, prepared.size) == ("CMYK", (4, 2))
    assert out.getpixel((0, 0)) == to_cmyk(Image.new("RGB", (1, 1), (230, 20, 30)), PROFILE, "perceptual", None, 200).getpixel((0, 0))
    assert sum(out.getpixel((3, 1))) * 100 / 255 <= 200  # black, which this profile prints with more ink


@pytest.mark.parametrize("mode, value, expected", [("L", 77, 77), ("1", 1, 255), ("I;16", 32896, 128)])
def test_gray_stays_gray(tmp_path, mode, value, expected):
    Image.new(mode, (3, 3), value).save(tmp_path / "gray.png")
    prepared = prepare(tmp_path / "gray.png", _press())
    assert prepared.mode == "L" and _pixels(prepared).getextrema() == (expected, expected)


def test_transparency_is_flattened_onto_white_paper(tmp_path):
    rgba = Image.new("RGBA", (2, 1), (0, 0, 0, 255))
    rgba.putpixel((1, 0), (0, 0, 0, 0))
    rgba.save(tmp_path / "rgba.png")
    assert _pixels(prepare(tmp_path / "rgba.png", _press())).getpixel((1, 0)) == (0, 0, 0, 0)  # paper: no ink
    la = Image.new("LA", (2, 1), (0, 255))
    la.putpixel((1, 0), (0, 0))
    la.save(tmp_path / "la.png")
    prepared = prepare(tmp_path / "la.png", _press())
    assert prepared.mode == "L" and list(_pixels(prepared).tobytes()) == [0, 255]


def test_a_palette_picture_is_gray_only_if_its_palette_is(tmp_path):
    gray = Image.new("L", (2, 2), 90).convert("P")
    gray.save(tmp_path / "gray-p.png")
    assert prepare(tmp_path / "gray-p.png", _press()).mode == "L"
    colour = Image.new("RGB", (2, 2), (200, 30, 30)).convert("P")
    colour.save(tmp_path / "colour-p.png")
    assert prepare(tmp_path / "colour-p.png", _press()).mode == "CMYK"


def test_a_cmyk_photo_is_only_limited(tmp_path):
    im = Image.new("CMYK", (2, 1), (10, 20, 30, 40))
    im.putpixel((1, 0), (255, 255, 255, 255))
    im.save(tmp_path / "cmyk.jpg", quality=100)
    out = _pixels(prepare(tmp_path / "cmyk.jpg", _press(240)))
    with Image.open(tmp_path / "cmyk.jpg") as decoded:
        assert out.getpixel((0, 0)) == decoded.getpixel((0, 0))  # not converted again
    assert sum(out.getpixel((1, 0))) <= 240 * 255 / 100


def test_a_damaged_colour_profile_is_read_as_srgb():
    grey = Image.new("RGB", (1, 1), (60, 60, 60))
    assert (to_cmyk(grey, PROFILE, "relative", b"not a profile", 240).getpixel((0, 0))
            == to_cmyk(grey, PROFILE, "relative", None, 240).getpixel((0, 0)))


def test_conversions_are_cached_by_picture_profile_intent_and_limit(tmp_path):
    Image.new("RGB", (8, 8), (20, 120, 200)).save(tmp_path / "p.png")
    path = tmp_path / "p.png"

    def misses(press) -> int:
        before = COUNTS["images miss"]
        prepare(path, press)
        return COUNTS["images miss"] - before

    assert misses(_press()) == 1
    assert misses(_press()) == 0  # the same conversion again
    assert misses(_press(ink_limit=200)) == 1
    assert misses(_press(intent="relative")) == 1
    stamp = path.stat().st_mtime_ns
    Image.new("RGB", (8, 8), (200, 120, 20)).save(path)  # the picture edited
    os.utime(path, ns=(stamp + 10 ** 9, stamp + 10 ** 9))  # (on a coarse clock too)
    assert misses(_press()) == 1
