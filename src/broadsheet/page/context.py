"""The context a story is laid out in: its job, the page furniture it draws on, its report, and its
frame's lines (all of them, and those still free for its text). Passed explicitly to each step."""

from __future__ import annotations

from dataclasses import dataclass, field

from broadsheet.diagnostics import Diagnostic
from broadsheet.display import Document, Page
from broadsheet.input.jobs import PageInfo, Segment, StoryJob
from broadsheet.input.styles import ParaStyle
from broadsheet.page.frame import FrameSpace
from broadsheet.page.grid import Geometry
from broadsheet.page.result import StoryReport
from broadsheet.page.setter import Setter


@dataclass
class StoryContext:
    job: StoryJob
    setter: Setter
    doc: Document
    pages: list[PageInfo]
    report: StoryReport
    diagnostics: list[Diagnostic]  # the layout's warnings (shared by all stories)
    frame: FrameSpace  # the story's lines before anything takes some
    free: FrameSpace  # the lines left for its text
    others: list[tuple[str, Segment]] = field(default_factory=list)  # the other stories' frames, by name

    @property
    def geo(self) -> Geometry:
        return self.setter.geo

    def style(self, role: str) -> ParaStyle:
        """The paragraph style of a story element (body, title, caption …)."""
        return self.setter.styles.para(self.job.roles[role])

    def page(self, number: int) -> Page:
        return self.doc.pages[number - 1]
