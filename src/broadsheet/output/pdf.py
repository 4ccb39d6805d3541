"""PDF writing: draws a display list on a ReportLab canvas.

ReportLab writes the file (objects, xref, streams, images); text is written as positioned glyph
codes in Type 0 fonts that `fonts.subset` cuts, so every glyph sits exactly where composition put it.
The output is deterministic: ReportLab's invariant mode fixes dates and document ids.

For the press (`Press.pdfx`), the same drawing gets overprinting black, spot colours, photos in the
output profile's CMYK, bleed and printer's marks, and `pdfx.finish` makes the file PDF/X.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from itertools import chain
from operator import itemgetter

from broadsheet.output import lean_reportlab

lean_reportlab.load()  # before the canvas: see there
from reportlab import rl_config  # noqa: E402
from reportlab.lib.utils import ImageReader  # noqa: E402
from reportlab.pdfbase import pdfdoc, pdfmetrics  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from broadsheet.colours import Spot
from broadsheet.display import Box, Document, GlyphRun, Image, Item, Marker, Page, Rule, colours
from broadsheet.fonts.subset import Subset, make_subset
from broadsheet.fonts.faces import Face
from broadsheet.input.press import Press
from broadsheet.output.bleed import extend
from broadsheet.output.inks import Inks

PDFName = pdfdoc.PDFName
rl_config.useA85 = 0  # streams stay binary (Flate only): smaller files, and no pure-Python ASCII85 pass


class _Deflate:
    """The Flate filter of the page streams and ToUnicode maps, by ISA-L (python-isal) at its
    level 3 in place of zlib's default: measured on the bench's 15-page document (1.56 MB of page
    content) 3.7 ms against 30 ms, for streams 12 % larger (333 KB against 298 KB). Its output is
    the same on every run; ISA-L's kernels agree on every x86-64 with SSE4.2 (as zlib's output is
    the same only for the same zlib)."""

    pdfname = "FlateDecode"

    def __init__(self) -> None:
        from isal import isal_zlib

        self._compress = isal_zlib.compress

    def encode(self, text: str | bytes) -> bytes:
        return self._compress(text.encode("utf8") if isinstance(text, str) else text, 3)


pdfdoc.PDFZCompress = _Deflate()  # (ReportLab's page streams take the module's filter when they are written)


class _NoFont:
    """Stands in for the canvas's initial font: being 'dynamic', ReportLab's page preamble then
    selects no font, so no unembedded Helvetica is ever referenced."""

    fontName = "broadsheet-none"
    _dynamicFont = 1


pdfmetrics._fonts[_NoFont.fontName] = _NoFont()  # ReportLab has no public hook for this


_FACE_GID_TEXT = itemgetter(0, 1, 4)  # of a Glyph: what the fonts must hold, and the text it stands for


def render(doc: Document, press: Press | None = None) -> bytes:
    """The PDF file for a laid-out document; a PDF/X file when `press` asks for a standard."""
    press = press if press is not None and press.pdfx else None
    marks = _marks(doc, press) if press is not None else [[] for _ in doc.pages]
    seen: set[tuple[Face, int, str]] = set()
    for page, extra in zip(doc.pages, marks):
        for item in chain(page.items, extra):
            if isinstance(item, GlyphRun):
                seen.update(map(_FACE_GID_TEXT, item.glyphs))
    # a glyph shown for several characters (the bar of ― and ——) maps back to the first of
    # them in code point order, whatever order they were met in: the file stays reproducible
    used: dict[Face, dict[int, str]] = defaultdict(dict)
    for face, gid, text in sorted(seen, key=lambda u: (u[1], u[2])):
        used[face].setdefault(gid, text)
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
    inks = Inks(press is not None)
    off = press.offset if press is not None else 0.0  # the trim sits inside the bleed and the marks' slug
    for page, extra in zip(doc.pages, marks):
        canv.setPageSize((page.width + 2 * off, page.height + 2 * off))
        _draw_page(canv, page, extra, press, fonts, codes, inks, off)
        canv.showPage()
    canv.save()
    if press is None:
        return buf.getvalue()
    from broadsheet.output.pdfx import finish

    return finish(buf.getvalue(), doc, press, inks)


def _draw_page(canv: Canvas, page: Page, extra: list[Item], press: Press | None, fonts: dict[Face, tuple[str, Subset]],
               codes: dict[tuple[Face, float], dict[int, tuple[str, float]]], inks: Inks, off: float) -> None:
    """A page's content operators, on the canvas's current page."""
    code = canv._code
    inks.page()
    text = _Text()
    if off:
        code.append(f"1 0 0 1 {off:.3f} {off:.3f} cm")
    items: list[Item] = page.items
    if press is not None:
        items = [extend(item, page.width, page.height, press.bleed) for item in page.items] + extra
    for item in items:
        if isinstance(item, GlyphRun):
            _draw_run(code, item, page.height, fonts, codes, inks, text)
        elif isinstance(item, Rule):
            code.append(
                f"{inks.stroke(item.color)} {item.width:.3f} w {item.x0:.3f} {page.height - item.y0:.3f} m "
                f"{item.x1:.3f} {page.height - item.y1:.3f} l S"
            )
        elif isinstance(item, Box):
            code.append(_box(item, page.height, inks))
        elif isinstance(item, Image):
            _draw_image(canv, item, page.height, inks, press)
        elif isinstance(item, Marker):
            pass  # proof-only


def _box(item: Box, page_h: float, inks: Inks) -> str:
    """A box's fill and outline; for the press in two paints, since a black outline overprints
    and the tint inside it must not."""
    rect = f"{item.x:.3f} {page_h - item.y - item.h:.3f} {item.w:.3f} {item.h:.3f} re"
    if inks.press and item.fill and item.stroke:
        return f"{inks.fill(item.fill)} {rect} f {inks.stroke(item.stroke)} {item.width:.3f} w {rect} S"
    ops = []
    if item.fill and (fill := inks.fill(item.fill)):
        ops.append(fill)
    if item.stroke:
        ops.append(f"{inks.stroke(item.stroke)} {item.width:.3f} w")
    paint = "B" if item.fill and item.stroke else ("f" if item.fill else "S")
    return " ".join([*ops, f"{rect} {paint}"])


def _marks(doc: Document, press: Press) -> list[list[Item]]:
    """Each page's printer's marks (outside the trim), with the spot inks the document uses."""
    from broadsheet.output.marks import info_face, page_marks

    spots: dict[str, Spot] = {}
    faces: dict[Face, None] = {}
    for page in doc.pages:
        for item in page.items:
            if isinstance(item, GlyphRun):
                faces.update(dict.fromkeys(g.face for g in item.glyphs))
            for c in colours(item):
                if isinstance(c, Spot):
                    spots.setdefault(c.name, Spot(c.name, c.alternate))
    face = info_face(list(faces)) if "info" in press.marks else None
    return [page_marks(page, len(doc.pages), press, [spots[k] for k in sorted(spots)], face) for page in doc.pages]


def _draw_image(canv: Canvas, item: Image, page_h: float, inks: Inks, press: Press | None) -> None:
    """A photo clipped to its slot; for the press, in the output profile's colour (see `images`)."""
    px, py, pw, ph = item.placed
    knockout = inks.knockout()  # overprint would let the photo show through what is under it
    if knockout:
        canv._code.append(knockout.strip())
    canv.saveState()
    clip = canv.beginPath()
    clip.rect(item.x, page_h - item.y - item.h, item.w, item.h)
    canv.clipPath(clip, stroke=0, fill=0)
    if press is not None:
        name = _press_image(canv, item, press)
        canv._code.append(f"{pw:.3f} 0 0 {ph:.3f} {px:.3f} {page_h - py - ph:.3f} cm /{name} Do")
    else:
        # a reader, not the file name: ReportLab names the image object after what it is given,
        # and a name made from the content keeps the PDF the same in any folder
        canv.drawImage(ImageReader(str(item.path)), px, page_h - py - ph, pw, ph)
    canv.restoreState()


