"""The build: load and validate everything (collecting all errors), lay out, render, write atomically."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from broadsheet.cache import Staged, write_atomic
from broadsheet.text.chars import full_width_punctuation
from broadsheet.diagnostics import Collector, Diagnostic, InputError, Pos, did_you_mean
from broadsheet.fonts.faces import FONT_DIRS, FontChain, FontError, FontFinder, font_path, looks_like_path
from broadsheet.page.grid import Geometry
from broadsheet.page.layout import BoxStyle, Layouter, Result, SlotJob, StoryJob, headline_clashes
from broadsheet.input.files import is_file, refuse_overwriting_inputs
from broadsheet.input.images import image_info
from broadsheet.input.spec import Spec, load_spec
from broadsheet.stats import Stats
from broadsheet.input.story import Story, load_story
from broadsheet.input.styles import Styles, load_styles

#: Story elements and the paragraph style each uses unless a story maps it elsewhere.
ELEMENTS = ("flag", "kicker", "title", "deck", "byline", "body", "subhead", "caption", "credit", "sign", "jump")


class OversetError(Exception):
    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(map(str, diagnostics)))


@dataclass
class Project:
    spec: Spec
    styles: Styles
    geometry: Geometry
    chains: dict[str, FontChain]
    jobs: list[StoryJob]
    pages: int
    warnings: list[Diagnostic] = field(default_factory=list)


def load_project(spec_path: Path, root: Path | None = None) -> Project:
    """Load and validate the spec, its style sheets, stories, fonts and images; raise InputError
    listing every problem found. Every file read must lie inside the project `root` (default:
    found from the spec, see input/root.py)."""
    out = Collector()
    spec = load_spec(spec_path, out, root)
    src, raw = spec.src, spec.src.data
    # Style sheets and stories are read from the raw data, so that their problems are reported
    # in the same run as the spec's own.
    sheets = []
    for where, name in _strings(raw.get("styles"), ("styles",)):
        path = spec.resolve(name)
        if problem := spec.outside(path):
            out.extend([src.diag(where, f"style sheet {problem}")])
        elif is_file(path):
            sheets.append((path, spec.display(path)))
        else:
            out.extend([src.diag(where, f"style sheet not found: {spec.display(path)}")])
    overrides = raw.get("style_overrides")
    fonts = raw.get("fonts")
    styles = load_styles(
        sheets,
        (src, ("style_overrides",), overrides if isinstance(overrides, dict) else {}),
        (src, ("fonts",), fonts if isinstance(fonts, dict) else {}),
        out,
    )
    stories: list[Story | None] = []
    raw_stories = raw.get("stories") if isinstance(raw.get("stories"), list) else []
    for i, item in enumerate(raw_stories):
        name = item.get("story") if isinstance(item, dict) else None
        if not isinstance(name, str):
            stories.append(None)
            continue
        path = spec.resolve(name)
        if problem := spec.outside(path):
            out.extend([src.diag(("stories", i, "story"), f"story file {problem}")])
            stories.append(None)
            continue
        if not is_file(path):
            out.extend([src.diag(("stories", i, "story"), f"story file not found: {spec.display(path)}")])
            stories.append(None)
            continue
        try:
            stories.append(load_story(path, spec.display(path)))
        except InputError as exc:
            out.extend(exc.diagnostics)
            stories.append(None)
    chains = _font_chains(spec, styles, out)
    m = spec.model
    if m is None:
        out.check()
        raise AssertionError("unreachable: an invalid spec has recorded errors")

    body = styles.paragraph.get("body")
    if body is None:
        if "body" not in styles.declared and not out.errors:
            out.error(Pos(sheets[-1][1] if sheets else str(spec_path), 1, 1), "the style sheets define no 'body' paragraph style",
                      "style")
        out.check()
        raise AssertionError("unreachable: a missing body style has recorded errors")
    line = m.grid.line.pt() if m.grid.line else body.leading_pt(0)
    if line <= 0:
        out.extend([src.diag(("grid",), "grid.line (the body line pitch) is required, e.g. line: 14pt")])
        out.check()
    pw, ph = (v.pt() for v in m.page.size)
    mg = m.page.margins
    geo = Geometry(
        pw, ph, mg.left.pt(), mg.top.pt(), pw - mg.left.pt() - mg.right.pt(), ph - mg.top.pt() - mg.bottom.pt(),
        m.grid.columns, m.grid.gutter.pt(em=body.size), line,
    )
    if geo.col_w <= body.size * 2:
        out.extend([src.diag(("grid",), f"columns are {geo.col_w / 2.835:.1f} mm wide: too narrow for text; use fewer columns or a smaller gutter")])

    jobs: list[StoryJob] = []
    pages = 1
    for i, (st, story) in enumerate(zip(m.stories, stories)):
        job = _story_job(spec, i, st, story, styles, geo, out)
        if job is not None and any(j.name == job.name for j in jobs):
            # reports, proofs and jumps name stories by their file name: one story, one place
            out.extend([src.diag(("stories", i, "story"), f"story '{job.name}' is laid out twice; "
                                 "give it one frame (a list of segments may span pages)")])
        elif job is not None:
            jobs.append(job)
            pages = max(pages, *(s[0] for s in job.segments), *(im.page for im in job.images))
    pages = max(pages, len(m.pages))
    _check_overlaps(spec, jobs, out)
    for job in jobs:
        _check_glyphs(job, styles, chains, out)
    _check_spec_glyphs(spec, styles, chains, out)
    out.check()
    return Project(spec, styles, geo, chains, jobs, pages, out.warnings)


def _strings(value: object, path: tuple) -> list[tuple[tuple, str]]:
    """The strings of a 'one or a list of' value, with their paths (other values are skipped:
    schema validation reports them)."""
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, list):
        return [(path + (i,), v) for i, v in enumerate(value) if isinstance(v, str)]
    return []


def _font_chains(spec: Spec, styles: Styles, out: Collector) -> dict[str, FontChain]:
    finder = FontFinder()
    chains: dict[str, FontChain] = {}
    # a font named directly by a style (not through a role) is reported where the style names it
    fonts = {s.font: s.origins.get("font") for s in styles.paragraph.values()}
    fonts.update({s.latin_font: s.origins.get("latin_font") for s in styles.paragraph.values() if s.latin_font})
    fonts.update({c.font: c.origins.get("font") for c in styles.character.values() if c.font})
    for font in fonts:
        faces = []
        for ref in styles.chain(font):
            pos = ref.pos or fonts[font] or spec.src.pos(("styles",))  # the default font: where the sheets are named
            if looks_like_path(ref.name) and (problem := spec.outside(font_path(ref.name, spec.dir), FONT_DIRS)):
                out.error(pos, f"font file {problem}", "font")
                continue
            try:
                face = finder.find(ref.name, spec.dir)
            except (FontError, OSError) as exc:  # OSError: a path the system refuses (a name too long)
                out.error(pos, f"{exc}; use another font", "font")
                continue
            if face is None:
                out.error(pos, f"unknown font '{ref.name}': not a font role, a bundled or system font, "
                          f"or a font file{did_you_mean(ref.name, [*styles.roles, *finder.known_names()])}", "font")
            elif not face.embeddable:
                out.error(pos, f"font '{ref.name}' forbids embedding (OS/2 fsType restricted licence); choose another font",
                          "font-licence")
            else:
                faces.append(face)
        chains[font] = FontChain(faces)
    return chains


def _story_job(spec: Spec, i: int, st, story: Story | None, styles: Styles, geo: Geometry, out: Collector) -> StoryJob | None:
    src = spec.src
    base = ("stories", i)
    roles = {e: e for e in ELEMENTS}
    for element, style in st.styles.items():
        if element not in ELEMENTS:
            out.extend([src.diag(base + ("styles", element), f"unknown story element '{element}'{did_you_mean(element, ELEMENTS)}", key=True)])
        elif style not in styles.paragraph:
            out.extend([src.diag(base + ("styles", element), f"unknown paragraph style '{style}'{did_you_mean(style, styles.paragraph)}", code="style")])
        else:
            roles[element] = style
    needed = {"body"} | ({h.role for h in story.head} if story else set())
    if story:
        needed |= {{"para": "body", "figure": "caption"}.get(b.kind, b.kind) for b in story.blocks}
        needed |= {"credit"} if any(b.credit for b in story.blocks) else set()
    needed |= {"caption"} if st.images else set()
    needed |= {"jump"} if len({seg.page for seg in st.frame}) > 1 else set()
    for element in sorted(needed):
        if roles[element] not in styles.declared and roles[element] == element:
            out.extend([src.diag(base, f"the style sheets define no '{element}' paragraph style (needed for the story's {element})", code="style")])
    segments = []
    for k, seg in enumerate(st.frame):
        c1, c2 = seg.columns
        top = geo.to_lines(seg.top)
        bottom = geo.lines if seg.bottom == "end" else geo.to_lines(seg.bottom)
        where = base + ("frame", k) if len(st.frame) > 1 or isinstance(src.data["stories"][i]["frame"], list) else base + ("frame",)
        if c2 > geo.columns:
            out.extend([src.diag(where + ("columns",), f"frame columns {c1}-{c2} leave the page: the grid has {geo.columns} columns")])
        if bottom > geo.lines or top < 0:
            out.extend([src.diag(where + ("bottom" if bottom > geo.lines else "top",),
                                 f"frame lines {top}-{bottom} leave the type area: a column has {geo.lines} lines")])
        if bottom <= top:
            out.extend([src.diag(where, f"frame has no height (top line {top}, bottom line {bottom})")])
        segments.append((seg.page, c1, c2, top, bottom))
    hl = st.headline.columns or st.frame[0].columns
    if st.headline.columns and hl[1] > geo.columns:
        out.extend([src.diag(base + ("headline", "columns"), f"headline columns {hl[0]}-{hl[1]} leave the page ({geo.columns} columns)")])
    slots = []
    figures = story.figures if story else []
    for k, im in enumerate(st.images):
        where = base + ("images", k)
        fig = None
        if im.figure is not None:
            if im.figure > len(figures):
                out.extend([src.diag(where + ("figure",), f"the story has {len(figures)} figure(s), not {im.figure}")])
            else:
                fig = figures[im.figure - 1]
        if im.columns[1] > geo.columns:
            out.extend([src.diag(where + ("columns",), f"image columns {im.columns[0]}-{im.columns[1]} leave the page ({geo.columns} columns)")])
        top = -1 if im.top == "headline" else geo.to_lines(im.top)  # -1: set by layout under the headline
        if max(top, 0) + im.lines > geo.lines:
            out.extend([src.diag(where, f"image lines {top}-{top + im.lines} leave the type area ({geo.lines} lines)")])
        path = spec.resolve(im.file) if im.file else (fig.image_path if fig else None)
        shown = spec.display(path) if path else "(no file)"
        pixels = None
        if path is not None and (problem := spec.outside(path)):
            named_at = src.pos(where + ("file",)) if im.file else Pos(story.file, fig.line) if story and fig else src.pos(where)
            out.error(named_at, f"image {problem}", "image")
            path = None
        elif path is None or not is_file(path):
            out.warning(src.pos(where), f"image {shown} not found: a marked placeholder is drawn", "image")
        elif path.suffix.lower() not in (".jpg", ".jpeg", ".png"):
            out.extend([src.diag(where, f"image {shown}: only JPEG and PNG files can be placed", code="image")])
        else:
            problem, pixels = image_info(path)
            if problem is not None:
                out.extend([src.diag(where, f"image {shown}: {problem}", code="image")])
        caption = im.caption if im.caption is not None else (fig.text if fig else "")
        credit = im.credit if im.credit is not None else (fig.credit if fig else None)
        slots.append(SlotJob(im.page, im.columns, top, im.lines, path, shown, caption, credit,
                             im.fit, im.focal, pixels))
    if story is None:
        return None
    if not story.head and not story.blocks:
        out.warning(src.pos(base + ("story",)), f"story '{story.name}' is empty: it has no head and no text")
    box = None
    if st.box is not None:
        b = st.box
        em = styles.para(roles["body"]).size if roles["body"] in styles.paragraph else 9.0
        box = BoxStyle(b.weight.pt(), b.inset.pt(em=em), b.color, b.tint)
    return StoryJob(story.name, story, segments, hl, st.headline.align, slots, roles, box, list(st.rules),
                    st.rule_weight.pt(), st.column_rules, st.balance, st.grid, st.headline.vertical, src.pos(base))


def _check_overlaps(spec: Spec, jobs: list[StoryJob], out: Collector) -> None:
    """No two stories may share a column line: a frame overlap is an error naming both."""
    names = [j.name for j in jobs]
    for i, a in enumerate(jobs):
        for b in jobs[i + 1:]:
            for pa, a1, a2, at, ab in a.segments:
                for pb, b1, b2, bt, bb in b.segments:
                    if pa == pb and a1 <= b2 and b1 <= a2 and at < bb and bt < ab:
                        k = names.index(b.name)
                        out.extend([spec.src.diag(("stories", k, "frame"),
                            f"frames of stories '{a.name}' and '{b.name}' overlap on page {pa}: columns "
                            f"{max(a1, b1)}-{min(a2, b2)}, lines {max(at, bt)}-{min(ab, bb)}", code="frame")])


def _check_glyphs(job: StoryJob, styles: Styles, chains: dict[str, FontChain], out: Collector) -> None:
    """Every character must be in a font of its style's chain: an error naming it, never tofu."""
    strong = styles.character.get("strong")
    story = job.story

    def check(text: str, role: str, line: int | Callable[[int], int], is_strong: bool = False) -> None:
        style = styles.paragraph.get(job.roles[role])
        if style is None:
            return
        font = strong.font if (is_strong and strong and strong.font) else style.font
        chain = chains.get(font)
        if chain is None:
            return
        text, _ = full_width_punctuation(text)
        for idx in chain.missing(text):
            out.error(Pos(story.file, line(idx) if callable(line) else line),
                      _missing_glyph(text[idx], f"story '{story.name}'", style.name, chain), "glyph")

    for h in story.head:
        check(h.text, h.role, h.line)
    for b in story.blocks:
        role = {"para": "body", "figure": "caption"}.get(b.kind, b.kind)
        offset = 0
        for span in b.spans:
            check(span.text, role, lambda i, base=offset, blk=b: blk.line_of(base + i), span.strong)
            offset += len(span.text)
        if b.credit:
            check(b.credit, "credit", b.line)


