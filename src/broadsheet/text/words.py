"""Where a headline may break: between words. Titles, kickers, decks and subheads never split a
word (全省上下深入学习/贯彻党的二十大精/神 is what a night editor sends back), so their lines may end
only at word boundaries, which a Chinese word segmenter finds: rjieba, the maintained binding of
jieba-rs. A long word (4+ characters) may still break where it is two words itself (农村|党员,
再创|新高), as jieba's search mode shows; a single word is never cut.

The segmenter is imported (with its dictionary, about 0.1–0.25 s: measured, 0.18 s of a warm
sample-page build) only when a headline needs more than one line and its boundaries are not in
the on-disk cache yet."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from broadsheet import cache
from broadsheet.text.chars import C, classify


@lru_cache(maxsize=1024)
def word_boundaries(text: str) -> frozenset[int]:
    """Offsets in `text` where a line may end between words (0 < offset < len(text)); cached on
    disk by the text and this module's version, so that a warm build never loads the segmenter."""
    key = f"{cache.file_key(Path(__file__))}|{text}"
    return frozenset(cache.cached("words", key, lambda: tuple(sorted(_segment(text)))))


def _segment(text: str) -> set[int]:
    import rjieba

    out: set[int] = set()
    pos = 0
    for word in rjieba.cut(text):
        if len(word) >= 4 and classify(word[0]) is C.HAN:
            parts = set(rjieba.cut_for_search(word))
            out.update(pos + k for k in range(2, len(word) - 1) if word[:k] in parts and word[k:] in parts)
        pos += len(word)
        out.add(pos)
    out.discard(len(text))
    return out


def writer_breaks(text: str) -> frozenset[int]:
    """Where the writer put a space or a mark between clauses: the preferred places to break."""
    return frozenset(k + 1 for k, ch in enumerate(text[:-1])
                     if ch.isspace() or classify(ch) in (C.PAUSE, C.STOP, C.COLON, C.DIVIDING, C.CLOSE))
