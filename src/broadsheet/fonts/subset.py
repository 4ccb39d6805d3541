"""Font embedding: each face a page uses becomes a subset Type 0 (CID) font with Identity-H encoding.

ReportLab embeds only TrueType outlines, as 256-glyph simple fonts, and cannot subset the CFF
outlines of Noto CJK; so we subset (cached by glyph set) and write the PDF font objects ourselves
through ReportLab's document model. CID-keyed CFF fonts (the CJK OpenType fonts) are subset by
`cff` and TrueType fonts by `ttf`, both many times faster than fontTools, which subsets the rest
(name-keyed CFF). Text is shown as 2-byte codes:
- CFF fonts (FontFile3/CIDFontType0C): the code is the glyph's CID (CID-keyed CFF) or its subset GID;
- TrueType fonts (FontFile2, CIDFontType2): the code is the glyph id, kept by `ttf` (CIDToGIDMap /Identity).
Each font carries a ToUnicode CMap so that text stays searchable and extractable.
"""

from __future__ import annotations

import hashlib
import io
import string
import struct
import zlib
from dataclasses import dataclass

from broadsheet.cache import cached
from broadsheet.fonts.faces import Face


@dataclass
class Subset:
    program: bytes  # CFF table (CFF fonts) or TrueType font file, Flate-compressed as the PDF stores it
    length: int  # its size uncompressed
    codes: dict[int, int]  # original gid -> code used in content streams
    widths: dict[int, int]  # code -> advance in 1/1000 em
    tag: str  # six capital letters, the subset prefix of the font name


FORMAT = 4  # of the cached subsets: 2 keeps the program compressed, 3 adds `cff`, 4 `ttf`


def subset_tag(gids: list[int]) -> str:
    h = hashlib.sha1(",".join(map(str, gids)).encode()).digest()
    return "".join(string.ascii_uppercase[b % 26] for b in h[:6])


def make_subset(face: Face, gids: set[int]) -> Subset:
    ordered = sorted(gids | {0})
    return cached("subsets", f"{FORMAT}|{face.key}|{','.join(map(str, ordered))}", lambda: _subset(face, ordered))


def _subset(face: Face, gids: list[int]) -> Subset:
    from broadsheet.fonts import cff  # only when the subset is not cached
    from broadsheet.fonts import ttf
    from broadsheet.fonts.sfnt import Font

    try:
        if not face.cff:
            return _made(face, gids, ttf.subset(Font(face.path, face.index), gids), {g: g for g in gids})
        if face.cid_keyed:
            program, codes = cff.subset(Font(face.path, face.index).cff, gids)
            return _made(face, gids, program, codes)
    except (ValueError, IndexError, struct.error):  # cff.Unsupported is a ValueError
        pass  # fontTools subsets what the fast paths do not follow
    return _fonttools_subset(face, gids)


def _made(face: Face, gids: list[int], program: bytes, codes: dict[int, int]) -> Subset:
    widths = {codes[g]: round(face.advances[g] * 1000 / face.upem) for g in gids}
    return Subset(zlib.compress(program), len(program), codes, widths, subset_tag(gids))


def _fonttools_subset(face: Face, gids: list[int]) -> Subset:
    """Fonts the fast paths do not handle (name-keyed CFF, and anything they cannot follow)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(face.path, fontNumber=face.index, lazy=True, recalcTimestamp=False, recalcBBoxes=False)
    opts = subset.Options()
    opts.layout_features = []
    opts.name_IDs = []
    opts.name_languages = []
    opts.notdef_outline = True
    opts.hinting = True  # the bundled fonts carry no hints; False would walk every charstring for nothing
    opts.desubroutinize = True  # measured: faster and smaller for Noto CJK
    opts.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "vhea", "vmtx", "VORG", "DSIG", "kern"]
    opts.recalc_timestamp = False
    sub = subset.Subsetter(opts)
    old_order = font.getGlyphOrder()
    names = [old_order[g] for g in gids]
    sub.populate(glyphs=names)
    sub.subset(font)
    new_order = font.getGlyphOrder()
    new_gid = {name: i for i, name in enumerate(new_order)}
    codes: dict[int, int] = {}
    for g, name in zip(gids, names):
        if face.cff and face.cid_keyed:
            codes[g] = int(name[3:]) if name.startswith("cid") else new_gid[name]
        else:
            codes[g] = new_gid[name]
    if face.cff:
        program = font["CFF "].compile(font)
    else:
        buf = io.BytesIO()
        font.save(buf)
        program = buf.getvalue()
    return _made(face, gids, program, codes)
