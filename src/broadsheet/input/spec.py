"""The layout spec: page, grid, style sheets, page header and the stories' frames, headlines and
image slots. Loaded from YAML and validated in full before anything is drawn."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationError, WithJsonSchema

from broadsheet.diagnostics import Collector, InputError
from broadsheet.input.fields import AbsLength, Columns, HLength, PositiveLength, VLength
from broadsheet.input.models import Strict, diagnostics_from
from broadsheet.input.root import find_root, outside
from broadsheet.input.styles import Color
from broadsheet.units import Length, parse_length, simplified
from broadsheet.input.yamlsrc import Source, load_yaml

#: Named trim sizes in mm (portrait).
PAGE_SIZES: dict[str, tuple[float, float]] = {
    "对开": (390, 540), "四开": (270, 390), "八开": (195, 270),
    "A2": (420, 594), "A3": (297, 420), "A4": (210, 297), "B4": (257, 364),
}


#: The largest page a PDF may have (ISO 32000: 14,400 units of 1/72 in, 5.08 m), and the smallest
#: that holds a column of text.
MAX_PAGE_PT = 14_400.0
MIN_PAGE_PT = 72.0
#: Pages an edition may have: a thick Sunday paper has 100; a typo such as `page: 100000` must
#: not start a build that fills the memory.
MAX_PAGES = 200
#: Stories of an edition, and segments or photos of one story: the checks compare every pair, so
#: the counts are bounded (200 pages of 10 stories; a story over 5 pages of 20 segments).
MAX_STORIES = 2000
MAX_ITEMS = 100


def _page_size(value: Any) -> tuple[Length, Length]:
    if isinstance(value, str) and simplified(value.strip()) in PAGE_SIZES:
        w, h = PAGE_SIZES[simplified(value.strip())]
        return Length(w, "mm"), Length(h, "mm")
    if isinstance(value, (list, tuple)) and len(value) == 2:
        size = tuple(parse_length(v, None, ("mm", "pt", "cm", "in")) for v in value)
        for side in size:
            if not MIN_PAGE_PT - 1e-6 <= side.pt() <= MAX_PAGE_PT + 1e-6:  # 5080mm is 14400pt, give or take a bit
                raise ValueError(f"a page side of {side} is outside the range 1in to 200in (25.4mm to 5080mm)")
        return size  # type: ignore[return-value]
    raise ValueError(f"page size must be one of {', '.join(PAGE_SIZES)} or [width, height] such as [390mm, 540mm]; got {value!r}")


def _margins(value: Any) -> Any:
    if isinstance(value, (str, int, float)):
        return {"top": value, "bottom": value, "left": value, "right": value}
    return value


class Margins(Strict):
    top: AbsLength
    bottom: AbsLength
    left: AbsLength
    right: AbsLength


class PageSpec(Strict):
    size: Annotated[tuple[Length, Length], BeforeValidator(_page_size)]
    margins: Annotated[Margins, BeforeValidator(_margins)]


class Grid(Strict):
    columns: int = Field(ge=1, le=24)
    gutter: HLength
    line: PositiveLength | None = None  # body line pitch; default: the body style's leading


#: A printed page number (版).
PageNumber = Annotated[int, Field(ge=0, le=9999)]


class Header(Strict):
    paper: str | None = None
    date: str | None = None
    section: str | None = None
    page: PageNumber | str | None = None
    editor: str | None = None


class PageEntry(Strict):
    """One page of an edition: what its header says (the rest comes from the shared template)."""

    section: str | None = None
    page: PageNumber | str | None = None  # the printed page number (版)
    editor: str | None = None


def _jump_words(value: Any) -> str:
    """A jump line's words, naming the page as {page}: （下转{page}）."""
    if not isinstance(value, str):
        raise ValueError(f"expected text naming the page as {{page}}, such as （下转{{page}}）; got {value!r}")
    rest = value.replace("{page}", "", 1)
    if "{page}" not in value or "{" in rest or "}" in rest:
        raise ValueError(f"a jump line names its page once, as {{page}} (and has no other braces), "
                         f"such as （下转{{page}}）; got {value!r}")
    return value


