"""The on-disk cache (font metrics, font index, font subsets, converted images, validated projects):
what makes a warm build fast.

Location: $BROADSHEET_CACHE, else $XDG_CACHE_HOME/broadsheet, else ~/.cache/broadsheet. Every entry is
keyed by the content it derives from (file size + mtime, glyph sets), so a stale entry is never used;
deleting the folder is always safe. Each kind keeps its most recently used entries (`LIMITS`).

Entries are pickles, read by an unpickler that runs no code: pickle's only way to run code is to
call a global it names (`os.system`, `builtins.eval`), and ours resolves no global but the plain
data classes the cache holds (a dataclass or a tuple with fields of a broadsheet module: `Face`,
`Subset`, `Segment`) and the path and date classes inside them; constructing those only assigns
fields. An entry may refer to objects kept elsewhere (a project's font faces, which are the faces
cache's), which the reader's `refer` resolves. A planted entry naming anything else
is refused and counted as a miss, so whoever can write the cache folder can at worst make a build
print something else (wrong metrics, other lines, another project), as editing its files could,
never run code as the builder: keep the cache folder as private as the project. We keep pickle
rather than a data format such as JSON because the cached types change shape (new font readers),
and a schema of our own would have to follow every change, while the allowlist follows no type.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import io
import os
import pathlib
import pickle
import re
import shutil
import sys
import tempfile
import time
from glob import escape as glob_escape
from pathlib import Path
from typing import Any, Callable

from broadsheet.stats import COUNTS


def cache_dir() -> Path:
    env = os.environ.get("BROADSHEET_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "broadsheet"


def file_key(path: Path) -> str:
    st = path.stat()
    return f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"


def digest(*parts: object) -> str:
    return hashlib.sha1("\x00".join(map(str, parts)).encode()).hexdigest()[:20]


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so readers never see half a file. A target that
    exists and is no regular file (/dev/null, a pipe) is written to as it is, never replaced.
    Temporary files of this target left by killed writers are removed first."""
    staged = Staged()
    staged.write(path, data)
    staged.commit()


class Staged:
    """Files replaced together or not at all (a PDF and its proofs): `write` puts each in a
    temporary file beside its target, `commit` renames them all into place, `discard` removes
    them. A failure before the commit (a proof that cannot be written) leaves every target as it
    was; the renames themselves take microseconds. `put_first` puts one file in place ahead of
    the others (the PDF, which a designer waits for, before its proofs) and keeps the file it
    replaced until the commit, so that `discard` can put it back."""

    def __init__(self) -> None:
        self.files: list[tuple[Path, Path]] = []  # (temporary, target)
        self.replaced: list[tuple[Path | None, Path]] = []  # (the previous file kept, or None: there was none; target)

    def write(self, path: Path, data: bytes) -> None:
        """Stage `data` for `path`; an OSError names `path` (not a folder or temporary file on its way)."""
        try:
            self._write(path, data)
        except OSError as exc:
            self.discard()
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        except BaseException:
            self.discard()
            raise

    def _write(self, path: Path, data: bytes) -> None:
        if path.exists() and not path.is_file():  # /dev/null, a pipe: written as it is, never replaced
            with open(path, "wb") as f:
                f.write(data)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(path)
        # the writer's process id in the name tells a later writer whether the file is still being written
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
        self.files.append((Path(tmp), path))
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; an output file gets the usual mode

    def read(self, path: Path) -> bytes:
        """What was written for `path` (staged or, for a device, written already)."""
        staged = [tmp for tmp, target in self.files if target == path]
        return (staged[-1] if staged else path).read_bytes()

    def put_first(self, path: Path) -> None:
        """Rename the file staged for `path` into place now. The file it replaces stays, as a
        hard link (a copy where links are not possible) under a temporary name of the kind
        `write` uses, so that the target is never missing and a killed build's leftover is
        removed like any other stale temporary."""
        entries = [e for e in self.files if e[1] == path]
        if not entries:
            return  # a device, written as it is
        kept = None
        if path.is_file():
            fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
            os.close(fd)
            kept = Path(name)
            try:
                kept.unlink()
                os.link(path, kept)
            except OSError:
                shutil.copyfile(path, kept)
        self.replaced.append((kept, path))
        self.files.remove(entries[0])
        os.replace(entries[0][0], path)

    def commit(self) -> None:
        try:
            for tmp, path in self.files:
                os.replace(tmp, path)
            self.files = []
            for kept, _ in self.replaced:
                if kept is not None:
                    kept.unlink(missing_ok=True)
            self.replaced = []
        finally:
            self.discard()  # whatever a failed rename left

    def discard(self) -> None:
        """Remove what is staged and put back what `put_first` replaced."""
        for tmp, _ in self.files:
            tmp.unlink(missing_ok=True)
        self.files = []
        for kept, path in reversed(self.replaced):
            if kept is None:
                path.unlink(missing_ok=True)
            else:
                os.replace(kept, path)
        self.replaced = []


