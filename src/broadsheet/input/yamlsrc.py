"""YAML loading that remembers where every key and value came from.

Validation errors must point at ``file:line:col``; PyYAML's composed node tree carries those marks,
so we build plain Python values from the nodes ourselves and keep a map from each value's path
(a tuple of keys and list indexes) to its position.

Building the values ourselves is also where hostile YAML is stopped: the composed tree shares an
alias's node instead of copying it, so a "billion laughs" document composes in kilobytes and only
explodes when expanded; `_build` counts every value it makes and refuses a document past
`MAX_VALUES` (or nested deeper than `MAX_DEPTH`) before the expansion costs memory. Files are
read by `input.files.read_text`, up to its limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from broadsheet.diagnostics import Code, Diagnostic, InputError, Pos
from broadsheet.input.files import line_col, read_text

try:  # the C loader is several times faster; both give the same nodes and marks
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

Path_ = tuple[Any, ...]

#: Limits on any YAML document: a real spec, sheet or story's front matter is a few hundred
#: values nested five deep (files are bounded by input.files.MAX_FILE_BYTES).
MAX_VALUES = 100_000
MAX_DEPTH = 32
MAX_INT = 10 ** 15


@dataclass
class Source:
    """A loaded YAML document: its data and the positions of its keys and values (1-based)."""

    file: str
    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    line_offset: int = 0

    def where(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """Position of the value (or key) at `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while True:
            table = self.keys if key and path in self.keys else self.values
            if path in table:
                line, col = table[path]
                return line + self.line_offset, col
            if not path:
                return 1 + self.line_offset, 1
            path = path[:-1]

    def pos(self, path: Path_, key: bool = False) -> Pos:
        """The position of the value (or key) at `path`, as a Pos."""
        return Pos(self.file, *self.where(path, key))

    def diag(self, path: Path_, message: str, key: bool = False, severity: str = "error",
             code: Code = "input") -> Diagnostic:
        return Diagnostic(self.pos(path, key), message, severity, code)  # type: ignore[arg-type]


class _Refused(Exception):
    """A document past one of the limits, or a value that cannot be constructed, at its node."""

    def __init__(self, node: yaml.Node, message: str):
        self.node = node
        self.message = message


def parse_yaml(text: str, file: str, line_offset: int = 0) -> Source:
    """Parse YAML text; raises InputError with the position of a syntax error."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        src = Source(file, None, line_offset=line_offset)
        src.data = _build(loader, node, (), src, [0]) if node is not None else None
        return src
    except _Refused as exc:
        line, col = _mark(exc.node)
        raise InputError([Diagnostic(Pos(file, line + line_offset, col), exc.message)]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML forbids; its mark is a bare offset
        offset = exc.position
        if _Loader is not yaml.SafeLoader:  # libyaml counts the bytes of the UTF-8 text, not characters
            offset = len(text.encode("utf-8", errors="surrogatepass")[:offset].decode("utf-8", errors="ignore"))
        line, col = line_col(text, offset)
        what = f"character U+{exc.character:04X}" if isinstance(exc.character, int) else "a character"
        raise InputError([Diagnostic(Pos(file, line + line_offset, col),
                                     f"YAML syntax: {what} is not allowed in YAML ({exc.reason}); delete it")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line if mark else 0) + 1 + line_offset
        col = (mark.column if mark else 0) + 1
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{exc.context}: {problem}"
        raise InputError([Diagnostic(Pos(file, line, col), f"YAML syntax: {problem}")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Diagnostic(Pos(file, 1 + line_offset, 1), f"YAML syntax: {exc}")]) from None
    finally:
        loader.dispose()


def load_yaml(path: Path, display: str | None = None) -> Source:
    """Read and parse a YAML file; a missing or unreadable file is an InputError."""
    name = display or str(path)
    return parse_yaml(read_text(path, name), name)


_MERGE = "tag:yaml.org,2002:merge"


def _merged_size(node: yaml.MappingNode, memo: dict[int, int]) -> int:
    """How many entries `node` has once its merge keys are flattened (as PyYAML's flatten_mapping
    would make them), without flattening; each mapping visited remembers which keys are its own."""
    if id(node) in memo:
        return memo[id(node)]
    if not hasattr(node, "own_keys"):  # its own entries, recorded before flattening it (or a mapping merging it) adds others
        node.own_keys = {id(k) for k, _ in node.value if k.tag != _MERGE}
    memo[id(node)] = MAX_VALUES + 1  # a merge cycle counts as too big
    size = 0
    for key_node, value_node in node.value:
        if key_node.tag != _MERGE:
            size += 1
            continue
        merged = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        size += sum(_merged_size(m, memo) for m in merged if isinstance(m, yaml.MappingNode))
        if size > MAX_VALUES:
            break
    memo[id(node)] = size
    return size


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _build(loader: Any, node: yaml.Node, path: Path_, src: Source, count: list[int]) -> Any:
    """The value of `node` (at `path`), recording positions; `count` holds the number of values
    made so far, aliases counted every time they are expanded."""
    count[0] += 1
    if count[0] > MAX_VALUES:
        raise _Refused(node, f"more than {MAX_VALUES:,} values (aliases counted as often as they are used): "
                            "the limit for a spec, style sheet or front matter")
    if len(path) > MAX_DEPTH:
        raise _Refused(node, f"values nested more than {MAX_DEPTH} deep: the limit for a spec, style sheet or front matter")
    src.values[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        if _merged_size(node, {}) > MAX_VALUES:  # merge keys copy entries: a bomb of their own
            raise _Refused(node, f"merge keys (<<) expand to more than {MAX_VALUES:,} entries: the limit for a spec, "
                                "style sheet or front matter")
        own = node.own_keys  # (flattening puts the merged entries first)
        loader.flatten_mapping(node)  # resolves YAML merge keys (<<)
        out: dict[Any, Any] = {}
        merged: set[Any] = set()  # keys whose value a merge gave: the mapping's own key may override it
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):  # checked before constructing: it could be a bomb
                raise yaml.MarkedYAMLError(problem="a key must be a plain value", problem_mark=key_node.start_mark)
            key = _scalar(loader, key_node)
            if not isinstance(key, (str, int, float, bool)):
                raise yaml.MarkedYAMLError(problem="a key must be a plain value", problem_mark=key_node.start_mark)
            if key in out and key not in merged:  # (a later entry overrides a merged one, as in PyYAML)
                raise yaml.MarkedYAMLError(
                    problem=f"duplicate key '{key}'", problem_mark=key_node.start_mark
                )
            if id(key_node) in own:
                merged.discard(key)
            else:
                merged.add(key)
            src.keys[path + (key,)] = _mark(key_node)
            out[key] = _build(loader, value_node, path + (key,), src, count)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, path + (i,), src, count) for i, item in enumerate(node.value)]
    return _scalar(loader, node)


def _scalar(loader: Any, node: yaml.Node) -> Any:
    try:
        value = loader.construct_object(node, deep=True)
    except (ValueError, OverflowError) as exc:  # a number of 5,000 digits, a date that does not exist
        raise _Refused(node, f"YAML value that cannot be read: {str(exc)[:200]}") from None
    if isinstance(value, int) and abs(value) > MAX_INT:  # (and no float holds 10**400, no message prints it)
        raise _Refused(node, f"a number larger than the limit of {MAX_INT:.0e} for any value")
    return value
