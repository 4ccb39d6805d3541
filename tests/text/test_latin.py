"""Latin text in Chinese copy: tokens (words, numbers with their signs and units, URLs, e-mail
addresses, paths), where lines may break inside them, and how the composer sets them — unit
tests on real faces and property tests on mixed text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from broadsheet.fonts.faces import FontChain, FontFinder
from broadsheet.text import compose as compose_module
from broadsheet.text.chars import C, LINE_START_PROHIBITED, classify
from broadsheet.text.compose import Line, Piece, Setting, compose
from broadsheet.text.latin import NUMBER, SYMBOL, URL, WORD, URL_BREAKS, hyphenation_points, token_at
from broadsheet.text.punctuation import full_width_punctuation

SIZE = 9.0
BLACK = (0.0, 0.0, 0.0, 100.0)


@pytest.fixture(scope="module")
def chain() -> FontChain:
    return FontChain([FontFinder().find("Noto Serif CJK SC")])


def lines_of(chain, text, chars=11, indent=0, **kw) -> list[Line]:
    return compose([Piece(text, chain, SIZE, BLACK)], Setting(measure=chars * SIZE, indent=indent * SIZE, **kw))


def placed(lines: list[Line], text: str) -> list[tuple[int, int, object]]:
    """(index in text, line number, glyph) of every glyph set for a character of the text (an
    added hyphen aside), checking on the way that every character is set once, in order."""
    out = []
    k = 0
    for n, line in enumerate(lines):
        glyphs = line.glyphs[:-1] if line.hyphen else line.glyphs
        for g in glyphs:
            while text[k] != g.text:
                assert text[k] == " ", (text[k], g.text)  # only spaces at a line break are dropped
                k += 1
            out.append((k, n, g))
            k += 1
    assert text[k:].strip() == ""
    return out


def tokens(text: str) -> list[tuple[int, int, str]]:
    out, i = [], 0
    while i < len(text):
        t = token_at(text, i)
        if t is None:
            i += 1
        else:
            out.append((t.start, t.end, t.kind))
            i = t.end
    return out


def advance(g) -> float:
    return g.face.advance(g.gid, g.size)


def ink(g) -> tuple[float, float]:
    """Where a glyph's ink starts and ends: from the font for punctuation, else its advance."""
    box = g.face.ink.get(ord(g.text))
    if box is None:
        return g.x, g.x + advance(g)
    scale = g.size / g.face.upem
    return g.x + box[0] * scale, g.x + box[1] * scale


def check_tokens_unspread(lines: list[Line], text: str) -> None:
    """Inside a token, each glyph stands exactly one advance after the one before it."""
    spans = tokens(text)
    where = {k: s for s in spans for k in range(s[0], s[1])}
    seq = placed(lines, text)
    for (ka, na, a), (kb, nb, b) in zip(seq, seq[1:]):
        if na == nb and kb == ka + 1 and ka in where and where.get(kb) == where[ka]:
            assert b.x == pytest.approx(a.x + advance(a), abs=1e-6), (text[where[ka][0]:where[ka][1]], a.text, b.text)


# -- tokens ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, token, kind", [
    ("−5℃以下", "−5℃", NUMBER),
    ("+3.2%的", "+3.2%", NUMBER),
    ("±0.5毫米", "±0.5", NUMBER),
    ("约～5度", None, None),  # ～ after a Han is the token's own start: see the next case
    ("～5度", "～5", NUMBER),
    ("30％的", "30％", NUMBER),
    ("5‰的", "5‰", NUMBER),
    ("25°C时", "25°C", NUMBER),
    ("￥300元", "￥300", NUMBER),
    ("$1,000万", "$1,000", NUMBER),
    ("3～5年", "3～5", NUMBER),
    ("2020—2025年", "2020—2025", NUMBER),
    ("30 km长", "30 km", NUMBER),
    ("30 kmh长", "30", NUMBER),
    ("GUANCHAO", "GUANCHAO", WORD),
    ("responsibilities, and", "responsibilities,", WORD),
    ("(GDP)的", "(GDP)", WORD),
    ("https://www.example.com/a?b=1#top。", "https://www.example.com/a?b=1#top", URL),
    ("xinhuanet.com/politics查看", "xinhuanet.com/politics", URL),
    ("press@xinhua.org.cn咨询", "press@xinhua.org.cn", URL),
    ("/usr/local/bin下", "/usr/local/bin", URL),
    ("+", "+", SYMBOL),
])
def test_tokens_keep_signs_units_and_ranges(text, token, kind):
    t = token_at(text, 0)
    if token is None:
        assert t is None
        return
    assert text[t.start:t.end] == token and t.kind == kind


