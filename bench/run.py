#!/usr/bin/env python
"""Whole-process benchmark of broadsheet, and of Typst on the same text.

Run from the repository:  .venv/bin/python bench/run.py [--runs N] [--no-typst] [--keep]

Prints a Markdown table (for the README) and a few details below it.

What is measured
----------------
Every number is one WHOLE PROCESS, started the way a user starts it:

* broadsheet: the console script ``.venv/bin/broadsheet build SPEC -o OUT.pdf``;
* Typst:      ``.venv/bin/python -c "import typst; typst.compile(...)"`` (the PyPI binding, run as
  a fresh interpreter; no ``typst`` CLI binary is used unless one is on PATH, see --typst-cli).

Wall clock: ``time.perf_counter`` around ``Popen`` + ``os.wait4`` (median of --runs runs; the cases
are interleaved run by run so that machine noise hits all of them alike).
Peak memory: the ``ru_maxrss`` that ``os.wait4(pid)`` returns for exactly that child (Linux: KiB),
i.e. the child's own peak resident set; no RUSAGE_CHILDREN deltas, no /usr/bin/time needed.
Reported is the median over the runs, in MiB.

Cases
-----
* the sample page ``layout/dangjian.yaml``: cold (BROADSHEET_CACHE = a new empty temp dir for
  every run) and warm (a cache dir prepared by one untimed build);
* the benchmark document: the text of the four seed stories (titles, ``##`` subheads, body
  paragraphs; flags, kickers, bylines, photos, credits and signatures left out) on a 390 x 540 mm
  page, 20 mm margins, 8 columns with 4 mm gutters, Noto Serif CJK SC 9 pt on a 14 pt line pitch,
  justified, 2-character first-line indent, titles and subheads Noto Serif CJK SC Bold 14 pt;
  once (1 page) and 20 times over. broadsheet cold and warm against Typst in the same loop, Typst
  both with the bundled fonts only (the ratio that counts) and with its default font discovery
  (system fonts scanned too, as the `typst` CLI does unless told otherwise).
  broadsheet gets exactly as many pages as the text needs (found by one untimed build into
  plenty of pages); Typst paginates by itself.

Generated inputs and outputs go to bench/out/ (git-ignored). Page 1 of every PDF is rendered to
PNG there (``--png-dpi``) so that the output can be looked at.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
FONTS = ROOT / "fonts"
BIN = Path(sys.executable).parent
BROADSHEET = BIN / "broadsheet"
SAMPLE = ROOT / "layout" / "dangjian.yaml"
SEEDS = ("huanren", "lingyuan", "sikao", "zhitongche")

PAGE_W_MM, PAGE_H_MM, MARGIN_MM = 390, 540, 20
COLUMNS, GUTTER_MM = 8, 4
BODY_PT, PITCH_PT, HEAD_PT, HEAD_PITCH_PT = 9, 14, 14, 21

TYPST_SNIPPET = (
    "import sys, typst; "
    "typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]], ignore_system_fonts=sys.argv[4] == 'bundled')"
)


# ------------------------------------------------------------------------------------------------
# measuring one process


@dataclass
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds of the child and the workers it waited for (os.wait4)
    rss_kib: int
    rc: int
    stdout: str
    stderr: str


def run_process(cmd: list[str], env: dict[str, str] | None = None) -> Sample:
    """Run `cmd` to completion; wall clock and the child's own peak RSS (os.wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here; keep Popen from waiting
        out.seek(0)
        err.seek(0)
        return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, proc.returncode, out.read().decode(errors="replace"),
                      err.read().decode(errors="replace"))


def checked(sample: Sample, what: str) -> Sample:
    if sample.rc != 0:
        sys.exit(f"bench: {what} failed (exit {sample.rc}):\n{sample.stdout}{sample.stderr}")
    return sample


@dataclass
class Case:
    """One timed command, prepared and run `runs` times."""

    name: str
    cmd: list[str]
    env_for_run: object  # callable() -> env dict, called before every run (fresh cache dirs)
    samples: list[Sample] = field(default_factory=list)
    new_entries: int = 0  # cache entries written by warm runs (should stay 0)
    before: object = None  # callable(run number) -> None, called before every run (an edit)

    def run(self) -> None:
        if self.before is not None:
            self.before(len(self.samples))
        env = self.env_for_run()
        cache = env.get("BROADSHEET_CACHE") if env else None
        warm = cache is not None and not Path(cache).name.startswith("cold-")
        before = _cache_files(Path(cache)) if warm else 0
        s = checked(run_process(self.cmd, env), self.name)
        self.samples.append(s)
        if warm:
            # a warm run must find everything: new entries mean a miss (e.g. a font file was
            # rewritten, and the cache keys on size + mtime), so that run was not really warm
            self.new_entries += _cache_files(Path(cache)) - before
        elif cache:
            shutil.rmtree(cache, ignore_errors=True)

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def spread(self) -> tuple[float, float]:
        return min(s.wall for s in self.samples), max(s.wall for s in self.samples)

    @property
    def rss_mib(self) -> float:
        return statistics.median(s.rss_kib for s in self.samples) / 1024

    @property
    def build_times(self) -> list[float]:
        """The build time the broadsheet CLI prints, '(… s)', per run."""
        out = []
        for s in self.samples:
            m = re.search(r"([\d.]+) s\)\s*$", s.stdout.strip())
            if m:
                out.append(float(m.group(1)))
        return out


