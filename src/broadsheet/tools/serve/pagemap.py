"""The item map: what the browser lays over each page image so that the page knows where
everything on it came from. Built from the display list (display.py) of the last good build, in
points from the page's top-left corner, like the display list; the browser scales it with the
image, so the map and the rendered PDF always agree.

Per page: the grid (type area, columns, body baselines), every text line with its story, role and
source position, and the proof markers (frames, image slots, loose lines, 孤字, overset, missing
images). Per edition: the stories (name, story file, spec line, quality counts) and the
diagnostics, each with the places on the pages it is about.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Iterable

from broadsheet.diagnostics import Diagnostic, Pos
from broadsheet.display import Document, GlyphRun, Marker, Page
from broadsheet.output.proof import baselines


def _where(pos: Pos | None) -> dict[str, Any] | None:
    if pos is None:
        return None
    return {"file": pos.file, "line": pos.line, "col": pos.col, "text": str(pos)}


def _r(v: float) -> float:
    return round(v, 2)


def line_rect(run: GlyphRun) -> tuple[float, float, float, float]:
    """The em boxes of a line: from its first glyph to the end of its last, one em high with the
    baseline where the font puts it (as layout centres the em box on the line)."""
    first, last = run.glyphs[0], run.glyphs[-1]
    face = first.face
    top = run.y - first.size * face.ascent / (face.ascent + face.descent)
    x0 = run.x + run.along(first.x)
    return x0, top, run.x + run.along(last.x + last.size) - x0, first.size


def _grid(page: Page, doc: Document) -> dict[str, Any] | None:
    geo = doc.geometry
    if geo is None:
        return None
    return {
        "area": [_r(geo.x0), _r(geo.y0), _r(geo.width), _r(geo.height)],
        "columns": [[_r(geo.col_x(c)), _r(geo.col_w)] for c in range(1, geo.columns + 1)],
        "baselines": [_r(y) for y in baselines(page, doc)],
    }


def page_items(page: Page) -> list[dict[str, Any]]:
    """Text lines and markers of a page, in drawing order."""
    out: list[dict[str, Any]] = []
    for item in page.items:
        if isinstance(item, GlyphRun) and item.glyphs:
            out.append({"kind": "line", "rect": [_r(v) for v in line_rect(item)], "story": item.story,
                        "role": item.role, "text": item.text, "source": _where(item.source),
                        "compressed": item.compressed and item.role == "body"})
        elif isinstance(item, Marker):
            out.append({"kind": item.kind, "rect": [_r(item.x), _r(item.y), _r(item.w), _r(item.h)],
                        "story": item.note if item.kind in ("frame", "loose", "orphan") else "",
                        "note": item.note, "source": _where(item.source)})
    return out


def _rect(page: int, it: dict[str, Any]) -> list[float]:
    return [page, *it["rect"]]


class Places:
    """Finds where on the pages a diagnostic is: the items written at its position, else the frames
    of the story whose file it names or in whose entry of the spec it lies."""

    def __init__(self, pages: list[dict[str, Any]], stories: list[dict[str, Any]], spec_file: str):
        self.by_line: dict[tuple[str, int | None], list[list[float]]] = {}
        self.frames: dict[str, list[list[float]]] = {}
        self.overset: dict[str, list[list[float]]] = {}
        for page in pages:
            for it in page["items"]:
                src = it.get("source")
                if src is not None and it["kind"] != "frame":
                    self.by_line.setdefault((src["file"], src["line"]), []).append(_rect(page["number"], it))
                if it["kind"] == "frame":
                    self.frames.setdefault(it["story"], []).append(_rect(page["number"], it))
                if it["kind"] == "overset":
                    self.overset.setdefault(it["note"].split(":", 1)[0], []).append(_rect(page["number"], it))
        self.story_files = {s["file"]: s["name"] for s in stories}
        self.spec_file = spec_file
        # a story's entry in the spec runs from its line to the next story's
        entries = sorted((s["spec"]["line"], s["name"]) for s in stories if s["spec"] and s["spec"]["line"])
        self.entries = [(line, entries[k + 1][0] if k + 1 < len(entries) else None, name)
                        for k, (line, name) in enumerate(entries)]

    def story_of(self, pos: Pos) -> str | None:
        if pos.file in self.story_files:
            return self.story_files[pos.file]
        if pos.file == self.spec_file and pos.line is not None:
            for first, end, name in self.entries:
                if pos.line >= first and (end is None or pos.line < end):
                    return name
        return None

    def of(self, d: Diagnostic) -> list[list[float]]:
        exact = self.by_line.get((d.pos.file, d.pos.line))
        if exact and d.pos.line is not None:
            return exact
        story = self.story_of(d.pos)
        if story is None:
            return []
        if d.code == "overset" and story in self.overset:
            return self.overset[story]
        return self.frames.get(story, [])


def diagnostic(d: Diagnostic, places: Places | None) -> dict[str, Any]:
    return {"severity": d.severity, "code": d.code, "message": d.message, "where": _where(d.pos),
            "places": places.of(d) if places is not None else []}


def page_map(doc: Document, jobs: Iterable[Any], reports: dict[str, Any], spec_file: str,
             warnings: Iterable[Diagnostic]) -> tuple[dict[str, Any], Places]:
    """The map of a good build: pages (size, grid, items), stories and the build's warnings; and
    the places, to put a later failed build's errors on these pages."""
    pages = [{"number": p.number, "width": _r(p.width), "height": _r(p.height), "grid": _grid(p, doc),
              "items": page_items(p)} for p in doc.pages]
    stories = [{"name": job.name, "file": job.story.file, "spec": _where(job.source),
                "quality": asdict(reports[job.name].quality) if job.name in reports else None} for job in jobs]
    places = Places(pages, stories, spec_file)
    return {"pages": pages, "stories": stories, "problems": [diagnostic(d, places) for d in warnings]}, places
