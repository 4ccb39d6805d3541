"""Story files: Markdown with YAML front matter.

A story file looks like::

    ---
    flag: ■ 前沿观察 GUANCHAO
    kicker: 上接基层党组织 下通普通群众
    title: 桓仁特色党小组激发干部群众活力
    deck: ——副题
    byline: 本报记者 王云峰
    ---

    田金龙是……(a paragraph: blank lines separate paragraphs)

    ![caption](images/photo.jpg "optional photo credit")

    ## 打通“毛细血管”,让支部“转起来”

    **本报讯 记者金晓玲报道** 记者7月15日获悉……

    @credit 资料片由桓仁县委组织部提供
    @sign 盘组宣

Front matter (optional) holds the story's head: any of ``flag``, ``kicker``, ``title``, ``deck``,
``byline`` as strings; the order of the keys in the file is the reading order of the head.

Body blocks:

* paragraph -- consecutive text lines; the lines are joined with no space when the character on
  either side of the join is CJK (ideograph, kana, hangul, CJK or full-width punctuation, Chinese
  quotes/dashes), else with one space. Text is otherwise kept exactly as written. A line ending in
  a backslash (a Markdown hard break) ends a line of the paragraph there: verse, an address.
* ``> text`` -- a quotation paragraph (a 编者按, a letter quoted at length), set in the ``quote``
  style: consecutive ``>`` lines are one paragraph as above; a ``>`` line with nothing after it, or a
  line without ``>``, ends it.
* ``| a | b |`` lines -- a table: its first row (the column heads), a delimiter row (``|:--|--:|``:
  ``--:`` aligns a column right, ``:-:`` centres it) and its rows, one a line; ``\\|`` is a pipe in a cell.
* ``## text`` -- a subhead (``#`` and ``###``… headings are errors: the title belongs in the front
  matter).
* ``![caption](path)`` / ``![caption](path "credit")`` on its own line -- a figure; the path is
  relative to the story file.
* ``@credit text`` -- a photo credit line; ``@sign text`` -- a source signature, set right-aligned
  at the end of the previous paragraph's last line.

Headings, figures and directives are one line each and need no blank line around them.
Inside any text ``**…**`` marks a strong span (a run-in such as ``**本报讯**``); a backslash
before one of ``\\ * @ # ! > |`` makes that character literal.

All problems of a file are collected and raised together as one :class:`InputError`.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from broadsheet.text.chars import is_cjk
from broadsheet.diagnostics import Diagnostic, InputError, Pos, did_you_mean
from broadsheet.input.files import read_text
from broadsheet.input.root import resolved

BlockKind = Literal["para", "quote", "subhead", "figure", "credit", "sign", "table", "head_cell", "cell"]
#: The story element (and so the paragraph style) a block is set as, where it is not its kind.
_ROLE = {"para": "body", "figure": "caption", "head_cell": "table_head", "cell": "table"}

HEAD_ROLES: tuple[str, ...] = ("flag", "kicker", "title", "deck", "byline")
DIRECTIVES: tuple[str, ...] = ("credit", "sign")


@dataclass
class Span:
    text: str
    strong: bool = False


@dataclass
class Block:
    kind: BlockKind
    spans: list[Span]
    line: int
    image: str | None = None
    image_path: Path | None = None
    credit: str | None = None
    # where its text was written: (offset in the text, source line, column) at the start of each
    # run of characters copied as written (a line's text, after a '**' or an escape)
    places: list[tuple[int, int, int]] = field(default_factory=list)
    # a table's rows of cells (blocks of their own, the header row's first) and its columns' alignment
    cells: list[list["Block"]] = field(default_factory=list)
    align: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)

    @property
    def role(self) -> str:
        """The story element it is set as: a paragraph is body text, a figure in the text its caption."""
        return _ROLE.get(self.kind, self.kind)

    def line_of(self, offset: int) -> int:
        """The source line of the character at `offset` in the block's text."""
        return self.place_of(offset)[0]

    def place_of(self, offset: int) -> tuple[int, int]:
        """The source line and column of the character at `offset` in the block's text."""
        k = bisect_right(self.places, (offset, math.inf, 0))  # (a paragraph of a wire story: tens of lines)
        if k == 0:
            return self.line, offset + 1
        first, line, col = self.places[k - 1]
        return line, col + offset - first


@dataclass
class HeadItem:
    role: str
    text: str
    line: int
    col: int


