"""PDF writing: draws a display list on a ReportLab canvas.

ReportLab writes the file (objects, xref, streams, images); text is written as positioned glyph
codes in Type 0 fonts that `embed` subsets, so every glyph sits exactly where composition put it.
The output is deterministic: ReportLab's invariant mode fixes dates and document ids.
"""

from __future__ import annotations

import io
from collections import defaultdict

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from .display import Box, Document, GlyphRun, Image, Marker, Rule
from .embed import Subset, make_subset
from .fonts import Face

PDFName = pdfdoc.PDFName
rl_config.useA85 = 0  # streams stay binary (Flate only): smaller files, and no pure-Python ASCII85 pass


class _NoFont:
    """Stands in for the canvas's initial font: being 'dynamic', ReportLab's page preamble then
    selects no font, so no unembedded Helvetica is ever referenced."""

    fontName = "broadsheet-none"
    _dynamicFont = 1


pdfmetrics._fonts[_NoFont.fontName] = _NoFont()  # ReportLab has no public hook for this


def _cmyk(c: tuple[float, float, float, float]) -> str:
    return " ".join(f"{v / 100:.4g}" for v in c)


def render(doc: Document) -> bytes:
    """The PDF file for a laid-out document."""
    used: dict[Face, dict[int, str]] = defaultdict(dict)
    for page in doc.pages:
        for item in page.items:
            if isinstance(item, GlyphRun):
                for g in item.glyphs:
                    used[g.face].setdefault(g.gid, g.text)
    buf = io.BytesIO()
    first = doc.pages[0] if doc.pages else None
    canv = Canvas(
        buf,
        pagesize=(first.width, first.height) if first else (595, 842),
        invariant=1,
        pageCompression=1,
        initialFontName=_NoFont.fontName,
    )
    canv.setTitle(doc.title)
    canv.setSubject(doc.subject)
    canv.setAuthor(doc.author)  # never ReportLab's "anonymous"
    canv.setCreator("broadsheet")
    canv.setProducer("broadsheet (ReportLab)")
    fonts: dict[Face, tuple[str, Subset]] = {}
    faces = sorted(used, key=lambda f: (f.postscript, str(f.path)))
    for n, face in enumerate(faces, 1):
        sub = make_subset(face, set(used[face]))
        name = f"BF{n}"
        _add_font(canv._doc, name, face, sub, used[face])
        fonts[face] = (name, sub)
    codes: dict[tuple[Face, float], dict[int, tuple[str, float]]] = {}
    for page in doc.pages:
        canv.setPageSize((page.width, page.height))
        for item in page.items:
            if isinstance(item, GlyphRun):
                _draw_run(canv, item, page.height, fonts, codes)
            elif isinstance(item, Rule):
                canv._code.append(
                    f"{_cmyk(item.color)} K {item.width:.3f} w {item.x0:.3f} {page.height - item.y0:.3f} m "
                    f"{item.x1:.3f} {page.height - item.y1:.3f} l S"
                )
            elif isinstance(item, Box):
                ops = []
                if item.fill:
                    ops.append(f"{_cmyk(item.fill)} k")
                if item.stroke:
                    ops.append(f"{_cmyk(item.stroke)} K {item.width:.3f} w")
                paint = "B" if item.fill and item.stroke else ("f" if item.fill else "S")
                ops.append(f"{item.x:.3f} {page.height - item.y - item.h:.3f} {item.w:.3f} {item.h:.3f} re {paint}")
                canv._code.append(" ".join(ops))
            elif isinstance(item, Image):
                px, py, pw, ph = item.placed
                canv.saveState()
                clip = canv.beginPath()
                clip.rect(item.x, page.height - item.y - item.h, item.w, item.h)
                canv.clipPath(clip, stroke=0, fill=0)
                canv.drawImage(str(item.path), px, page.height - py - ph, pw, ph)
                canv.restoreState()
            elif isinstance(item, Marker):
                pass  # proof-only
        canv.showPage()
    canv.save()
    return buf.getvalue()


