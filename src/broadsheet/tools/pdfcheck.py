"""The file preflight (`broadsheet check SPEC --pdf FILE`): the PDF that goes to press, read back
with pikepdf and verified against the spec's standard (PDF/X-1a:2001 or PDF/X-4, see
`output.pdfx`), as check items with the page and the position on it.

- the file version, the PDF/X identification (Info keys, XMP), Title, dates, Trapped, the ID,
  no encryption;
- one /GTS_PDFX OutputIntent with a condition and an embedded CMYK output profile;
- TrimBox, BleedBox and MediaBox on every page, nested;
- colour: no RGB or Lab anywhere (images, colour spaces, operators); for PDF/X-1a no ICC-based
  colour and no transparency (soft masks, constant alpha, blend modes, transparency groups);
- every font embedded;
- 100 K black text and rules set to overprint;
- the ink coverage of every tint and of every pixel of every CMYK image within the spec's limit;
- the resolution of every image as placed, and no missing photo (a placeholder).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from broadsheet.output.inks import ALL
from broadsheet.tools.check import MM, Item

TOLERANCE = 0.01  # pt, in box nesting
#: The ink limit is met when no tint or pixel is more than this over it (8-bit pixels, rounding).
INK_SLACK = 0.5  # percent
RGB_SPACES = {"/DeviceRGB", "/CalRGB"}
LAB_SPACES = {"/Lab"}


@dataclass
class _State:
    ctm: tuple[float, ...] = (1, 0, 0, 1, 0, 0)
    fill: tuple[float, ...] = ()
    stroke: tuple[float, ...] = ()
    fill_space: str = "/DeviceGray"
    stroke_space: str = "/DeviceGray"
    op_fill: bool = False  # overprint of fills and text (op)
    op_stroke: bool = False  # (OP)

    def copy(self) -> "_State":
        return _State(**self.__dict__)


@dataclass
class _Page:
    number: int
    trim: tuple[float, float, float, float]
    items: list[Item] = field(default_factory=list)

    def where(self, x: float, y: float) -> str:
        """A point of the page as `check` gives it: mm from the trim's top-left corner."""
        return f"p.{self.number} {(x - self.trim[0]) / MM:.1f},{(self.trim[3] - y) / MM:.1f} mm"


def check_pdf(path: Path, standard: str, ink_limit: float, min_ppi: float) -> list[Item]:
    """Every way the file at `path` fails `standard` (x1a, x4); none for a compliant file."""
    import pikepdf

    from broadsheet.output.pdfx import STANDARDS

    try:
        pdf = pikepdf.open(path)
    except (pikepdf.PdfError, OSError) as exc:
        return [Item("error", "pdf", f"{path} cannot be read as a PDF: {exc}", str(path))]
    with pdf:
        if standard not in STANDARDS:
            return [Item("error", "pdfx", "the spec asks for no PDF/X standard (output.pdfx: none): nothing to verify "
                         "the file against; set output.pdfx or pass --pdfx", str(path))]
        std = STANDARDS[standard]
        items = _document(pdf, std, str(path))
        for number, page in enumerate(pdf.pages, 1):
            items += _page(pdf, page, number, std, ink_limit, min_ppi)
    return items


