"""The composer: kinsoku, compression, justification, 孤字 — unit tests and property tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from broadsheet.text.chars import C, LINE_END_PROHIBITED, LINE_START_PROHIBITED, classify
from broadsheet.text.punctuation import full_width_punctuation
from broadsheet.text import compose as compose_module
from broadsheet.text.compose import Piece, Setting, compose
from broadsheet.fonts.faces import FontChain, load_face

FONTS = Path(__file__).resolve().parents[2] / "fonts"
SIZE = 9.0
BLACK = (0.0, 0.0, 0.0, 100.0)


def lines_of(chain, text, chars=13, indent=2, **kw):
    return compose([Piece(text, chain, SIZE, BLACK)], Setting(measure=chars * SIZE, indent=indent * SIZE, **kw))


def starts_bad(line) -> bool:
    return classify(line.text[0]) in LINE_START_PROHIBITED


def ends_bad(line) -> bool:
    return classify(line.text[-1]) in LINE_END_PROHIBITED


def test_all_han_lines_are_exactly_thirteen_characters(chain):
    text = "桓仁县从今年起在全县农村基层创新设置特色党小组明责设岗搭建党员作用发挥平台通过党支部并建党小组"
    lines = lines_of(chain, text)
    assert [len(line.text) for line in lines[:-1]] == [11, 13, 13]  # two-character indent on the first
    assert "".join(line.text for line in lines) == text
    assert lines[0].glyphs[0].x == pytest.approx(2 * SIZE)


def test_closing_marks_never_start_a_line(chain):
    # 13 characters then a comma: the comma may not start line 2, so a character goes down with it
    text = "一二三四五六七八九十一二三，四五六七八九十一二三四五六。"
    lines = lines_of(chain, text, indent=0)
    assert all(not starts_bad(line) for line in lines)
    assert "".join(line.text for line in lines) == text


def test_opening_marks_never_end_a_line(chain):
    text = "一二三四五六七八九十一二“三四五”六七八九十一二三四五六。"
    lines = lines_of(chain, text, indent=0)
    assert all(not ends_bad(line) for line in lines)


def test_dash_and_ellipsis_never_split(chain):
    for mark in ("——", "……"):
        text = "一二三四五六七八九十一二" + mark + "三四五六七八九十一二三四五。"
        lines = lines_of(chain, text, indent=0)
        assert all(mark in line.text or mark[0] not in line.text for line in lines), [l.text for l in lines]


def test_numbers_and_latin_words_never_split(chain):
    text = "共计完成了二点六公里路基改造共计2.6公里和30%以及GUANCHAO字样还有6130户13053人已全部实现脱贫"
    lines = lines_of(chain, text, chars=8, indent=0)
    for word in ("2.6", "30%", "GUANCHAO", "6130", "13053"):
        assert any(word in line.text for line in lines), (word, [l.text for l in lines])


def test_adjacent_marks_are_compressed(chain):
    lines = lines_of(chain, "他说：“好。”我们走。", chars=20, indent=0)
    g = lines[0].glyphs
    xs = {gl.text: gl.x for gl in g}
    # 。” : the full stop's blank half goes, so ” starts half an em after 。
    stop = [gl for gl in g if gl.text == "。"][0]
    close = [gl for gl in g if gl.text == "”"][0]
    assert close.x - stop.x == pytest.approx(SIZE / 2)
    # ：“ : the colon's blank half goes
    assert xs["“"] - xs["："] == pytest.approx(SIZE / 2)


def test_justified_lines_are_flush(chain):
    text = "他以“党小组+合作社+贫困户”模式带动贫困户56户，为村民增收60余万元。“以前是自己一个人干，现在不一样了。”"
    for line in lines_of(chain, text)[:-1]:
        assert line.right == pytest.approx(13 * SIZE, abs=0.01)


def test_no_lone_character_on_the_last_line(chain):
    # 26 characters + 。: greedy filling would leave "。" with one character on the last line
    text = "一二三四五六七八九十一二三四五六七八九十一二三四五六七。"
    lines = lines_of(chain, text, indent=0)
    last = [ch for ch in lines[-1].text if classify(ch) not in LINE_START_PROHIBITED]
    assert len(last) >= 2


def test_ascii_punctuation_between_han_becomes_full_width():
    text, changes = full_width_punctuation("种植大户,现在 成员(左)与 1,000 和 OK, fine")
    assert text == "种植大户，现在 成员（左）与 1,000 和 OK, fine"
    assert [c[1] for c in changes] == [",", "(", ")"]


def test_line_start_opening_mark_is_set_half_width(chain):
    text = "一二三四五六七八九十一二三“四五六”七八九。"
    lines = lines_of(chain, text, indent=0)
    second = lines[1]
    assert second.text.startswith("“")
    assert second.glyphs[0].x == pytest.approx(-SIZE / 2)  # its blank left half is outside the measure


def test_balanced_title_lines(chain):
    lines = lines_of(chain, "桓仁特色党小组激发干部群众活力", chars=10, indent=0, even_lines=True, align="center")
    assert [len(line.text) for line in lines] in ([8, 7], [7, 8])


HAN = st.sampled_from(list("党小组织村民群众脱贫攻坚产业发展基层干部"))
PUNCT = st.sampled_from(list("，。、；：？！“”（）《》") + ["——", "……"])
LATIN = st.sampled_from(["GUANCHAO", "C", "OK", "2.6", "30%", "6130", "2019", "QQ"])
SPACE = st.just(" ")
TOKENS = st.lists(st.one_of(HAN, HAN, HAN, HAN, PUNCT, LATIN, SPACE), min_size=1, max_size=120)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tokens=TOKENS, chars=st.integers(min_value=4, max_value=20), indent=st.sampled_from([0, 2]),
       hanging=st.booleans(), strictness=st.sampled_from(["basic", "strict"]))
def test_properties(chain, tokens, chars, indent, hanging, strictness):
    text = "".join(tokens)
    lines = lines_of(chain, text, chars=chars, indent=indent, hanging=hanging, strictness=strictness)
    measure = chars * SIZE
    # every character placed exactly once, in order (spaces at line breaks may go)
    placed = "".join(line.text for line in lines)
    assert placed.replace(" ", "") == text.replace(" ", "")
    for n, line in enumerate(lines):
        if not line.glyphs:
            continue
        # glyphs in order, none overlapping the next
        xs = [g.x for g in line.glyphs]
        assert xs == sorted(xs)
        # no line wider than its measure (but for a mark hanging outside it, when asked)
        hung = SIZE if hanging and line.text[-1] in "，。、" else 0.0
        assert line.right <= measure + hung + 0.01, (line.text, line.right, measure)
        if not line.forced:
            # kinsoku holds wherever a legal break existed
            assert not starts_bad(line) or n == 0, line.text
            assert not (ends_bad(line) and not line.last), line.text
        # justified lines flush on both sides (a hanging mark outside the measure), unless that
        # would widen their gaps beyond MAX_GAP: then they stay short
        assert line.spacing <= compose_module.MAX_GAP * SIZE + 1e-9
        if not line.last and not line.forced and line.gaps and line.spacing < compose_module.MAX_GAP * SIZE:
            assert line.right == pytest.approx(measure + hung, abs=0.01), (line.text, line.right)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tokens=TOKENS, chars=st.integers(min_value=4, max_value=20), hanging=st.booleans(), balance=st.booleans())
def test_skipping_line_starts_dearer_than_the_greedy_path_changes_no_break(chain, tokens, chars, hanging, balance):
    """The line breaker skips line starts that already cost more than the greedy path's total:
    it finds the same breaks as without that bound."""
    text = "".join(tokens)
    bounded = lines_of(chain, text, chars=chars, hanging=hanging, even_lines=balance)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(compose_module, "_greedy_total", lambda *args: float("inf"))
        unbounded = lines_of(chain, text, chars=chars, hanging=hanging, even_lines=balance)
    assert [(line.start, line.end) for line in bounded] == [(line.start, line.end) for line in unbounded]


def test_hanging_punctuation_is_a_style_option(chain):
    # 13 characters then 。 twice: hanging, both full stops go outside the measure
    text = "一二三四五六七八九十一二三。四五六七八九十一二三四五六。七八九十。"
    plain = lines_of(chain, text, indent=0)
    assert all(line.right <= 13 * SIZE + 0.01 for line in plain)
    hung = lines_of(chain, text, indent=0, hanging=True)
    assert hung[0].text == "一二三四五六七八九十一二三。"
    assert hung[0].glyphs[-1].x == pytest.approx(13 * SIZE)  # outside the measure
    assert not hung[0].compressed_end


def test_strictness_none_allows_any_break(chain):
    text = "一二三四五六七八九十一二三，四五六七八九十一二三四五六七八。"
    assert lines_of(chain, text, indent=0, strictness="none")[1].text.startswith("，")
    assert not lines_of(chain, text, indent=0)[1].text.startswith("，")


def test_strict_keeps_dashes_off_the_line_start(chain):
    text = "一二三四五六七八九十一二三——四五六七八九十一二三四五六。"
    basic = lines_of(chain, text, indent=0)
    strict = lines_of(chain, text, indent=0, strictness="strict")
    assert basic[1].text.startswith("——")
    assert not strict[1].text.startswith("——")


def test_line_start_compression_can_be_switched_off(chain):
    text = "一二三四五六七八九十一二三“四五六”七八九。"
    assert lines_of(chain, text, indent=0, start_compress=False)[1].glyphs[0].x == pytest.approx(0)


def test_latin_gap_is_a_style_option(chain):
    with_gap = lines_of(chain, "共计2公里", chars=20, indent=0, align="left")[0]
    no_gap = lines_of(chain, "共计2公里", chars=20, indent=0, align="left", latin_gap=0)[0]
    assert with_gap.glyphs[2].x - no_gap.glyphs[2].x == pytest.approx(SIZE / 4)


def test_a_title_too_wide_for_its_column_never_leaves_one_character_alone(chain):
    lines = lines_of(chain, "只有标题", chars=3, indent=0, even_lines=True, align="center")
    assert [len(line.text) for line in lines] == [2, 2]


def test_a_comma_inside_the_line_gives_its_blank_half_to_fit_one_more_character(chain):
    # ten characters and two commas in eleven ems: the last comma is set half width at the line
    # end and the inner one gives its blank half, instead of pushing 十， down and spreading the rest
    text = "一二三四，五六七八九十，十一十二十三十四十五十六十七十八。"
    first = lines_of(chain, text, chars=11, indent=0)[0]
    assert first.text == "一二三四，五六七八九十，"
    comma, after = first.glyphs[4], first.glyphs[5]
    assert after.x - comma.x == pytest.approx(SIZE / 2)
    assert first.right == pytest.approx(11 * SIZE) and first.spacing == 0


def test_han_latin_gaps_flex_between_a_sixth_and_a_third_of_an_em(chain):
    text = "共计2公里和3公里以及4公里等5公里还有6公里与7公里和8公里路段9公里的道路已全部完成改造。"
    for chars in range(6, 16):
        for line in lines_of(chain, text, chars=chars, indent=0)[:-1]:
            g = line.glyphs
            for a, b in zip(g, g[1:]):
                if classify(a.text) is C.HAN and b.text.isdigit():
                    gap = b.x - a.x - SIZE - line.spacing
                    assert SIZE / 6 - 1e-6 <= gap <= SIZE / 3 + 1e-6, (line.text, gap / SIZE)
    # a line whose slack its Han–Latin gaps can take keeps its other gaps unspread
    widened = [line for chars in range(6, 16) for line in lines_of(chain, text, chars=chars, indent=0)[:-1]
               if line.spacing == 0 and not line.compressed_end and any(ch.isdigit() for ch in line.text)]
    assert widened


@pytest.mark.parametrize("style, half", [("全角", ""), ("开明", "，、：“”（）"), ("半角", "，、：“”（）。？")])
def test_punctuation_style_sets_marks_half_width(chain, style, half):
    text = "他说：“好，走。”（对）、完？好"
    line = lines_of(chain, text, chars=40, indent=0, align="left", punctuation=style)[0]
    xs = [g.x for g in line.glyphs] + [line.right]
    width = {}
    for k, g in enumerate(line.glyphs):
        width.setdefault(g.text, []).append(xs[k + 1] - xs[k])
    for mark in "，、？":
        assert width[mark][0] == pytest.approx(SIZE / 2 if mark in half else SIZE), (style, mark)
    # 16 marks and characters; 全角 compresses ：“ 。” ”（ ）、, 开明 halves seven marks, 半角 nine
    assert line.right == pytest.approx(SIZE * {"全角": 14.0, "开明": 12.5, "半角": 11.5}[style])


PAIRS = ["，」", "。」", "，『", "」，", "）（", "。”", "！」", "：「", "、「", "？」"]


def pair_widths(chain_) -> dict[str, float]:
    out = {}
    for pair in PAIRS:
        g = lines_of(chain_, "好" + pair + "好", chars=40, indent=0, align="left")[0].glyphs
        out[pair] = round((g[3].x - g[1].x) / SIZE, 3)
    return out


def test_adjacent_marks_compress_consistently_gb_and_cns(chain):
    import dataclasses

    assert set(pair_widths(chain).values()) == {1.5}  # GB marks: every pair 1.5 em
    # the same glyphs with Taiwan-style ink (，。！？：、 centred, as a TC font has them)
    face = chain.faces[0]
    upem = face.upem
    centred = {ord(ch): (int(0.4 * upem), int(0.6 * upem)) for ch in "，。！？：；、"}
    tc = FontChain([dataclasses.replace(face, ink={**face.ink, **centred})])
    widths = pair_widths(tc)
    # a centred mark gives its facing quarter; with an opening mark after it, half an em in all
    assert widths["，」"] == widths["。」"] == widths["！」"] == widths["？」"] == widths["。”"] == 1.75
    assert widths["，『"] == widths["：「"] == widths["、「"] == widths["」，"] == widths["）（"] == 1.5


def advances(line) -> list[tuple[str, float]]:
    """Each glyph of a line with the distance to the next one, in ems."""
    return [(a.text, round((b.x - a.x) / SIZE, 3)) for a, b in zip(line.glyphs, line.glyphs[1:])]


def test_a_comma_inside_the_line_gives_its_blank_before_a_full_stop_does(chain):
    # 12 ems ending in a comma: the end comma gives half an em, the inner comma the other half
    # (clreq §3.5.2 takes 。？！ last), so the line holds them all and the 。 keeps its full width
    lines = lines_of(chain, "一二三四，五六七。八九，十一二三四五六七八九十", chars=11, indent=0)
    assert lines[0].text == "一二三四，五六七。八九，"
    assert ("，", 0.5) in advances(lines[0]) and ("。", 1.0) in advances(lines[0])


def test_a_full_stop_inside_the_line_gives_when_nothing_else_can(chain):
    # no other mark inside the line: rather than leave the line a character short (1 em over 9
    # gaps), its 。 gives half an em
    lines = lines_of(chain, "一二三四五六七。八九十，十一二三四五六七八九十", chars=11, indent=0)
    assert lines[0].text == "一二三四五六七。八九十，"
    assert ("。", 0.5) in advances(lines[0]) and lines[0].spacing == 0.0


def test_word_spaces_widen_to_half_an_em_before_the_characters_are_spread(chain):
    lines = lines_of(chain, "一二三四五 OK QQ RR 六七八九十一二三四五六七八九", chars=11, indent=0)
    spaces = [adv for ch, adv in advances(lines[0]) if ch == " "]
    hans = [adv for ch, adv in advances(lines[0]) if ch in "一二三四"]
    extra = lines[0].spacing / SIZE
    assert spaces and all(adv == pytest.approx(0.5 + extra, abs=0.002) for adv in spaces)
    assert 0 < extra < 0.1 and all(adv == pytest.approx(1 + extra, abs=0.002) for adv in hans)


def test_a_space_typed_between_han_and_latin_is_the_han_latin_gap(chain):
    """`官网 https://…` and `使用 iPhone 手机`: the writer's spaces beside a Latin run are the gap
    (a quarter em, flexing), set exactly as where none was typed; a space inside Latin text, and
    an ideographic space, stay."""
    typed = lines_of(chain, "请登录官网 https://a.cn 查询，或使用 iPhone 手机扫码", chars=30, indent=0)
    bare = lines_of(chain, "请登录官网https://a.cn查询，或使用iPhone手机扫码", chars=30, indent=0)
    assert [ln.text for ln in typed] == [ln.text for ln in bare]
    assert [g.x for ln in typed for g in ln.glyphs] == pytest.approx([g.x for ln in bare for g in ln.glyphs])
    [words] = lines_of(chain, "一二 OK QQ 三四", chars=30, indent=0, align="left")
    assert words.text == "一二OK QQ三四"
    [wide] = lines_of(chain, "报名\u30002026年", chars=30, indent=0, align="left")
    assert wide.text == "报名\u30002026年"


def test_the_two_bars_of_a_chinese_dash_make_one_line_centred_on_their_two_ems(chain):
    # Noto CJK SC's full-width bar leaves 0.074 em blank at each end: set side by side, a —— would
    # show a gap in its middle
    [line] = lines_of(chain, "一二——三四", chars=13, indent=0)
    face = line.glyphs[0].face
    a, b = [g for g in line.glyphs if g.text == "—"]
    x0, x1 = (v * SIZE / face.upem for v in face.ink[ord("―")])
    assert x0 > 0.05 * SIZE  # the font's bar does not fill its em
    first_ink, second_ink = (a.x + x0, a.x + x1), (b.x + x0, b.x + x1)
    assert second_ink[0] < first_ink[1] <= second_ink[0] + 0.02 * SIZE  # they meet (a hair's overlap)
    slot = (2 * SIZE, 4 * SIZE)  # the dash's two ems, after 一二
    assert (first_ink[0] - slot[0]) == pytest.approx(slot[1] - second_ink[1])  # centred
    assert [g.x for g in line.glyphs if g.text in "三四"] == pytest.approx([4 * SIZE, 5 * SIZE])  # its ems unchanged


def test_a_sign_and_a_unit_in_another_piece_than_their_digits_go_with_the_number(chain):
    # a style's Latin font sets the digits, its own font − and ℃: the number is still one unit,
    # with the Han–Latin gap around the whole and none inside
    latin = FontChain([load_face(FONTS / "LXGWWenKai-Regular.ttf")])
    pieces = [Piece("气温−", chain, SIZE, BLACK), Piece("30", latin, SIZE, BLACK), Piece("℃以下，约￥", chain, SIZE, BLACK),
              Piece("300", latin, SIZE, BLACK), Piece("元。", chain, SIZE, BLACK)]
    [line] = compose(pieces, Setting(measure=30 * SIZE))
    step = {a.text + b.text: round((b.x - a.x) / SIZE - (a.face.advance(a.gid, a.size) / SIZE), 3)
            for a, b in zip(line.glyphs, line.glyphs[1:])}
    gap = 0.25
    assert step["温−"] == step["℃以"] == step["约￥"] == step["0元"] == gap
    assert step["−3"] == step["0℃"] == step["￥3"] == 0.0
    # and a line never ends inside it
    for measure in range(6, 12):
        lines = compose(pieces, Setting(measure=measure * SIZE))
        assert all(not line.text.endswith(("−", "￥")) and not line.text.startswith("℃") for line in lines)


def test_an_aligned_line_ending_in_a_mark_is_placed_by_its_ink(chain):
    # the closing bracket's blank right half is not set at a line end: （下转第6版） set right ends
    # its ink at the column edge, and centred its ink has as much room on each side
    measure = 10 * SIZE
    right, = lines_of(chain, "（下转第6版）", chars=10, indent=0, align="right")
    centre, = lines_of(chain, "（下转第6版）", chars=10, indent=0, align="center")
    assert right.glyphs[-1].text == "）"
    assert right.glyphs[-1].x + SIZE / 2 == pytest.approx(measure)
    ink_start, ink_end = centre.glyphs[0].x + SIZE / 2, centre.glyphs[-1].x + SIZE / 2
    assert ink_start == pytest.approx(measure - ink_end)
