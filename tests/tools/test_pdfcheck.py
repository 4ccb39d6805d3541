"""The file preflight (tools/pdfcheck.py): a tiny PDF/X-1a file built from the small project passes;
the same file spoilt one way at a time (with pikepdf) fails with the item that names that way,
at its page and its place on the page."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from broadsheet.tools.build import build
from broadsheet.tools.check import MM
from broadsheet.tools.pdfcheck import _mul, _point, check_pdf

from conftest import MINI_SPEC, Mini


@pytest.fixture(scope="module")
def press_pdf(tmp_path_factory, isolated_cache) -> Path:
    """The small project (conftest.MINI_SPEC) built as PDF/X-1a."""
    root = tmp_path_factory.mktemp("press")
    project = Mini(root)
    project.spec(MINI_SPEC.replace("stories:\n", "output:\n  pdfx: x1a\n  date: 2020-07-21T06:00:00+08:00\nstories:\n"))
    build(root / "spec.yaml", root / "press.pdf")
    return root / "press.pdf"


def spoilt(press_pdf: Path, tmp_path: Path, change, **save) -> Path:
    """A copy of the press file with `change(pdf, page)` made to it."""
    out = tmp_path / "spoilt.pdf"
    with pikepdf.open(press_pdf) as pdf:
        change(pdf, pdf.pages[0])
        pdf.save(out, **save)
    return out


def checks(path: Path, standard: str = "x1a") -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for item in check_pdf(path, standard, 240, 150):
        found.setdefault(item.check, []).append(item.message)
    return found


def drawn(pdf, page, content: bytes, **states) -> None:
    """Draw `content` after the page's own, with the graphics states given by name."""
    resources = page.obj.Resources
    if states:
        if "/ExtGState" not in resources:
            resources.ExtGState = pikepdf.Dictionary()
        for name, gs in states.items():
            resources.ExtGState[f"/{name}"] = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, **gs)
    page.contents_add(pikepdf.Stream(pdf, content))


def test_the_press_file_passes(press_pdf):
    assert check_pdf(press_pdf, "x1a", 240, 150) == []


def test_what_is_not_a_pdf_or_has_no_standard_to_meet(press_pdf, tmp_path):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.3\nnot really\n")
    [item] = check_pdf(junk, "x1a", 240, 150)
    assert (item.severity, item.check, item.where) == ("error", "pdf", str(junk)) and "cannot be read" in item.message
    [item] = check_pdf(press_pdf, "none", 240, 150)
    assert item.check == "pdfx" and "nothing to verify" in item.message


def test_the_document_identification(press_pdf, tmp_path):
    def unidentified(pdf, page):
        del pdf.docinfo["/Title"]
        pdf.docinfo["/Trapped"] = pikepdf.Name("/Unknown")
        pdf.docinfo["/GTS_PDFXVersion"] = pikepdf.String("PDF/X-3:2002")

    found = checks(spoilt(press_pdf, tmp_path, unidentified))
    assert found["pdfx-info"] == ["Info Title is missing; PDF/X requires it", "Info Trapped is /Unknown, not True or False"]
    assert found["pdfx-id"] == ["Info GTS_PDFXVersion is 'PDF/X-3:2002', not 'PDF/X-1:2001'"]
    newer = checks(spoilt(press_pdf, tmp_path, lambda pdf, page: None, force_version="1.6"))
    assert newer == {"pdfx-version": ["the file is PDF 1.6; PDF/X-1a:2001 allows PDF 1.3 at most"]}
    locked = spoilt(press_pdf, tmp_path, lambda pdf, page: None, encryption=pikepdf.Encryption(owner="o", user=""))
    assert "the file is encrypted; PDF/X forbids encryption" in checks(locked)["pdfx"]


def test_the_output_intent(press_pdf, tmp_path):
    def two(pdf, page):
        pdf.Root.OutputIntents.append(pdf.Root.OutputIntents[0])

    assert checks(spoilt(press_pdf, tmp_path, two))["output-intent"] == [
        "2 /GTS_PDFX OutputIntents; PDF/X requires exactly one"]

    def no_profile(pdf, page):
        del pdf.Root.OutputIntents[0]["/DestOutputProfile"]

    assert checks(spoilt(press_pdf, tmp_path, no_profile))["output-intent"] == [
        "the OutputIntent embeds no destination profile (DestOutputProfile)"]


