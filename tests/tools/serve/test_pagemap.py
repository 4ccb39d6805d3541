"""The item map (tools/serve/pagemap.py): what the browser lays over each page image: the grid,
every text line and marker with its source, the stories, and the places on the pages each
diagnostic is about."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from broadsheet.diagnostics import Diagnostic, Pos
from broadsheet.display import Box, Document, GlyphRun, Marker, Page, Rule
from broadsheet.page.grid import Geometry
from broadsheet.text.compose import Glyph
from broadsheet.tools.serve.pagemap import Places, diagnostic, line_rect, page_items, page_map

from .conftest import spec_entry_lines

FACE = SimpleNamespace(ascent=880, descent=120)  # what line_rect reads of a face
BLACK = (0.0, 0.0, 0.0, 100.0)


def run(text: str, x: float, y: float, size: float = 10, **kw) -> GlyphRun:
    return GlyphRun(x, y, tuple(Glyph(FACE, 1, size, BLACK, ch, 2 + k * size) for k, ch in enumerate(text)), **kw)


def test_a_lines_rect_is_its_em_boxes():
    assert line_rect(run("正文三字", 100, 200)) == (102, 191.2, 40, 10)  # from the first em to the end of the last


def test_the_items_of_a_page_in_drawing_order():
    source = Pos("story.md", 5, 1)
    page = Page(1, 300, 400, [
        Box(0, 0, 10, 10), Marker("frame", 10, 20, 100, 200, "甲", Pos("spec.yaml", 12, 5)),
        run("正文", 10, 30, story="甲", role="body", source=source, compressed=True),
        run("标题", 10, 60, story="甲", role="title", compressed=True), GlyphRun(0, 0, ()), Rule(0, 0, 1, 1, 1, BLACK),
        Marker("slot", 10, 80, 50, 40, "p.jpg"), Marker("loose", 10, 100, 100, 14, "甲"),
    ])
    assert page_items(page) == [
        {"kind": "frame", "rect": [10, 20, 100, 200], "story": "甲", "note": "甲",
         "source": {"file": "spec.yaml", "line": 12, "col": 5, "text": "spec.yaml:12:5"}},
        {"kind": "line", "rect": [12, 21.2, 20, 10], "story": "甲", "role": "body", "text": "正文",
         "source": {"file": "story.md", "line": 5, "col": 1, "text": "story.md:5:1"}, "compressed": True},
        {"kind": "line", "rect": [12, 51.2, 20, 10], "story": "甲", "role": "title", "text": "标题", "source": None,
         "compressed": False},  # compression is counted for body lines only
        {"kind": "slot", "rect": [10, 80, 50, 40], "story": "", "note": "p.jpg", "source": None},
        {"kind": "loose", "rect": [10, 100, 100, 14], "story": "甲", "note": "甲", "source": None},
    ]  # boxes, rules and empty runs are the picture's: not in the map


def test_the_grid_of_a_page():
    geo = Geometry(200, 300, 20, 30, 160, 56, 2, 10, 14)
    page = Page(1, 200, 300, [run("正文", 20, 30 + 11, role="body", story="甲")])
    base, _ = page_map(Document([page], geometry=geo), [], {}, "spec.yaml", [])
    grid = base["pages"][0]["grid"]
    assert grid["area"] == [20, 30, 160, 56] and grid["columns"] == [[20, 75], [105, 75]]
    assert grid["baselines"] == [41, 55, 69, 83]  # the body's baseline in each of the four lines
    assert page_map(Document([page]), [], {}, "spec.yaml", [])[0]["pages"][0]["grid"] is None


def places() -> Places:
    pages = [{"number": 2, "items": [
        {"kind": "frame", "rect": [0, 0, 100, 100], "story": "a", "note": "a", "source": {"file": "spec.yaml", "line": 10}},
        {"kind": "line", "rect": [5, 5, 50, 10], "story": "a", "source": {"file": "a.md", "line": 3}},
        {"kind": "line", "rect": [5, 20, 50, 10], "story": "a", "source": {"file": "a.md", "line": 3}},
        {"kind": "overset", "rect": [5, 90, 50, 10], "story": "", "note": "a: 12 characters overset", "source": None},
        {"kind": "frame", "rect": [100, 0, 100, 100], "story": "b", "note": "b", "source": {"file": "spec.yaml", "line": 20}},
    ]}]
    stories = [{"name": "a", "file": "a.md", "spec": {"line": 10}}, {"name": "b", "file": "b.md", "spec": {"line": 20}}]
    return Places(pages, stories, "spec.yaml")


def test_which_story_a_position_is_about():
    p = places()
    assert [p.story_of(Pos("spec.yaml", n)) for n in (5, 10, 19, 20, 99)] == [None, "a", "a", "b", "b"]
    assert p.story_of(Pos("b.md", 1)) == "b" and p.story_of(Pos("other.yaml", 12)) is None
    assert p.story_of(Pos("spec.yaml")) is None


def test_where_a_diagnostic_goes_on_the_pages():
    p = places()
    assert p.of(Diagnostic(Pos("a.md", 3, 7), "on that line")) == [[2, 5, 5, 50, 10], [2, 5, 20, 50, 10]]
    assert p.of(Diagnostic(Pos("a.md", 9, 1), "a line with nothing on the page")) == [[2, 0, 0, 100, 100]]
    assert p.of(Diagnostic(Pos("spec.yaml", 12, 5), "overset", code="overset")) == [[2, 5, 90, 50, 10]]
    assert p.of(Diagnostic(Pos("spec.yaml", 22, 5), "b's entry")) == [[2, 100, 0, 100, 100]]
    assert p.of(Diagnostic(Pos("styles.yaml", 3, 1), "not on the page")) == []
    shown = diagnostic(Diagnostic(Pos("b.md", 2, 1), "某事", "warning", "quality"), p)
    assert shown == {"severity": "warning", "code": "quality", "message": "某事",
                     "where": {"file": "b.md", "line": 2, "col": 1, "text": "b.md:2:1"}, "places": [[2, 100, 0, 100, 100]]}
    assert diagnostic(Diagnostic(Pos("b.md", 2, 1), "某事"), None)["places"] == []


def test_item_map_knows_where_everything_came_from(sample):
    from broadsheet.diagnostics import Diagnostic, Pos
    from broadsheet.text.punctuation import full_width_punctuation
    from broadsheet.input.project import load_project
    from broadsheet.tools.serve.pagemap import page_map

    project = load_project(sample.spec_path)
    base, places = page_map(sample.result.document, project.jobs, sample.result.stories, str(sample.spec_path),
                            sample.warnings)
    [page] = base["pages"]
    stories = {s["name"]: s for s in base["stories"]}
    sikao = stories["sikao"]
    assert sikao["file"].endswith("seeds/sikao.md") and sikao["quality"]["lines"] > 100
    entry = spec_entry_lines(sample.spec_path, "sikao")
    assert sikao["spec"]["line"] in entry
    frames = [it for it in page["items"] if it["kind"] == "frame" and it["story"] == "sikao"]
    assert frames and all(f["source"]["file"] == str(sample.spec_path) and f["source"]["line"] in entry for f in frames)

    written = Path(sikao["file"]).read_text(encoding="utf-8").splitlines()
    lines = [it for it in page["items"] if it["kind"] == "line" and it["story"] == "sikao"]
    body = [it for it in lines if it["role"] == "body"]
    assert len(body) == sikao["quality"]["lines"]
    for it in body:
        assert it["source"]["file"] == sikao["file"]
        source = full_width_punctuation(written[it["source"]["line"] - 1])[0]
        assert it["text"][:2] in source or source.endswith(it["text"][:1]), (it["text"], source)
    [title] = [it for it in lines if it["role"] == "title"]
    assert written[title["source"]["line"] - 1].startswith("title:")
    fx, fy, fw, fh = frames[0]["rect"]
    for it in lines:  # every line of the story lies in its frame (an opening mark set half width, whose
        x, y, w, h = it["rect"]  # em box starts half an em early, aside)
        assert fx - h / 2 - 0.5 <= x and x + w <= fx + fw + 1 and fy - 1 <= y and y + h <= fy + fh + 1, it

    # diagnostics go where they belong: a photo's (a missing or low-resolution one) to its slot, with its
    # caption, inside its story's frame; a story line's to its lines
    huanren = [it["rect"] for it in page["items"] if it["kind"] == "frame" and it["story"] == "huanren"]
    left, top = min(r[0] for r in huanren), min(r[1] for r in huanren)
    right, bottom = max(r[0] + r[2] for r in huanren), max(r[1] + r[3] for r in huanren)
    slots = [it for it in page["items"] if it["kind"] == "slot"]
    assert len(slots) == 2
    for slot in slots:
        at = slot["source"]
        placed = places.of(Diagnostic(Pos(at["file"], at["line"], at["col"]), f"image {slot['note']} not found",
                                      "warning", "image-missing"))
        assert slot["rect"] in [p[1:] for p in placed]
        x, y, w, h = slot["rect"]
        assert left - 0.02 <= x and x + w <= right + 0.02 and top - 0.02 <= y and y + h <= bottom + 0.02
    target = body[len(body) // 2]["source"]
    placed = places.of(Diagnostic(Pos(target["file"], target["line"], 3), "a problem on that line"))
    assert placed == [[1, *it["rect"]] for it in page["items"] if it["kind"] == "line" and it["source"] == target]
    assert places.of(Diagnostic(Pos("styles/elsewhere.yaml", 4, 1), "not on the page")) == []
