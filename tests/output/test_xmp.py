"""The XMP packet of a PDF/X file (output/xmp.py): well-formed XML carrying the Dublin Core title,
subject and author, the dates, producer and trapping, the document and instance IDs, and the
PDF/X identification in the namespaces PDF/X-1a and PDF/X-4 readers look in; the same metadata
always the same bytes, with room to rewrite the packet in place."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from broadsheet.output.xmp import NS, Metadata, iso, packet

ID = "uuid:2b5e4a1c-0c3d-3f6e-9a7b-1c2d3e4f5a6b"
X1A = Metadata(title="小样测试", subject="测试主题", author="测试报", creator_tool="broadsheet 1.0",
               producer="broadsheet 1.0 (ReportLab)", date=datetime(2020, 7, 21, 6, tzinfo=timezone(timedelta(hours=8))),
               trapped=False, document_id=ID, version="PDF/X-1:2001", conformance="PDF/X-1a:2001")
X4 = replace(X1A, version="PDF/X-4", conformance=None)


def _description(meta: Metadata) -> ET.Element:
    root = ET.fromstring(packet(meta))
    assert root.tag == f"{{{NS['x']}}}xmpmeta"
    [description] = root.iter(f"{{{NS['rdf']}}}Description")
    return description


def _text(description: ET.Element, name: str) -> str | None:
    prefix, local = name.split(":")
    found = description.find(f"{{{NS[prefix]}}}{local}")
    if found is None:
        return None
    return "".join(found.itertext()).strip()


def test_the_packet_is_xml_with_the_documents_metadata():
    d = _description(X1A)
    assert [_text(d, n) for n in ("dc:title", "dc:description", "dc:creator", "dc:format")] == [
        "小样测试", "测试主题", "测试报", "application/pdf"]
    li = d.find(f"{{{NS['dc']}}}title/{{{NS['rdf']}}}Alt/{{{NS['rdf']}}}li")
    assert li.get("{http://www.w3.org/XML/1998/namespace}lang") == "x-default"
    assert [_text(d, n) for n in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate")] == ["2020-07-21T06:00:00+08:00"] * 3
    assert (_text(d, "pdf:Producer"), _text(d, "xmp:CreatorTool"), _text(d, "pdf:Trapped")) == (
        "broadsheet 1.0 (ReportLab)", "broadsheet 1.0", "False")
    assert _text(_description(replace(X1A, trapped=True)), "pdf:Trapped") == "True"


def test_the_document_id_is_the_one_given_and_the_instance_is_the_document():
    d = _description(X4)
    assert _text(d, "xmpMM:DocumentID") == _text(d, "xmpMM:InstanceID") == ID
    assert (_text(d, "xmpMM:VersionID"), _text(d, "xmpMM:RenditionClass")) == ("1", "default")


def test_pdfx_1a_is_identified_in_both_namespaces():
    d = _description(X1A)
    assert _text(d, "pdfxid:GTS_PDFXVersion") == "PDF/X-1:2001"
    assert (_text(d, "pdfx:GTS_PDFXVersion"), _text(d, "pdfx:GTS_PDFXConformance")) == ("PDF/X-1:2001", "PDF/X-1a:2001")


def test_pdfx_4_is_identified_in_its_own_namespace_only():
    d = _description(X4)
    assert _text(d, "pdfxid:GTS_PDFXVersion") == "PDF/X-4"
    assert _text(d, "pdfx:GTS_PDFXVersion") is None and _text(d, "pdfx:GTS_PDFXConformance") is None


def test_empty_subject_and_author_are_left_out():
    d = _description(replace(X4, subject="", author=""))
    assert _text(d, "dc:description") is None and _text(d, "dc:creator") is None and _text(d, "dc:title") == "小样测试"


def test_text_is_escaped():
    meta = replace(X4, title="A & B <i>", author="\"甲\" & '乙'", creator_tool="x<y")
    d = _description(meta)
    assert (_text(d, "dc:title"), _text(d, "dc:creator"), _text(d, "xmp:CreatorTool")) == ("A & B <i>", "\"甲\" & '乙'", "x<y")


def test_the_same_metadata_is_the_same_bytes_with_room_to_grow():
    data = packet(X1A)
    assert data == packet(replace(X1A)) and data != packet(replace(X1A, document_id=ID.replace("2b5e", "2b5f")))
    text = data.decode("utf-8")
    assert text.startswith('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>')
    assert text.endswith('<?xpacket end="w"?>')  # writable in place
    assert text.count(" " * 99 + "\n") == 20  # 2 KB of padding


@pytest.mark.parametrize("moment, written", [
    (datetime(2020, 7, 21, 6, tzinfo=timezone.utc), "2020-07-21T06:00:00Z"),
    (datetime(2020, 7, 21, 6, 0, 0, 999999, tzinfo=timezone.utc), "2020-07-21T06:00:00Z"),  # whole seconds
    (datetime(2020, 7, 21, 6, tzinfo=timezone(timedelta(hours=-5, minutes=-30))), "2020-07-21T06:00:00-05:30"),
])
def test_iso_dates(moment, written):
    assert iso(moment) == written