def _cache_files(path: Path) -> int:
    return sum(1 for p in path.rglob("*.pickle")) if path.is_dir() else 0


def other_cpu() -> float | None:
    """CPU seconds the whole machine has been busy (/proc/stat) minus those of this process and
    its children: what the rest of the machine used. None where /proc/stat is missing."""
    import resource

    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
    except OSError:
        return None
    busy = (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # all but idle, iowait
    own = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        ru = resource.getrusage(who)
        own += ru.ru_utime + ru.ru_stime
    return busy - own


def base_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


def cold_env(tmp: Path):
    def make() -> dict[str, str]:
        env = base_env()
        env["BROADSHEET_CACHE"] = tempfile.mkdtemp(prefix="cold-", dir=tmp)
        return env
    return make


def warm_env(cache: Path):
    def make() -> dict[str, str]:
        env = base_env()
        env["BROADSHEET_CACHE"] = str(cache)
        return env
    return make


def broadsheet_cmd(spec: Path, pdf: Path) -> list[str]:
    return [str(BROADSHEET), "build", str(spec), "-o", str(pdf)]


def typst_cmd(typ: Path, pdf: Path, fonts: str = "bundled") -> list[str]:
    """Typst with the bundled fonts only, or ("system") with its default font discovery too."""
    return [sys.executable, "-c", TYPST_SNIPPET, str(typ), str(pdf), str(FONTS), fonts]


# ------------------------------------------------------------------------------------------------
# the benchmark document


def seed_items() -> list[tuple[str, str]]:
    """The seed stories' text as (kind, text), kind in title / subhead / para, in reading order."""
    return [item for name in SEEDS for item in items_of_seed(name)]


def items_of_seed(name: str) -> list[tuple[str, str]]:
    """One seed story's title, subheads and body paragraphs (**strong** marks dropped: plain text)."""
    from broadsheet.input.story import load_story

    story = load_story(ROOT / "seeds" / f"{name}.md")
    title = story.head_text("title")
    items = [("title", title)] if title else []
    return items + [(b.kind, b.text) for b in story.blocks if b.kind in ("para", "subhead")]


def _escape_story(text: str) -> str:
    text = text.replace("\\", "\\\\").replace("*", "\\*")
    if text[:1] in "#@!":
        text = "\\" + text
    return text


def story_markdown(items: list[tuple[str, str]]) -> str:
    (kind, title), rest = items[0], items[1:]
    assert kind == "title"
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}", "---", ""]
    for kind, text in rest:
        lines.append(f"## {_escape_story(text)}" if kind in ("title", "subhead") else _escape_story(text))
        lines.append("")
    return "\n".join(lines)


def style_sheet() -> str:
    """The benchmark's style sheet: body, title and subhead as the benchmark defines them; every
    other paragraph style the engine requires (broadsheet.input.load.ELEMENTS), with what it is based
    on, the font roles and the `strong` character style copied from styles/newspaper.yaml."""
    import yaml
    from broadsheet.input.load import ELEMENTS

    own = {
        "body": {"font": "书宋", "size": f"{BODY_PT}pt", "leading": f"{PITCH_PT}pt", "indent": "2字",
                 "align": "justify", "color": "black"},
        "title": {"font": "标宋", "size": f"{HEAD_PT}pt", "leading": f"{HEAD_PITCH_PT}pt", "align": "center",
                  "indent": "0字", "space_after": "0.5行"},
        "subhead": {"font": "标宋", "size": f"{HEAD_PT}pt", "leading": f"{HEAD_PITCH_PT}pt", "align": "center",
                    "indent": "0字", "space_before": "0.5行", "space_after": "0.5行"},
    }
    news = yaml.safe_load((ROOT / "styles" / "newspaper.yaml").read_text(encoding="utf-8"))
    paragraph = dict(own)

    def copy(name: str) -> None:
        if name in paragraph:
            return
        if name not in news.get("paragraph", {}):
            sys.exit(f"bench: the engine needs a '{name}' paragraph style and styles/newspaper.yaml has none")
        paragraph[name] = dict(news["paragraph"][name])
        if paragraph[name].get("based_on"):
            copy(paragraph[name]["based_on"])

    for element in ELEMENTS:
        copy(element)
    character = {"strong": news["character"]["strong"]} if "strong" in news.get("character", {}) else {}
    fonts = {"书宋": "Noto Serif CJK SC", "标宋": "Noto Serif CJK SC Bold"}
    used = {st.get("font") for st in [*paragraph.values(), *character.values()]}
    fonts.update({role: v for role, v in news.get("fonts", {}).items() if role in used and role not in fonts})
    sheet = {"fonts": fonts, "paragraph": paragraph, "character": character}
    return ("# Generated by bench/run.py: the benchmark document's style sheet (body, title, subhead;\n"
            "# the other styles the engine needs copied from styles/newspaper.yaml).\n"
            + yaml.safe_dump(sheet, allow_unicode=True, sort_keys=False))


