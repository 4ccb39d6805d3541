"""Paragraph composition: Chinese line breaking and justification.

A paragraph becomes a list of items (an ideograph, a punctuation mark, a Latin word or number, a
space). Between two items there may be a break; kinsoku rules forbid some (a closing mark may not
start a line, an opening mark may not end one, —— and …… and numbers are never split). Line breaks
are chosen for the whole paragraph at once (total fit, dynamic programming over break points, in
the spirit of Knuth–Plass) so that spacing stays even and the last line never holds a lone
character (孤字). Lines are justified by first compressing punctuation, then spreading the remaining
space evenly over the gaps between items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from bisect import bisect_right
from typing import Callable, NamedTuple, Sequence
from weakref import WeakKeyDictionary

from broadsheet.text.chars import C, HALF_INK, LINE_END_PROHIBITED, LINE_START_PROHIBITED, classify, is_word_char, is_word_inner
from broadsheet.fonts.faces import Face, FontChain

CMYK = tuple[float, float, float, float]

# Costs of the line-breaking optimisation (arbitrary units; only their ratios matter).
LOOSE = 2000.0          # × (extra space per gap / em)², e.g. one em spread over 12 gaps costs 14
COMPRESSED_END = 15.0   # a line fitted by setting its last mark half width
ORPHAN = 5000.0         # a last line with fewer than two characters besides punctuation
EMERGENCY = 1e7         # a break that breaks a rule, taken only when nothing else fits
LONG_WORD = 1e5         # a break inside a Latin word or number wider than the measure
SHORT_TITLE_LINE = 500.0  # per character short of three, on a balanced (title) line of one or two


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


@dataclass
class Line:
    glyphs: list[Glyph]
    start: int  # index of the first character (in the paragraph's text) on this line
    end: int  # one past the last character
    measure: float
    natural: float  # width before justification
    spacing: float = 0.0  # extra space per gap added by justification (pt)
    compressed_end: bool = False
    last: bool = False
    forced: bool = False  # an emergency break that breaks a kinsoku rule
    right: float = 0.0  # where the line's last em box ends (after any line-end compression)
    gaps: int = 0  # places between items where justification may add space
    tracking: float = 0.0  # space between items besides their kerns: letter spacing + justification

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


@dataclass
class Setting:
    """How a paragraph is set (from its paragraph style, resolved to points)."""

    measure: float
    indent: float = 0.0  # first-line indent
    align: str = "justify"
    letter_spacing: float = 0.0
    latin_gap: float = 0.25  # × font size, between Han and Latin/digits
    balance: bool = False  # titles: lines of near-equal length, none of one or two characters
    hanging: bool = False  # 标点悬挂: ，。、 may hang outside the measure at a line end
    start_compress: bool = True  # 行首挤压: an opening mark starting a line loses its blank half
    strictness: str = "basic"  # line-breaking rules: "basic" (clreq), "strict" (—— …… may not start a line either), "none"


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


_MEMO: WeakKeyDictionary[FontChain, dict[tuple[float, CMYK], _Memo]] = WeakKeyDictionary()


def _items(pieces: Sequence[Piece]) -> tuple[list[_Item], list[int]]:
    """The paragraph's items, and the index in its text where each starts."""
    items: list[_Item] = []
    starts: list[int] = []
    pos = 0
    for piece in pieces:
        text = piece.text
        i, n = 0, len(text)
        memo = _MEMO.setdefault(piece.chain, {}).setdefault((piece.size, piece.color), _Memo())
        shared = memo.items
        while i < n:
            ch = text[i]
            known = shared.get(ch)
            if known is not None:
                items.append(known)
                starts.append(pos + i)
                i += 1
                continue
            item, j = _make_item(piece, text, i, pos)
            items.append(item)
            starts.append(pos + i)
            if j == i + 1 and item.cls not in (C.LATIN, C.DIGIT, C.INSEPARABLE):
                item.memo, item.ix = memo, len(shared)
                shared[ch] = item
            i = j
        pos += n
    return items, starts


