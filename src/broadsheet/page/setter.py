"""Setting text for the page: a paragraph style's text as composition pieces (fonts, size, colour,
strong runs, the Latin font, full-width punctuation), the composition setting the style asks for,
and where a line's baseline sits in its line box."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from broadsheet import cache
from broadsheet.fonts.faces import FontChain
from broadsheet.input.styles import ParaStyle, Styles
from broadsheet.page.compositions import Compositions
from broadsheet.page.grid import Geometry
from broadsheet.text.chars import is_word_char
from broadsheet.text.compose import Line, Piece, Setting
from broadsheet.text.punctuation import converted_index, full_width_punctuation
from broadsheet.text.quality import Quality
from broadsheet.text.words import word_boundaries, writer_breaks

#: Story elements set with lines of near-equal length (none of one or two characters), breaking
#: only between words.
EVEN_LINES = {"kicker", "title", "deck", "subhead", "table_head"}
_WHITESPACE = str.maketrans("\n\r\t\v\f", "     ")


def script_runs(text: str) -> list[tuple[str, bool]]:
    """Split text into runs of Latin letters/digits (with the spaces and marks inside them) and the rest."""
    runs: list[tuple[str, bool]] = []
    for ch in text:
        latin = is_word_char(ch) or (ch.isascii() and not ch.isspace() and bool(runs) and runs[-1][1])
        if runs and runs[-1][1] == latin:
            runs[-1] = (runs[-1][0] + ch, latin)
        else:
            runs.append((ch, latin))
    return runs


def _parts(spans: list[tuple[str, bool]]) -> list[tuple[int, list[tuple[str, bool]]]]:
    """The (text, strong) spans between the line breaks in them, with where each part starts in the
    whole text; parts of nothing but spaces are left out."""
    parts: list[tuple[int, list[tuple[str, bool]]]] = [(0, [])]
    pos = 0
    for text, strong in spans:
        pieces = text.split("\n")
        for k, piece in enumerate(pieces):
            if k:
                pos += 1
                parts.append((pos, []))
            if piece:
                parts[-1][1].append((piece, strong))
            pos += len(piece)
    return [(at, part) for at, part in parts if any(t.strip() for t, _ in part)]


@dataclass
class Setter:
    styles: Styles
    chains: dict[str, FontChain]
    geo: Geometry
    compositions: Compositions  # every paragraph is composed through the composition cache
    _fingerprints: dict[str, tuple[ParaStyle, str]] = field(default_factory=dict, repr=False)

    def chain(self, style: ParaStyle) -> FontChain:
        return self.chains[style.font]

    def pieces(self, spans: list[tuple[str, bool]], style: ParaStyle, quality: Quality | None = None) -> list[Piece]:
        """The composition pieces of (text, strong) spans; full-width conversions are counted in
        `quality` when given."""
        # (a line break the writer typed has ended a line before this: `compose`)
        text = "".join(t for t, _ in spans).translate(_WHITESPACE)
        changes = []
        if style.full_width_punctuation:
            text, changes = full_width_punctuation(text)
            if quality is not None:
                quality.converted(changes)
        strong = self.styles.character.get("strong")
        latin = self.chains[style.latin_font] if style.latin_font else None
        out, pos, end = [], 0, 0
        for t, is_strong in spans:
            end += len(t)
            stop = converted_index(changes, end)  # … becomes ……: the spans' ends move
            part = text[pos:stop]
            pos = stop
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
            for run, is_latin in script_runs(part):
                out.append(Piece(run, latin if is_latin else chain, size, color))
        return out

    def setting(self, style: ParaStyle, measure: float, role: str, align: str | None = None) -> Setting:
        return Setting(
            measure=measure,
            indent=style.indent.pt(em=style.size),
            align=align or style.align,
            letter_spacing=style.letter_spacing.pt(em=style.size),
            latin_gap=style.latin_gap.pt(em=style.size) / style.size,
            even_lines=role in EVEN_LINES,
            hanging=style.hanging,
            start_compress=style.compress_line_start,
            strictness=style.strictness,
            punctuation=style.punctuation,
        )

    def compose(self, spans: list[tuple[str, bool]], style: ParaStyle, measure: float, role: str,
                align: str | None = None, quality: Quality | None = None, indent: bool = True) -> list[Line]:
        """The composed lines, through the composition cache: what is asked for (the style's values
        with its fonts' faces, the spans, measure, role and alignment) finds a paragraph set before
        without making its pieces again. A headline of more than one line breaks between words.

        A line break the writer typed (a Markdown hard break in a paragraph, a YAML `|` block in a
        headline) ends a line: the parts between are composed one by one, each line before a break
        set as a paragraph's last (not spread), and only the first part indented; the lines'
        character offsets stay those of the whole text."""
        if any("\n" in t for t, _ in spans):
            lines: list[Line] = []
            for offset, part in _parts(spans):
                for line in self.compose(part, style, measure, role, align, quality, indent=not offset):
                    lines.append(replace(line, start=line.start + offset, end=line.end + offset))
            return lines
        request = (self._fingerprint(style), tuple(spans), measure, role, align, indent)
        found = self.compositions.recall(request)
        if found is None:
            counted = Quality()
            pieces = self.pieces(spans, style, counted)
            setting = self.setting(style, measure, role, align)
            if not indent:
                setting = replace(setting, indent=0.0)
            text = "".join(p.text for p in pieces)
            if role in EVEN_LINES and len(text) * style.size > measure:
                setting = replace(setting, words=word_boundaries(text), preferred=writer_breaks(text))
            counts = tuple(sorted(counted.conversions.items()))
            found = self.compositions.lines(pieces, setting, request, counts), counts
        if quality is not None:
            for kind, n in found[1]:
                quality.full_width += n
                quality.conversions[kind] = quality.conversions.get(kind, 0) + n
        return found[0]

    def _fingerprint(self, style: ParaStyle) -> str:
        """Everything of a style that its pieces and setting read — its fields, its font chains'
        faces and the strong character style's — as a digest, made once per style: every
        paragraph's request holds it, and the cache keys a request by its repr."""
        known = self._fingerprints.get(style.name)
        if known is None or known[0] is not style:
            strong = self.styles.character.get("strong")
            values = tuple(v for k, v in vars(style).items() if k != "origins")
            known = style, cache.digest(repr((values, self._face_keys(style.font), self._face_keys(style.latin_font),
                                              strong and (strong.font, self._face_keys(strong.font), strong.size,
                                                          strong.color))))
            self._fingerprints[style.name] = known
        return known[1]

    def _face_keys(self, font: str | None) -> tuple[str, ...] | None:
        return tuple(f.key for f in self.chains[font].faces) if font else None

    def set_text(self, text: str, style: ParaStyle, measure: float, role: str, align: str | None = None,
                 quality: Quality | None = None) -> list[Line]:
        return self.compose([(text, False)], style, measure, role, align, quality)

    def baseline(self, style: ParaStyle, box_h: float) -> float:
        """Baseline offset from the top of a line box: the em box centred in it."""
        face = self.chain(style).faces[0]
        return (box_h - style.size) / 2 + style.size * face.ascent / (face.ascent + face.descent)

    def lines_for(self, height: float, grid: bool = True) -> float:
        """A height in body lines: whole lines on the grid, exact off it."""
        return self.geo.lines_for(height) if grid else height / self.geo.pitch