JumpWords = Annotated[str, BeforeValidator(_jump_words),
                      WithJsonSchema({"type": "string", "pattern": r"^[^{}]*\{page\}[^{}]*$"})]


class Jumps(Strict):
    """The words of the jump lines where a story goes on on another page (the page as its label, 第6版)."""

    continued_to: JumpWords = "（下转{page}）"  # at the foot of the last column before the break
    continued_from: JumpWords = "（上接{page}）"  # at the head of the first column after it


class Segment(Strict):
    columns: Columns
    top: VLength = Length(0, "行")
    bottom: VLength | Literal["end"] = "end"
    page: int = Field(default=1, ge=1, le=MAX_PAGES)


class HeadlineSpec(Strict):
    columns: Columns | None = None  # page columns; default: the first segment's columns
    align: Literal["left", "center", "right"] = "center"
    vertical: bool = False  # 竖排 title: one character per line (for a narrow title beside the text)


class ImageSlot(Strict):
    figure: int | None = Field(default=None, ge=1)  # the story's figure (1 = first) for file and caption
    file: str | None = None
    columns: Columns
    top: VLength | Literal["headline"] = "headline"  # a line, or directly under the story's headline
    lines: int = Field(ge=1, le=10_000)  # photo height in body lines; the caption comes below it
    page: int = Field(default=1, ge=1, le=MAX_PAGES)
    caption: str | None = None
    credit: str | None = None
    fit: Literal["fill", "fit"] = "fill"  # fill the slot (cropping) or fit the whole picture in it
    focal: tuple[Annotated[float, Field(ge=0, le=1)], Annotated[float, Field(ge=0, le=1)]] = (0.5, 0.5)  # the point of the picture to keep in view when cropping (0–1)


class BoxSpec(Strict):
    weight: AbsLength = Length(0.75, "pt")
    inset: HLength = Length(0.5, "字")
    color: Color = (0.0, 0.0, 0.0, 100.0)
    tint: Color | None = None  # background colour inside the box


def _box(value: Any) -> Any:
    """box: true (a default box), false, or a mapping of box settings."""
    if value is True:
        return {}
    if value is False or value is None:
        return None
    if isinstance(value, dict):
        return value
    raise ValueError(f"box must be true, false or a mapping (weight, inset, color, tint); got {value!r}")


class StorySpec(Strict):
    story: str
    frame: Annotated[list[Segment], BeforeValidator(lambda v: [v] if isinstance(v, dict) else v),
                     Field(min_length=1, max_length=MAX_ITEMS)]
    headline: HeadlineSpec = HeadlineSpec()
    images: list[ImageSlot] = Field(default=[], max_length=MAX_ITEMS)
    styles: dict[str, str] = {}  # story element (body, title, subhead …) -> paragraph style
    box: Annotated[BoxSpec | None, BeforeValidator(_box)] = None
    rules: list[Literal["top", "bottom", "left", "right"]] = []  # rules along the frame's edges
    rule_weight: AbsLength = Length(0.5, "pt")
    column_rules: bool = False  # 栏线 between the story's columns
    balance: bool = False  # end the last columns on the same line
    reading: Literal["auto", "segments", "columns"] = "auto"  # the frame's reading order (README: stories[].reading)
    grid: bool = True  # subheads and what follows them keep to the body line grid


def _percent(value: Any) -> float:
    """A percentage: 240, '240%' or '240 %'."""
    if isinstance(value, str) and value.strip().endswith("%"):
        value = value.strip()[:-1].strip()
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"expected a percentage such as 240%; got {value!r}") from None
    if isinstance(value, bool) or not 0 < number <= 400:
        raise ValueError(f"a total ink limit is between 0% and 400% (four inks); got {value!r}")
    return number


