"""Font embedding: each face a page uses becomes a subset Type 0 (CID) font with Identity-H encoding.

ReportLab embeds only TrueType outlines, as 256-glyph simple fonts, and cannot subset the CFF
outlines of Noto CJK; so we subset with fontTools (cached by glyph set) and write the PDF font
objects ourselves through ReportLab's document model. Text is shown as 2-byte codes:
- CFF fonts (FontFile3/CIDFontType0C): the code is the glyph's CID (CID-keyed CFF) or its subset GID;
- TrueType fonts (FontFile2, CIDFontType2): the code is the subset GID (CIDToGIDMap /Identity).
Each font carries a ToUnicode CMap so that text stays searchable and extractable.
"""

from __future__ import annotations

import hashlib
import io
import string
import zlib
from dataclasses import dataclass

from .cache import cached
from .fonts import Face


@dataclass
class Subset:
    program: bytes  # CFF table (CFF fonts) or TrueType font file, Flate-compressed as the PDF stores it
    length: int  # its size uncompressed
    codes: dict[int, int]  # original gid -> code used in content streams
    widths: dict[int, int]  # code -> advance in 1/1000 em
    tag: str  # six capital letters, the subset prefix of the font name


FORMAT = 2  # of the cached Subset: 2 keeps the program compressed (compressing it was most of a small build's PDF stage)


def subset_tag(gids: list[int]) -> str:
    h = hashlib.sha1(",".join(map(str, gids)).encode()).digest()
    return "".join(string.ascii_uppercase[b % 26] for b in h[:6])


def make_subset(face: Face, gids: set[int]) -> Subset:
    ordered = sorted(gids | {0})
    return cached("subsets", f"{FORMAT}|{face.key}|{','.join(map(str, ordered))}", lambda: _subset(face, ordered))


def _subset(face: Face, gids: list[int]) -> Subset:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(face.path, fontNumber=face.index, lazy=True, recalcTimestamp=False)  # same input, same bytes
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
    names = [face.glyph_names[g] for g in gids]
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
    widths = {codes[g]: round(face.advances[g] * 1000 / face.upem) for g in gids}
    if face.cff:
        program = font["CFF "].compile(font)
    else:
        buf = io.BytesIO()
        font.save(buf)
        program = buf.getvalue()
    return Subset(zlib.compress(program), len(program), codes, widths, subset_tag(gids))
