"""竖排 titles: vertical forms of punctuation, digits upright side by side, longer Latin turned."""

from __future__ import annotations

import pytest

from conftest import GRID_SPEC, MINI_SPEC, column_of, filler, runs

TITLE = "《乡村》进行时——2025年“数字村”，APEC在Beijing召开"


def vertical_title(mini, title: str = TITLE):
    mini.write("story.md", f"---\ntitle: {title}\n---\n\n" + "正文文字。" * 200 + "\n")
    mini.spec(MINI_SPEC.replace("columns: 4\n", "columns: 5\n").replace(
        "frame: {columns: 1-4, top: 0, bottom: end}", "frame: {columns: 1-5, top: 0, bottom: end}\n"
        "    headline: {columns: 1, vertical: true}"))
    result, _ = mini.build(allow_overset=True)
    return result, [r for r in result.document.pages[0].runs() if r.role == "title"]


def test_cells_go_down_one_vertical_line(mini):
    result, runs = vertical_title(mini)
    assert "".join(r.text for r in runs) == TITLE.replace(" ", "")
    ys = [r.y + (r.glyphs[0].x if r.rotate else 0) for r in runs]
    assert ys == sorted(ys) and len(set(ys)) == len(ys)
    geo = result.document.geometry
    centre = geo.col_x(1) + geo.col_w / 2
    upright = [r for r in runs if not r.rotate]
    assert all(abs(r.x + r.glyphs[0].x + r.glyphs[0].face.advance(r.glyphs[0].gid, r.glyphs[0].size) / 2 - centre) < 0.6
               for r in upright if len(r.glyphs) == 1)
    # the body is beside the title, not under it
    assert all(r.x > geo.col_x(2) - 1 for r in result.document.pages[0].runs() if r.role == "body")


def test_a_typed_line_break_starts_the_next_vertical_line_to_the_left(mini):
    result, runs = vertical_title(mini, '"辽宁队\\n三比二胜"')
    geo = result.document.geometry
    centre = geo.col_x(1) + geo.col_w / 2
    lines: dict[float, str] = {}
    for r in runs:
        x = round(r.x + r.glyphs[0].x + r.glyphs[0].size / 2, 1)
        lines[x] = lines.get(x, "") + r.text
    (left, second), (right, first) = sorted(lines.items())
    assert (first, second) == ("辽宁队", "三比二胜")  # read right to left, each from the top
    assert (left + right) / 2 == pytest.approx(centre, abs=0.2)  # the two centred in the headline
    assert {r.y for r in runs if r.text in "辽三"} == {min(r.y for r in runs)}


def test_punctuation_takes_vertical_forms(mini):
    _, runs = vertical_title(mini)
    by_text = {r.text: r.glyphs[0] for r in runs if len(r.glyphs) == 1}
    for ch in "《》“”，":
        g = by_text[ch]
        assert g.gid != g.face.gid(ch), ch  # the font's vertical form, not the horizontal glyph
    dash = by_text["—"]
    assert dash.gid != dash.face.gid("—")  # no vertical form of its own: the bar's


def test_digits_upright_side_by_side_and_latin_turned(mini):
    _, runs = vertical_title(mini)
    tcy = [r for r in runs if r.text in ("2025", "APEC")]
    assert len(tcy) == 2 and not any(r.rotate for r in tcy)
    han = next(r for r in runs if r.text == "乡")
    em = han.glyphs[0].size
    for r in tcy:  # in one cell, about an em wide: narrowed at their full height, on the Han cells' baseline
        width = r.along(r.glyphs[-1].x + r.glyphs[-1].face.advance(r.glyphs[-1].gid, r.glyphs[-1].size) - r.glyphs[0].x)
        assert em * 0.5 < width <= 1.2 * em + 0.01 and r.stretch < 1
        assert all(g.size == em for g in r.glyphs)
        cells = (r.y - han.y) / em  # whole cells from the Han character's baseline
        assert cells == pytest.approx(round(cells), abs=1e-6)
    [latin] = [r for r in runs if r.text == "Beijing"]
    assert latin.rotate == 90


def test_the_pdf_turns_the_latin_run_and_narrows_the_digits(mini):
    import pdfplumber

    _, title = vertical_title(mini)
    with pdfplumber.open(mini.root / "out.pdf") as pdf:
        chars = pdf.pages[0].chars
    turned = [c for c in chars if c["text"] in "Beijing" and not c["upright"]]
    assert "".join(c["text"] for c in sorted(turned, key=lambda c: c["top"])) == "Beijing"
    assert all(c["upright"] for c in chars if c["text"] in "召开")
    # 2025 in one cell: each digit as wide as the display list narrowed it, at the title's full size
    [year] = [r for r in title if r.text == "2025"]
    digits = sorted((c for c in chars if c["text"] in "2025" and c["size"] > 10), key=lambda c: c["x0"])
    assert "".join(c["text"] for c in digits) == "2025"
    for c, g in zip(digits, year.glyphs):
        assert c["x0"] == pytest.approx(year.x + year.along(g.x), abs=0.05)
        assert c["x1"] - c["x0"] == pytest.approx(year.along(g.face.advance(g.gid, g.size)), abs=0.05)
        assert c["size"] == pytest.approx(g.size, abs=0.05)


def test_the_two_bars_of_a_dash_make_one_line_down_the_title(mini):
    _, runs = vertical_title(mini)
    k = next(i for i, r in enumerate(runs) if r.text == "—")
    before, first, second = runs[k - 1], runs[k], runs[k + 1]
    assert before.text == "时"
    size = first.glyphs[0].size
    face = first.glyphs[0].face
    x0, x1 = (v * size / face.upem for v in face.ink[ord("―")])  # the bar's ink along the line
    assert x0 > 0.05 * size  # the font's bar leaves blank at its ends
    assert second.y - first.y == pytest.approx(x1 - x0 - 0.01 * size)  # the second bar starts where the first ends
    # centred on their two cells: the ink's middle is where the first cell ends
    cell = before.y + size  # where the first bar's cell puts its baseline
    top, bottom = first.y - cell + x0, second.y - cell + x1
    assert (top + bottom) / 2 == pytest.approx(size)


def test_vertical_title_sets_one_character_per_line(mini):
    mini.write("story.md", filler("竖排标题", 8))
    mini.spec(GRID_SPEC + "  - story: story.md\n    frame: {columns: 1-4, top: 0, bottom: end}\n"
                          "    headline: {columns: 1-1, vertical: true}\n")
    result, _ = mini.build()
    titles = runs(result, role="title")
    assert [r.text for r in titles] == list("竖排标题")
    assert len({round(r.y) for r in titles}) == 4
    # the text flows beside the title: column 2 starts at the top
    geo = result.document.geometry
    col2 = [r for r in runs(result, role="body") if column_of(geo, r.x) == 2]
    assert min(r.y for r in col2) < geo.line_y(1)
