"""ASCII punctuation in Chinese copy, set by context (text.punctuation)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.text.punctuation import (BRACKET, DASH, ELLIPSIS, MARK, QUOTE, converted_index,
                                         full_width_punctuation, source_index)


@pytest.mark.parametrize("written, chinese", [
    ("种植大户,现在他又多了", "种植大户，现在他又多了"),
    ("成员(左)与农户", "成员（左）与农户"),
    ("同比增长5.2%,达到3000亿元", "同比增长5.2%，达到3000亿元"),  # between a percentage and a number
    ("共1,250名代表", "共1,250名代表"),
    ("分别为1,2,3名", "分别为1，2，3名"),  # not thousands: a list
    ("会议于10:30开始", "会议于10:30开始"),
    ("以3:2的比分", "以3:2的比分"),
    ("他说:好!真的?是的;走", "他说：好！真的？是的；走"),
    ("GDP, 增长", "GDP， 增长"),
    ("他说OK, fine then,然后", "他说OK, fine then，然后"),  # inside English words it stays; at their end it goes
    ("the WHO (World Health Organization) said 好", "the WHO (World Health Organization) said 好"),
    ("世卫组织(WHO)发布", "世卫组织（WHO）发布"),
    ("会议(the summit)在", "会议（the summit）在"),
    ("详见https://www.example.com/a?b=1,c:2(x)查看", "详见https://www.example.com/a?b=1,c:2(x)查看"),
    ("网址(https://a.com/x-y)查看", "网址（https://a.com/x-y）查看"),
    ("发邮件至ab@xinhua.org.cn;或", "发邮件至ab@xinhua.org.cn；或"),
    ("路径/usr/local/bin:完", "路径/usr/local/bin：完"),
    ('他说:"我读了\'论语\'。"然后', "他说：“我读了‘论语’。”然后"),
    ("China's 5'30 it's", "China's 5'30 it's"),  # apostrophes and minutes stay
    ("然后...走了…还有......", "然后……走了……还有……"),
    ("已有的……不变", "已有的……不变"),
    ("这是--真的", "这是——真的"),
    ("use --help and wait... then", "use --help and wait... then"),  # English
])
def test_conversion_by_context(written, chinese):
    assert full_width_punctuation(written)[0] == chinese


def test_changes_name_their_kind_and_place():
    text = '他说:"好(对)"...--'
    out, changes = full_width_punctuation(text)
    assert out == "他说：“好（对）”……——"
    assert [(c.index, c.old, c.new, c.kind) for c in changes] == [
        (2, ":", "：", MARK), (3, '"', "“", QUOTE), (5, "(", "（", BRACKET), (7, ")", "）", BRACKET),
        (8, '"', "”", QUOTE), (9, "...", "……", ELLIPSIS), (12, "--", "——", DASH)]


def test_indexes_map_between_the_text_as_written_and_as_converted():
    text = "a...b中文...完"
    out, changes = full_width_punctuation(text)
    assert out == "a...b中文……完"
    assert [source_index(changes, i) for i in range(len(out))] == [0, 1, 2, 3, 4, 5, 6, 7, 7, 10]
    assert converted_index(changes, 10) == 9 and converted_index(changes, 7) == 7
    assert converted_index(changes, 8) == 9  # inside a change: after it


@settings(deadline=None)
@given(st.lists(st.sampled_from(["党", "村", "a", "Gill", " ", "1", "000", ",", ":", "(", ")", '"', "'",
                                 "...", "…", "--", "https://a.cn/x", "。"]), max_size=30))
def test_converted_text_maps_back_character_by_character(parts):
    text = "".join(parts)
    out, changes = full_width_punctuation(text)
    for i, ch in enumerate(out):
        j = source_index(changes, i)
        assert 0 <= j < len(text)
        if not any(c.index <= j < c.index + len(c.old) for c in changes):
            assert text[j] == ch  # an unchanged character maps to itself
    assert converted_index(changes, len(text)) == len(out)


def test_the_glyph_check_names_the_line_as_written_after_a_conversion_changed_lengths(mini):
    """The build's glyph check converts as layout does (only where the style says so) and maps
    what it finds back to the story as written: four characters fewer after …… do not move a
    missing character on line 6 to line 5."""
    from conftest import find

    mini.write("story.md", "---\ntitle: 标题\n---\n\n第一行文字......\n\ue000第二行。\n")
    errors = mini.errors()
    assert find(errors, "story.md:6:1", "U+E000")


@pytest.mark.parametrize("typed,set_", [
    ("影响已经显现.据省商务厅", "影响已经显现。据省商务厅"),
    ("同比增长3.5%.全省", "同比增长3.5%。全省"),
    ("全年增长20%.", "全年增长20%。"),
    ("美国U.S.总统", "美国U.S.总统"),  # an abbreviation's dots
    ("平均3.5公斤", "平均3.5公斤"),  # a decimal point
])
def test_a_full_stop_ending_a_chinese_sentence(typed, set_):
    text, changes = full_width_punctuation(typed)
    assert text == set_
    assert all(c.kind == "。" for c in changes)


def test_a_straight_quote_answers_a_curly_one_the_writer_typed():
    assert full_width_punctuation('“好的"，他说。')[0] == "“好的”，他说。"
    assert full_width_punctuation("“他说：'好的’\"。")[0] == "“他说：‘好的’”。"
    assert full_width_punctuation('“甲”和"乙"')[0] == "“甲”和“乙”"
