"""Character classes for Chinese composition (text/chars.py): what each character is to line
breaking, compression and spacing."""

from __future__ import annotations

import pytest

from broadsheet.text.chars import C, PUNCTUATION, classify, is_cjk, is_word_char


@pytest.mark.parametrize("chars,cls", [
    ("（〔［｛《〈「『【“‘〖〘", C.OPEN),
    ("）〕］｝》〉」』】”’〗〙", C.CLOSE),
    ("、，", C.PAUSE),
    ("。．", C.STOP),
    ("：；", C.COLON),
    ("？！", C.DIVIDING),
    ("·・", C.MIDDLE_DOT),
    ("～〜", C.CONNECTOR),
    ("—…‥⸺", C.INSEPARABLE),
    ("中文字〇あア\U00020000\U0002A6D6豈", C.HAN),  # ideographs of every block, kana, 〇
    ("■★①ａＺ１", C.HAN),  # full-width symbols, letters and digits behave like ideographs
    ("aZéЖω", C.LATIN),
    ("09٣", C.DIGIT),
    (" \u3000\t\n", C.SPACE),
    (",.;:!?()-/'\"€%", C.OTHER),  # ASCII punctuation and symbols: the Latin rules, not the Chinese ones
])
def test_classes(chars, cls):
    assert [classify(ch) for ch in chars] == [cls] * len(chars), chars


def test_word_characters_and_cjk():
    assert all(is_word_char(ch) for ch in "aZé09")
    assert not any(is_word_char(ch) for ch in "中，１ -")
    assert all(is_cjk(ch) for ch in "中，。“—■ａ")
    assert not any(is_cjk(ch) for ch in "a1 ,.(")


def test_every_classified_mark_is_listed_once():
    assert len(set(PUNCTUATION)) == len(PUNCTUATION)
    assert all(classify(ch) not in (C.HAN, C.LATIN, C.DIGIT, C.SPACE, C.OTHER) for ch in PUNCTUATION)
    assert {classify(ch) for ch in PUNCTUATION} == set(C) - {C.HAN, C.LATIN, C.DIGIT, C.SPACE, C.OTHER}
