"""A seeded mutation fuzzer of whole builds, run in-process (tests/test_fuzz.py, `make fuzz`).

The corpus is the sample project: `layout/dangjian.yaml`, `styles/newspaper.yaml` and its four
stories, each story cut to its head, one short paragraph and its figures, subheads and
directives, so that a build that gets through validation still takes tens of milliseconds. Each
run applies one to three mutations chosen by a seeded RNG (the run's number), builds, and
classifies the outcome. Only three are allowed, the ones the command line maps to exit 0, 1 and
2: success, `OversetError`, `InputError`; and every diagnostic, error or warning, names a file
and a line and prints no control character. Anything else (an exception, a hang past the time limit) is a
failure, reported with its seed, its mutations and the innermost broadsheet frame.

Run by hand: `python tests/fuzzing.py --runs 50000 [--seed N]` lists the distinct failure sites.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import signal
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C classes: mutating costs less than building
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

ROOT = Path(__file__).resolve().parents[1]
SPEC = "layout/dangjian.yaml"
STORIES = ("huanren", "lingyuan", "sikao", "zhitongche")
#: A run slower than this is a hang (a fast build takes 0.05–0.3 s on a busy machine).
TIME_LIMIT = 10.0

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def corpus() -> dict[str, bytes]:
    """The files of the fuzzed project, by path relative to its root."""
    files = {SPEC: (ROOT / SPEC).read_bytes(),
             "styles/newspaper.yaml": (ROOT / "styles/newspaper.yaml").read_bytes()}
    for name in STORIES:
        files[f"seeds/{name}.md"] = _short_story((ROOT / f"seeds/{name}.md").read_text(encoding="utf-8")).encode()
    return files


def _short_story(text: str) -> str:
    """The story's front matter and, of its body, one paragraph of 60 characters and every
    figure, subhead and directive, in order (a @sign only where it still follows a paragraph)."""
    _, head, body = text.split("---\n", 2)
    kept: list[str] = []
    paragraphs = 0
    for block in body.strip().split("\n\n"):
        if block[0] not in "!#@":
            if paragraphs == 1:
                continue
            paragraphs += 1
            block = block[:60] + ("**" if block[:60].count("**") % 2 else "")
        elif block.startswith("@sign") and not (kept and kept[-1][0] not in "!#@"):
            continue
        kept.append(block)
    return f"---\n{head}---\n\n" + "\n\n".join(kept) + "\n"


# ---------------------------------------------------------------------------------------------
# mutations

UNITS = ["mm", "pt", "cm", "in", "Q", "级", "字", "行", "栏", "", "px", "号", "zi", "lines", "em"]
WORDS = ["based_on", "font", "size", "leading", "indent", "columns", "top", "bottom", "page", "lines",
         "figure", "file", "frame", "story", "styles", "box", "grid", "margins", "gutter", "line",
         "body", "title", "caption", "jump", "credit", "fallback", "paragraph", "character", "pages"]
STRAY = ["\x00", "\x1b[31m", "\x07", "\u202e", "\ufeff", "\t", "\r", "\x85", "\u2028", ":", "- ", "{", "[", "'",
         '"', "&a", "*a", "!!python/object:os.system", "%YAML 1.1", "---", "...", "|", ">", "#", "?", "**",
         "\\", "\\\n", "> ", "\n>\n", "\n| a | b |\n|--|--:|\n", "| c |", "## ", "@sign ", "@credit ", "![", "](", "鳯", "\U0001F600", "\U0010FFFF", "\ud7ff", "𠀀"]
BYTES = [b"\xff", b"\xfe\xff", b"\xc3", b"\xe4\xb8", b"\x80", b"\xed\xa0\x80", b"\x00\x00"]


def random_number(rng: random.Random) -> float | int:
    return rng.choice([
        0, -1, 1, 2, 3, 7, 24, 25, 99, 100, 101, -0.0, 0.5, -9.0, 0.0, 1e-9, 1e6, 1e308, 10 ** 30, 2 ** 63, 10 ** 400,
        math.nan, math.inf, -math.inf, rng.randint(-200, 200), round(rng.uniform(-50, 300), 2),
    ])


def random_value(rng: random.Random) -> Any:
    kind = rng.randrange(12)
    if kind < 3:
        return random_number(rng)
    if kind < 6:
        number = random_number(rng)
        text = {math.inf: "inf", -math.inf: "-inf"}.get(number, "nan" if number != number else
                                                          f"{number:g}" if isinstance(number, float) else str(number))
        return f"{text}{rng.choice(UNITS)}"
    return rng.choice([
        None, True, False, "", [], {}, [1, 2], [0, 0, 0, 100], ["1mm", "2mm"], {"a": 1}, "小五", "end",
        "headline", "1-5", "5-1", "0-3", "9-99", "black", "\x1b]0;pwned\x07", "a\u202eb", "x" * 300,
        rng.choice(WORDS), rng.choice(STRAY), "../" * 8 + "etc/passwd", "/dev/zero",
    ])


def _paths(data: Any, path: tuple = ()) -> list[tuple]:
    """Every path into a YAML value (mapping keys and list indexes)."""
    out = [path]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, path + (i,))
    return out


def _get(data: Any, path: tuple) -> Any:
    for step in path:
        data = data[step]
    return data


def mutate_tree(data: Any, rng: random.Random) -> str:
    """Change one node of a parsed YAML document in place; returns what was done."""
    path = rng.choice(_paths(data)[1:] or [()])
    if not path:
        return "empty document"
    parent, last = _get(data, path[:-1]), path[-1]
    op = rng.randrange(6)
    if op == 0:
        del parent[last]
        return f"delete {path}"
    if op == 1 and isinstance(parent, dict):
        new = rng.choice(WORDS) if rng.random() < 0.7 else last + rng.choice(["s", "_", "x"]) if isinstance(last, str) else last
        parent[new] = parent[last]
        return f"copy {path} to key {new!r}"
    if op == 1:
        parent.insert(last, parent[last])
        return f"duplicate item {path}"
    if op == 2 and isinstance(parent[last], (dict, list)) and parent[last]:
        parent[last] = rng.choice([list(parent[last]), {"x": parent[last]}, None, str(parent[last])])
        return f"retype container {path}"
    value = random_value(rng)
    parent[last] = value
    return f"set {path} = {value!r}"


def mutate_text(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    op = rng.randrange(8)
    k = rng.randrange(len(lines))
    if op == 0:
        return "\n".join(lines[:k] + lines[k + 1:])
    if op == 1:
        return "\n".join(lines[:k] + [lines[k]] + lines[k:])  # a duplicated line: a duplicated key
    if op == 2:
        j = rng.randrange(len(lines))
        lines[k], lines[j] = lines[j], lines[k]
        return "\n".join(lines)
    if op == 3:  # another number or unit
        numbers = list(re.finditer(r"\d+(?:\.\d+)?", text))
        if numbers:
            m = rng.choice(numbers)
            return text[:m.start()] + str(random_value(rng) if rng.random() < 0.3 else random_number(rng)) + text[m.end():]
    if op == 4:
        at = rng.randrange(len(text) + 1)
        return text[:at] + rng.choice(STRAY) * rng.choice([1, 1, 2, 50]) + text[at:]
    if op == 5:
        return text[:rng.randrange(len(text) + 1)]
    if op == 6:  # a line indented more or less: structure changes
        lines[k] = (" " * rng.choice([1, 2, 4]) + lines[k]) if rng.random() < 0.5 else lines[k].lstrip()
        return "\n".join(lines)
    at = rng.randrange(len(text) + 1)
    return text[:at] + str(random_value(rng)) + text[at:]


def mutate_file(name: str, content: bytes, rng: random.Random) -> tuple[bytes, str]:
    roll = rng.random()
    if roll < 0.05:  # bytes that are not UTF-8
        at = rng.randrange(len(content) + 1)
        return content[:at] + rng.choice(BYTES) + content[at:], "stray bytes"
    text = content.decode("utf-8", errors="surrogateescape")
    if roll < 0.55:
        head, body = _yaml_part(name, text)
        try:
            data = yaml.load(head, Loader=_LOADER)
        except (yaml.YAMLError, UnicodeError):  # an earlier mutation broke it: mutate the text
            data = None
        if isinstance(data, (dict, list)) and data:
            what = mutate_tree(data, rng)
            dumped = yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000)
            return _join(name, dumped, body).encode("utf-8", errors="surrogateescape"), what
    return mutate_text(text, rng).encode("utf-8", errors="surrogateescape"), "text"


def _yaml_part(name: str, text: str) -> tuple[str, str]:
    """The YAML of a file (a story's front matter) and the rest."""
    if name.endswith(".md") and text.startswith("---\n") and "\n---\n" in text[4:]:
        head, body = text[4:].split("\n---\n", 1)
        return head, body
    return text, ""


def _join(name: str, head: str, body: str) -> str:
    return f"---\n{head}---\n{body}" if name.endswith(".md") else head


def mutate(files: dict[str, bytes], rng: random.Random) -> tuple[dict[str, bytes], list[str]]:
    files = dict(files)
    done = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        name = rng.choice([SPEC, SPEC, "styles/newspaper.yaml", "styles/newspaper.yaml", *(f"seeds/{s}.md" for s in STORIES)])
        files[name], what = mutate_file(name, files[name], rng)
        done.append(f"{name}: {what}")
    return files, done


# ---------------------------------------------------------------------------------------------
# runs


class Hang(Exception):
    pass


@dataclass
class Failure:
    seed: int
    mutations: list[str]
    problem: str  # the exception, or the diagnostic that breaks the rules
    site: str  # innermost broadsheet frame, or 'diagnostic'


@dataclass
class Summary:
    runs: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: {"ok": 0, "overset": 0, "input": 0})
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0

    def sites(self) -> dict[str, list[Failure]]:
        out: dict[str, list[Failure]] = {}
        for f in self.failures:
            out.setdefault(f.site, []).append(f)
        return out


