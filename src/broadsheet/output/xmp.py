"""The XMP metadata packet of a PDF/X file: Dublin Core title, subject and author; creation,
modification and metadata dates; producer and trapping; the document and instance IDs with the
version and rendition class PDF/X-4 requires; and the PDF/X identification. Written as text, so
that identical input gives identical bytes (no clock, no random UUID)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

#: XML's three special characters in element text (xml.sax.saxutils.escape, without its 50 ms of
#: imports: urllib, http, email)
_XML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape(text: str) -> str:
    return text.translate(_XML)


NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "pdfxid": "http://www.npes.org/pdfx/ns/id/",
    "pdfx": "http://ns.adobe.com/pdfx/1.3/",
}


@dataclass(frozen=True)
class Metadata:
    title: str
    subject: str
    author: str
    creator_tool: str
    producer: str
    date: datetime
    trapped: bool
    document_id: str  # uuid:…, the same for the same input
    version: str  # GTS_PDFXVersion
    conformance: str | None  # GTS_PDFXConformance (PDF/X-1a)


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def packet(meta: Metadata) -> bytes:
    def alt(text: str) -> str:
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}</rdf:li></rdf:Alt>'

    when = iso(meta.date)
    fields = [
        "<dc:format>application/pdf</dc:format>",
        f"<dc:title>{alt(meta.title)}</dc:title>",
        f"<dc:description>{alt(meta.subject)}</dc:description>" if meta.subject else "",
        f"<dc:creator><rdf:Seq><rdf:li>{escape(meta.author)}</rdf:li></rdf:Seq></dc:creator>" if meta.author else "",
        f"<xmp:CreateDate>{when}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{when}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{when}</xmp:MetadataDate>",
        f"<xmp:CreatorTool>{escape(meta.creator_tool)}</xmp:CreatorTool>",
        f"<pdf:Producer>{escape(meta.producer)}</pdf:Producer>",
        f"<pdf:Trapped>{'True' if meta.trapped else 'False'}</pdf:Trapped>",
        f"<xmpMM:DocumentID>{meta.document_id}</xmpMM:DocumentID>",
        f"<xmpMM:InstanceID>{meta.document_id}</xmpMM:InstanceID>",
        "<xmpMM:VersionID>1</xmpMM:VersionID>",
        "<xmpMM:RenditionClass>default</xmpMM:RenditionClass>",
        f"<pdfxid:GTS_PDFXVersion>{escape(meta.version)}</pdfxid:GTS_PDFXVersion>",
        # PDF/X-1a and -3 readers look in Adobe's pdfx namespace, X-4 readers in pdfxid
        f"<pdfx:GTS_PDFXVersion>{escape(meta.version)}</pdfx:GTS_PDFXVersion>" if meta.conformance else "",
        f"<pdfx:GTS_PDFXConformance>{escape(meta.conformance)}</pdfx:GTS_PDFXConformance>" if meta.conformance else "",
    ]
    namespaces = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items() if k not in ("x", "rdf"))
    body = "\n".join(f"   {f}" for f in fields if f)
    text = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        f'<x:xmpmeta xmlns:x="{NS["x"]}">\n'
        f' <rdf:RDF xmlns:rdf="{NS["rdf"]}">\n'
        f'  <rdf:Description rdf:about="" {namespaces}>\n'
        f"{body}\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        + (" " * 99 + "\n") * 20  # padding: a later editor can rewrite the packet in place
        + '<?xpacket end="w"?>'
    )
    return text.encode("utf-8")
