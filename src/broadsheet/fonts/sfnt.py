"""The few tables of an OpenType/TrueType font that composition needs, read with `struct`.

fontTools reads a whole table as Python objects: 70 to 100 ms per CJK font for names, cmap and
advances, most of a cold build's loading. Names, the character map, advances, the em box and
the punctuation's ink are a few slices and unpacks. fontTools stays in use for the rarest
character-map formats.
"""

from __future__ import annotations

import mmap
import struct
from functools import cached_property
from pathlib import Path

from broadsheet.fonts import cff

#: Character maps in the order fontTools' getBestCmap prefers them (full Unicode first).
_CMAP_PREFERENCE = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


class Font:
    """One face of a font file (a member of a collection when `index` > 0)."""

    def __init__(self, path: Path, index: int = 0):
        self.path, self.index = path, index
        with open(path, "rb") as f:
            self.data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        start = 0
        if self.data[:4] == b"ttcf":
            (count,) = struct.unpack_from(">I", self.data, 8)
            if index >= count:
                raise ValueError(f"{path} has {count} faces, not {index + 1}")
            (start,) = struct.unpack_from(">I", self.data, 12 + 4 * index)
        (n,) = struct.unpack_from(">H", self.data, start + 4)
        self.tables: dict[str, tuple[int, int]] = {}
        for k in range(n):
            tag, _, offset, length = struct.unpack_from(">4sIII", self.data, start + 12 + 16 * k)
            self.tables[tag.decode("latin-1")] = (offset, length)

    def table(self, tag: str) -> bytes:
        if tag not in self.tables:
            raise ValueError(f"{self.path} has no '{tag}' table")
        offset, length = self.tables[tag]
        return self.data[offset:offset + length]

    # -- names -----------------------------------------------------------------------------------
    def name(self, name_id: int) -> str | None:
        """The English name (Mac Roman or Windows US English), else any, as fontTools' getDebugName."""
        return self._names.get(name_id)

    @cached_property
    def _names(self) -> dict[int, str]:
        """Every name ID's name, the name table read once: per ID the first English record,
        else the last record that decodes."""
        t = self.table("name")
        count, strings = struct.unpack_from(">2xHH", t, 0)
        english: dict[int, str] = {}
        some: dict[int, str] = {}
        for k in range(count):
            platform, encoding, lang, nid, length, offset = struct.unpack_from(">6H", t, 6 + 12 * k)
            if nid in english:
                continue
            raw = t[strings + offset:strings + offset + length]
            if platform in (0, 3):
                text = raw.decode("utf-16-be", errors="replace")
            elif platform == 1 and encoding == 0:
                text = raw.decode("mac_roman")
            else:
                continue
            if (platform, lang) in ((1, 0), (3, 0x409)):
                english[nid] = text
            else:
                some[nid] = text
        return {**some, **english}

    def family(self) -> str | None:
        """WWS family, else typographic family, else family (fontTools' getBestFamilyName)."""
        for nid in (21, 16, 1):
            name = self.name(nid)
            if name is not None:
                return name
        return None

    # -- metrics ---------------------------------------------------------------------------------
    def head(self) -> tuple[int, tuple[int, int, int, int], int]:
        """Units per em, the bounding box of all glyphs, and the loca format."""
        t = self.table("head")
        (upem,) = struct.unpack_from(">H", t, 18)
        bbox = struct.unpack_from(">4h", t, 36)
        (loca_format,) = struct.unpack_from(">h", t, 50)
        return upem, bbox, loca_format

    def advances(self) -> list[int]:
        (glyphs,) = struct.unpack_from(">H", self.table("maxp"), 4)
        (metrics,) = struct.unpack_from(">H", self.table("hhea"), 34)
        pairs = struct.unpack_from(f">{2 * metrics}H", self.table("hmtx"), 0)
        widths = list(pairs[0::2])
        return widths + [widths[-1]] * (glyphs - metrics)  # monospaced tail: the last advance repeats

    def os2(self) -> tuple[int, int, int, int]:
        """fsType, typo ascender, typo descender (negative) and cap height (0 when absent). Fonts
        without an OS/2 table (old Mac fonts) give no licence flags and the hhea ascender."""
        if "OS/2" not in self.tables:
            ascender, descender = struct.unpack_from(">hh", self.table("hhea"), 4)
            return 0, ascender, descender, 0
        t = self.table("OS/2")
        (version,) = struct.unpack_from(">H", t, 0)
        (fs_type,) = struct.unpack_from(">H", t, 8)
        ascender, descender = struct.unpack_from(">hh", t, 68)
        cap = struct.unpack_from(">h", t, 88)[0] if version >= 2 and len(t) >= 90 else 0
        return fs_type, ascender, descender, cap

    # -- character map ---------------------------------------------------------------------------
    def cmap(self) -> dict[int, int]:
        """Code point -> glyph, from the best Unicode subtable."""
        t = self.table("cmap")
        (count,) = struct.unpack_from(">H", t, 2)
        subtables = {}
        for k in range(count):
            platform, encoding, offset = struct.unpack_from(">HHI", t, 4 + 8 * k)
            subtables.setdefault((platform, encoding), offset)
        for key in _CMAP_PREFERENCE:
            if key in subtables:
                offset = subtables[key]
                (fmt,) = struct.unpack_from(">H", t, offset)
                if fmt == 4:
                    return _cmap4(t, offset)
                if fmt == 12:
                    return _cmap12(t, offset)
                return _fonttools_cmap(self.path, self.index)
        return {}

    # -- outlines --------------------------------------------------------------------------------
    @cached_property
    def cff(self) -> cff.CFF | None:
        """The CFF outlines, read once (None for TrueType)."""
        return cff.CFF(self.table("CFF ")) if "CFF " in self.tables else None

    def ink_x(self, gids: list[int]) -> dict[int, tuple[float, float]]:
        """Horizontal ink extent of glyphs (those with an outline)."""
        if self.cff is not None:
            return self.cff.ink_x(gids)
        loca_format = self.head()[2]
        loca, glyf = self.table("loca"), self.table("glyf")
        out = {}
        for g in gids:
            if loca_format:
                start, end = struct.unpack_from(">II", loca, 4 * g)
            else:
                start, end = (2 * v for v in struct.unpack_from(">HH", loca, 2 * g))
            if end > start:  # the glyph header's box (TrueType stores it)
                x_min, _, x_max, _ = struct.unpack_from(">4h", glyf, start + 2)
                out[g] = (float(x_min), float(x_max))
        return out


