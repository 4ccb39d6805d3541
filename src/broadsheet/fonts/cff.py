"""Subsetting CID-keyed CFF fonts (Noto CJK and the other Adobe-style CJK OpenType fonts).

fontTools subsets any font, but for a CJK CFF it interprets every kept charstring two or three
times in Python (glyph closure, desubroutinizing, bounds): about 0.3 s for the 800 glyphs of a
page, per font, and a cold build pays it for each face. A CID-keyed font needs much less. Its
glyphs have no seac accents to close over, and the PDF shows them by CID, so this module:

- reads the CFF table's structures (INDEXes, DICTs, charset, FDSelect), touching only the
  charstrings it keeps;
- copies each kept charstring with its subroutine calls inlined (`charstring`), so that no
  subroutines are kept;
- writes a CID-keyed CFF with the kept glyphs (original CIDs), the font dicts they use and their
  Private dicts without Subrs.

Anything else (name-keyed CFF, seac, CFF2) raises `Unsupported`, and the caller uses fontTools.
Spec: Adobe Technical Notes #5176 (CFF) and #5177 (Type 2 charstrings).
"""

from __future__ import annotations

import struct
from bisect import bisect_right

from broadsheet.fonts.charstring import Flattener, Unsupported, operand, x_extent

# DICT operators (two-byte ones as 1200 + second byte)
_CHARSET, _CHARSTRINGS, _PRIVATE, _SUBRS = 15, 17, 18, 19
_ROS, _CIDCOUNT, _FDARRAY, _FDSELECT = 1230, 1234, 1236, 1237
#: Top DICT entries kept as they are: numbers only (string entries point into the old String INDEX).
_TOP_KEPT = {5, 1201, 1202, 1203, 1204, 1205, 1206, 1207, 1208, 1231, _CIDCOUNT}
_FONT_DICT_KEPT = {1207}  # FontMatrix


class _Index:
    """A CFF INDEX, read lazily: only the entries asked for are sliced."""

    def __init__(self, data: bytes, pos: int):
        self.data = data
        self.count = int.from_bytes(data[pos:pos + 2], "big")
        if self.count == 0:
            self.end = pos + 2
            return
        self.size = data[pos + 2]
        self.offsets = pos + 3
        self.base = pos + 2 + (self.count + 1) * self.size  # offsets count from the byte before the data
        self.end = self.base + self._offset(self.count)

    def _offset(self, k: int) -> int:
        p = self.offsets + k * self.size
        return int.from_bytes(self.data[p:p + self.size], "big")

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, k: int) -> bytes:
        if not 0 <= k < self.count:
            raise Unsupported(f"INDEX entry {k} out of range")
        return self.data[self.base + self._offset(k):self.base + self._offset(k + 1)]


_REAL = "0123456789.EE?-"


def _dict(data: bytes) -> list[tuple[int, bytes, list[float]]]:
    """A DICT as (operator, its operands' raw bytes, their values) in order."""
    out = []
    vals: list[float] = []
    i = start = 0
    n = len(data)
    while i < n:
        b = data[i]
        if b <= 21:
            op, j = (1200 + data[i + 1], i + 2) if b == 12 else (b, i + 1)
            out.append((op, data[start:i], vals))
            vals, i, start = [], j, j
        elif b == 29:
            vals.append(int.from_bytes(data[i + 1:i + 5], "big", signed=True))
            i += 5
        elif b == 30:  # a real: nibbles up to 0xf
            text, i = "", i + 1
            while True:
                byte = data[i]
                i += 1
                hi, lo = byte >> 4, byte & 15
                if hi == 15:
                    break
                text += _REAL[hi] + ("-" if hi == 12 else "")
                if lo == 15:
                    break
                text += _REAL[lo] + ("-" if lo == 12 else "")
            vals.append(float(text))
        elif b == 28 or 32 <= b <= 254:
            v, i = operand(data, i)
            vals.append(v)
        else:
            raise Unsupported("bad DICT operand")
    return out


def _int(v: int) -> bytes:
    """A DICT integer in its 5-byte form: offsets can be written before they are known."""
    return b"\x1d" + struct.pack(">i", v)


