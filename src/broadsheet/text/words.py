"""Where a headline may break: between words. Titles, kickers, decks and subheads never split a
word (全省上下深入学习/贯彻党的二十大精/神 is what a night editor sends back), so their lines may end
only at word boundaries, which a Chinese word segmenter finds: rjieba, the maintained binding of
jieba-rs. A long word (4+ characters) may still break where it is two words itself (农村|党员,
再创|新高), as jieba's search mode shows; a single word is never cut.

The segmenter is imported (with its dictionary, about 0.1–0.25 s: measured, 0.18 s of a warm
sample-page build) only when a headline needs more than one line and its boundaries are not in
the on-disk cache yet. Loading its dictionary holds the GIL (a thread cannot overlap it), so the
first build of a spec, which will need it, starts it in a forked helper process (`start_helper`)
while this one reads the spec: 74 ms off a cold one-page build on two cores."""

from __future__ import annotations

import marshal
import os
import struct
import sys
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
    if _helper is not None and _helper[0] == os.getpid():
        try:
            return set(_ask(text))
        except (OSError, EOFError, ValueError, TypeError):  # the helper is gone: segment here
            stop_helper()
    return _cut(text)


def _cut(text: str) -> set[int]:
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
    # a unit's ratio (元/斤, 公里/小时) is one word, which the segmenter cuts at its slash
    for k in range(1, len(text) - 1):
        if text[k] == "/" and classify(text[k - 1]) is C.HAN and classify(text[k + 1]) is C.HAN:
            out.difference_update((k, k + 1))
    return out


def writer_breaks(text: str) -> frozenset[int]:
    """Where the writer put a space or a mark between clauses: the preferred places to break."""
    return frozenset(k + 1 for k, ch in enumerate(text[:-1])
                     if ch.isspace() or classify(ch) in (C.PAUSE, C.STOP, C.COLON, C.DIVIDING, C.CLOSE))


# ------------------------------------------------------------------------------------------------
# the helper: the segmenter loaded in a forked process while the building one reads the spec

#: (the process it serves, its pid, the pipe to it, the pipe from it); None when there is none.
_helper: tuple[int, int, int, int] | None = None
_started = False  # whether this process has started its helper (it does so once)


def start_helper() -> None:
    """Fork a process that imports the segmenter now and then cuts what `_segment` sends it. Only
    from a process with one thread (a fork copies no other thread, and the locks one holds stay
    held), and once in a process's life: a process that builds again (watch, the API, the tests)
    has its one cold start behind it and segments for itself; worker processes forked later do too
    (`_segment` checks the pid). The helper ends when the pipe to it closes: with this process at
    the latest."""
    global _helper, _started
    _reap()
    threading = sys.modules.get("threading")
    if (_started or "rjieba" in sys.modules or not hasattr(os, "fork")
            or (threading is not None and threading.active_count() > 1)):
        return
    to_r, to_w = os.pipe()
    from_r, from_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the helper
        try:
            import signal

            signal.signal(signal.SIGINT, signal.SIG_DFL)  # the build's handlers are not the helper's
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.close(to_w)
            os.close(from_r)
            quiet = os.open(os.devnull, os.O_RDWR)  # nor its output: a caller reading the build's
            for fd in (0, 1, 2):  # stdout to its end must not wait for the helper
                os.dup2(quiet, fd)
            _serve(to_r, from_w)
        finally:
            os._exit(0)
    os.close(to_r)
    os.close(from_w)
    _helper, _started = (os.getpid(), pid, to_w, from_r), True


#: Helpers told to stop that had not ended yet (one still loading the dictionary ends when it has).
_ending: list[int] = []


def stop_helper() -> None:
    """Close the pipes to the helper, which then ends; nothing waits for it."""
    global _helper
    if _helper is None:
        return
    owner, pid, to_w, from_r = _helper
    _helper = None
    if owner != os.getpid():
        return  # a worker's copy of the parent's pipes: the parent stops its helper
    for fd in (to_w, from_r):
        os.close(fd)
    _ending.append(pid)
    _reap()


def _reap() -> None:
    """Collect the helpers that have ended (no zombie is left in a process that builds often)."""
    for pid in list(_ending):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            _ending.remove(pid)


def _serve(inbox: int, outbox: int) -> None:
    import importlib

    importlib.import_module("rjieba")  # now, while the build reads its spec: the reason the helper exists
    while (message := _read(inbox)) is not None:
        _write(outbox, marshal.dumps(sorted(_cut(message.decode("utf-8")))))


def _ask(text: str) -> list[int]:
    assert _helper is not None
    _write(_helper[2], text.encode("utf-8"))
    answer = _read(_helper[3])
    if answer is None:
        raise EOFError("the segmenter helper ended")
    return marshal.loads(answer)


def _write(fd: int, data: bytes) -> None:
    view = memoryview(struct.pack(">I", len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _read(fd: int) -> bytes | None:
    """One message, or None at the end of the pipe."""
    head = _read_exactly(fd, 4)
    return None if head is None else _read_exactly(fd, struct.unpack(">I", head)[0])


def _read_exactly(fd: int, n: int) -> bytes | None:
    parts, left = [], n
    while left:
        part = os.read(fd, left)
        if not part:
            return None
        parts.append(part)
        left -= len(part)
    return b"".join(parts)
