"""ReportLab without what a build does not use (output/lean_reportlab.py): loaded through it,
ReportLab's TrueType module does not import uharfbuzz (40 ms a warm build need not spend), still
writes PDFs, and leaves uharfbuzz importable for whoever reads fonts next; Pillow loads when a
picture is drawn, not with ReportLab."""

from __future__ import annotations

import json
import subprocess
import sys

import pikepdf

#: Run in a fresh interpreter (this one has read fonts, so HarfBuzz is imported): what got imported.
_PROBE = """
import io, json, sys
{before}
from broadsheet.output import lean_reportlab
lean_reportlab.load()
seen = {{"uharfbuzz": "uharfbuzz" in sys.modules, "ttfonts": "reportlab.pdfbase.ttfonts" in sys.modules}}
from reportlab.pdfgen import canvas
out = io.BytesIO()
page = canvas.Canvas(out, pagesize=(200, 100), invariant=1)
page.drawString(20, 50, "lean")
page.save()
seen["after_pdf"] = "uharfbuzz" in sys.modules
import uharfbuzz
seen["importable"] = uharfbuzz.__name__
sys.stdout.buffer.write(json.dumps(seen).encode() + b"\\n" + out.getvalue())
"""


def _probe(before: str = "") -> tuple[dict, bytes]:
    proc = subprocess.run([sys.executable, "-c", _PROBE.format(before=before)], capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    head, pdf = proc.stdout.split(b"\n", 1)
    return json.loads(head), pdf


def test_reportlab_loads_without_harfbuzz_and_writes_a_pdf(tmp_path):
    seen, pdf = _probe()
    assert seen == {"uharfbuzz": False, "ttfonts": True, "after_pdf": False, "importable": "uharfbuzz"}
    (tmp_path / "lean.pdf").write_bytes(pdf)
    with pikepdf.open(tmp_path / "lean.pdf") as doc:
        assert len(doc.pages) == 1 and b"(lean) Tj" in doc.pages[0].Contents.read_bytes()


def test_nothing_is_done_once_harfbuzz_is_imported():
    seen, _ = _probe("import uharfbuzz")
    assert seen["uharfbuzz"] is True and seen["ttfonts"] is False  # left to load as it will


_PILLOW_PROBE = """
import sys
from broadsheet.output import pdf  # ReportLab, through lean_reportlab
from reportlab.lib.utils import ImageReader
print("loaded with ReportLab:", "PIL._imaging" in sys.modules)
from PIL import Image
import PIL.Image
image = Image.new("RGB", (3, 2), "white")
print("one module, loaded on use:", PIL.Image is Image, "PIL._imaging" in sys.modules, ImageReader(image).getSize())
"""


def test_pillow_loads_when_a_picture_is_drawn_not_with_reportlab():
    proc = subprocess.run([sys.executable, "-c", _PILLOW_PROBE], capture_output=True, text=True, timeout=60)
    assert proc.stdout.splitlines() == ["loaded with ReportLab: False", "one module, loaded on use: True True (3, 2)"], \
        proc.stderr


def test_without_it_reportlab_would_import_harfbuzz():
    """Why the module exists: drop it when ReportLab stops importing uharfbuzz on its own."""
    code = "import sys, reportlab.pdfbase.ttfonts; print('uharfbuzz' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "True", proc.stderr