#: A temporary file older than this is stale whoever wrote it (its writer's id may have been reused).
STALE_SECONDS = 3600
_RANDOM = re.compile(r"[a-z0-9_]{8}")  # what mkstemp adds
_WRITER = re.compile(r"(\d+)\.[a-z0-9_]{8}")  # our writer's process id, then mkstemp's part


def _remove_stale_temporaries(path: Path) -> None:
    """Remove `.NAME.PID.XXXX.tmp` files of `path` whose writer is gone (no such process, or an
    hour old), and those of the older form `.NAME.XXXX.tmp`, which carry no process id."""
    prefix = f".{path.name}."
    for entry in path.parent.glob(f"{glob_escape(prefix)}*.tmp"):
        middle = entry.name[len(prefix):-len(".tmp")]
        try:
            if _RANDOM.fullmatch(middle):
                stale = True
            elif m := _WRITER.fullmatch(middle):
                stale = not _running(int(m.group(1))) or time.time() - entry.stat().st_mtime > STALE_SECONDS
            else:
                continue  # another target's (`.NAME.pdf.x.…` is not a temporary of NAME.pdf)
            if stale:
                entry.unlink()
        except OSError:
            pass  # removed by another writer meanwhile, or not ours to remove


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: Entries kept per kind; beyond that the least recently used go. Every edit of a story or a
#: headline that brings in a new character makes a new subset: without a limit the cache would
#: grow all year.
LIMITS = {"faces": 1024, "subsets": 512, "fontindex": 64, "facenames": 256, "images": 64, "profiles": 16,
          "lines": 64,  # composed lines: one file per spec (page/compositions.py)
          "projects": 64,  # a spec's validated project (input/project.py)
          "words": 4096}  # a headline's word boundaries (text/words.py)


#: The largest entry read: a CJK font's subset is a few megabytes, its metrics less.
MAX_ENTRY_BYTES = 256 * 1024 * 1024
_PATHS = {"PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath", "Path"}
_DATES = {"datetime", "date", "timedelta", "timezone"}  # built from their fields' values only


class _SafeUnpickler(pickle.Unpickler):
    """Resolves only broadsheet's data classes (dataclasses and tuples with fields), pathlib's
    paths and datetime's values (see the module's docstring); `refer` turns an entry's references
    to things kept elsewhere (a font face) back into them."""

    def __init__(self, file: Any, refer: Callable[[Any], Any] | None = None):
        super().__init__(file)
        self._refer = refer

    def find_class(self, module: str, name: str) -> Any:
        if module == "pathlib" and name in _PATHS:
            return getattr(pathlib, name)
        if module == "datetime" and name in _DATES:
            return getattr(datetime, name)
        if module.startswith("broadsheet.") and module in sys.modules:  # imported already: naming it imports nothing
            found = getattr(sys.modules[module], name, None)
            if isinstance(found, type) and (dataclasses.is_dataclass(found) or issubclass(found, tuple)):
                return found
        raise pickle.UnpicklingError(f"cache entry names {module}.{name}, which is not cached data")

    def persistent_load(self, pid: Any) -> Any:
        if self._refer is None:
            raise pickle.UnpicklingError("cache entry refers to something outside it")
        return self._refer(pid)


