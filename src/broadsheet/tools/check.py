"""Preflight (`broadsheet check`): everything on a page that would go wrong in print, as a list of
items (error, warning, note) with where each one is.

- invalid input (a missing glyph, an unknown font, a bad key …): every load diagnostic, as errors;
- overset text;
- fonts whose licence flags (OS/2 fsType) forbid embedding or subsetting (the loader's rule, fonts.licence);
- images below the minimum effective resolution (pixels / printed inches), unreadable images,
  and RGB images when CMYK is asked for;
- rules and box outlines thinner than 0.25 pt (they break up on newsprint);
- anything outside the type area (a warning) or off the page and its bleed (an error), except
  the running head and foot, which sit in the margins by design;
- 碰题 (headlines side by side at the same height) and the layout's other warnings;
- the composition's loose lines and 孤字, as notes;
- for PDF/X output, every colour the page uses within the ink limit (`output.ink_limit`);
- with `--pdf FILE`, the built file itself against its PDF/X standard (see `pdfcheck`), and
  every photo present (a placeholder is an error: the press would print it).

Nothing is written: the page is laid out in memory.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from broadsheet.diagnostics import Diagnostic, InputError, printable
from broadsheet.display import Box, Document, GlyphRun, Image, Marker, Page, Rule, colours, extent
from broadsheet.page.photos import MIN_PPI
from broadsheet.units import MM

MIN_RULE = 0.25  # pt
TOLERANCE = 0.5  # pt: rounding, hairline half-widths
SEVERITIES = ("error", "warning", "note")


@dataclass
class Item:
    severity: str  # error, warning, note
    check: str  # input, glyph, font-licence, overset, image-resolution, image-colour, image, thin-rule,
    #             outside, off-page, headline-clash, run-on, underset, layout, quality, ink-coverage, missing-photo; and of the
    #             file (pdfcheck): pdf, pdfx, pdfx-version, pdfx-id, pdfx-info, pdfx-xmp, output-intent, boxes,
    #             colour-space, transparency, font-embedding, overprint
    message: str
    where: str = ""  # file:line:col, or "p.1 120.0,35.5 mm" (from the page's top-left corner)
    page: int | None = None

    def __post_init__(self) -> None:
        # items quote file and story names the input chose: printed safely, as diagnostics are
        self.message, self.where = printable(self.message), printable(self.where)


@dataclass
class Report:
    spec: str
    items: list[Item] = field(default_factory=list)
    invalid: bool = False  # the input did not load (exit 2)
    pages: int = 0

    def count(self, severity: str) -> int:
        return sum(1 for i in self.items if i.severity == severity)

    @property
    def exit_code(self) -> int:
        if self.invalid:
            return 2
        return 1 if self.count("error") else 0

    def summary(self) -> str:
        parts = []
        for sev, word in (("error", "error"), ("warning", "warning"), ("note", "note")):
            n = self.count(sev)
            parts.append(f"{n} {word}{'s' if n != 1 else ''}")
        state = "invalid input" if self.invalid else ("fails preflight" if self.count("error") else "passes preflight")
        pages = f"{self.pages} page{'s' if self.pages != 1 else ''}, " if self.pages else ""
        return f"{self.spec}: {pages}{', '.join(parts)}: {state}"

    def listed(self, errors_only: bool = False) -> list[Item]:
        return [i for i in self.items if i.severity == "error"] if errors_only else self.items

    def to_json(self, errors_only: bool = False) -> str:
        return json.dumps({
            "spec": self.spec, "pages": self.pages, "invalid": self.invalid, "exit_code": self.exit_code,
            "errors": self.count("error"), "warnings": self.count("warning"), "notes": self.count("note"),
            "items": [asdict(i) for i in self.listed(errors_only)],
        }, ensure_ascii=False, indent=2)

    def table(self, style=lambda text, severity: text, errors_only: bool = False) -> str:
        """A human-readable table; `style(text, severity)` may colour the severity column."""
        items = self.listed(errors_only)
        if not items:
            return "no errors" if errors_only else "no problems found"
        rows = [("severity", "check", "where", "problem")]
        rows += [(i.severity, i.check, i.where, i.message) for i in items]
        widths = [max(_width(r[k]) for r in rows) for k in range(3)]
        out = []
        for n, r in enumerate(rows):
            cells = [r[k] + " " * (widths[k] - _width(r[k])) for k in range(3)]
            if n:
                cells[0] = style(cells[0], r[0])
            out.append("  ".join(cells + [r[3]]).rstrip())
        return "\n".join(out)


def _width(text: str) -> int:
    """Display width: CJK characters take two terminal cells."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def preflight(spec_path: Path, min_ppi: float = MIN_PPI, cmyk: bool = False, pdf: Path | None = None,
              pdfx: str | None = None, root: Path | None = None) -> Report:
    """The preflight report of a spec; with `pdf`, of the file built from it too (`pdfx`
    overrides the spec's standard, as on the build's command line); `root` is the project root."""
    from broadsheet.input.project import load_project
    from broadsheet.page.layout import lay_out
    from broadsheet.tools.build import overset_diagnostics

    report = Report(str(spec_path))
    try:
        project = load_project(spec_path, root)
    except InputError as exc:
        report.invalid = True
        report.items = [_from_diag(d) for d in exc.diagnostics]
        return report
    press = replace(project.press, standard=pdfx) if pdfx else project.press
    for d in project.warnings:
        report.items.append(_from_diag(d))
    result = lay_out(project)
    doc = result.document
    report.pages = len(doc.pages)
    for d in result.diagnostics:
        if d.code == "image-resolution":
            continue  # the image check below does this with the chosen minimum
        report.items.append(_from_diag(d))
    report.items += [_from_diag(d) for d in overset_diagnostics(project, result, allow=False)]
    report.items += check_images(doc, min_ppi, cmyk)
    report.items += check_rules(doc)
    report.items += check_bounds(doc)
    if press.pdfx:
        report.items += check_ink(doc, press.ink_limit)
    if pdf is not None:
        from broadsheet.tools.pdfcheck import check_pdf

        report.items += _not_told(check_pdf(pdf, press.standard, press.ink_limit, min_ppi), report.items)
    for name, story in result.stories.items():
        q = story.quality
        if q.loose or q.orphans:
            report.items.append(Item("note", "quality", f"story '{name}': {q.loose} loose line{'s' if q.loose != 1 else ''}, "
                                     f"{q.orphans} 孤字 (see the proof's quality overlay)", ""))
    order = {s: k for k, s in enumerate(SEVERITIES)}
    report.items.sort(key=lambda i: order.get(i.severity, 9))  # stable: the checks' order within a severity
    return report