def _missing_glyph(ch: str, where: str, style: str, chain: FontChain) -> str:
    return (f"character '{ch}' (U+{ord(ch):04X}) in {where} is in no font of style '{style}' "
            f"({chain.names or 'no fonts'}); add a font that has it to the style's fonts or fallback")


def _check_spec_glyphs(spec: Spec, styles: Styles, chains: dict[str, FontChain], out: Collector) -> None:
    """The texts the spec sets itself (running heads, photo captions and credits) must be in a font
    of their style too: the composer has no tofu to fall back on."""
    m = spec.model
    texts: list[tuple[tuple, object, str]] = []  # path in the spec, value, paragraph style
    for key in ("header", "footer"):
        style = key if key in styles.paragraph else "header"
        running = getattr(m, key)
        texts += [((key, f), getattr(running, f), style) for f in ("paper", "date", "section", "page", "editor") if running]
        texts += [(("pages", k, f), getattr(entry, f), style) for k, entry in enumerate(m.pages) if running
                  for f in ("section", "page", "editor")]
    for i, st in enumerate(m.stories):
        for k, im in enumerate(st.images):
            texts += [(("stories", i, "images", k, f), getattr(im, f), st.styles.get(f, f)) for f in ("caption", "credit")]
    for path, text, name in texts:
        style = styles.paragraph.get(name)
        chain = chains.get(style.font) if style else None
        if not isinstance(text, str) or chain is None:
            continue
        text, _ = full_width_punctuation(text)
        for idx in sorted({text.index(text[i]) for i in chain.missing(text)}):
            out.error(spec.src.pos(path), _missing_glyph(text[idx], f"'{'.'.join(map(str, path))}'", name, chain), "glyph")