class _Pickler(pickle.Pickler):
    def __init__(self, file: Any, refer: Callable[[Any], Any]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._refer = refer

    def persistent_id(self, obj: Any) -> Any:
        return self._refer(obj)


#: What a damaged or planted entry can raise while it is read: each is a miss.
_DAMAGED = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError,
            IndexError, KeyError, MemoryError, RecursionError)


def load_entry(path: Path, refer: Callable[[Any], Any] | None = None) -> Any:
    """The value of a cache entry, read without running code; UnpicklingError if it names
    anything but cached data, OSError if it cannot be read or is too large."""
    with open(path, "rb") as f:
        if os.fstat(f.fileno()).st_size > MAX_ENTRY_BYTES:
            raise OSError(f"cache entry {path} is larger than {MAX_ENTRY_BYTES} bytes")
        return _SafeUnpickler(f, refer).load()


def pickled(value: Any) -> bytes:
    """`value` as bytes, by the C pickler alone: an entry's bulk of plain objects kept inside it
    (`store` with references calls back into Python for every object it pickles)."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def unpickled(data: bytes) -> Any:
    """The value of `pickled` bytes, read as entries are (cached data only); ValueError if damaged."""
    try:
        return _SafeUnpickler(io.BytesIO(data)).load()
    except _DAMAGED as exc:
        raise ValueError(f"damaged cache data: {exc}") from None


#: What `lookup` returns for an entry that is not there (or cannot be used).
MISSING = object()


def _entry(kind: str, key: str) -> Path:
    return cache_dir() / kind / f"{digest(key)}.pickle"


def has(kind: str, key: str) -> bool:
    """Whether an entry for (kind, key) is stored, current or not (a file's existence: no reading)."""
    return _entry(kind, key).exists()


def lookup(kind: str, key: str, refer: Callable[[Any], Any] | None = None) -> Any:
    """The stored value for (kind, key), or MISSING; `refer` resolves the references `store` made."""
    path = _entry(kind, key)
    try:
        value = load_entry(path, refer)
    except _DAMAGED:  # a damaged or planted entry is a miss
        return MISSING
    try:
        os.utime(path)  # used now: the last to go when the kind is pruned
    except OSError:
        pass  # a read-only cache is still a cache
    return value


def store(kind: str, key: str, value: Any, refer: Callable[[Any], Any] | None = None) -> None:
    """Keep `value` for (kind, key); `refer(obj)` may name an object kept elsewhere (returning a
    plain value that `lookup`'s `refer` turns back into it), or return None to store it whole."""
    path = _entry(kind, key)
    try:
        buffer = io.BytesIO()
        (_Pickler(buffer, refer) if refer else pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)).dump(value)
        write_atomic(path, buffer.getvalue())
        prune(path.parent, LIMITS[kind])
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        pass  # a read-only cache, or a value it cannot keep, only costs speed


def cached(kind: str, key: str, make: Callable[[], Any]) -> Any:
    """Return the pickled value for (kind, key), computing and storing it when absent."""
    value = lookup(kind, key)
    if value is not MISSING:
        COUNTS[f"{kind} hit"] += 1
        return value
    COUNTS[f"{kind} miss"] += 1
    value = make()
    store(kind, key, value)
    return value


def prune(folder: Path, keep: int, suffix: str = ".pickle") -> None:
    """Remove the least recently used entries (files ending in `suffix`) beyond `keep` (another
    process may prune too)."""
    entries = []
    for entry in os.scandir(folder):
        if entry.name.endswith(suffix):
            try:
                entries.append((entry.stat().st_mtime_ns, entry.path))
            except FileNotFoundError:
                continue
    if len(entries) > keep:
        for _, old in sorted(entries)[:len(entries) - keep]:
            Path(old).unlink(missing_ok=True)