#: The check a diagnostic is listed under, by its code (codes not named here are checks of their own).
CHECK_OF_CODE = {"style": "input", "font": "input", "frame": "input", "output": "input", "photo": "layout",
                 "image-missing": "image"}


#: Codes that a build lets pass as warnings (drafts), but that fail a preflight: print plants stop on them.
FAILS_PREFLIGHT = {"image-missing"}


def _not_told(found: list[Item], told: list[Item]) -> list[Item]:
    """The file's findings less its low-resolution images on a page where the layout's check has
    named as many already, with the picture's file and what to do: the same photos, told once.
    (A file with others than its spec predicts keeps all of them.)"""
    def per_page(items: list[Item]) -> Counter:
        return Counter(i.page for i in items if i.check == "image-resolution")

    known, seen = per_page(told), per_page(found)
    return [i for i in found if i.check != "image-resolution" or known[i.page] != seen[i.page]]


def _from_diag(d: Diagnostic) -> Item:
    severity = "error" if d.code in FAILS_PREFLIGHT else d.severity
    return Item(severity, CHECK_OF_CODE.get(d.code, d.code), d.message, str(d.pos))


def _where(page: Page, x: float, y: float) -> str:
    return f"p.{page.number} {x / MM:.1f},{y / MM:.1f} mm"


# ---------------------------------------------------------------------------------------------
# checks on the display list


def image_ppi(item: Image) -> float | None:
    """Effective resolution of a placed image: its pixels over the printed inches (the larger
    of the two directions' pixel density is what a cropped 'fill' keeps; we take the smaller)."""
    ppi = getattr(item, "ppi", None)
    if ppi:
        return float(ppi)
    from PIL import Image as PILImage

    with PILImage.open(item.path) as im:
        pw, ph = im.size
    placed = getattr(item, "placed", None)
    w, h = (placed[2], placed[3]) if placed else (item.w, item.h)
    return min(pw / (w / 72), ph / (h / 72))


def check_images(doc: Document, min_ppi: float = MIN_PPI, cmyk: bool = False) -> list[Item]:
    from PIL import Image as PILImage

    items = []
    for page in doc.pages:
        for im in page.items:
            if not isinstance(im, Image):
                continue
            where = _where(page, im.x, im.y)
            try:
                with PILImage.open(im.path) as pic:
                    mode, size = pic.mode, pic.size
                ppi = image_ppi(im)
            except Exception as exc:  # an image PIL cannot read is a finding, not a crash
                items.append(Item("error", "image", f"image {im.path.name} cannot be read: {exc}", where, page.number))
                continue
            if ppi is not None and ppi < min_ppi:
                items.append(Item("error", "image-resolution",
                                  f"image {im.path.name} ({size[0]}×{size[1]} px) prints at {ppi:.0f} ppi, below {min_ppi:g} ppi: "
                                  "use a larger picture or a smaller slot", where, page.number))
            if cmyk and mode not in ("CMYK", "L", "1", "LA"):
                items.append(Item("error", "image-colour",
                                  f"image {im.path.name} is {mode}, not CMYK: convert it for print", where, page.number))
    return items


