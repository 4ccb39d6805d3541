"""Threading, reading order, paragraph spacing, balancing and jump lines on small specs, read back
from the display list and from the PDF."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from broadsheet.input.jobs import Segment
from broadsheet.page.flow import Unit, balance_columns, flow
from broadsheet.page.frame import ColumnSpace, FrameSpace, reading_groups

from conftest import MINI_SPEC

GRID_SPEC = MINI_SPEC.split("stories:")[0] + "stories:\n"
SENTENCE = "这是第{:02d}句话，用来检验文字在栏与栏之间的走向是否正确。"


def numbered(n: int, per_paragraph: int = 3) -> str:
    sentences = [SENTENCE.format(k) for k in range(1, n + 1)]
    return "\n\n".join("".join(sentences[i:i + per_paragraph]) for i in range(0, n, per_paragraph)) + "\n"


def column_of(geo, x: float) -> int:
    return int((x - geo.x0 + geo.gutter / 2) // (geo.col_w + geo.gutter)) + 1


def body_lines(result, story: str = "story", page: int = 1):
    geo = result.document.geometry
    return [(column_of(geo, r.x), int((r.y - geo.y0) // geo.pitch), r.text)  # (column, line, text)
            for r in result.document.pages[page - 1].runs() if r.story == story and r.role == "body"]


def heights(result, story: str = "story", page: int = 1) -> dict[int, int]:
    return dict(sorted(Counter(c for c, _, _ in body_lines(result, story, page)).items()))


# -- pure parts ------------------------------------------------------------------------------------


def test_reading_groups():
    L = [Segment(1, 1, 5, 0, 54), Segment(1, 1, 2, 54, 99)]  # an L: the long columns are read to their foot
    split = [Segment(1, 1, 3, 0, 20), Segment(1, 1, 3, 40, 60)]  # another story between the two
    step = [Segment(1, 1, 3, 44, 99), Segment(1, 4, 6, 54, 99)]
    assert reading_groups(L) == [[0, 1]] and reading_groups(split) == [[0], [1]] and reading_groups(step) == [[0], [1]]
    assert reading_groups(L, "segments") == [[0], [1]] and reading_groups(split, "columns") == [[0, 1]]


def test_frame_space_reads_segment_by_segment_and_cuts():
    frame = FrameSpace([Segment(1, 1, 2, 0, 20), Segment(1, 1, 2, 40, 60)])
    frame.cut(1, (1, 2), 0, 5)  # a headline
    assert [(s.col, s.top, s.bottom) for s in frame.spaces()] == [(1, 5, 20), (2, 5, 20), (1, 40, 60), (2, 40, 60)]
    assert frame.holds(1, (1, 2), 6, 20) and not frame.holds(1, (1, 2), 3, 8) and not frame.holds(1, (1, 3), 6, 8)
    columns = FrameSpace(frame.segments, "columns")
    assert [(s.col, s.top) for s in columns.spaces()] == [(1, 0), (1, 40), (2, 0), (2, 40)]


def _lines(n: int) -> list[Unit]:
    return [Unit(1, [], 1, 1) for _ in range(n)]


def test_balance_evens_every_column_the_last_included():
    spaces = [ColumnSpace(1, c, 10, 21, 0) for c in range(1, 6)]  # five columns under a 通栏 photo
    balanced = balance_columns(_lines(51), spaces)
    placed = flow(_lines(51), balanced)
    per_col = Counter(balanced[p.space].col for p in placed.placements)
    assert placed.overset == 51 and sorted(per_col.values(), reverse=True) == [11, 10, 10, 10, 10]
    assert max(per_col.values()) - min(per_col.values()) <= 1


def test_a_space_unit_is_dropped_at_the_top_of_a_column():
    units = _lines(3) + [Unit(2, [], 0, 0)] + _lines(3)
    placed = flow(units, [ColumnSpace(1, 1, 0, 4, 0), ColumnSpace(1, 2, 0, 4, 0)])
    assert placed.overset == len(units)
    assert [(p.space, p.top, p.lines) for p in placed.placements][3:5] == [(1, 0, 0), (1, 0, 1)]


# -- whole builds ------------------------------------------------------------------------------------


def test_paragraph_spacing_keeps_paragraphs_splittable(mini):
    mini.write("story.md", numbered(60, per_paragraph=30))  # two paragraphs, each longer than a column
    styles = mini.texts["styles.yaml"].replace("    indent: 2字\n    align: justify\n",
                                               "    indent: 2字\n    align: justify\n    space_after: 3Q\n", 1)
    mini.write("styles.yaml", styles)
    result, _ = mini.build()
    report = result.stories["story"]
    assert not report.overset and report.quality.fit > 0
    lines = body_lines(result)
    text = "".join(t for _, _, t in sorted(lines))
    numbers = [int(n) for n in re.findall(r"第(\d\d)句", text)]
    assert numbers == list(range(1, 61))  # every sentence, in reading order
    geo = result.document.geometry
    assert max(y for c, y, _ in lines if c == 1) == geo.lines - 1  # column 1 is full: the paragraph split
    # the space after the first paragraph: one blank line (3Q rounds up to a whole line on the grid)
    rows = sorted((c, y) for c, y, _ in lines)
    gaps = [b[1] - a[1] for a, b in zip(rows, rows[1:]) if a[0] == b[0]]
    assert sorted(set(gaps)) == [1, 2] and gaps.count(2) == 1


def test_thread_order_never_jumps_over_another_story(mini, tmp_path):
    import pdfplumber

    mini.write("story.md", numbered(60))
    mini.write("other.md", "另一篇稿件的文字。" * 60 + "\n")
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame:\n      - {columns: 1-3, top: 0, bottom: 18}\n"
                          "      - {columns: 1-3, top: 36, bottom: 54}\n"
                          "  - story: other.md\n    frame: {columns: 1-3, top: 18, bottom: 36}\n")
    result, _ = mini.build(allow_overset=True)
    lines = body_lines(result)
    upper = "".join(t for c, y, t in sorted(lines) if y < 18)
    lower = "".join(t for c, y, t in sorted(lines) if y >= 36)
    # read segment by segment, column by column, the sentences follow one another: the lower
    # segment goes on where the upper one ends
    numbers = [int(n) for n in re.findall(r"第(\d\d)句", upper + lower)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > 30
    assert re.findall(r"第(\d\d)句", lower)
    # the PDF reads the same: column 2 of the upper segment starts where column 1 ends
    with pdfplumber.open(mini.root / "out.pdf") as pdf:
        words = pdf.pages[0].extract_words()
    geo = result.document.geometry
    col2_top = min((w for w in words if column_of(geo, w["x0"]) == 2 and w["top"] < geo.line_y(18)),
                   key=lambda w: w["top"])
    assert col2_top["top"] < geo.line_y(5)


def test_balance_under_a_photo_and_its_column_rules(mini):
    mini.write("story.md", numbered(22))
    mini.spec(GRID_SPEC.replace("columns: 4", "columns: 5") +
              "  - story: story.md\n    frame: {columns: 1-5, top: 0, bottom: end}\n    balance: true\n"
              "    column_rules: true\n    images: [{columns: 1-5, top: 0, lines: 10}]\n")
    result, _ = mini.build()
    h = heights(result)
    assert len(h) == 5 and max(h.values()) - min(h.values()) <= 1, h
    assert list(h.values()) == sorted(h.values(), reverse=True)  # the shorter columns are the last ones
    # copyfit counts the whole frame, not the balanced columns
    geo = result.document.geometry
    assert result.stories["story"].quality.fit == pytest.approx(5 * (geo.lines - 11) - sum(h.values()), abs=1)


def test_jump_lines_name_page_labels(mini):
    mini.write("story.md", numbered(90))
    mini.spec(GRID_SPEC.replace("stories:\n", "pages: [{page: A1}, {page: A2}]\nstories:\n") +
              "  - story: story.md\n    frame:\n      - {page: 1, columns: 1-4, top: 0, bottom: 10}\n"
              "      - {page: 2, columns: 1-4, top: 0, bottom: end}\n")
    result, _ = mini.build()
    jumps = [r.text for p in result.document.pages for r in p.runs() if r.role == "jump"]
    assert jumps == ["（下转A2版）", "（上接A1版）"]



@pytest.mark.parametrize("align,same_line", [("justify", True), ("right", False)])
def test_a_sign_follows_any_paragraph_without_overprinting(mini, align, same_line):
    mini.write("story.md", "短短一句话。\n@sign 某组宣\n")
    mini.write("styles.yaml", mini.texts["styles.yaml"].replace("    indent: 2字\n    align: justify\n",
                                                                f"    indent: 2字\n    align: {align}\n", 1))
    result, _ = mini.build()  # text over text would be an error
    runs = [r for r in result.document.pages[0].runs() if r.story == "story"]
    assert [r.text for r in runs] == (["短短一句话。某组宣"] if same_line else ["短短一句话。", "某组宣"])
    geo = result.document.geometry
    last = runs[-1]
    assert last.x + last.glyphs[-1].x + last.glyphs[-1].size == pytest.approx(geo.col_x(1) + geo.col_w, abs=0.5)
