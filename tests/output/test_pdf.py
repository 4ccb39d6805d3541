"""The sample page's PDF read back: size, fonts (embedded CID subsets with ToUnicode), structure,
determinism, metadata, and the text (complete, and no line starting with a forbidden mark)."""

from __future__ import annotations

import io
import re
from collections import Counter

import pikepdf
import pdfplumber
import pypdfium2 as pdfium
import pytest

from broadsheet.text.punctuation import full_width_punctuation
from broadsheet.input.story import load_story
from conftest import run_cli

MM = 72 / 25.4
PAGE_W, PAGE_H = 390 * MM, 540 * MM  # 对开
SUBSET = re.compile(r"^/[A-Z]{6}\+\S+$")
BASE14 = {"Courier", "Helvetica", "Times", "Symbol", "ZapfDingbats"}
#: Never first on a line (clreq).
LINE_START_PROHIBITED = set("，。、；：？！）》”’」』】·")
_WS = re.compile(r"\s+")


@pytest.fixture(scope="module")
def pdf(sample):
    with pikepdf.open(io.BytesIO(sample.pdf)) as doc:
        yield doc


@pytest.fixture(scope="module")
def chars(sample):
    with pdfplumber.open(io.BytesIO(sample.pdf)) as doc:
        assert len(doc.pages) == 1
        return doc.pages[0].chars


# ---------------------------------------------------------------------------------------------
# page and file


def test_page_size_is_duikai(sample, pdf):
    assert len(pdf.pages) == 1
    x0, y0, x1, y1 = (float(v) for v in pdf.pages[0].mediabox)
    assert (x0, y0) == (0, 0)
    assert x1 == pytest.approx(PAGE_W, abs=0.1) and y1 == pytest.approx(PAGE_H, abs=0.1)
    doc = pdfium.PdfDocument(sample.pdf)
    try:
        w, h = doc[0].get_size()
    finally:
        doc.close()
    assert w == pytest.approx(PAGE_W, abs=0.1) and h == pytest.approx(PAGE_H, abs=0.1)


def test_qpdf_check_reports_no_problems(sample, pdf):
    check = getattr(pdf, "check_pdf_syntax", None) or pdf.check  # pikepdf ≥ 10 renamed check()
    assert check() == []
    assert sample.pdf.startswith(b"%PDF-1.") and sample.pdf.rstrip().endswith(b"%%EOF")


def test_metadata_title_and_subject(sample, pdf):
    assert sample.spec["title"] and sample.spec["subject"]
    assert str(pdf.docinfo["/Title"]) == sample.spec["title"]
    assert str(pdf.docinfo["/Subject"]) == sample.spec["subject"]
    assert str(pdf.docinfo["/Author"]) == sample.spec["header"]["paper"]  # not ReportLab's "anonymous"


def test_same_input_gives_identical_pdfs(sample, tmp_path):
    """Two more builds of the session's snapshot, in fresh processes with other hash seeds, are
    byte-identical to each other and to the session's in-process build."""
    out = []
    for seed in ("1", "2"):
        pdf = tmp_path / f"again{seed}.pdf"
        proc = run_cli("build", sample.spec_path, "-o", pdf, "--allow-overset", "-q", cwd=tmp_path,
                       env={"PYTHONHASHSEED": seed})
        assert proc.returncode == 0, proc.stderr
        out.append(pdf.read_bytes())
    assert out[0] == out[1], "two builds of the same input differ"
    assert out[0] == sample.pdf, "a CLI build differs from the in-process build of the same input"


def test_embedded_truetype_keeps_the_source_timestamp(pdf):
    """Determinism without a warm cache: the embedded TrueType program must not carry the build time."""
    from fontTools.ttLib import TTFont

    from broadsheet.fonts.faces import BUNDLED

    sources = {}
    for path in BUNDLED.glob("*.ttf"):
        font = TTFont(path, lazy=True)
        sources[str(font["name"].getDebugName(6))] = font["head"].modified
    checked = 0
    for font in _font_dicts(pdf):
        descriptor = font.get("/FontDescriptor")
        if descriptor is None or "/FontFile2" not in descriptor:
            continue
        ps = str(font.BaseFont)[8:]
        embedded = TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()))
        assert embedded["head"].modified == sources[ps], ps
        checked += 1
    assert checked


# ---------------------------------------------------------------------------------------------
# fonts


