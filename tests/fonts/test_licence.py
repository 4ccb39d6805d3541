"""The font licence rule (fonts/licence.py): which OS/2 fsType flags let broadsheet embed a subset
of a font's outlines, and the reason given for each that does not."""

from __future__ import annotations

import pytest

from broadsheet.fonts.licence import licence_problem
from broadsheet.fonts.read import read_face

from conftest import small_truetype


@pytest.mark.parametrize("fs_type", [
    0x0000,  # installable
    0x0004,  # preview & print
    0x0008,  # editable
    0x000A,  # restricted and editable: the least restrictive bit applies
    0x0006,  # restricted and preview & print: likewise
    0x0004 | 0x0400,  # with reserved bits a newer version may define
])
def test_fonts_that_may_be_embedded_and_subset(fs_type):
    assert licence_problem(fs_type) is None


@pytest.mark.parametrize("fs_type, reason", [
    (0x0002, "forbids embedding it (OS/2 fsType restricted licence)"),
    (0x0102, "forbids embedding it"),  # restricted says it all
    (0x0202, "forbids embedding it"),
    (0x0200, "allows only its bitmaps to be embedded (OS/2 fsType 0x0200)"),
    (0x0300, "allows only its bitmaps"),  # no outlines at all: the worse of the two
    (0x0108, "forbids subsetting it, and broadsheet embeds subsets (OS/2 fsType 0x0100)"),
    (0x0100, "forbids subsetting it"),
])
def test_fonts_that_may_not(fs_type, reason):
    problem = licence_problem(fs_type)
    assert problem is not None and problem.startswith("its licence ") and reason in problem


@pytest.mark.parametrize("fs_type, embeddable", [(0x0000, True), (0x0002, False), (0x0100, False), (0x0008, True)])
def test_a_face_is_embeddable_as_its_flags_say(tmp_path, fs_type, embeddable):
    path = tmp_path / "flags.ttf"
    small_truetype("Flags", 600, fs_type=fs_type).save(path)
    face = read_face(path, 0)
    assert face.fs_type == fs_type and face.embeddable is embeddable
