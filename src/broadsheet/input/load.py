"""Reading a project: the spec, its style sheets, stories, fonts and images read and validated in
full (every problem collected, then raised together), and resolved into what page layout needs —
the grid, the styles and font chains, one job per story and what each page's running head says.
`input/project.py` calls it when its cache does not hold the project."""

from __future__ import annotations

import math
from pathlib import Path

from broadsheet.diagnostics import Collector, InputError, Pos, did_you_mean
from broadsheet.fonts.faces import (COLLECTION_SUFFIXES, FONT_DIRS, Face, FontChain, FontError, FontFinder, font_path,
                                    looks_like_path, split_member)
from broadsheet.input.files import is_file
from broadsheet.input.glyphs import check_story_glyphs
from broadsheet.fonts.licence import licence_problem
from broadsheet.input.jobs import BoxStyle, PageInfo, PhotoJob, Running, Segment, StoryJob
from broadsheet.input.press import DEFAULT_PROFILE, load_press
from broadsheet.input.project import Project
from broadsheet.input.references import references
from broadsheet.input.root import resolved
from broadsheet.input.spec import Header, Spec, SpecModel, load_spec
from broadsheet.input.story import Story, load_story
from broadsheet.input.yamlsrc import Source
from broadsheet.input.sheets import load_styles
from broadsheet.input.styles import FontRef, ParaStyle, Styles
from broadsheet.page.grid import Geometry
from broadsheet.text.punctuation import full_width_punctuation
from broadsheet.units import MM

#: Story elements and the paragraph style each uses unless a story maps it elsewhere.
ELEMENTS = ("flag", "kicker", "title", "deck", "byline", "body", "quote", "table", "table_head", "subhead", "caption",
            "credit", "sign", "jump")


def read_project(spec_path: Path, root: Path | None = None) -> Project:
    """Read and validate the spec, its style sheets, stories, fonts and images; raise InputError
    listing every problem found. Every file read must lie inside the project `root` (default:
    found from the spec, see input/root.py)."""
    out = Collector()
    spec = load_spec(spec_path, out, root)
    src = spec.src
    # Style sheets and stories are found from the raw data, so that their problems are reported
    # in the same run as the spec's own.
    refs = references(src.data, spec.dir)
    styles, sheets = load_spec_styles(spec, out)
    stories: list[Story | None] = []
    for ref in refs.stories:
        if ref is None:
            stories.append(None)
        elif problem := spec.outside(ref.path):
            out.extend([src.diag(ref.where, f"story file {problem}")])
            stories.append(None)
        elif not is_file(ref.path):
            out.extend([src.diag(ref.where, f"story file not found: {spec.display(ref.path)}")])
            stories.append(None)
        else:
            try:
                stories.append(load_story(ref.path, spec.display(ref.path)))
            except InputError as exc:
                out.extend(exc.diagnostics)
                stories.append(None)
    chains, font_files, font_folders = _font_chains(spec, styles, out)
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
    elif problem := _fractional_measure(geo, body.size):
        out.extend([src.diag(("grid",), problem, severity="warning", code="measure")])

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
            pages = max(pages, *(s.page for s in job.segments), *(im.page for im in job.photos))
    pages = max(pages, len(m.pages))
    _check_measures(spec, jobs, styles, geo, out)
    _check_overlaps(spec, jobs, out)
    for job in jobs:
        check_story_glyphs(job, styles, chains, out)
    _check_spec_glyphs(spec, styles, chains, out)
    out.check()
    press = load_press(spec, out)
    out.check()
    author = m.author if m.author is not None else (m.header.paper or "" if m.header else "")
    files = {resolved(spec.path), *(resolved(p) for p, _ in sheets), *(resolved(Path(j.story.file)) for j in jobs)}
    files |= {resolved(im.path) for j in jobs for im in j.photos if im.path is not None}
    files |= font_files
    files |= refs.files()  # the output profile too: a new one changes every photo and the OutputIntent
    if refs.profile is None:
        files.add(DEFAULT_PROFILE)  # (regenerated by `make profiles`)
    return Project(str(spec_path), m.title, m.subject, author, styles, geo, chains, jobs, page_infos(m, pages, src),
                   files, press, out.warnings, font_folders)


#: A column may be this much of an em over or under a whole number of body characters (rounding).
MEASURE_SLACK = 0.02