def _document(pdf, std, where: str) -> list[Item]:
    import pikepdf

    items: list[Item] = []

    def error(check: str, message: str) -> None:
        items.append(Item("error", check, message, where))

    if pdf.pdf_version > std.pdf_version:
        error("pdfx-version", f"the file is PDF {pdf.pdf_version}; {std.name} allows PDF {std.pdf_version} at most")
    if pdf.is_encrypted:
        error("pdfx", "the file is encrypted; PDF/X forbids encryption")
    info = pdf.docinfo
    if str(info.get("/GTS_PDFXVersion", "")) != std.version:
        error("pdfx-id", f"Info GTS_PDFXVersion is {str(info.get('/GTS_PDFXVersion', '(missing)'))!r}, not {std.version!r}")
    if std.conformance and str(info.get("/GTS_PDFXConformance", "")) != std.conformance:
        error("pdfx-id", f"Info GTS_PDFXConformance is {str(info.get('/GTS_PDFXConformance', '(missing)'))!r}, "
                         f"not {std.conformance!r}")
    for key in ("/Title", "/CreationDate", "/ModDate"):
        if not str(info.get(key, "")):
            error("pdfx-info", f"Info {key[1:]} is missing; PDF/X requires it")
    if str(info.get("/Trapped", "")) not in ("/True", "/False"):
        error("pdfx-info", f"Info Trapped is {str(info.get('/Trapped', '(missing)'))}, not True or False")
    if "/ID" not in pdf.trailer:
        error("pdfx-info", "the trailer has no document ID")
    xmp = _xmp(pdf)
    if std.key == "x4":
        if xmp is None:
            error("pdfx-xmp", "no XMP metadata; PDF/X-4 identifies itself there")
        else:
            for needle, what in ((f"<pdfxid:GTS_PDFXVersion>{std.version}<", "pdfxid:GTS_PDFXVersion"),
                                 ("<xmpMM:DocumentID>", "xmpMM:DocumentID"), ("<xmpMM:VersionID>", "xmpMM:VersionID"),
                                 ("<xmpMM:RenditionClass>", "xmpMM:RenditionClass"), ("<dc:title>", "dc:title"),
                                 ("<xmp:CreateDate>", "xmp:CreateDate"), ("<xmp:ModifyDate>", "xmp:ModifyDate")):
                if needle not in xmp:
                    error("pdfx-xmp", f"the XMP lacks {what}{' = ' + std.version if 'pdfxid' in what else ''}")
    intents = [oi for oi in pdf.Root.get("/OutputIntents", pikepdf.Array()) if str(oi.get("/S", "")) == "/GTS_PDFX"]
    if len(intents) != 1:
        error("output-intent", f"{len(intents)} /GTS_PDFX OutputIntents; PDF/X requires exactly one")
    for oi in intents:
        if not str(oi.get("/OutputConditionIdentifier", "")):
            error("output-intent", "the OutputIntent has no OutputConditionIdentifier")
        profile = oi.get("/DestOutputProfile")
        if profile is None:
            error("output-intent", "the OutputIntent embeds no destination profile (DestOutputProfile)")
            continue
        data = profile.read_bytes()
        if len(data) < 128 or data[12:16] != b"prtr" or data[16:20] != b"CMYK" or int(profile.get("/N", 0)) != 4:
            error("output-intent", f"the destination profile is not a CMYK output profile "
                                   f"(class {data[12:16]!r}, space {data[16:20]!r}, /N {profile.get('/N')})")
        elif std.key == "x1a" and data[8] > 2:
            # ISO 15930-1:2001 refers to ICC.1:1998-09: a version 4 profile is newer than the standard
            error("output-intent", f"the destination profile is ICC version {data[8]}; PDF/X-1a:2001 takes version 2 profiles")
    return items


def _xmp(pdf) -> str | None:
    meta = pdf.Root.get("/Metadata")
    return meta.read_bytes().decode("utf-8", "replace") if meta is not None else None


def _page(pdf, page, number: int, std, ink_limit: float, min_ppi: float) -> list[Item]:
    box = {k: [float(v) for v in page.obj[k]] if k in page.obj else None for k in ("/MediaBox", "/TrimBox", "/BleedBox")}
    media = box["/MediaBox"] or [0, 0, 0, 0]
    trim = box["/TrimBox"]
    laid = _Page(number, tuple(trim or media))
    where = laid.where(laid.trim[0], laid.trim[3])
    if trim is None:
        laid.items.append(Item("error", "boxes", "the page has no TrimBox", where, number))
    bleed = box["/BleedBox"] or trim
    if trim and bleed and not _inside(trim, bleed):
        laid.items.append(Item("error", "boxes", "the TrimBox is not inside the BleedBox", where, number))
    if bleed and not _inside(bleed, media):
        laid.items.append(Item("error", "boxes", "the BleedBox is not inside the MediaBox", where, number))
    if std.device_colour_only and "/Group" in page.obj:
        laid.items.append(Item("error", "transparency", "the page has a transparency group; PDF/X-1a allows none",
                               where, number))
    _fonts(page.obj.get("/Resources"), laid, set())
    _content(pdf, page, page.obj.get("/Resources"), _State(), laid, std, ink_limit, min_ppi, 0)
    return laid.items


def _inside(inner, outer) -> bool:
    return (inner[0] >= outer[0] - TOLERANCE and inner[1] >= outer[1] - TOLERANCE
            and inner[2] <= outer[2] + TOLERANCE and inner[3] <= outer[3] + TOLERANCE)


def _fonts(resources, laid: _Page, seen: set) -> None:
    """Every font the page uses is embedded (a Type 0 font through its descendant)."""
    if resources is None:
        return
    for name, font in (resources.get("/Font") or {}).items():
        if font.objgen in seen:
            continue
        seen.add(font.objgen)
        target = font.DescendantFonts[0] if "/DescendantFonts" in font else font
        if str(target.get("/Subtype", "")) == "/Type3":
            continue  # glyphs drawn by content streams: nothing to embed
        descriptor = target.get("/FontDescriptor")
        if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            laid.items.append(Item("error", "font-embedding", f"font {str(target.get('/BaseFont', name))} is not embedded",
                                   laid.where(laid.trim[0], laid.trim[3]), laid.number))


def _mul(a, b):
    """The matrix product a × b of two PDF matrices [a b c d e f]."""
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