def _make_item(piece: Piece, text: str, i: int, pos: int) -> tuple[_Item, int]:
    """The item that starts at text[i] (a word, a number, a dash pair or one character) and where it ends."""
    n = len(text)
    ch = text[i]
    cls = classify(ch)
    j = i + 1
    if cls in (C.LATIN, C.DIGIT):
        # a word or number: letters, digits and inner marks (2.6, 30%, e-mail) between them
        while j < n and (is_word_char(text[j]) or (is_word_inner(text[j]) and j + 1 < n and is_word_char(text[j + 1]))):
            j += 1
        if j < n and text[j] == "%":
            j += 1
    elif cls == C.INSEPARABLE and j < n and text[j] == ch:
        j += 1  # —— and …… are pairs, never split
    glyphs = []
    for k in range(i, j):
        hit = piece.chain.lookup(text[k])
        if hit is None and cls == C.SPACE:
            hit = piece.chain.lookup(" ")  # a tab or another blank no font draws: the font's space
        if hit is None:
            raise MissingGlyph(text[k], pos + k)
        face, gid = hit
        adv = face.advance(gid, piece.size)
        if cls == C.INSEPARABLE and adv < 0.95 * piece.size:
            # Chinese dashes are a full em each and join up: fonts whose — is narrower
            # (Noto CJK SC) have the full-width bar at U+2015; the text stays —
            bar = face.gid("―")
            if bar and face.advance(bar, piece.size) >= 0.99 * piece.size:
                gid, adv = bar, face.advance(bar, piece.size)
        glyphs.append((face, gid, adv, text[k]))
    item = _Item(cls, glyphs, piece.size, piece.color)
    item.width = sum(g[2] for g in glyphs)
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
    if cls in (C.HAN, C.LATIN, C.DIGIT, C.OTHER):
        item.chars = j - i
    return item, j


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

    bl, br = snap(left), snap(right)
    if bl + br > width / 2:  # never remove more than half the mark's em in total
        bl, br = (bl, width / 2 - bl) if bl >= br else (width / 2 - br, br)
    return bl, br


def _split_long_words(items: list[_Item], starts: list[int], measure: float) -> tuple[list[_Item], list[int]]:
    """A word or number wider than the measure can only be set letter by letter."""
    if not any(it.width > measure and it.cls in (C.LATIN, C.DIGIT) for it in items):
        return items, starts
    out, out_starts = [], []
    for it, start in zip(items, starts):
        if it.cls in (C.LATIN, C.DIGIT) and it.width > measure and len(it.glyphs) > 1:
            for k, g in enumerate(it.glyphs):
                out.append(_Item(C.LATIN_PART, [g], it.size, it.color, g[2], chars=1))
                out_starts.append(start + k)
        else:
            out.append(it)
            out_starts.append(start)
    return out, out_starts


def _pair_kern(a: _Item, b: _Item, setting: Setting) -> float:
    """Fixed space between two adjacent items: punctuation compression, Han–Latin gap, tracking."""
    k = setting.letter_spacing
    if a.blank_right and (b.blank_left or b.blank_right):
        k -= a.blank_right  # 。” ）（ ，“ : the first mark's blank half goes
    elif a.blank_left and b.blank_left:
        k -= b.blank_left  # （“ : the second mark's blank half goes
    wa, wb = a.cls in (C.LATIN, C.DIGIT), b.cls in (C.LATIN, C.DIGIT)
    if wa != wb and C.SPACE not in (a.cls, b.cls):
        other = b if wa else a
        if other.cls == C.HAN:
            k += setting.latin_gap * max(a.size, b.size)
    return k


def _pairs(items: list[_Item], setting: Setting) -> tuple[list[float], list[bool]]:
    """Kern and break permission between each two neighbours; pairs of shared items are worked
    out once and kept with them (for the whole build), other pairs once per paragraph."""
    kern, brk = [], []
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
                got = table[key] = (_pair_kern(a, b, setting), _breakable(a, b, setting.strictness))
        else:
            got = (_pair_kern(a, b, setting), _breakable(a, b, setting.strictness))
        kern.append(got[0])
        brk.append(got[1])
    brk.append(True)
    return kern, brk


