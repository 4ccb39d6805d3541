"""Build statistics for --verbose and watch mode: the time each stage took and how the font
caches were used (on disk: hit/miss; in this process's memory)."""

from __future__ import annotations

import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

#: Cache use of this process, counted by cache.cached ("subsets hit", "faces miss" …) and
#: fonts.load_face ("faces memory"), and "projects partial" (a cached project with a story read
#: again, input/project.py); a Stats keeps the difference over what it observed.
COUNTS: Counter = Counter()


@dataclass
class Stats:
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds, in order
    cache: Counter = field(default_factory=Counter)
    project: Any = None  # the loaded build.Project (watch mode watches its files)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - t0

    @contextmanager
    def observe(self) -> Iterator["Stats"]:
        """Count the cache use of whatever runs inside."""
        before = COUNTS.copy()
        try:
            yield self
        finally:
            self.cache.update(COUNTS - before)

    def lines(self) -> list[str]:
        out = ["  ".join(f"{k} {v * 1000:.0f} ms" for k, v in self.timings.items())]
        kinds = sorted({k.split()[0] for k in self.cache})
        if kinds:
            parts = []
            for kind in kinds:
                got = [f"{self.cache[f'{kind} {what}']} {what}" for what in ("memory", "hit", "partial", "miss")
                       if self.cache.get(f"{kind} {what}")]
                parts.append(f"{kind}: {', '.join(got)}")
            out.append("cache: " + "; ".join(parts))
        return out