def _font_dicts(pdf) -> list[pikepdf.Dictionary]:
    return [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font"]


def test_every_font_is_an_embedded_cid_subset_with_tounicode(pdf):
    fonts = _font_dicts(pdf)
    top = [f for f in fonts if f.get("/Subtype") not in ("/CIDFontType0", "/CIDFontType2")]
    assert len(top) >= 3, "the sample uses at least a serif, a sans and a kai face"
    descendants = []
    for font in top:
        name = str(font.get("/BaseFont"))
        assert font.get("/Subtype") == "/Type0", f"{name} is a {font.get('/Subtype')} font, not Type0"
        assert font.get("/Encoding") == "/Identity-H", name
        assert SUBSET.match(name), f"BaseFont {name} has no ABCDEF+ subset prefix"
        (cid,) = list(font.DescendantFonts)
        descendants.append(cid.objgen)
        assert cid.Subtype in ("/CIDFontType0", "/CIDFontType2"), name
        assert str(cid.BaseFont) == name
        descriptor = cid.FontDescriptor
        assert str(descriptor.FontName) == name
        programs = [k for k in ("/FontFile2", "/FontFile3") if k in descriptor]
        assert len(programs) == 1, f"{name}: embedded programs {programs}"
        program = descriptor[programs[0]].read_bytes()
        assert 1000 < len(program) < 2_000_000, f"{name}: font program of {len(program)} bytes is not a subset"
        if programs[0] == "/FontFile3":
            assert descriptor.FontFile3.Subtype == "/CIDFontType0C" and cid.Subtype == "/CIDFontType0"
        else:
            assert cid.Subtype == "/CIDFontType2"
        assert "/ToUnicode" in font, f"{name} has no ToUnicode CMap"
        cmap = font.ToUnicode.read_bytes()
        assert b"begincmap" in cmap and (b"beginbfchar" in cmap or b"beginbfrange" in cmap), name
    # every CIDFont hangs under a Type0 font: no stray descendant
    assert {f.objgen for f in fonts if f.get("/Subtype") in ("/CIDFontType0", "/CIDFontType2")} == set(descendants)


def test_every_embedded_glyph_draws_as_in_the_source_font(sample, pdf):
    """End to end, outlines unchanged: every glyph the layout placed is, at the code the page shows
    it by (CFF: a CID, through the charset; TrueType: a glyph id), the source font's glyph,
    drawn point for point the same."""
    from fontTools.cffLib import CFFFontSet
    from fontTools.pens.recordingPen import DecomposingRecordingPen
    from fontTools.ttLib import TTFont

    from broadsheet.display import GlyphRun
    from broadsheet.fonts.subset import make_subset

    used: dict = {}
    for page in sample.result.document.pages:
        for item in page.items:
            if isinstance(item, GlyphRun):
                for g in item.glyphs:
                    used.setdefault(g.face.postscript, (g.face, set()))[1].add(g.gid)
    checked = 0
    for font in _font_dicts(pdf):
        if font.get("/Subtype") != "/Type0":
            continue
        face, gids = used[str(font.BaseFont)[8:]]
        codes = make_subset(face, gids).codes  # cached: what the PDF was written with
        source = TTFont(face.path, fontNumber=face.index, lazy=True)
        descriptor = font.DescendantFonts[0].FontDescriptor
        if "/FontFile3" in descriptor:
            cff = CFFFontSet()
            cff.decompile(io.BytesIO(descriptor.FontFile3.read_bytes()), None)
            top = cff.topDictIndex[0]
            embedded = top.CharStrings
            # CID-keyed: the code is a CID, and the charset names each glyph by its CID
            by_code = {0 if n == ".notdef" else int(n[3:]): n for n in top.charset} if hasattr(top, "ROS") \
                else dict(enumerate(top.charset))
        else:
            program = TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()))
            embedded, by_code = program.getGlyphSet(), dict(enumerate(program.getGlyphOrder()))
        order = source.getGlyphOrder()
        for gid in gids:
            ours, theirs = DecomposingRecordingPen(embedded), DecomposingRecordingPen(source.getGlyphSet())
            embedded[by_code[codes[gid]]].draw(ours)
            source.getGlyphSet()[order[gid]].draw(theirs)
            assert ours.value == theirs.value, f"{face.postscript}: glyph {gid} (code {codes[gid]})"
            checked += 1
    assert checked == sum(len(gids) for _, gids in used.values()) > 1000


def test_pdfium_extracts_the_text(sample):
    """Another reader of the fonts' ToUnicode maps than pdfplumber: each story's opening words."""
    doc = pdfium.PdfDocument(sample.pdf)
    try:
        text = _WS.sub("", doc[0].get_textpage().get_text_range())
    finally:
        doc.close()
    for path in sample.story_paths():
        story = load_story(path)
        first = next(b for b in story.blocks if b.kind == "para")
        assert _comparable(first.text)[:10] in text, story.name


def test_no_unembedded_or_base14_font(sample, pdf):
    for font in _font_dicts(pdf):
        name = str(font.get("/BaseFont", ""))
        assert not any(b in name for b in BASE14), f"base-14 font {name} in the PDF"
        if font.get("/Subtype") in ("/Type1", "/TrueType", "/Type3", "/MMType1"):
            pytest.fail(f"simple font {name} in the PDF")
    # fonts a page uses are all in its resources, and each is one of the embedded Type 0 fonts
    for page in pdf.pages:
        used = set(re.findall(rb"/(\w+) [\d.]+ Tf", page.obj.Contents.read_bytes()
                              if isinstance(page.obj.Contents, pikepdf.Stream)
                              else b"".join(c.read_bytes() for c in page.obj.Contents)))
        resources = page.Resources.get("/Font", {})
        assert used and {f"/{u.decode()}" for u in used} <= set(resources.keys())
        for key in resources.keys():
            assert resources[key].Subtype == "/Type0"
    assert b"Helvetica" not in sample.pdf


