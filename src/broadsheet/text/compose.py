"""Paragraph composition: Chinese line breaking and justification.

A paragraph becomes a list of items (an ideograph, a punctuation mark, a Latin word or number, a
space; a Latin word, URL or path is several items where a line may break inside it). Between two
items there may be a break; kinsoku rules forbid some (a closing mark may not start a line, an
opening mark may not end one, —— and …… and numbers are never split, a sign or unit stays with its
number). Line breaks are chosen for the whole paragraph at once (total fit, dynamic programming
over break points, in the spirit of Knuth–Plass) so that spacing stays even and the last line never
holds a lone character (孤字). Lines are justified by first compressing punctuation (at the line end,
then inside the line), flexing the Han–Latin gaps, then spreading the remaining space evenly over
the gaps between items; never inside a Latin word, number or URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from bisect import bisect_right
from functools import partial
from itertools import accumulate, compress, repeat
from operator import add, attrgetter, is_
from typing import Callable, NamedTuple, Sequence
from weakref import WeakKeyDictionary

from broadsheet.text.chars import BAR, C, HALF_INK, LINE_END_PROHIBITED, LINE_START_PROHIBITED, classify
from broadsheet.text.latin import CONTEXTUAL, NUMBER, SIGNS, SYMBOL, UNITS_AFTER, Token, token_at
from broadsheet.fonts.faces import Face, FontChain

CMYK = tuple[float, float, float, float]

# Costs of the line-breaking optimisation (arbitrary units; only their ratios matter).
LOOSE = 2000.0          # × (extra space per gap / em)², e.g. one em spread over 12 gaps costs 14
MAX_GAP = 0.5           # em: justification widens no gap more; a line that would need more stays short
RAGGED = 100.0          # × (what a justified line leaves unfilled / em)², its gaps widened to MAX_GAP
RAGGED_WORD = 20.0      # the same for a line of nothing but pieces of a URL or word, which has no gap to widen
SQUEEZE = 20.0          # × (what a line takes from its marks' blanks and Han–Latin gaps / em)²: half an
                        # em costs 5, less than the 25 of one em spread over 9 gaps
COMPRESSED_END = 15.0   # a line fitted by setting its last mark half width
ORPHAN = 5000.0         # a last line with fewer than two characters besides punctuation
EMERGENCY = 1e7         # a break that breaks a rule, taken only when nothing else fits
LONG_WORD = 1e5         # a last-resort break between two letters of a word or URL wider than the measure
HYPHEN = 30.0           # a break at a hyphenation point of an English word (a hyphen is added)
URL_BREAK = 10.0        # a break after / . - _ ? & = # @ in a URL, e-mail address or path
NAME_BREAK = 100.0      # a break after the 间隔号 of a name (阿卜杜勒·阿齐兹): only when nothing better
#                         exists — but better than a line a third of an em loose, or a name split inside (安|娜)
SHORT_TITLE_LINE = 500.0  # per character short of three, on a headline line (even_lines) of one or two
IN_PHRASE = 10.0        # a headline break between words where the writer put no space or mark: a break
#                         at the writer's pause is worth a line about 3 em longer than its neighbours (a
#                         two-line title weighs its lines' slack squared: at 2, `寒流下周抵港　气温` /
#                         `或降至6℃` beat the writer's two clauses, and `三十余国客商将齐聚` / `沈阳 共话…`)

# How far a line may be fitted by more than its last mark (clreq §3.5.2, 挤压处理的优先顺序): a
# comma, colon or bracket inside the line may give up its blank half (at most MARK_GIVE em), and a
# Han–Latin gap flexes between these (× em); only when that is not enough do 。？！ give theirs
# (LATE: clreq puts the marks of a sentence's end last). Widening, a Han–Latin gap goes first, as
# a word space does up to WORD_SPACE_MAX (拉伸处理的优先顺序), before the gaps between characters.
MARK_GIVE = 0.5
DASH_SEAM = 0.01  # em: how far the two bars of —— overlap
LATIN_GAP_MIN, LATIN_GAP_MAX = 1 / 8, 1 / 3
WORD_SPACE_MAX = 0.5
_GIVES_RIGHT = frozenset((C.PAUSE, C.COLON, C.CLOSE, C.DIVIDING, C.STOP))
LATE = frozenset((C.STOP, C.DIVIDING))
_ASCII_CLOSING = frozenset(",.;:!?)]}")


@dataclass(frozen=True)
class Piece:
    """A run of paragraph text in one character style."""

    text: str
    chain: FontChain
    size: float
    color: CMYK


class Glyph(NamedTuple):
    """A positioned glyph (a named tuple: pages hold hundreds of thousands of them)."""

    face: Face
    gid: int
    size: float
    color: CMYK
    text: str
    x: float  # from the start of the line's measure


#: A Glyph from a tuple of its fields, made by tuple.__new__ (C) rather than the named tuple's own
#: __new__ (Python): the composition cache and the parallel layout rebuild hundreds of thousands.
glyph_of = partial(tuple.__new__, Glyph)


@dataclass(slots=True)
class Line:
    glyphs: tuple[Glyph, ...]  # a tuple: a glyph run takes it as it is (tuple() of a tuple is no copy)
    start: int  # index of the first character (in the paragraph's text) on this line
    end: int  # one past the last character
    measure: float
    natural: float  # width before justification
    spacing: float = 0.0  # extra space per gap added by justification (pt)
    compressed_end: bool = False
    last: bool = False
    forced: bool = False  # an emergency break that breaks a kinsoku rule
    right: float = 0.0  # where the line's last em box ends (after any line-end compression)
    gaps: int = 0  # places between items where justification added space (never inside a word)
    tracking: float = 0.0  # space between items besides their kerns: letter spacing + justification
    hyphen: bool = False  # ends inside an English word, with a hyphen added (the hyphen is the last glyph)
    split_word: bool = False  # ends inside a word or URL where no rule allows it: the last resort

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.glyphs)


class MissingGlyph(Exception):
    def __init__(self, ch: str, index: int):
        super().__init__(f"no font has {ch!r} (U+{ord(ch):04X})")
        self.ch, self.index = ch, index


@dataclass(slots=True)
class _Item:
    """A unit of composition; equal characters of a piece share one (immutable once made): where
    an item stands is kept apart, in the `starts` list that goes with the items."""

    cls: C
    glyphs: list[tuple[Face, int, float, str]]  # face, gid, advance, text (one glyph per character)
    size: float
    color: CMYK
    width: float = 0.0
    blank_left: float = 0.0  # the part of the em left of the ink that compression may remove
    blank_right: float = 0.0
    chars: int = 0  # characters that count against 孤字 (not punctuation)
    pad: float = 0.0  # space before the first glyph inside the item (a narrow mark set on a full em)
    memo: "_Memo | None" = None  # where a shared item is kept
    ix: int = 0  # its number there (pairs of shared items are looked up by the two numbers)
    glue: int = 0  # the item goes on in the next one (a piece of a word): how a line may break between them
    hyphen: tuple[Face, int, float] | None = None  # the hyphen glyph and its advance, where glue is GLUE_HYPHEN


# How a piece of a token joins the next piece: never spread; a line may end there as follows.
GLUE_BREAK = 1   # after a URL's break mark, no hyphen
GLUE_HYPHEN = 2  # at a hyphenation point, with a hyphen
GLUE_LETTER = 3  # between two letters: the last resort for a word wider than the measure
GLUE_PENALTY = (0.0, URL_BREAK, HYPHEN, LONG_WORD)
_WIDTH, _SIZE, _GLUE, _CLS, _HYPHEN = map(attrgetter, ("width", "size", "glue", "cls", "hyphen"))
#: Item classes of Latin text (the Han–Latin gap goes between them and ideographs).
WORDLIKE = frozenset((C.LATIN, C.DIGIT))
_TOKEN_CLASS = {NUMBER: C.DIGIT, SYMBOL: C.OTHER}


@dataclass
class Setting:
    """How a paragraph is set (from its paragraph style, resolved to points)."""

    measure: float
    indent: float = 0.0  # first-line indent
    align: str = "justify"
    letter_spacing: float = 0.0
    latin_gap: float = 0.25  # × font size, between Han and Latin/digits
    even_lines: bool = False  # headlines: lines of near-equal length, none of one or two characters
    hanging: bool = False  # 标点悬挂: ，。、 may hang outside the measure at a line end
    start_compress: bool = True  # 行首挤压: an opening mark starting a line loses its blank half
    strictness: str = "basic"  # line-breaking rules: "basic" (clreq), "strict" (—— …… may not start a line either), "none"
    punctuation: str = "全角"  # mark widths: 全角 (full), 开明 (only 。？！ full: the rest half), 半角 (all half)
    words: frozenset[int] | None = None  # headlines: the text offsets where a line may end (text.words); None: any
    preferred: frozenset[int] = frozenset()  # … of which these are the writer's own (a space, a mark): cheaper


#: Classes that may not start / end a line, by strictness.
START_RULES = {"none": frozenset(), "basic": frozenset(LINE_START_PROHIBITED),
               "strict": frozenset(LINE_START_PROHIBITED | {C.INSEPARABLE})}
END_RULES = {"none": frozenset(), "basic": frozenset(LINE_END_PROHIBITED), "strict": frozenset(LINE_END_PROHIBITED)}
HANGING = (C.PAUSE, C.STOP)


@dataclass
class _Memo:
    """Single-character items already made for one font chain, size and colour: a character met
    again (in this paragraph or any other) is the same item; and the kern and break permission
    between two such items, per setting."""

    items: dict[str, _Item] = field(default_factory=dict)
    pairs: dict[tuple, dict[int, tuple[float, bool]]] = field(default_factory=dict)  # per setting, by a.ix << 20 | b.ix


_MEMO: WeakKeyDictionary[FontChain, dict[tuple[float, CMYK, str], _Memo]] = WeakKeyDictionary()
#: The marks each punctuation style sets half width (their blank half removed), as ctex's
#: quanjiao, kaiming and banjiao.
HALF_WIDTH = {"全角": frozenset(), "开明": HALF_INK - {C.STOP, C.DIVIDING}, "半角": HALF_INK}


def _items(pieces: Sequence[Piece], punctuation: str = "全角") -> tuple[list[_Item], list[int]]:
    """The paragraph's items, and the index in its text where each starts."""
    items: list[_Item] = []
    starts: list[int] = []
    pos = 0
    half = HALF_WIDTH[punctuation]
    for piece in pieces:
        text = piece.text
        i, n = 0, len(text)
        memo = _MEMO.setdefault(piece.chain, {}).setdefault((piece.size, piece.color, punctuation), _Memo())
        shared = memo.items
        while i < n:
            ch = text[i]
            known = shared.get(ch)
            if known is not None:
                items.append(known)
                starts.append(pos + i)
                i += 1
                continue
            token = token_at(text, i)
            if token is not None:
                for item, k in _token_items(piece, text, token, pos):
                    items.append(item)
                    starts.append(pos + k)
                i = token.end
                continue
            item, j = _make_item(piece, text, i, pos, half)
            items.append(item)
            starts.append(pos + i)
            if j == i + 1 and item.cls is not C.INSEPARABLE and ch not in CONTEXTUAL:
                # shared: a character that never starts a token (～ and ￥ do, before a digit)
                item.memo, item.ix = memo, len(shared)
                shared[ch] = item
            i = j
        pos += n
    return items, starts


