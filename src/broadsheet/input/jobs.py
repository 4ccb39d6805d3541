"""What the loaded project hands to page layout: per story its frame, headline, photos and styles
(validated and resolved to the grid), and per page what its running head and foot say. Plain data:
nothing of the raw spec travels further."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from broadsheet.diagnostics import Pos
from broadsheet.input.story import Story

CMYK = tuple[float, float, float, float]


class Segment(NamedTuple):
    """One rectangle of a story's frame, in grid units: columns c1..c2 (from 1), lines [top, bottom)."""

    page: int
    c1: int
    c2: int
    top: int
    bottom: int


@dataclass(frozen=True)
class BoxStyle:
    weight: float  # pt
    inset: float  # pt, outside the text
    color: CMYK
    tint: CMYK | None


@dataclass
class PhotoJob:
    """A photo slot: where the picture goes, with its caption and credit."""

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
    pixels: tuple[int, int] | None = None  # the picture's size, read when the loader checked it
    source: Pos | None = None  # the slot's place in the spec


@dataclass
class StoryJob:
    """Everything layout needs for one story, validated by the loader."""

    name: str
    story: Story
    segments: list[Segment]
    headline_cols: tuple[int, int]
    headline_align: str
    photos: list[PhotoJob]
    roles: dict[str, str]  # element -> paragraph style name
    box: BoxStyle | None = None
    rules: list[str] = field(default_factory=list)  # frame edges with a rule: top, bottom, left, right
    rule_weight: float = 0.5
    column_rules: bool = False
    balance_columns: bool = False  # end the last columns of the frame on the same line
    reading: str = "auto"  # the frame's reading order: auto, segments, columns (page.frame.reading_groups)
    grid: bool = True  # keep subheads and the text after them on the body line grid
    vertical_title: bool = False
    source: Pos = Pos("")  # the story's entry in the spec (for its warnings and the browser view)


@dataclass(frozen=True)
class Running:
    """What a running head or foot says: paper and date left, section centred, page and editor right."""

    paper: str | None
    date: str | None
    section: str | None
    page: str | None
    editor: str | None
    source: Pos | None = None  # the spec's header (or footer) entry


@dataclass(frozen=True)
class PageInfo:
    number: int  # the page of the spec, from 1
    label: str  # the printed page (版) as a jump line names it: 第5版, A2版
    jump_to: str  # the jump line that sends the reader on to this page: （下转第6版）
    jump_from: str  # the one that brings the reader back to it: （上接第5版）
    header: Running | None
    footer: Running | None