#: The page, grid and style sheet of every generated spec (the document and the editions).
PAGE_GRID = f"""\
page:
  size: [{PAGE_W_MM}mm, {PAGE_H_MM}mm]
  margins: {MARGIN_MM}mm
grid:
  columns: {COLUMNS}
  gutter: {GUTTER_MM}mm
  line: {PITCH_PT}pt
styles: bench.yaml
"""


def spec_yaml(pages: int) -> str:
    frame = "\n".join(f"      - {{columns: 1-{COLUMNS}, page: {p}}}" for p in range(1, pages + 1))
    return f"""\
# Generated by bench/run.py: the benchmark document, {pages} page(s).
title: broadsheet benchmark
{PAGE_GRID}stories:
  - story: bench.md
    headline: {{columns: 1-1, align: center}}   # the first title heads column 1, as in Typst
    frame:
{frame}
"""


def _typst_str(text: str) -> str:
    return '#"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def typst_source(items: list[tuple[str, str]]) -> str:
    """The same text and settings as Typst markup (text inserted as string literals: no escaping
    problems, no smart quotes). ASCII punctuation is made full width the way broadsheet does."""
    from broadsheet.text.punctuation import full_width_punctuation

    head = f"""\
// Generated by bench/run.py: the benchmark document for Typst.
#set document(title: "broadsheet benchmark")
#set page(width: {PAGE_W_MM}mm, height: {PAGE_H_MM}mm, margin: {MARGIN_MM}mm, columns: {COLUMNS})
#set columns(gutter: {GUTTER_MM}mm)
// top-edge 1em + bottom-edge 0 make every line box exactly one em high, so leading (the gap
// between line boxes) of pitch - size gives a fixed baseline pitch: 9pt + 5pt = 14pt.
#set text(font: "Noto Serif CJK SC", size: {BODY_PT}pt, lang: "zh", region: "cn",
          top-edge: 1em, bottom-edge: 0em)
#set par(justify: true, leading: {PITCH_PT - BODY_PT}pt, spacing: {PITCH_PT - BODY_PT}pt,
         first-line-indent: (amount: 2em, all: true))
#show heading: set text(size: {HEAD_PT}pt, weight: "bold")
#show heading: set par(leading: {HEAD_PITCH_PT - HEAD_PT}pt, justify: false)
#show heading: set align(center)
#show heading: set block(above: 12pt, below: 12pt)
"""
    body = []
    for kind, text in items:
        text, _ = full_width_punctuation(text)
        if kind == "title":
            body.append(f"= {_typst_str(text)}")
        elif kind == "subhead":
            body.append(f"== {_typst_str(text)}")
        else:
            body.append(_typst_str(text))
        body.append("")
    return head + "\n" + "\n".join(body)


@dataclass
class Doc:
    name: str
    copies: int
    dir: Path
    spec: Path = Path()
    typ: Path = Path()
    pages: int = 0
    typst_pages: int = 0


def prepare_doc(copies: int, items: list[tuple[str, str]], cache: Path) -> Doc:
    """Write story, style sheet, spec (with just enough pages) and .typ for `copies` copies."""
    from broadsheet.input.story import parse_story

    doc = Doc(f"x{copies}", copies, OUT / f"doc-x{copies}")
    doc.dir.mkdir(parents=True, exist_ok=True)
    all_items = items * copies
    story = doc.dir / "bench.md"
    story.write_text(story_markdown(all_items), encoding="utf-8")
    (doc.dir / "bench.yaml").write_text(style_sheet(), encoding="utf-8")
    # the story file must say exactly the text we mean
    parsed = parse_story(story.read_text(encoding="utf-8"), str(story), "bench")
    got = [("title", parsed.head_text("title"))] + [(b.kind, b.text) for b in parsed.blocks]
    want = [(k if i == 0 or k == "para" else "subhead", t) for i, (k, t) in enumerate(all_items)]
    if got != want:
        sys.exit(f"bench: the generated story {story} does not parse back to the seed text")
    doc.typ = doc.dir / "bench.typ"
    doc.typ.write_text(typst_source(all_items), encoding="utf-8")

    # pages: build once into plenty of pages, keep up to the last page with text
    env = warm_env(cache)()
    guess = max(2, copies + 2)
    while True:
        spec = doc.dir / "spec.yaml"
        spec.write_text(spec_yaml(guess), encoding="utf-8")
        pdf = doc.dir / "probe.pdf"
        s = run_process(broadsheet_cmd(spec, pdf), env)
        if s.rc == 1:  # overset: more pages
            guess *= 2
            continue
        checked(s, f"probe build of {spec}")
        break
    used = last_page_with_text(pdf)
    pdf.unlink()
    doc.pages = used
    spec.write_text(spec_yaml(used), encoding="utf-8")
    doc.spec = spec
    checked(run_process(broadsheet_cmd(spec, doc.dir / "broadsheet.pdf"), env), f"build of {spec}")
    checked(run_process(typst_cmd(doc.typ, doc.dir / "typst.pdf"), base_env()), f"Typst on {doc.typ}")
    doc.typst_pages = page_count(doc.dir / "typst.pdf")
    return doc


# ------------------------------------------------------------------------------------------------
# generated editions, and the one-paragraph edit


SCALE_PAGES = (1, 8, 24, 48, 100)


