"""Fonts: finding them by family name (bundled `fonts/`, then system folders, or a path), and the
metrics composition needs (character map, advances, vertical metrics).

Metrics are read once (by `sfnt`) and cached per font file, so a warm build does not parse
22,000-glyph tables again.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field
from pathlib import Path

from broadsheet.cache import cached, file_key
from broadsheet.stats import COUNTS

#: The repository's bundled fonts (present in a source checkout / editable install).
BUNDLED = Path(__file__).resolve().parents[3] / "fonts"
SYSTEM_DIRS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
               Path.home() / ".fonts", Path.home() / ".local/share/fonts"]
FONT_SUFFIXES = {".otf", ".ttf", ".ttc", ".otc"}
#: Folders whose fonts a spec may name by path wherever its project root is.
FONT_DIRS = (BUNDLED, *SYSTEM_DIRS)
#: Bump when `Face` changes, so that cached faces of the old shape are not used.
FACE_FORMAT = 3


@dataclass(eq=False)  # identity: a face is loaded once and used as a dict key
class Face:
    """One font face with the metrics the composer and the PDF writer need."""

    path: Path
    index: int  # member of a collection (.ttc), else 0
    postscript: str
    family: str
    upem: int
    cmap: dict[int, int]
    advances: list[int]
    ascent: int  # ideographic em box top (OS/2 typo ascender), font units
    descent: int  # positive, font units
    cff: bool
    cid_keyed: bool
    fs_type: int
    bbox: tuple[int, int, int, int]
    cap_height: int
    ros: tuple[str, str, int] | None = None
    ink: dict[int, tuple[int, int]] = field(default_factory=dict)  # punctuation: code point -> (xMin, xMax)
    key: str = field(default="", compare=False)

    def gid(self, ch: str) -> int | None:
        return self.cmap.get(ord(ch))

    def advance(self, gid: int, size: float) -> float:
        return self.advances[gid] * size / self.upem

    @property
    def embeddable(self) -> bool:
        # OS/2 fsType bit 1 (0x0002) alone means restricted licence embedding: no embedding allowed.
        return (self.fs_type & 0x000F) != 0x0002


def _read_face(path: Path, index: int) -> Face:
    from broadsheet.fonts import cff  # only when the face is not cached
    from broadsheet.fonts import sfnt
    from broadsheet.text.chars import PUNCTUATION

    font = sfnt.Font(path, index)
    upem, bbox, _ = font.head()
    fs_type, ascender, descender, cap_height = font.os2()
    cmap = font.cmap()
    ros = font.cff.ros() if font.cff is not None else None
    # Horizontal ink extent of the punctuation marks: which part of its em a mark leaves blank
    # differs between fonts (GB, Taiwan and Japanese conventions), so it is read, not assumed.
    marks = {ord(ch): cmap[ord(ch)] for ch in PUNCTUATION if ord(ch) in cmap}
    try:
        extents = font.ink_x(sorted(set(marks.values())))
    except cff.Unsupported:
        extents = {}  # outlines this reader does not follow: compression assumes GB-style marks
    return Face(
        path=path,
        index=index,
        postscript=font.name(6) or path.stem,
        family=font.family() or path.stem,
        upem=upem,
        cmap=cmap,
        advances=font.advances(),
        ascent=ascender,
        descent=-descender,
        cff=font.cff is not None,
        cid_keyed=ros is not None,
        fs_type=fs_type,
        bbox=bbox,
        cap_height=cap_height or int(0.7 * upem),
        ros=ros,
        ink={cp: (int(extents[g][0]), int(extents[g][1])) for cp, g in marks.items() if g in extents},
    )


class FontError(Exception):
    """A font file that cannot be read."""


_faces: dict[tuple[str, int], Face] = {}


def load_face(path: Path, index: int = 0) -> Face:
    path = path.resolve()  # cached faces must not depend on the working directory
    k = (str(path), index)
    if k in _faces:
        COUNTS["faces memory"] += 1
    else:
        key = f"{file_key(path)}|{index}|{FACE_FORMAT}"
        try:
            face = cached("faces", key, lambda: _read_face(path, index))
        except (OSError, ValueError, IndexError, struct.error) as exc:
            raise FontError(f"cannot read font file {path.name}: it is damaged or not a font") from exc
        face.key = key
        _faces[k] = face
    return _faces[k]


def _names_of(path: Path) -> list[tuple[int, list[str]]]:
    """(member index, names) for each face of a font file: full, family+style, PostScript names."""
    from broadsheet.fonts import sfnt

    def names(font: sfnt.Font) -> list[str]:
        out = []
        for ids in ((4,), (16, 17), (1, 2), (6,), (1,), (16,)):
            parts = [font.name(i) for i in ids]
            if all(parts):
                if len(ids) == 1 and ids[0] in (1, 16) and (font.name(ids[0] + 1) or "Regular") != "Regular":
                    continue  # a bare family name means its Regular face
                out.append(" ".join(p for p in parts if p))
        return out

    try:
        return [(i, names(sfnt.Font(path, i))) for i in range(sfnt.faces_in(path))]
    except (OSError, ValueError, struct.error):  # an unreadable file in a system folder is skipped
        return []


def _index_dir(folder: Path) -> dict[str, tuple[str, int, str]]:
    """Normalised name -> (file, member index, the name as the font gives it)."""
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in FONT_SUFFIXES and p.is_file())
    stamp = "|".join(file_key(p) for p in files)

    def build() -> dict[str, tuple[str, int, str]]:
        index: dict[str, tuple[str, int, str]] = {}
        for p in files:
            for i, names in _names_of(p):
                for n in names:
                    index.setdefault(_norm(n), (str(p), i, n))
        return index

    return cached("fontindex", f"{folder}|{stamp}|{FACE_FORMAT}", build)


def _norm(name: str) -> str:
    return "".join(name.lower().split()).replace("-", "")


class FontFinder:
    """Finds faces by family/full/PostScript name or path: bundled fonts first, then system fonts."""

    def __init__(self, extra_dirs: list[Path] | None = None):
        self._dirs = [d for d in [*(extra_dirs or []), BUNDLED] if d.is_dir()]
        self._system_loaded = False
        self._index: dict[str, tuple[str, int, str]] = {}
        for d in self._dirs:
            for k, v in _index_dir(d).items():
                self._index.setdefault(k, v)

    def find(self, name: str, base: Path | None = None) -> Face | None:
        if looks_like_path(name):
            p = font_path(name, base)
            return load_face(p) if p.is_file() else None
        hit = self._index.get(_norm(name))
        if hit is None and not self._system_loaded:
            self._system_loaded = True
            for d in SYSTEM_DIRS:
                if d.is_dir():
                    for k, v in _index_dir(d).items():
                        self._index.setdefault(k, v)
            hit = self._index.get(_norm(name))
        return load_face(Path(hit[0]), hit[1]) if hit else None

    def known_names(self) -> list[str]:
        """Font names as the fonts give them (for did-you-mean)."""
        return sorted({v[2] for v in self._index.values()})


def looks_like_path(name: str) -> bool:
    return "/" in name or Path(name).suffix.lower() in FONT_SUFFIXES


def font_path(name: str, base: Path | None) -> Path:
    """The file a font named by path means (`~` expanded, relative to `base`)."""
    p = Path(os.path.expanduser(name))
    return base / p if not p.is_absolute() and base is not None else p


class FontChain:
    """A style's fonts in fallback order: each character takes the first face that has it."""

    def __init__(self, faces: list[Face]):
        self.faces = faces
        self._memo: dict[str, tuple[Face, int] | None] = {}
        self._found: set[str] = set()  # characters `missing` found in a face (or tab, newline)

    def lookup(self, ch: str) -> tuple[Face, int] | None:
        hit = self._memo.get(ch, False)
        if hit is False:
            hit = None
            cp = ord(ch)
            for face in self.faces:
                gid = face.cmap.get(cp)
                if gid:
                    hit = (face, gid)
                    break
            self._memo[ch] = hit
        return hit  # type: ignore[return-value]

    def missing(self, text: str) -> list[int]:
        """Indexes of the characters of `text` that no face of the chain has (spaces aside)."""
        new = set(text) - self._found  # most characters were met before: a set difference settles them
        lacking = {ch for ch in new if not ch.isspace() and self.lookup(ch) is None}  # blanks: set as a space
        self._found.update(new - lacking)
        return [i for i, ch in enumerate(text) if ch in lacking] if lacking else []

    @property
    def names(self) -> str:
        return ", ".join(f.postscript for f in self.faces)
