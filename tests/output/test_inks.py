"""The colour operators of a page's content (output/inks.py): DeviceCMYK for a plain PDF; for the
press, spot colours as Separation spaces and 100 K black overprinting, each change of state
written once, before the colour that needs it."""

from __future__ import annotations

from broadsheet.colours import BLACK, Spot
from broadsheet.output.inks import Inks

RED = (0.0, 100.0, 100.0, 0.0)
PANTONE = Spot("PANTONE 485 C", (0, 95, 100, 0), 50)


def test_a_plain_pdf_paints_everything_in_cmyk():
    inks = Inks()
    assert inks.fill(BLACK) == "0 0 0 1 k"
    assert inks.stroke((12.5, 0, 33.333, 100)) == "0.125 0 0.3333 1 K"
    assert inks.fill(PANTONE) == "0 0.475 0.5 0 k"  # the spot's alternate at its tint
    assert inks.knockout() == ""
    assert inks.spots == {} and not inks.used_states


def test_black_overprints_and_the_next_colour_knocks_out_again():
    inks = Inks(press=True)
    assert inks.fill(RED) == "0 1 1 0 k"  # a page starts knocking out: nothing to switch
    assert inks.fill(BLACK) == "/BS-OP gs 0 0 0 1 k"
    assert inks.stroke(BLACK) == "0 0 0 1 K"  # still overprinting: no second gs
    assert inks.fill((0, 0, 0, 100)) == ""  # black already: the graphics state keeps it
    assert inks.fill(RED) == "/BS-KO gs 0 1 1 0 k"
    assert inks.used_states


def test_before_an_image_and_on_a_new_page_the_state_is_knockout():
    inks = Inks(press=True)
    inks.fill(BLACK)
    assert inks.knockout() == "/BS-KO gs "
    assert inks.knockout() == ""  # once
    inks.fill(BLACK)
    inks.page()  # a new page's content starts in the default state …
    assert inks.fill(BLACK) == "/BS-OP gs 0 0 0 1 k"  # … so overprint is switched on again there


def test_spot_colours_are_separations_numbered_by_first_use():
    inks = Inks(press=True)
    red_ink = Spot("报头红", (0, 100, 100, 10), 15)
    assert inks.fill(PANTONE) == "/BS-Sep1 cs 0.5 scn"
    assert inks.stroke(red_ink) == "/BS-Sep2 CS 0.15 SCN"
    assert inks.fill(Spot("PANTONE 485 C", (0, 95, 100, 0))) == "/BS-Sep1 cs 1 scn"  # the same ink, full strength
    assert inks.spots == {"PANTONE 485 C": (0, 95, 100, 0), "报头红": (0, 100, 100, 10)}


def test_one_ink_named_with_two_alternates_keeps_the_first():
    inks = Inks(press=True)
    inks.fill(Spot("PANTONE 485 C", (0, 95, 100, 0)))
    assert inks.separation(Spot("PANTONE 485 C", (0, 90, 90, 0))) == "BS-Sep1"
    assert inks.spots == {"PANTONE 485 C": (0, 95, 100, 0)}  # one ink, one plate


def test_a_spot_black_knocks_out():
    inks = Inks(press=True)
    inks.fill(BLACK)
    assert inks.fill(Spot("Black ink", (0, 0, 0, 100))) == "/BS-KO gs /BS-Sep1 cs 1 scn"
