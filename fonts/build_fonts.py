#!/usr/bin/env python3
"""Regenerate the bundled fonts in this folder from the Debian font packages.

    python fonts/build_fonts.py            # writes the four fonts + licence files
    python fonts/build_fonts.py --check    # also verify outlines against the sources
    python fonts/build_fonts.py --only NotoSerifCJKsc-Regular.otf   # one (or more) of them

Needs only the standard library and fontTools, plus the Debian packages
fonts-noto-cjk and fonts-lxgw-wenkai.  The output is deterministic: running
the script twice gives byte-identical files (head.modified is kept at the
source font's value, nothing random is involved, and the script re-executes
itself with PYTHONHASHSEED=0 so no set/dict ordering can vary between runs).

Roles:
    书宋 body              NotoSerifCJKsc-Regular.otf  (Noto Serif CJK SC Regular)
    标宋 titles            NotoSerifCJKsc-Bold.otf     (Noto Serif CJK SC Bold)
    黑体 flags/subheads    NotoSansCJKsc-Bold.otf      (Noto Sans CJK SC Bold)
    楷体 bylines/opinion   LXGWWenKai-Regular.ttf      (LXGW WenKai Regular)
"""

import os
import sys


def _pin_hash_seed():
    # fontTools keeps glyph names in sets/dicts in places; pin string hashing
    # so that no ordering can ever depend on the per-process hash seed.
    if os.environ.get("PYTHONHASHSEED") != "0":
        env = dict(os.environ, PYTHONHASHSEED="0")
        os.execve(sys.executable, [sys.executable] + sys.argv, env)


if __name__ == "__main__":
    _pin_hash_seed()

import glob
import re
import time

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

HERE = os.path.dirname(os.path.abspath(__file__))

NOTO_DIRS = ["/usr/share/fonts/opentype/noto", "/usr/share/fonts/opentype/noto-cjk"]
WENKAI_DIRS = ["/usr/share/fonts/truetype/lxgw-wenkai"]

# output file, source file name, family name (name ID 1), subfamily (ID 2), repertoire:
# "gb18030" = GB 18030-2022 implementation level 1 (with Extension A), "gbk" = GBK only.
# The Noto fonts have level 1 almost entirely; LXGW WenKai stays at GBK (the role
# it fills, bylines and captions, needs no more, and it keeps the folder small).
FONTS = [
    ("NotoSerifCJKsc-Regular.otf", NOTO_DIRS, "NotoSerifCJK-Regular.ttc",
     "Noto Serif CJK SC", "Regular", "gb18030"),
    ("NotoSerifCJKsc-Bold.otf", NOTO_DIRS, "NotoSerifCJK-Bold.ttc",
     "Noto Serif CJK SC", "Bold", "gb18030"),
    ("NotoSansCJKsc-Bold.otf", NOTO_DIRS, "NotoSansCJK-Bold.ttc",
     "Noto Sans CJK SC", "Bold", "gb18030"),
    ("LXGWWenKai-Regular.ttf", WENKAI_DIRS, "LXGWWenKai-Regular.ttf",
     "LXGW WenKai", "Regular", "gbk"),
]

# OpenType layout features kept (plus the glyphs they reach).
LAYOUT_FEATURES = ["kern", "palt", "vpal", "halt", "vhal", "vert", "vrt2"]

# Extra Unicode ranges on top of everything the `gbk` codec decodes.
EXTRA_RANGES = [
    (0x0020, 0x007E),  # printable ASCII
    (0x00A0, 0x00FF),  # Latin-1 Supplement (incl. U+00B7 middle dot)
    (0x0100, 0x017F),  # Latin Extended-A (foreign names, pinyin)
    (0x01CD, 0x01DC),  # pinyin with caron (ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ)
    (0x02C6, 0x02DD),  # spacing modifiers (ˆ ˇ ˉ ˊ ˋ ˙ ˚ ...)
    (0x2000, 0x206F),  # General Punctuation (— ‘ ’ “ ” … ‧ ※ ...)
    (0x20A0, 0x20BF),  # currency symbols (€ ...)
    (0x2100, 0x218F),  # Letterlike Symbols + Number Forms (℃ № ™ Ⅻ ⅻ ...)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators
    (0x2460, 0x24FF),  # Enclosed Alphanumerics (①⑴⒈ⓐ ...)
    (0x2500, 0x25FF),  # box drawing, block elements, geometric shapes (■□▲●◆)
    (0x2600, 0x26FF),  # misc symbols (★☆☎ ...)
    (0x2E3A, 0x2E3B),  # two-/three-em dash
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0x30FB, 0x30FB),  # katakana middle dot (・, used as name separator)
    (0x3200, 0x32FF),  # Enclosed CJK Letters and Months (㈠ ㊀ ...)
    (0x3300, 0x33FF),  # CJK Compatibility (㎡ ㎏ ...)
    (0xFE10, 0xFE1F),  # Vertical Forms
    (0xFE30, 0xFE4F),  # CJK Compatibility Forms
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
    (0xFFFD, 0xFFFD),  # replacement character
]