def _press_image(canv: Canvas, item: Image, press: Press) -> str:
    """The image XObject of a photo in the press's colour, registered once per document. Its pixels
    come compressed from the cache and go into the file as they are: ReportLab's drawImage would
    hash and compress them again on every build (a quarter of a second for a large photo)."""
    import hashlib

    from broadsheet.output.images import prepare

    prepared = prepare(item.path, press)
    name = "BSImage" + hashlib.md5(prepared.pixels).hexdigest()
    registered = canv._doc.getXObjectName(name)
    if registered not in canv._doc.idToObject:
        xobject = pdfdoc.PDFImageXObject(name)
        xobject.width, xobject.height = prepared.size
        xobject.bitsPerComponent = 8
        xobject.colorSpace = "DeviceCMYK" if prepared.mode == "CMYK" else "DeviceGray"
        xobject._filters = ("FlateDecode",)
        xobject.streamContent = prepared.pixels
        canv._doc.Reference(xobject, registered)
        canv._doc.addForm(name, xobject)
    canv._formsinuse.append(name)  # the page's XObject resources
    canv._currentPageHasImages = 1
    return registered


class _Text:
    """The text state a page's content has set so far: font and size, character spacing. It is
    part of the graphics state and kept across text objects, so a line in the font, size and
    spacing of the one before it sets neither again."""

    __slots__ = ("font", "tc")

    def __init__(self) -> None:
        self.font: tuple[str, float] | None = None
        self.tc: float | None = None


