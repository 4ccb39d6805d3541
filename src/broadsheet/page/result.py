"""What page layout produces: the document (the display list) and, per story, one report."""

from __future__ import annotations

from dataclasses import dataclass, field

from broadsheet.diagnostics import Diagnostic
from broadsheet.display import Document
from broadsheet.input.jobs import Segment
from broadsheet.text.quality import Quality


@dataclass
class StoryReport:
    """How one story came out: its composition quality and copyfit, what did not fit, and where
    its headline stands (for 碰题)."""

    quality: Quality = field(default_factory=Quality)
    overset_chars: int = 0  # characters that did not fit the frame
    overset_lines: float = 0.0  # body lines they need
    headline: Segment | None = None  # the headline block: page, columns, lines (a flag alone is none)

    @property
    def overset(self) -> bool:
        return self.overset_chars > 0


@dataclass
class Result:
    document: Document
    stories: dict[str, StoryReport] = field(default_factory=dict)  # by story name, in spec order
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def report(self, story: str) -> StoryReport:
        return self.stories.setdefault(story, StoryReport())