# ---------------------------------------------------------------------------------------------
# text


def _comparable(text: str) -> str:
    return _WS.sub("", full_width_punctuation(text)[0])


def test_every_character_of_the_stories_is_on_the_page(sample, chars):
    extracted = Counter(_WS.sub("", "".join(c["text"] for c in chars)))
    wanted: Counter[str] = Counter()
    for path in sample.story_paths():
        wanted += Counter(_comparable(load_story(path).text()))
    assert sum(wanted.values()) > 6000  # the four stories of the seed page
    missing = wanted - extracted
    assert not missing, (f"{sum(missing.values())} characters of the stories are not in the PDF text, e.g. "
                         f"{''.join(ch * n for ch, n in missing.most_common(20))}")


def test_each_story_is_extractable_in_reading_order(sample, chars):
    """A long run of each story's body text appears verbatim (in order) in the extracted text."""
    text = _WS.sub("", "".join(c["text"] for c in chars))
    for path in sample.story_paths():
        story = load_story(path)
        first = next(b for b in story.blocks if b.kind == "para")
        head = _comparable(first.text)[:10]
        assert head in text, f"{story.name}: {head!r} not found in order in the PDF text"


def split_lines(chars: list[dict], gap: float = 5.0) -> list[list[dict]]:
    """Text lines from pdfplumber chars in content-stream order: a new line starts where the
    baseline changes, the pen goes back, or there is a gap of more than `gap` points (columns on
    one baseline are at least a gutter apart)."""
    lines: list[list[dict]] = []
    prev = None
    for c in chars:
        if not c["text"].strip():
            continue
        if (prev is None or abs(c["top"] - prev["top"]) > 1 or c["x0"] < prev["x0"] - 0.01
                or c["x0"] - prev["x1"] > gap):
            lines.append([])
        lines[-1].append(c)
        prev = c
    return lines


def _c(text: str, x0: float, top: float, w: float = 9.0) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + w, "top": top}


def test_split_lines_separates_columns_on_one_baseline():
    # two 3-character column lines on one baseline, 9 pt apart; a second line below
    chars = [_c("甲", 0, 10), _c("乙", 9, 10), _c("丙", 18, 10), _c("，", 36, 10), _c("丁", 45, 10),
             _c("戊", 0, 24), _c("己", 9, 24)]
    assert ["".join(c["text"] for c in line) for line in split_lines(chars)] == ["甲乙丙", "，丁", "戊己"]


def test_no_line_starts_with_a_prohibited_mark(sample, chars):
    lines = split_lines(chars)
    # about 99 lines in each of 8 columns, less headlines and photos: the split found real lines
    assert len(lines) > 400, len(lines)
    bad = ["".join(c["text"] for c in line)[:20] for line in lines if line[0]["text"] in LINE_START_PROHIBITED]
    assert not bad, f"{len(bad)} lines start with a prohibited mark: {bad[:10]}"


def test_no_display_line_starts_with_a_prohibited_mark(sample):
    """The same rule on the display list (every glyph run is one line), which needs no heuristics."""
    runs = [r for page in sample.result.document.pages for r in page.runs() if r.glyphs]
    assert len(runs) > 400
    bad = [(r.story, r.role, r.text[:20]) for r in runs if r.glyphs[0].text in LINE_START_PROHIBITED]
    assert not bad, bad[:10]


def test_every_glyph_sits_where_layout_put_it(sample, chars):
    """The writer turns positions into character spacing and TJ adjustments: read back, every
    character's origin is the display list's, to 0.01 pt (justified, compressed and Latin text,
    vertical headlines)."""
    read: dict[str, list[tuple[float, float]]] = {}
    for c in chars:
        read.setdefault(c["text"], []).append((c["matrix"][4], PAGE_H - c["matrix"][5]))
    placed = [(r.x + g.x, r.y, g.text) for page in sample.result.document.pages for r in page.runs() for g in r.glyphs]
    assert len(placed) == len(chars) > 5000
    far = []
    for x, y, text in placed:
        spots = read.get(text, [])
        k = min(range(len(spots)), key=lambda k: abs(spots[k][0] - x) + abs(spots[k][1] - y), default=None)
        if k is None or abs(spots[k][0] - x) > 0.01 or abs(spots[k][1] - y) > 0.01:
            far.append((text, round(x, 2), round(y, 2), spots[k] if k is not None else None))
        else:
            spots.pop(k)
    assert not far, far[:5]