def page_numbers(m, pages: int) -> list[int]:
    """The printed number (版) of each page: the edition's list, else counting on from header.page."""
    first = m.header.page if m.header is not None and isinstance(m.header.page, int) else 1
    numbers = [first + k for k in range(pages)]
    for k, entry in enumerate(m.pages[:pages]):
        if isinstance(entry.page, int):
            numbers[k] = entry.page
    return numbers


def layout(project: Project) -> Result:
    m = project.spec.model
    numbers = page_numbers(m, project.pages)
    lay = Layouter(project.geometry, project.styles, project.chains, numbers, m.title, m.subject)
    lay.doc.author = m.author if m.author is not None else (m.header.paper or "" if m.header else "")
    for page in lay.doc.pages:
        entry = m.pages[page.number - 1] if page.number <= len(m.pages) else None
        for running, style, footer in ((m.header, "header", False), (m.footer, "footer", True)):
            if running is None:
                continue
            style = style if style in project.styles.paragraph else "header"
            if style not in project.styles.paragraph:
                continue
            section = (entry.section if entry and entry.section else None) or running.section
            editor = (entry.editor if entry and entry.editor else None) or running.editor
            label = entry.page if entry and isinstance(entry.page, str) else lay.page_label(page.number)
            lay.running(page, {"paper": running.paper, "date": running.date, "section": section, "page": label,
                               "editor": editor}, project.styles.para(style), footer)
    for job in project.jobs:
        lay.story(job)
    by_name = {job.name: job for job in project.jobs}
    for a, b in headline_clashes(lay.result):
        lay.result.diagnostics.append(Diagnostic(
            by_name[b].spec_pos, f"碰题: the headlines of '{a}' and '{b}' sit side by side at the same height; "
            "stagger them or set one story's headline narrower", "warning", "headline-clash"))
    return lay.result


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector. A build allocates hundreds of thousands of small objects
    (items, glyphs, runs) and keeps them to the end, so the collector's passes free nothing while
    re-scanning an ever larger heap: measured, 0.18 s of the 0.6 s layout of a 16-page build.
    Reference counting still frees everything acyclic; cycles wait until the build is over."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def build(spec_path: Path, output: Path, allow_overset: bool = False,
          stats: Stats | None = None, root: Path | None = None,
          also_writes: tuple[Path, ...] = (), staged: Staged | None = None) -> tuple[Result, list[Diagnostic]]:
    """Build the PDF; returns the layout result and the warnings. Raises InputError (invalid input,
    or an `output` or one of the files the caller will write after it, `also_writes`, that is an
    input of the build) or OversetError (text does not fit, unless allowed) without touching
    `output`. `stats`, if given, receives the time of each stage, the cache use and the loaded
    project; `root` is the project root (default: found from the spec). With `staged`, the PDF is
    staged there for the caller to commit together with its proofs, instead of written."""
    from broadsheet.output.pdf import render

    stats = stats or Stats()
    with stats.observe(), _no_cyclic_gc():
        with stats.stage("load"):
            project = stats.project = load_project(spec_path, root)
            refuse_overwriting_inputs(project, [output, *also_writes])
        with stats.stage("layout"):
            result = layout(project)
        warnings = list(project.warnings) + result.diagnostics
        over = [
            Diagnostic(job.spec_pos,
                       f"story '{job.name}' is overset: {result.overset[job.name]} characters do not fit its frame; "
                       f"cut the text or enlarge the frame", "warning" if allow_overset else "error", "overset")
            for job in project.jobs if job.name in result.overset
        ]
        if over and not allow_overset:
            raise OversetError(over)
        warnings += over
        with stats.stage("pdf"):
            data = render(result.document)
        with stats.stage("write"):
            if staged is not None:
                staged.write(output, data)
            else:
                write_atomic(output, data)
    return result, warnings