def _glyphs(piece: Piece, text: str, i: int, j: int, pos: int) -> list[tuple[Face, int, float, str]]:
    glyphs = []
    size = piece.size
    for k in range(i, j):
        ch = text[k]
        hit = piece.chain.lookup(ch)
        if hit is None and ch.isspace():
            hit = piece.chain.lookup(" ")  # a tab or another blank no font draws: the font's space
        if hit is None:
            raise MissingGlyph(ch, pos + k)
        face, gid = hit
        adv = face.advance(gid, size)
        if ch == "—" and adv < 0.95 * size:
            # Chinese dashes are a full em each and join up: fonts whose — is narrower
            # (Noto CJK SC) have the full-width bar at U+2015; the text stays —
            bar = face.gid(BAR)
            if bar and face.advance(bar, size) >= 0.99 * size:
                gid, adv = bar, face.advance(bar, size)
        glyphs.append((face, gid, adv, ch))
    return glyphs


def _token_items(piece: Piece, text: str, token: Token, pos: int) -> list[tuple[_Item, int]]:
    """A token's pieces (one, unless a line may break inside it) and where each starts."""
    cls = _TOKEN_CLASS.get(token.kind, C.LATIN)
    glyphs = _glyphs(piece, text, token.start, token.end, pos)
    cuts = [0] + [k for k, _ in token.breaks] + [token.end - token.start]
    hyphen = None
    if any(h for _, h in token.breaks):
        hit = piece.chain.lookup("-")
        if hit is not None:
            hyphen = (hit[0], hit[1], hit[0].advance(hit[1], piece.size))
    out = []
    for n, (a, b) in enumerate(zip(cuts, cuts[1:])):
        part = glyphs[a:b]
        item = _Item(cls, part, piece.size, piece.color, sum(g[2] for g in part), chars=b - a)
        if n < len(token.breaks):
            with_hyphen = token.breaks[n][1] and hyphen is not None
            item.glue = GLUE_HYPHEN if with_hyphen else GLUE_BREAK
            item.hyphen = hyphen if with_hyphen else None
        out.append((item, token.start + a))
    return out