def _on_alarm(signum, frame):
    raise Hang(f"no outcome after {TIME_LIMIT} s")


def _site(exc: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/broadsheet/" in f.filename]
    f = frames[-1] if frames else traceback.extract_tb(exc.__traceback__)[-1]
    return f"{type(exc).__name__} at {Path(f.filename).name}:{f.lineno} ({f.name})"


def bad_diagnostic(diags) -> tuple[str, str] | None:
    """Why one of these diagnostics breaks the rules (no line, a control character) and its kind
    (the message without its numbers), or None."""
    for d in diags:
        kind = re.sub(r"\d+", "N", d.message[:40])
        if d.pos.line is None:
            return f"no line: {d}", f"no line: {kind}"
        if CONTROL.search(str(d)):
            return f"control character: {d!r}", f"control character: {kind}"
    return None


def run_one(seed: int, base: dict[str, bytes], folder: Path, on_disk: dict[str, bytes]) -> tuple[str, Failure | None]:
    """Mutate the corpus with `seed`, build it in `folder`; the outcome and a failure, if any.
    `on_disk` holds what the folder's files contain (only the files that differ are written)."""
    from broadsheet.diagnostics import InputError
    from broadsheet.tools.build import OversetError, build

    rng = random.Random(seed)
    files, mutations = mutate(base, rng)
    for name, content in files.items():
        if on_disk.get(name) != content:
            (folder / name).write_bytes(content)
            on_disk[name] = content
    old = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    try:
        _, warnings = build(folder / SPEC, folder / "out" / "fuzz.pdf")
        outcome, diags = "ok", warnings
    except InputError as exc:
        outcome, diags = "input", exc.diagnostics
    except OversetError as exc:
        outcome, diags = "overset", exc.diagnostics
    except Exception as exc:  # noqa: BLE001 - what the fuzzer is looking for
        return "crash", Failure(seed, mutations, f"{type(exc).__name__}: {str(exc)[:300]}", _site(exc))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    bad = bad_diagnostic(diags)
    if outcome != "ok" and not diags:
        bad = ("an error without a diagnostic", "no diagnostic")
    return outcome, (Failure(seed, mutations, *bad) if bad else None)


def fuzz(runs: int, first_seed: int = 0, progress: Callable[[int, Summary], None] | None = None) -> Summary:
    base = corpus()
    summary = Summary()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="broadsheet-fuzz-") as tmp:
        folder = Path(tmp)
        for sub in ("layout", "styles", "seeds"):
            (folder / sub).mkdir()
        (folder / ".broadsheet").write_text("")  # the project root: above layout/, styles/ and seeds/
        on_disk: dict[str, bytes] = {}
        for seed in range(first_seed, first_seed + runs):
            outcome, failure = run_one(seed, base, folder, on_disk)
            summary.runs += 1
            if failure is not None:
                summary.failures.append(failure)
            else:
                summary.outcomes[outcome] += 1
            if progress is not None:
                progress(seed, summary)
    summary.seconds = time.perf_counter() - t0
    return summary


def report(summary: Summary) -> str:
    lines = [f"{summary.runs} runs in {summary.seconds:.1f} s: {summary.outcomes}, {len(summary.failures)} failures"]
    for site, fails in sorted(summary.sites().items(), key=lambda kv: -len(kv[1])):
        f = fails[0]
        lines.append(f"{len(fails):5d}  {site}\n       seed {f.seed}: {'; '.join(f.mutations)}\n       {f.problem}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=0, help="the first run's seed")
    args = ap.parse_args()

    reported = 0

    def progress(seed: int, summary: Summary) -> None:
        nonlocal reported
        for f in summary.failures[reported:]:  # as they happen: a long run that is stopped still tells
            print(f"seed {f.seed}: {f.site}: {f.problem}", file=sys.stderr, flush=True)
        reported = len(summary.failures)
        if summary.runs % 1000 == 0:
            print(f"{summary.runs} runs, {len(summary.failures)} failures, {time.perf_counter() - t0:.0f} s",
                  file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    summary = fuzz(args.runs, args.seed, progress)
    print(report(summary))
    sys.exit(1 if summary.failures else 0)


if __name__ == "__main__":
    main()
