"""Fonts: finding them by family name (bundled `fonts/`, then system folders, or a path), and the
metrics composition needs (character map, advances, vertical metrics).

Metrics are read once (through HarfBuzz, by `read`) and cached per font file, so a warm build
reads no font table and does not even import HarfBuzz.
"""

from __future__ import annotations

import os
import re
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from broadsheet.cache import cached, file_key
from broadsheet.stats import COUNTS

#: The repository's bundled fonts (present in a source checkout / editable install).
BUNDLED = Path(__file__).resolve().parents[3] / "fonts"
SYSTEM_DIRS = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
               Path.home() / ".fonts", Path.home() / ".local/share/fonts"]
FONT_SUFFIXES = {".otf", ".ttf", ".ttc", ".otc"}
COLLECTION_SUFFIXES = {".ttc", ".otc"}
#: Folders whose fonts a spec may name by path wherever its project root is.
FONT_DIRS = (BUNDLED, *SYSTEM_DIRS)
#: Bump when `Face` changes, so that cached faces of the old shape are not used.
FACE_FORMAT = 7  # 7: character map and advances packed; 6: the ink of ― too; 5: weight and italic (OS/2); 4: read by HarfBuzz; no ROS (subsets by glyph id)
#: A face of a collection named by path: `file.ttc#2` (its index, from 0) or `file.ttc#Noto Serif
#: CJK SC` (a family, full or PostScript name of one of its faces).
_MEMBER = re.compile(r"(?P<path>.+?\.(?:ttc|otc|ttf|otf))#(?P<face>.+)", re.IGNORECASE)
_WEIGHTS = {100: "Thin", 200: "ExtraLight", 300: "Light", 400: "Regular", 500: "Medium", 600: "SemiBold",
            700: "Bold", 800: "ExtraBold", 900: "Black"}


@dataclass(eq=False)  # identity: a face is loaded once and used as a dict key
class Face:
    """One font face with the metrics the composer and the PDF writer need."""

    path: Path
    index: int  # member of a collection (.ttc), else 0
    postscript: str
    family: str
    upem: int
    cmap: dict[int, int]
    advances: array  # per glyph id, font units (an array of unsigned ints: compact, and cached as it is)
    ascent: int  # ideographic em box top (OS/2 typo ascender), font units
    descent: int  # positive, font units
    cff: bool  # CFF outlines (embedded as CIDFontType0C), else TrueType
    fs_type: int
    bbox: tuple[int, int, int, int]
    cap_height: int
    weight: int  # OS/2 usWeightClass: 400 regular, 700 bold
    italic: bool  # OS/2 fsSelection italic or oblique
    ink: dict[int, tuple[int, int]] = field(default_factory=dict)  # punctuation: code point -> (xMin, xMax)
    key: str = field(default="", compare=False)

    def __getstate__(self) -> dict[str, Any]:
        """As cached: the character map and the advances packed as arrays of numbers, which read
        back two hundred times faster than a dictionary of 30,000 entries."""
        state = dict(self.__dict__)
        cmap = state.pop("cmap", None)
        if cmap is not None:  # (else still packed, as it was read)
            state["_cmap"] = array("I", [*cmap.keys(), *cmap.values()]).tobytes()
        state["advances"] = array("I", state["advances"]).tobytes()
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state["advances"] = array("I", state["advances"])
        self.__dict__.update(state)

    def __getattr__(self, name: str) -> Any:
        """The character map of a cached face, unpacked when first used: a warm build that finds
        every paragraph in the composition cache looks up no character (and unpacking the four
        faces of a page took a fifth of its loading)."""
        if name != "cmap" or "_cmap" not in self.__dict__:
            raise AttributeError(name)
        numbers = array("I", self.__dict__.pop("_cmap"))
        half = len(numbers) // 2
        self.cmap = dict(zip(numbers[:half], numbers[half:]))
        return self.cmap

    def gid(self, ch: str) -> int | None:
        return self.cmap.get(ord(ch))

    def advance(self, gid: int, size: float) -> float:
        return self.advances[gid] * size / self.upem

    @property
    def style(self) -> str:
        """Weight and slant as a designer names them: 'Bold', 'Regular Italic', 'weight 450'."""
        weight = _WEIGHTS.get(self.weight, f"weight {self.weight}")
        return f"{weight} Italic" if self.italic else weight

    @property
    def embeddable(self) -> bool:
        """May broadsheet embed (a subset of) this font? (fonts.licence)"""
        from broadsheet.fonts.licence import licence_problem

        return licence_problem(self.fs_type) is None


class FontError(Exception):
    """A font file that cannot be read."""