def _make_item(piece: Piece, text: str, i: int, pos: int, half: frozenset = frozenset()) -> tuple[_Item, int]:
    """The item that starts at text[i] (a dash pair or one character of Chinese text) and where it ends."""
    ch = text[i]
    cls = classify(ch)
    j = i + 1
    if cls == C.INSEPARABLE and j < len(text) and text[j] == ch:
        j += 1  # —— and …… are pairs, never split
    glyphs = _glyphs(piece, text, i, j, pos)
    item = _Item(cls, glyphs, piece.size, piece.color)
    item.width = sum(g[2] for g in glyphs)
    if j - i == 2 and ch == "—":
        joined = dash_join(glyphs[0][0], glyphs[0][1], piece.size)
        if joined is not None:  # the two bars meet in the middle of their two ems
            item.pad, step = joined
            glyphs[0] = (*glyphs[0][:2], step, glyphs[0][3])
    if cls == C.MIDDLE_DOT and item.width < 0.75 * piece.size:
        item.pad = (piece.size - item.width) / 2  # 间隔号 centred on its own em
        item.width = piece.size
    if cls in HALF_INK and item.width < 0.75 * piece.size:
        # a proportional mark (some fonts map “ ” to narrow Latin quotes): set it on a full
        # em with the ink on its side, as a Chinese full-width mark
        if cls == C.OPEN:
            item.pad = piece.size - item.width
        item.width = piece.size
    if cls in HALF_INK:
        item.blank_left, item.blank_right = _blanks(glyphs[0][0], ch, item.width, item.pad, piece.size)
        if cls in half:  # the punctuation style sets this mark half width: its blank is gone for good
            item.width -= item.blank_left + item.blank_right
            item.pad -= item.blank_left
            item.blank_left = item.blank_right = 0.0
    if cls in (C.HAN, C.OTHER):
        item.chars = j - i
    return item, j