def gbk_chars():
    """Every character Python's `gbk` codec decodes from a 2-byte code."""
    chars = set()
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            try:
                s = bytes((lead, trail)).decode("gbk", errors="strict")
            except UnicodeDecodeError:
                continue
            chars.update(ord(c) for c in s)
    return chars


# GB 18030-2022, section 9: implementation level 1 is the one-byte and two-byte parts and,
# of the four-byte part, CJK Unified Ideographs Extension A (U+3400-4DB5) and the URO
# additions U+9FA6-9FEF (66 of them new in 2022; U+9FB4-9FBB were required in 2005 already,
# as two-byte codes).  Source: Ken Lunde, "The GB 18030-2022 Standard" (2022), on section 9.
EXTENSION_A = (0x3400, 0x4DB5)
URO_ADDITIONS = (0x9FA6, 0x9FEF)
# Two-byte codes that Python's gb18030 codec (the 2000 mappings) decodes to the Private Use
# Area, but that GB 18030-2005/2022 map to standard characters: A8BC (U+1E3F), the ten
# vertical forms (A6D9-A6DF, A6EC-A6ED, A6F3) and the eight components FE59 ... FEA0
# (U+9FB4-9FBB, inside URO_ADDITIONS).  The six codes FE51 FE52 FE53 FE6C FE76 FE91 stay
# PUA-mapped in 2022; they stand for the Extension B characters below, which the fonts
# get under their real code points (a font cannot be asked for a PUA glyph).
GB18030_REMAPPED = [0x1E3F, *range(0xFE10, 0xFE1A)]
GB18030_PUA_EXT_B = [0x20087, 0x20089, 0x200CC, 0x215D7, 0x2298F, 0x241FE]


def gb18030_level1():
    """GB 18030-2022 implementation level 1, as Unicode code points (printable ones)."""
    chars = set(range(0x20, 0x7F))  # the one-byte part (controls aside)
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            try:
                s = bytes((lead, trail)).decode("gb18030", errors="strict")
            except UnicodeDecodeError:
                continue
            # PUA results are the user-defined areas (AAA1-AFFE, F8A1-FEFE, A140-A7A0,
            # no characters) and the codes GB18030_REMAPPED / _PUA_EXT_B deal with
            chars.update(ord(c) for c in s if not 0xE000 <= ord(c) <= 0xF8FF)
    chars.update(GB18030_REMAPPED, GB18030_PUA_EXT_B)
    for lo, hi in (EXTENSION_A, URO_ADDITIONS):
        chars.update(range(lo, hi + 1))
    return chars


def repertoire(kind):
    chars = gb18030_level1() if kind == "gb18030" else gbk_chars()  # level 1 holds all of GBK
    for lo, hi in EXTRA_RANGES:
        chars.update(range(lo, hi + 1))
    return sorted(chars)


def find_source(dirs, filename):
    for d in dirs:
        p = os.path.join(d, filename)
        if os.path.isfile(p):
            return p
    hits = sorted(glob.glob("/usr/share/fonts/**/" + filename, recursive=True))
    if hits:
        return hits[0]
    sys.exit("build_fonts: cannot find %s (install fonts-noto-cjk and "
             "fonts-lxgw-wenkai)" % filename)


def find_member(path, family, style):
    """Index of the collection member whose name table says family/style
    (-1 for a plain font file)."""
    if not path.lower().endswith((".ttc", ".otc")):
        return -1
    coll = TTCollection(path, lazy=True)
    try:
        for i, f in enumerate(coll.fonts):
            name = f["name"]
            fam = name.getDebugName(16) or name.getDebugName(1)
            sub = name.getDebugName(17) or name.getDebugName(2)
            if fam == family and sub == style:
                return i
    finally:
        coll.close()
    sys.exit("build_fonts: no member %r %r in %s" % (family, style, path))


