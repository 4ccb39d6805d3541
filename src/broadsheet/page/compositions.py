"""The composition cache: a paragraph's composed lines, kept by everything that determines them, so
that a rebuild recomposes only the paragraphs an edit touched.

What determines a paragraph's lines is exactly what `compose(pieces, setting)` reads: each piece's
text, font chain (by the faces' cache keys, which name file, size, mtime and face format), size and
colour, and the setting (measure, indent, alignment, spacing, kinsoku rules …, all plain values);
plus the composer's own code, named by its source files' stamps, so that a change of the line
breaking rules never meets lines broken by the old ones.

Two levels, like the font faces: in memory for the life of the process (watch mode, the browser
view), and on disk, one file per spec holding the paragraphs its last build composed (so a fresh
process after an edit reads them back and composes only what changed). Both also keep what the
setter asked for (a style's values, the text as written, measure, role) with the key of its
lines, so that a paragraph met before is found without making its pieces again: converting its
punctuation, splitting its Latin runs and hashing them were a third of a warm 100-page layout.
The files are `marshal` data of plain tuples (numbers, strings, face keys): reading one builds no
object of any class and runs no code, unlike a pickle. The cache keeps the files of the most recently built specs
(`cache.LIMITS["lines"]`) and, in memory, the most recently used paragraphs (`MEMORY_LIMIT`).
"""

from __future__ import annotations

import marshal
import os
from dataclasses import fields
from pathlib import Path

from broadsheet import cache
from broadsheet.fonts.faces import FontChain
from broadsheet.stats import COUNTS
from broadsheet.text import compose as composer
from broadsheet.text.compose import Glyph, Line, Piece, Setting, glyph_of

#: Paragraphs kept in memory (a 100-page edition composes about 9,000).
MEMORY_LIMIT = 20_000
#: Bump when the stored shape changes.
FORMAT = 3  # 2: glyphs stored column by column; 3: with the requests
#: Line's fields besides its glyphs, in the order an entry stores them.
LINE_FIELDS = tuple(f.name for f in fields(Line))[1:]  # all but the first, glyphs

#: An entry: the face keys its glyphs use, then per line the LINE_FIELDS values and the glyphs
#: column by column, in Glyph's field order, the faces as numbers: (face numbers, gids, sizes,
#: colours, texts, xs), each a tuple.
Entry = tuple[tuple[str, ...], tuple[tuple, ...]]

#: In memory: key -> the lines (None until needed, for lines a worker composed) and their entry;
#: insertion order is recency (a hit moves to the end).
_memory: dict[str, tuple[list[Line] | None, Entry]] = {}
#: What the setter asks for (style values, spans, measure, role, alignment: see Setter.compose) ->
#: the key of its lines and the punctuation conversions its pieces made, by kind: a paragraph met
#: again is found without making its pieces. On disk a request is kept by the digest of its repr
#: (its values are strings, numbers, tuples and plain dataclasses, whose reprs show every field).
_requests: dict[tuple, tuple[str, tuple]] = {}
#: The keys and request digests each spec's file holds, as this process last read or wrote it (so
#: that an unchanged rebuild in watch mode neither reads nor writes it).
_files: dict[Path, tuple[frozenset[str], frozenset[str]]] = {}


def _stamp() -> str:
    """The composer's version: its modules' file stamps, and those of what makes a request's pieces
    (the setter) and of the libraries that break words (this cache's format, Line's and Glyph's
    shape too)."""
    import importlib.util

    sources = sorted(Path(composer.__file__).parent.glob("*.py"))  # the whole text package: compose, latin, chars …
    sources.append(Path(__file__).with_name("setter.py"))
    for library in ("pyphen", "rjieba"):  # English hyphenation, headline words: a new version may break elsewhere
        spec = importlib.util.find_spec(library)
        if spec is not None and spec.origin:
            sources.append(Path(spec.origin))
    return "|".join([str(FORMAT), *LINE_FIELDS, *Glyph._fields, *(cache.file_key(Path(s)) for s in sources)])