def _op(op: int) -> bytes:
    return bytes([12, op - 1200]) if op >= 1200 else bytes([op])


def _index(items: list[bytes]) -> bytes:
    if not items:
        return b"\x00\x00"
    offsets = [1]
    for it in items:
        offsets.append(offsets[-1] + len(it))
    size = 1 if offsets[-1] < 1 << 8 else 2 if offsets[-1] < 1 << 16 else 3 if offsets[-1] < 1 << 24 else 4
    head = struct.pack(">HB", len(items), size) + b"".join(o.to_bytes(size, "big") for o in offsets)
    return head + b"".join(items)


class CFF:
    """A CFF table's structures, through which its glyphs are read."""

    def __init__(self, table: bytes):
        if table[0] != 1:
            raise Unsupported("not CFF version 1")
        self.table = table
        self.names = _Index(table, table[2])
        tops = _Index(table, self.names.end)
        self.strings = _Index(table, tops.end)
        self.gsubrs = _Index(table, self.strings.end)
        self.top = _dict(tops[0])
        self.entries = entries = {op: vals for op, _, vals in self.top}
        self.charstrings = _Index(table, int(entries[_CHARSTRINGS][0]))
        self.cid_keyed = _ROS in entries and _FDARRAY in entries and _FDSELECT in entries
        if self.cid_keyed:
            self.fd_of = _fd_select(table, int(entries[_FDSELECT][0]), len(self.charstrings))
            fdarray = _Index(table, int(entries[_FDARRAY][0]))
            font_dicts = [_dict(fdarray[k]) for k in range(len(fdarray))]
        else:
            self.fd_of = lambda g: 0
            font_dicts = [self.top]
        self.privates: list[tuple[list, list, _Index | None]] = []  # per font dict: it, its Private, its Subrs
        for font_dict in font_dicts:
            priv = next((vals for op, _, vals in font_dict if op == _PRIVATE), None)
            if priv is None:
                raise Unsupported("font dict without Private")
            size, offset = int(priv[0]), int(priv[1])
            pdict = _dict(table[offset:offset + size])
            subrs = next((vals for op, _, vals in pdict if op == _SUBRS), None)
            self.privates.append((font_dict, pdict, _Index(table, offset + int(subrs[0])) if subrs else None))
        self.flat = Flattener(self.gsubrs)

    def flattened(self, gid: int) -> bytes:
        """The glyph's charstring with its subroutines inlined."""
        return self.flat.glyph(self.charstrings[gid], self.privates[self.fd_of(gid)][2])

    def ros(self) -> tuple[str, str, int] | None:
        """Registry, ordering and supplement of a CID-keyed CFF; None for a name-keyed one."""
        if not self.cid_keyed:
            return None
        registry, ordering, supplement = self.entries[_ROS]
        return (_string(self.strings, int(registry)).decode("latin-1"),
                _string(self.strings, int(ordering)).decode("latin-1"), int(supplement))

    def ink_x(self, gids: list[int]) -> dict[int, tuple[float, float]]:
        """The horizontal extent of each glyph's outline (curve extremes included); glyphs
        without an outline are left out."""
        out = {}
        for g in gids:
            extent = x_extent(self.flattened(g))
            if extent is not None:
                out[g] = extent
        return out