@pytest.mark.parametrize("box,message", [
    ("/TrimBox", "the page has no TrimBox"),
    ("/BleedBox", "the TrimBox is not inside the BleedBox"),
    ("/MediaBox", "the BleedBox is not inside the MediaBox"),
])
def test_the_page_boxes_nest(press_pdf, tmp_path, box, message):
    def change(pdf, page):
        x0, y0, x1, y1 = [float(v) for v in page.obj.TrimBox]
        if box == "/TrimBox":
            del page.obj.TrimBox
        elif box == "/BleedBox":  # a bleed inside the trim
            page.obj.BleedBox = pikepdf.Array([x0 + 10, y0 + 10, x1 - 10, y1 - 10])
        else:  # a bleed beyond the media
            page.obj.MediaBox = pikepdf.Array([x0 + 10, y0 + 10, x1 - 10, y1 - 10])
            page.obj.TrimBox = pikepdf.Array([x0 + 20, y0 + 20, x1 - 20, y1 - 20])
            page.obj.BleedBox = pikepdf.Array([x0, y0, x1, y1])

    assert message in checks(spoilt(press_pdf, tmp_path, change))["boxes"]


def test_colour_ink_overprint_and_transparency_in_the_content(press_pdf, tmp_path):
    content = (b"/KO gs"  # the page's own content leaves overprint on (for its black text)
               b" q 1 0 0 rg 72 144 10 10 re f 0 1 0 rg 0 0 5 5 re f Q"  # RGB, twice: one item
               b" q 0.9 0.9 0.9 0.9 k 100 100 10 10 re f Q"  # 360 % ink
               b" q /OP gs 0 0 0 1 k 200 200 10 10 re f Q"  # black overprinting: fine
               b" q 0 0 0 1 K 300 300 m 310 300 l S Q"  # a black rule that knocks out
               b" q 1 0 0 1 100 0 cm 2 0 0 2 0 0 cm 0 0 0 1 k 10 20 5 5 re f Q"  # one that knocks out: moved, scaled
               b" q /Half gs 0 0 0 0.5 k 10 20 5 5 re f Q")  # transparency
    path = spoilt(press_pdf, tmp_path, lambda pdf, page: drawn(
        pdf, page, content, KO={"OP": False, "op": False}, OP={"OP": True, "op": True, "OPM": 1}, Half={"ca": 0.5}))
    with pikepdf.open(path) as pdf:
        x0, _, _, y1 = [float(v) for v in pdf.pages[0].obj.TrimBox]
    items = check_pdf(path, "x1a", 240, 150)
    assert {(i.check, i.message) for i in items} == {
        ("colour-space", "DeviceRGB colour; the press prints CMYK"),
        ("ink-coverage", "a colour of 360% total ink, over the 240% limit"),
        ("overprint", "100 K black rule knocks out; it should overprint"),
        ("overprint", "100 K black fill knocks out; it should overprint"),
        ("transparency", "constant alpha 0.5; PDF/X-1a allows no transparency"),
    } and len(items) == 5
    assert {i.page for i in items} == {1}

    def at(x: float, y: float) -> str:
        return f"p.1 {(x - x0) / MM:.1f},{(y1 - y) / MM:.1f} mm"  # mm from the trim's top-left corner

    rule, fill = [i for i in items if i.check == "overprint"]
    assert rule.where == at(310, 300), "where the rule was drawn to"
    assert fill.where == at(120, 50), "the top-left corner scaled, then moved"
    # a colour is set before what it paints: its problem is where the first thing painted in it is
    where = {i.check: i.where for i in items}
    assert where["colour-space"] == at(72, 154) and where["ink-coverage"] == at(100, 110)
    assert where["transparency"] == at(10, 25)
    assert checks(path, "x4").get("transparency") is None, "PDF/X-4 allows transparency"


def test_every_font_is_embedded(press_pdf, tmp_path):
    def plain_font(pdf, page):
        page.obj.Resources.Font["/FX"] = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                            BaseFont=pikepdf.Name.Helvetica)

    assert checks(spoilt(press_pdf, tmp_path, plain_font))["font-embedding"] == ["font /Helvetica is not embedded"]


def test_matrices():
    scale, move = (2, 0, 0, 3, 0, 0), (1, 0, 0, 1, 10, 20)
    assert _mul(scale, move) == (2, 0, 0, 3, 10, 20)  # scaled, then moved
    assert _mul(move, scale) == (2, 0, 0, 3, 20, 60)  # moved, then the move scaled too
    assert _point(_mul(scale, move), 1, 1) == (12, 23)
    assert _point((0, 1, -1, 0, 0, 0), 1, 0) == (0, 1)  # a quarter turn
