"""Colours as the press sees them: a spot colour is its CMYK alternate at its tint, yet another
ink than the process colour of the same numbers; total ink coverage; and which colours overprint."""

from __future__ import annotations

import copy
import pickle

import pytest

from broadsheet.colours import BLACK, Spot, coverage, overprints


def test_a_spot_colour_is_its_alternate_at_its_tint():
    spot = Spot("PANTONE 485 C", (0, 95, 100, 0), 50)
    assert tuple(spot) == (0, 47.5, 50, 0)
    assert (spot.name, spot.tint, spot.alternate) == ("PANTONE 485 C", 50.0, (0.0, 95.0, 100.0, 0.0))
    assert tuple(Spot("报头红", (0, 100, 100, 10))) == (0, 100, 100, 10)  # full strength by default
    assert tuple(Spot("x", (33.3333, 0, 0, 0), 33)) == (11.0, 0, 0, 0)  # rounded to 4 places


def test_a_spot_colour_is_not_the_process_colour_of_the_same_numbers():
    spot = Spot("PANTONE 485 C", (0, 95, 100, 0))
    assert spot != (0, 95, 100, 0) and (0.0, 95.0, 100.0, 0.0) != spot
    assert spot == Spot("PANTONE 485 C", (0, 95, 100, 0), 100)
    assert spot != Spot("PANTONE 186 C", (0, 95, 100, 0))  # another ink
    assert spot != Spot("PANTONE 485 C", (0, 95, 100, 0), 50)  # another tint
    assert len({spot, Spot("PANTONE 485 C", (0, 95, 100, 0)), (0.0, 95.0, 100.0, 0.0)}) == 2


@pytest.mark.parametrize("clone", [copy.copy, copy.deepcopy, lambda s: pickle.loads(pickle.dumps(s))])
def test_copies_and_pickles_keep_the_ink(clone):
    """The layout cache pickles display lists: a spot colour must come back as the same ink."""
    spot = Spot("报头红", (0, 100, 100, 10), 15)
    again = clone(spot)
    assert isinstance(again, Spot) and again == spot
    assert (again.name, again.tint, again.alternate, tuple(again)) == (spot.name, 15.0, spot.alternate, tuple(spot))


def test_repr_names_the_ink():
    assert repr(Spot("PANTONE 485 C", (0, 95, 100, 0), 50)) == "Spot('PANTONE 485 C', (0.0, 95.0, 100.0, 0.0), 50)"


def test_coverage_is_the_sum_of_the_inks():
    assert coverage((80, 80, 80, 100)) == 340.0
    assert coverage((0, 0, 0, 0)) == 0.0
    assert coverage(Spot("x", (0, 100, 100, 0), 50)) == 100.0  # the alternate at its tint


@pytest.mark.parametrize("colour, expected", [
    (BLACK, True),
    ((0, 0, 0, 100), True),  # integers, as a style sheet writes them
    ((0, 0, 0, 99), False),
    ((40, 30, 30, 100), False),  # rich black knocks out
    ((0, 0, 0, 0), False),  # reversed-out white
    (Spot("Black ink", (0, 0, 0, 100)), False),  # a spot ink, even with a black alternate
])
def test_only_100_k_overprints(colour, expected):
    assert overprints(colour) is expected
