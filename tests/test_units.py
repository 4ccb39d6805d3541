"""Units (src/broadsheet/units.py): lengths designers write and Chinese font sizes (号)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, strategies as st

from broadsheet.units import ABSOLUTE, HAO, MM, RELATIVE, Length, parse_font_size, parse_length

# ---------------------------------------------------------------------------------------------
# parse_length


@pytest.mark.parametrize(
    "text, value, unit, points",
    [
        ("20mm", 20, "mm", 20 * 72 / 25.4),
        ("9pt", 9, "pt", 9.0),
        ("2cm", 2, "cm", 2 * 72 / 2.54),
        ("1in", 1, "in", 72.0),
        ("20Q", 20, "Q", 5 * 72 / 25.4),  # 1 Q = 0.25 mm
        ("20级", 20, "级", 5 * 72 / 25.4),
        ("-2.5mm", -2.5, "mm", -2.5 * 72 / 25.4),
        (".5pt", 0.5, "pt", 0.5),
        ("  1.5 in ", 1.5, "in", 108.0),
    ],
)
def test_absolute_lengths(text, value, unit, points):
    length = parse_length(text)
    assert length == Length(value, unit)
    assert length.pt() == pytest.approx(points)
    assert length.unit not in RELATIVE


@pytest.mark.parametrize(
    "text, unit, context, points",
    [
        ("2字", "字", {"em": 9.0}, 18.0),
        ("1.5字", "字", {"em": 10.5}, 15.75),
        ("2em", "em", {"em": 12.0}, 24.0),
        ("3行", "行", {"line": 14.0}, 42.0),
        ("2栏", "栏", {"column": 117.0}, 234.0),
        ("2 zi", "字", {"em": 9.0}, 18.0),  # English spellings of the Chinese units
        ("3 lines", "行", {"line": 14.0}, 42.0),
        ("1 line", "行", {"line": 14.0}, 14.0),
        ("2 cols", "栏", {"column": 100.0}, 200.0),
        ("1 column", "栏", {"column": 100.0}, 100.0),
    ],
)
def test_relative_lengths_need_their_context(text, unit, context, points):
    length = parse_length(text)
    assert length.unit == unit
    assert length.unit in RELATIVE
    assert length.pt(**context) == pytest.approx(points)
    with pytest.raises(ValueError, match=f"'{unit}' has no meaning here"):
        length.pt()  # no font size / line pitch / column width given


def test_relative_units_use_only_their_own_context():
    assert Length(2, "字").pt(em=9, line=14, column=117) == 18
    assert Length(2, "行").pt(em=9, line=14, column=117) == 28
    assert Length(2, "栏").pt(em=9, line=14, column=117) == 234
    with pytest.raises(ValueError):
        Length(2, "行").pt(em=9, column=117)  # only the line pitch gives 行 a meaning


def test_bare_number_needs_a_unit():
    with pytest.raises(ValueError, match=r"a bare number \(12\) needs a unit, e\.g\. 12mm or 12pt"):
        parse_length(12)
    with pytest.raises(ValueError, match=r"'12' needs a unit"):
        parse_length("12")
    with pytest.raises(ValueError, match=r"needs a unit"):
        parse_length(3.5)


def test_bare_number_takes_the_default_unit():
    assert parse_length(12, "pt") == Length(12.0, "pt")
    assert parse_length(3.5, "mm").pt() == pytest.approx(3.5 * MM)
    assert parse_length("12", "mm") == Length(12.0, "mm")
    assert parse_length("7", "行") == Length(7.0, "行")
    # an explicit unit wins over the default
    assert parse_length("7pt", "行") == Length(7.0, "pt")


@pytest.mark.parametrize(
    "value, message",
    [
        ("4ft", r"unknown unit 'ft' in '4ft' \(use one of "),
        ("12px", r"unknown unit 'px' in '12px'"),
        ("3寸", r"unknown unit '寸' in '3寸'"),
        ("abc", r"'abc' is not a length: write a number and a unit, e\.g\. 20mm"),
        ("", r"'' is not a length"),
        ("mm12", r"'mm12' is not a length"),
        ("1.2.3mm", r"is not a length"),
        (True, r"expected a length such as 20mm, got True"),
        (None, r"no value \(null\): write a length such as 20mm"),
        ([1, 2], r"expected a length such as 20mm, got list"),
    ],
)
def test_bad_lengths_say_why(value, message):
    with pytest.raises(ValueError, match=message):
        parse_length(value, "pt" if value is True else None)


def test_unknown_unit_lists_the_known_units():
    with pytest.raises(ValueError) as info:
        parse_length("4ft")
    for unit in ("mm", "pt", "字", "行", "栏", "Q"):
        assert unit in str(info.value)


def test_unit_not_allowed_here():
    with pytest.raises(ValueError, match=r"'3行': unit '行' is not allowed here \(use one of mm, pt\)"):
        parse_length("3行", None, ("mm", "pt"))
    with pytest.raises(ValueError, match=r"unknown unit 'ft' in '4ft' \(use one of mm, pt\)"):
        parse_length("4ft", None, ("mm", "pt"))
    assert parse_length("3mm", None, ("mm", "pt")) == Length(3.0, "mm")


def test_length_str_round_trips():
    for text in ("20mm", "1.5字", "3行", "2栏", "20Q", "9pt"):
        assert str(parse_length(text)) == text
        assert parse_length(str(parse_length(text))) == parse_length(text)


@given(
    value=st.floats(min_value=-1e4, max_value=1e4, allow_nan=False).map(lambda v: round(v, 3)),
    unit=st.sampled_from(sorted(ABSOLUTE)),
)
def test_any_number_with_an_absolute_unit(value, unit):
    length = parse_length(f"{value}{unit}")
    assert length.unit == unit
    assert length.value == pytest.approx(value)
    assert length.pt() == pytest.approx(value * ABSOLUTE[unit])


# ---------------------------------------------------------------------------------------------
# parse_font_size


@pytest.mark.parametrize(
    "name, points",
    [
        ("初号", 42.0), ("小初", 36.0), ("一号", 26.0), ("小一", 24.0), ("二号", 22.0), ("小二", 18.0),
        ("三号", 16.0), ("小三", 15.0), ("四号", 14.0), ("小四", 12.0), ("五号", 10.5), ("小五", 9.0),
        ("六号", 7.5), ("小六", 6.5), ("七号", 5.5), ("八号", 5.0),
    ],
)
def test_hao_sizes(name, points):
    assert parse_font_size(name) == points
    assert parse_font_size(f" {name} ") == points


def test_hao_table_is_the_standard_one():
    assert HAO["小五"] == 9 and HAO["五号"] == 10.5 and HAO["初号"] == 42
    sizes = list(HAO.values())
    assert sizes == sorted(sizes, reverse=True), "号 sizes get smaller from 初号 to 八号"


def test_hao_without_the_hao_character():
    assert parse_font_size("五") == 10.5
    assert parse_font_size("四") == 14.0
    assert parse_font_size("初") == 42.0


@pytest.mark.parametrize(
    "value, points",
    [(9, 9.0), (10.5, 10.5), ("9pt", 9.0), ("12", 12.0), ("3.5mm", 3.5 * 72 / 25.4), ("20Q", 5 * 72 / 25.4)],
)
def test_font_sizes_in_absolute_units(value, points):
    assert parse_font_size(value) == pytest.approx(points)
    assert isinstance(parse_font_size(value), float)


@pytest.mark.parametrize(
    "value, message",
    [
        ("大五", r"'大五' is not a length.*a font size may also be a 号 such as 小五 or 四号"),
        ("1行", r"unit '行' is not allowed here.*a font size may also be a 号"),
        ("2字", r"unit '字' is not allowed here"),
        ("12px", r"unknown unit 'px'"),
        ("0pt", r"font size must be positive, got 0pt"),
        ("-3pt", r"font size must be positive"),
        (0, r"font size must be positive"),
    ],
)
def test_bad_font_sizes(value, message):
    with pytest.raises(ValueError, match=message):
        parse_font_size(value)


def test_hao_full_spelling_of_the_small_sizes():
    assert parse_font_size("小五号") == 9.0
    assert parse_font_size("小四号") == 12.0
    assert parse_font_size("小初号") == 36.0


def test_units_are_exact():
    assert MM == 72 / 25.4
    assert math.isclose(parse_length("390mm").pt(), 1105.5118, abs_tol=1e-3)


def test_traditional_names_of_sizes_and_formats():
    from broadsheet.input.spec import _page_size

    assert parse_font_size("小五號") == parse_font_size("小五") == 9.0
    assert parse_font_size("五號") == 10.5 and parse_font_size("初號") == 42.0
    assert _page_size("對開") == _page_size("对开") and _page_size("四開") == _page_size("四开")
    assert parse_length("2欄").unit == "栏" and parse_length("4級").pt() == parse_length("4级").pt()