class UnsupportedFont(ValueError):
    """A font that can be read but not embedded; the message says why."""


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
        except (OSError, ValueError) as exc:
            why = str(exc) if isinstance(exc, UnsupportedFont) else "it is damaged or not a font"
            raise FontError(f"cannot read font file {path.name}: {why}") from exc
        face.key = key
        _faces[k] = face
    return _faces[k]


def _read_face(path: Path, index: int) -> Face:
    from broadsheet.fonts import harfbuzz  # only when the face is not cached: it imports HarfBuzz
    from broadsheet.fonts.read import read_face

    count = harfbuzz.faces_in(path)
    if count and index >= count:  # (a file that is no font has no faces: read_face says so)
        raise UnsupportedFont(f"it has {count} face{'s' if count > 1 else ''}, numbered 0 to {count - 1}, "
                              f"not {index}")
    return read_face(path, index)


def _names_of(path: Path) -> list[tuple[int, list[str]]]:
    """(member index, names) for each face of a font file; none for an unreadable one."""
    from broadsheet.fonts.read import face_names

    try:
        return face_names(path)
    except OSError:  # an unreadable file in a system folder is skipped
        return []


def _font_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in FONT_SUFFIXES and p.is_file())


def _files_stamp(files: list[Path]) -> str:
    return "|".join(file_key(p) for p in files)


def dir_stamp(folder: Path) -> str:
    """What a font folder holds now (its font files' names, sizes and times): a font added, removed
    or replaced changes it."""
    return _files_stamp(_font_files(folder)) if folder.is_dir() else "-"


def _index_dir(folder: Path) -> dict[str, tuple[str, int, str]]:
    """Normalised name -> (file, member index, the name as the font gives it)."""
    files = _font_files(folder)
    stamp = _files_stamp(files)

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
            file, member = split_member(name)
            p = font_path(file, base)
            return load_face(p, member_index(p, member)) if p.is_file() else None
        hit = self._index.get(_norm(name))
        if hit is None and not self._system_loaded:
            self._system_loaded = True
            for d in SYSTEM_DIRS:
                if d.is_dir():
                    for k, v in _index_dir(d).items():
                        self._index.setdefault(k, v)
            hit = self._index.get(_norm(name))
        return load_face(Path(hit[0]), hit[1]) if hit else None

    @property
    def folders(self) -> tuple[Path, ...]:
        """The folders whose fonts it has looked names up in."""
        return (*self._dirs, *(SYSTEM_DIRS if self._system_loaded else ()))

    def known_names(self) -> list[str]:
        """Font names as the fonts give them (for did-you-mean)."""
        return sorted({v[2] for v in self._index.values()})


def split_member(name: str) -> tuple[str, str | None]:
    """A font reference's file and the face it asks for: 'a.ttc#2' -> ('a.ttc', '2')."""
    m = _MEMBER.fullmatch(name)
    return (m["path"], m["face"].strip()) if m else (name, None)


def looks_like_path(name: str) -> bool:
    file, _ = split_member(name)
    return "/" in file or Path(file).suffix.lower() in FONT_SUFFIXES


def member_index(path: Path, member: str | None) -> int:
    """The index of the face `member` (an index or a name) of a font file; 0 when none is asked.
    FontError for a name none of its faces has (the message lists them)."""
    if member is None:
        return 0
    if member.isdigit():
        return int(member)  # out of range: load_face says how many faces the file has
    faces = cached("facenames", f"{file_key(path.resolve())}|{FACE_FORMAT}", lambda: _names_of(path.resolve()))
    for index, names in faces:
        if _norm(member) in {_norm(n) for n in names}:
            return index
    listed = "; ".join(f"#{i} {names[0]}" for i, names in faces if names)
    raise FontError(f"font file {path.name} has no face named '{member}'" + (f": its faces are {listed}" if listed else ""))


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
        self._weighed: set[str] = set()  # characters `off_style` looked at, and of those …
        self._odd: set[str] = set()  # … the ones a face of another weight or slant sets

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

    def off_style(self, text: str) -> list[int]:
        """Indexes of the characters of `text` that a fallback face of another weight or slant
        than the chain's own (first) face sets: they would print lighter, heavier or upright
        among their neighbours."""
        if not self.faces:
            return []
        own = self.faces[0]
        new = set(text) - self._weighed  # most characters were met before
        for ch in new:
            hit = self.lookup(ch)
            if hit is not None and hit[0] is not own and (hit[0].weight, hit[0].italic) != (own.weight, own.italic):
                self._odd.add(ch)
        self._weighed |= new
        odd = self._odd.intersection(text)
        return [i for i, ch in enumerate(text) if ch in odd] if odd else []

    @property
    def names(self) -> str:
        return ", ".join(f.postscript for f in self.faces)
