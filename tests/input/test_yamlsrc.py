"""YAML that remembers where every key and value came from (input/yamlsrc.py): syntax errors at
their line and column, in a spec or a style sheet; positions of keys and values; and the limits
that stop hostile YAML (alias bombs, deep nesting, huge files) before it costs memory."""

from __future__ import annotations

import time

import pytest
import yaml

from broadsheet.diagnostics import InputError
from broadsheet.input.yamlsrc import load_yaml, parse_yaml

from conftest import MINI_SPEC, find, parse_diag, pos

TWO_SHEETS = MINI_SPEC.replace("styles: styles.yaml", "styles: [styles.yaml, extra.yaml]")


# ---------------------------------------------------------------------------------------------
# syntax errors in a build


def test_bad_yaml_in_the_spec(mini):
    mini.spec(MINI_SPEC.replace("  line: 14pt\n", "  line: 14pt: 12pt\n"))
    errors = mini.errors()
    assert len(errors) == 1, errors
    # PyYAML stops at the second ':' of the line
    line, col = mini.pos("spec.yaml", "14pt")
    assert errors[0].startswith(f"spec.yaml:{line}:{col + 4}: error: YAML syntax: "), errors
    assert "mapping values are not allowed" in errors[0]


def test_duplicate_key_in_the_spec(mini):
    mini.spec(MINI_SPEC + "title: 又一个标题\n")
    errors = mini.errors()
    find(errors, mini.at("spec.yaml", "title: 又一个"), "YAML syntax: duplicate key 'title'")


def test_bad_yaml_in_a_style_sheet(mini):
    mini.spec(TWO_SHEETS)
    mini.write("extra.yaml", "paragraph:\n  note:\n    size: 'nine pt\n    align: left\n")
    errors = mini.errors()
    assert len(errors) == 1, errors
    file, line, col, severity, message = parse_diag(errors[0])
    assert file == "extra.yaml" and line is not None and message.startswith("YAML syntax: ")
    assert "quoted scalar" in message  # the unclosed quote of line 3 runs to the end of the file


def test_bad_yaml_in_a_style_sheet_position(mini):
    mini.spec(TWO_SHEETS)
    mini.write("extra.yaml", "paragraph:\n  note:\n    size: 9pt: 10pt\n")
    errors = mini.errors()
    line, col = mini.pos("extra.yaml", "9pt")
    assert errors == [f"extra.yaml:{line}:{col + 3}: error: YAML syntax: mapping values are not allowed in this context"]


# ---------------------------------------------------------------------------------------------
# positions