def _point(ctm, x: float, y: float) -> tuple[float, float]:
    return x * ctm[0] + y * ctm[2] + ctm[4], x * ctm[1] + y * ctm[3] + ctm[5]


def _space_kind(space) -> str:
    """The family of a colour space: /DeviceCMYK, /DeviceRGB, /ICCBased, /Separation …"""
    import pikepdf

    if isinstance(space, pikepdf.Array) and len(space):
        return str(space[0])
    return str(space)


def _content(pdf, owner, resources, state: _State, laid: _Page, std, ink_limit: float, min_ppi: float,
             depth: int) -> None:
    """Walk a content stream (a page's or a form's), tracking the CTM, colours and overprint."""
    import pikepdf

    resources = resources if resources is not None else pikepdf.Dictionary()
    states = resources.get("/ExtGState") or pikepdf.Dictionary()
    spaces = resources.get("/ColorSpace") or pikepdf.Dictionary()
    xobjects = resources.get("/XObject") or pikepdf.Dictionary()
    stack: list[_State] = []
    text_at = (0.0, 0.0)
    path_at = (0.0, 0.0)
    reported: set[tuple[str, str]] = set()
    # A colour or graphics state is set before what it paints: its problems wait for the next
    # path or text painted with it, and are reported where that is (or, if nothing is painted
    # after it, at the stream's last point)
    pending: list[tuple[str, str, str]] = []

    def report(check: str, message: str, at: tuple[float, float] | None, severity: str = "error") -> None:
        if (check, message) in reported:
            return  # one item per problem and stream, at its first place
        if at is None:
            if (check, message, severity) not in pending:
                pending.append((check, message, severity))
            return
        reported.add((check, message))
        laid.items.append(Item(severity, check, message, laid.where(*_point(state.ctm, *at)), laid.number))

    def flush(at: tuple[float, float]) -> None:
        while pending:
            check, message, severity = pending.pop(0)
            report(check, message, at, severity)

    def resolve(name) -> object:
        key = str(name)
        if key in ("/DeviceCMYK", "/DeviceRGB", "/DeviceGray", "/Pattern"):
            return pikepdf.Name(key)
        return spaces.get(key, pikepdf.Name(key))

    def check_space(space, at) -> None:
        kind = _space_kind(space)
        if kind in RGB_SPACES:
            report("colour-space", f"{kind[1:]} colour; the press prints CMYK", at)
        elif kind in LAB_SPACES:
            report("colour-space", "Lab colour; the press prints CMYK", at)
        elif kind == "/ICCBased" and std.device_colour_only:
            report("colour-space", "ICC-based colour; PDF/X-1a allows CMYK, gray and spot colours only", at)
        elif kind in ("/Separation", "/DeviceN"):
            check_space(space[2], at)  # the alternate
        elif kind == "/Indexed":
            check_space(space[1], at)  # the base

    def ink(values: tuple[float, ...], space, at) -> None:
        kind = _space_kind(space)
        total = None
        if kind == "/DeviceCMYK" and len(values) == 4:
            total = sum(values) * 100
        elif kind == "/Separation" and len(values) == 1 and str(space[1]) != f"/{ALL}":
            fn = space[3]
            if "/C1" in fn:
                total = sum(float(v) for v in fn.C1) * values[0] * 100
        if total is not None and total > ink_limit + INK_SLACK:
            report("ink-coverage", f"a colour of {total:.0f}% total ink, over the {ink_limit:g}% limit", at)

    def black(values: tuple[float, ...], space) -> bool:
        return _space_kind(space) == "/DeviceCMYK" and tuple(round(v, 4) for v in values) == (0, 0, 0, 1)

    def painted(fill: bool, stroke: bool, at, what: str) -> None:
        flush(at)
        if fill and black(state.fill, state.fill_space) and not state.op_fill:
            report("overprint", f"100 K black {what} knocks out; it should overprint", at)
        if stroke and black(state.stroke, state.stroke_space) and not state.op_stroke:
            report("overprint", f"100 K black {what} knocks out; it should overprint", at)

    for operands, op in pikepdf.parse_content_stream(owner):
        op = str(op)
        nums = tuple(float(v) for v in operands if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool))
        if op == "q":
            stack.append(state.copy())
        elif op == "Q" and stack:
            state = stack.pop()
        elif op == "cm" and len(nums) == 6:
            state.ctm = _mul(nums, state.ctm)
        elif op == "gs":
            gs = states.get(str(operands[0]))
            if gs is None:
                continue
            state.op_stroke = bool(gs.get("/OP", state.op_stroke))
            state.op_fill = bool(gs.get("/op", gs.get("/OP", state.op_fill)))
            if std.device_colour_only:
                if "/SMask" in gs and str(gs.SMask) != "/None":
                    report("transparency", "a soft mask; PDF/X-1a allows no transparency", None)
                for key in ("/CA", "/ca"):
                    if key in gs and float(gs[key]) < 1:
                        report("transparency", f"constant alpha {float(gs[key]):g}; PDF/X-1a allows no transparency", None)
                if "/BM" in gs and str(gs.BM) not in ("/Normal", "/Compatible"):
                    report("transparency", f"blend mode {str(gs.BM)[1:]}; PDF/X-1a allows no transparency", None)
        elif op in ("k", "K", "rg", "RG", "g", "G"):
            space = pikepdf.Name({"k": "/DeviceCMYK", "rg": "/DeviceRGB", "g": "/DeviceGray"}[op.lower()])
            check_space(space, None)
            ink(nums, space, None)
            if op.islower():
                state.fill, state.fill_space = nums, space
            else:
                state.stroke, state.stroke_space = nums, space
        elif op in ("cs", "CS"):
            space = resolve(operands[0])
            check_space(space, None)
            if op == "cs":
                state.fill_space = space
            else:
                state.stroke_space = space
        elif op in ("sc", "scn", "SC", "SCN"):
            space = state.fill_space if op.islower() else state.stroke_space
            ink(nums, space, None)
            if op.islower():
                state.fill = nums
            else:
                state.stroke = nums
        elif op in ("m", "l") and len(nums) >= 2:
            path_at = nums[:2]
        elif op == "re" and len(nums) == 4:
            path_at = (nums[0], nums[1] + nums[3])
        elif op in ("f", "F", "f*"):
            painted(True, False, path_at, "fill")
        elif op in ("S", "s"):
            painted(False, True, path_at, "rule")
        elif op in ("B", "B*", "b", "b*"):
            painted(True, True, path_at, "box")
        elif op == "Tm" and len(nums) == 6:
            text_at = nums[4:6]
        elif op in ("Tj", "TJ", "'", '"'):
            painted(True, False, text_at, "text")
        elif op == "Do" and depth < 8:
            xobj = xobjects.get(str(operands[0]))
            if xobj is None:
                continue
            if str(xobj.get("/Subtype", "")) == "/Image":
                _image(xobj, state, laid, std, ink_limit, min_ppi, report, check_space)
            elif str(xobj.get("/Subtype", "")) == "/Form":
                inner = state.copy()
                if "/Matrix" in xobj:
                    inner.ctm = _mul(tuple(float(v) for v in xobj.Matrix), inner.ctm)
                if std.device_colour_only and "/Group" in xobj:
                    report("transparency", "a transparency group; PDF/X-1a allows none", (0.0, 0.0))
                _fonts(xobj.get("/Resources"), laid, set())
                _content(pdf, xobj, xobj.get("/Resources", resources), inner, laid, std, ink_limit, min_ppi, depth + 1)
    flush(path_at)  # set and never painted with: still in the file


