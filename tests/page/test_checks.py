"""What would stop a press is an error (exit 2 from build, an error item in check), named as what it
is and at the line that caused it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from broadsheet.tools.check import preflight

from conftest import MINI_SPEC, ROOT, run_cli


def body_style(mini, prop: str, value: str) -> None:
    styles = mini.texts["styles.yaml"].replace("  body:\n    font: 书宋\n", f"  body:\n    {prop}: {value}\n    font: 书宋\n", 1)
    mini.write("styles.yaml", styles)


@pytest.mark.parametrize("value,words", [("0行", "must be more than 0"), ("-1行", "must be more than 0"),
                                         ("5pt", "smaller than its 9pt text")])
def test_a_leading_that_overprints_is_an_error_at_the_leading(mini, value, words):
    mini.write("styles.yaml", mini.texts["styles.yaml"].replace("    leading: 1行\n    indent: 2字\n",
                                                                f"    leading: {value}\n    indent: 2字\n", 1))
    errors = mini.errors()
    where = mini.at("styles.yaml", f"leading: {value}")[:-2]  # file:line (the value's column follows)
    assert [e for e in errors if e.startswith(where) and words in e and "body" in e], errors
    proc = run_cli("build", "spec.yaml", "-o", "out.pdf", cwd=mini.root)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    report = preflight(Path("spec.yaml"))
    assert report.exit_code == 2 and any(words in i.message for i in report.items)


def test_an_indent_as_wide_as_the_column_is_named_as_such(mini):
    mini.write("styles.yaml", mini.texts["styles.yaml"].replace("    indent: 2字\n    align: justify\n",
                                                                "    indent: 40字\n    align: justify\n", 1))
    errors = mini.errors()
    assert [e for e in errors if "indent 40字 leaves no room" in e and e.startswith("styles.yaml:")], errors
    assert not [e for e in errors if "overset" in e]


def test_a_title_wider_than_its_headline_is_an_error(mini):
    mini.spec(MINI_SPEC.replace("columns: 4\n", "columns: 12\n").replace("columns: 1-4", "columns: 1"))
    mini.write("styles.yaml", mini.texts["styles.yaml"].replace("    size: 小初\n", "    size: 80pt\n", 1))
    errors = mini.errors()
    assert [e for e in errors if "80pt characters are wider than" in e and "headline of story 'story'" in e], errors


def test_text_over_text_is_an_error(mini):
    header = ("header:\n  paper: 这是一个非常非常长的报纸名称用来让报眉的左右两部分重叠起来\n"
              "  date: 二〇二〇年七月二十一日星期二\n  editor: 责任编辑：王云峰　美术编辑：李静　校对：张三李四王五\n")
    mini.spec(MINI_SPEC.replace("stories:\n", header + "stories:\n"))
    errors = mini.errors()
    assert [e for e in errors if "text prints over other text on page 1" in e and "running head" in e], errors


def test_a_missing_photo_builds_a_draft_but_fails_check(mini):
    mini.spec(MINI_SPEC + "    images: [{file: nowhere.jpg, columns: 1-2, top: 5, lines: 8}]\n")
    _, warnings = mini.build()
    assert [w for w in warnings if w.code == "image-missing"]
    report = preflight(Path("spec.yaml"))
    assert report.exit_code == 1
    [item] = [i for i in report.items if "nowhere.jpg" in i.message]
    assert item.severity == "error" and item.where == mini.at("spec.yaml", "{file: nowhere.jpg")


def _every_pair(doc) -> list[tuple[int, str, str]]:
    """The overlapping pairs by measuring every line and comparing every two: what text_overlaps
    must find with its cheaper pairing."""
    from broadsheet.display import GlyphRun, extent
    from broadsheet.page.checks import TOLERANCE, _dash_halves

    found = []
    for page in doc.pages:
        runs = [(extent(r), r) for r in page.items if isinstance(r, GlyphRun)]
        runs = [(b, r) for b, r in runs if b is not None]
        for i, (a, ra) in enumerate(runs):
            for b, rb in runs[i + 1:]:
                if min(a[2], b[2]) - max(a[0], b[0]) > TOLERANCE and min(a[3], b[3]) - max(a[1], b[1]) > TOLERANCE \
                        and not _dash_halves(ra, rb):
                    found.append((page.number, *sorted((ra.text, rb.text))))
    return sorted(found)


@pytest.mark.parametrize("name", ["dangjian", "sikai", "zonghe", "jingji", "fukan"])
def test_every_line_lies_in_its_reach_and_the_overlaps_found_are_those_of_every_pair(name):
    from broadsheet.api import lay_out, load
    from broadsheet.display import GlyphRun, extent
    from broadsheet.page.checks import overlapping_pairs, reach, text_overlaps

    doc = lay_out(load(ROOT / "layout" / f"{name}.yaml")).document
    for page in doc.pages:
        for run in page.runs():
            ink, box = extent(run), reach(run)
            if ink is not None:
                assert box[0] <= ink[0] and box[1] <= ink[1] and ink[2] <= box[2] and ink[3] <= box[3], run.text
    assert _every_pair(doc) == [], "the samples print no text over text"
    # lines moved onto others (each page's second half onto its first): the overlaps every pair finds
    for page in doc.pages:
        runs = [r for r in page.items if isinstance(r, GlyphRun)]
        half = len(runs) // 2
        for a, b in zip(runs[:half], runs[half:2 * half]):
            page.items.append(GlyphRun(a.x + 3, a.y + 2, b.glyphs, b.story, b.role, b.tracking, b.source))
    from broadsheet.diagnostics import Pos

    pairs = sorted((n, *sorted((a.text, b.text))) for n, a, b in overlapping_pairs(doc))
    assert pairs == _every_pair(doc) and pairs
    # told once per page and pair of elements, with how many more lines do the same
    found = text_overlaps(doc, Pos("x", 1, 1))
    told = [int(m[1]) + 1 if (m := re.search(r"\((\d+) more of their lines", d.message)) else 1 for d in found]
    assert sum(told) == len(pairs) and len(found) < len(pairs)
