"""Character classes for Chinese composition, after clreq / JIS X 4051.

The tables drive line breaking (which marks may not start or end a line, what may not be split),
punctuation compression (which half of a mark's em is blank) and spacing (Han next to Latin).
"""

from __future__ import annotations

import unicodedata
from enum import Enum


class C(Enum):
    OPEN = "opening bracket"          # （〔［｛《〈「『【“‘
    CLOSE = "closing bracket"         # ）〕］｝》〉」』】”’
    PAUSE = "pause mark"              # 、，
    STOP = "full stop"                # 。．
    COLON = "colon/semicolon"         # ：；
    DIVIDING = "dividing mark"        # ？！
    MIDDLE_DOT = "middle dot"         # ·・
    CONNECTOR = "connector"           # ～
    INSEPARABLE = "inseparable mark"  # —— ……
    HAN = "ideograph"
    LATIN = "latin"
    DIGIT = "digit"
    SPACE = "space"
    OTHER = "other"

    # Enum hashes by name in Python code; the composer tests membership of these classes
    # hundreds of thousands of times per page, so hash by identity (members are singletons).
    __hash__ = object.__hash__


_TABLE: dict[str, C] = {}
for chars, cls in (
    ("（〔［｛《〈「『【“‘〖〘", C.OPEN),
    ("）〕］｝》〉」』】”’〗〙", C.CLOSE),
    ("、，", C.PAUSE),
    ("。．", C.STOP),
    ("：；", C.COLON),
    ("？！", C.DIVIDING),
    ("·・", C.MIDDLE_DOT),
    ("～〜", C.CONNECTOR),
    ("—…‥⸺", C.INSEPARABLE),
):
    for ch in chars:
        _TABLE[ch] = cls

#: Every mark the table classifies (their ink boxes are read from each font).
PUNCTUATION = "".join(_TABLE)
#: The full-width horizontal bar: fonts whose — is narrower than an em (Noto CJK SC) draw a
#: Chinese dash (——) with it, a full em each.
BAR = "―"

#: Never first on a line (clreq; NEWSPAPER.md §4).
LINE_START_PROHIBITED = {C.CLOSE, C.PAUSE, C.STOP, C.COLON, C.DIVIDING, C.MIDDLE_DOT, C.CONNECTOR}
#: Never last on a line.
LINE_END_PROHIBITED = {C.OPEN}
#: Marks whose glyph fills half its em (GB style: ink in the left half, except opening brackets).
HALF_INK = {C.OPEN, C.CLOSE, C.PAUSE, C.STOP, C.COLON, C.DIVIDING}


def classify(ch: str) -> C:
    cls = _TABLE.get(ch)
    if cls is not None:
        return cls
    if ch.isspace():
        return C.SPACE
    if ch.isdigit() and ord(ch) < 0x2000:
        return C.DIGIT
    o = ord(ch)
    if (0x3400 <= o <= 0x9FFF) or (0xF900 <= o <= 0xFAFF) or (0x20000 <= o <= 0x3FFFF) or 0x3040 <= o <= 0x30FF:
        return C.HAN
    if ch.isalpha() and o < 0x2000:
        return C.LATIN
    eaw = unicodedata.east_asian_width(ch)
    if eaw in ("W", "F") or (eaw == "A" and 0x2460 <= o <= 0x27BF):
        return C.HAN  # full-width symbols (■ ★ ① and full-width letters) behave like ideographs
    return C.OTHER


def is_word_char(ch: str) -> bool:
    return classify(ch) in (C.LATIN, C.DIGIT)


def is_cjk(ch: str) -> bool:
    cls = classify(ch)
    return cls not in (C.LATIN, C.DIGIT, C.SPACE, C.OTHER)
