"""PDF/X: what the two standards a print plant takes require, and the finishing pass that makes
ReportLab's file one.

| requirement | PDF/X-1a:2001 (ISO 15930-1) | PDF/X-4 (ISO 15930-7) |
|---|---|---|
| file version | PDF 1.3 | PDF 1.6 (no object streams needed, none written) |
| colour | DeviceCMYK, DeviceGray and Separation only | also ICC-based colour (we write none: photos are converted) |
| transparency | none (no soft masks, no blend modes, no constant alpha) | allowed (we use none) |
| fonts | every font embedded | every font embedded |
| OutputIntent | one /GTS_PDFX intent: OutputConditionIdentifier, Info, RegistryName, DestOutputProfile (an ICC output profile) | the same; the profile must be embedded |
| page boxes | MediaBox ⊇ BleedBox ⊇ TrimBox on every page | the same |
| identification | Info GTS_PDFXVersion (PDF/X-1:2001) and GTS_PDFXConformance (PDF/X-1a:2001) | XMP pdfxid:GTS_PDFXVersion (PDF/X-4) |
| metadata | Info Title, CreationDate, ModDate, Trapped (True/False); trailer ID | XMP with dc:title, dates, pdf:Trapped, xmpMM:DocumentID, VersionID, RenditionClass; trailer ID |
| forbidden | encryption, LZW, transfer functions, PostScript, actions, JavaScript, annotations on the page | encryption, PostScript, actions, JavaScript |

ReportLab writes the pages (with overprint graphics states and Separation spaces named in their
content, see `inks`); this pass, with pikepdf (qpdf), adds what ReportLab cannot: the file version,
the boxes, those page resources, the OutputIntent, the XMP and the Info keys, and an ID derived
from the content. Nothing in it reads the clock, so identical input gives identical bytes.
"""

from __future__ import annotations

import hashlib
import io
import uuid
import zlib
from dataclasses import dataclass

from broadsheet.display import Document
from broadsheet.input.press import Press
from broadsheet.output.inks import KNOCKOUT, OVERPRINT, Inks
from broadsheet.output.xmp import Metadata, iso, packet


@dataclass(frozen=True)
class Standard:
    key: str
    name: str
    pdf_version: str
    version: str  # GTS_PDFXVersion
    conformance: str | None  # GTS_PDFXConformance (X-1a only)
    device_colour_only: bool  # no ICC-based, RGB or Lab colour anywhere


STANDARDS = {
    "x1a": Standard("x1a", "PDF/X-1a:2001", "1.3", "PDF/X-1:2001", "PDF/X-1a:2001", True),
    "x4": Standard("x4", "PDF/X-4", "1.6", "PDF/X-4", None, False),
}