def dash_join(face: Face, gid: int, size: float) -> tuple[float, float] | None:
    """Where the two bars of a Chinese dash (——) stand so that they make one line, as a Chinese
    dash is (a font's full-width bar leaves blank at both ends: Noto CJK's 0.074 em): the first
    bar's offset into its em, and the step to the second, which overlaps it by a hair so that no
    seam shows. Along the line, so also down a vertical title. None if the font's bar fills its em
    or its ink is unknown."""
    ink = face.ink.get(ord(BAR) if gid == face.gid(BAR) else ord("—"))
    em = face.advance(gid, size)
    if ink is None or em < 0.95 * size:
        return None
    x0, x1 = ink[0] * size / face.upem, ink[1] * size / face.upem
    if x0 <= 0.0 and x1 >= em:
        return None
    seam = DASH_SEAM * size
    return em - x1 + seam / 2, x1 - x0 - seam


def _blanks(face: Face, ch: str, width: float, pad: float, size: float) -> tuple[float, float]:
    """The blank parts of a mark's em that compression may remove, from the font's ink box:
    half an em on the side without ink (GB: ，。 left, “ right), a quarter on each side of a
    centred mark (Taiwan style)."""
    ink = face.ink.get(ord(ch))
    if ink is None:
        return (width / 2, 0.0) if classify(ch) == C.OPEN else (0.0, width / 2)
    scale = size / face.upem
    left = pad + ink[0] * scale
    right = width - pad - ink[1] * scale
    em = size

    def snap(blank: float) -> float:
        return em / 2 if blank >= 0.4 * em else (em / 4 if blank >= 0.2 * em else 0.0)

    if left >= 0.2 * em and right >= 0.2 * em:
        return em / 4, em / 4  # a centred mark (CNS style, a TC font): a quarter on each side
    bl, br = snap(left), snap(right)
    if bl + br > width / 2:  # never remove more than half the mark's em in total
        bl, br = (bl, width / 2 - bl) if bl >= br else (width / 2 - br, br)
    return bl, br


def _split_long_words(items: list[_Item], starts: list[int], measure: float) -> tuple[list[_Item], list[int]]:
    """A piece of a word, number or URL wider than the measure can only be set letter by letter
    (the lines that break there say so: `Line.split_word`)."""
    def too_wide(it: _Item) -> bool:
        return it.cls in WORDLIKE and it.width + (it.hyphen[2] if it.hyphen else 0.0) > measure

    if max(map(_WIDTH, items)) <= measure - max(map(_SIZE, items)):  # (a hyphen is narrower than an em)
        return items, starts
    out, out_starts = [], []
    for it, start in zip(items, starts):
        if too_wide(it) and len(it.glyphs) > 1:
            last = len(it.glyphs) - 1
            for k, g in enumerate(it.glyphs):
                part = _Item(it.cls, [g], it.size, it.color, g[2], chars=1, glue=GLUE_LETTER)
                if k == last:
                    part.glue, part.hyphen = it.glue, it.hyphen
                out.append(part)
                out_starts.append(start + k)
        else:
            out.append(it)
            out_starts.append(start)
    return out, out_starts


def _join_numbers(items: list[_Item]) -> list[int]:
    """Where a sign or unit of a number and its digits are items of different pieces (the digits in
    a style's Latin font, `−` and `℃` in its own): the places between them, whose sign or unit is
    now classed as the number's, so that the Han–Latin gap goes around the whole (温 −30℃ 以, not
    温−30℃以) and justification never opens the number. (Within one piece the number is one token.)"""
    joined = []
    for k in range(len(items) - 1):
        a, b = items[k], items[k + 1]
        if a.cls is C.DIGIT and b.cls is not C.DIGIT and b.glyphs and a.glyphs[-1][3].isdigit() \
                and b.glyphs[0][3] in UNITS_AFTER:
            b.cls = C.DIGIT  # a contextual character's item is its own, never shared (see _items)
            joined.append(k)
        elif b.cls is C.DIGIT and a.cls is not C.DIGIT and a.glyphs and b.glyphs[0][3].isdigit() \
                and a.glyphs[-1][3] in SIGNS:
            a.cls = C.DIGIT
            joined.append(k)
    return joined


def _absorb_spaces(items: list[_Item], starts: list[int]) -> tuple[list[_Item], list[int]]:
    """The spaces a writer typed between an ideograph and a Latin word or number (`官网 https://`,
    `使用 iPhone 手机`) are the Han–Latin gap, not a word space beside it: they are dropped, and
    the gap (which flexes within its range, and is never set at a line edge) stands there alone,
    as where no space was typed (as xeCJK does with them). A space between two ideographs or two
    words stays, and so does any other blank: an ideographic space (U+3000) is an em the writer
    meant."""
    keep = [True] * len(items)
    i = 1
    while i < len(items) - 1:
        k = i  # the run of typed spaces items[i:k]
        while k < len(items) and _typed_space(items[k]):
            k += 1
        if k > i and k < len(items):
            a, b = items[i - 1].cls, items[k].cls
            if (a is C.HAN and b in WORDLIKE) or (a in WORDLIKE and b is C.HAN):
                keep[i:k] = [False] * (k - i)
        i = k + 1
    if all(keep):
        return items, starts
    return list(compress(items, keep)), list(compress(starts, keep))