def faces_in(path: Path) -> int:
    """How many faces a font file holds."""
    with open(path, "rb") as f:
        head = f.read(12)
    return struct.unpack_from(">I", head, 8)[0] if head[:4] == b"ttcf" else 1


def _cmap4(t: bytes, offset: int) -> dict[int, int]:
    (segs2,) = struct.unpack_from(">H", t, offset + 6)
    n = segs2 // 2
    ends = struct.unpack_from(f">{n}H", t, offset + 14)
    starts = struct.unpack_from(f">{n}H", t, offset + 16 + segs2)
    deltas = struct.unpack_from(f">{n}h", t, offset + 16 + 2 * segs2)
    range_at = offset + 16 + 3 * segs2
    ranges = struct.unpack_from(f">{n}H", t, range_at)
    out: dict[int, int] = {}
    for k in range(n):
        start, end, delta, ro = starts[k], min(ends[k], 0xFFFE), deltas[k], ranges[k]
        if start > end:
            continue
        if ro == 0:
            gids = [(c + delta) & 0xFFFF for c in range(start, end + 1)]
        else:
            # idRangeOffset counts from where it is stored to the glyph id of `start`
            raw = struct.unpack_from(f">{end - start + 1}H", t, range_at + 2 * k + ro)
            gids = [(g + delta) & 0xFFFF if g else 0 for g in raw]
        out.update((c, g) for c, g in zip(range(start, end + 1), gids) if g)
    return out


def _cmap12(t: bytes, offset: int) -> dict[int, int]:
    (groups,) = struct.unpack_from(">I", t, offset + 12)
    values = struct.unpack_from(f">{3 * groups}I", t, offset + 16)
    out: dict[int, int] = {}
    for k in range(0, 3 * groups, 3):
        start, end, gid = values[k], values[k + 1], values[k + 2]
        out.update(zip(range(start, end + 1), range(gid, gid + end - start + 1)))
    return out


def _fonttools_cmap(path: Path, index: int) -> dict[int, int]:
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=index, lazy=True)
    return {cp: font.getGlyphID(name) for cp, name in font.getBestCmap().items()}
