"""Shared fixtures: small throw-away projects in tmp_path, and the sample page built once per session.

The sample page is built from a *snapshot* of layout/, styles/ and seeds/ copied into a temporary
folder, so that every test of the session sees the same inputs (others edit the layout while the
suite runs) and the text checks compare the PDF with the very stories it was built from.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from broadsheet.tools.build import build
from broadsheet.diagnostics import InputError

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_SPEC = ROOT / "layout" / "dangjian.yaml"
NEWSPAPER_STYLES = ROOT / "styles" / "newspaper.yaml"
STORY_NAMES = ["huanren", "lingyuan", "sikao", "zhitongche"]


def broadsheet_exe() -> str:
    """The console script of the environment running the tests (.venv/bin/broadsheet)."""
    exe = Path(sys.executable).parent / "broadsheet"
    if exe.is_file():
        return str(exe)
    found = shutil.which("broadsheet")
    assert found, "the broadsheet console script is not installed"
    return found


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([broadsheet_exe(), *map(str, args)], cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=timeout)


# ---------------------------------------------------------------------------------------------
# positions in the YAML we write


def pos(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the nth occurrence of `needle` in `text` (columns count characters,
    as PyYAML's marks do)."""
    start = -1
    for _ in range(nth):
        start = text.find(needle, start + 1)
        assert start >= 0, f"{needle!r} (occurrence {nth}) not in the text"
    line = text.count("\n", 0, start) + 1
    col = start - (text.rfind("\n", 0, start) + 1) + 1
    return line, col


DIAG = re.compile(r"^(?P<file>[^:\n]+?)(?::(?P<line>\d+):(?P<col>\d+))?: (?P<sev>error|warning): (?P<msg>.*)$")


def parse_diag(text: str) -> tuple[str, int | None, int | None, str, str]:
    m = DIAG.match(text)
    assert m, f"not a diagnostic: {text!r}"
    line = int(m["line"]) if m["line"] else None
    col = int(m["col"]) if m["col"] else None
    return m["file"], line, col, m["sev"], m["msg"]


# ---------------------------------------------------------------------------------------------
# small projects

#: The small project's margins: its four columns are 13 body characters wide (a whole measure).
MINI_MARGINS = "margins: {top: 15mm, bottom: 15mm, left: 17.7mm, right: 17.7mm}"
MINI_SPEC = """\
title: 小样测试
subject: 测试主题
page:
  size: A4
  """ + MINI_MARGINS + """
grid:
  columns: 4
  gutter: 1字
  line: 14pt
styles: styles.yaml
stories:
  - story: story.md
    frame: {columns: 1-4, top: 0, bottom: end}
"""

MINI_STORY = """\
---
title: 小样标题
---

这是一段测试文字,用来检验排版是否正确。

## 小标题

第二段文字，内容简短。
"""


class Mini:
    """A project in a temporary folder (the working directory during the test, so that file names in
    diagnostics are the short relative names we wrote)."""

    def __init__(self, root: Path):
        self.root = root
        self.texts: dict[str, str] = {}
        self.write("styles.yaml", NEWSPAPER_STYLES.read_text(encoding="utf-8"))
        self.write("story.md", MINI_STORY)
        self.write("spec.yaml", MINI_SPEC)

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.texts[name] = text
        return path

    def spec(self, text: str) -> Path:
        return self.write("spec.yaml", text)

    def pos(self, name: str, needle: str, nth: int = 1) -> tuple[int, int]:
        return pos(self.texts[name], needle, nth)

    def at(self, name: str, needle: str, nth: int = 1) -> str:
        """'name:line:col' of the nth occurrence of `needle` in the file `name`."""
        line, col = self.pos(name, needle, nth)
        return f"{name}:{line}:{col}"

    def build(self, out: str = "out.pdf", allow_overset: bool = False):
        return build(Path("spec.yaml"), Path(out), allow_overset)

    def errors(self) -> list[str]:
        """The diagnostics of a build that must fail with invalid input, as printed."""
        with pytest.raises(InputError) as info:
            self.build()
        assert not (self.root / "out.pdf").exists(), "a failed build wrote its output"
        return [str(d) for d in info.value.diagnostics]


@pytest.fixture(scope="session", autouse=True)
def isolated_cache(tmp_path_factory) -> Path:
    """A font cache of this session's own (BROADSHEET_CACHE, inherited by CLI subprocesses): the
    user's ~/.cache/broadsheet may hold entries written by other checkouts or other working
    directories (see test_cli.py::test_font_cache_is_independent_of_the_working_directory), and
    other processes write to it while the suite runs."""
    path = tmp_path_factory.mktemp("cache")
    old = os.environ.get("BROADSHEET_CACHE")
    os.environ["BROADSHEET_CACHE"] = str(path)
    yield path
    if old is None:
        os.environ.pop("BROADSHEET_CACHE", None)
    else:
        os.environ["BROADSHEET_CACHE"] = old


@pytest.fixture
def mini(tmp_path, monkeypatch) -> Mini:
    monkeypatch.chdir(tmp_path)
    return Mini(tmp_path)


def find(diags: list[str], where: str, *words: str) -> str:
    """The one diagnostic at `where` (file:line:col) whose message contains all `words`."""
    hits = [d for d in diags if d.startswith(where + ": error: ") and all(w in d for w in words)]
    assert len(hits) == 1, f"expected one error at {where} containing {words}; got:\n" + "\n".join(diags)
    return hits[0]


# ---------------------------------------------------------------------------------------------
# page layout on small projects: filler stories, the lines they come out as, a story's context

