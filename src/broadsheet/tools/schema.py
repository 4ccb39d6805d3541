"""JSON Schemas of the layout spec and the style sheets (`broadsheet schema`), for editors: with
`# yaml-language-server: $schema=../schema/layout.schema.json` as a YAML file's first line, VS Code
(the YAML extension) and other editors complete keys and check values as the user types.

The schemas come from the pydantic models (spec.SpecModel, styles.SheetModel). Their custom field
types say what they accept through JSON-schema annotations (model.py); the few validators of
spec.py and styles.py that reshape their input are described here, recognised by function:
colours, leading, page sizes, margins, and "one or a list" values.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema

from broadsheet.units import ABSOLUTE, Length

DRAFT = "https://json-schema.org/draft/2020-12/schema"
FILES = {"layout": "layout.schema.json", "styles": "styles.schema.json"}


def _length_any() -> dict[str, Any]:
    from broadsheet.input.fields import length_schema
    from broadsheet.units import RELATIVE

    return length_schema((*ABSOLUTE, *RELATIVE), "20mm, 2字, 3行")


def _described(schema: dict[str, Any], text: str) -> dict[str, Any]:
    return {**schema, "description": text}


def _known_validators() -> dict[Callable, Callable[["Generator", dict], dict]]:
    """Validator functions of spec.py and styles.py -> the JSON Schema of what they accept."""
    from broadsheet.input import spec
    from broadsheet.input import styles
    from broadsheet.input.fields import ABS_SCHEMA, length_pattern

    known: dict[Callable, Callable[[Generator, dict], dict]] = {}

    def add(module: Any, name: str, make: Callable[[Generator, dict], dict]) -> None:
        fn = getattr(module, name, None)
        if fn is not None:
            known[fn] = make

    colours = [n for n in getattr(styles, "NAMED_COLORS", {})]
    add(styles, "_color", lambda gen, s: {
        "anyOf": [
            {"enum": colours},
            {"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 100}, "minItems": 4, "maxItems": 4},
        ],
        "description": "CMYK percentages [c, m, y, k] (black is [0, 0, 0, 100]) or a name: " + ", ".join(colours),
    })
    add(styles, "_leading", lambda gen, s: {
        "anyOf": [
            {"type": "number", "exclusiveMinimum": 0, "description": "a multiple of the font size"},
            {"type": "string", "pattern": length_pattern(("pt", "mm", "Q", "级", "行"))},
        ],
        "description": "leading: pt, mm, 行 (body lines), or a number = a multiple of the font size",
    })
    sizes = list(getattr(spec, "PAGE_SIZES", {}))
    add(spec, "_page_size", lambda gen, s: {
        "anyOf": [
            {"enum": sizes},
            {"type": "array", "minItems": 2, "maxItems": 2,
             "items": {"type": "string", "pattern": length_pattern(("mm", "pt", "cm", "in"))}},
        ],
        "description": f"a named size ({', '.join(sizes)}) or [width, height] such as [390mm, 540mm]",
    })
    add(spec, "_margins", lambda gen, s: {
        "anyOf": [_described(ABS_SCHEMA, "one length for all four margins"), gen.generate_inner(s["schema"])],
    })
    return known


def _one_or_list(fn: Callable) -> bool:
    """A validator that wraps a single value into a list ("a style sheet or a list of them")."""
    for probe in ("x", {}):
        try:
            if fn(probe) == [probe]:
                return True
        except Exception:
            pass
    return False


class Generator(GenerateJsonSchema):
    """pydantic's generator, taught the project's validators and its Length values."""

    known: dict[Callable, Callable[["Generator", dict], dict]] = {}

    def function_before_schema(self, schema):
        fn = schema.get("function", {}).get("function")
        make = self.known.get(fn)
        if make is not None:
            return make(self, schema)
        inner = super().function_before_schema(schema)
        if fn is not None and _one_or_list(fn) and inner.get("type") == "array" and "items" in inner:
            return {"anyOf": [inner["items"], inner]}
        return inner

    def dataclass_schema(self, schema):
        if schema.get("cls") is Length:  # a Length without its own annotation: any unit
            return _length_any()
        return super().dataclass_schema(schema)

    def encode_default(self, dft: Any) -> Any:
        if isinstance(dft, Length):
            return str(dft)
        if isinstance(dft, tuple):
            return [self.encode_default(v) for v in dft]
        return super().encode_default(dft)


#: Hover help for editors: (model name, field) -> description (the README's words).
DESCRIPTIONS = {
    ("SpecModel", "title"): "the page's title (PDF metadata)",
    ("SpecModel", "subject"): "the PDF's subject (metadata)",
    ("SpecModel", "author"): "the PDF's author (metadata); default: the header's paper",
    ("SpecModel", "page"): "trim size and margins",
    ("SpecModel", "grid"): "columns, gutter and the body line grid",
    ("SpecModel", "styles"): "a style sheet path (relative to the spec) or a list of them: later sheets override earlier ones",
    ("SpecModel", "style_overrides"): "{style name: {property: value}}: change any property of any paragraph style for this spec",
    ("SpecModel", "fonts"): "{role: family, font file or a list (a fallback chain)}: override the style sheets' font roles",
    ("SpecModel", "header"): "the page header (报眉): paper, date, section, page, editor",
    ("SpecModel", "footer"): "the page footer: paper, date, section, page, editor",
    ("SpecModel", "pages"): "an edition's pages: what each page's header says",
    ("SpecModel", "stories"): "the stories: file, frame, headline, images, styles",
    ("PageSpec", "margins"): "top, bottom, left, right lengths, or one length for all four",
    ("Grid", "columns"): "number of columns (1-24)",
    ("Grid", "gutter"): "space between columns (字 = one body character, mm, pt)",
    ("Grid", "line"): "the body line pitch (行), an absolute length such as 14pt",
    ("StorySpec", "story"): "the story's Markdown file, relative to the spec",
    ("StorySpec", "frame"): "a segment {columns, top, bottom, page} or a list of segments (text threads through them in order)",
    ("StorySpec", "headline"): "columns and alignment of the headline block",
    ("StorySpec", "images"): "photo slots: figure, file, columns, top, lines, caption, credit",
    ("StorySpec", "styles"): "{story element: paragraph style}: flag, kicker, title, deck, byline, body, subhead, caption, credit, sign",
    ("StorySpec", "box"): "true (or box settings) for a ruled box around the story",
    ("StorySpec", "rules"): "rules along the frame's edges: any of top, bottom, left, right",
    ("StorySpec", "rule_weight"): "the weight of the edge and column rules, e.g. 0.5pt",
    ("StorySpec", "column_rules"): "true: 栏线 in the gutters between the story's columns, wherever both hold text",
    ("StorySpec", "balance"): "true: the columns where the text ends end on the same line (the last ones at most one line higher)",
    ("StorySpec", "reading"): "reading order of the frame: auto (an L's long columns to their foot, never over another story), segments, or columns",
    ("StorySpec", "grid"): "false: subheads and what follows them leave the body line grid (exact heights instead of whole lines)",
    ("Segment", "top"): "first line (from 0 at the top of the type area): a number of lines, 12行, or mm/pt",
    ("Segment", "bottom"): "line where the frame ends ('end' = the bottom of the type area)",
    ("Segment", "page"): "page number (from 1)",
    ("ImageSlot", "figure"): "the story's figure (1 = the first ![caption](file)): its file and caption",
    ("ImageSlot", "file"): "the image file (JPEG or PNG), instead of the figure's",
    ("ImageSlot", "top"): "'headline' (directly under the headline) or a line",
    ("ImageSlot", "lines"): "photo height in body lines; the caption goes below",
    ("SheetModel", "fonts"): "role -> font family, font file (a collection face: file.ttc#2 or file.ttc#name), or a list (a fallback chain)",
    ("SheetModel", "fallback"): "fonts tried after a style's own font",
    ("SheetModel", "paragraph"): "paragraph styles by name (body, title, subhead …)",
    ("SheetModel", "character"): "character styles by name (strong: **run-ins**)",
    ("ParaProps", "based_on"): "another paragraph style whose values this one inherits",
    ("ParaProps", "font"): "a font role (书宋, 标宋, 黑体, 楷体 …), a family name, or a font file (file.ttc#2: a collection face)",
    ("ParaProps", "indent"): "first-line indent, e.g. 2字",
    ("ParaProps", "align"): "justify, left, center or right",
    ("ParaProps", "space_before"): "space above the paragraph (行 or a length); dropped at the top of a column",
    ("ParaProps", "space_after"): "space below the paragraph (行 or a length)",
    ("ParaProps", "letter_spacing"): "extra space between characters (字)",
    ("ParaProps", "latin_gap"): "space between Chinese and Latin text (字)",
    ("ParaProps", "latin_font"): "font for Latin letters and digits",
    ("ParaProps", "hanging"): "hang line-end punctuation outside the measure",
    ("ParaProps", "compress_line_start"): "set an opening mark at the start of a line half width",
    ("ParaProps", "strictness"): "line-breaking rules (kinsoku): basic, strict or none",
    ("ParaProps", "full_width_punctuation"): "set ASCII , ; : ! ? ( ) next to Chinese text as full-width marks",
    ("CharProps", "based_on"): "another character style whose values this one inherits",
    ("CharProps", "font"): "a font role, a family name, or a font file (file.ttc#2: a collection face)",
}


def _describe(schema: dict[str, Any]) -> None:
    defs = dict(schema.get("$defs", {}))
    defs[schema.get("title", "")] = schema
    for (model, fieldname), text in DESCRIPTIONS.items():
        prop = defs.get(model, {}).get("properties", {}).get(fieldname)
        if prop is not None and "description" not in prop:
            prop["description"] = text


def model_schema(model: type[BaseModel], title: str) -> dict[str, Any]:
    gen = type("ProjectGenerator", (Generator,), {"known": _known_validators()})
    schema = model.model_json_schema(schema_generator=gen)
    _describe(schema)
    return {"$schema": DRAFT, "title": title, **{k: v for k, v in schema.items() if k != "title"}}


def schemas() -> dict[str, dict[str, Any]]:
    """{'layout': the layout spec's schema, 'styles': the style sheets' schema}."""
    from broadsheet.input.spec import SpecModel
    from broadsheet.input.styles import SheetModel

    return {
        "layout": model_schema(SpecModel, "broadsheet layout spec"),
        "styles": model_schema(SheetModel, "broadsheet style sheet"),
    }


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    from broadsheet.cache import write_atomic

    written = []
    for name, schema in schemas().items():
        path = folder / FILES[name]
        text = dumps(schema).encode("utf-8")
        if not path.is_file() or path.read_bytes() != text:
            write_atomic(path, text)
        written.append(path)
    return written