@dataclass
class Story:
    name: str
    file: str
    head: list[HeadItem] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    front: str = ""  # the front matter as written: read again unchanged, it needs no YAML (input/project._retold)

    def head_text(self, role: str) -> str | None:
        for item in self.head:
            if item.role == role:
                return item.text
        return None

    @property
    def figures(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "figure"]

    def blocks_of(self, kind: str) -> list[Block]:
        return [b for b in self.blocks if b.kind == kind]

    def text_blocks(self) -> list[Block]:
        """The blocks that hold text, in reading order: a table's cells in its place."""
        return [cell for b in self.blocks for cell in ([c for row in b.cells for c in row] if b.kind == "table" else [b])]

    def text(self) -> str:
        """All the story's text in reading order, one item per line."""
        parts = [h.text for h in self.head]
        for b in self.text_blocks():
            parts.append(b.text)
            if b.credit:
                parts.append(b.credit)
        return "\n".join(parts)


# ---------------------------------------------------------------------------------------------
# loading


def load_story(path: Path, display: str | None = None, before: Story | None = None) -> Story:
    """Read and parse a story file; a missing or unreadable file is an InputError. `before` is the
    story as this file held it before: its head serves again if the front matter is unchanged."""
    path = Path(path)
    name = display or str(path)
    text = read_text(path, name, "story file not found")
    return parse_story(text, name, path.stem, base_dir=path.parent, before=before)


def parse_story(text: str, file: str, name: str, base_dir: Path | None = None, before: Story | None = None) -> Story:
    """Parse story text. `file` names the file in messages; figure paths resolve against
    `base_dir` (default: the directory of `file`); `before` as for `load_story`."""
    parser = _Parser(file, base_dir if base_dir is not None else Path(file).parent)
    story = parser.parse(text, name, before)
    if parser.errors:
        raise InputError(sorted(parser.errors, key=lambda d: (d.pos.line or 0, d.pos.col or 0)))
    return story


# ---------------------------------------------------------------------------------------------
# parser

_HEADING = re.compile(r"#+(?=\s|$)")
_DIRECTIVE = re.compile(r"@([A-Za-z][\w-]*)(?=\s|$)")
#: What follows a figure's caption, from its last '](' on: the path (or <path>) and an optional
#: "credit". The caption is split off first, at that last '](': one regular expression over the
#: whole line backtracks through every '](' (a line of many took minutes), this one runs once.
_FIGURE_TARGET = re.compile(r"\s*(?:<(?P<apath>[^>]*)>|(?P<path>[^\s\"]+))(?:\s+\"(?P<credit>.*)\")?\s*\)\s*")
_INLINE = re.compile(r"\\([\\*@#!>|])|\*\*")  # an escaped character, or a strong marker
_DELIMITER = re.compile(r"\s*(:?)-+(:?)\s*")  # a cell of a table's delimiter row: |:--|:-:|--:|


