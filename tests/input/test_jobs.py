"""What the loaded project hands to page layout (input/jobs.py): per story its frame in grid units,
headline, photo slots, styles and box, validated and resolved to the grid, with the spec lines
they came from."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from broadsheet.diagnostics import Pos
from broadsheet.input.jobs import BoxStyle, PhotoJob, Segment
from broadsheet.input.load import ELEMENTS
from broadsheet.input.project import load_project

from conftest import MINI_SPEC

FRAME = "frame: {columns: 1-4, top: 0, bottom: end}"


def _job(mini, story_entry: str, spec: str = MINI_SPEC):
    """The one job of the small project with its story entry's frame line replaced."""
    mini.spec(spec.replace(FRAME, story_entry))
    project = load_project(Path("spec.yaml"))
    [job] = project.jobs
    return job, project


def test_a_frame_in_grid_units(mini):
    """A4 with 15 mm margins and a 14 pt line: 54 lines a column; 20 mm rounds up to 5 lines."""
    job, _ = _job(mini, "frame: [{columns: 1-2, top: 3, bottom: 20mm}, {columns: 1-4, page: 2}]")
    assert job.segments == [Segment(1, 1, 2, 3, 5), Segment(2, 1, 4, 0, 54)]
    assert job.segments[0].bottom == 5 and job.segments[1].page == 2  # by name, as layout reads them


def test_the_story_its_defaults_and_its_place(mini):
    job, _ = _job(mini, FRAME)
    assert job.name == "story" and job.story.file == "story.md"
    assert (job.headline_cols, job.headline_align, job.box, job.rules, job.rule_weight) == ((1, 4), "center", None, [], 0.5)
    assert (job.column_rules, job.balance_columns, job.reading, job.grid, job.vertical_title) == (
        False, False, "auto", True, False)
    assert job.roles == {e: e for e in ELEMENTS}
    assert job.source == Pos("spec.yaml", *mini.pos("spec.yaml", "story: story.md"))


def test_headline_box_rules_and_styles(mini):
    mini.write("extra.yaml", "paragraph:\n  lead:\n    based_on: body\n")
    job, _ = _job(mini, FRAME + "\n    headline: {columns: 1-3, align: left, vertical: true}\n"
                        "    box: {weight: 1pt, inset: 1字, tint: [0, 0, 20, 0]}\n    rules: [top, left]\n"
                        "    rule_weight: 2pt\n    column_rules: true\n    balance: true\n    styles: {body: lead}",
                  MINI_SPEC.replace("styles: styles.yaml", "styles: [styles.yaml, extra.yaml]"))
    assert (job.headline_cols, job.headline_align, job.vertical_title) == ((1, 3), "left", True)
    assert job.box == BoxStyle(1.0, 9.0, (0.0, 0.0, 0.0, 100.0), (0.0, 0.0, 20.0, 0.0))  # 1字 of the 9 pt body
    assert (job.rules, job.rule_weight, job.column_rules, job.balance_columns) == (["top", "left"], 2.0, True, True)
    assert job.roles["body"] == "lead" and job.roles["title"] == "title"


def test_photo_slots(mini):
    Image.new("RGB", (400, 300)).save(mini.root / "p.jpg")
    job, project = _job(mini, FRAME + "\n    images:\n"
                              "      - {file: p.jpg, columns: 3-4, top: 10, lines: 8, caption: 图, fit: fit, focal: [0.2, 0.8]}\n"
                              "      - {columns: 1, lines: 5}")
    photo, placeholder = job.photos
    assert photo == PhotoJob(1, (3, 4), 10, 8, (mini.root / "p.jpg").resolve(), "p.jpg", "图", None, "fit", (0.2, 0.8),
                             (400, 300), Pos("spec.yaml", *mini.pos("spec.yaml", "{file: p.jpg")))
    assert (placeholder.top, placeholder.path, placeholder.display, placeholder.pixels) == (-1, None, "(no file)", None)
    assert [w.code for w in project.warnings] == ["image-missing"]  # drawn as a marked placeholder
    assert (mini.root / "p.jpg").resolve() in project.files


def test_a_photo_takes_its_file_and_caption_from_the_storys_figure(mini):
    Image.new("RGB", (60, 40)).save(mini.root / "fig.png")
    mini.write("story.md", mini.texts["story.md"] + '\n![图说文字](fig.png "新华社记者 摄")\n')
    job, _ = _job(mini, FRAME + "\n    images:\n      - {figure: 1, columns: 1-2, top: 20, lines: 10}")
    [photo] = job.photos
    assert (photo.path, photo.caption, photo.credit, photo.pixels) == ((mini.root / "fig.png").resolve(), "图说文字",
                                                                      "新华社记者 摄", (60, 40))


@pytest.mark.parametrize("entry, words", [
    ("images:\n      - {figure: 2, columns: 1-2, lines: 5}", "the story has 0 figure(s), not 2"),
    ("images:\n      - {columns: 4-5, lines: 5}", "image columns 4-5 leave the page (4 columns)"),
    ("images:\n      - {columns: 1, top: 50, lines: 5}", "image lines 50-55 leave the type area (54 lines)"),
    ("images:\n      - {columns: 1, lines: 60}", "image lines under the headline, 60 lines high, leave the type area"),
    ("headline: {columns: 3-6}", "headline columns 3-6 leave the page (4 columns)"),
])
def test_slots_and_headlines_that_leave_the_page(mini, entry, words):
    mini.spec(MINI_SPEC.replace(FRAME, FRAME + "\n    " + entry))
    errors = mini.errors()
    assert len(errors) == 1 and words in errors[0], errors
