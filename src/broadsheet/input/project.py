"""The loaded project — the grid, the styles and font chains, one job per story and what each
page's running head says — and where it comes from: read and validated in full (`input/load.py`),
or, when not one of the files it was made of has changed since, from the cache.

A warm build of an unchanged page is most of what a newsroom runs (a proof after a style edit
elsewhere, the same page for another output), and validating it again cost more than laying it
out: PyYAML and pydantic take a third of such a process to import and the validation as long
again. So a project that loaded without errors is kept, with a stamp of everything its loading
looked at: every file it is made of (its content for files of up to `HASHED_BYTES`, else size and
modification time, the output profile included), a photo it names that is not there yet, where
each path it named led (a link pointed elsewhere is a change), the font folders whose fonts it
found by name, the project root, the working folder (messages name files relative to it),
SOURCE_DATE_EPOCH, broadsheet's own source and the Python it runs on. Where only stories' files
changed, and only in their text, those stories alone are read again (a partial hit, `_retold`);
any other change is a miss, and a miss reads everything again. A file changed while it was read
leaves no entry (its stamp might not be what was read).
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from broadsheet import cache
from broadsheet.diagnostics import Collector, Diagnostic, InputError
from broadsheet.fonts.faces import Face, FontChain, FontError, dir_stamp, load_face
from broadsheet.input.jobs import PageInfo, StoryJob
from broadsheet.input.press import Press
from broadsheet.input.root import find_root, recording_resolutions, resolved
from broadsheet.input.glyphs import check_story_glyphs
from broadsheet.input.story import Block, Story, load_story
from broadsheet.input.styles import Styles
from broadsheet.page.grid import Geometry
from broadsheet.stats import COUNTS

#: Bump when Project or a type it holds changes shape (the source stamp catches the rest).
FORMAT = 3  # 2: where each named path led; 3: a story keeps its front matter as written
#: Files up to this size are stamped by their content, larger ones (photos, fonts) by size and time.
HASHED_BYTES = 1024 * 1024
#: A file modified this recently before its project was read may have changed while it was read
#: (file systems keep time in ticks of a few milliseconds): such a project is not kept.
SETTLED_NS = 50_000_000


@dataclass
class Project:
    spec_file: str  # the spec as the user named it
    title: str  # PDF metadata
    subject: str
    author: str
    styles: Styles
    geometry: Geometry
    chains: dict[str, FontChain]
    jobs: list[StoryJob]
    pages: list[PageInfo]
    files: set[Path]  # every file it is made of, or names and lacks (a photo to come): watch mode rebuilds when one changes
    press: Press  # the output standard, bleed, marks and colour of the PDF
    warnings: list[Diagnostic] = field(default_factory=list)
    font_folders: tuple[Path, ...] = ()  # where fonts named by family were looked up


def load_project(spec_path: Path, root: Path | None = None) -> Project:
    """The project of a spec, validated: from the cache if nothing it was made of has changed,
    else read in full (`input/load.read_project`, which raises InputError listing every problem).
    Every file read must lie inside the project `root` (default: found from the spec)."""
    key = _key(spec_path, root)
    entry = cache.lookup("projects", key, _Faces().back)
    compared = _compare(entry)
    if compared is not None and not compared[2]:
        COUNTS["projects hit"] += 1
        return compared[0]
    started = time.time_ns()
    retold = _retold(*compared, started) if compared is not None else None
    if retold is not None:
        COUNTS["projects partial"] += 1
        _keep(key, compared[1], *entry[1:3], retold)
        return retold
    COUNTS["projects miss"] += 1
    from broadsheet.input.load import read_project  # PyYAML, pydantic: only when the cache cannot answer

    with recording_resolutions() as links:
        project = read_project(spec_path, root)
    looked_at = sorted({str(p) for p in project.files} | {str(f.path) for c in project.chains.values() for f in c.faces})
    if _unsettled(looked_at, project.font_folders, started):
        return project
    files = [(p, _stamp(Path(p))) for p in looked_at]
    folders = [(str(d), dir_stamp(d)) for d in project.font_folders]
    _keep(key, files, folders, sorted(links.items()), project)
    return project


#: Where a kept project's stories were: they are kept beside it (`_keep`).
_NO_STORY = Story("", "")


def _keep(key: str, files: list, folders: list, links: list, project: Project) -> None:
    """Keep a project with the stamps of what it was made of: its faces and chains by reference
    (`_Faces`), its stories, most of its objects, pickled apart by the C pickler alone (the
    pickler with references calls into Python for each object: a 15-page story took 10 ms so)."""
    stories = cache.pickled([job.story for job in project.jobs])
    bare = replace(project, jobs=[replace(job, story=_NO_STORY) for job in project.jobs])
    cache.store("projects", key, (files, folders, links, bare, stories), _Faces.away)


def ever_loaded(spec_path: Path, root: Path | None = None) -> bool:
    """Whether the cache holds a project of this spec, current or not: a spec never loaded before
    is a first build, which composes everything (tools/build starts the segmenter early for it)."""
    return cache.has("projects", _key(spec_path, root))


def _compare(entry: Any) -> tuple[Project, list[tuple[str, str]], set[str]] | None:
    """The project of a cache entry, the stamps of its files now and the files that changed since;
    None for an entry that cannot serve (MISSING, another shape, a font folder or a link changed)."""
    try:
        files, folders, links, project, stories = entry
        if not (isinstance(project, Project) and all(dir_stamp(Path(d)) == s for d, s in folders)
                and all(str(resolved(Path(p))) == r for p, r in links)):
            return None
        project = replace(project, jobs=[replace(job, story=story)
                                         for job, story in zip(project.jobs, cache.unpickled(stories), strict=True)])
        stamps = [(p, _stamp(Path(p))) for p, _ in files]
        return project, stamps, {p for (p, old), (_, now) in zip(files, stamps) if old != now}
    except (TypeError, ValueError):  # MISSING, or an entry of another shape
        return None


def _retold(project: Project, stamps: list[tuple[str, str]], changed: set[str], started: int) -> Project | None:
    """The cached project with the stories whose files alone have changed read again; None if
    anything else changed. Editing a story's text is what a newsroom does most, and it leaves the
    spec, the style sheets and the fonts as they were, so only the story is parsed and its glyphs
    checked (no YAML schema, no pydantic). A story whose new text would change more than its
    job's text — what `input/load._story_job` and `_check_measures` read of it (`_outline`) — or
    that has a glyph problem, before or now, is left to a full read, which reports it where a
    full read would."""
    by_path = {str(resolved(Path(j.story.file))): k for k, j in enumerate(project.jobs)}
    if not changed <= by_path.keys() or _unsettled(sorted(changed), (), started):
        return None
    jobs = list(project.jobs)
    for path in changed:
        job = jobs[by_path[path]]
        if any(w.pos.file == job.story.file for w in project.warnings):
            return None  # its glyph warnings would have to move to where a full read puts them
        try:
            story = load_story(Path(job.story.file), job.story.file, before=job.story)
        except InputError:
            return None
        if _outline(story) != _outline(job.story):
            return None
        out = Collector()
        check_story_glyphs(replace(job, story=_new_in(story, job.story)), project.styles, project.chains, out)
        if out.items:
            return None
        jobs[by_path[path]] = replace(job, story=story)
    return replace(project, jobs=jobs)


def _new_in(story: Story, before: Story) -> Story:
    """What of `story` its version `before` lacks: the head items and blocks whose text, role and
    emphasis are new. Only they need their glyphs checked: the rest were checked when `before` was
    loaded, with the same styles and fonts, and had no problem (else it would not be kept)."""
    heads = {(h.role, h.text) for h in before.head}
    blocks = {_said(b) for b in before.text_blocks()}
    return replace(story, head=[h for h in story.head if (h.role, h.text) not in heads],
                   blocks=[b for b in story.text_blocks() if _said(b) not in blocks])


def _said(block: Block) -> tuple:
    """What a block's glyph check depends on: its kind (its style), its text with emphasis, its credit."""
    return block.kind, tuple((s.text, s.strong) for s in block.spans), block.credit


