"""Work done beside the main line of a build, in a forked process, on the second core: the
overprint check while the PDF is drawn. The result is the same as doing the work here, which is
what happens where a fork is not safe or does not pay.

Tried and dropped: drawing the content of a PDF's last two fifths of pages in such a child. The
15-page document's PDF stage went 92 -> 78 ms, but editions of 24 to 100 pages got slower (100
pages: 1.54 -> 1.57 s, the system time doubled): every page of the shared memory that either
process writes while the other lives is copied, and the drawing touches the whole display list."""

from __future__ import annotations

import os
import pickle
import sys
from typing import Callable, TypeVar

T = TypeVar("T")

#: From this many pages, with more than one process allowed, the overprint check goes beside the
#: PDF: a fork costs more, with the process's memory, than the check of a page or two. Measured:
#: a 15-page build 0.34 -> 0.31 s, editions of 24 and 48 pages 0.48 -> 0.43 s and 0.82 -> 0.80 s,
#: 100 pages about even (1.54 and 1.58 s); watch mode on the one-page sample 0.09 -> 0.11 s.
BESIDE_PAGES = 4


def beside(work: Callable[..., T], *args: object) -> Callable[[], T]:
    """`work(*args)` done in a forked process while this one goes on (the overprint check while
    the PDF is drawn: measured on the bench's 15-page document, 25 ms of a 0.25 s build); the
    callable returned gives its result, waiting for it. Where a fork is not safe (no fork, or
    other threads, whose locks the child would find held) or the child fails, the work is done
    here when its result is asked for: the result is the same either way."""
    threading = sys.modules.get("threading")
    if not hasattr(os, "fork") or (threading is not None and threading.active_count() > 1):
        return lambda: work(*args)
    r, w = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(r)
        os.close(w)
        return lambda: work(*args)
    if pid == 0:  # the child: its result down the pipe, then gone without the parent's exit handlers
        try:
            import signal

            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.close(r)
            with os.fdopen(w, "wb") as pipe:
                pipe.write(pickle.dumps(work(*args), protocol=pickle.HIGHEST_PROTOCOL))
        finally:
            os._exit(0)
    os.close(w)

    def result() -> T:
        with os.fdopen(r, "rb") as pipe:
            data = pipe.read()
        os.waitpid(pid, 0)
        try:
            return pickle.loads(data)  # (from our own child, not from a file)
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
            return work(*args)  # it failed or was killed: nothing was sent

    return result