def _typed_space(item: _Item) -> bool:
    return item.cls is C.SPACE and item.glyphs[0][3] == " "


def _pair_kern(a: _Item, b: _Item, setting: Setting) -> float:
    """Fixed space between two adjacent items: punctuation compression, Han–Latin gap, tracking."""
    k = setting.letter_spacing
    if (a.blank_left or a.blank_right) and (b.blank_left or b.blank_right):
        # two marks side by side (。” ）（ （“ ，「): the blanks facing each other collapse, half an
        # em at the most; centred Taiwan-style marks give their quarter (，」 and 。」 alike)
        k -= min(a.blank_right + b.blank_left, min(a.size, b.size) / 2)
    if a.glue:
        return 0.0  # inside a word: letters keep their own spacing
    wa, wb = a.cls in WORDLIKE, b.cls in WORDLIKE
    if wa != wb and C.SPACE not in (a.cls, b.cls):
        other = b if wa else a
        if other.cls == C.HAN:
            k += setting.latin_gap * max(a.size, b.size)
    return k


def _pair_flex(a: _Item, b: _Item, kern: float, setting: Setting) -> tuple[float, float, float]:
    """How much the space between two neighbours may shrink, how much it widens before the other
    gaps, and how much of the shrink is a sentence-end mark's, taken last: a mark's blank not
    already compressed, a Han–Latin gap within its range, a word space up to its widest."""
    give = grow = late = 0.0
    if kern >= -1e-9 and C.SPACE is not b.cls and C.SPACE is not a.cls:
        if a.cls in _GIVES_RIGHT and a.blank_right:
            give += min(a.blank_right, MARK_GIVE * a.size)
            if a.cls in LATE:
                late = give
        if b.cls is C.OPEN and b.blank_left:
            give += min(b.blank_left, MARK_GIVE * b.size)
    if a.cls is C.SPACE and b.cls in WORDLIKE:  # a word space of Latin text; one between ideographs
        grow += max(0.0, WORD_SPACE_MAX * a.size - a.width)  # (本报讯 记者) is spread as their gaps are
    gap = setting.latin_gap
    if gap > 0 and not a.glue and (a.cls in WORDLIKE) != (b.cls in WORDLIKE) and C.HAN in (a.cls, b.cls):
        em = max(a.size, b.size)
        give += max(0.0, gap - LATIN_GAP_MIN) * em
        grow += max(0.0, LATIN_GAP_MAX - gap) * em
    return give, grow, late


def _pairs(items: list[_Item], setting: Setting) -> tuple[list[float], list[bool], list[float], list[float],
                                                          list[float]]:
    """Kern, break permission, shrink, first growth and late shrink (see `_pair_flex`) between each two
    neighbours; pairs of shared items are worked out once and kept with them (for the whole
    build), other pairs once per paragraph."""
    pairs = []
    how = (setting.letter_spacing, setting.latin_gap, setting.strictness)
    memo, table = None, {}
    for a, b in zip(items, items[1:]):
        m = a.memo
        if m is not None and m is b.memo:
            if m is not memo:
                memo, table = m, m.pairs.setdefault(how, {})
            key = a.ix << 20 | b.ix
            got = table.get(key)
            if got is None:
                got = table[key] = _pair(a, b, setting)
        else:
            got = _pair(a, b, setting)
        pairs.append(got)
    pairs.append((0.0, True, 0.0, 0.0, 0.0))
    kern, brk, give, grow, late = map(list, zip(*pairs))
    kern.pop()
    return kern, brk, give, grow, late


def _pair(a: _Item, b: _Item, setting: Setting) -> tuple[float, bool, float, float, float]:
    k = _pair_kern(a, b, setting)
    return (k, _breakable(a, b, setting.strictness), *_pair_flex(a, b, k, setting))


def _breakable(a: _Item, b: _Item, strictness: str) -> bool:
    """May a line end after `a` when `b` follows? (the kinsoku rules)"""
    if b.cls == C.SPACE:
        return False  # break after the space instead, so that it falls at the line end
    if b.cls in START_RULES[strictness] or a.cls in END_RULES[strictness]:
        return False
    if a.glue:
        return True  # inside a word, where its token allows (at a price: see GLUE_PENALTY)
    if a.cls in WORDLIKE and b.cls in WORDLIKE:
        return False
    # a sign or currency before its number, a unit after it (also across a change of style); no
    # line starts with an ASCII closing mark (English text: `roles , and` never leaves `, and`)
    first, last = b.glyphs[0][3], a.glyphs[-1][3]
    if (last in SIGNS and first.isdigit()) or (last.isdigit() and first in UNITS_AFTER) or first in _ASCII_CLOSING:
        return False
    return True