def _fractional_measure(geo: Geometry, size: float) -> str | None:
    """Chinese columns are a whole number of body characters wide (栏宽 n 字): the width left over
    is spread between the characters of every line, a grey that no breaking can avoid. The
    warning says how wide the type area must be for the two nearest whole measures."""
    chars = geo.col_w / size
    if abs(chars - round(chars)) <= MEASURE_SLACK:
        return None
    options = []
    for n in (math.floor(chars), math.ceil(chars)):
        area = n * size * geo.columns + (geo.columns - 1) * geo.gutter
        side = (geo.page_w - area) / 2
        if side > 0:
            options.append(f"{area / MM:.1f} mm for {n} (left and right margins {side / MM:.2f} mm)")
    return (f"a column is {chars:.2f} body characters wide ({size:g}pt): every line of Chinese text spreads the "
            f"{chars - math.floor(chars):.2f} em left over between its characters; for whole characters make the "
            f"type area " + " or ".join(options))


def load_spec_styles(spec: Spec, out: Collector) -> tuple[Styles, list[tuple[Path, str]]]:
    """The styles of a spec: its style sheets in order, its overrides and font roles; and the sheets
    found (path, name as shown). A sheet that is not there is reported at the spec's line."""
    src, raw = spec.src, spec.src.data
    sheets = []
    for ref in references(raw, spec.dir).sheets:
        if problem := spec.outside(ref.path):
            out.extend([src.diag(ref.where, f"style sheet {problem}")])
        elif is_file(ref.path):
            sheets.append((ref.path, spec.display(ref.path)))
        else:
            out.extend([src.diag(ref.where, f"style sheet not found: {spec.display(ref.path)}")])
    overrides = raw.get("style_overrides") if isinstance(raw, dict) else None
    fonts = raw.get("fonts") if isinstance(raw, dict) else None
    styles = load_styles(
        sheets,
        (src, ("style_overrides",), overrides if isinstance(overrides, dict) else {}),
        (src, ("fonts",), fonts if isinstance(fonts, dict) else {}),
        out,
    )
    return styles, sheets


def page_infos(m: SpecModel, pages: int, src: Source) -> list[PageInfo]:
    """Each page's printed number and label and what its running head and foot say: the edition's
    list of pages, else counting on from header.page."""
    first = m.header.page if m.header is not None and isinstance(m.header.page, int) else 1
    out = []
    for k in range(pages):
        entry = m.pages[k] if k < len(m.pages) else None
        number = entry.page if entry is not None and isinstance(entry.page, int) else first + k
        label = entry.page if entry is not None and isinstance(entry.page, str) else None
        shown = label or f"第{number}版"
        jump = f"第{number}版" if label is None else (label if label.endswith("版") else f"{label}版")

        def running(head: Header | None, key: str) -> Running | None:
            if head is None:
                return None
            section = (entry.section if entry and entry.section else None) or head.section
            editor = (entry.editor if entry and entry.editor else None) or head.editor
            return Running(head.paper, head.date, section, shown, editor, src.pos((key,)))

        out.append(PageInfo(k + 1, jump, m.jumps.continued_to.format(page=jump), m.jumps.continued_from.format(page=jump),
                            running(m.header, "header"), running(m.footer, "footer")))
    return out


def _font_chains(spec: Spec, styles: Styles, out: Collector) -> tuple[dict[str, FontChain], set[Path], tuple[Path, ...]]:
    """The font chain of every font a style names, the font files named by path, and the folders
    where fonts were looked up by name."""
    finder = FontFinder()
    chains: dict[str, FontChain] = {}
    # a font named directly by a style (not through a role) is reported where the style names it
    fonts = {s.font: s.origins.get("font") for s in styles.paragraph.values()}
    fonts.update({s.latin_font: s.origins.get("latin_font") for s in styles.paragraph.values() if s.latin_font})
    fonts.update({c.font: c.origins.get("font") for c in styles.character.values() if c.font})
    found: dict[tuple[str, Pos | None], Face | None] = {}  # each reference resolved (and reported) once
    for font in fonts:
        faces = []
        for ref in styles.chain(font):
            key = (ref.name, ref.pos)
            if key not in found:
                found[key] = resolve_font(ref, fonts[font] or spec.src.pos(("styles",)), spec.dir, finder, styles, out,
                                          spec)
            if found[key] is not None:
                faces.append(found[key])
        chains[font] = FontChain(faces)
    files = {face.path.resolve() for (name, _), face in found.items() if face is not None and looks_like_path(name)}
    return chains, files, finder.folders


