"""A story's frame as free lines (page/frame.py): line intervals cut and joined, the segments read
in groups, headline blocks and photos cut out, the free stretches in reading order."""

from __future__ import annotations

from broadsheet.input.jobs import Segment
from broadsheet.page.frame import FrameSpace, add, cut, reading_groups


def stretches(frame: FrameSpace) -> list[tuple[int, int, float, float, int]]:
    return [(s.page, s.col, s.top, s.bottom, s.segment) for s in frame.spaces()]


def test_cutting_and_adding_line_intervals():
    lines = [(0, 10), (20, 30)]
    assert cut(lines, 5, 25) == [(0, 5), (25, 30)]
    assert cut(lines, 2, 4) == [(0, 2), (4, 10), (20, 30)]  # a hole in the middle
    assert cut(lines, 10, 20) == lines  # the gap between them: nothing to take
    assert cut(lines, 0, 30) == []
    assert add(lines, 10, 20) == [(0, 30)]  # touching intervals join
    assert add(lines, 12, 15) == [(0, 10), (12, 15), (20, 30)]  # in order
    assert add([], 3, 4) == [(3, 4)]
    assert lines == [(0, 10), (20, 30)], "neither changes its argument"


def test_reading_groups():
    L = [Segment(1, 1, 5, 0, 54), Segment(1, 1, 2, 54, 99)]  # an L: the long columns are read to their foot
    split = [Segment(1, 1, 3, 0, 20), Segment(1, 1, 3, 40, 60)]  # another story between the two
    step = [Segment(1, 1, 3, 44, 99), Segment(1, 4, 6, 54, 99)]
    assert reading_groups(L) == [[0, 1]] and reading_groups(split) == [[0], [1]] and reading_groups(step) == [[0], [1]]
    assert reading_groups(L, "segments") == [[0], [1]] and reading_groups(split, "columns") == [[0, 1]]


def test_columns_reading_keeps_each_page_apart():
    pages = [Segment(1, 1, 2, 0, 20), Segment(1, 3, 4, 0, 20), Segment(2, 1, 4, 0, 20)]
    assert reading_groups(pages, "columns") == [[0, 1], [2]]
    assert reading_groups(pages) == [[0], [1], [2]]  # side by side: no segment continues another


def test_frame_space_reads_segment_by_segment_and_cuts():
    frame = FrameSpace([Segment(1, 1, 2, 0, 20), Segment(1, 1, 2, 40, 60)])
    frame.cut(1, (1, 2), 0, 5)  # a headline
    assert [(s.col, s.top, s.bottom) for s in frame.spaces()] == [(1, 5, 20), (2, 5, 20), (1, 40, 60), (2, 40, 60)]
    assert frame.holds(1, (1, 2), 6, 20) and not frame.holds(1, (1, 2), 3, 8) and not frame.holds(1, (1, 3), 6, 8)
    columns = FrameSpace(frame.segments, "columns")
    assert [(s.col, s.top) for s in columns.spaces()] == [(1, 0), (1, 40), (2, 0), (2, 40)]


def test_an_l_frame_with_a_photo_cut_out_reads_its_long_columns_to_the_foot():
    frame = FrameSpace([Segment(1, 1, 3, 0, 30), Segment(1, 1, 2, 30, 50)])
    assert frame.intervals(1, 1) == [(0, 50)] and frame.intervals(1, 3) == [(0, 30)]  # the segments join
    assert frame.holds(1, (1, 2), 25, 35) and not frame.holds(1, (1, 3), 25, 35)
    frame.cut(1, (1, 3), 0, 4)  # the headline across the top
    frame.cut(1, (1, 2), 20, 32)  # a photo over the join
    frame.cut(1, (5, 6), 0, 50)  # columns the frame does not have: nothing happens
    assert stretches(frame) == [
        (1, 1, 4, 20, 0), (1, 1, 32, 50, 0),  # column 1 down to its foot, below the photo
        (1, 2, 4, 20, 0), (1, 2, 32, 50, 0),
        (1, 3, 4, 30, 0),  # a stretch belongs to the first segment that holds its column
    ]
    assert set(frame.lines) == {(1, 1), (1, 2), (1, 3)}


def test_pages_are_read_in_order_and_stretches_keep_their_segment():
    frame = FrameSpace([Segment(1, 3, 4, 10, 20), Segment(2, 1, 1, 0, 5)])
    assert stretches(frame) == [(1, 3, 10, 20, 0), (1, 4, 10, 20, 0), (2, 1, 0, 5, 1)]


def test_a_copy_is_cut_on_its_own():
    frame = FrameSpace([Segment(1, 1, 2, 0, 20)])
    free = frame.copy()
    free.cut(1, (1, 1), 0, 10)
    assert free.intervals(1, 1) == [(10, 20)]
    assert frame.intervals(1, 1) == [(0, 20)], "the story's whole frame stays as it was"
    assert frame.holds(1, (1, 2), 0, 10) and not free.holds(1, (1, 2), 0, 10)