def pdf_date(moment) -> str:
    stamp = moment.strftime("%Y%m%d%H%M%S")
    minutes = int(moment.utcoffset().total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"D:{stamp}{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"


def finish(data: bytes, doc: Document, press: Press, inks: Inks) -> bytes:
    """ReportLab's file `data` as a PDF/X file of `press.standard`."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String

    std = STANDARDS[press.standard]
    pdf = pikepdf.open(io.BytesIO(data))
    # identical input, identical ID: the pages' bytes and every setting that changes the file
    settings = repr((press.standard, press.condition, press.condition_info, press.registry, press.trapped,
                     iso(press.date), hashlib.sha256(press.profile).hexdigest()))
    fingerprint = hashlib.md5(data + settings.encode("utf-8")).digest()
    document_id = f"uuid:{uuid.UUID(bytes=fingerprint, version=3)}"  # a name-based (MD5) UUID

    resources = _page_resources(pdf, inks)
    off = press.offset
    for page, laid in zip(pdf.pages, doc.pages):
        w, h, b = laid.width, laid.height, press.bleed
        page.obj.TrimBox = Array([off, off, off + w, off + h])
        page.obj.BleedBox = Array([off - b, off - b, off + w + b, off + h + b])
        page.obj.MediaBox = Array([0, 0, w + 2 * off, h + 2 * off])
        if "/Trans" in page.obj:
            del page.obj.Trans  # a page transition: a screen feature, nothing a press needs
        for kind, entries in resources.items():
            if entries:
                res = page.obj.Resources
                if kind not in res:
                    res[kind] = Dictionary()
                for name, obj in entries.items():
                    res[kind][name] = obj

    profile = pikepdf.Stream(pdf, _compressed(press.profile))
    profile.Filter = Name.FlateDecode
    profile.N = 4
    intent = Dictionary(Type=Name.OutputIntent, S=Name.GTS_PDFX, OutputConditionIdentifier=String(press.condition),
                        Info=String(press.condition_info), DestOutputProfile=pdf.make_indirect(profile))
    if press.registry:
        intent.RegistryName = String(press.registry)
    pdf.Root.OutputIntents = Array([pdf.make_indirect(intent)])

    info = pdf.docinfo
    when = pdf_date(press.date)
    info.CreationDate = String(when)
    info.ModDate = String(when)
    info.Trapped = Name("/True" if press.trapped else "/False")
    info.Producer = String("broadsheet (ReportLab, pikepdf)")  # this pass rewrites the file
    info.GTS_PDFXVersion = String(std.version)
    if std.conformance:
        info.GTS_PDFXConformance = String(std.conformance)
    if "/Keywords" in info and not str(info.Keywords):
        del info.Keywords
    meta = Metadata(str(info.get("/Title", "")), str(info.get("/Subject", "")), str(info.get("/Author", "")),
                    str(info.get("/Creator", "")), str(info.get("/Producer", "")), press.date, press.trapped,
                    document_id, std.version, std.conformance)
    xmp = pikepdf.Stream(pdf, packet(meta))  # uncompressed, as XMP wants: findable by any tool
    xmp.Type, xmp.Subtype = Name.Metadata, Name.XML
    pdf.Root.Metadata = pdf.make_indirect(xmp)
    pdf.trailer.ID = Array([String(fingerprint), String(fingerprint)])

    out = io.BytesIO()
    # streams pass through as ReportLab and the cache compressed them: qpdf's default would inflate
    # and deflate every font and photo again, and even asked only to compress what is not yet
    # compressed it spends 0.25 s on the sample's photos (measured) — while every stream but the
    # XMP packet, which stays plain on purpose, is compressed already
    pdf.save(out, force_version=std.pdf_version, object_stream_mode=pikepdf.ObjectStreamMode.disable,
             fix_metadata_version=False, compress_streams=False, deterministic_id=True,
             stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()  # qpdf keeps our first ID and derives the second from the file's bytes


def _compressed(profile: bytes) -> bytes:
    """The profile deflated, from the disk cache: compressing 200 kB of ICC data costs 50 ms a build."""
    from broadsheet.cache import cached

    return cached("profiles", hashlib.sha256(profile).hexdigest(), lambda: zlib.compress(profile, 9))


def _page_resources(pdf, inks: Inks) -> dict[str, dict]:
    """The overprint states and Separation spaces the pages' content names, as indirect objects."""
    from pikepdf import Array, Dictionary, Name

    states = {}
    if inks.used_states:
        states[f"/{OVERPRINT}"] = pdf.make_indirect(Dictionary(Type=Name.ExtGState, OP=True, op=True, OPM=1))
        states[f"/{KNOCKOUT}"] = pdf.make_indirect(Dictionary(Type=Name.ExtGState, OP=False, op=False))
    spaces = {}
    for n, (ink, alternate) in enumerate(inks.spots.items(), 1):
        tint = Dictionary(FunctionType=2, Domain=Array([0, 1]), C0=Array([0, 0, 0, 0]),
                          C1=Array([round(v / 100, 4) for v in alternate]), N=1)
        spaces[f"/BS-Sep{n}"] = pdf.make_indirect(Array([Name.Separation, Name("/" + ink), Name.DeviceCMYK, tint]))
    return {"/ExtGState": states, "/ColorSpace": spaces}
