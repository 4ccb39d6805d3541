"""Page layout: places each story's headline block and photos on the grid and threads its text
through the free lines of its frame, column by column; produces the display list.

Everything vertical is counted in body lines, so that body text in every column shares one
baseline grid: headline blocks, subheads, photos and captions take whole lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from .chars import LINE_START_PROHIBITED, classify, full_width_punctuation, is_word_char
from .compose import Glyph, Line, Piece, Setting, compose
from .diagnostics import Diagnostic
from .display import Box, Document, GlyphRun, Image, Marker, Page, Rule
from .fonts import FontChain
from .geometry import Geometry, Interval, add, cut
from .story import Block, Story
from .styles import ParaStyle, Styles

PLACEHOLDER_FILL = (0.0, 0.0, 0.0, 12.0)
RULE_COLOR = (0.0, 0.0, 0.0, 100.0)
HEAD_ORDER = ("flag", "kicker", "title", "deck", "byline")
BALANCED = {"kicker", "title", "deck", "subhead"}


@dataclass
class StoryJob:
    """Everything layout needs for one story, validated by the build stage."""

    name: str
    story: Story
    segments: list[tuple[int, int, int, int, int]]  # page, first col, last col, top line, bottom line
    headline_cols: tuple[int, int]
    headline_align: str
    images: list["SlotJob"]
    roles: dict[str, str]  # element -> paragraph style name
    box: bool = False


@dataclass
class SlotJob:
    page: int
    cols: tuple[int, int]
    top: int
    lines: int
    path: Path | None
    display: str
    caption: str
    credit: str | None


@dataclass
class Unit:
    """A piece of flowed text that occupies whole body lines and is never split."""

    lines: int
    runs: list[tuple[float, float, tuple[Glyph, ...], str]]  # baseline from unit top, x, glyphs, role
    chars: int
    lines_at_top: int  # height when it starts a column (space before dropped)
    keep_with_next: int = 0
    flag: str = ""  # "loose" or "orphan": marked on proofs


#: A justified line whose gaps were widened by more than this (× the font size) counts as loose.
LOOSE_GAP = 0.125


@dataclass
class Quality:
    """Per story counts of the composition's compromises (the quality report)."""

    lines: int = 0
    loose: int = 0  # lines whose gaps were widened beyond LOOSE_GAP em
    compressed: int = 0  # lines fitted by setting their last mark half width
    orphans: int = 0  # paragraphs whose last line holds a lone character (孤字)
    kinsoku: int = 0  # breaks that had to break a line-start/line-end rule
    full_width: int = 0  # ASCII , ; : ! ? ( ) set as full-width marks

    def add(self, lines: list[Line]) -> None:
        self.lines += len(lines)
        for line in lines:
            self.loose += _is_loose(line)
            self.compressed += line.compressed_end
            self.kinsoku += line.forced
        self.orphans += _is_orphan(lines)


def _is_loose(line: Line) -> bool:
    return bool(line.glyphs) and line.spacing > LOOSE_GAP * line.glyphs[0].size


def _is_orphan(lines: list[Line]) -> bool:
    """孤字: a paragraph's last line holding fewer than two characters besides punctuation."""
    if len(lines) < 2 or not lines[-1].glyphs:
        return False
    return sum(1 for g in lines[-1].glyphs if classify(g.text) not in LINE_START_PROHIBITED) < 2


@dataclass
class Result:
    document: Document
    diagnostics: list[Diagnostic] = field(default_factory=list)
    overset: dict[str, int] = field(default_factory=dict)  # story -> characters that did not fit
    quality: dict[str, Quality] = field(default_factory=dict)


def _script_runs(text: str) -> list[tuple[str, bool]]:
    """Split text into runs of Latin letters/digits (with the spaces and marks inside them) and the rest."""
    runs: list[tuple[str, bool]] = []
    for ch in text:
        latin = is_word_char(ch) or (ch.isascii() and not ch.isspace() and bool(runs) and runs[-1][1])
        if runs and runs[-1][1] == latin:
            runs[-1] = (runs[-1][0] + ch, latin)
        else:
            runs.append((ch, latin))
    return runs


