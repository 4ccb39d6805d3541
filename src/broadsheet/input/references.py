"""The files a layout spec names — style sheets, stories, placed images, the output profile — read from its raw YAML
data, so that they are found (and their problems reported) even when the spec does not validate.
The one reader of a spec's references: the project loader, watch mode, `styles` and `fonts` use it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from broadsheet.input.root import resolved

YamlPath = tuple[Any, ...]


@dataclass(frozen=True)
class Reference:
    where: YamlPath  # the value's path in the spec's YAML (for positioned messages)
    name: str  # as written
    path: Path  # resolved against the spec's folder


@dataclass
class References:
    sheets: list[Reference] = field(default_factory=list)
    stories: list[Reference | None] = field(default_factory=list)  # one per story entry; None: it names none
    images: list[Reference] = field(default_factory=list)
    profile: Reference | None = None  # output.profile

    def files(self) -> set[Path]:
        return {r.path for r in (*self.sheets, *self.stories, *self.images, self.profile) if r is not None}


def resolve(base: Path, name: str) -> Path:
    path = Path(name)
    return path if path.is_absolute() else resolved(base / path)


def references(data: Any, base: Path) -> References:
    """The references of a spec's raw data; values of the wrong type are skipped (validation
    reports them)."""
    refs = References()
    if not isinstance(data, dict):
        return refs
    sheets = data.get("styles")
    if isinstance(sheets, str):
        refs.sheets.append(Reference(("styles",), sheets, resolve(base, sheets)))
    elif isinstance(sheets, list):
        refs.sheets += [Reference(("styles", i), s, resolve(base, s)) for i, s in enumerate(sheets) if isinstance(s, str)]
    stories = data.get("stories")
    for i, entry in enumerate(stories if isinstance(stories, list) else []):
        name = entry.get("story") if isinstance(entry, dict) else None
        refs.stories.append(Reference(("stories", i, "story"), name, resolve(base, name)) if isinstance(name, str) else None)
        images = entry.get("images") if isinstance(entry, dict) else None
        for k, image in enumerate(images if isinstance(images, list) else []):
            if isinstance(image, dict) and isinstance(image.get("file"), str):
                refs.images.append(Reference(("stories", i, "images", k, "file"), image["file"],
                                             resolve(base, image["file"])))
    output = data.get("output")
    if isinstance(output, dict) and isinstance(output.get("profile"), str):
        refs.profile = Reference(("output", "profile"), output["profile"], resolve(base, output["profile"]))
    return refs
