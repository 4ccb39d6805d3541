"""`broadsheet fonts`: the fonts broadsheet can find (bundled `fonts/` and the system font folders,
through fonts.FontFinder), the roles a spec's style sheets give them, their licence flags, and how
much of a text each one covers (its distinct characters, and which are missing)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from broadsheet.fonts.faces import BUNDLED, COLLECTION_SUFFIXES, SYSTEM_DIRS, Face, FontError, FontFinder


@dataclass
class FontRow:
    name: str  # PostScript name
    family: str
    file: str  # a collection's face as a style names it: `file.ttc#2`
    source: str  # bundled, system, file (named by path in a style sheet or spec)
    roles: list[str] = field(default_factory=list)
    embeddable: bool = True
    covered: int | None = None  # distinct characters of the text the font has
    total: int | None = None
    missing: str = ""  # the characters it lacks, in text order


def text_of_story(path: Path) -> str:
    """All the text a story file sets (head, paragraphs, captions, credits); the raw file if it
    does not parse."""
    from broadsheet.diagnostics import InputError
    from broadsheet.input.story import load_story
    from broadsheet.input.files import MAX_FILE_BYTES

    try:
        story = load_story(path)
    except InputError:
        with open(path, "rb") as f:  # bounded: the file may be huge, or /dev/zero
            return f.read(MAX_FILE_BYTES).decode("utf-8", errors="replace")
    parts = [h.text for h in story.head]
    for b in story.text_blocks():
        parts += [s.text for s in b.spans]
        if b.credit:
            parts.append(b.credit)
    return "\n".join(parts)


def text_of_spec(spec: Path) -> str | None:
    """The text of all the stories a spec names (best effort: unreadable ones are skipped)."""
    from broadsheet.diagnostics import InputError
    from broadsheet.input.references import references
    from broadsheet.input.yamlsrc import load_yaml

    try:
        data = load_yaml(spec).data
    except InputError:
        return None
    from broadsheet.input.files import is_file
    from broadsheet.input.root import find_root, outside

    root = find_root(spec)  # a spec reads nothing outside its project
    parts = [text_of_story(ref.path) for ref in references(data, spec.parent).stories
             if ref and not outside(ref.path, root) and is_file(ref.path)]
    return "\n".join(parts) if parts else None


def distinct(text: str) -> str:
    """The distinct characters of a text in order of first use, as set (ASCII punctuation in
    Chinese text set the Chinese way), whitespace aside."""
    from broadsheet.text.punctuation import full_width_punctuation

    text, _ = full_width_punctuation(text)
    seen: dict[str, None] = {}
    for ch in text:
        if not ch.isspace():
            seen.setdefault(ch, None)
    return "".join(seen)


def _source(face: Face) -> str:
    try:
        face.path.resolve().relative_to(BUNDLED)
        return "bundled"
    except ValueError:
        pass
    for d in SYSTEM_DIRS:
        try:
            face.path.resolve().relative_to(d.resolve())
            return "system"
        except (ValueError, OSError):
            continue
    return "file"


def _readable(finder: FontFinder, name: str, base: Path | None = None) -> Face | None:
    """The face, or None when it is not found or its file cannot be read (the listing goes on)."""
    try:
        return finder.find(name, base)
    except FontError:
        return None


def list_fonts(spec: Path | None = None, text: str | None = None, system: bool = True) -> tuple[list[FontRow], list]:
    """The fonts found (bundled first, then system), with their roles in `spec`'s style sheets and
    their coverage of `text`; and the diagnostics of loading the spec's styles."""
    faces: dict[tuple[str, int], Face] = {}
    # one finder per folder: a name found in two folders (the bundled Noto and the system's) is
    # listed from both
    finders = [FontFinder()] + ([FontFinder([d]) for d in SYSTEM_DIRS if d.is_dir()] if system else [])
    for finder in finders:
        for name in finder.known_names():
            face = _readable(finder, name)
            if face is not None:
                faces.setdefault((str(face.path), face.index), face)
    roles: dict[tuple[str, int], list[str]] = {}
    diagnostics: list = []
    if spec is not None:
        from broadsheet.tools.styles_report import load

        from broadsheet.diagnostics import Collector, Pos
        from broadsheet.input.load import resolve_font

        loaded = load(spec)
        found = Collector(list(loaded.diagnostics))
        base = loaded.spec.dir if loaded.spec is not None else spec.parent
        build_finder = FontFinder()  # as the build finds them: bundled first, system on a miss
        named = [(role, refs) for role, refs in loaded.styles.roles.items()]
        named += [(f"fallback {k}", [ref]) for k, ref in enumerate(loaded.styles.fallback, 1)]
        for role, refs in named:
            for k, ref in enumerate(refs):
                face = resolve_font(ref, Pos(str(spec)), base, build_finder, loaded.styles, found)
                if face is None:
                    continue  # reported as `build` reports it
                key = (str(face.path), face.index)
                faces.setdefault(key, face)
                label = role if k == 0 or role.startswith("fallback") else f"{role} (fallback {k})"
                roles.setdefault(key, []).append(label)
        diagnostics = list(dict.fromkeys(found.items))  # a reference listed under two roles: once
    chars = distinct(text) if text else None
    rows = []
    for key, face in faces.items():
        row = FontRow(face.postscript, face.family, _reference(face), _source(face), roles.get(key, []), face.embeddable)
        if chars is not None:
            missing = "".join(ch for ch in chars if ord(ch) not in face.cmap)
            row.covered, row.total, row.missing = len(chars) - len(missing), len(chars), missing
        rows.append(row)
    order = {"bundled": 0, "file": 1, "system": 2}
    rows.sort(key=lambda r: (not r.roles, order.get(r.source, 3), -(r.covered or 0), r.family, r.name))
    return rows, diagnostics


def _reference(face: Face) -> str:
    """The face's file as a style sheet names it, with the face's index in a collection."""
    shown = _display(face.path)
    return f"{shown}#{face.index}" if face.path.suffix.lower() in COLLECTION_SUFFIXES else shown


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def table(rows: list[FontRow], show_coverage: bool, max_missing: int = 24) -> str:
    head = ["family", "font", "source", "roles"] + (["coverage", "missing"] if show_coverage else []) + ["file"]
    body = []
    for r in rows:
        cells = [r.family, r.name + ("" if r.embeddable else " (no embedding)"), r.source, ", ".join(r.roles) or "-"]
        if show_coverage:
            cells.append(f"{r.covered}/{r.total}")
            more = len(r.missing) - max_missing
            cells.append(r.missing[:max_missing] + (f" … (+{more})" if more > 0 else "") if r.missing else "-")
        body.append(cells + [r.file])
    rows_all = [head] + body
    widths = [max(_cells(row[k]) for row in rows_all) for k in range(len(head) - 1)]
    lines = []
    for row in rows_all:
        parts = [row[k] + " " * (widths[k] - _cells(row[k])) for k in range(len(head) - 1)] + [row[-1]]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines) + "\n"


def _cells(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def to_json(rows: list[FontRow], text: str | None) -> str:
    data: dict[str, Any] = {"fonts": [asdict(r) for r in rows]}
    if text is not None:
        data["characters"] = len(distinct(text))
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
