"""Page layout: places each story's headline block and photos on the grid, threads its text
through the free lines of its frame (see `flow`), adds page furniture, and produces the display list.

Everything vertical is counted in body lines, so that body text in every column shares one
baseline grid: headline blocks, subheads, photos and captions take whole lines (unless a story
turns grid alignment off).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path

from broadsheet.page import furniture
from broadsheet.text.chars import LINE_START_PROHIBITED, classify, full_width_punctuation, is_word_char
from broadsheet.text.compose import Glyph, Line, Piece, Setting, compose
from broadsheet.diagnostics import Diagnostic, Pos
from broadsheet.display import Box, Document, GlyphRun, Image, Marker, Page, Rule
from broadsheet.page.flow import Slot, Unit, balance, flow
from broadsheet.fonts.faces import FontChain
from broadsheet.page.grid import Geometry, Interval, add, cut
from broadsheet.input.story import Block, Story
from broadsheet.input.styles import ParaStyle, Styles

PLACEHOLDER_FILL = (0.0, 0.0, 0.0, 12.0)
PLACEHOLDER_LINE = (0.0, 0.0, 0.0, 40.0)
BLACK = furniture.BLACK
HEAD_ORDER = ("flag", "kicker", "title", "deck", "byline")
BALANCED = {"kicker", "title", "deck", "subhead"}
#: A photo printing below this resolution is a warning (newspapers want 200–300 ppi).
MIN_PPI = 200


@dataclass(frozen=True)
class BoxStyle:
    weight: float  # pt
    inset: float  # pt, outside the text
    color: tuple[float, float, float, float]
    tint: tuple[float, float, float, float] | None


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
    box: BoxStyle | None = None
    rules: list[str] = field(default_factory=list)  # frame edges with a rule: top, bottom, left, right
    rule_weight: float = 0.5
    column_rules: bool = False
    balance: bool = False
    grid: bool = True  # keep subheads and the text after them on the body line grid
    vertical_title: bool = False
    spec_pos: Pos = Pos("")  # where the story is in the spec (for warnings)


@dataclass
class SlotJob:
    page: int
    cols: tuple[int, int]
    top: int  # -1: directly under the headline
    lines: int
    path: Path | None
    display: str
    caption: str
    credit: str | None
    fit: str = "fill"  # fill: cover the slot, cropping around the focal point; fit: show it all
    focal: tuple[float, float] = (0.5, 0.5)
    pixels: tuple[int, int] | None = None  # the picture's size, read when the build checked it


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
    fit: float = 0.0  # copyfit: body lines to spare in the frame (negative: lines over)

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
    headlines: dict[str, tuple[int, int, int, int, int]] = field(default_factory=dict)  # story -> page, c1, c2, top, bottom


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
    def __init__(self, geo: Geometry, styles: Styles, chains: dict[str, FontChain], page_numbers: list[int],
                 title: str, subject: str):
        self.geo = geo
        self.styles = styles
        self.chains = chains
        self.page_numbers = page_numbers  # printed number (版) of each page of the spec
        self.doc = Document([Page(n, geo.page_w, geo.page_h) for n in range(1, len(page_numbers) + 1)], title, subject, geo)
        self.result = Result(self.doc)
        self.current = ""  # the story being laid out (for the quality report)

    # -- text ------------------------------------------------------------------------------------
    def chain(self, style: ParaStyle) -> FontChain:
        return self.chains[style.font]

    def quality(self, story: str) -> Quality:
        return self.result.quality.setdefault(story, Quality())

    def pieces(self, spans: list[tuple[str, bool]], style: ParaStyle) -> list[Piece]:
        text = "".join(t for t, _ in spans)
        if style.full_width_punctuation:
            text, changes = full_width_punctuation(text)
            if self.current:
                self.quality(self.current).full_width += len(changes)
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

    def set_text(self, text: str, style: ParaStyle, measure: float, role: str, align: str | None = None) -> list[Line]:
        return compose(self.pieces([(text, False)], style), self.setting(style, measure, role, align))

    def baseline(self, style: ParaStyle, box_h: float) -> float:
        """Baseline offset from the top of a line box: the em box centred in it."""
        face = self.chain(style).faces[0]
        return (box_h - style.size) / 2 + style.size * face.ascent / (face.ascent + face.descent)

    def lines_for(self, height: float, grid: bool = True) -> float:
        """A height in body lines: whole lines on the grid, exact off it."""
        return self.geo.lines_for(height) if grid else height / self.geo.pitch

    def page_label(self, page: int) -> str:
        return f"第{self.page_numbers[page - 1]}版"

    # -- page furniture --------------------------------------------------------------------------
    def running(self, page: Page, parts: dict[str, str | None], style: ParaStyle, footer: bool = False) -> None:
        """报眉 (or the footer): paper and date left, section centred, page number and editors right."""
        g = self.geo
        base_y = (g.y0 + g.height + 1.3 * g.pitch) if footer else (g.y0 - 0.9 * g.pitch)
        for text, align in (
            ("　".join(p for p in (parts.get("paper"), parts.get("date")) if p), "left"),
            (parts.get("section") or "", "center"),
            ("　".join(p for p in (parts.get("page"), parts.get("editor")) if p), "right"),
        ):
            if text:
                for line in self.set_text(text, style, g.width, "header", align)[:1]:
                    page.items.append(GlyphRun.of(line, g.x0, base_y, "", "footer" if footer else "header"))
        (furniture.footer_rule if footer else furniture.header_rule)(page, g)

    # -- stories ---------------------------------------------------------------------------------
    def story(self, job: StoryJob) -> None:
        g = self.geo
        self.current = job.name
        free: dict[tuple[int, int], list[Interval]] = {}
        order: list[tuple[int, int, int]] = []  # page, column, segment
        for k, (page, c1, c2, top, bottom) in enumerate(job.segments):
            for c in range(c1, c2 + 1):
                if (page, c) not in free:
                    order.append((page, c, k))
                free[(page, c)] = add(free.get((page, c), []), top, bottom)
            self.doc.pages[page - 1].items.append(
                Marker("frame", g.col_x(c1), g.line_y(top), g.span_w(c1, c2), (bottom - top) * g.pitch, job.name))
        frame = {key: list(v) for key, v in free.items()}  # the story's lines, before anything takes some
        page0, _, _, top0, _ = job.segments[0]
        used = self.headline(job, page0, top0)
        if used:
            c1, c2 = job.headline_cols
            if job.story.head_text("title"):  # a flag alone is no headline (for 碰题)
                self.result.headlines[job.name] = (page0, c1, c2, top0, top0 + used)
            for c in range(c1, c2 + 1):
                if (page0, c) in free:
                    free[(page0, c)] = cut(free[(page0, c)], top0, top0 + used)
        captioned = set()
        for slot in job.images:
            if slot.top < 0:
                slot = replace(slot, top=top0 + used)
            lines = self.image(job, slot)
            captioned.add(slot.caption)
            self.check_slot(job, slot, lines, frame, free)
            for c in range(slot.cols[0], slot.cols[1] + 1):
                if (slot.page, c) in free:
                    free[(slot.page, c)] = cut(free[(slot.page, c)], slot.top, slot.top + lines)
        slots = [Slot(p, c, a, b, k) for (p, c, k) in order for a, b in free[(p, c)]]
        slots, jumps = self.reserve_jumps(slots)
        units = self.units(job, captioned)
        if job.balance:
            slots = balance(units, slots)
        flowed = flow(units, slots)
        self.place(job, units, slots, flowed)
        self.jump_lines(job, slots, flowed, jumps)
        self.furniture(job, free)

    def check_slot(self, job: StoryJob, slot: SlotJob, lines: int, frame: dict[tuple[int, int], list[Interval]],
                   free: dict[tuple[int, int], list[Interval]]) -> None:
        """A photo must lie in its story's free lines: over the headline, another photo or outside
        the frame it would cover type (a warning naming the story and the picture)."""
        a, b = slot.top, slot.top + lines
        inside = all(any(s <= a and b <= e for s, e in frame.get((slot.page, c), []))
                     for c in range(slot.cols[0], slot.cols[1] + 1))
        clear = all(any(s <= a and b <= e for s, e in free.get((slot.page, c), []))
                    for c in range(slot.cols[0], slot.cols[1] + 1))
        if inside and clear:
            return
        problem = ("lies outside the story's frame (it may cover another story)" if not inside
                   else "overlaps the story's headline or another photo")
        self.result.diagnostics.append(Diagnostic(
            job.spec_pos,
            f"photo {slot.display} of story '{job.name}' (columns {slot.cols[0]}-{slot.cols[1]}, lines {a}-{b}, "
            f"with its caption) {problem}", "warning", "photo"))

    def furniture(self, job: StoryJob, free: dict[tuple[int, int], list[Interval]]) -> None:
        g = self.geo
        for page in sorted({s[0] for s in job.segments}):
            bounds = furniture.frame_bounds(g, job.segments, page)
            if bounds is None:
                continue
            pg = self.doc.pages[page - 1]
            if job.box is not None:
                furniture.box(pg, bounds, job.box.inset, job.box.weight, job.box.color, job.box.tint)
            if job.rules:
                furniture.edge_rules(pg, g, bounds, job.rules, job.rule_weight, BLACK)
            if job.column_rules:
                cols = sorted({c for s in job.segments if s[0] == page for c in range(s[1], s[2])})
                furniture.column_rules(pg, g, free, page, cols, job.rule_weight, BLACK)

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
            if job.vertical_title and item.role == "title":
                # 竖排: one character per line, centred in the headline columns
                lines = [ln for ch in item.text if not ch.isspace() for ln in self.set_text(ch, style, width, item.role, "center")]
            else:
                lines = self.set_text(item.text, style, width, item.role, align)
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
                if style.background is not None and line.glyphs:
                    pad = style.size * 0.3
                    x0 = g.col_x(c1) + line.glyphs[0].x - pad
                    x1 = g.col_x(c1) + line.right + pad
                    box_top = base - style.size * 0.88 - pad
                    pg.items.append(Box(x0, box_top, x1 - x0, style.size + 2 * pad, None, style.background, 0))
                pg.items.append(GlyphRun.of(line, g.col_x(c1), base, job.name, role))
        return n

    def image(self, job: StoryJob, slot: SlotJob) -> int:
        """Place a photo (or its placeholder) with caption and credit below it; lines used."""
        g = self.geo
        pg = self.doc.pages[slot.page - 1]
        x, y = g.col_x(slot.cols[0]), g.line_y(slot.top)
        w, h = g.span_w(*slot.cols), slot.lines * g.pitch - g.pitch * 0.25
        pg.items.append(Marker("slot", x, y, w, h, slot.display))
        if slot.pixels is not None:
            pg.items.append(self.photo(job, slot, x, y, w, h))
        else:
            pg.items.append(Box(x, y, w, h, PLACEHOLDER_LINE, PLACEHOLDER_FILL, 0.5))
            pg.items.append(Rule(x, y, x + w, y + h, 0.5, PLACEHOLDER_LINE))
            pg.items.append(Rule(x, y + h, x + w, y, 0.5, PLACEHOLDER_LINE))
            pg.items.append(Marker("placeholder", x, y, w, h, slot.display))
            label = self.styles.para(job.roles["caption"])
            text = f"图片缺失 {slot.display}"
            lacking = set(self.chain(label).missing(text))  # a file name may hold characters no font has
            text = "".join(ch for k, ch in enumerate(text) if k not in lacking)
            for i, line in enumerate(self.set_text(text, label, w, "caption", "center")[:2]):
                pg.items.append(GlyphRun.of(line, x, y + h / 2 + i * label.leading_pt(g.pitch), job.name, "placeholder"))
        y_text = y + h
        for text, role in ((slot.caption, "caption"), (slot.credit, "credit")):
            if not text:
                continue
            style = self.styles.para(job.roles[role])
            lead = style.leading_pt(g.pitch)
            y_text += style.space_before.pt(line=g.pitch, em=style.size)
            for line in self.set_text(text, style, w, role):
                pg.items.append(GlyphRun.of(line, x, y_text + self.baseline(style, lead), job.name, role))
                y_text += lead
        return g.lines_for(y_text - y + g.pitch * 0.5)

    def photo(self, job: StoryJob, slot: SlotJob, x: float, y: float, w: float, h: float) -> Image:
        """The image item: `fill` covers the slot and crops around the focal point, `fit` shows the
        whole picture centred in the slot. Its effective resolution is checked here."""
        pw, ph = slot.pixels
        if slot.fit == "fill":
            scale = max(w / pw, h / ph)
        else:
            scale = min(w / pw, h / ph)
        dw, dh = pw * scale, ph * scale
        fx, fy = slot.focal
        if slot.fit == "fill":
            # put the focal point as near the slot's centre as the picture's edges allow
            dx = min(0.0, max(w - dw, w / 2 - fx * dw))
            dy = min(0.0, max(h - dh, h / 2 - fy * dh))
        else:
            dx, dy = (w - dw) / 2, (h - dh) / 2
        ppi = 72 / scale
        if ppi < MIN_PPI:
            self.result.diagnostics.append(Diagnostic(
                job.spec_pos,
                f"photo {slot.display} prints at {ppi:.0f} ppi in story '{job.name}' (below {MIN_PPI}): use a larger picture or a smaller slot",
                "warning", "image-resolution"))
        return Image(x, y, w, h, slot.path, (x + dx, y + dy, dw, dh), ppi)

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
            if role == "body":
                self.quality(job.name).add(lines)
            nxt = blocks[bi + 1] if bi + 1 < len(blocks) else None
            if nxt is not None and nxt.kind == "sign":
                lines = self.sign(lines, nxt, job, measure)
            lead = style.leading_pt(g.pitch)
            before = style.space_before.pt(line=g.pitch, em=style.size)
            after = style.space_after.pt(line=g.pitch, em=style.size)
            if math.isclose(lead, g.pitch) and not before and not after:
                # one unit per line: body text breaks across columns anywhere
                base = self.baseline(style, g.pitch)
                orphan = role == "body" and _is_orphan(lines)
                for k, line in enumerate(lines):
                    flag = "loose" if _is_loose(line) else ("orphan" if orphan and k == len(lines) - 1 else "")
                    units.append(Unit(1, [(base, 0.0, line, role)], line.end - line.start, 1, flag=flag))
                continue
            body_h = lead * len(lines)
            n = self.lines_for(before + body_h + after, job.grid)
            n_top = self.lines_for(body_h + after, job.grid)
            pad = (n * g.pitch - (before + body_h + after)) / 2  # centre the block in its whole lines
            runs = [(before + pad + i * lead + self.baseline(style, lead), 0.0, line, role)
                    for i, line in enumerate(lines)]
            chars = sum(len(line.glyphs) for line in lines)
            units.append(Unit(n, runs, chars, n_top, keep_with_next=2 if role == "subhead" else 0))
        return units

    def sign(self, lines: list[Line], block: Block, job: StoryJob, measure: float) -> list[Line]:
        """Put a source signature at the right end of the paragraph's last line, or on its own line."""
        style = self.styles.para(job.roles["sign"])
        sig = self.set_text(block.text, style, measure, "sign", "right")
        if not sig:
            return lines
        sig_line = sig[0]
        sig_w = sig_line.natural
        last = lines[-1] if lines else None
        if last is not None and last.natural + style.size + sig_w <= measure:
            shift = measure - sig_w - sig_line.glyphs[0].x
            moved = [Glyph(gl.face, gl.gid, gl.size, gl.color, gl.text, gl.x + shift) for gl in sig_line.glyphs]
            merged = Line(last.glyphs + moved, last.start, last.end + len(block.text), measure, last.natural, last=True,
                          tracking=last.tracking)
            return lines[:-1] + [merged]
        return lines + sig

    def place(self, job: StoryJob, units: list[Unit], slots: list[Slot], flowed) -> None:
        g = self.geo
        for pl in flowed.placements:
            unit, slot = units[pl.unit], slots[pl.slot]
            pg = self.doc.pages[slot.page - 1]
            top_y = g.line_y(pl.top) - (unit.lines - pl.lines) * g.pitch  # a dropped space before
            for base, dx, line, role in unit.runs:
                pg.items.append(GlyphRun.of(line, g.col_x(slot.col) + dx, top_y + base, job.name, role))
            if unit.flag:
                pg.items.append(Marker(unit.flag, g.col_x(slot.col), top_y, g.col_w, unit.lines * g.pitch, job.name))
        self.quality(job.name).fit = flowed.spare
        if flowed.overset < len(units):
            left = sum(u.chars for u in units[flowed.overset:])
            self.result.overset[job.name] = left
            if flowed.placements:
                last = flowed.placements[-1]
                slot = slots[last.slot]
                self.doc.pages[slot.page - 1].items.append(Marker(
                    "overset", g.col_x(slot.col), g.line_y(last.top + last.lines) - g.pitch, g.col_w, g.pitch,
                    f"{job.name}: {left} characters overset"))

    # -- jumps between pages ---------------------------------------------------------------------
    def reserve_jumps(self, slots: list[Slot]) -> tuple[list[Slot], list[tuple[int, int]]]:
        """Where a story continues on another page, keep the last line before the break for
        '下转第X版' and the first line after it for '上接第X版'. Returns the slots and the
        (slot before, slot after) pairs."""
        jumps = []
        out = list(slots)
        for k in range(len(out) - 1):
            if out[k].page != out[k + 1].page:
                a, b = out[k], out[k + 1]
                out[k] = Slot(a.page, a.col, a.top, a.bottom - 1, a.segment)
                out[k + 1] = Slot(b.page, b.col, b.top + 1, b.bottom, b.segment)
                jumps.append((k, k + 1))
        return out, jumps

    def jump_lines(self, job: StoryJob, slots: list[Slot], flowed, jumps: list[tuple[int, int]]) -> None:
        if not jumps or "jump" not in self.styles.paragraph:
            return
        g = self.geo
        style = self.styles.para(job.roles.get("jump", "jump"))
        reached = {pl.slot for pl in flowed.placements}
        for before, after in jumps:
            if not any(s >= after for s in reached):
                continue  # the text ended before the break
            a, b = slots[before], slots[after]
            for slot, line, text, align in ((a, a.bottom, f"（下转{self.page_label(b.page)}）", "right"),
                                            (b, b.top - 1, f"（上接{self.page_label(a.page)}）", "left")):
                for ln in self.set_text(text, style, g.col_w, "jump", align)[:1]:
                    self.doc.pages[slot.page - 1].items.append(
                        GlyphRun.of(ln, g.col_x(slot.col), g.line_y(line) + self.baseline(style, g.pitch), job.name, "jump"))


def headline_clashes(result: Result) -> list[tuple[str, str]]:
    """碰题: pairs of stories whose headlines sit side by side (neighbouring columns, overlapping lines)."""
    heads = sorted(result.headlines.items())
    out = []
    for i, (na, (pa, a1, a2, at, ab)) in enumerate(heads):
        for nb, (pb, b1, b2, bt, bb) in heads[i + 1:]:
            if pa == pb and (a2 + 1 == b1 or b2 + 1 == a1) and at < bb and bt < ab:
                out.append((na, nb))
    return out