def _date(value: Any) -> datetime:
    """An ISO 8601 date or date-time (YAML reads 2020-07-21 as a date); UTC when no zone is given."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"expected an ISO 8601 date or date-time such as 2020-07-21 or 2020-07-21T06:00:00+08:00; "
                             f"got {value!r}") from None
    else:
        raise ValueError(f"expected a date such as 2020-07-21; got {value!r}")
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


Percent = Annotated[float, BeforeValidator(_percent),
                    WithJsonSchema({"anyOf": [{"type": "number", "exclusiveMinimum": 0, "maximum": 400},
                                              {"type": "string", "pattern": r"^\s*\d+(?:\.\d+)?\s*%\s*$"}]})]
Moment = Annotated[datetime, BeforeValidator(_date),
                   WithJsonSchema({"type": "string", "description": "an ISO 8601 date or date-time"})]
Mark = Literal["crop", "registration", "colorbar", "info"]


class OutputSpec(Strict):
    """How the PDF goes to press: the PDF/X standard, bleed, printer's marks and colour management."""

    pdfx: Literal["x1a", "x4", "none"] = "none"
    bleed: AbsLength = Length(0, "mm")
    marks: list[Mark] = []
    profile: str | None = None  # the CMYK output profile (ICC); default: the bundled newsprint profile
    condition: str | None = None  # OutputConditionIdentifier; default: the profile's registered condition
    condition_info: str | None = None  # a readable description of the condition (the OutputIntent's /Info)
    registry: str | None = None  # where the condition is registered (http://www.color.org)
    intent: Literal["perceptual", "relative", "saturation", "absolute"] = "perceptual"
    ink_limit: Percent = 240.0
    date: Moment | None = None  # creation and modification date; default: SOURCE_DATE_EPOCH
    trapped: bool = False


class SpecModel(Strict):
    title: str
    subject: str = ""
    author: str | None = None  # PDF Author; default: the paper named in the header
    page: PageSpec
    grid: Grid
    styles: Annotated[list[str], BeforeValidator(lambda v: [v] if isinstance(v, str) else v)]
    style_overrides: dict[str, dict[str, Any]] = {}
    fonts: dict[str, str | list[str]] = {}
    header: Header | None = None
    footer: Header | None = None
    pages: list[PageEntry] = Field(default=[], max_length=MAX_PAGES)  # an edition's pages (default: as many as the frames use)
    jumps: Jumps = Jumps()
    stories: list[StorySpec] = Field(min_length=1, max_length=MAX_STORIES)
    output: OutputSpec = OutputSpec()


class Spec:
    """A spec with its source (for positioned errors later) and its folder; `model` is None when
    the spec did not validate (its errors are in the collector; its raw data is still read so that
    style sheets and stories can be checked in the same run)."""

    def __init__(self, model: SpecModel | None, src: Source, path: Path, root: Path | None = None):
        self.model = model
        self.src = src
        self.path = path
        self.dir = path.parent
        self.root = root if root is not None else find_root(path)  # see input/root.py

    def resolve(self, rel: str) -> Path:
        from broadsheet.input.references import resolve

        return resolve(self.dir, rel)

    def outside(self, path: Path, allowed: tuple[Path, ...] = ()) -> str | None:
        """Why the build may not read `path` (outside the project root), or None."""
        return outside(path, self.root, allowed)

    def display(self, p: Path) -> str:
        """A path as the user would write it: relative to the working directory when possible."""
        try:
            return str(p.relative_to(Path.cwd()))
        except ValueError:
            return str(p)


def load_spec(path: Path, out: Collector, root: Path | None = None) -> Spec:
    """Read and validate a spec; validation errors go to `out` (unreadable or non-YAML files raise).
    `root` is the project root (default: found from the spec, see input/root.py)."""
    src = load_yaml(path, str(path))
    if not isinstance(src.data, dict):
        raise InputError([src.diag((), "a layout spec must be a mapping of keys (title, page, grid, styles, stories)")])
    try:
        model: SpecModel | None = SpecModel.model_validate(src.data)
    except ValidationError as exc:
        out.extend(diagnostics_from(exc, src, SpecModel))
        model = None
    return Spec(model, src, path, root)