def _draw_run(code: list[str], run: GlyphRun, page_h: float, fonts: dict[Face, tuple[str, Subset]],
              codes: dict[tuple[Face, float], dict[int, tuple[str, float]]], inks: Inks, text: _Text) -> None:
    """Emit one line in one pass over its glyphs: per stretch in one font, size and colour, the
    run's tracking as character spacing (Tc), then the glyph codes in a TJ array, with an
    adjustment only where a glyph stands elsewhere (punctuation compression, Latin gaps, the
    letters inside a word). `codes` keeps, per face and size, each glyph's hex code and advance;
    `text` the page's text state (font and spacing are set only where they change)."""
    out = ["BT"]
    tc = run.tracking
    x0, y = run.x, page_h - run.y
    turned = run.rotate == 90  # a Latin run in a vertical title: its baseline runs down the page
    face = size = colour = table = None
    pen = near = 0.0
    hexes: list[str] = []
    for g_face, gid, g_size, g_color, _, x in run.glyphs:  # (unpacked: a named tuple's fields are slower)
        if g_face is not face or g_size != size or (g_color is not colour and g_color != colour):
            if hexes:
                out.append("<" + "".join(hexes) + ">] TJ")
                hexes = []
            if g_color != colour and (fill := inks.fill(g_color)):
                out.append(fill)
            face, size, colour = g_face, g_size, g_color
            table = codes.get((face, size))
            if table is None:
                table = codes[face, size] = {}
            near = 0.0099 * size / 1000  # (a glyph nearer its pen than this needs no adjustment: see below)
            s, at = run.stretch, run.along(x)  # (a narrowed run scales its text space along the baseline)
            matrix = f"0 {-s:g} 1 0 {x0:.3f} {y - at:.3f}" if turned else f"{s:g} 0 0 1 {x0 + at:.3f} {y:.3f}"
            font = (fonts[face][0], size)
            if font != text.font:
                out.append(f"/{font[0]} {size:.3f} Tf")
                text.font = font
            if tc != text.tc:
                out.append(f"{tc:.3f} Tc")
                text.tc = tc
            out.append(f"{matrix} Tm [")
            pen = x
        entry = table.get(gid)
        if entry is None:
            sub = fonts[face][1]
            number = sub.codes[gid]
            entry = table[gid] = ("%04X" % number, sub.widths[number] * size / 1000)
        hexcode, advance = entry
        off = pen - x
        if off > near or off < -near:  # (most glyphs stand at the pen: the adjustment is worked out for the others)
            adjust = off * 1000 / size
            if adjust > 0.01 or adjust < -0.01:
                if hexes:
                    out.append("<" + "".join(hexes) + ">")
                    hexes = []
                out.append(f"{adjust:.2f}")
        hexes.append(hexcode)
        pen = x + advance + tc
    if hexes:
        out.append("<" + "".join(hexes) + ">] TJ")
    out.append("ET")
    code.append(" ".join(out))


def _add_font(doc: pdfdoc.PDFDocument, name: str, face: Face, sub: Subset, text: dict[int, str]) -> None:
    base = f"{sub.tag}+{face.postscript}"
    scale = 1000 / face.upem
    program = pdfdoc.PDFStream(content=sub.program)
    program.dictionary["Filter"] = PDFName("FlateDecode")  # compressed once, when the subset was made
    if face.cff:
        program.dictionary["Subtype"] = PDFName("CIDFontType0C")
    else:
        program.dictionary["Length1"] = sub.length
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
    # /DW is the width most glyphs have (an em, in CJK fonts); /W lists only the others
    codes = sorted(sub.widths)
    dw = Counter(sub.widths[c] for c in codes).most_common(1)[0][0] if codes else 1000
    w: list = []
    for code in codes:
        if sub.widths[code] != dw:
            w += [code, pdfdoc.PDFArray([sub.widths[code]])]
    # codes are the subset's glyph ids, which its identity charset makes the CIDs of a CFF too:
    # Adobe-Identity-0 for every font, whatever character collection the source font named
    cid = pdfdoc.PDFDictionary({
        "Type": PDFName("Font"),
        "Subtype": PDFName("CIDFontType0" if face.cff else "CIDFontType2"),
        "BaseFont": PDFName(base),
        "CIDSystemInfo": pdfdoc.PDFDictionary({
            "Registry": pdfdoc.PDFString("Adobe"), "Ordering": pdfdoc.PDFString("Identity"), "Supplement": 0,
        }),
        "FontDescriptor": doc.Reference(descriptor, f"FontDescriptor:{name}"),
        "DW": dw,
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
