"""Every character of a story must be in a font of its style's chain: the composer has no tofu to
fall back on. Apart from the spec's loading (no YAML, no pydantic), so that a project whose only
change is a story's text checks that story again without validating the spec (input/project.py)."""

from __future__ import annotations

from typing import Callable

from broadsheet.diagnostics import Collector, Pos
from broadsheet.fonts.faces import FontChain
from broadsheet.input.jobs import StoryJob
from broadsheet.input.styles import Styles
from broadsheet.text.punctuation import full_width_punctuation, source_index


def check_story_glyphs(job: StoryJob, styles: Styles, chains: dict[str, FontChain], out: Collector) -> None:
    """Every character must be in a font of its style's chain: an error naming it, never tofu —
    one per character and style, at its first place, with how many more there are. One that a
    fallback of another weight or slant sets is a warning (once per font and character): a regular
    character in a bold title is a flaw a reader sees."""
    strong = styles.character.get("strong")
    story = job.story
    missing: dict[tuple[str, str], list[Pos]] = {}
    chain_of: dict[str, FontChain] = {}
    warned: set[tuple[str, str]] = set()

    items: list[tuple[str, list, str, str, FontChain, Callable[[int], Pos]]] = []

    def take(text: str, role: str, where: Callable[[int], Pos], is_strong: bool = False) -> None:
        style = styles.paragraph.get(job.roles[role])
        if style is None:
            return
        font = strong.font if (is_strong and strong and strong.font) else style.font
        chain = chains.get(font)
        if chain is None:
            return
        changes: list = []
        if style.full_width_punctuation:  # the characters layout sets, converted as layout converts them
            text, changes = full_width_punctuation(text)
        items.append((text, changes, style.name, font, chain, where))

    for h in story.head:
        take(h.text, h.role, lambda i, h=h: Pos(story.file, h.line, h.col + i))
    for b in story.text_blocks():
        role = b.role
        offset = 0
        for span in b.spans:
            take(span.text, role, lambda i, base=offset, blk=b: Pos(story.file, *blk.place_of(base + i)), span.strong)
            offset += len(span.text)
        if b.credit:
            take(b.credit, "credit", lambda i, blk=b: Pos(story.file, blk.line))
    # each font's text at once first: a story is hundreds of spans, and nearly always every font has
    # every character; only a font with a problem is looked at span by span, for the places
    joined: dict[str, list[str]] = {}
    for text, _, _, font, _, _ in items:
        joined.setdefault(font, []).append(text)
    trouble = {font for font, texts in joined.items()
               if chains[font].missing(t := "".join(texts)) or chains[font].off_style(t)}
    for text, changes, name, font, chain, where in items:
        if font not in trouble:
            continue
        for idx in chain.missing(text):
            missing.setdefault((text[idx], name), []).append(where(source_index(changes, idx)))
            chain_of[name] = chain
        for idx in chain.off_style(text):
            ch = text[idx]
            if (font, ch) not in warned:  # the chain's font: a bold run-in is a chain of its own
                warned.add((font, ch))
                face, own = chain.lookup(ch)[0], chain.faces[0]  # type: ignore[index]
                out.warning(where(source_index(changes, idx)),
                            f"character '{ch}' (U+{ord(ch):04X}) in story '{story.name}' is set in the fallback font "
                            f"{face.postscript} ({face.style}): style '{name}' uses {own.postscript} ({own.style}), "
                            f"which lacks it; add a {own.style} font that has it to the style's fonts", "glyph")

    for (ch, style), places in missing.items():
        more = places[1:]
        also = f"; {len(more)} more in this story (line{'s' if len(more) > 1 else ''} " + ", ".join(
            str(p.line) for p in more[:5]) + (" …" if len(more) > 5 else "") + ")" if more else ""
        out.error(places[0], f"character '{ch}' (U+{ord(ch):04X}) in story '{story.name}' is in no font of style "
                  f"'{style}' ({chain_of[style].names or 'no fonts'}){also}; add a font that has it to the style's "
                  "fonts or fallback", "glyph")