def _breakable(a: _Item, b: _Item, strictness: str) -> bool:
    """May a line end after `a` when `b` follows? (the kinsoku rules)"""
    if b.cls == C.SPACE:
        return False  # break after the space instead, so that it falls at the line end
    if b.cls in START_RULES[strictness] or a.cls in END_RULES[strictness]:
        return False
    if a.cls in (C.LATIN, C.DIGIT) and b.cls in (C.LATIN, C.DIGIT):
        return False
    return True


def compose(pieces: Sequence[Piece], setting: Setting) -> list[Line]:
    """Break a paragraph into lines and justify them."""
    items, starts = _split_long_words(*_items(pieces), setting.measure - setting.indent)
    while items and items[-1].cls == C.SPACE:
        items.pop()  # trailing spaces are never set
    if not items:
        return []
    n = len(items)
    del starts[n:]
    kern, brk = _pairs(items, setting)
    space = [it.cls == C.SPACE for it in items]
    for i in range(1, n - 1):
        if space[i] and brk[i]:
            # a break after a space ends the line with what precedes the space
            p = i - 1
            while p > 0 and space[p]:
                p -= 1
            brk[i] = items[p].cls not in END_RULES[setting.strictness]
    # inside a word too long for any line, a break is allowed, at a price
    penalty = [0.0] * n
    for i in range(n - 1):
        if items[i].cls is C.LATIN_PART and items[i + 1].cls is C.LATIN_PART and starts[i] + 1 == starts[i + 1]:
            penalty[i] = LONG_WORD
            brk[i] = True
    breaks = _best_breaks(items, kern, brk, penalty, space, setting)
    lines = []
    i = 0
    for j in breaks:
        forced = not brk[j - 1] or (i > 0 and not brk[i - 1])
        lines.append(_set_line(items, starts, kern, i, j, setting, last=(j == n), forced=forced))
        i = j
    return lines