def subset_options(font_number, is_cff):
    o = subset.Options()
    o.font_number = font_number
    o.layout_features = list(LAYOUT_FEATURES)
    o.layout_scripts = ["*"]
    o.name_IDs = ["*"]          # keep every name record ...
    o.name_legacy = True        # ... including Mac-platform ones
    o.name_languages = ["*"]    # ... in every language
    o.notdef_glyph = True
    o.notdef_outline = True
    o.hinting = False           # drop CFF hints / TrueType instructions
    o.desubroutinize = False    # keep CFF subroutines
    o.glyph_names = is_cff      # CFF: charset keeps cidNNNNN names anyway
    o.recalc_timestamp = False  # keep head.modified from the source
    o.recalc_bounds = False
    o.prune_unicode_ranges = True
    o.prune_codepage_ranges = True
    # GSUB/GPOS are serialised by fontTools' own packer, never by HarfBuzz's repacker, which
    # fontTools takes whenever uharfbuzz is importable (as it is wherever broadsheet is
    # installed): the bytes must not depend on what else is installed
    o.harfbuzz_repacker = False
    return o


def build_one(outname, dirs, srcname, family, style, unicodes, out_dir):
    """Subset one font to `unicodes` (the code points it has of them) into out_dir."""
    src = find_source(dirs, srcname)
    number = find_member(src, family, style)
    is_cff = outname.endswith(".otf")
    opts = subset_options(number, is_cff)
    font = subset.load_font(src, opts, lazy=False)
    src_modified = font["head"].modified
    src_fstype = font["OS/2"].fsType
    sub = subset.Subsetter(options=opts)
    sub.populate(unicodes=unicodes)
    sub.subset(font)
    font["head"].modified = src_modified        # explicit: never "now"
    assert font["OS/2"].fsType == src_fstype
    if is_cff:
        assert "CFF " in font and "glyf" not in font
        top = font["CFF "].cff.topDictIndex[0]
        assert hasattr(top, "ROS"), "CID-keyed CFF expected"
    # source glyph names in output GID order (a TrueType output has no
    # glyph names: post format 3); used by check_outlines()
    src_names = list(font.getGlyphOrder())
    out = os.path.join(out_dir, outname)
    tmp = out + ".tmp"
    subset.save_font(font, tmp, opts)
    font.close()
    os.replace(tmp, out)
    return src, number, out, src_names


# ---------------------------------------------------------------- licences

def _dep5_license(copyright_path, short_names):
    """Text of the first `License: <name>` stand-alone paragraph."""
    with open(copyright_path, encoding="utf-8") as fh:
        text = fh.read()
    for para in re.split(r"\n\s*\n", text):
        lines = para.split("\n")
        m = re.match(r"License:\s*(\S+)\s*$", lines[0])
        if m and m.group(1) in short_names and len(lines) > 1:
            body = []
            for ln in lines[1:]:
                ln = ln[1:] if ln.startswith(" ") else ln
                body.append("" if ln.strip() == "." else ln.rstrip())
            while body and not body[-1]:
                body.pop()
            return "\n".join(body) + "\n"
    sys.exit("build_fonts: no licence text in %s" % copyright_path)


def _dep5_files_star(copyright_path):
    """The `Files: *` paragraph (copyright holders, comments) verbatim."""
    with open(copyright_path, encoding="utf-8") as fh:
        text = fh.read()
    for para in re.split(r"\n\s*\n", text):
        if re.match(r"Files:\s*\*\s*$", para.split("\n")[0]):
            return para.strip("\n")
    return ""


def _notices(paths):
    seen = []
    for p in paths:
        f = TTFont(p, lazy=True)
        for nid in (0, 7):
            s = f["name"].getDebugName(nid)
            if s:
                s = s.replace("\r\n", "\n").strip()
                if s not in seen:
                    seen.append(s)
        f.close()
    return seen


