"""ASCII punctuation in Chinese copy, set the Chinese way by context.

Wire copy and text taken from PDFs carry ASCII marks where the printed page has Chinese ones. In
Chinese text `, ; : ! ? ( )` become `，；：！？（）`, a full stop ending a Chinese sentence becomes
`。` (`显现.据` — but never a decimal point, `U.S.`, or a URL's dot), straight quotes become “…” with ‘…’ inside,
`...` and a lone `…` become ……, and `--` becomes ——. A mark stays as written where it belongs to
Latin text: a number (`1,000`, `10:30`, `3:2`), a URL, an e-mail address or a path, or a run of
English words (`Hello, world`); an apostrophe stays (`China's`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import NamedTuple

from broadsheet.text.chars import C, classify
from broadsheet.text.latin import URL, token_at, without_trailing

#: ASCII punctuation that Chinese text sets full width (NEWSPAPER.md §4).
FULL_WIDTH = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
#: The kinds of conversion, as the quality report names them.
MARK, STOP, BRACKET, QUOTE, ELLIPSIS, DASH = "，；：！？", "。", "（）", "“”‘’", "……", "——"

_CANDIDATE = re.compile(r"[,;:!?()\"']|\.{3,}|\.|…+|-{2,3}")
#: Latin text with its spaces: anything but Chinese characters and marks (“” ‘’ — … included).
_LATIN_RUN = re.compile(r"[^\u2014\u2018-\u201d\u2026\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+")
_WORDS = re.compile(r"[^\W\d_]+")
#: ASCII runs that may hold a URL, an e-mail address or a path.
_MAYBE_URL = re.compile(r"[!-~]*[/@.][!-~]*")
_END = 1 << 62


class Change(NamedTuple):
    index: int  # where the old text starts, in the text as written
    old: str
    new: str
    kind: str  # MARK, STOP, BRACKET, QUOTE, ELLIPSIS or DASH


def full_width_punctuation(text: str) -> tuple[str, list[Change]]:
    """The text with its ASCII punctuation set as Chinese text wants it, and the changes made."""
    converted, changes = _converted(text)
    return converted, list(changes)


@lru_cache(maxsize=8192)  # the glyph check and the layout convert the same paragraphs
def _converted(text: str) -> tuple[str, tuple[Change, ...]]:
    text, changes = _convert(text)
    return text, tuple(changes)


def _convert(text: str) -> tuple[str, list[Change]]:
    found = list(_CANDIDATE.finditer(text))
    if not found:
        return text, []
    protected = _protected(text)
    english = _english_runs(text)
    changes: list[Change] = []
    opened: list[int] = []  # the ( not yet closed, as indexes into changes (kept ones too, for now)
    double_open = single_open = False
    seen = 0  # the text before here has been looked at for curly quotes the writer typed
    for m in found:
        i, old = m.start(), m.group()
        if _inside(protected, i):
            continue
        inner = _inside_english(english, text, i, len(old))
        ch = old[0]
        if ch in "\"'":
            # a straight quote after a curly one the writer typed answers that one (“好的"，)
            double_open = _still_open(text, seen, i, "“", "”", double_open)
            single_open = _still_open(text, seen, i, "‘", "’", single_open)
            seen = i
        if ch == '"':
            changes.append(Change(i, old, "”" if double_open else "“", QUOTE))
            double_open = not double_open
        elif ch == "'":
            before, after = _latin(text[i - 1:i]), _latin(text[i + 1:i + 2])
            if (before and after and not after.isdigit()) or before.isdigit():
                continue  # an apostrophe (China's) or minutes (5'30)
            changes.append(Change(i, old, "’" if single_open else "‘", QUOTE))
            single_open = not single_open
        elif old == ".":
            if not inner and _ends_chinese_sentence(text, i):
                changes.append(Change(i, old, "。", STOP))
        elif ch in ".…":
            if old != "……" and not inner:
                changes.append(Change(i, old, "……", ELLIPSIS))
        elif ch == "-":
            if not inner:
                changes.append(Change(i, old, "——", DASH))
        elif ch in "()":
            change = Change(i, old, old if inner else FULL_WIDTH[ch], BRACKET)
            if ch == "(":
                opened.append(len(changes))
            elif opened:
                k = opened.pop()
                if (changes[k].new == "（") != (change.new == "）"):
                    # one of the pair is in Chinese text: both are set full width
                    changes[k] = changes[k]._replace(new="（")
                    change = change._replace(new="）")
            changes.append(change)
        elif not inner and not _in_number(text, i, ch):
            changes.append(Change(i, old, FULL_WIDTH[ch], MARK))
    changes = [c for c in changes if c.new != c.old]
    out, pos = [], 0
    for c in changes:
        out.append(text[pos:c.index])
        out.append(c.new)
        pos = c.index + len(c.old)
    out.append(text[pos:])
    return "".join(out), changes


def _still_open(text: str, start: int, end: int, opening: str, closing: str, was: bool) -> bool:
    """Whether a quotation is open at `end`, from the last curly quote of the kind in
    text[start:end] (or as it was at `start`, when there is none)."""
    last = max(text.rfind(opening, start, end), text.rfind(closing, start, end))
    return was if last < 0 else text[last] == opening


def source_index(changes: list[Change], index: int) -> int:
    """Where the character at `index` of the converted text was in the text as written."""
    shift = 0
    for c in changes:
        at = c.index + shift  # where the change's new text starts in the converted text
        if index < at + len(c.new):
            return c.index if index >= at else index - shift
        shift += len(c.new) - len(c.old)
    return index - shift


def converted_index(changes: list[Change], index: int) -> int:
    """Where the text as written at `index` (a boundary between characters) is in the converted
    text (a boundary inside a change: after it)."""
    shift = 0
    for c in changes:
        if c.index >= index:
            break
        if index < c.index + len(c.old):
            return c.index + shift + len(c.new)
        shift += len(c.new) - len(c.old)
    return index + shift


def _latin(ch: str) -> str:
    """The character if it is a Latin letter or a digit, else ''."""
    return ch if ch and classify(ch) in (C.LATIN, C.DIGIT) else ""


def _ends_chinese_sentence(text: str, i: int) -> bool:
    """A full stop after Chinese text (显现. or 20%. before Chinese text or the end), not a
    decimal point (3.5) nor the dot of an abbreviation (U.S.)."""
    before, after = text[i - 1:i], text[i + 1:i + 2]
    if not before or before.isspace() or (before.isdigit() and after.isdigit()):
        return False
    chinese = lambda ch: bool(ch) and classify(ch) not in (C.LATIN, C.DIGIT, C.SPACE, C.OTHER)  # noqa: E731
    if chinese(before):
        return True
    # after a number or its unit (增长20%.): only where Chinese text or nothing follows
    return (before.isdigit() or before in "%‰℃°") and (not after or after.isspace() or chinese(after))


def _in_number(text: str, i: int, ch: str) -> bool:
    """1,000 (a comma before exactly three digits), 10:30 and 3:2 (a colon between digits)."""
    if i == 0 or not text[i - 1].isdigit():
        return False
    if ch == ",":
        digits = re.match(r"\d+", text[i + 1:i + 5])
        return digits is not None and len(digits.group()) == 3
    return ch == ":" and text[i + 1:i + 2].isdigit()


def _protected(text: str) -> list[tuple[int, int]]:
    """The spans of URLs, e-mail addresses and paths (without the sentence's marks around them)."""
    spans = []
    for m in _MAYBE_URL.finditer(text):
        token = token_at(text, m.start())
        if token is not None and token.kind == URL:
            a = token.start
            while text[a] in "([{":
                a += 1
            spans.append((a, a + without_trailing(text[a:token.end])))
    return spans


def _english_runs(text: str) -> list[tuple[int, int]]:
    """Stretches of Latin text (between Chinese text) of two or more words."""
    return [m.span() for m in _LATIN_RUN.finditer(text) if len(_WORDS.findall(m.group())) >= 2]


def _inside(spans: list[tuple[int, int]], i: int) -> bool:
    """Is index i inside one of the spans (sorted, disjoint)?"""
    k = bisect_right(spans, (i, _END)) - 1
    return k >= 0 and i < spans[k][1]


def _inside_english(spans: list[tuple[int, int]], text: str, i: int, n: int) -> bool:
    """Is the mark text[i:i+n] inside a run of English words: with Latin text on both sides?"""
    k = bisect_right(spans, (i, _END)) - 1
    if k < 0 or i >= spans[k][1]:
        return False
    a, b = spans[k]
    return any(c.isalnum() for c in text[a:i]) and any(c.isalnum() for c in text[i + n:b])
