"""Latin text inside Chinese copy: where a word, number, URL, e-mail address or path starts and
ends, and where a line may break inside it.

A *token* is a run that justification never spreads and that keeps its sign, currency and unit:
`−5℃`, `￥300`, `3～5`, `2020—2025`, `30 km`, `responsibilities,`, `(GDP)`,
`https://example.com/a?b=1`. Inside a token a line may end only after one of `/ . - _ ? & = # @` of
a URL, e-mail address or path (no hyphen added), or at a hyphenation point of an English word
(a hyphen added; the points come from pyphen's en_US patterns).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from broadsheet.text.chars import C, classify

#: Signs that belong to the number after them (− + ± ～ before digits; currency signs).
SIGNS = frozenset("−+±～〜~-$¥€£￥₩₹")
#: Signs and units that belong to the number before them.
UNITS_AFTER = frozenset("%‰℃℉°′″％")
#: Marks that join two numbers into a range (3～5, 2020—2025) or a ratio.
RANGE_MARKS = frozenset("～〜—–")
#: Full-width or CJK-classed characters that join a token only in these places (all others do not).
CONTEXTUAL = SIGNS | UNITS_AFTER | RANGE_MARKS
#: Unit symbols that stay with the number before them across a space (30 km, 5 kWh).
UNIT_WORDS = frozenset(("km", "m", "cm", "mm", "nm", "kg", "g", "mg", "t", "L", "mL", "ml", "h", "min", "s", "ms",
                        "Hz", "kHz", "MHz", "GHz", "W", "kW", "MW", "GW", "kWh", "V", "kV", "A", "Pa", "kPa", "MPa",
                        "KB", "MB", "GB", "TB", "dB", "km²", "m²", "m³", "ha", "mu"))
#: A URL, e-mail address or path breaks after these (never with a hyphen).
URL_BREAKS = frozenset("/.-_?&=#@")
#: Punctuation a token may start or end with that is not part of the URL inside it.
_LEADING = "([{'\"‘“"
TRAILING = ".,;:!?)]}'\"’”"

_URL = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)\S+|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
                  r"\.(?:com|cn|org|net|gov|edu|int|io|info|biz|hk|tw|mo|uk|de|fr|jp)(?:[/:?#]\S*)?$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PATH = re.compile(r"(?:~?/|\.\.?/|[A-Za-z]:\\)\S*[/\\]\S*")

WORD, NUMBER, URL, SYMBOL = "word", "number", "url", "symbol"


@dataclass(frozen=True)
class Token:
    """A run of Latin text: text[start:end] and its kind (word, number, url, symbol: marks alone)."""

    start: int
    end: int
    kind: str
    text: str

    @cached_property
    def breaks(self) -> tuple[tuple[int, bool], ...]:
        """The offsets in the token after which a line may end, with whether a hyphen is added
        there (worked out when asked: hyphenation loads its patterns on first use)."""
        s = self.text
        if self.kind == URL:
            lead = len(s) - len(s.lstrip(_LEADING))
            return tuple((lead + k, False) for k in _url_breaks(s[lead:without_trailing(s)]))
        return _word_breaks(s) if self.kind == WORD else ()


def _is_latin(ch: str) -> bool:
    """May this character be part of a token (context aside)?"""
    if ch.isspace():
        return False
    cls = classify(ch)
    return cls in (C.LATIN, C.DIGIT) or (cls == C.OTHER and ch not in "　")


def token_at(text: str, i: int) -> Token | None:
    """The token that starts at text[i], or None where Chinese text or a space is."""
    n = len(text)
    ch = text[i]
    if not _is_latin(ch):
        # a full-width sign starts a token only before a digit (～5, ￥300)
        if not (ch in SIGNS and i + 1 < n and text[i + 1].isdigit()):
            return None
    j = i + 1
    while j < n:
        c = text[j]
        if _is_latin(c):
            j += 1
            continue
        prev_digit = text[j - 1].isdigit()
        nxt = text[j + 1] if j + 1 < n else ""
        if prev_digit and c in UNITS_AFTER:
            j += 1  # 30％
        elif prev_digit and c in RANGE_MARKS and nxt.isdigit():
            j += 1  # 3～5, 2020—2025
        elif c == " " and prev_digit and (unit := _unit_after(text, j + 1)):
            j += 1 + len(unit)  # 30 km: the space does not break
        else:
            break
    return _classify_token(text, i, j)


def _unit_after(text: str, k: int) -> str:
    m = re.match(r"[A-Za-z²³]+", text[k:k + 5])
    if m is None:
        return ""
    unit = m.group()
    end = k + len(unit)
    if unit in UNIT_WORDS and (end >= len(text) or classify(text[end]) is not C.LATIN):
        return unit
    return ""


def _classify_token(text: str, i: int, j: int) -> Token:
    s = text[i:j]
    lead = len(s) - len(s.lstrip(_LEADING))
    core = s[lead:without_trailing(s)]
    if (m := _URL.match(core) or _EMAIL.fullmatch(core) or _PATH.match(core)) and m.end() == len(core):
        return Token(i, j, URL, s)
    if not any(c.isalnum() for c in s):
        return Token(i, j, SYMBOL, s)
    if not any(c.isalpha() for c in s) or s[0].isdigit() or (s[0] in SIGNS and len(s) > 1 and s[1].isdigit()):
        return Token(i, j, NUMBER, s)
    return Token(i, j, WORD, s)


def without_trailing(s: str) -> int:
    """The length of s without the sentence's marks after it (a ) that closes a ( in s stays)."""
    end = len(s)
    while end and s[end - 1] in TRAILING:
        if s[end - 1] == ")" and s.count("(", 0, end) >= s.count(")", 0, end):
            break
        end -= 1
    return end


def _url_breaks(core: str) -> list[int]:
    """After each break mark, but not inside a run of them (https:// breaks after the //), and
    leaving at least two characters on each side."""
    return [k + 1 for k in range(1, len(core) - 2) if core[k] in URL_BREAKS and core[k + 1] not in URL_BREAKS]


def _word_breaks(s: str) -> tuple[tuple[int, bool], ...]:
    """Hyphenation points of each run of letters, and after a hyphen between two letters."""
    out = []
    for m in re.finditer(r"[^\W\d_]{5,}", s):
        word = m.group()
        if word.isupper():
            continue  # acronyms and pinyin flags (GUANCHAO) are not English words
        out.extend((m.start() + p, True) for p in hyphenation_points(word))
    for k in range(1, len(s) - 1):
        if s[k] == "-" and s[k - 1].isalpha() and s[k + 1].isalpha():
            out.append((k + 1, False))
    return tuple(sorted(out))


@lru_cache(maxsize=4096)
def hyphenation_points(word: str) -> tuple[int, ...]:
    """Where an English word may be hyphenated: at least two letters on either side, as
    InDesign's defaults have it (TeX keeps three after). A narrow Chinese column would otherwise
    spread a whole line's Han gaps for a word like Glob-al, whose only point leaves two."""
    return tuple(_dictionary().positions(word))


@lru_cache(maxsize=1)
def _dictionary():
    import pyphen  # loaded on the first long English word (its patterns take ~0.1 s to read)

    return pyphen.Pyphen(lang="en_US", left=2, right=2)