GRID_SPEC = MINI_SPEC.split("stories:")[0] + "stories:\n"  # the small A4 project, without its story
LONG = "　".join(["这是一段用来测试排版的文字，内容没有实际意义，只是让正文足够长，可以流过好几栏。"] * 3)


def filler(title: str | None, paragraphs: int, extra: str = "") -> str:
    """A story of numbered paragraphs of LONG text, with a title if given, and `extra` after them."""
    head = f"---\ntitle: {title}\n---\n\n" if title else ""
    return head + "\n\n".join(f"{k}号段落{LONG}" for k in range(1, paragraphs + 1)) + "\n" + extra


def runs(result, page: int = 1, story_name: str | None = None, role: str | None = None) -> list:
    """The glyph runs of a laid-out page, of one story and role if given."""
    out = result.document.pages[page - 1].runs()
    return [r for r in out if (story_name is None or r.story == story_name) and (role is None or r.role == role)]


def column_of(geo, x: float) -> int:
    """The grid column a run starting at x stands in."""
    return int((x - geo.x0 + geo.gutter / 2) // (geo.col_w + geo.gutter)) + 1


def story_context(project, name: str | None = None):
    """A fresh StoryContext for one story of a loaded project (the first by default), made as
    page.layout makes it: a document of its own, the story's report, its frame twice."""
    from broadsheet.display import Document, Page
    from broadsheet.page.compositions import Compositions
    from broadsheet.page.context import StoryContext
    from broadsheet.page.frame import FrameSpace
    from broadsheet.page.result import Result
    from broadsheet.page.setter import Setter

    job = next(j for j in project.jobs if name is None or j.name == name)
    geo = project.geometry
    setter = Setter(project.styles, project.chains, geo, Compositions(Path(project.spec_file), project.chains))
    doc = Document([Page(p.number, geo.page_w, geo.page_h, label=p.label) for p in project.pages], project.title,
                   project.subject, geo, project.author)
    result = Result(doc)
    frame = FrameSpace(job.segments, job.reading)
    others = [(o.name, seg) for o in project.jobs if o is not job for seg in o.segments]
    return StoryContext(job, setter, doc, project.pages, result.report(job.name), result.diagnostics, frame,
                        frame.copy(), others)


# ---------------------------------------------------------------------------------------------
# the sample page, built once


@dataclass(repr=False)  # the layout result holds whole fonts: pytest would print them for minutes
class Sample:
    root: Path  # the snapshot of the project
    spec_path: Path
    spec: dict
    pdf_path: Path
    pdf: bytes
    result: object  # broadsheet.layout.Result
    warnings: list

    def __repr__(self) -> str:
        return f"<Sample {self.spec_path} -> {self.pdf_path} ({len(self.pdf)} bytes)>"

    def story_paths(self) -> list[Path]:
        return [(self.spec_path.parent / s["story"]).resolve() for s in self.spec["stories"]]


def snapshot_project(dest: Path) -> Path:
    """Copy the sample's inputs (layout, styles, stories) to dest; returns the copied spec."""
    for folder in ("layout", "styles", "seeds"):
        shutil.copytree(ROOT / folder, dest / folder)
    shutil.copy(ROOT / ".broadsheet", dest / ".broadsheet")  # the project root: styles/ and seeds/ lie inside it
    return dest / "layout" / SAMPLE_SPEC.name


@pytest.fixture(scope="session")
def sample(tmp_path_factory, isolated_cache) -> Sample:
    base = tmp_path_factory.mktemp("sample")
    spec_path = snapshot_project(base / "project")
    out = base / "out" / "dangjian.pdf"
    result, warnings = build(spec_path, out, allow_overset=True)
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    return Sample(base / "project", spec_path, spec, out, out.read_bytes(), result, warnings)


# ---------------------------------------------------------------------------------------------
# a tiny font made on the spot (fontTools' FontBuilder): one glyph, the licence flags, weight and
# slant a test asks for


def _triangle():
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    pen.moveTo((0, 0)), pen.lineTo((500, 0)), pen.lineTo((250, 700)), pen.closePath()
    return pen.glyph()


def small_truetype(family: str, advance: int, os2: bool = True, style: str = "Regular", weight: int = 400,
                    fs_selection: int = 0x40, fs_type: int = 0x0002):
    from fontTools.fontBuilder import FontBuilder

    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder([".notdef", "A"])
    fb.setupCharacterMap({65: "A"})
    fb.setupGlyf({".notdef": _triangle(), "A": _triangle()})
    fb.setupHorizontalMetrics({".notdef": (500, 0), "A": (advance, 0)})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": family, "styleName": style})
    if os2:
        fb.setupOS2(fsType=fs_type, sTypoAscender=800, sTypoDescender=-200, usWeightClass=weight,
                    fsSelection=fs_selection)
    fb.setupPost()
    return fb.font


def small_pair(folder: Path) -> Path:
    """A collection of two small faces, 'First Face' and 'Second Face', free to embed."""
    from fontTools.ttLib import TTCollection

    path = folder / "pair.ttc"
    collection = TTCollection()
    collection.fonts = [small_truetype("First Face", 600, fs_type=0), small_truetype("Second Face", 700, fs_type=0)]
    collection.save(path)
    return path


@pytest.fixture(scope="session")
def chain():
    """The bundled 书宋 (Noto Serif CJK SC) as a font chain, for composing text directly."""
    from broadsheet.fonts.faces import FontChain, load_face

    return FontChain([load_face(ROOT / "fonts" / "NotoSerifCJKsc-Regular.otf")])


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in the file with `new` (there must be one), as an editor's save."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
