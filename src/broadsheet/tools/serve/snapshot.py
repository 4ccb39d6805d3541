"""What the browser is shown after a build: the page images and item map of the last good build,
and the errors of the last build if it failed (drawn over that last good proof).

A snapshot is made in the watcher's thread right after each build and never changed afterwards,
so the server's request handlers can read the current one without locks; the page images are
read into memory at once, so that a request never sees a half-written proof or images of a build
newer than the map.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from broadsheet.output.proof import proof_paths
from broadsheet.tools.serve.pagemap import Places, diagnostic, page_map
from broadsheet.tools.watch import Watcher


@dataclass(frozen=True)
class Snapshot:
    version: int  # the build it follows (every build counts, good or failed)
    good: int  # the build whose proof it shows (0: none succeeded yet)
    pngs: tuple[bytes, ...] = ()
    state: str = "{}"  # the JSON the browser draws from
    base: dict[str, Any] = field(default_factory=dict)  # the good build's map (pages, stories, warnings)
    places: Places | None = None


def take(w: Watcher, previous: Snapshot | None, editor: bool) -> Snapshot:
    """The snapshot after the watcher's latest build (`previous`: the one before it)."""
    version = w.builds
    if w.ok and w.outcome is not None:
        outcome = w.outcome
        doc = outcome.result.document
        base, places = page_map(doc, outcome.project.jobs if outcome.project else [], outcome.result.quality,
                                str(w.spec), outcome.warnings)
        pngs = tuple(p.read_bytes() for p in proof_paths(outcome.output.with_suffix(""), len(doc.pages)))
        good = version
    else:
        good = previous.good if previous else 0
        base = previous.base if previous else {}
        pngs = previous.pngs if previous else ()
        places = previous.places if previous else None
    state = {
        "version": version,
        "good": good,
        "ok": w.ok,
        "time": time.strftime("%H:%M:%S"),
        "seconds": round(w.last_seconds, 3),
        "spec": str(w.spec),
        "pdf": str(w.output),
        "editor": editor,
        "pages": base.get("pages", []),
        "stories": base.get("stories", []),
        "problems": base.get("problems", []),
        "errors": [diagnostic(d, places) for d in w.errors],
    }
    return Snapshot(version, good, pngs, json.dumps(state, ensure_ascii=False, separators=(",", ":")), base, places)
