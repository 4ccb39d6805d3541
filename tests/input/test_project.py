"""The loaded project (input/project.py): the spec, its style sheets, stories, fonts and images read
and validated in full, every problem an error at the exact file:line:col of what we wrote, all of
them reported in one run; and what it resolves for layout."""

from __future__ import annotations

from pathlib import Path

from fontTools.ttLib import TTCollection

from broadsheet.input.project import load_project

from conftest import small_truetype


def _pair(folder: Path) -> Path:
    """A collection of two small faces, 'First Face' and 'Second Face', free to embed."""
    path = folder / "pair.ttc"
    collection = TTCollection()
    collection.fonts = [small_truetype("First Face", 600, fs_type=0), small_truetype("Second Face", 700, fs_type=0)]
    collection.save(path)
    return path


def test_a_style_names_a_collection_face_by_path(mini):
    _pair(mini.root)
    styles = mini.texts["styles.yaml"]
    mini.write("styles.yaml", styles.replace("  书宋: Noto Serif CJK SC\n", "  书宋: pair.ttc#Second Face\n", 1))
    project = load_project(Path("spec.yaml"))
    assert [(f.family, f.index) for f in project.chains["书宋"].faces][:2] == [("Second Face", 1), ("Noto Serif CJK SC", 0)]
    assert (mini.root / "pair.ttc").resolve() in project.files  # watch mode rebuilds when it changes
    mini.write("styles.yaml", styles.replace("  书宋: Noto Serif CJK SC\n", "  书宋: pair.ttc\n", 1))
    project = load_project(Path("spec.yaml"))  # the first face, and a warning that says which
    assert project.chains["书宋"].faces[0].index == 0
    assert [str(w) for w in project.warnings if w.code == "font"] == [
        f"{mini.at('styles.yaml', 'pair.ttc')}: warning: font 'pair.ttc' is a collection: its first face, First Face, "
        "is used; name the face, e.g. 'pair.ttc#0' or 'pair.ttc#First Face' (`broadsheet fonts` "
        "lists the faces)"]
    mini.write("styles.yaml", styles.replace("  书宋: Noto Serif CJK SC\n", "  书宋: pair.ttc#5\n", 1))
    errors = mini.errors()
    line = mini.pos("styles.yaml", "  书宋:")[0]
    assert any(e.startswith(f"styles.yaml:{line}:") and "pair.ttc: it has 2 faces, numbered 0 to 1, not 5" in e
               for e in errors), errors