class Layouter:
    def __init__(self, geo: Geometry, styles: Styles, chains: dict[str, FontChain], pages: int, title: str, subject: str):
        self.geo = geo
        self.styles = styles
        self.chains = chains
        self.doc = Document([Page(n, geo.page_w, geo.page_h) for n in range(1, pages + 1)], title, subject, geo)
        self.result = Result(self.doc)
        self.current = ""  # the story being laid out (for the quality report)

    # -- text ------------------------------------------------------------------------------------
    def chain(self, style: ParaStyle) -> FontChain:
        return self.chains[style.font]

    def pieces(self, spans: list[tuple[str, bool]], style: ParaStyle) -> list[Piece]:
        text = "".join(t for t, _ in spans)
        if style.full_width_punctuation:
            text, changes = full_width_punctuation(text)
            if self.current:
                self.result.quality.setdefault(self.current, Quality()).full_width += len(changes)
        strong = self.styles.character.get("strong")
        latin = self.chains[style.latin_font] if style.latin_font else None
        out, pos = [], 0
        for t, is_strong in spans:
            part = text[pos:pos + len(t)]
            pos += len(t)
            if not part:
                continue
            chain, size, color = self.chain(style), style.size, style.color
            if is_strong and strong is not None:
                chain = self.chains[strong.font] if strong.font else chain
                size, color = strong.size or size, strong.color or color
            if latin is None:
                out.append(Piece(part, chain, size, color))
                continue
            # Latin letters and digits in the style's Latin font; everything else in its own
            for run, is_latin in _script_runs(part):
                out.append(Piece(run, latin if is_latin else chain, size, color))
        return out

    def setting(self, style: ParaStyle, measure: float, role: str, align: str | None = None) -> Setting:
        return Setting(
            measure=measure,
            indent=style.indent.pt(em=style.size),
            align=align or style.align,
            letter_spacing=style.letter_spacing.pt(em=style.size),
            latin_gap=style.latin_gap.pt(em=style.size) / style.size,
            balance=role in BALANCED,
            hanging=style.hanging,
            start_compress=style.compress_line_start,
            strictness=style.strictness,
        )

    def baseline(self, style: ParaStyle, box_h: float) -> float:
        """Baseline offset from the top of a line box: the em box centred in it."""
        face = self.chain(style).faces[0]
        return (box_h - style.size) / 2 + style.size * face.ascent / (face.ascent + face.descent)

    # -- page furniture --------------------------------------------------------------------------
    def header(self, page: Page, parts: dict[str, str | None], style: ParaStyle) -> None:
        g = self.geo
        base_y = g.y0 - 0.9 * g.pitch
        for text, align in (
            ("　".join(p for p in (parts.get("paper"), parts.get("date")) if p), "left"),
            (parts.get("section") or "", "center"),
            ("　".join(p for p in (parts.get("page"), parts.get("editor")) if p), "right"),
        ):
            if not text:
                continue
            lines = compose(self.pieces([(text, False)], style), self.setting(style, g.width, "header", align))
            for line in lines[:1]:
                page.items.append(GlyphRun(g.x0, base_y, tuple(line.glyphs), "", "header"))
        page.items.append(Rule(g.x0, g.y0 - 0.45 * g.pitch, g.x0 + g.width, g.y0 - 0.45 * g.pitch, 0.75, RULE_COLOR))

    # -- stories ---------------------------------------------------------------------------------
    def story(self, job: StoryJob) -> None:
        g = self.geo
        self.current = job.name
        free: dict[tuple[int, int], list[Interval]] = {}
        order: list[tuple[int, int]] = []
        for page, c1, c2, top, bottom in job.segments:
            for c in range(c1, c2 + 1):
                if (page, c) not in free:
                    order.append((page, c))
                free[(page, c)] = add(free.get((page, c), []), top, bottom)
        for page, c1, c2, top, bottom in job.segments:
            self.doc.pages[page - 1].items.append(
                Marker("frame", g.col_x(c1), g.line_y(top), g.span_w(c1, c2), (bottom - top) * g.pitch, job.name))
        page0, c1, c2, top0, _ = job.segments[0]
        if job.box:
            self.box(job)
        used = self.headline(job, page0, top0)
        if used:
            for c in range(job.headline_cols[0], job.headline_cols[1] + 1):
                if (page0, c) in free:
                    free[(page0, c)] = cut(free[(page0, c)], top0, top0 + used)
        captioned = set()
        for slot in job.images:
            if slot.top < 0:
                slot = replace(slot, top=top0 + used)
            lines = self.image(job, slot)
            captioned.add(slot.caption)
            for c in range(slot.cols[0], slot.cols[1] + 1):
                if (slot.page, c) in free:
                    free[(slot.page, c)] = cut(free[(slot.page, c)], slot.top, slot.top + lines)
        slots = [(p, c, a, b) for (p, c) in order for a, b in free[(p, c)]]
        units = self.units(job, captioned)
        self.flow(job, units, slots)

    def box(self, job: StoryJob) -> None:
        g = self.geo
        page, c1, c2, top, bottom = job.segments[0]
        inset = g.gutter / 2
        x = g.col_x(c1) - inset
        self.doc.pages[page - 1].items.append(
            Box(x, g.line_y(top) - inset, g.span_w(c1, c2) + 2 * inset, (bottom - top) * g.pitch + 2 * inset, RULE_COLOR, None, 0.75)
        )

    def headline(self, job: StoryJob, page: int, top: int) -> int:
        """Set the head (flag, kicker, title, deck, byline) across the headline columns; lines used."""
        g = self.geo
        items = [h for role in HEAD_ORDER for h in job.story.head if h.role == role]
        if not items:
            return 0
        c1, c2 = job.headline_cols
        width = g.span_w(c1, c2)
        placed: list[tuple[float, list[Line], ParaStyle, str]] = []
        y = 0.0
        for k, item in enumerate(items):
            style = self.styles.para(job.roles[item.role])
            align = style.align if item.role == "flag" else job.headline_align
            lines = compose(self.pieces([(item.text, False)], style), self.setting(style, width, item.role, align))
            lead = style.leading_pt(g.pitch)
            if k:
                y += style.space_before.pt(line=g.pitch, em=style.size)
            placed.append((y, lines, style, item.role))
            y += lead * len(lines) + style.space_after.pt(line=g.pitch, em=style.size)
        n = g.lines_for(y)
        extra = (n * g.pitch - y) / 2  # centre the block in its whole lines
        pg = self.doc.pages[page - 1]
        for y_top, lines, style, role in placed:
            lead = style.leading_pt(g.pitch)
            for i, line in enumerate(lines):
                base = g.line_y(top) + extra + y_top + i * lead + self.baseline(style, lead)
                pg.items.append(GlyphRun(g.col_x(c1), base, tuple(line.glyphs), job.name, role))
        return n

    def image(self, job: StoryJob, slot: SlotJob) -> int:
        """Place a photo (or its placeholder) with caption and credit below it; lines used."""
        g = self.geo
        pg = self.doc.pages[slot.page - 1]
        x, y = g.col_x(slot.cols[0]), g.line_y(slot.top)
        w, h = g.span_w(*slot.cols), slot.lines * g.pitch - g.pitch * 0.25
        pg.items.append(Marker("slot", x, y, w, h, slot.display))
        if slot.path is not None and slot.path.is_file():
            pg.items.append(Image(x, y, w, h, slot.path))
        else:
            pg.items.append(Box(x, y, w, h, (0, 0, 0, 40), PLACEHOLDER_FILL, 0.5))
            pg.items.append(Rule(x, y, x + w, y + h, 0.5, (0, 0, 0, 40)))
            pg.items.append(Rule(x, y + h, x + w, y, 0.5, (0, 0, 0, 40)))
            pg.items.append(Marker("placeholder", x, y, w, h, slot.display))
            label = self.styles.para(job.roles["caption"])
            lines = compose(self.pieces([(f"图片缺失 {slot.display}", False)], label), self.setting(label, w, "caption", "center"))
            for i, line in enumerate(lines[:2]):
                pg.items.append(GlyphRun(x, y + h / 2 + i * label.leading_pt(g.pitch), tuple(line.glyphs), job.name, "placeholder"))
        y_text = y + h
        for text, role in ((slot.caption, "caption"), (slot.credit, "credit")):
            if not text:
                continue
            style = self.styles.para(job.roles[role])
            lead = style.leading_pt(g.pitch)
            lines = compose(self.pieces([(text, False)], style), self.setting(style, w, role))
            y_text += style.space_before.pt(line=g.pitch, em=style.size)
            for line in lines:
                pg.items.append(GlyphRun(x, y_text + self.baseline(style, lead), tuple(line.glyphs), job.name, role))
                y_text += lead
        return g.lines_for(y_text - y + g.pitch * 0.5)

    def units(self, job: StoryJob, captioned: set[str]) -> list[Unit]:
        """The story's body as flowable units, in reading order."""
        g = self.geo
        units: list[Unit] = []
        blocks = job.story.blocks
        for bi, block in enumerate(blocks):
            if block.kind == "sign":
                continue  # set with the paragraph before it
            if block.kind == "figure" and block.text in captioned:
                continue  # its caption is under its photo
            role = {"para": "body", "figure": "caption"}.get(block.kind, block.kind)
            style = self.styles.para(job.roles[role])
            measure = g.col_w
            spans = [(s.text, s.strong) for s in block.spans]
            lines = compose(self.pieces(spans, style), self.setting(style, measure, role))
            nxt = blocks[bi + 1] if bi + 1 < len(blocks) else None
            if role == "body":
                self.result.quality.setdefault(job.name, Quality()).add(lines)
            if nxt is not None and nxt.kind == "sign":
                lines = self.sign(lines, nxt, job, measure)
            if role in ("body", "caption") or style.leading_pt(g.pitch) == g.pitch and not style.space_before.value and not style.space_after.value:
                base = self.baseline(style, g.pitch)
                orphan = role == "body" and _is_orphan(lines)
                for k, line in enumerate(lines):
                    flag = "loose" if _is_loose(line) else ("orphan" if orphan and k == len(lines) - 1 else "")
                    units.append(Unit(1, [(base, 0.0, tuple(line.glyphs), role)], line.end - line.start, 1, flag=flag))
                continue
            lead = style.leading_pt(g.pitch)
            before = style.space_before.pt(line=g.pitch, em=style.size)
            after = style.space_after.pt(line=g.pitch, em=style.size)
            body_h = lead * len(lines)
            n = g.lines_for(before + body_h + after)
            n_top = g.lines_for(body_h + after)
            runs = []
            pad = (n * g.pitch - (before + body_h + after)) / 2
            for i, line in enumerate(lines):
                runs.append((before + pad + i * lead + self.baseline(style, lead), 0.0, tuple(line.glyphs), role))
            chars = sum(len(line.glyphs) for line in lines)
            units.append(Unit(n, runs, chars, n_top, keep_with_next=2 if role == "subhead" else 0))
        return units

    def sign(self, lines: list[Line], block: Block, job: StoryJob, measure: float) -> list[Line]:
        """Put a source signature at the right end of the paragraph's last line, or on its own line."""
        style = self.styles.para(job.roles["sign"])
        sig = compose(self.pieces([(block.text, False)], style), self.setting(style, measure, "sign", "right"))
        if not sig:
            return lines
        sig_line = sig[0]
        sig_w = sig_line.natural
        last = lines[-1] if lines else None
        if last is not None and last.natural + style.size + sig_w <= measure:
            shift = measure - sig_w - sig_line.glyphs[0].x
            moved = [Glyph(gl.face, gl.gid, gl.size, gl.color, gl.text, gl.x + shift) for gl in sig_line.glyphs]
            merged = Line(last.glyphs + moved, last.start, last.end + len(block.text), measure, last.natural, last=True)
            return lines[:-1] + [merged]
        return lines + sig

    def flow(self, job: StoryJob, units: list[Unit], slots: list[tuple[int, int, int, int]]) -> None:
        g = self.geo
        si = 0
        cursor = slots[0][2] if slots else 0
        i = 0
        last_pos: tuple[int, int, int] | None = None
        while i < len(units) and si < len(slots):
            page, col, a, b = slots[si]
            unit = units[i]
            at_top = cursor == a
            need = unit.lines_at_top if at_top else unit.lines
            # keep a subhead with the first lines that follow it (unless it already starts a slot)
            follow = sum(u.lines for u in units[i + 1:i + 1 + unit.keep_with_next])
            if cursor + need > b or (not at_top and cursor + need + follow > b):
                si += 1
                if si < len(slots):
                    cursor = slots[si][2]
                continue
            drop = (unit.lines - need) * g.pitch if at_top else 0.0
            pg = self.doc.pages[page - 1]
            top_y = g.line_y(cursor) - drop
            for base, dx, glyphs, role in unit.runs:
                pg.items.append(GlyphRun(g.col_x(col) + dx, top_y + base, glyphs, job.name, role))
            if unit.flag:
                pg.items.append(Marker(unit.flag, g.col_x(col), top_y, g.col_w, unit.lines * g.pitch, job.name))
            cursor += need
            last_pos = (page, col, cursor)
            i += 1
            if cursor >= b:
                si += 1
                if si < len(slots):
                    cursor = slots[si][2]
        if i < len(units):
            left = sum(u.chars for u in units[i:])
            self.result.overset[job.name] = left
            if last_pos is not None:
                page, col, line = last_pos
                self.doc.pages[page - 1].items.append(
                    Marker("overset", g.col_x(col), g.line_y(line) - g.pitch, g.col_w, g.pitch, f"{job.name}: {left} characters overset")
                )