def compose(pieces: Sequence[Piece], setting: Setting) -> list[Line]:
    """Break a paragraph into lines and justify them."""
    items, starts = _split_long_words(*_items(pieces, setting.punctuation), setting.measure - setting.indent)
    while items and items[-1].cls == C.SPACE:
        items.pop()  # trailing spaces are never set, nor leading ones
    lead = 0
    while lead < len(items) and items[lead].cls == C.SPACE:
        lead += 1
    if lead == len(items):
        return []
    if lead:
        items, starts = items[lead:], starts[lead:]
    del starts[len(items):]
    if not setting.even_lines:  # a headline's space is the writer's pause between clauses: kept
        items, starts = _absorb_spaces(items, starts)
    n = len(items)
    joined = _join_numbers(items) if len(pieces) > 1 else []
    kern, brk, give, grow, late = _pairs(items, setting)
    space = [it.cls == C.SPACE for it in items]
    for i in range(1, n - 1):
        if space[i] and brk[i]:
            # a break after a space ends the line with what precedes the space
            p = i - 1
            while p > 0 and space[p]:
                p -= 1
            brk[i] = items[p].cls not in END_RULES[setting.strictness]
    # the price of a break inside a word (see GLUE_PENALTY) or after a name's 间隔号; justification
    # spreads only the gaps between items that are not pieces of one word
    penalty = [0.0] * n
    stretch = [1] * n
    glue = list(map(_GLUE, items))
    for i in compress(range(n), glue):
        penalty[i] = GLUE_PENALTY[glue[i]]
        stretch[i] = 0
    for i in joined:
        stretch[i] = 0
    for i in compress(range(n), map(is_, map(_CLS, items), repeat(C.MIDDLE_DOT))):
        penalty[i] = NAME_BREAK
    if setting.words is not None:  # a headline: lines end between words, best where the writer paused
        for i in range(n - 1):
            at = starts[i + 1]
            if at not in setting.words:
                brk[i] = False
            elif at not in setting.preferred:
                penalty[i] += IN_PHRASE
    flex = _Flex(stretch, give, grow, any(grow), late)
    breaks = _best_breaks(items, kern, brk, penalty, flex, space, setting)
    lines = []
    i = 0
    for j in breaks:
        forced = not brk[j - 1] or (i > 0 and not brk[i - 1])
        lines.append(_set_line(items, starts, kern, flex, i, j, setting, last=(j == n), forced=forced))
        i = j
    return lines


class _Flex(NamedTuple):
    """Per place between item k and k + 1: whether justification widens it (0 inside a word),
    how much it may shrink, how much it widens before the others, and how much of its shrink is
    taken last (see `_pair_flex`)."""

    stretch: list[int]
    give: list[float]
    grow: list[float]
    grows: bool  # any Han–Latin gap or word space in the paragraph
    late: list[float]  # the part of `give` that is a sentence-end mark's (given last)