def test_url_breaks_only_after_its_marks_and_not_inside_a_run_of_them():
    url = "https://www.stats.gov.cn/sj/zxfb/t20240520_1950000.html?id=3&x=5"
    t = token_at(url, 0)
    cuts = [k for k, hyphen in t.breaks]
    assert not any(hyphen for _, hyphen in t.breaks)
    assert all(url[k - 1] in URL_BREAKS and url[k] not in URL_BREAKS for k in cuts)
    assert url[:cuts[0]] == "https://"  # not between the two slashes
    assert {url[k - 1] for k in cuts} == set("/._?&=")


def test_an_email_address_breaks_after_its_at_sign_too():
    # a long address with one dot before its domain's end had a single break: in a 17-character
    # column the Chinese lines before it were spread to make room for it on a line of its own
    t = token_at("service@shenyangmarathon.org.cn", 0)
    assert [t.text[:k] for k, _ in t.breaks] == ["service@", "service@shenyangmarathon.", "service@shenyangmarathon.org."]
    assert not any(hyphen for _, hyphen in t.breaks)


def test_english_words_break_at_hyphenation_points():
    t = token_at("responsibilities", 0)
    assert [k for k, _ in t.breaks] == list(hyphenation_points("responsibilities"))
    assert all(hyphen for _, hyphen in t.breaks)
    assert all(2 <= k <= len("responsibilities") - 3 for k, _ in t.breaks)
    assert token_at("GUANCHAO", 0).breaks == ()  # capitals: an acronym or pinyin, not English
    assert token_at("well-known", 0).breaks == ((5, False),)  # after its own hyphen, none added


# -- the composer --------------------------------------------------------------------------------

URL_TEXT = "详情请访问https://www.stats.gov.cn/sj/zxfb/202405/t20240520_1950000.html查询。"


@pytest.mark.parametrize("chars", range(8, 16))
def test_a_url_breaks_only_at_its_marks_without_hyphen_or_spread(chain, chars):
    lines = lines_of(chain, URL_TEXT, chars=chars)
    start = URL_TEXT.index("https")
    end = URL_TEXT.index("查")
    for line in lines[:-1]:
        if start < line.end < end:  # the line ends inside the URL
            assert URL_TEXT[line.end - 1] in URL_BREAKS and not line.hyphen and not line.split_word
    check_tokens_unspread(lines, URL_TEXT)


def test_han_latin_gap_on_both_sides_of_a_broken_url_and_never_at_a_line_edge(chain):
    lines = lines_of(chain, URL_TEXT, chars=11)
    seq = placed(lines, URL_TEXT)
    gap = 0.25 * SIZE
    for (ka, na, a), (kb, nb, b) in zip(seq, seq[1:]):
        if na == nb and classify(a.text) is C.HAN and kb == URL_TEXT.index("https"):
            assert b.x - (a.x + SIZE) >= gap - 1e-6  # before the URL
        if na == nb and URL_TEXT[ka] == "l" and classify(b.text) is C.HAN:
            assert b.x - (a.x + advance(a)) >= gap - 1e-6  # after it, on the line where it ends
    for line in lines:
        assert line.glyphs[0].x == pytest.approx(0.0)  # no gap at a line start
        last = line.glyphs[-1]
        if classify(last.text) is not C.HAN:
            assert line.right == pytest.approx(last.x + advance(last))  # no gap at a line end
        if line.gaps and not line.last and line.spacing < compose_module.MAX_GAP * SIZE:
            assert line.right == pytest.approx(11 * SIZE)


