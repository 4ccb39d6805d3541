"""Threading and balancing (page/flow.py): units flowed through column spaces and columns balanced,
as pure functions over line counts; and on small specs, the reading order, paragraph spacing and
balancing read back from the display list and from the PDF."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from broadsheet.page.flow import Unit, balance_columns, flow, untouched
from broadsheet.page.frame import ColumnSpace

from conftest import GRID_SPEC, column_of, filler, runs

SENTENCE = "这是第{:02d}句话，用来检验文字在栏与栏之间的走向是否正确。"


def numbered(n: int, per_paragraph: int = 3) -> str:
    sentences = [SENTENCE.format(k) for k in range(1, n + 1)]
    return "\n\n".join("".join(sentences[i:i + per_paragraph]) for i in range(0, n, per_paragraph)) + "\n"


def body_lines(result, story: str = "story", page: int = 1):
    geo = result.document.geometry
    return [(column_of(geo, r.x), int((r.y - geo.y0) // geo.pitch), r.text)  # (column, line, text)
            for r in result.document.pages[page - 1].runs() if r.story == story and r.role == "body"]


def heights(result, story: str = "story", page: int = 1) -> dict[int, int]:
    return dict(sorted(Counter(c for c, _, _ in body_lines(result, story, page)).items()))


# -- pure parts ------------------------------------------------------------------------------------


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


def test_units_fill_each_space_in_turn_and_the_rest_is_counted():
    spaces = [ColumnSpace(1, 1, 0, 3, 0), ColumnSpace(1, 2, 5, 8, 0)]
    fits = flow(_lines(4), spaces)
    assert [(p.unit, p.space, p.top) for p in fits.placements] == [(0, 0, 0), (1, 0, 1), (2, 0, 2), (3, 1, 5)]
    assert fits.overset == 4 and fits.spare == 2  # two lines left under the text
    over = flow(_lines(8), spaces)
    assert len(over.placements) == 6 and over.overset == 6 and over.spare == -2  # two lines over
    nowhere = flow(_lines(2), [])
    assert nowhere.placements == [] and nowhere.overset == 0 and nowhere.spare == -2


def test_a_unit_taller_than_the_rest_of_a_space_goes_to_the_next():
    block = Unit(3, [], 5, 3)  # a subhead block of three lines
    placed = flow(_lines(2) + [block] + _lines(1), [ColumnSpace(1, 1, 0, 4, 0), ColumnSpace(1, 2, 0, 4, 0)])
    assert [(p.space, p.top, p.lines) for p in placed.placements] == [(0, 0, 1), (0, 1, 1), (1, 0, 3), (1, 3, 1)]
    assert placed.spare == 0  # the two lines it skipped at the foot of column 1 are behind the text: not spare


def test_a_subhead_keeps_with_the_lines_after_it():
    spaces = [ColumnSpace(1, 1, 0, 5, 0), ColumnSpace(1, 2, 0, 5, 0)]
    subhead = Unit(2, [], 3, 2, keep_with_next=2)
    kept = flow(_lines(3) + [subhead] + _lines(4), spaces)
    assert (kept.placements[3].space, kept.placements[3].top) == (1, 0), "not alone at the foot of column 1"
    loose = flow(_lines(3) + [Unit(2, [], 3, 2)] + _lines(4), spaces)
    assert (loose.placements[3].space, loose.placements[3].top) == (0, 3)
    # starting a space, it stays even when the lines after it go on in the next one
    alone = flow([subhead] + _lines(4), [ColumnSpace(1, 1, 0, 2, 0), ColumnSpace(1, 2, 0, 5, 0)])
    assert (alone.placements[0].space, alone.placements[0].top) == (0, 0) and alone.overset == 5


def test_balance_shortens_only_the_run_where_the_text_ends():
    spaces = [ColumnSpace(1, c, 0, 10, 0) for c in (1, 2)] + [ColumnSpace(1, c, 20, 30, 1) for c in (3, 4)]
    balanced = balance_columns(_lines(25), spaces)  # 20 lines fill segment 0, 5 go on in segment 1
    assert [(s.col, s.top, s.bottom) for s in balanced] == [(1, 0, 10), (2, 0, 10), (3, 20, 23), (4, 20, 22)]
    assert flow(_lines(25), balanced).overset == 25


def test_balance_drops_a_column_the_text_does_not_reach_and_leaves_overset_text_alone():
    spaces = [ColumnSpace(1, c, 0, 10, 0) for c in (1, 2, 3)]
    balanced = balance_columns(_lines(2), spaces)
    assert [(s.col, s.top, s.bottom) for s in balanced] == [(1, 0, 1), (2, 0, 1)]
    assert balance_columns(_lines(40), spaces) is spaces  # it does not fit: nothing to balance
    assert balance_columns([], spaces) is spaces


# -- whole builds ------------------------------------------------------------------------------------


def test_the_columns_a_story_never_reaches_are_the_ones_after_its_end():
    spaces = [ColumnSpace(1, c, 0, 10, 0) for c in (1, 2, 3)] + [ColumnSpace(2, 1, 0, 10, 1)]
    assert untouched(spaces, spaces, flow(_lines(12), spaces)) == spaces[2:]  # it ends in column 2
    assert untouched(spaces, spaces, flow(_lines(21), spaces)) == spaces[3:]  # one line in column 3 counts
    assert untouched(spaces, spaces, flow(_lines(40), spaces)) == []  # filled
    assert untouched(spaces, spaces, flow(_lines(45), spaces)) == []  # over: nothing is empty
    assert untouched(spaces, spaces, flow([], spaces)) == spaces  # no body text at all
    # balanced: the columns that share the text are not holes, and the dropped ones still are
    few = spaces[:3]
    balanced = balance_columns(_lines(12), few)
    assert untouched(few, balanced, flow(_lines(12), balanced)) == []
    assert untouched(few, balance_columns(_lines(2), few), flow(_lines(2), balance_columns(_lines(2), few))) == few[2:]


def test_a_frame_the_text_leaves_columns_of_empty_is_a_warning(mini):
    mini.write("story.md", filler(None, 1))  # about half a column of the four
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-4, top: 0, bottom: 30}\n")
    _, warnings = mini.build()
    [hole] = [w for w in warnings if w.code == "underset"]
    assert hole.severity == "warning" and str(hole).startswith(mini.at("spec.yaml", "story: story.md"))
    assert "开天窗: story 'story' leaves columns 2–4 of page 1 of its frame empty" in hole.message
    assert "make the frame smaller" in hole.message
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-4, top: 0, bottom: 30}\n    balance: true\n")
    assert [w for w in mini.build()[1] if w.code == "underset"] == []  # balanced over every column: no hole


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


def test_balanced_columns_end_together(mini):
    mini.write("story.md", filler(None, 2))
    spec = GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-4, top: 0, bottom: end}\n"
    result, _ = mini.build()
    geo = result.document.geometry

    def bottoms(res):
        out = {}
        for r in runs(res, role="body"):
            c = column_of(geo, r.x)
            out[c] = max(out.get(c, 0), r.y)
        return out

    assert len(bottoms(result)) < 4  # unbalanced: the text stops in an early column
    mini.spec(spec + "    balance: true\n")
    balanced = bottoms(mini.build()[0])
    assert len(balanced) == 4
    assert max(balanced.values()) - min(balanced.values()) <= geo.pitch + 0.01