def _image(xobj, state: _State, laid: _Page, std, ink_limit: float, min_ppi: float, report, check_space) -> None:
    """An image as placed: its colour space, transparency, ink coverage and resolution."""
    import pikepdf
    from PIL import ImageMath

    at = (0.0, 1.0)  # the image's top-left corner in its unit square
    name = f"image {int(xobj.get('/Width', 0))}×{int(xobj.get('/Height', 0))} px"
    if xobj.get("/ImageMask", False):
        return  # a stencil: painted in the fill colour, which is checked where it is set
    check_space(xobj.get("/ColorSpace", pikepdf.Name.DeviceGray), at)
    if std.device_colour_only and ("/SMask" in xobj or "/Mask" in xobj and not isinstance(xobj.Mask, pikepdf.Array)):
        report("transparency", f"{name} has a soft mask; PDF/X-1a allows no transparency", at)
    w_pt = (state.ctm[0] ** 2 + state.ctm[1] ** 2) ** 0.5
    h_pt = (state.ctm[2] ** 2 + state.ctm[3] ** 2) ** 0.5
    if w_pt > 0 and h_pt > 0:
        ppi = min(int(xobj.Width) / (w_pt / 72), int(xobj.Height) / (h_pt / 72))
        if ppi < min_ppi:
            report("image-resolution", f"{name} prints at {ppi:.0f} ppi, below {min_ppi:g} ppi", at)
    if _space_kind(xobj.get("/ColorSpace", "")) == "/DeviceCMYK":
        pixels = pikepdf.PdfImage(xobj).as_pil_image()
        c, m, y, k = (band.convert("I") for band in pixels.split())
        total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
        peak = total.getextrema()[1] * 100 / 255
        if peak > ink_limit + INK_SLACK:
            report("ink-coverage", f"{name} reaches {peak:.0f}% total ink, over the {ink_limit:g}% limit", at)