def _best_breaks(items: list[_Item], kern: list[float], brk: list[bool], penalty: list[float], flex: _Flex,
                 space: list[bool], setting: Setting) -> list[int]:
    """The break positions (item indexes ending each line) of least total cost: dynamic
    programming over the legal breaks, trying at each line start only the breaks near where the
    line fills up (a line several ems short costs more than any alternative; titles try all)."""
    n = len(items)
    INF = float("inf")
    best = [INF] * (n + 1)
    prev = [-1] * (n + 1)
    best[0] = 0.0
    # prefix sums: the width of items a..b-1 with the kerns between them is S[b] - S[a] - K[b-1]
    K = kern + [0.0]
    S = [0.0] * (n + 1)
    CH = [0] * (n + 1)
    for k, it in enumerate(items):
        S[k + 1] = S[k] + it.width + K[k]
        CH[k + 1] = CH[k] + it.chars
    stretch, give, grow, _, _ = flex
    G = list(accumulate(stretch, initial=0))  # the gaps justification may spread before item k
    GV = list(accumulate(give, initial=0.0))  # what the places before item k may give
    GR = list(accumulate(grow, initial=0.0))  # what they widen first
    # per possible line end: the end without trailing spaces, how far the last mark may hang,
    # how much its blank half may give
    END = list(range(n + 1))
    for j in range(1, n + 1):
        if space[j - 1] and j > 1:
            END[j] = END[j - 1]
    HANG = [it.width if setting.hanging and it.cls in HANGING else 0.0 for it in items]
    SHRINK = [0.0 if HANG[k] else it.blank_right for k, it in enumerate(items)]
    # for a line ending before item j: where its width ends (from the paragraph start, with the
    # hyphen it adds inside a word) and how much its last mark may give; a line's width is WE[j]
    # minus where it starts
    WE = [0.0] * (n + 1)
    SE = [0.0] * (n + 1)
    for j in range(1, n + 1):
        e = END[j]
        WE[j] = S[e] - K[e - 1] - HANG[e - 1]
        SE[j] = SHRINK[e - 1]
    for k in compress(range(n), map(_HYPHEN, items)):
        WE[k + 1] += items[k].hyphen[2]
    BL = [it.blank_left if setting.start_compress else 0.0 for it in items]
    SIZE = [it.size for it in items]
    em_max = max(SIZE)
    # the most a line can be over the measure and still fit: its last mark's blank half (or the
    # whole mark when it hangs) and what its marks and Han–Latin gaps give (a generous bound)
    gain = (em_max if setting.hanging else em_max / 2) + 1e-6
    even = setting.even_lines
    # how much a line first..j-1 may give besides its last mark: GVE[j] - GV[first]
    gives, grows = GV[n] > 0.0, GR[n] > 0.0
    GVE = [GV[END[j] - 1] if j else 0.0 for j in range(n + 1)] if gives else GV

    def start(i: int) -> tuple[int, float, float, float, int]:
        """A line starting at item i: its first item (spaces skipped), measure, where it starts,
        em, and the first end to try (one past the last item that could still fit)."""
        first = i
        while space[first]:
            first += 1
        measure = setting.measure - (setting.indent if i == 0 else 0.0)
        base = S[first] + BL[first]
        reach = base + measure + gain
        j = bisect_right(S, reach)
        if gives:  # and what the marks and Han–Latin gaps on the way give (at most an em)
            more = GV[j + 2 if j + 2 < n else n] - GV[first]
            if more > 0.0:
                j = bisect_right(S, reach + (more if more < em_max else em_max))
        return first, measure, base, SIZE[first], j if j < n else n

    def cost(first: int, j: int, slack: float, em: float) -> float:
        """What a legal line first..j-1 that fits costs (slack < 0: fitted by compressing its end,
        then its marks and Han–Latin gaps)."""
        if even:
            chars = CH[j] - CH[first]
            return (slack / em) ** 2 + (SHORT_TITLE_LINE * (3 - chars) if chars <= 2 else 0.0)
        if j == n:
            return ORPHAN if CH[j] - CH[first] < 2 and first > 0 else 0.0
        if slack < 0:
            rest = -slack - SE[j]
            if rest <= 1e-9:
                return COMPRESSED_END
            return (COMPRESSED_END if SE[j] else 0.0) + SQUEEZE * (rest / em) ** 2
        e = END[j]
        if grows:
            slack -= GR[e - 1] - GR[first]  # Han–Latin gaps widen first
            if slack < 0.0:
                slack = 0.0
        gaps = G[e - 1] - G[first]
        room = MAX_GAP * em * gaps
        if gaps and slack <= room:
            return LOOSE * (slack / gaps / em) ** 2
        if not gaps and all(items[k].cls in WORDLIKE for k in range(first, e)):
            return RAGGED_WORD * (slack / em) ** 2  # a line inside a URL: as full as its breaks allow
        # the gaps widened to the most, the rest left unfilled
        return LOOSE * MAX_GAP * MAX_GAP * (gaps > 0) + RAGGED * ((slack - room) / em) ** 2

    # The greedy path (every line as full as it may be) bounds the best total: a line start that
    # already costs more cannot be on the best path and is skipped (measured: four in five).
    bound = _greedy_total(n, start, cost, brk, WE, SE, GV, GVE, penalty)
    for i in range(n):
        bi = best[i]
        if bi > bound:
            continue
        first, measure, base, em, j = start(i)
        tried = 0
        given = GV[first] - 1e-6  # a candidate that cannot give enough is too wide
        while j > first:
            # END[j] > first always: the line starts with an item that is not a space
            slack = measure - (WE[j] - base)
            if not brk[j - 1]:
                # not a legal break; still allow a single overfull item so that a path always exists
                if j - first == 1 and slack < 0 and bi + EMERGENCY < best[j]:
                    best[j], prev[j] = bi + EMERGENCY, i
                j -= 1
                continue
            if slack + SE[j] + GVE[j] < given:
                if j - first > 1:
                    j -= 1
                    continue
                c = EMERGENCY  # one item wider than the measure: nothing better exists
            else:
                c = cost(first, j, slack, em)
            c += bi + penalty[j - 1]
            if c < best[j]:
                best[j], prev[j] = c, i
            tried += 1
            if tried >= 2 and not even and slack > 2 * em:
                break
            j -= 1
        if best[i + 1] == INF:
            # no rule-abiding line starts here: an emergency break after one item keeps the text
            best[i + 1], prev[i + 1] = bi + EMERGENCY, i
    breaks = []
    j = n
    while j > 0:
        breaks.append(j)
        j = prev[j]
    breaks.reverse()
    return breaks