def _outline(story: Story) -> tuple:
    """What the loader reads of a story besides what layout sets: the head's elements, the block
    kinds (the styles they need), whether it has credits, its figures (a photo slot's picture and
    caption) and whether it is empty."""
    return (tuple(h.role for h in story.head), frozenset(b.kind for b in story.text_blocks()),
            any(b.credit for b in story.blocks),
            tuple((b.text, str(b.image_path), b.credit) for b in story.figures), bool(story.head or story.blocks))


def _key(spec_path: Path, root: Path | None) -> str:
    spec = resolved(spec_path)
    return "|".join([str(FORMAT), str(spec), str(spec_path), str(resolved(root) if root else find_root(spec)),
                     os.getcwd(), os.environ.get("SOURCE_DATE_EPOCH", "-"), _source_stamp(), sys.version])


def _stamp(path: Path) -> str:
    """What a file is now: its content's digest (small files), else its size and time; '-' if absent."""
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            return "-"
        if st.st_size <= HASHED_BYTES:
            return hashlib.sha1(path.read_bytes()).hexdigest()
        return f"{st.st_size}|{st.st_mtime_ns}"
    except (OSError, ValueError):
        return "-"


def _unsettled(paths: list[str], folders: tuple[Path, ...], started: int) -> bool:
    """Whether a file or font folder was modified too shortly before (or while) the project was read."""
    for p in [*paths, *map(str, folders)]:
        try:
            if os.stat(p).st_mtime_ns > started - SETTLED_NS:
                return True
        except (OSError, ValueError):  # absent, or a path the system refuses (a NUL): stamped as absent
            continue
    return False


_source: str | None = None


def _source_stamp() -> str:
    """broadsheet's own modules (name, size, time): loading is spread over many of them, and a
    project read by other code must not be used."""
    global _source
    if _source is None:
        stamps = []
        for folder, _, names in os.walk(Path(__file__).resolve().parents[1]):  # (pathlib's rglob: 5 times as long)
            for name in names:
                if name.endswith(".py"):
                    st = os.stat(os.path.join(folder, name))
                    stamps.append(f"{folder}/{name}|{st.st_size}|{st.st_mtime_ns}")
        _source = cache.digest(*sorted(stamps))
    return _source


class _Faces:
    """Font faces and chains are kept by reference: a face is the cache's (by file and member,
    already in memory or in the faces cache), a chain is rebuilt from its faces, each once per entry."""

    def __init__(self) -> None:
        self._made: dict[Any, Any] = {}

    @staticmethod
    def away(obj: Any) -> Any:
        if isinstance(obj, Face):
            return ("face", str(obj.path), obj.index)
        if isinstance(obj, FontChain):
            return ("chain", tuple((str(f.path), f.index) for f in obj.faces))
        return None

    def back(self, ref: Any) -> Any:
        if ref not in self._made:
            kind, *rest = ref
            if kind == "face":
                try:
                    self._made[ref] = load_face(Path(rest[0]), rest[1])
                except FontError as exc:  # gone or damaged since: a miss, and reading the project says so
                    raise ValueError(str(exc)) from exc
            elif kind == "chain":
                self._made[ref] = FontChain([self.back(("face", p, i)) for p, i in rest[0]])
            else:
                raise ValueError(f"unknown reference {kind!r}")
        return self._made[ref]