def _draw_run(canv: Canvas, run: GlyphRun, page_h: float, fonts: dict[Face, tuple[str, Subset]],
              codes: dict[tuple[Face, float], dict[int, tuple[str, float]]]) -> None:
    """Emit one line: for each stretch in one font, size and colour, the character spacing (Tc)
    that justification gave most gaps, then the glyph codes in TJ arrays, with an adjustment only
    where a glyph stands elsewhere (punctuation compression, Latin gaps, word boundaries).
    `codes` keeps, per face and size, each glyph's hex code and advance."""
    out = ["BT"]
    colour = None
    glyphs = run.glyphs
    i, n = 0, len(glyphs)
    while i < n:
        g0 = glyphs[i]
        j = i + 1
        while j < n and glyphs[j].face is g0.face and glyphs[j].size == g0.size and glyphs[j].color == g0.color:
            j += 1
        name, sub = fonts[g0.face]
        size = g0.size
        table = codes.setdefault((g0.face, size), {})
        entries = []
        for g in glyphs[i:j]:
            e = table.get(g.gid)
            if e is None:
                code = sub.codes[g.gid]
                e = table[g.gid] = ("%04X" % code, sub.widths[code] * size / 1000)
            entries.append(e)
        gaps = [round(glyphs[k + 1].x - glyphs[k].x - entries[k - i][1], 3) for k in range(i, j - 1)]
        tc = max(set(gaps), key=gaps.count) if gaps else 0.0
        if g0.color != colour:
            colour = g0.color
            out.append(f"{_cmyk(colour)} k")
        out.append(f"/{name} {size:.3f} Tf {tc:.3f} Tc 1 0 0 1 {run.x + g0.x:.3f} {page_h - run.y:.3f} Tm [")
        pen = g0.x
        hexes: list[str] = []
        for g, (hexcode, w) in zip(glyphs[i:j], entries):
            adjust = (pen - g.x) * 1000 / size
            if adjust > 0.01 or adjust < -0.01:
                if hexes:
                    out.append("<" + "".join(hexes) + ">")
                    hexes = []
                out.append(f"{adjust:.2f}")
            hexes.append(hexcode)
            pen = g.x + w + tc
        out.append("<" + "".join(hexes) + ">] TJ")
        i = j
    out.append("ET")
    canv._code.append(" ".join(out))


def _add_font(doc: pdfdoc.PDFDocument, name: str, face: Face, sub: Subset, text: dict[int, str]) -> None:
    base = f"{sub.tag}+{face.postscript}"
    scale = 1000 / face.upem
    program = pdfdoc.PDFStream(content=sub.program, filters=[pdfdoc.PDFZCompress])
    if face.cff:
        program.dictionary["Subtype"] = PDFName("CIDFontType0C")
    else:
        program.dictionary["Length1"] = len(sub.program)
    x0, y0, x1, y1 = face.bbox
    descriptor = pdfdoc.PDFDictionary({
        "Type": PDFName("FontDescriptor"),
        "FontName": PDFName(base),
        "Flags": 4,  # symbolic: glyphs outside the standard Latin set
        "FontBBox": pdfdoc.PDFArray([round(v * scale) for v in (x0, y0, x1, y1)]),
        "ItalicAngle": 0,
        "Ascent": round(face.ascent * scale),
        "Descent": -round(face.descent * scale),
        "CapHeight": round(face.cap_height * scale),
        "StemV": 80,
        ("FontFile3" if face.cff else "FontFile2"): doc.Reference(program, f"FontFile:{name}"),
    })
    w: list = []
    for code in sorted(sub.widths):
        w += [code, pdfdoc.PDFArray([sub.widths[code]])]
    registry, ordering, supplement = face.ros if (face.cff and face.ros) else ("Adobe", "Identity", 0)
    cid = pdfdoc.PDFDictionary({
        "Type": PDFName("Font"),
        "Subtype": PDFName("CIDFontType0" if face.cff else "CIDFontType2"),
        "BaseFont": PDFName(base),
        "CIDSystemInfo": pdfdoc.PDFDictionary({
            "Registry": pdfdoc.PDFString(registry), "Ordering": pdfdoc.PDFString(ordering), "Supplement": supplement,
        }),
        "FontDescriptor": doc.Reference(descriptor, f"FontDescriptor:{name}"),
        "W": pdfdoc.PDFArray(w),
    })
    if not face.cff:
        cid.dict["CIDToGIDMap"] = PDFName("Identity")
    tounicode = pdfdoc.PDFStream(content=_tounicode({sub.codes[g]: t for g, t in text.items()}), filters=[pdfdoc.PDFZCompress])
    font = pdfdoc.PDFDictionary({
        "Type": PDFName("Font"),
        "Subtype": PDFName("Type0"),
        "BaseFont": PDFName(base),
        "Encoding": PDFName("Identity-H"),
        "DescendantFonts": pdfdoc.PDFArray([doc.Reference(cid, f"CIDFont:{name}")]),
        "ToUnicode": doc.Reference(tounicode, f"ToUnicode:{name}"),
    })
    doc.idToObject["BasicFonts"].dict[name] = doc.Reference(font, f"Font:{name}")
    doc.fontMapping[name] = "/" + name


def _tounicode(mapping: dict[int, str]) -> bytes:
    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
        "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange",
    ]
    items = sorted(mapping.items())
    for i in range(0, len(items), 100):
        chunk = items[i:i + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        for code, text in chunk:
            utf16 = text.encode("utf-16-be").hex().upper()
            lines.append(f"<{code:04X}> <{utf16}>")
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")
