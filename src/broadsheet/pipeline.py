"""One build as the command line and watch mode run it: `build.build` (validate, lay out, write the
PDF), then the proofs; with the time each stage took, the font cache's hits and misses, and the
loaded project (watch mode needs its files).

`build.build` stays the one definition of a build: the stages are observed by wrapping the
functions it calls (load_project, layout, pdf.render, and the cache look-ups of fonts and embed)
for the duration of the call, never by repeating what it does.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .proof import DEFAULT_OVERLAYS

_lock = threading.Lock()


@dataclass
class Stats:
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds, in order
    cache: Counter = field(default_factory=Counter)  # "faces hit", "subsets miss", "faces memory" …

    def lines(self) -> list[str]:
        out = ["  ".join(f"{k} {v * 1000:.0f} ms" for k, v in self.timings.items())]
        kinds = sorted({k.split()[0] for k in self.cache})
        if kinds:
            parts = []
            for kind in kinds:
                got = [f"{self.cache[f'{kind} {what}']} {what}" for what in ("memory", "hit", "miss")
                       if self.cache.get(f"{kind} {what}")]
                parts.append(f"{kind}: {', '.join(got)}")
            out.append("cache: " + "; ".join(parts))
        return out


@dataclass(repr=False)
class Outcome:
    result: Any  # layout.Result
    warnings: list
    project: Any  # build.Project (None if it could not be observed)
    output: Path
    proofs: list[Path]
    stats: Stats

    @property
    def written(self) -> list[Path]:
        return [self.output, *self.proofs]


@contextmanager
def _observe(stats: Stats, seen: dict[str, Any]) -> Iterator[None]:
    """Wrap the build's stages and the cache look-ups for one build (serialised by a lock)."""
    from . import build as build_mod, cache as cache_mod, embed, fonts, pdf

    def timed(name: str, fn: Callable, keep: str | None = None) -> Callable:
        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                value = fn(*args, **kwargs)
            finally:
                stats.timings[name] = stats.timings.get(name, 0.0) + time.perf_counter() - t0
            if keep:
                seen[keep] = value
            return value
        return wrapper

    def counted(fn: Callable) -> Callable:
        def wrapper(kind: str, key: str, make: Callable) -> Any:
            path = cache_mod.cache_dir() / kind / f"{cache_mod.digest(key)}.pickle"
            stats.cache[f"{kind} {'hit' if path.is_file() else 'miss'}"] += 1
            return fn(kind, key, make)
        return wrapper

    def faces(fn: Callable) -> Callable:
        def wrapper(*args, **kwargs):
            stats.cache["faces calls"] += 1
            return fn(*args, **kwargs)
        return wrapper

    patches = [
        (build_mod, "load_project", lambda f: timed("load", f, "project")),
        (build_mod, "layout", lambda f: timed("layout", f)),
        (pdf, "render", lambda f: timed("pdf", f)),
        (fonts, "cached", counted),
        (embed, "cached", counted),
        (fonts, "load_face", faces),
    ]
    with _lock:
        saved = []
        for module, name, wrap in patches:
            if hasattr(module, name):
                saved.append((module, name, getattr(module, name)))
                setattr(module, name, wrap(getattr(module, name)))
        try:
            yield
        finally:
            for module, name, original in reversed(saved):
                setattr(module, name, original)
    calls = stats.cache.pop("faces calls", 0)
    loaded = stats.cache.get("faces hit", 0) + stats.cache.get("faces miss", 0)
    if calls > loaded:
        stats.cache["faces memory"] = calls - loaded  # memoised in this process: no disk read


def run_build(spec: Path, output: Path, allow_overset: bool = False, proof: bool = False, dpi: float = 100,
              overlays: Iterable[str] = DEFAULT_OVERLAYS,
              progress: Callable[[int], Any] | None = None) -> Outcome:
    """Build the PDF (and the proofs); raises what build.build raises (InputError, OversetError)
    without touching the outputs."""
    from .build import build
    from .proof import render_proofs

    stats = Stats()
    seen: dict[str, Any] = {}
    t0 = time.perf_counter()
    with _observe(stats, seen):
        result, warnings = build(spec, output, allow_overset)
    total = time.perf_counter() - t0
    stats.timings["write"] = max(0.0, total - sum(stats.timings.values()))
    proofs: list[Path] = []
    if proof:
        t1 = time.perf_counter()
        proofs = render_proofs(output.read_bytes(), result.document, output.with_suffix(""), dpi, overlays,
                               progress=progress)
        stats.timings["proofs"] = time.perf_counter() - t1
    stats.timings["total"] = time.perf_counter() - t0
    return Outcome(result, warnings, seen.get("project"), output, proofs, stats)
