"""Stories and their neighbours (page/neighbours.py): text running on from one story into the
next down a column (串文) is a warning, unless a rule, a box, a headline or a line parts them."""

from __future__ import annotations

import pytest

from conftest import GRID_SPEC, filler

UPPER = "  - story: story.md\n    frame: {columns: 1-2, top: 0, bottom: 20}\n"


def lower(extra: str = "", top: int = 20) -> str:
    return f"  - story: b.md\n    frame: {{columns: 1-3, top: {top}, bottom: end}}\n{extra}"


def run_on_warnings(mini, upper: str, lower_entry: str, b_title: str | None = None) -> list[str]:
    mini.write("story.md", filler(None, 6))  # more than fills its frame: its columns reach line 19
    mini.write("b.md", filler(b_title, 4))
    mini.spec(GRID_SPEC + upper + lower_entry)
    _, warnings = mini.build(allow_overset=True)
    return [w.message for w in warnings if w.code == "run-on"]


def test_text_running_on_into_the_story_below_is_a_warning(mini):
    [message] = run_on_warnings(mini, UPPER, lower())
    assert "'story' runs straight on into story 'b' in column 1 of page 1 (line 20)" in message
    assert "rules: [top]" in message


@pytest.mark.parametrize("upper,lower_extra,top,title", [
    (UPPER, "    rules: [top]\n", 20, None),                            # a rule over the lower story
    (UPPER + "    rules: [bottom]\n", "", 20, None),                    # or under the upper one
    (UPPER + "    box: true\n", "", 20, None),                          # a box round either
    (UPPER, "", 21, None),                                              # a line between the frames
    (UPPER, "", 20, "乙稿标题"),                                          # the lower story's headline
])
def test_a_rule_box_line_or_headline_parts_them(mini, upper, lower_extra, top, title):
    assert run_on_warnings(mini, upper, lower(lower_extra, top), title) == []
