"""HarfBuzz (uharfbuzz) faces and fonts of font files, opened once per file version.

HarfBuzz reads the tables in C (character map, metrics, outlines, shaping, subsetting), so no
Python reader of the font tables is needed. Importing uharfbuzz costs about 40 ms, more than
the rest of the start-up's own imports; so it is imported here only, and this module only when
a font is actually read: a build whose faces and subsets are cached never imports it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import uharfbuzz


def hb() -> "uharfbuzz":
    import uharfbuzz

    return uharfbuzz


def face(path: Path, index: int = 0) -> "uharfbuzz.Face":
    """Member `index` of a font file (0 unless a collection). A file that is no font gives a face
    without tables, not an error: the callers check what they need."""
    st = path.stat()  # the file's version: an edited font file is read again
    return _face(str(path.resolve()), index, st.st_size, st.st_mtime_ns)


def font(path: Path, index: int = 0) -> "uharfbuzz.Font":
    """The face at its own scale (upem): metrics come in font units."""
    st = path.stat()
    return _font(str(path.resolve()), index, st.st_size, st.st_mtime_ns)


def faces_in(path: Path) -> int:
    """How many faces a font file holds (0 for a file that is no font)."""
    return face(path).count


@lru_cache(maxsize=64)
def _blob(path: str, size: int, mtime_ns: int) -> "uharfbuzz.Blob":
    try:
        return hb().Blob.from_file_path(path)  # memory-mapped: collection members share it
    except hb().HarfBuzzError as exc:  # unreadable: the callers handle it as any file error
        raise OSError(f"cannot open {path}: {exc}") from exc


@lru_cache(maxsize=64)
def _face(path: str, index: int, size: int, mtime_ns: int) -> "uharfbuzz.Face":
    return hb().Face(_blob(path, size, mtime_ns), index)


@lru_cache(maxsize=64)
def _font(path: str, index: int, size: int, mtime_ns: int) -> "uharfbuzz.Font":
    return hb().Font(_face(path, index, size, mtime_ns))