def test_an_english_word_breaks_at_a_hyphenation_point_with_a_hyphen(chain):
    text = "他们介绍了internationalization strategy的新进展和合作计划"
    lines = lines_of(chain, text, chars=11)
    hyphenated = [line for line in lines if line.hyphen]
    assert hyphenated
    for line in hyphenated:
        assert line.glyphs[-1].text == "-" and line.right <= 11 * SIZE + 1e-6
        word_start = text.index("internationalization")
        assert line.end - word_start in hyphenation_points("internationalization")
    check_tokens_unspread(lines, text)


def test_a_word_wider_than_the_measure_is_split_as_a_flagged_last_resort(chain):
    text = "代号ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGH的项目"
    lines = lines_of(chain, text, chars=8)
    assert any(line.split_word for line in lines)
    assert not any(line.split_word for line in lines_of(chain, URL_TEXT, chars=8))


@pytest.mark.parametrize("chars", range(6, 16))  # 2020—2025 is five ems wide
def test_signs_and_units_stay_with_their_numbers(chain, chars):
    text = "气温−5℃至+3℃，增长30％和5.2%，约￥300元，期限3～5年，规划2020—2025年，全长30 km。"
    lines = lines_of(chain, text, chars=chars)
    for whole in ("−5℃", "+3℃", "30％", "5.2%", "￥300", "3～5", "2020—2025", "30 km"):
        assert any(whole in line.text for line in lines), (whole, [line.text for line in lines])


def test_english_punctuation_follows_english_rules(chain):
    text = "他说 This is a test: the roles, responsibilities, and duties are clear 然后离开。"
    for chars in range(6, 14):
        lines = lines_of(chain, text, chars=chars)
        assert not any(line.text[0] in ",.:;!?" for line in lines)
        seq = placed(lines, text)
        for (ka, na, a), (kb, nb, b) in zip(seq, seq[1:]):
            if na == nb and b.text in ",:" and kb == ka + 1:
                assert b.x == pytest.approx(a.x + advance(a))  # no space before , or :


def test_no_line_starts_with_english_punctuation_even_after_a_space(chain):
    text = "他们谈到 roles , responsibilities , and duties : all of them 然后离开了会场。"
    for chars in range(5, 14):
        assert not any(line.text.lstrip()[0] in ",:" for line in lines_of(chain, text, chars=chars))


def test_never_break_before_a_middle_dot_and_after_it_only_when_nothing_better_exists(chain):
    text = "国际奥委会主席托马斯·巴赫出席并致辞，阿卜杜勒·阿齐兹国王科技城的代表也出席了会议。"
    for chars in range(5, 16):
        lines = lines_of(chain, text, chars=chars)
        assert not any(line.text.startswith("·") for line in lines)
        after_dot = [line for line in lines[:-1] if line.text.endswith("·")]
        if after_dot:
            # only when every other break costs more: without the dot's penalty it would be cheaper
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(compose_module, "NAME_BREAK", 0.0)
                assert [ln.end for ln in lines_of(chain, text, chars=chars)] == [ln.end for ln in lines]
    # a break after the dot is not chosen where another break costs little
    assert not any(line.text.endswith("·") for line in lines_of(chain, text, chars=9))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(compose_module, "NAME_BREAK", 0.0)
        assert any(line.text.endswith("·") for chars in range(5, 16) for line in lines_of(chain, text, chars=chars))


# -- properties on mixed text ----------------------------------------------------------------------

HAN = st.sampled_from(list("党小组织村民群众脱贫攻坚产业发展基层干部"))
MARK = st.sampled_from(list("，。、；：？！“”（）") + ["——", "……", "·"])
LATIN = st.sampled_from(["GDP", "COVID-19", "Indermit Gill", "responsibilities,", "internationalization",
                         "the digital economy", "test: ok", "well-known"])
NUMBER_ = st.sampled_from(["2.6", "30%", "6,130", "−5℃", "+3.2%", "±0.5", "￥300", "3～5", "2020—2025",
                          "30 km", "10:30", "1/2"])
URLS = st.sampled_from(["https://www.stats.gov.cn/sj/zxfb/202405/t20240520_1950000.html",
                        "press-office@stats.gov.cn", "/data/releases/2024/q2/", "xinhuanet.com/politics",
                        "http://a.cn/?q=a&b=c#x"])
