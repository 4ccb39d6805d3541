"""The files a project is made of: what watch mode watches, and what a build may never overwrite
(an output path that is one of them is refused)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from broadsheet.diagnostics import Diagnostic, InputError, Pos
from broadsheet.fonts.faces import font_path, looks_like_path
from broadsheet.input.root import resolved


def project_files(project: Any) -> set[Path]:
    """The files a loaded project is made of: spec, style sheets, stories, placed images, font files."""
    spec = project.spec
    files = {resolved(Path(spec.path))}
    files |= _referenced(spec.src.data, spec.resolve)
    for job in project.jobs:
        files.add(resolved(Path(job.story.file)))
        for slot in job.images:
            if slot.path is not None:
                files.add(resolved(Path(slot.path)))
    for refs in [*project.styles.roles.values(), project.styles.fallback]:
        for ref in refs:
            if looks_like_path(ref.name):
                files.add(resolved(font_path(ref.name, spec.dir)))
    return files


def is_file(path: Path) -> bool:
    """Whether `path` is a regular file; False, not an OSError, for a path the system refuses to
    look up (a name longer than it allows), which a spec can name like any other."""
    try:
        return path.is_file()
    except OSError:
        return False


def refuse_overwriting_inputs(project: Any, outputs: list[Path]) -> None:
    """Raise InputError naming each of the `outputs` a build would write that is a file of the
    project (`-o layout/page.yaml`, a proof named like a photo)."""
    inputs = project_files(project)
    clash = [out for out in outputs if resolved(out) in inputs]
    if clash:
        raise InputError([Diagnostic(Pos(str(p)), "this output is an input of the build; writing it would destroy it: "
                                     "choose another output") for p in clash])


def spec_files(spec: Path) -> set[Path]:
    """Best effort for a spec that does not load: the spec and the files its YAML names."""
    from broadsheet.diagnostics import InputError
    from broadsheet.input.yamlsrc import load_yaml

    spec = spec.resolve()
    files = {spec}
    try:
        data = load_yaml(spec).data  # bounded, as a build reads it: a broken edit may be an alias bomb
    except InputError:
        return files
    base = spec.parent
    return files | _referenced(data, lambda rel: (base / rel).resolve() if not Path(rel).is_absolute() else Path(rel))


def _referenced(data: Any, resolve: Callable[[str], Path]) -> set[Path]:
    """Style sheets, stories and image files named in a spec's raw data."""
    if not isinstance(data, dict):
        return set()
    names: list[str] = []
    styles = data.get("styles")
    if isinstance(styles, str):
        names.append(styles)
    elif isinstance(styles, list):
        names += [s for s in styles if isinstance(s, str)]
    for story in data.get("stories") or []:
        if not isinstance(story, dict):
            continue
        if isinstance(story.get("story"), str):
            names.append(story["story"])
        for image in story.get("images") or []:
            if isinstance(image, dict) and isinstance(image.get("file"), str):
                names.append(image["file"])
    out = set()
    for name in names:
        try:
            out.add(resolve(name))
        except (OSError, ValueError):
            pass
    return out
