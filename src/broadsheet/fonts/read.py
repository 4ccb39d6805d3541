"""Reading a face through HarfBuzz: names, character map, advances, the em box, licence flags and
the punctuation's ink; what `faces.load_face` caches.

HarfBuzz gives everything but a few fields of fixed tables that its API does not expose as they
are: the OS/2 typo ascender and descender (the ideographic em box; HarfBuzz's ascender is the
hhea one unless the font sets USE_TYPO_METRICS), cap height, fsType licence flags, weight class
and fsSelection (italic), and the head table's bounding box and macStyle. Those are read from
the table blobs HarfBuzz hands out.
"""

from __future__ import annotations

import struct
from array import array
from pathlib import Path

from broadsheet.fonts import harfbuzz
from broadsheet.fonts.faces import Face, UnsupportedFont
from broadsheet.text.chars import BAR, PUNCTUATION

#: Tables without which a file is damaged or no font, with their least length (head: up to the
#: bounding box read here); and one of the outline tables.
_REQUIRED = {"head": 54, "hhea": 36, "hmtx": 2, "maxp": 6, "cmap": 4}
_OUTLINES = ("CFF ", "glyf")
#: Name IDs: family, subfamily, full name, PostScript name, typographic family and subfamily.
_FAMILY, _SUBFAMILY, _FULL, _POSTSCRIPT, _TYPO_FAMILY, _TYPO_SUBFAMILY, _WWS_FAMILY = 1, 2, 4, 6, 16, 17, 21


def read_face(path: Path, index: int) -> Face:
    """The face's metrics; ValueError for a file that is damaged or no font."""
    hb_face = harfbuzz.face(path, index)
    tags = set(hb_face.table_tags)
    # len(), not .data: that would copy a 12 MB glyf table to learn that it is there
    damaged = [t for t, least in _REQUIRED.items() if t not in tags or len(hb_face.reference_table(t)) < least]
    outlines = [t for t in _OUTLINES if t in tags and len(hb_face.reference_table(t))]
    if not outlines and "CFF2" in tags:
        # PDF embeds CFF and TrueType outlines only, and HarfBuzz does not convert CFF2 to CFF
        raise UnsupportedFont("its outlines are CFF2 (variable OpenType), which PDF cannot embed; "
                              "use a CFF or TrueType instance of the font")
    if hb_face.glyph_count == 0 or damaged or not outlines:
        raise ValueError(f"{path.name}: no glyphs, or missing or damaged tables {damaged or list(_OUTLINES)}")
    font = harfbuzz.font(path, index)
    upem = hb_face.upem
    nominal = font.get_nominal_glyph
    cmap = {cp: g for cp in hb_face.unicodes if (g := nominal(cp))}
    if not cmap:
        raise ValueError(f"{path.name}: its character map is empty or damaged")
    head = hb_face.reference_table("head").data
    bbox = struct.unpack_from(">4h", head, 36)
    os2 = _os2(hb_face.reference_table("OS/2").data or b"")
    if os2 is None:  # no OS/2 table (old Mac fonts): no licence flags, the hhea em box, macStyle
        extents = font.get_font_extents("ltr")
        (mac_style,) = struct.unpack_from(">H", head, 44)  # bit 0 bold, bit 1 italic
        os2 = 0, extents.ascender, extents.descender, 0, 700 if mac_style & 1 else 400, bool(mac_style & 2)
    fs_type, ascender, descender, cap_height, weight, italic = os2
    h_advance = font.get_glyph_h_advance
    return Face(
        path=path,
        index=index,
        postscript=_name(hb_face, _POSTSCRIPT) or path.stem,
        family=next(filter(None, (_name(hb_face, n) for n in (_WWS_FAMILY, _TYPO_FAMILY, _FAMILY))), path.stem),
        upem=upem,
        cmap=cmap,
        advances=array("I", [h_advance(g) for g in range(hb_face.glyph_count)]),
        ascent=ascender,
        descent=-descender,
        cff="glyf" not in outlines,
        fs_type=fs_type,
        bbox=bbox,
        cap_height=cap_height or int(0.7 * upem),
        weight=weight,
        italic=italic,
        ink=_ink(font, cmap),
    )


def _os2(table: bytes) -> tuple[int, int, int, int, int, bool] | None:
    """fsType, typo ascender, typo descender (negative), cap height (0 before version 2), weight
    class and italic (fsSelection bit 0 italic or bit 9 oblique)."""
    if len(table) < 72:
        return None
    version, _, weight, _, fs_type = struct.unpack_from(">HhHHH", table, 0)
    (fs_selection,) = struct.unpack_from(">H", table, 62)
    ascender, descender = struct.unpack_from(">hh", table, 68)
    cap_height = struct.unpack_from(">h", table, 88)[0] if version >= 2 and len(table) >= 90 else 0
    return fs_type, ascender, descender, cap_height, weight, bool(fs_selection & 0x0201)


def _ink(font, cmap: dict[int, int]) -> dict[int, tuple[int, int]]:
    """Horizontal ink extent (xMin, xMax) of the punctuation marks: which part of its em a mark
    leaves blank differs between fonts (GB, Taiwan and Japanese conventions), so compression reads
    it instead of assuming it. Marks without an outline are left out."""
    out = {}
    for ch in PUNCTUATION + BAR:  # and the full-width bar that sets a Chinese dash (text.compose)
        g = cmap.get(ord(ch))
        extents = font.get_glyph_extents(g) if g else None
        if extents is not None and extents.width:
            out[ord(ch)] = (extents.x_bearing, extents.x_bearing + extents.width)
    return out


def face_names(path: Path) -> list[tuple[int, list[str]]]:
    """(member index, names) for each face of a font file: full, family+style, PostScript names.
    A file that is no font has no faces."""
    out = []
    for i in range(harfbuzz.faces_in(path)):
        hb_face = harfbuzz.face(path, i)
        names = []
        for ids in ((_FULL,), (_TYPO_FAMILY, _TYPO_SUBFAMILY), (_FAMILY, _SUBFAMILY), (_POSTSCRIPT,),
                    (_FAMILY,), (_TYPO_FAMILY,)):
            parts = [_name(hb_face, n) for n in ids]
            if all(parts):
                if len(ids) == 1 and ids[0] in (_FAMILY, _TYPO_FAMILY) and (_name(hb_face, ids[0] + 1) or "Regular") != "Regular":
                    continue  # a bare family name means its Regular face
                names.append(" ".join(parts))
        out.append((i, names))
    return out


def _name(hb_face, name_id: int) -> str | None:
    """The English name, else the name in the first language the font gives it in."""
    name = hb_face.get_name(name_id)
    if name is None:
        language = next((e.language for e in hb_face.list_names() if e.name_id == name_id), None)
        name = hb_face.get_name(name_id, language) if language else None
    return name