def check_ink(doc: Document, limit: float) -> list[Item]:
    """Every colour of text, rules and boxes within the total ink limit (one item per colour, at its
    first use)."""
    from broadsheet.colours import coverage

    items, seen = [], set()
    for page in doc.pages:
        for it in page.items:
            for c in colours(it):
                if c in seen or coverage(c) <= limit:
                    continue
                seen.add(c)
                box = extent(it) or (0.0, 0.0, 0.0, 0.0)
                items.append(Item("error", "ink-coverage", f"colour {list(c)} has {coverage(c):g}% total ink, over the "
                                  f"{limit:g}% limit (output.ink_limit); use less ink", _where(page, box[0], box[1]),
                                  page.number))
    return items


def check_rules(doc: Document) -> list[Item]:
    items = []
    for page in doc.pages:
        for it in page.items:
            if isinstance(it, Rule) and it.width < MIN_RULE:
                items.append(Item("warning", "thin-rule", f"rule {it.width:g} pt thick, below {MIN_RULE:g} pt: it may break "
                                  "up in print", _where(page, min(it.x0, it.x1), min(it.y0, it.y1)), page.number))
            elif isinstance(it, Box) and it.stroke is not None and it.width < MIN_RULE:
                items.append(Item("warning", "thin-rule", f"box outline {it.width:g} pt thick, below {MIN_RULE:g} pt: it may "
                                  "break up in print", _where(page, it.x, it.y), page.number))
    return items


def check_bounds(doc: Document) -> list[Item]:
    geo = doc.geometry
    if geo is None:
        return []
    bleed = getattr(geo, "bleed", 0.0)
    bleed = bleed if isinstance(bleed, (int, float)) else 0.0
    area = (geo.x0, geo.y0, geo.x0 + geo.width, geo.y0 + geo.height)
    items = []
    for page in doc.pages:
        sheet = (-bleed, -bleed, page.width + bleed, page.height + bleed)
        frames = [m for m in page.items if isinstance(m, Marker) and m.kind == "frame"]
        running = {r.role for r in page.items if isinstance(r, GlyphRun) and r.role in ("header", "footer")}
        for it in page.items:
            if isinstance(it, GlyphRun) and it.role in ("header", "footer"):
                continue
            box = extent(it)
            if box is None:
                continue
            if isinstance(it, Rule) and _running_rule(box, area, running):
                continue
            what = _describe(it, box, frames)
            off = _beyond(box, sheet)
            if off:
                items.append(Item("error", "off-page", f"{what} runs off the page{' and its bleed' if bleed else ''} "
                                  f"({off})", _where(page, box[0], box[1]), page.number))
                continue
            out = _beyond(box, area)
            if out:
                # a ruled box keeps its inset outside the text, in the gutters and margins: by design
                inset = isinstance(it, Box) and _protrusion(box, area) <= geo.gutter + it.width
                items.append(Item("note" if inset else "warning", "outside",
                                  f"{what} leaves the type area ({out}){': its inset, in the margin' if inset else ''}",
                                  _where(page, box[0], box[1]), page.number))
    return items


def _running_rule(box, area, running: set[str]) -> bool:
    """The rule under the running head (above the type area) or over the running foot."""
    left, top, right, bottom = box
    inside = left >= area[0] - TOLERANCE and right <= area[2] + TOLERANCE
    above = bottom <= area[1] + TOLERANCE and "header" in running
    below = top >= area[3] - TOLERANCE and "footer" in running
    return inside and (above or below)


def _protrusion(box, limit) -> float:
    return max(limit[0] - box[0], limit[1] - box[1], box[2] - limit[2], box[3] - limit[3], 0.0)


def _beyond(box, limit) -> str:
    left, top, right, bottom = box
    parts = []
    for name, amount in (("left", limit[0] - left), ("top", limit[1] - top),
                         ("right", right - limit[2]), ("bottom", bottom - limit[3])):
        if amount > TOLERANCE:
            parts.append(f"{name} by {amount / MM:.1f} mm")
    return ", ".join(parts)


def _describe(it, box, frames: list[Marker]) -> str:
    story = getattr(it, "story", "") or _story_at(box, frames)
    kind = {GlyphRun: f"{getattr(it, 'role', '') or 'text'} line", Rule: "rule", Box: "box", Image: "image"}[type(it)]
    if isinstance(it, GlyphRun):
        text = it.text.strip()
        kind += f" '{text[:12]}{'…' if len(text) > 12 else ''}'"
    elif isinstance(it, Image):
        kind += f" {it.path.name}"
    return f"{kind} of story '{story}'" if story else kind


def _story_at(box, frames: list[Marker]) -> str:
    """The story whose frame overlaps the box most (boxes and rules carry no story name)."""
    best, name = 0.0, ""
    for m in frames:
        w = min(box[2], m.x + m.w) - max(box[0], m.x)
        h = min(box[3], m.y + m.h) - max(box[1], m.y)
        if w > 0 and h > 0 and w * h > best:
            best, name = w * h, m.note
    return name