def subset(font: CFF, gids: list[int]) -> tuple[bytes, dict[int, int]]:
    """A CFF holding glyphs `gids` (sorted, 0 first) of a CID-keyed CFF, and each glyph's CID
    (the code the PDF shows it by)."""
    if not font.cid_keyed:
        raise Unsupported("not CID-keyed")
    top, entries, strings, privates = font.top, font.entries, font.strings, font.privates
    count = len(font.charstrings)
    if gids[0] != 0 or gids[-1] >= count:
        raise Unsupported("glyph out of range")
    cids = _charset(font.table, int(entries[_CHARSET][0]), count)
    glyph_fds = [font.fd_of(g) for g in gids]
    used_fds = sorted(set(glyph_fds))
    new_fd = {fd: k for k, fd in enumerate(used_fds)}
    programs = [font.flattened(g) for g in gids]
    names = font.names

    # the parts after the Top DICT, in order; offsets are known once the Top DICT's size is
    registry, ordering, supplement = entries[_ROS]
    string_index = _index([_string(strings, int(registry)), _string(strings, int(ordering))])
    charset = b"\x00" + b"".join(struct.pack(">H", cids[g]) for g in gids[1:])
    ranges = [(k, new_fd[fd]) for k, fd in enumerate(glyph_fds) if k == 0 or fd != glyph_fds[k - 1]]
    fdselect = b"\x03" + struct.pack(">H", len(ranges)) + b"".join(struct.pack(">HB", k, fd) for k, fd in ranges)
    fdselect += struct.pack(">H", len(gids))
    charstring_index = _index(programs)
    private_blobs = [b"".join(raw + _op(op) for op, raw, _ in privates[fd][1] if op != _SUBRS) for fd in used_fds]

    def top_dict(charset_at: int, fdselect_at: int, charstrings_at: int, fdarray_at: int) -> bytes:
        out = _int(391) + _int(392) + _int(int(supplement)) + _op(_ROS)  # the two strings below
        out += b"".join(raw + _op(op) for op, raw, _ in top if op in _TOP_KEPT)
        return out + (_int(charset_at) + _op(_CHARSET) + _int(fdselect_at) + _op(_FDSELECT)
                      + _int(charstrings_at) + _op(_CHARSTRINGS) + _int(fdarray_at) + _op(_FDARRAY))

    header = bytes([1, 0, 4, 4]) + _index([names[0]])
    top_len = len(_index([top_dict(0, 0, 0, 0)]))  # 5-byte integers: the size does not depend on the values
    charset_at = len(header) + top_len + len(string_index) + 2
    fdselect_at = charset_at + len(charset)
    charstrings_at = fdselect_at + len(fdselect)
    fdarray_at = charstrings_at + len(charstring_index)

    def font_dicts(private_at: int) -> bytes:
        dicts = []
        for fd, blob in zip(used_fds, private_blobs):
            kept = b"".join(raw + _op(op) for op, raw, _ in privates[fd][0] if op in _FONT_DICT_KEPT)
            dicts.append(kept + _int(len(blob)) + _int(private_at) + _op(_PRIVATE))
            private_at += len(blob)
        return _index(dicts)

    private_at = fdarray_at + len(font_dicts(0))
    out = b"".join([header, _index([top_dict(charset_at, fdselect_at, charstrings_at, fdarray_at)]), string_index,
                    b"\x00\x00", charset, fdselect, charstring_index, font_dicts(private_at), *private_blobs])
    return out, {g: cids[g] for g in gids}


def _string(strings: _Index, sid: int) -> bytes:
    if sid < 391:
        raise Unsupported("standard string as ROS")
    return strings[sid - 391]


def _charset(table: bytes, at: int, count: int) -> list[int]:
    """The CID of every glyph."""
    if at <= 2:
        raise Unsupported("predefined charset")
    fmt = table[at]
    if fmt == 0:
        return [0, *struct.unpack_from(f">{count - 1}H", table, at + 1)]
    cids = [0]
    pos = at + 1
    size = 1 if fmt == 1 else 2
    while len(cids) < count:
        first = int.from_bytes(table[pos:pos + 2], "big")
        left = int.from_bytes(table[pos + 2:pos + 2 + size], "big")
        cids.extend(range(first, first + left + 1))
        pos += 2 + size
    return cids[:count]


def _fd_select(table: bytes, at: int, count: int):
    """A function from glyph to the index of its font dict."""
    fmt = table[at]
    if fmt == 0:
        fds = table[at + 1:at + 1 + count]
        return fds.__getitem__
    if fmt != 3:
        raise Unsupported(f"FDSelect format {fmt}")
    (n,) = struct.unpack_from(">H", table, at + 1)
    firsts, fds = [], []
    for k in range(n):
        first, fd = struct.unpack_from(">HB", table, at + 3 + 3 * k)
        firsts.append(first)
        fds.append(fd)
    return lambda g: fds[bisect_right(firsts, g) - 1]