def _greedy_total(n: int, start: Callable[[int], tuple[int, float, float, float, int]],
                  cost: Callable[[int, int, float, float], float], brk: list[bool], WE: list[float], SE: list[float],
                  GV: list[float], GVE: list[float], penalty: list[float]) -> float:
    """The cost of a path that breaks each line at the cheapest of the last three places the rules
    allow, summed as `_best_breaks` sums (the same floats); infinite when only an emergency break
    goes on. (The tighter this bound, the more line starts the search skips.)"""
    total = 0.0
    i = 0
    while i < n:
        first, measure, base, em, j = start(i)
        best, at, found = float("inf"), first, 0
        while j > first and found < 3:
            slack = measure - (WE[j] - base)
            if brk[j - 1] and slack + SE[j] + GVE[j] - GV[first] >= -1e-6:
                c = cost(first, j, slack, em)
                if c + penalty[j - 1] < best:
                    best, at, c_at = c + penalty[j - 1], j, c
                found += 1
                if found >= 2 and slack > 2 * em:
                    break  # where `_best_breaks` stops trying: the path must be one it can find
            j -= 1
        if at == first:
            return float("inf")
        total = c_at + (total + penalty[at - 1])
        i = at
    return total


def _hang(item: _Item, setting: Setting) -> float:
    """How far a line-end mark hangs outside the measure (标点悬挂, when the style asks for it)."""
    return item.width if setting.hanging and item.cls in HANGING else 0.0


def _set_line(items: list[_Item], starts: list[int], kern: list[float], flex: _Flex, i: int, j: int,
              setting: Setting, last: bool, forced: bool) -> Line:
    first, end = i, j
    while first < end and items[first].cls == C.SPACE:
        first += 1
    while end - 1 > first and items[end - 1].cls == C.SPACE:
        end -= 1
    indent = setting.indent if i == 0 else 0.0
    measure = setting.measure - indent
    x = -items[first].blank_left if first < end and setting.start_compress else 0.0
    natural = x + sum(kern[first:end - 1]) + sum(map(_WIDTH, items[first:end]))
    hyphen = items[end - 1].hyphen if end == j and not last else None
    if hyphen is not None:
        natural += hyphen[2]
    hang = _hang(items[end - 1], setting) if not last else 0.0
    natural -= hang
    compressed = natural > measure + 1e-6
    stretch, give, grow, _, late = flex
    spacing = 0.0
    offset = indent
    gaps = sum(stretch[first:end - 1])
    # an overfull line gives, after its last mark's blank half, from its marks and Han–Latin gaps;
    # a short one widens its Han–Latin gaps first, then all gaps evenly
    shrink = shrink_late = widen = 0.0
    if compressed:
        rest = natural - measure - (0.0 if hang else items[end - 1].blank_right)
        at_end = sum(late[first:end - 1])  # what the sentence-end marks give, last
        can = sum(give[first:end - 1]) - at_end
        if rest > 1e-9 and can + at_end > 0.0:
            shrink = min(1.0, rest / can) if can else 1.0
            if rest > can and at_end:
                shrink_late = min(1.0, (rest - can) / at_end)
    justify = setting.align == "justify" and not last and not forced
    if justify and natural < measure:
        slack = measure - natural
        can = sum(grow[first:end - 1]) if flex.grows else 0.0
        if can:
            widen = min(1.0, slack / can)
            slack -= widen * can
        if gaps > 0:
            spacing = min(slack / gaps, MAX_GAP * items[first].size)
    elif setting.align in ("center", "right") and not compressed:
        # (a compressed line fills the measure once its marks give: centring it by its natural
        # width would push its start out of the column, over the text beside it). A last mark's
        # blank half is not set at the line end (GB/T 15834 §5.1.10; clreq, 行首行尾标点挤压), so
        # it does not push the ink in from the edge: （下转第4版） ends flush with the column, and
        # a title centres by what shows.
        slack = measure - natural + (0.0 if hang else items[end - 1].blank_right)
        offset += slack / 2 if setting.align == "center" else slack
    # what goes before each item besides its width: kern and justification
    if shrink or widen:
        adjust = [(spacing if st else 0.0) - shrink * (gv - lt) - shrink_late * lt + widen * gr
                  for st, gv, gr, lt in zip(stretch[first:end - 1], give[first:end - 1], grow[first:end - 1],
                                            late[first:end - 1])]
    elif gaps == end - first - 1:
        adjust = repeat(spacing)  # every gap alike (no piece of a word on the line)
    else:
        adjust = [spacing if st else 0.0 for st in stretch[first:end - 1]]
    steps = [offset]
    steps += map(add, kern[first:end - 1], adjust)
    glyphs: list[Glyph] = []
    for it, step in zip(items[first:end], steps):
        x += step
        gx = x + it.pad
        for face, gid, adv, text in it.glyphs:
            glyphs.append(Glyph(face, gid, it.size, it.color, text, gx))
            gx += adv
        x += it.width
    if hyphen is not None:
        glyphs.append(Glyph(hyphen[0], hyphen[1], items[end - 1].size, items[end - 1].color, "-", x))
        x += hyphen[2]
    if x > offset + measure + 1e-9 and not hang:
        x -= min(items[end - 1].blank_right, x - offset - measure)  # the mark's blank half is given up
    stop = starts[j - 1] + len(items[j - 1].glyphs)
    return Line(tuple(glyphs), starts[i], stop, setting.measure, natural, spacing, compressed, last, forced, x, max(gaps, 0),
                setting.letter_spacing + spacing, hyphen is not None, items[j - 1].glue == GLUE_LETTER and not last)