def resolve_font(ref: FontRef, default: Pos, default_base: Path, finder: FontFinder, styles: Styles,
                 out: Collector, spec: Spec | None = None) -> Face | None:
    """The face a font reference names, or None with the reason in `out` (at `default` for a
    font a style names directly); a font file by path is found relative to the file that names it
    (a shared style sheet finds its fonts wherever the spec is) and, for a `spec`, must lie in its
    project root or in the bundled and system font folders."""
    pos = ref.pos or default
    base = Path(pos.file).resolve().parent if ref.pos is not None else default_base
    if spec is not None and looks_like_path(ref.name):
        if problem := spec.outside(font_path(split_member(ref.name)[0], base), FONT_DIRS):
            out.error(pos, f"font file {problem}", "font")
            return None
    try:
        face = finder.find(ref.name, base)
    except (FontError, OSError) as exc:  # OSError: a path the system refuses (a name too long)
        out.error(pos, f"{exc}; use another font", "font")
        return None
    if face is None:
        out.error(pos, f"unknown font '{ref.name}': not a font role, a bundled or system font, "
                  f"or a font file{did_you_mean(ref.name, [*styles.roles, *finder.known_names()])}", "font")
    elif (problem := licence_problem(face.fs_type)) is not None:
        out.error(pos, f"font '{ref.name}': {problem}; choose another font", "font-licence")
    else:
        if face.path.suffix.lower() in COLLECTION_SUFFIXES and looks_like_path(ref.name) and split_member(ref.name)[1] is None:
            # Debian's Noto CJK collections start with the JP face: an SC page set in it looks right and is not
            out.warning(pos, f"font '{ref.name}' is a collection: its first face, {face.family}, "
                        f"is used; name the face, e.g. '{ref.name}#0' or '{ref.name}#{face.family}' "
                        "(`broadsheet fonts` lists the faces)", "font")
        return face
    return None


def _story_job(spec: Spec, i: int, st, story: Story | None, styles: Styles, geo: Geometry, out: Collector) -> StoryJob | None:
    src = spec.src
    base = ("stories", i)
    roles = {e: e for e in ELEMENTS}
    for element, style in st.styles.items():
        if element not in ELEMENTS:
            out.extend([src.diag(base + ("styles", element), f"unknown story element '{element}'{did_you_mean(element, ELEMENTS)}", key=True)])
        elif style not in styles.declared:  # a style with errors of its own is still defined: no cascade
            out.extend([src.diag(base + ("styles", element), f"unknown paragraph style '{style}'{did_you_mean(style, styles.paragraph)}", code="style")])
        else:
            roles[element] = style
    needed = {"body"} | ({h.role for h in story.head} if story else set())
    if story:
        needed |= {b.role for b in story.text_blocks()}
        needed |= {"credit"} if any(b.credit for b in story.blocks) else set()
    needed |= {"caption"} if st.images else set()
    needed |= {"jump"} if len({seg.page for seg in st.frame}) > 1 else set()
    for element in sorted(needed):
        if roles[element] not in styles.declared and roles[element] == element:
            out.extend([src.diag(base, f"the style sheets define no '{element}' paragraph style (needed for the story's {element}): "
                                       f"add one, or name a style for it in the story's `styles: {{{element}: STYLE}}`", code="style")])
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
        segments.append(Segment(seg.page, c1, c2, top, bottom))
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
            lines = f"{top}-{top + im.lines}" if top >= 0 else f"under the headline, {im.lines} lines high,"
            out.extend([src.diag(where, f"image lines {lines} leave the type area ({geo.lines} lines)")])
        path = spec.resolve(im.file) if im.file else (fig.image_path if fig else None)
        shown = spec.display(path) if path else "(no file)"
        pixels = None
        if path is not None and (problem := spec.outside(path)):
            named_at = src.pos(where + ("file",)) if im.file else Pos(story.file, fig.line) if story and fig else src.pos(where)
            out.error(named_at, f"image {problem}", "image")
            path = None
        elif path is None or not is_file(path):
            out.warning(src.pos(where), f"image {shown} not found: a marked placeholder is drawn", "image-missing")
        elif path.suffix.lower() not in (".jpg", ".jpeg", ".png"):
            out.extend([src.diag(where, f"image {shown}: only JPEG and PNG files can be placed", code="image")])
        else:
            from broadsheet.input.images import image_info  # Pillow, only for a spec with photos

            problem, pixels = image_info(path)
            if problem is not None:
                out.extend([src.diag(where, f"image {shown}: {problem}", code="image")])
        caption = im.caption if im.caption is not None else (fig.text if fig else "")
        credit = im.credit if im.credit is not None else (fig.credit if fig else None)
        slots.append(PhotoJob(im.page, im.columns, top, im.lines, path, shown, caption, credit,
                              im.fit, im.focal, pixels, src.pos(where)))
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
                    st.rule_weight.pt(), st.column_rules, st.balance, st.reading, st.grid, st.headline.vertical,
                    src.pos(base))