class _Parser:
    def __init__(self, file: str, base_dir: Path):
        self.file = file
        self.base_dir = base_dir
        self.errors: list[Diagnostic] = []

    def error(self, line: int | None, col: int | None, message: str) -> None:
        self.errors.append(Diagnostic(Pos(self.file, line, col), message))

    # -- whole file ---------------------------------------------------------------------------

    def parse(self, text: str, name: str, before: Story | None = None) -> Story:
        if text.startswith("\ufeff"):
            text = text[1:]
        lines = text.split("\n")
        for i, s in enumerate(lines):
            if s.endswith("\r"):
                lines[i] = s[:-1]
        head: list[HeadItem] = []
        front = ""
        body_start = 0
        if lines and lines[0].rstrip() == "---":
            end = next(
                (i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None
            )
            if end is None:
                self.error(1, 1, "front matter starting here is not closed by a '---' line")
                body_start = len(lines)
            else:
                front = "\n".join(lines[1:end])
                # (the head is what the front matter's text says: unchanged, it is the same)
                same = before is not None and before.front == front and before.file == self.file
                head = list(before.head) if same else self.front_matter(front)  # type: ignore[union-attr]
                body_start = end + 1
        blocks = self.body(lines, body_start)
        return Story(name=name, file=self.file, head=head, blocks=blocks, front=front)

    # -- front matter -------------------------------------------------------------------------

    def front_matter(self, text: str) -> list[HeadItem]:
        from broadsheet.input.yamlsrc import parse_yaml

        if not text.strip():
            return []
        try:
            src = parse_yaml(text, self.file, line_offset=1)
        except InputError as exc:
            self.errors.extend(exc.diagnostics)
            return []
        data = src.data
        if data is None:
            return []
        if not isinstance(data, dict):
            line, col = src.where(())
            self.error(
                line, col,
                "front matter must be a mapping of " + ", ".join(f"'{r}'" for r in HEAD_ROLES),
            )
            return []
        head: list[HeadItem] = []
        for key, value in data.items():
            if key not in HEAD_ROLES:
                line, col = src.where((key,), key=True)
                self.error(line, col, f"unknown key '{key}'{did_you_mean(str(key), HEAD_ROLES)}"
                           f"; expected one of {', '.join(HEAD_ROLES)}")
                continue
            line, col = src.where((key,))
            if not isinstance(value, str):
                if value is None:
                    self.error(line, col, f"'{key}' has no value (expected a string)")
                else:
                    hint = "" if isinstance(value, (list, dict)) else " (quote it)"
                    self.error(line, col, f"'{key}' must be a string, got {type(value).__name__}{hint}")
                continue
            if not value.strip():
                self.error(line, col, f"'{key}' is empty")
                continue
            head.append(HeadItem(key, value, line, col))
        return head

    # -- body ---------------------------------------------------------------------------------

    def body(self, lines: list[str], start: int) -> list[Block]:
        blocks: list[Block] = []
        para: list[tuple[int, str]] = []  # (line number, raw line)
        quote = False  # the lines in `para` are a quotation's (written after '>')
        rows: list[tuple[int, str]] = []  # a table's lines

        def flush() -> None:
            if para:
                spans, places = self.spans(para)
                if spans:
                    blocks.append(Block("quote" if quote else "para", spans, para[0][0], places=places))
                para.clear()
            if rows:
                self.table(blocks, rows)
                rows.clear()

        for idx in range(start, len(lines)):
            raw = lines[idx]
            lineno = idx + 1
            stripped = raw.lstrip()
            if not stripped.strip():
                flush()
                continue
            indent = len(raw) - len(stripped)
            first = stripped[0]
            if (first == ">") != quote:  # a quotation starts or ends
                flush()
                quote = first == ">"
            if quote:
                rest = stripped[1:]
                if not rest.strip():
                    flush()  # a '>' line of nothing: the quotation's next paragraph
                    continue
                para.append((lineno, " " * (indent + 1) + rest))  # (its columns counted as written)
                continue
            end = stripped.rstrip()
            if first == "|" and len(end) > 1 and end[-1] == "|":  # a table's row
                if not rows:
                    flush()
                rows.append((lineno, raw.rstrip()))
                continue
            if rows:
                flush()
            if first == "#":
                m = _HEADING.match(stripped)
                if m:
                    flush()
                    self.heading(blocks, lineno, indent, stripped, len(m.group()))
                    continue
            elif first == "@":
                m = _DIRECTIVE.match(stripped)
                if m:
                    flush()
                    self.directive(blocks, lineno, indent, stripped, m.group(1))
                    continue
            elif stripped.startswith("!["):
                flush()
                self.figure(blocks, lineno, indent, stripped)
                continue
            para.append((lineno, raw))
        flush()
        return blocks

    def heading(self, blocks: list[Block], lineno: int, indent: int, s: str, level: int) -> None:
        col = indent + 1
        if level != 2:
            self.error(lineno, col, f"'{'#' * level}' heading: put the story's title in the front "
                       "matter 'title' (use '## ' only for subheads)")
            return
        text = s[level:]
        spans, places = self.spans([(lineno, " " * (indent + level) + text)])
        if not spans:
            self.error(lineno, col, "empty subhead")
            return
        blocks.append(Block("subhead", spans, lineno, places=places))

    def directive(self, blocks: list[Block], lineno: int, indent: int, s: str, word: str) -> None:
        col = indent + 1
        if word not in DIRECTIVES:
            choices = [f"@{d}" for d in DIRECTIVES]
            self.error(lineno, col, f"unknown directive '@{word}'{did_you_mean('@' + word, choices)}"
                       f"; expected one of {', '.join(choices)}")
            return
        rest = s[1 + len(word):]
        spans, places = self.spans([(lineno, " " * (indent + 1 + len(word)) + rest)])
        if not spans:
            self.error(lineno, col, f"'@{word}' needs text")
            return
        if word == "sign" and (not blocks or blocks[-1].kind not in ("para", "quote")):
            self.error(lineno, col, "'@sign' must follow a paragraph (it is set at the end of "
                       "that paragraph's last line)")
            return
        blocks.append(Block(word, spans, lineno, places=places))  # type: ignore[arg-type]

    def table(self, blocks: list[Block], rows: list[tuple[int, str]]) -> None:
        """A pipe table: its header row, a delimiter row (which aligns the columns) and its rows."""
        (line, raw), *rest = rows
        head = _cells(raw)
        col = raw.index("|") + 1
        delimiter = [_DELIMITER.fullmatch(text) for _, text in _cells(rest[0][1])] if rest else []
        if not delimiter or not all(delimiter):
            self.error(line, col, "a table's first row must be followed by its delimiter row, such as |---|--:| "
                       "(one cell a column: --: sets it right, :-: centres it)")
            return
        if len(delimiter) != len(head):
            self.error(rest[0][0], col, f"the delimiter row has {len(delimiter)} cells and the table's first row "
                       f"{len(head)}: give it one a column")
            return
        align = ["center" if m[1] and m[2] else "right" if m[2] else "left" for m in delimiter]
        table = Block("table", [], line, align=align)
        for k, (lineno, text) in enumerate([(line, raw)] + rest[1:]):
            cells = _cells(text)
            if len(cells) > len(head):
                at, _ = cells[len(head)]
                self.error(lineno, at, f"this row has {len(cells)} cells and the table's first row {len(head)}: "
                           "join or remove the extra ones (a '|' in the text is written '\\|')")
                continue
            row = []
            for at, cell in cells + [(len(text), "")] * (len(head) - len(cells)):
                spans, places = self.spans([(lineno, " " * at + cell)])
                row.append(Block("head_cell" if k == 0 else "cell", spans, lineno, places=places))
            table.cells.append(row)
        blocks.append(table)

    def figure(self, blocks: list[Block], lineno: int, indent: int, s: str) -> None:
        split = s.rfind("](")
        m = _FIGURE_TARGET.fullmatch(s, split + 2) if split >= 2 else None
        if not m:
            self.error(lineno, indent + 1, 'malformed figure: expected ![caption](path) or '
                       '![caption](path "credit") alone on its line')
            return
        image = m.group("apath") if m.group("apath") is not None else m.group("path")
        image = image.strip()
        if not image:
            self.error(lineno, indent + 1, "figure has no image path")
            return
        cap_col = indent + 2  # index of the caption's first character, 0-based
        spans, places = self.spans([(lineno, " " * cap_col + s[2:split])])
        credit = m.group("credit")
        credit = credit.strip() if credit is not None else None
        blocks.append(
            Block(
                "figure",
                spans,
                lineno,
                image=image,
                image_path=resolved(self.base_dir / image),
                credit=credit or None,
                places=places,
            )
        )

    # -- inline text --------------------------------------------------------------------------

    def spans(self, lines: list[tuple[int, str]]) -> tuple[list[Span], list[tuple[int, int, int]]]:
        """Join lines (CJK-aware) and split them into strong / plain spans; with where the text was
        written (see `Block.places`).

        Each raw line may carry leading blanks (counted for columns); an unclosed ``**`` is
        reported at its own line:col.
        """
        out: list[Span] = []
        buf: list[str] = []
        places: list[tuple[int, int, int]] = []
        length = 0  # characters of the text so far
        strong = False
        open_at: tuple[int, int] = (0, 0)
        last_char = ""  # last text character emitted (for the join rule)
        broken = False  # the line before ended in a hard break
        final = max((k for k, (_, raw) in enumerate(lines) if raw.strip()), default=-1)
        for k, (lineno, raw) in enumerate(lines):
            content = raw.strip()
            if not content:
                continue
            # a Markdown hard break: a line ending in an unescaped backslash ends a line of the
            # paragraph there (verse); on the paragraph's last line it is a backslash, as in
            # CommonMark. (Not CommonMark's two trailing spaces: wire copy is full of invisible ones.)
            hard = k < final and (len(content) - len(content.rstrip("\\"))) % 2 == 1
            if hard:
                content = content[:-1].rstrip()
            base = len(raw) - len(raw.lstrip())
            # tokens: runs of text as written, and None for '**', each with its column
            tokens: list[tuple[str | None, int]] = []
            pos = 0
            for m in _INLINE.finditer(content):
                if m.start() > pos:
                    tokens.append((content[pos:m.start()], base + pos + 1))
                if m.group(1) is not None:
                    tokens.append((m.group(1), base + m.start() + 2))  # an escaped character stands for itself
                else:
                    tokens.append((None, base + m.start() + 1))
                pos = m.end()
            if pos < len(content):
                tokens.append((content[pos:], base + pos + 1))
            first_char = next((piece[0] for piece, _ in tokens if piece), "")
            join = ""
            if broken and last_char:
                join = "\n"
            elif last_char and first_char and not (is_cjk(last_char) or is_cjk(first_char)):
                join = " "
            if join:
                buf.append(join)
                length += 1
            broken = hard
            for piece, col in tokens:
                if piece is None:
                    if buf:
                        out.append(Span("".join(buf), strong))
                        buf = []
                    strong = not strong
                    if strong:
                        open_at = (lineno, col)
                else:
                    places.append((length, lineno, col))
                    buf.append(piece)
                    length += len(piece)
                    last_char = piece[-1]
        if buf:
            out.append(Span("".join(buf), strong))
        if strong:
            self.error(open_at[0], open_at[1], "unclosed '**' (strong text starts here)")
        return [s for s in out if s.text], places


def _cells(raw: str) -> list[tuple[int, str]]:
    """A table row's cells between its pipes, each with where it starts in the line (0-based); a
    '\\|' is a pipe in the text."""
    bars, escaped = [], False
    for k, ch in enumerate(raw):
        if ch == "|" and not escaped:
            bars.append(k)
        escaped = ch == "\\" and not escaped
    return [(a + 1, raw[a + 1:b]) for a, b in zip(bars, bars[1:])]