def _refused(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        parse_yaml(text, "x.yaml")
    return [str(d) for d in info.value.diagnostics]


def test_every_key_and_value_has_its_position():
    src = parse_yaml("title: 标题\npage:\n  size: A4\n  margins: [1, 2]\nlist:\n  - a: 1\n", "x.yaml")
    assert src.data == {"title": "标题", "page": {"size": "A4", "margins": [1, 2]}, "list": [{"a": 1}]}
    assert src.where(("title",)) == (1, 8) and src.where(("title",), key=True) == (1, 1)
    assert src.where(("page", "size")) == (3, 9) and src.where(("page", "size"), key=True) == (3, 3)
    assert src.where(("page", "margins", 1)) == (4, 16)  # a list item
    assert src.where(("list", 0, "a"), key=True) == (6, 5)
    assert src.where(("page", "margins", 1), key=True) == (4, 16)  # an item has no key: its value


def test_a_path_not_in_the_document_is_placed_at_its_nearest_ancestor():
    src = parse_yaml("page:\n  size: A4\n", "x.yaml")
    assert src.where(("page", "margins", "top")) == (2, 3)  # the page mapping: where the key is missing
    assert src.where(("stories", 0)) == (1, 1)  # the document
    assert str(src.pos(("page", "size"))) == "x.yaml:2:9"
    d = src.diag(("page", "size"), "bad", key=True, severity="warning", code="style")
    assert (str(d), d.code) == ("x.yaml:2:3: warning: bad", "style")


def test_front_matter_counts_lines_from_the_start_of_its_file():
    src = parse_yaml("title: 标题\ndeck: 副题\n", "s.md", line_offset=1)
    assert src.where(("deck",)) == (3, 7) and src.where(("nothing",)) == (2, 1)
    [error] = [str(d) for d in pytest.raises(InputError, parse_yaml, "title: [\n", "s.md", line_offset=1).value.diagnostics]
    assert error.startswith("s.md:3:1: error: YAML syntax: ")


def test_an_empty_document_is_none():
    assert parse_yaml("", "x.yaml").data is None
    assert parse_yaml("# only a comment\n", "x.yaml").data is None


def test_merge_keys_and_aliases_are_expanded():
    text = "base: &b {size: 9, font: 书宋}\nsame: *b\nboth: {<<: [*b, {align: left}]}\n"
    src = parse_yaml(text, "x.yaml")
    assert src.data["same"] == {"size": 9, "font": "书宋"}
    assert src.data["both"] == {"size": 9, "font": "书宋", "align": "left"}
    assert src.where(("both", "align")) == pos(text, "left")
    assert src.where(("both", "size")) == pos(text, "9")  # a merged value is where it is written


def test_a_key_of_the_mapping_overrides_the_merged_one():
    """What merge keys are for: a style like another but for one value. The merged mapping, and
    one merging it in turn, keep the override however often an alias repeats them."""
    text = "base: &b {size: 9, font: 书宋}\nnote: &n\n  <<: *b\n  size: 10\nsame: *n\nagain: {<<: *n, font: 黑体}\n"
    src = parse_yaml(text, "x.yaml")
    assert src.data["note"] == src.data["same"] == {"size": 10, "font": "书宋"}
    assert src.data["again"] == {"size": 10, "font": "黑体"}
    assert src.where(("note", "size")) == (4, 9)  # the value that is used
    assert src.data == yaml.safe_load(text)  # as PyYAML reads it


def test_a_key_written_twice_beside_a_merge_is_still_a_duplicate():
    assert _refused("a: &a {x: 1}\nb: {<<: *a, x: 2, x: 3}\n") == ["x.yaml:2:19: error: YAML syntax: duplicate key 'x'"]


# ---------------------------------------------------------------------------------------------
# refusals


@pytest.mark.parametrize("text, error", [
    ("a: 1\na: 2\n", "x.yaml:2:1: error: YAML syntax: duplicate key 'a'"),
    ("a: 1\n? [x]\n: 2\n", "x.yaml:2:3: error: YAML syntax: a key must be a plain value"),
    ("x: 99999999999999999\n", "x.yaml:1:4: error: a number larger than the limit of 1e+15 for any value"),
    ("a: 2020-02-30\n", "x.yaml:1:4: error: YAML value that cannot be read: day is out of range for month"),
    ("a: [1, 2\n", "x.yaml:2:1: error: YAML syntax: while parsing a flow sequence: did not find expected ',' or ']'"),
    ("a: {<<: 3}\n", "x.yaml:1:9: error: YAML syntax: while constructing a mapping: expected a mapping or list of mappings "
                     "for merging, but found scalar"),
])
def test_what_cannot_be_a_value(text, error):
    assert _refused(text) == [error]


def test_a_character_yaml_forbids_is_placed_by_characters_not_bytes():
    """libyaml reports the byte offset: 标题 is two characters but six bytes."""
    [error] = _refused("a: 标题\x1b\n")
    assert error == ("x.yaml:1:6: error: YAML syntax: character U+001B is not allowed in YAML "
                     "(control characters are not allowed); delete it")


def test_an_alias_bomb_is_refused_before_it_expands():
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * 9) + "]" for k in range(1, 10)]  # 9 ** 10 values
    t0 = time.perf_counter()
    [error] = _refused("\n".join(lines) + "\n")
    assert time.perf_counter() - t0 < 2
    assert "more than 100,000 values (aliases counted as often as they are used)" in error


def test_a_merge_key_bomb_is_refused_before_it_expands():
    def level(k: int) -> str:  # a mapping merging ten times the one it defines inside: 10 ** (k + 1) entries
        if k == 0:
            return "&m0 {" + ", ".join(f"k{i}: 1" for i in range(10)) + "}"
        return f"&m{k} {{<<: [{level(k - 1)}, " + ", ".join([f"*m{k - 1}"] * 9) + "]}"

    assert len(parse_yaml("x: " + level(3) + "\n", "x.yaml").data["x"]) == 10  # 10,000 entries merged: allowed
    [error] = _refused("x: " + level(5) + "\n")
    assert error.startswith("x.yaml:1:4: error: merge keys (<<) expand to more than 100,000 entries")


def test_nesting_is_limited():
    assert parse_yaml("x: " + "[" * 32 + "]" * 32 + "\n", "x.yaml").data is not None
    [error] = _refused("x: " + "[" * 40 + "]" * 40 + "\n")
    assert error.startswith("x.yaml:1:") and "values nested more than 32 deep" in error


def test_a_loaded_file_is_named_as_shown(tmp_path):
    (tmp_path / "spec.yaml").write_text("a:\n  b: 1\n", encoding="utf-8")
    src = load_yaml(tmp_path / "spec.yaml", "layout/spec.yaml")
    assert str(src.pos(("a", "b"))) == "layout/spec.yaml:2:6"
    assert load_yaml(tmp_path / "spec.yaml").file == str(tmp_path / "spec.yaml")
