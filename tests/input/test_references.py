"""The files a spec names (input/references.py), read from its raw YAML data so that they are found
even when the spec does not validate: style sheets, one entry per story, placed images and the
output profile, each with its place in the spec and its path resolved against the spec's folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.input.references import Reference, references


def test_every_kind_of_reference_with_its_place(tmp_path):
    data = {
        "styles": ["styles/newspaper.yaml", "extra.yaml"],
        "stories": [
            {"story": "a.md", "images": [{"file": "pics/a.jpg", "columns": 1}, {"figure": 1}]},
            {"story": "../shared/b.md"},
        ],
        "output": {"profile": "/opt/icc/plant.icc"},
    }
    refs = references(data, tmp_path)
    assert refs.sheets == [Reference(("styles", 0), "styles/newspaper.yaml", tmp_path / "styles" / "newspaper.yaml"),
                           Reference(("styles", 1), "extra.yaml", tmp_path / "extra.yaml")]
    assert refs.stories == [Reference(("stories", 0, "story"), "a.md", tmp_path / "a.md"),
                            Reference(("stories", 1, "story"), "../shared/b.md", tmp_path.parent / "shared" / "b.md")]
    assert refs.images == [Reference(("stories", 0, "images", 0, "file"), "pics/a.jpg", tmp_path / "pics" / "a.jpg")]
    assert refs.profile == Reference(("output", "profile"), "/opt/icc/plant.icc", Path("/opt/icc/plant.icc"))
    assert refs.files() == {tmp_path / "styles" / "newspaper.yaml", tmp_path / "extra.yaml", tmp_path / "a.md",
                            tmp_path.parent / "shared" / "b.md", tmp_path / "pics" / "a.jpg", Path("/opt/icc/plant.icc")}


def test_one_style_sheet_written_alone():
    refs = references({"styles": "s.yaml"}, Path("/p"))
    assert refs.sheets == [Reference(("styles",), "s.yaml", Path("/p/s.yaml"))]


def test_values_of_the_wrong_kind_are_skipped_but_keep_the_story_count():
    """Validation reports them; a story entry without a file name is None, so that the stories
    still line up with the spec's entries."""
    data = {"styles": ["a.yaml", 5, None, {"x": 1}], "stories": [{"frame": {}}, "b.md", {"story": 3},
                                                                 {"story": "c.md", "images": "d.jpg"},
                                                                 {"story": "e.md", "images": [5, {"file": None}]}],
            "output": {"profile": ["x.icc"]}}
    refs = references(data, Path("/p"))
    assert [r.name for r in refs.sheets] == ["a.yaml"]
    assert [r.name if r else None for r in refs.stories] == [None, None, None, "c.md", "e.md"]
    assert refs.images == [] and refs.profile is None
    assert refs.files() == {Path("/p/a.yaml"), Path("/p/c.md"), Path("/p/e.md")}


@pytest.mark.parametrize("data", [None, [], "text", {"stories": "a.md", "output": "x"}])
def test_data_that_is_no_spec_names_nothing(data):
    refs = references(data, Path("/p"))
    assert (refs.sheets, refs.stories, refs.images, refs.profile) == ([], [], [], None)


def test_paths_are_resolved_through_symlinks(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    [story] = references({"stories": [{"story": "link/a.md"}]}, tmp_path).stories
    assert story.path == tmp_path.resolve() / "real" / "a.md" and story.name == "link/a.md"