def _best_breaks(items: list[_Item], kern: list[float], brk: list[bool], penalty: list[float],
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
    # per possible line end: the end without trailing spaces, how far the last mark may hang,
    # how much its blank half may give
    END = list(range(n + 1))
    for j in range(1, n + 1):
        if space[j - 1] and j > 1:
            END[j] = END[j - 1]
    HANG = [it.width if setting.hanging and it.cls in HANGING else 0.0 for it in items]
    SHRINK = [0.0 if HANG[k] else it.blank_right for k, it in enumerate(items)]
    # for a line ending before item j: where its width ends (from the paragraph start) and how
    # much its last mark may give; a line's width is WE[j] minus where it starts
    WE = [0.0] * (n + 1)
    SE = [0.0] * (n + 1)
    for j in range(1, n + 1):
        e = END[j]
        WE[j] = S[e] - K[e - 1] - HANG[e - 1]
        SE[j] = SHRINK[e - 1]
    BL = [it.blank_left if setting.start_compress else 0.0 for it in items]
    SIZE = [it.size for it in items]
    em_max = max(SIZE)
    # the most a line can be over the measure and still fit: its last mark's blank half, or the
    # whole mark when it hangs
    gain = (em_max if setting.hanging else em_max / 2) + 1e-6
    balance = setting.balance

    def start(i: int) -> tuple[int, float, float, float, int]:
        """A line starting at item i: its first item (spaces skipped), measure, where it starts,
        em, and the first end to try (one past the last item that could still fit)."""
        first = i
        while space[first]:
            first += 1
        measure = setting.measure - (setting.indent if i == 0 else 0.0)
        base = S[first] + BL[first]
        return first, measure, base, SIZE[first], min(n, bisect_right(S, base + measure + gain))

    def cost(first: int, j: int, slack: float, em: float) -> float:
        """What a legal line first..j-1 that fits costs (slack < 0: fitted by compressing its end)."""
        if balance:
            chars = CH[j] - CH[first]
            return (slack / em) ** 2 + (SHORT_TITLE_LINE * (3 - chars) if chars <= 2 else 0.0)
        if j == n:
            return ORPHAN if CH[j] - CH[first] < 2 and first > 0 else 0.0
        if slack < 0:
            return COMPRESSED_END
        gaps = END[j] - first - 1
        return LOOSE * (slack / (gaps if gaps > 0 else 1) / em) ** 2

    # The greedy path (every line as full as it may be) bounds the best total: a line start that
    # already costs more cannot be on the best path and is skipped (measured: four in five).
    bound = _greedy_total(n, start, cost, brk, WE, SE, penalty)
    for i in range(n):
        bi = best[i]
        if bi > bound:
            continue
        first, measure, base, em, j = start(i)
        tried = 0
        while j > first:
            # END[j] > first always: the line starts with an item that is not a space
            slack = measure - (WE[j] - base)
            if not brk[j - 1]:
                # not a legal break; still allow a single overfull item so that a path always exists
                if j - first == 1 and slack < 0 and bi + EMERGENCY < best[j]:
                    best[j], prev[j] = bi + EMERGENCY, i
                j -= 1
                continue
            if slack + SE[j] < -1e-6:
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
            if tried >= 2 and not balance and slack > 3 * em:
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
                  penalty: list[float]) -> float:
    """The cost of breaking each line as late as the rules allow, summed as `_best_breaks` sums
    (the same floats); infinite when only an emergency break goes on."""
    total = 0.0
    i = 0
    while i < n:
        first, measure, base, em, j = start(i)
        while j > first:
            slack = measure - (WE[j] - base)
            if brk[j - 1] and slack + SE[j] >= -1e-6:
                break
            j -= 1
        if j == first:
            return float("inf")
        total = cost(first, j, slack, em) + (total + penalty[j - 1])
        i = j
    return total


def _hang(item: _Item, setting: Setting) -> float:
    """How far a line-end mark hangs outside the measure (标点悬挂, when the style asks for it)."""
    return item.width if setting.hanging and item.cls in HANGING else 0.0


def _set_line(items: list[_Item], starts: list[int], kern: list[float], i: int, j: int, setting: Setting,
              last: bool, forced: bool) -> Line:
    first, end = i, j
    while first < end and items[first].cls == C.SPACE:
        first += 1
    while end - 1 > first and items[end - 1].cls == C.SPACE:
        end -= 1
    indent = setting.indent if i == 0 else 0.0
    measure = setting.measure - indent
    x = -items[first].blank_left if first < end and setting.start_compress else 0.0
    natural = x
    for k in range(first, end):
        if k > first:
            natural += kern[k - 1]
        natural += items[k].width
    hang = _hang(items[end - 1], setting) if not last else 0.0
    natural -= hang
    compressed = natural > measure + 1e-6
    spacing = 0.0
    offset = indent
    gaps = end - first - 1
    justify = setting.align == "justify" and not last and not forced
    if justify and gaps > 0 and natural < measure:
        spacing = (measure - natural) / gaps
    elif setting.align in ("center", "right"):
        slack = measure - natural
        offset += slack / 2 if setting.align == "center" else slack
    glyphs: list[Glyph] = []
    x += offset
    for k in range(first, end):
        it = items[k]
        if k > first:
            x += kern[k - 1] + spacing
        gx = x + it.pad
        for face, gid, adv, text in it.glyphs:
            glyphs.append(Glyph(face, gid, it.size, it.color, text, gx))
            gx += adv
        x += it.width
    if compressed:
        x -= min(items[end - 1].blank_right, natural - measure)  # the mark's blank half is given up
    stop = starts[j - 1] + len(items[j - 1].glyphs)
    return Line(glyphs, starts[i], stop, setting.measure, natural, spacing, compressed, last, forced, x, max(gaps, 0),
                setting.letter_spacing + spacing)
