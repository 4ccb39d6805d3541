"""The project root: every file a build reads (the spec, its style sheets, stories, photos and font
files named by path) must lie inside it, so that a spec cannot make a build read or print files
from elsewhere on the machine (`story: /etc/passwd`, `../../`, a symlink out of the project).

The root is the nearest folder, from the spec's own folder upwards, that holds a project marker
(`MARKERS`: a `.broadsheet` file or a `.git` repository); without one, the spec's folder. A
project laid out as `layout/`, `styles/`, `seeds/` keeps its marker in the folder above them.
`--root DIR` sets it. Fonts in the bundled and the system font folders are read from anywhere.
Paths are compared after resolving symlinks, so a link inside the project that points out of it
is outside.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

#: Files or folders whose presence makes a folder a project root.
MARKERS = (".broadsheet", ".git")


def find_root(spec: Path) -> Path:
    """The project root of a spec: the nearest folder at or above it holding a marker, else its folder."""
    folder = spec.resolve().parent
    for candidate in (folder, *folder.parents):
        if any((candidate / marker).exists() for marker in MARKERS):
            return candidate
    return folder


def resolved(path: Path) -> Path:
    """`path` made absolute with its symlinks resolved; for a path the system refuses to look up
    (a NUL character, a name too long) only made absolute: opening it then fails as 'not found'."""
    try:
        out = path.resolve()
    except (OSError, ValueError):
        out = Path(os.path.abspath(path))
    if _resolutions is not None:
        _resolutions[str(path)] = str(out)
    return out


#: While a project is read for the cache: every path resolved (as named) and what it resolved to.
_resolutions: dict[str, str] | None = None


@contextmanager
def recording_resolutions() -> Iterator[dict[str, str]]:
    """The paths `resolved` meets inside, each with what it resolved to: a link pointed elsewhere
    since (a story file that is a link to this week's copy) changes what a project is made of,
    although no file it was made of has changed."""
    global _resolutions
    outer, _resolutions = _resolutions, {}
    try:
        yield _resolutions
    finally:
        _resolutions = outer


def outside(path: Path, root: Path, allowed: tuple[Path, ...] = ()) -> str | None:
    """Why `path` may not be read (it resolves to a place outside `root` and the `allowed`
    folders), or None."""
    real = resolved(path)
    for folder in (root, *allowed):
        base = folder.resolve()
        if real == base or base in real.parents:
            return None
    return f"{real} is outside the project root {root.resolve()} (set another with --root)"
