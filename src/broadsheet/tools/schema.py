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
    percent = {"type": "number", "minimum": 0, "maximum": 100}
    cmyk = {"type": "array", "items": percent, "minItems": 4, "maxItems": 4}
    add(styles, "_color", lambda gen, s: {
        "anyOf": [
            {"enum": colours},
            cmyk,
            {"type": "object", "required": ["spot", "cmyk"], "additionalProperties": False,
             "properties": {"spot": {"type": "string", "description": "the ink's name, e.g. PANTONE 485 C"},
                            "cmyk": {**cmyk, "description": "its CMYK alternate (what a four-colour press prints)"},
                            "tint": {**percent, "description": "percent of the ink (default 100)"}},
             "description": "a spot colour: a Separation with a CMYK alternate (PDF/X output; plain PDF prints the alternate)"},
        ],
        "description": "CMYK percentages [c, m, y, k] (black is [0, 0, 0, 100]), a name (" + ", ".join(colours)
                       + "), or a spot colour {spot, cmyk, tint}",
    })
    add(styles, "_leading", lambda gen, s: {
        "anyOf": [
            {"type": "number", "exclusiveMinimum": 0, "description": "a multiple of the font size"},
            {"type": "string", "pattern": length_pattern(("pt", "mm", "Q", "级", "行"))},
        ],
        "description": "leading: pt, mm, 行 (body lines), or a number = a multiple of the font size",
    })
    sizes = list(getattr(spec, "PAGE_SIZES", {}))
    sizes += [n.replace("对", "對").replace("开", "開") for n in sizes if "开" in n]  # 四開, 對開
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

    def function_plain_schema(self, schema):
        make = self.known.get(schema.get("function", {}).get("function"))
        return make(self, schema) if make is not None else super().function_plain_schema(schema)

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
    ("SpecModel", "jumps"): "the words of the jump lines where a story goes on on another page (转版): continued_to, continued_from",
    ("Jumps", "continued_to"): "the line at the foot of the last column before the break, naming the page as {page}: default （下转{page}）",
    ("Jumps", "continued_from"): "the line at the head of the first column after the break: default （上接{page}）",
    ("SpecModel", "stories"): "the stories: file, frame, headline, images, styles",
    ("SpecModel", "output"): "how the PDF goes to press: pdfx (x1a, x4, none), bleed, marks, profile, condition, intent, ink_limit, date",
    ("OutputSpec", "pdfx"): "the output standard: x1a (PDF/X-1a:2001: PDF 1.3, CMYK and spot colours only, no transparency), "
                            "x4 (PDF/X-4: PDF 1.6, XMP identification) or none (a plain PDF); build --pdfx overrides it",
    ("OutputSpec", "bleed"): "how far tint boxes and photos that touch the trim edge print beyond it (the BleedBox); default 0 (newspapers)",
    ("OutputSpec", "marks"): "printer's marks in a slug outside the bleed: crop, registration, colorbar (process inks, black tints, "
                             "the spot inks used), info (file, page, standard, condition, date)",
    ("OutputSpec", "profile"): "the print plant's CMYK output profile (an ICC file, relative to the spec): embedded in the "
                               "OutputIntent, and the profile photos are converted to; default: the bundled newsprint profile "
                               "(profiles/newsprint.icc, CGATS TR 002)",
    ("OutputSpec", "condition"): "the OutputConditionIdentifier: the registered name of the print condition, e.g. "
                                 "ISOnewspaper26v4 or CGATS TR 002; default: CGATS TR 002 for the bundled profile, else Custom",
    ("OutputSpec", "condition_info"): "a readable description of the print condition (the OutputIntent's Info); default: "
                                      "the profile's description",
    ("OutputSpec", "registry"): "where the condition is registered (RegistryName), e.g. http://www.color.org",
    ("OutputSpec", "intent"): "the rendering intent of photo conversion to the profile: perceptual (default), relative, "
                              "saturation or absolute",
    ("OutputSpec", "ink_limit"): "the total area coverage limit, C+M+Y+K (default 240%, newsprint's usual figure): applied to "
                                 "converted photos, checked for every colour by check",
    ("OutputSpec", "date"): "the creation and modification date written to the PDF (ISO 8601, e.g. 2020-07-21T05:00:00+08:00); "
                            "default: $SOURCE_DATE_EPOCH, else 2000-01-01: never the clock, so rebuilds are identical",
    ("OutputSpec", "trapped"): "whether the file has been trapped (Info and XMP Trapped); default false",
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
    ("BoxSpec", "weight"): "the box's rule weight, e.g. 0.75pt",
    ("BoxSpec", "inset"): "how far the box stands outside the text (in the gutters and margins), e.g. 0.5字",
    ("BoxSpec", "color"): "the box's rule colour",
    ("BoxSpec", "tint"): "a colour behind the story's text inside the box (none by default)",
    ("Header", "paper"): "the paper's name, at the left",
    ("Header", "date"): "the date and weekday, after the paper's name",
    ("Header", "section"): "the section (版名), centred",
    ("Header", "page"): "the printed page: a number (第5版, counting on for later pages) or a label such as A1",
    ("Header", "editor"): "the editors' credits, at the right",
    ("PageEntry", "section"): "this page's section, instead of the header's",
    ("PageEntry", "page"): "this page's printed number or label (A2); jump lines name it",
    ("PageEntry", "editor"): "this page's editors, instead of the header's",
    ("HeadlineSpec", "columns"): "the headline's page columns; default: the first segment's (narrower sets it beside the text)",
    ("HeadlineSpec", "align"): "left, center or right",
    ("HeadlineSpec", "vertical"): "true: 竖排, the title set top to bottom down the headline columns",
    ("ImageSlot", "page"): "page number (from 1)",
    ("ImageSlot", "caption"): "the caption under the photo, instead of the figure's",
    ("ImageSlot", "credit"): "the photo credit under the caption, instead of the figure's",
    ("ImageSlot", "fit"): "fill: cover the slot, cropping around the focal point; fit: show the whole picture",
    ("ImageSlot", "focal"): "[x, y] from 0 to 1: the point of the picture kept in view when cropping",
    ("CharProps", "size"): "font size of the run: pt or a 号",
    ("CharProps", "color"): "text colour of the run",
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
    from broadsheet.input.sheets import SheetModel

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