def _check_measures(spec: Spec, jobs: list[StoryJob], styles: Styles, geo: Geometry, out: Collector) -> None:
    """What would stop a press, found before anything is drawn: a leading smaller than the text
    (its lines would print over each other), an indent as wide as the
    column, a headline size wider than its columns. Each style is reported once, where the
    offending value was written."""
    reported: set[tuple[str, str]] = set()

    def error(style: ParaStyle, prop: str, message: str) -> None:
        if (style.name, prop) not in reported:
            reported.add((style.name, prop))
            # where the value was written; for a default, where the style was (or the spec)
            where = style.origins.get(prop) or style.origins.get("based_on") or style.origins.get("name")
            out.error(where or spec.src.pos(()), message, "style")

    for job in jobs:
        headline_w = geo.span_w(*job.headline_cols)
        used = {job.roles[h.role] for h in job.story.head} | {job.roles[b] for b in ("body", "caption", "credit", "sign")}
        used |= {job.roles[b.role] for b in job.story.text_blocks()}
        for name in sorted(used):
            style = styles.paragraph.get(name)
            if style is None:
                continue
            lead = style.leading_pt(geo.pitch)  # more than 0: the style sheet's validation sees to that
            if lead < style.size * 0.999:
                lines = math.ceil(style.size / geo.pitch - 1e-9)
                given = "" if style.origins.get("leading") else f" (the default, {style.leading})"
                error(style, "leading", f"style '{name}': leading {lead:.2f}pt{given} is smaller than its {style.size:g}pt "
                      f"text: its lines would print over each other; give it at least the text size, e.g. "
                      f"leading: {lines}行 ({lines * geo.pitch:g}pt on this page's grid)")
            indent = style.indent.pt(em=style.size)
            if indent + style.size > geo.col_w and name in {job.roles["body"]}:
                error(style, "indent", f"style '{name}': indent {style.indent} leaves no room for a character in a "
                      f"{geo.col_w / style.size:.1f}-character column; make it smaller (2字 is usual)")
        for h in job.story.head:
            style = styles.paragraph.get(job.roles[h.role])
            if style is not None and style.size > headline_w + 1e-6:
                error(style, "size", f"style '{style.name}': {style.size:g}pt characters are wider than the "
                      f"{headline_w:.1f}pt headline of story '{job.name}'; make the size smaller or the headline wider")


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


def _check_spec_glyphs(spec: Spec, styles: Styles, chains: dict[str, FontChain], out: Collector) -> None:
    """The texts the spec sets itself (running heads, jump lines, photo captions and credits) must be in a font
    of their style too: the composer has no tofu to fall back on."""
    m = spec.model
    texts: list[tuple[tuple, object, str]] = []  # path in the spec, value, paragraph style
    for key in ("header", "footer"):
        style = key if key in styles.paragraph else "header"
        running = getattr(m, key)
        texts += [((key, f), getattr(running, f), style) for f in ("paper", "date", "section", "page", "editor") if running]
        texts += [(("pages", k, f), getattr(entry, f), style) for k, entry in enumerate(m.pages) if running
                  for f in ("section", "page", "editor")]
    for name in sorted({st.styles.get("jump", "jump") for st in m.stories}):
        texts += [(("jumps", f), getattr(m.jumps, f).replace("{page}", ""), name) for f in ("continued_to", "continued_from")]
    for i, st in enumerate(m.stories):
        for k, im in enumerate(st.images):
            texts += [(("stories", i, "images", k, f), getattr(im, f), st.styles.get(f, f)) for f in ("caption", "credit")]
    for path, text, name in texts:
        style = styles.paragraph.get(name)
        chain = chains.get(style.font) if style else None
        if not isinstance(text, str) or chain is None:
            continue
        if style.full_width_punctuation:  # as layout sets it
            text, _ = full_width_punctuation(text)
        for ch in dict.fromkeys(text[i] for i in chain.missing(text)):
            out.error(spec.src.pos(path), f"character '{ch}' (U+{ord(ch):04X}) in '{'.'.join(map(str, path))}' is in no "
                      f"font of style '{name}' ({chain.names or 'no fonts'}); add a font that has it to the style's "
                      "fonts or fallback", "glyph")
