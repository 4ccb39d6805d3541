"""Page geometry (page/grid.py): columns, gutters and body lines of a given grid, and vertical
lengths as whole body lines."""

from __future__ import annotations

import pytest

from broadsheet.page.grid import Geometry
from broadsheet.units import Length

# a type area of 100 × 95 pt at (10, 20): 4 columns of 22 pt with 4 pt gutters, lines of 10 pt
GEO = Geometry(page_w=120, page_h=140, x0=10, y0=20, width=100, height=95, columns=4, gutter=4, pitch=10)


def test_columns_and_gutters_fill_the_type_area():
    assert GEO.col_w == pytest.approx(22)
    assert [GEO.col_x(c) for c in range(1, 5)] == pytest.approx([10, 36, 62, 88])
    assert GEO.col_x(4) + GEO.col_w == pytest.approx(GEO.x0 + GEO.width)  # the last column ends at the margin
    assert GEO.span_w(1, 1) == pytest.approx(22)
    assert GEO.span_w(2, 3) == pytest.approx(48)  # two columns and the gutter between them
    assert GEO.span_w(1, 4) == pytest.approx(GEO.width)


def test_body_lines_of_a_column():
    assert GEO.lines == 9  # 95 pt hold nine whole 10 pt lines, not ten
    assert [GEO.line_y(k) for k in (0, 1, 9)] == pytest.approx([20, 30, 110])
    assert GEO.line_y(2.5) == pytest.approx(45)  # half lines (off the grid) too
    # thirty lines added up in floating point fall short of 30 × 1.3 by a rounding error: still thirty
    almost = Geometry(0, 0, 0, 0, 100, sum([1.3] * 30), 1, 0, 1.3)
    assert sum([1.3] * 30) / 1.3 < 30 and almost.lines == 30


def test_vertical_lengths_as_whole_lines():
    assert GEO.to_lines(Length(3, "行")) == 3
    assert GEO.to_lines(Length(2.6, "行")) == 3  # lines round to the nearest
    assert GEO.to_lines(Length(20, "pt")) == 2  # exactly two lines
    assert GEO.to_lines(Length(20.5, "pt")) == 3  # absolute lengths round up
    assert GEO.to_lines(Length(10, "mm")) == 3  # 28.35 pt
    assert [GEO.lines_for(h) for h in (0, -5, 0.1, 10, 10.01, 29.999)] == [0, 0, 1, 1, 2, 3]