def write_licences(built):
    groups = [
        ("LICENSE-NotoCJK.txt", "fonts-noto-cjk",
         "https://github.com/notofonts/noto-cjk", ("SIL-1.1", "OFL-1.1"),
         [o for o in built if os.path.basename(o).startswith("Noto")]),
        ("LICENSE-LXGWWenKai.txt", "fonts-lxgw-wenkai",
         "https://github.com/lxgw/LxgwWenKai", ("OFL-1.1", "SIL-1.1"),
         [o for o in built if os.path.basename(o).startswith("LXGW")]),
    ]
    for fname, pkg, upstream, ids, outs in groups:
        cpath = "/usr/share/doc/%s/copyright" % pkg
        lic = _dep5_license(cpath, ids)
        head = ["Licence of: " + ", ".join(os.path.basename(o) for o in outs),
                "Upstream: " + upstream,
                "Taken from Debian package %s (%s)." % (pkg, cpath),
                "These files are subsets (Modified Versions) of the original "
                "fonts; they keep",
                "the original font names and name table.",
                "",
                "Copyright notices from the fonts' name tables:",
                ""]
        for n in _notices(outs):
            head.extend("  " + ln for ln in n.split("\n"))
        head.extend(["", "Debian copyright file, `Files: *` stanza:", ""])
        head.extend("  " + ln for ln in _dep5_files_star(cpath).split("\n"))
        head.extend(["", ""])
        with open(os.path.join(HERE, fname), "w", encoding="utf-8",
                  newline="\n") as fh:
            fh.write("\n".join(head) + lic)
        print("%-28s %12d bytes" % (fname, os.path.getsize(os.path.join(HERE, fname))))


# ------------------------------------------------------------ verification

def check_outlines(src, number, out, src_names):
    """Every glyph of `out` draws exactly like its source glyph, apart from
    hints (compared as pen operations), with the same advance widths; the
    cmap maps every code point to the corresponding glyph."""
    from fontTools.pens.recordingPen import DecomposingRecordingPen
    a = TTFont(src, fontNumber=number, lazy=True)
    b = TTFont(out, lazy=True)
    ga, gb = a.getGlyphSet(), b.getGlyphSet()
    out_names = b.getGlyphOrder()
    assert len(out_names) == len(src_names)
    to_src = dict(zip(out_names, src_names))
    bad = []
    for no, ns in zip(out_names, src_names):
        pa, pb = DecomposingRecordingPen(ga), DecomposingRecordingPen(gb)
        ga[ns].draw(pa)
        gb[no].draw(pb)
        if (pa.value != pb.value or ga[ns].width != gb[no].width
                or a["vmtx"][ns] != b["vmtx"][no]):
            bad.append(ns)
    cmap_a, cmap_b = a.getBestCmap(), b.getBestCmap()
    for u, g in cmap_b.items():
        if cmap_a.get(u) != to_src[g]:
            bad.append("U+%04X" % u)
    a.close()
    b.close()
    return bad


def report_missing(out, unicodes, kind):
    """The requested code points of the font's standard repertoire that it lacks."""
    wanted = gb18030_level1() if kind == "gb18030" else gbk_chars()
    font = TTFont(out, lazy=True)
    have = set(font.getBestCmap())
    font.close()
    missing = sorted(wanted & set(unicodes) - have)
    print("    %s: %d of %d; missing %d: %s" % (
        "GB 18030-2022 level 1" if kind == "gb18030" else "GBK", len(wanted & have),
        len(wanted), len(missing), " ".join("U+%04X %s" % (u, chr(u)) for u in missing)))


def main(argv):
    check = "--check" in argv
    only = [a for a in argv[argv.index("--only") + 1:]] if "--only" in argv else None
    print("GB 18030-2022 level 1: %d code points; gbk: %d" % (len(gb18030_level1()), len(gbk_chars())))
    built = []
    for *spec, kind in FONTS:
        if only is not None and spec[0] not in only:
            continue
        unicodes = repertoire(kind)
        t0 = time.perf_counter()
        src, number, out, src_names = build_one(*spec, unicodes=unicodes,
                                                out_dir=HERE)
        size = os.path.getsize(out)
        built.append(out)
        print("%-28s %12d bytes  (%.2f MB)  %d code points requested, from %s#%d  [%.1fs]" % (
            os.path.basename(out), size, size / 1e6, len(unicodes), src, number,
            time.perf_counter() - t0))
        report_missing(out, unicodes, kind)
        if check:
            bad = check_outlines(src, number, out, src_names)
            print("    outline check: %s" % ("OK" if not bad else
                                             "%d differ: %s" % (len(bad), bad[:10])))
    fonts = [os.path.join(HERE, spec[0]) for spec in FONTS]
    total = sum(os.path.getsize(p) for p in fonts if os.path.isfile(p))
    print("%-28s %12d bytes  (%.2f MB)" % ("total (4 fonts)", total, total / 1e6))
    if only is None:  # the licence files name all four fonts
        write_licences(built)


if __name__ == "__main__":
    main(sys.argv[1:])
