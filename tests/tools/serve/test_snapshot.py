"""What the browser is shown after each build (tools/serve/snapshot.py): the page images (BMP, the
PDF's own render) and item map of the last good build, and the errors of a failed one, placed on
that last good proof."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from broadsheet.output.proof import page_bitmaps
from broadsheet.tools.build import BuildOptions
from broadsheet.tools.serve.snapshot import bmp, take
from broadsheet.tools.watch import Watcher, spec_files

from conftest import MINI_SPEC


def test_snapshots_of_good_and_failed_builds(mini):
    w = Watcher(Path("spec.yaml"), BuildOptions(output=Path("out.pdf"), dpi=20), echo=lambda *a, **k: None)
    w.files = spec_files(Path("spec.yaml"))
    mini.spec("page: [\n")  # broken from the start: nothing to show but the errors
    assert not w.build()
    first = take(w, None, editor=False)
    state = json.loads(first.state)
    assert (first.version, first.good, first.images) == (1, 0, ())
    assert state["ok"] is False and state["pages"] == [] and state["errors"][0]["where"]["file"] == "spec.yaml"

    mini.spec(MINI_SPEC)
    assert w.build()
    good = take(w, first, editor=True)
    state = json.loads(good.state)
    assert (good.version, good.good, len(good.images)) == (2, 2, 1)
    shown = Image.open(io.BytesIO(good.images[0]))  # the A4 page at the watcher's 20 dpi
    assert shown.format == "BMP" and shown.size == pytest.approx((595.28 * 20 / 72, 841.89 * 20 / 72), abs=1)
    assert state["ok"] is True and state["editor"] is True and state["errors"] == [] and state["spec"] == "spec.yaml"
    [page] = state["pages"]
    lines = [it for it in page["items"] if it["kind"] == "line" and it["role"] == "body"]
    assert lines and {it["source"]["file"] for it in lines} == {"story.md"}
    assert [s["name"] for s in state["stories"]] == ["story"] and state["stories"][0]["quality"]["lines"] == len(lines)

    mini.write("story.md", mini.texts["story.md"].replace("第二段文字", "第二段\U0002A6D6文字"))  # a glyph no font has
    assert not w.build()
    failed = take(w, good, editor=True)
    state = json.loads(failed.state)
    assert (failed.version, failed.good) == (3, 2) and failed.images is good.images, "the last good proof stays"
    assert state["ok"] is False and state["pages"] == json.loads(good.state)["pages"]
    [error] = state["errors"]
    assert error["where"]["file"] == "story.md" and error["where"]["line"] == 9 and "U+2A6D6" in error["message"]
    written_there = [[1, *it["rect"]] for it in page["items"] if it["kind"] == "line" and it["source"]
                     and it["source"]["line"] == 9]
    assert written_there and error["places"] == written_there, "on the lines of the paragraph as last shown"


@pytest.mark.parametrize("dpi", [100, 37])  # rows of 4608 bytes, and of 1707 (padded to 1708 in the BMP)
def test_page_images_are_the_pdf_render_pixel_for_pixel(sample, dpi):
    [bitmap] = page_bitmaps(sample.pdf, 1, dpi)
    shown = Image.open(io.BytesIO(bmp(bitmap)))
    assert shown.format == "BMP" and shown.size == (bitmap.width, bitmap.height)
    assert shown.convert("RGB").tobytes() == bitmap.to_pil().convert("RGB").tobytes()