def edition_spec(pages: int) -> str:
    """An edition of `pages` pages, four stories a page in two columns each (the four seed
    stories, their text marked with the page so that no two pages share a paragraph)."""
    stories = "\n".join(
        f"  - story: p{p}-{k + 1}.md\n    frame: {{columns: {2 * k + 1}-{2 * k + 2}, page: {p}}}\n"
        f"    headline: {{columns: {2 * k + 1}-{2 * k + 2}, align: center}}"
        for p in range(1, pages + 1) for k in range(len(SEEDS)))
    return f"""\
# Generated by bench/run.py: an edition of {pages} page(s), four stories a page.
title: broadsheet benchmark edition
{PAGE_GRID}stories:
{stories}
"""


def prepare_edition(pages: int, items_by_seed: list[list[tuple[str, str]]], cache: Path) -> Path:
    folder = OUT / f"edition-{pages}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bench.yaml").write_text(style_sheet(), encoding="utf-8")
    for p in range(1, pages + 1):
        for k, items in enumerate(items_by_seed):
            marked = [(kind, f"第{p}版{text}" if kind == "para" else text) for kind, text in items]
            if marked[0][0] != "title":  # a seed without a title gets one
                marked.insert(0, ("title", f"第{p}版要闻"))
            (folder / f"p{p}-{k + 1}.md").write_text(story_markdown(marked), encoding="utf-8")
    spec = folder / "spec.yaml"
    spec.write_text(edition_spec(pages), encoding="utf-8")
    checked(run_process(edition_cmd(spec, folder / "edition.pdf"), warm_env(cache)()), f"build of {spec}")
    if pages == max(SCALE_PAGES):  # Typst on the same stories, for time and memory (it paginates by itself)
        stories = [[(kind, f"第{p}版{text}" if kind == "para" else text) for kind, text in items]
                   for p in range(1, pages + 1) for items in items_by_seed]
        typ = folder / "edition.typ"
        typ.write_text(typst_source([item for story in stories for item in story]), encoding="utf-8")
        checked(run_process(typst_cmd(typ, folder / "typst.pdf"), base_env()), f"Typst on {typ}")
    return spec


def edition_cmd(spec: Path, pdf: Path, *extra: str) -> list[str]:
    """Editions set the seed stories into two columns, where some run over: built as proofs are."""
    return [*broadsheet_cmd(spec, pdf), "--allow-overset", "-v", *extra]


def proof_cmd(spec: Path, pdf: Path, dpi: float = 100) -> list[str]:
    return [str(BROADSHEET), "proof", str(spec), "-o", str(pdf), "--allow-overset", "--dpi", f"{dpi:g}", "-v"]


def paragraph_editor(story: Path):
    """Before run k: the same body paragraph (the middle one) with and without a two-character
    prefix, so that every timed rebuild follows a one-paragraph edit (of characters the document
    has already: the font subsets stay cached)."""
    original = story.read_text(encoding="utf-8")
    paragraphs = original.split("\n\n")
    k = len(paragraphs) // 2 + 1
    while paragraphs[k].startswith("#"):
        k += 1
    edited = paragraphs[:k] + ["本报" + paragraphs[k]] + paragraphs[k + 1:]
    versions = ["\n\n".join(edited), original]

    def edit(run: int) -> None:
        story.write_text(versions[run % 2], encoding="utf-8")
    return edit


def stage_ms(sample: Sample, stage: str) -> float | None:
    """A stage's time from the -v line of a build ('layout 123 ms'), in seconds."""
    m = re.search(rf"\b{stage} (\d+) ms", sample.stdout + sample.stderr)
    return int(m.group(1)) / 1000 if m else None


# ------------------------------------------------------------------------------------------------
# looking at PDFs


def _pdf(path: Path):
    import pypdfium2 as pdfium

    return pdfium.PdfDocument(str(path))


