"""Character classes for Chinese composition, after clreq / JIS X 4051, and the clean-up of ASCII
punctuation that wire copy leaves between Han characters.

The tables drive line breaking (which marks may not start or end a line, what may not be split),
punctuation compression (which half of a mark's em is blank) and spacing (Han next to Latin).
"""

from __future__ import annotations

import re
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
    LATIN_PART = "letter of an over-long word"  # made by the composer, never by classify()
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

#: Never first on a line (clreq; NEWSPAPER.md §4).
LINE_START_PROHIBITED = {C.CLOSE, C.PAUSE, C.STOP, C.COLON, C.DIVIDING, C.MIDDLE_DOT, C.CONNECTOR}
#: Never last on a line.
LINE_END_PROHIBITED = {C.OPEN}
#: Marks whose glyph fills half its em (GB style: ink in the left half, except opening brackets).
HALF_INK = {C.OPEN, C.CLOSE, C.PAUSE, C.STOP, C.COLON, C.DIVIDING}
#: Characters that continue a Latin word or a number (2.6, 30%, C位 is split at the Han).
_WORD_INNER = set(".,%'’-_/:+&@#$°‰")


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


def is_word_inner(ch: str) -> bool:
    return ch in _WORD_INNER


def is_cjk(ch: str) -> bool:
    cls = classify(ch)
    return cls not in (C.LATIN, C.DIGIT, C.SPACE, C.OTHER)


#: ASCII punctuation that Chinese text sets full width (NEWSPAPER.md §4).
FULL_WIDTH = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
_ASCII_MARK = re.compile("[" + re.escape("".join(FULL_WIDTH)) + "]")


def full_width_punctuation(text: str) -> tuple[str, list[tuple[int, str, str]]]:
    """Replace ASCII , ; : ! ? ( ) next to Chinese text by their full-width forms.

    A mark is converted when the nearest non-space character before or after it is Chinese
    (an ideograph or a Chinese mark), but never between two digits (1,000 or 10:30 stay).
    Returns the new text and the changes made as (index, old, new).
    """
    changes: list[tuple[int, str, str]] = []
    marks = [m.start() for m in _ASCII_MARK.finditer(text)]
    if not marks:
        return text, changes
    out = list(text)
    n = len(text)
    for i in marks:
        ch = text[i]
        new = FULL_WIDTH[ch]
        j = i - 1
        while j >= 0 and text[j] == " ":
            j -= 1
        k = i + 1
        while k < n and text[k] == " ":
            k += 1
        before = text[j] if j >= 0 else ""
        after = text[k] if k < n else ""
        if before.isdigit() and after.isdigit():
            continue
        if (before and is_cjk(out[j] if j >= 0 else before)) or (after and is_cjk(after)):
            out[i] = new
            changes.append((i, ch, new))
    return "".join(out), changes