class Compositions:
    """The composition cache as one build uses it: composes what it has not seen, and remembers
    which paragraphs this build used, so that `save` writes the spec's file with exactly those."""

    def __init__(self, spec: Path, chains: dict[str, FontChain]):
        self.path = cache.cache_dir() / "lines" / f"{cache.digest(spec.resolve())}.marshal"
        self.faces = {f.key: f for chain in chains.values() for f in chain.faces}  # to rebuild stored glyphs
        self.stamp = _stamp()
        self._stored: dict[str, Entry] | None = None  # the spec's file, read on the first miss in memory
        self._stored_requests: dict[str, tuple[str, tuple]] = {}  # and the requests it holds, by digest
        self._used: dict[str, Entry] = {}
        self._requested: dict[str, tuple[str, tuple]] = {}  # the requests of this build, by digest (for `save`)
        self._asked: dict[tuple, tuple[str, tuple]] = {}  # requests first met in this build (for `handover`)

    def recall(self, request: tuple) -> tuple[list[Line], tuple] | None:
        """The lines of a request met before, in this process or by the build that wrote the
        spec's file, and its full-width count; None if it is new (then `lines` composes it)."""
        known = _requests.get(request)
        if known is not None and known[0] in _memory:
            key, counts = known
            COUNTS["lines memory"] += 1
            self._requested[_request_digest(request)] = known
            return self._remember(key, *_memory.pop(key)), counts
        digest = _request_digest(request)
        known = self._disk_requests().get(digest)
        if known is None or known[0] not in self._stored:
            return None
        key, counts = known
        COUNTS["lines hit"] += 1
        _requests[request] = self._asked[request] = self._requested[digest] = known
        return self._remember(key, None, self._stored[key]), counts

    def lines(self, pieces: list[Piece], setting: Setting, request: tuple, counts: tuple) -> list[Line]:
        """The lines of the pieces, from the cache or composed; `request` (and its `counts`
        count) will find them again without the pieces."""
        key = cache.digest(self.stamp, [(p.text, _chain_key(p.chain), p.size, p.color) for p in pieces],
                           tuple(sorted(v) if isinstance(v, frozenset) else v for v in vars(setting).values()))
        _requests[request] = self._asked[request] = self._requested[_request_digest(request)] = key, counts
        if len(_requests) > MEMORY_LIMIT:
            del _requests[next(iter(_requests))]
        known = _memory.pop(key, None)
        if known is not None:
            COUNTS["lines memory"] += 1
            return self._remember(key, *known)
        entry = self._disk().get(key)
        if entry is not None:
            COUNTS["lines hit"] += 1
            return self._remember(key, None, entry)
        COUNTS["lines miss"] += 1
        lines = composer.compose(pieces, setting)
        return self._remember(key, lines, _encode(lines))

    def _remember(self, key: str, lines: list[Line] | None, entry: Entry) -> list[Line]:
        """Keep the lines in memory as the most recently used, and as used by this build."""
        if lines is None:
            lines = self._decode(entry)
        self._used[key] = entry
        _memory[key] = lines, entry
        if len(_memory) > MEMORY_LIMIT:
            del _memory[next(iter(_memory))]
        return lines

    def preload(self) -> None:
        """Read the spec's file now (before forking workers, so that they share one reading)."""
        self._disk()

    def handover(self) -> tuple[dict[str, Entry | None], dict[tuple, tuple[str, tuple]], dict[str, tuple[str, tuple]]]:
        """What a worker's build used and learnt, for the parent's `take`: an entry the parent has
        read from disk too (the worker inherited its reading) by its key alone, since entries are
        most of what would travel."""
        stored = self._stored or {}
        used = {key: None if stored.get(key) is entry else entry for key, entry in self._used.items()}
        return used, self._asked, self._requested

    def take(self, handed: tuple[dict[str, Entry | None], dict[tuple, tuple[str, tuple]], dict[str, tuple[str, tuple]]]) -> None:
        """Adopt what a worker used (for `save`) and learnt (in memory, its lines decoded when
        first needed: a watch rebuild finds them)."""
        used, asked, requested = handed
        stored = self._disk()
        for key, entry in used.items():
            entry = stored[key] if entry is None else _shared_entry(entry)
            self._used[key] = entry
            if key not in _memory:
                _memory[key] = None, entry
        _requests.update(asked)
        self._requested.update(requested)
        while len(_memory) > MEMORY_LIMIT:
            del _memory[next(iter(_memory))]
        while len(_requests) > MEMORY_LIMIT:
            del _requests[next(iter(_requests))]

    def _disk(self) -> dict[str, Entry]:
        if self._stored is None:
            self._stored = {}
            try:
                stored = marshal.loads(self.path.read_bytes())
            except (OSError, EOFError, ValueError, TypeError):
                stored = None  # missing or damaged: composing is always right
            if isinstance(stored, tuple) and len(stored) == 3 and stored[0] == self.stamp \
                    and isinstance(stored[1], dict) and isinstance(stored[2], dict):
                self._stored, self._stored_requests = stored[1], stored[2]
            _files[self.path] = frozenset(self._stored), frozenset(self._stored_requests)
        return self._stored

    def _disk_requests(self) -> dict[str, tuple[str, tuple]]:
        self._disk()
        return self._stored_requests

    def _decode(self, entry: Entry) -> list[Line]:
        keys, lines = entry
        face = [self.faces[k] for k in keys].__getitem__
        out = []
        for values in lines:
            numbers, *rest = values[-1]
            glyphs = tuple(map(glyph_of, zip(map(face, numbers), *rest)))  # column by column
            out.append(Line(glyphs, *values[:-1]))  # LINE_FIELDS are Line's fields after glyphs, in order
        return out

    def save(self) -> None:
        """Write the spec's file unless it already holds exactly the paragraphs this build used."""
        used = frozenset(self._used), frozenset(self._requested)
        if _files.get(self.path) == used:
            try:
                os.utime(self.path)  # used now: the last to go when the files are pruned
            except OSError:
                pass
            return
        try:
            cache.write_atomic(self.path, marshal.dumps((self.stamp, self._used, self._requested)))
            cache.prune(self.path.parent, cache.LIMITS["lines"], ".marshal")
        except (OSError, ValueError):  # ValueError: a value marshal cannot store
            return  # a read-only cache only costs speed
        _files[self.path] = used