def page_count(path: Path) -> int:
    pdf = _pdf(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def last_page_with_text(path: Path) -> int:
    pdf = _pdf(path)
    try:
        last = 0
        for i in range(len(pdf)):
            tp = pdf[i].get_textpage()
            if tp.get_text_range().strip():
                last = i + 1
        return max(last, 1)
    finally:
        pdf.close()


JUMP = re.compile(r"[（(]\s*(?:下转|上接)第\s*\d+\s*版\s*[）)]")


def pdf_facts(path: Path) -> dict[str, object]:
    """Han characters on all pages, and the baseline pitch of the body lines in column 1 of page 1
    (the most common distance between successive baselines there)."""
    pdf = _pdf(path)
    try:
        han = jumps = 0
        for i in range(len(pdf)):
            text = pdf[i].get_textpage().get_text_range()
            # broadsheet adds jump lines where a story changes pages: not part of the text
            text, n = JUMP.subn("", text)
            jumps += n
            han += sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
        page = pdf[0]
        tp = page.get_textpage()
        w = page.get_width()
        col_right = (MARGIN_MM + (PAGE_W_MM - 2 * MARGIN_MM - (COLUMNS - 1) * GUTTER_MM) / COLUMNS) / 25.4 * 72
        bottoms: dict[float, int] = {}
        for k in range(tp.count_chars()):
            ch = tp.get_text_range(k, 1)
            if not ("\u4e00" <= ch <= "\u9fff"):
                continue
            left, bottom, right, top = tp.get_charbox(k)
            if right <= col_right + 1 and top - bottom < BODY_PT * 1.2:
                y = round(bottom, 0)
                bottoms[y] = bottoms.get(y, 0) + 1
        ys = sorted(y for y, n in bottoms.items() if n >= 3)
        gaps = [round(a - b, 1) for a, b in zip(ys[1:], ys)]
        pitch = statistics.mode(gaps) if gaps else None
        return {"han": han, "jumps": jumps, "pitch": pitch, "pages": len(pdf), "width_mm": round(w / 72 * 25.4, 1)}
    finally:
        pdf.close()


def render_png(pdf_path: Path, png: Path, dpi: float) -> None:
    pdf = _pdf(pdf_path)
    try:
        pdf[0].render(scale=dpi / 72).to_pil().save(png)
    finally:
        pdf.close()


# ------------------------------------------------------------------------------------------------
# import time of one warm sample build


def import_split(env: dict[str, str], runs: int, pdf: Path) -> dict[str, object]:
    """PYTHONPROFILEIMPORTTIME on the console script: total time spent importing, and that time
    split by top-level package (the self time of every module, summed per package)."""
    totals, per_pkg = [], {}
    for _ in range(runs):
        e = dict(env)
        e["PYTHONPROFILEIMPORTTIME"] = "1"
        s = checked(run_process(broadsheet_cmd(SAMPLE, pdf), e), "import-time run")
        total = 0
        pkgs: dict[str, int] = {}
        for line in s.stderr.splitlines():
            m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
            if not m:
                continue
            if len(m.group(3)) == 1:  # top level: one blank after the bar
                total += int(m.group(2))
            root = m.group(4).split(".")[0]
            pkgs[root] = pkgs.get(root, 0) + int(m.group(1))
        totals.append(total / 1e6)
        for k, v in pkgs.items():
            per_pkg.setdefault(k, []).append(v / 1e6)
    top = sorted(((statistics.median(v), k) for k, v in per_pkg.items()), reverse=True)[:8]
    return {"total": statistics.median(totals), "top": top}


def composer_share(spec: Path, runs: int) -> tuple[float, float, float]:
    """In-process, font caches warm, composition cache off: the composer's time (all paragraphs,
    titles and captions of the page), the layout stage and the whole build, medians in seconds.
    The composer is timed by wrapping `compose` where the composition cache calls it, and that
    cache is emptied before every run (measurement only; the product has no such hook)."""
    sys.path.insert(0, str(ROOT / "src"))
    from broadsheet.tools import build as build_mod
    from broadsheet.page import compositions
    from broadsheet.stats import Stats

    original = compositions.composer.compose
    spent = [0.0]

    def timed(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - t0

    compositions.composer.compose = timed
    comp, lay, total = [], [], []
    saved = os.environ.get("BROADSHEET_CACHE")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["BROADSHEET_CACHE"] = str(Path(tmp) / "cache")
            for _ in range(runs + 1):  # the first run fills the font caches
                spent[0] = 0.0
                compositions._memory.clear()
                compositions._files.clear()
                shutil.rmtree(compositions.cache.cache_dir() / "lines", ignore_errors=True)
                stats = Stats()
                t0 = time.perf_counter()
                build_mod.build(spec, Path(tmp) / "out.pdf", stats=stats)
                total.append(time.perf_counter() - t0)
                comp.append(spent[0])
                lay.append(stats.timings["layout"])
    finally:
        compositions.composer.compose = original
        if saved is None:
            os.environ.pop("BROADSHEET_CACHE", None)
        else:
            os.environ["BROADSHEET_CACHE"] = saved
    return statistics.median(comp[1:]), statistics.median(lay[1:]), statistics.median(total[1:])


def watch_rebuild(edits: int, env: dict[str, str]) -> tuple[list[float], list[float]]:
    """`broadsheet watch` on a copy of the sample project: seconds from saving a one-line style
    change (the title's size, back and forth) to the rewritten PDF and to the rewritten proof PNG,
    per edit."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for folder in ("layout", "styles", "seeds"):
            shutil.copytree(ROOT / folder, root / folder)
        shutil.copy(ROOT / ".broadsheet", root / ".broadsheet")  # the project root
        png, pdf = root / "out" / "dangjian.png", root / "out" / "dangjian.pdf"
        proc = subprocess.Popen([str(BROADSHEET), "watch", "layout/dangjian.yaml", "-o", "out/dangjian.pdf"],
                                cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            for line in proc.stdout:  # the first build, then the watch starts
                if "watching" in line:
                    break
            sheet = root / "styles" / "newspaper.yaml"
            to_pdf, to_png = [], []
            for k in range(edits):
                old, new = ("size: 小初", "size: 一号") if k % 2 == 0 else ("size: 一号", "size: 小初")
                before_png, before_pdf = png.stat().st_mtime_ns, pdf.stat().st_mtime_ns
                text = sheet.read_text(encoding="utf-8").replace(old, new, 1)
                t0 = time.perf_counter()
                sheet.write_text(text, encoding="utf-8")
                t_pdf = None
                while png.stat().st_mtime_ns == before_png:
                    if t_pdf is None and pdf.stat().st_mtime_ns != before_pdf:
                        t_pdf = time.perf_counter() - t0
                    if time.perf_counter() - t0 > 20:
                        raise RuntimeError("watch did not rebuild within 20 s")
                    time.sleep(0.001)
                to_png.append(time.perf_counter() - t0)
                to_pdf.append(t_pdf if t_pdf is not None else to_png[-1])
                time.sleep(0.3)  # let the watcher settle before the next edit
            return to_pdf, to_png
        finally:
            proc.terminate()
            proc.wait(10)


# ------------------------------------------------------------------------------------------------
# report


def fmt_s(x: float) -> str:
    return f"{x:.2f} s" if x < 10 else f"{x:.1f} s"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="timed runs per case (median reported; default 5)")
    ap.add_argument("--copies", type=int, default=20, help="copies of the text in the long document (default 20)")
    ap.add_argument("--png-dpi", type=float, default=60, help="resolution of the page-1 PNGs in bench/out (default 60)")
    ap.add_argument("--scale-runs", type=int, default=3, help="timed runs of each generated edition (default 3)")
    ap.add_argument("--proof-runs", type=int, default=2, help="timed runs of the 48-page proofs (default 2)")
    ap.add_argument("--typst-cli", default=shutil.which("typst"), help="a typst binary to time too (default: `typst` on PATH, if any)")
    args = ap.parse_args()
    if not BROADSHEET.exists():
        sys.exit(f"bench: {BROADSHEET} not found; run with the project's venv python (.venv/bin/python bench/run.py)")

    OUT.mkdir(parents=True, exist_ok=True)
    # byte-compile broadsheet's own modules once, as an installed package is: where
    # PYTHONDONTWRITEBYTECODE is set, every process would otherwise compile them from source
    import compileall

    compileall.compile_dir(str(ROOT / "src"), quiet=1)
    tmp = Path(tempfile.mkdtemp(prefix="broadsheet-bench-"))
    try:
        # warm caches: one per document so that each warm run finds exactly its own subsets
        warm = {k: tmp / f"warm-{k}" for k in ("sample", "x1", f"x{args.copies}")}
        print("preparing (untimed builds) …", file=sys.stderr)
        checked(run_process(broadsheet_cmd(SAMPLE, OUT / "sample.pdf"), warm_env(warm["sample"])()), "sample build")
        items = seed_items()
        docs = [prepare_doc(1, items, warm["x1"]), prepare_doc(args.copies, items, warm[f"x{args.copies}"])]

        cases: dict[str, Case] = {
            "sample cold": Case("sample cold", broadsheet_cmd(SAMPLE, OUT / "sample.pdf"), cold_env(tmp)),
            "sample warm": Case("sample warm", broadsheet_cmd(SAMPLE, OUT / "sample.pdf"), warm_env(warm["sample"])),
        }
        for d in docs:
            cases[f"{d.name} cold"] = Case(f"{d.name} cold", broadsheet_cmd(d.spec, d.dir / "broadsheet.pdf"), cold_env(tmp))
            cases[f"{d.name} warm"] = Case(f"{d.name} warm", broadsheet_cmd(d.spec, d.dir / "broadsheet.pdf"), warm_env(warm[d.name]))
            cases[f"{d.name} typst"] = Case(f"{d.name} typst", typst_cmd(d.typ, d.dir / "typst.pdf"), base_env)
            cases[f"{d.name} typst-sys"] = Case(f"{d.name} typst-sys", typst_cmd(d.typ, d.dir / "typst-sys.pdf", "system"),
                                                base_env)
            if args.typst_cli:
                cases[f"{d.name} typst-cli"] = Case(
                    f"{d.name} typst-cli",
                    [args.typst_cli, "compile", "--ignore-system-fonts", "--font-path", str(FONTS), str(d.typ), str(d.dir / "typst-cli.pdf")],
                    base_env)
        # the one-paragraph edit: a copy of the long document with a warm cache of its own
        long_doc = docs[-1]
        edit_dir = OUT / f"doc-{long_doc.name}-edit"
        shutil.rmtree(edit_dir, ignore_errors=True)
        shutil.copytree(long_doc.dir, edit_dir)
        warm["edit"] = tmp / "warm-edit"
        checked(run_process(broadsheet_cmd(edit_dir / "spec.yaml", edit_dir / "broadsheet.pdf"), warm_env(warm["edit"])()),
                "build of the edit copy")
        cases["edit"] = Case("edit", broadsheet_cmd(edit_dir / "spec.yaml", edit_dir / "broadsheet.pdf"),
                             warm_env(warm["edit"]), before=paragraph_editor(edit_dir / "bench.md"))

        # generated editions (warm) and the proofs of 48 pages
        print("preparing the editions …", file=sys.stderr)
        by_seed = [items_of_seed(name) for name in SEEDS]
        scale: dict[int, Case] = {}
        specs = {}
        for n in SCALE_PAGES:
            warm[f"ed{n}"] = tmp / f"warm-ed{n}"
            specs[n] = prepare_edition(n, by_seed, warm[f"ed{n}"])
            scale[n] = Case(f"edition {n}", edition_cmd(specs[n], specs[n].parent / "edition.pdf"), warm_env(warm[f"ed{n}"]))
        proofs = Case("proofs 48", proof_cmd(specs[48], OUT / "edition-48" / "proof" / "edition.pdf"), warm_env(warm["ed48"]))
        cold100 = Case("edition 100 cold", edition_cmd(specs[100], specs[100].parent / "cold.pdf"), cold_env(tmp))
        typst100 = Case("edition 100 typst", typst_cmd(specs[100].parent / "edition.typ", specs[100].parent / "typst.pdf"),
                        base_env)

        busy0, t0 = other_cpu(), time.perf_counter()
        for r in range(args.runs):
            print(f"run {r + 1}/{args.runs} …", file=sys.stderr)
            for case in cases.values():
                case.run()
        for r in range(args.scale_runs):
            print(f"editions, run {r + 1}/{args.scale_runs} …", file=sys.stderr)
            for case in scale.values():
                case.run()
            cold100.run()
            typst100.run()
        for r in range(args.proof_runs):
            print(f"proofs, run {r + 1}/{args.proof_runs} …", file=sys.stderr)
            proofs.run()
        busy1, t1 = other_cpu(), time.perf_counter()
        others = (busy1 - busy0) / (t1 - t0) if busy0 is not None and busy1 is not None else None
        imports = import_split(warm_env(warm["sample"])(), max(3, args.runs), tmp / "importtime.pdf")
        to_pdf, rebuilds = watch_rebuild(max(4, args.runs), warm_env(warm["sample"])())

        # check the outputs
        facts = {}
        for d in docs:
            for who in ("broadsheet", "typst"):
                pdf = d.dir / f"{who}.pdf"
                facts[(d.name, who)] = pdf_facts(pdf)
                render_png(pdf, d.dir / f"{who}-p1.png", args.png_dpi)
        render_png(OUT / "sample.pdf", OUT / "sample-p1.png", args.png_dpi)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    # ---- the table
    from importlib.metadata import version as _v

    try:
        typst_version = _v("typst")
    except Exception:
        typst_version = "?"

    def cell(c: Case) -> str:
        return fmt_s(c.wall)

    def mem(c: Case) -> str:
        return f"{c.rss_mib:.0f} MiB"

    rows = []
    rows.append(("Sample page `layout/dangjian.yaml`, cold", "1", cases["sample cold"], None, None))
    rows.append(("Sample page `layout/dangjian.yaml`, warm", "1", cases["sample warm"], None, None))
    for d in docs:
        label = "1 copy" if d.copies == 1 else f"{d.copies} copies"
        pages = f"{d.pages} / {d.typst_pages}"
        for state in ("cold", "warm"):
            rows.append((f"Benchmark text, {label}, {state}", pages, cases[f"{d.name} {state}"], cases[f"{d.name} typst"],
                         cases[f"{d.name} typst-sys"]))

    print()
    print(f"Whole processes, median of {args.runs} runs; {os.cpu_count()} CPUs "
          f"({platform.processor() or platform.machine()}), Python {platform.python_version()}, "
          f"broadsheet {_v('broadsheet')}, typst (PyPI) {typst_version}.")
    print()
    print("| Case | Pages (broadsheet / Typst) | broadsheet | broadsheet peak RSS | Typst | Typst peak RSS | broadsheet ÷ Typst "
          "| Typst, system fonts too | broadsheet ÷ that |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, pages, bs, ty, sy in rows:
        if ty is None:
            print(f"| {label} | {pages} | {cell(bs)} | {mem(bs)} | – | – | – | – | – |")
        else:
            print(f"| {label} | {pages} | {cell(bs)} | {mem(bs)} | {cell(ty)} | {mem(ty)} | {bs.wall / ty.wall:.1f}× "
                  f"| {cell(sy)} | {bs.wall / sy.wall:.1f}× |")
    edit, typst_long = cases["edit"], cases[f"{long_doc.name} typst"]
    print(f"| Benchmark text, {long_doc.copies} copies, rebuilt after a one-paragraph edit | {long_doc.pages} / "
          f"{long_doc.typst_pages} | {cell(edit)} | {mem(edit)} | {cell(typst_long)} | {mem(typst_long)} "
          f"| {edit.wall / typst_long.wall:.1f}× | – | – |")
    if args.typst_cli:
        for d in docs:
            c = cases[f"{d.name} typst-cli"]
            print(f"| Benchmark text, {d.name}: `typst` CLI ({args.typst_cli}) | {d.typst_pages} | – | – | {cell(c)} | {mem(c)} | – |")
    print()
    print("cold = BROADSHEET_CACHE is a new empty directory for every run; warm = a cache filled by one "
          "untimed build of the same document. Typst keeps no cache between processes; it runs as "
          "`python -c \"import typst; typst.compile(...)\"` with font_paths=[fonts/], "
          "ignore_system_fonts=True (the same bundled Noto fonts); 'system fonts too' is the same call "
          "with Typst's default font discovery (ignore_system_fonts=False), which scans the machine's "
          "fonts as the `typst` CLI does by default. Wall clock around Popen + os.wait4; "
          "peak RSS is the child's ru_maxrss from os.wait4."
          + " broadsheet's modules are byte-compiled before the runs, as an installed package's are.")

    # ---- the scale table
    print()
    print(f"Generated editions (four stories a page, no paragraph repeated; warm cache; median of "
          f"{args.scale_runs} runs; CPU = user + system time of the process and its workers):")
    print()
    print("| Edition | wall | CPU | CPU ÷ wall | peak RSS | wall per page | layout stage | pdf stage |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for n, c in [*scale.items(), (100, cold100)]:
        lay = statistics.median(v for v in (stage_ms(x, "layout") for x in c.samples) if v is not None)
        pdf_s = statistics.median(v for v in (stage_ms(x, "pdf") for x in c.samples) if v is not None)
        label = f"{n} page{'s' if n != 1 else ''}" + (", cold" if c is cold100 else "")
        print(f"| {label} | {cell(c)} | {fmt_s(c.cpu)} | {c.cpu / c.wall:.2f} | {mem(c)} | {c.wall / n * 1000:.0f} ms "
              f"| {fmt_s(lay)} | {fmt_s(pdf_s)} |")
    stage = [v for v in (stage_ms(x, "proofs") for x in proofs.samples) if v is not None]
    print(f"| 48 pages, `proof --dpi 100` ({os.cpu_count()} workers) | {cell(proofs)} | {fmt_s(proofs.cpu)} "
          f"| {proofs.cpu / proofs.wall:.2f} | {mem(proofs)} | {proofs.wall / 48 * 1000:.0f} ms "
          f"| proofs stage {fmt_s(statistics.median(stage)) if stage else '?'} | – |")
    folder = specs[100].parent
    ours, theirs = pdf_facts(folder / "edition.pdf"), pdf_facts(folder / "typst.pdf")
    print(f"| Typst, the 100-page edition's stories ({theirs['pages']} pages of its own) | {cell(typst100)} "
          f"| {fmt_s(typst100.cpu)} | {typst100.cpu / typst100.wall:.2f} | {mem(typst100)} "
          f"| {typst100.wall / theirs['pages'] * 1000:.0f} ms | – | – |")
    print()
    print(f"The 100-page edition sets {ours['han']:,} Han characters in broadsheet (the rest of each story is "
          f"overset, as the edition is built) and {theirs['han']:,} in Typst, which sets all of it.")

    # ---- details
    print()
    print("Details (min–max wall over the runs; CLI-reported build time, median):")
    for c in [*cases.values(), *scale.values(), cold100, typst100, proofs]:
        lo, hi = c.spread
        bt = c.build_times
        extra = f", CLI build time {statistics.median(bt):.2f} s" if bt else ""
        if c.new_entries:
            extra += f"  WARNING: the warm runs wrote {c.new_entries} new cache entries (cache misses)"
        print(f"  {c.name:<14} median {c.wall:6.2f} s  (min {lo:.2f}, max {hi:.2f}), peak {c.rss_mib:.0f} MiB{extra}")
    warm_s = cases["sample warm"]
    bt = statistics.median(warm_s.build_times) if warm_s.build_times else float("nan")
    print()
    print(f"Warm sample page, per stage (from outside): process {warm_s.wall:.2f} s; "
          f"build time printed by the CLI {bt:.2f} s ({bt / warm_s.wall:.0%}); "
          f"the rest (interpreter start, imports before the build timer, exit) {warm_s.wall - bt:.2f} s "
          f"({(warm_s.wall - bt) / warm_s.wall:.0%}).")
    print(f"  Watch mode, after a one-line style edit of the sample page is saved: the PDF rewritten "
          f"{statistics.median(to_pdf):.2f} s later (median; min {min(to_pdf):.2f}, max {max(to_pdf):.2f}), "
          f"the 100 dpi proof {statistics.median(rebuilds):.2f} s (min {min(rebuilds):.2f}, max {max(rebuilds):.2f}); "
          "both include the 20 ms the watcher waits for an editor to finish writing (tools/watch.SETTLE_MS).")
    comp, lay, total = composer_share(SAMPLE, args.runs)
    print(f"  Composer (line breaking and justification, in-process, warm): {comp * 1000:.0f} ms of the "
          f"{lay * 1000:.0f} ms layout stage and of the {total * 1000:.0f} ms build ({comp / total:.0%}).")
    print(f"  PYTHONPROFILEIMPORTTIME (separate runs): {imports['total']:.2f} s spent importing "
          f"({imports['total'] / warm_s.wall:.0%} of the process wall time); by package (self time): "
          + ", ".join(f"{k} {t:.3f} s" for t, k in imports["top"]))
    print()
    if others is not None:
        print(f"Other processes used {others:.2f} CPUs on average during the timed runs (of {os.cpu_count()})"
              + ("  WARNING: the machine was busy; the numbers are inflated, run again" if others > 0.5 else ""))
    print()
    print("Output checks (Han characters over all pages, jump lines 下转/上接 aside; body baseline pitch "
          "in column 1 of page 1):")
    for (name, who), f in facts.items():
        print(f"  {name:<4} {who:<10} pages {f['pages']:>2}, Han characters {f['han']:>6}, pitch {f['pitch']} pt"
              + (f", {f['jumps']} jump lines" if f["jumps"] else ""))
    for d in docs:
        a, b = facts[(d.name, "broadsheet")]["han"], facts[(d.name, "typst")]["han"]
        if a != b:
            print(f"  WARNING: {d.name}: broadsheet and Typst set different amounts of text ({a} vs {b} Han characters)")
    print(f"Page-1 PNGs: {OUT.relative_to(ROOT)}/sample-p1.png, "
          + ", ".join(f"{d.dir.relative_to(ROOT)}/{{broadsheet,typst}}-p1.png" for d in docs))


if __name__ == "__main__":
    main()