MIXED = st.lists(st.one_of(HAN, HAN, HAN, HAN, HAN, MARK, LATIN, NUMBER_, URLS, st.just(" ")), min_size=1, max_size=90)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=MIXED, chars=st.integers(min_value=6, max_value=20), indent=st.sampled_from([0, 2]),
       hanging=st.booleans())
def test_mixed_text_properties(chain, parts, chars, indent, hanging):
    text, _ = full_width_punctuation("".join(parts))
    lines = lines_of(chain, text, chars=chars, indent=indent, hanging=hanging)
    placed(lines, text)  # every character set once, in order
    measure = chars * SIZE
    for n, line in enumerate(lines):
        # no glyph's ink overlaps the next one's (compression takes only a mark's blank)
        for a, b in zip(line.glyphs, line.glyphs[1:]):
            assert ink(b)[0] >= ink(a)[1] - 0.01, (line.text, a.text, b.text)
        # within the measure (a hanging mark aside); kinsoku holds
        hung = SIZE if hanging and line.text[-1] in "，。、" else 0.0
        assert line.right <= measure + hung + 1e-6
        if n and not line.forced and not lines[n - 1].split_word:  # (a word split as the last resort
            assert classify(line.text[0]) not in LINE_START_PROHIBITED, line.text  # goes on with anything)
            assert line.text[0] not in ",.:;!?"
    # justification never spreads a word, number or URL
    check_tokens_unspread(lines, text)


# -- through layout and the PDF ------------------------------------------------------------------

WIRE_STORY = """\
---
title: 数字经济持续发力
---

国家统计局20日发布数据,1至4月份增长6.3%,气温−5℃至3℃,约￥300元,3～5年。详细数据可登录网站https://www.stats.gov.cn/sj/zxfb/202405/t20240520_1950000.html查询,或发送邮件至press-office@stats.gov.cn咨询。

世界银行首席经济学家英德米特·吉尔(Indermit Gill)表示:"China's digital economy is growing faster than expected, and its responsibilities are increasing." 他说...还有--代号ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMN的项目。
"""


def test_latin_text_through_layout_and_pdf(mini):
    import io

    import pdfplumber

    from conftest import MINI_SPEC

    mini.write("story.md", WIRE_STORY)
    mini.spec(MINI_SPEC.replace("columns: 4\n", "columns: 5\n"))
    result, warnings = mini.build()
    # the last-resort break is a warning naming the story and its line
    [split] = [w for w in warnings if w.code == "word-break"]
    assert split.severity == "warning" and split.pos.file == "story.md" and split.pos.line == 7
    assert "story 'story'" in split.message
    # the report counts each kind of conversion
    q = result.stories["story"].quality
    assert q.conversions == {"，；：！？": 6, "（）": 2, "“”‘’": 2, "……": 1, "——": 1} and q.full_width == 12
    # every glyph sits in the PDF where layout put it (words and URLs keep their letters'
    # advances while their lines carry the justification as character spacing)
    runs = [r for page in result.document.pages for r in page.runs() if r.glyphs]
    assert any("https://" in r.text for r in runs) and any(r.text.endswith("-") for r in runs)
    with pdfplumber.open(io.BytesIO((mini.root / "out.pdf").read_bytes())) as doc:
        page_h = float(doc.pages[0].height)
        read: dict[str, list[tuple[float, float]]] = {}
        for c in doc.pages[0].chars:
            read.setdefault(c["text"], []).append((c["matrix"][4], page_h - c["matrix"][5]))
    far = []
    for r in runs:
        for g in r.glyphs:
            spots = read.get(g.text, [])
            k = min(range(len(spots)), key=lambda k: abs(spots[k][0] - r.x - g.x) + abs(spots[k][1] - r.y), default=None)
            if k is None or abs(spots[k][0] - r.x - g.x) > 0.01 or abs(spots[k][1] - r.y) > 0.01:
                far.append((g.text, r.text))
            else:
                spots.pop(k)
    assert not far, far[:5]
