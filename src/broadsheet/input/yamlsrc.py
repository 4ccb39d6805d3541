"""YAML loading that remembers where every key and value came from.

Validation errors must point at ``file:line:col``; PyYAML's composed node tree carries those marks,
so we build plain Python values from the nodes ourselves and keep a map from each value's path
(a tuple of keys and list indexes) to its position.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from broadsheet.diagnostics import Code, Diagnostic, InputError, Pos

try:  # the C loader is several times faster; both give the same nodes and marks
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

Path_ = tuple[Any, ...]


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


def parse_yaml(text: str, file: str, line_offset: int = 0) -> Source:
    """Parse YAML text; raises InputError with the position of a syntax error."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        src = Source(file, None, line_offset=line_offset)
        src.data = _build(loader, node, (), src) if node is not None else None
        return src
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else None
        col = (mark.column + 1) if mark else None
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{exc.context}: {problem}"
        raise InputError([Diagnostic(Pos(file, line, col), f"YAML syntax: {problem}")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Diagnostic(Pos(file), f"YAML syntax: {exc}")]) from None
    finally:
        loader.dispose()


def read_text(path: Path, name: str, missing: str = "file not found") -> str:
    """A UTF-8 text file's content; a missing, unreadable or non-UTF-8 file is an InputError."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError([Diagnostic(Pos(name), missing)]) from None
    except UnicodeDecodeError as exc:
        raise InputError([Diagnostic(Pos(name), f"not UTF-8 text ({exc.reason} at byte {exc.start})")]) from None
    except OSError as exc:
        raise InputError([Diagnostic(Pos(name), f"cannot read: {exc.strerror}")]) from None


def load_yaml(path: Path, display: str | None = None) -> Source:
    """Read and parse a YAML file; a missing or unreadable file is an InputError."""
    name = display or str(path)
    return parse_yaml(read_text(path, name), name)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _build(loader: Any, node: yaml.Node, path: Path_, src: Source) -> Any:
    src.values[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # resolves YAML merge keys (<<)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)):
                raise yaml.MarkedYAMLError(problem="a key must be a plain value", problem_mark=key_node.start_mark)
            if key in out:
                raise yaml.MarkedYAMLError(
                    problem=f"duplicate key '{key}'", problem_mark=key_node.start_mark
                )
            src.keys[path + (key,)] = _mark(key_node)
            out[key] = _build(loader, value_node, path + (key,), src)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, path + (i,), src) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)
