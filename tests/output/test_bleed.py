"""Bleed (output/bleed.py): a tint box or photo touching the trim is printed beyond it by the bleed,
the photo's picture scaled about its centre to cover the larger slot; text, rules and outlines
never bleed."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.display import Box, Image as ImageItem, Rule
from broadsheet.output.bleed import extend

MM = 72 / 25.4
W, H, BLEED = 500.0, 700.0, 3 * MM
TINT = (0, 0, 20, 0)


def test_what_touches_the_trim_bleeds():
    page_w, page_h, bleed = 500.0, 700.0, 3 * MM
    tint = Box(0, 100, 200, 50, fill=(0, 0, 20, 0))
    grown = extend(tint, page_w, page_h, bleed)
    assert (grown.x, grown.y, grown.w, grown.h) == pytest.approx((-bleed, 100, 200 + bleed, 50))
    assert extend(Box(10, 10, 20, 20, fill=(0, 0, 20, 0)), page_w, page_h, bleed) == Box(10, 10, 20, 20, fill=(0, 0, 20, 0))
    assert extend(Box(0, 0, 20, 20, stroke=(0, 0, 0, 100)), page_w, page_h, bleed).x == 0  # an outline never bleeds
    photo = ImageItem(300, 600, 200, 100, Path("p.jpg"), (300, 600, 200, 100), 300)
    grown = extend(photo, page_w, page_h, bleed)
    assert (grown.x, grown.y, grown.w, grown.h) == pytest.approx((300, 600, 200 + bleed, 100 + bleed))
    px, py, pw, ph = grown.placed  # the picture still covers the grown slot
    assert px <= grown.x and py <= grown.y and px + pw >= grown.x + grown.w and py + ph >= grown.y + grown.h


def test_a_box_over_the_whole_page_bleeds_on_every_side():
    grown = extend(Box(0, 0, W, H, fill=TINT, stroke=(0, 0, 0, 100), width=1), W, H, BLEED)
    assert (grown.x, grown.y, grown.w, grown.h) == pytest.approx((-BLEED, -BLEED, W + 2 * BLEED, H + 2 * BLEED))
    assert (grown.fill, grown.stroke, grown.width) == (TINT, (0, 0, 0, 100), 1)  # only the geometry changes


@pytest.mark.parametrize("box, grows", [
    (Box(0.4, 100, 100, 100, fill=TINT), "left"),  # within half a point of the trim: touching it
    (Box(0.6, 100, 100, 100, fill=TINT), None),
    (Box(100, 100, 100, H - 100.4, fill=TINT), "bottom"),
    (Box(100, 100, 100, H - 100.6, fill=TINT), None),
    (Box(W - 100, 100, 99.5, 100, fill=TINT), "right"),
])
def test_touching_is_within_half_a_point(box, grows):
    grown = extend(box, W, H, BLEED)
    assert grown.y == box.y  # (none of these touches the top)
    sides = {"left": grown.x < box.x, "right": grown.x + grown.w > box.x + box.w + 1e-9,
             "bottom": grown.y + grown.h > box.y + box.h + 1e-9}
    assert [side for side, moved in sides.items() if moved] == ([grows] if grows else [])


def test_nothing_bleeds_without_a_bleed_nor_what_is_not_a_tint_or_photo():
    box = Box(0, 0, 100, 100, fill=TINT)
    assert extend(box, W, H, 0) is box
    rule = Rule(0, 10, W, 10, 1, (0, 0, 0, 100))
    assert extend(rule, W, H, BLEED) is rule  # a rule along the whole page stops at the trim


def test_the_picture_is_scaled_about_its_centre_to_cover_the_grown_slot():
    """A photo filling a corner slot exactly: the slot grows by the bleed left and top, and the
    picture by the same factor on both axes, its centre kept (no distortion, still covering)."""
    photo = ImageItem(0, 0, 200, 100, Path("p.jpg"), (0, 0, 200, 100), 300)
    grown = extend(photo, W, H, BLEED)
    assert (grown.x, grown.y, grown.w, grown.h) == pytest.approx((-BLEED, -BLEED, 200 + BLEED, 100 + BLEED))
    px, py, pw, ph = grown.placed
    assert pw / ph == pytest.approx(2.0)  # the picture's own proportions
    assert (px + pw / 2, py + ph / 2) == pytest.approx((100, 50))  # about its centre
    assert px <= -BLEED + 1e-9 and py <= -BLEED + 1e-9 and px + pw >= 200 - 1e-9 and py + ph >= 100 - 1e-9
    scale = pw / 200
    assert scale == pytest.approx(max((100 + BLEED) / 100, (50 + BLEED) / 50))  # just enough: the tighter side


def test_a_picture_already_larger_than_its_grown_slot_is_not_scaled():
    """A photo cropped in its slot (fill: the picture overhangs it) may already cover the bleed."""
    photo = ImageItem(0, 100, 200, 100, Path("p.jpg"), (-50, 100, 300, 100), 300)
    grown = extend(photo, W, H, BLEED)
    assert grown.x == pytest.approx(-BLEED) and grown.placed == pytest.approx((-50, 100, 300, 100))