def _request_digest(request: tuple) -> str:
    return cache.digest(repr(request))


def _chain_key(chain: FontChain) -> tuple[str, ...]:
    return tuple(f.key for f in chain.faces)


#: One object per glyph id and per size, shared by every entry (and, once read back, by every glyph
#: made from them): marshal writes an object met twice once, so a 100-page edition's lines read
#: back hold a few thousand numbers instead of half a million (15 MB). By column: 9 and 9.0 are
#: equal keys.
_GIDS: dict[int, int] = {}
_SIZES: dict[float, float] = {}


def _encode(lines: list[Line]) -> Entry:
    keys: dict[str, int] = {}
    out = []
    for line in lines:
        numbers = tuple(keys.setdefault(g.face.key, len(keys)) for g in line.glyphs)
        columns = tuple(zip(*line.glyphs))[1:] if line.glyphs else ((),) * (len(Glyph._fields) - 1)
        out.append((*(getattr(line, name) for name in LINE_FIELDS), _shared((numbers, *columns))))
    return tuple(keys), tuple(out)


def _shared(columns: tuple) -> tuple:
    """A line's glyph columns with their ids and sizes the shared objects (see `_GIDS`)."""
    numbers, gids, sizes, *rest = columns
    gid, size = _GIDS.setdefault, _SIZES.setdefault
    return (numbers, tuple(gid(v, v) for v in gids), tuple(size(v, v) for v in sizes), *rest)


def _shared_entry(entry: Entry) -> Entry:
    """An entry as a worker sent it (pickle writes each number anew) with the shared numbers."""
    keys, lines = entry
    return keys, tuple((*values[:-1], _shared(values[-1])) for values in lines)
