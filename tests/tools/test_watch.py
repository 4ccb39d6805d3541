"""Watch mode: rebuilds after a change of the style sheet, a story or an image, survives a broken
edit keeping the last good output, knows which files to watch, and is fast enough to show a style
change on the sample page's proof within a second."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import click
import pytest
from PIL import Image

from broadsheet.input.press import DEFAULT_PROFILE
from broadsheet.input.project import load_project
from broadsheet.tools.build import BuildOptions
from broadsheet.tools.watch import spec_files, watch
from conftest import MINI_SPEC, snapshot_project, edit as replace_once


class Session:
    """watch() running in a thread on a project, its output collected line by line."""

    def __init__(self, spec: Path, output: Path, **options):
        self.lines: list[str] = []
        self.changed = threading.Condition()
        self.stop = threading.Event()
        self.watcher = None

        def echo(message: str = "", err: bool = False, **_) -> None:
            with self.changed:
                self.lines.append(click.unstyle(str(message)))
                self.changed.notify_all()

        def run() -> None:
            self.watcher = watch(spec, BuildOptions(output=output, **{"proof": True, **options}), echo=echo,
                                 stop_event=self.stop)

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        self.wait_for("watching")

    def count(self, word: str) -> int:
        return sum(1 for line in self.lines if word in line)

    def wait_for(self, word: str, count: int = 1, timeout: float = 20) -> list[str]:
        deadline = time.monotonic() + timeout
        with self.changed:
            while self.count(word) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"no {count}× '{word}' within {timeout} s; output:\n" + "\n".join(self.lines)
                self.changed.wait(left)
            return list(self.lines)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(10)
        assert not self.thread.is_alive(), "watch did not stop"


@pytest.fixture
def session_factory():
    sessions = []

    def start(spec: Path, output: Path, **options) -> Session:
        s = Session(spec, output, **options)
        sessions.append(s)
        return s

    yield start
    for s in sessions:
        s.close()


def edit(path: Path, old: str, new: str) -> None:
    replace_once(path, old, new)
    time.sleep(0.05)


def test_rebuilds_after_a_style_change_and_survives_a_broken_edit(mini, session_factory):
    pdf, png = mini.root / "out" / "page.pdf", mini.root / "out" / "page.png"
    s = session_factory(Path("spec.yaml"), pdf, dpi=40)
    s.wait_for("rebuilt")
    first = pdf.read_bytes()
    assert png.is_file()

    # a one-line style change: a bigger body
    edit(mini.root / "styles.yaml", "size: 小五\n", "size: 五号\n")
    lines = s.wait_for("rebuilt", 2)
    assert "styles.yaml changed" in lines[-1] and "page.pdf" in lines[-1] and "page.png" in lines[-1]
    good_pdf, good_png = pdf.read_bytes(), png.read_bytes()
    assert good_pdf != first

    # a broken edit: the error is printed, the last good output stays
    edit(mini.root / "styles.yaml", "size: 五号\n", "size: 五毫米\n")
    lines = s.wait_for("failed")
    assert any(line.startswith("styles.yaml:") and ": error: " in line and "五毫米" in line for line in lines), lines
    assert "kept the last good output" in lines[-1]
    assert pdf.read_bytes() == good_pdf and png.read_bytes() == good_png

    # mending it rebuilds again
    edit(mini.root / "styles.yaml", "size: 五毫米\n", "size: 小五\n")
    s.wait_for("rebuilt", 3)
    assert pdf.read_bytes() == first, "the same input gives the same PDF"
    assert s.count("failed") == 1


def test_a_broken_spec_still_watches_its_files(mini, session_factory):
    pdf = mini.root / "out" / "page.pdf"
    s = session_factory(Path("spec.yaml"), pdf, proof=False)
    s.wait_for("rebuilt")
    good = pdf.read_bytes()
    edit(mini.root / "spec.yaml", "gutter: 1字", "gutter: 1ft")
    s.wait_for("failed")
    assert pdf.read_bytes() == good
    edit(mini.root / "story.md", "第二段文字", "第二段新的文字")  # still watched while the spec is broken
    s.wait_for("failed", 2)
    edit(mini.root / "spec.yaml", "gutter: 1ft", "gutter: 1字")
    s.wait_for("rebuilt", 2)
    assert pdf.read_bytes() != good, "the story edit made while the spec was broken is in"


def test_a_story_edit_and_a_new_image_rebuild(mini, session_factory):
    mini.spec(MINI_SPEC + "    images: [{file: photo.jpg, columns: 1-2, top: 5, lines: 8}]\n")
    pdf = mini.root / "out" / "page.pdf"
    s = session_factory(Path("spec.yaml"), pdf, proof=False)
    lines = s.wait_for("rebuilt")
    assert any("photo.jpg not found" in line for line in lines)
    edit(mini.root / "story.md", "内容简短", "内容稍长一些")
    lines = s.wait_for("rebuilt", 2)
    assert "story.md changed" in lines[-1]
    Image.new("RGB", (900, 600), (200, 40, 40)).save(mini.root / "photo.jpg", quality=85)
    lines = s.wait_for("rebuilt", 3)
    assert "photo.jpg changed" in lines[-1] and "1 warning," in lines[-1]  # the mini page's 开天窗


def test_max_rebuilds_stops_the_watch(mini):
    out: list[str] = []
    done = threading.Event()
    result = {}

    def run():
        result["w"] = watch(Path("spec.yaml"), BuildOptions(output=mini.root / "w.pdf"), max_rebuilds=1,
                            echo=lambda m="", err=False, **_: out.append(click.unstyle(str(m))))
        done.set()

    t = threading.Thread(target=run, daemon=True)
    t.start()
    deadline = time.monotonic() + 20
    while not any("watching" in line for line in out):
        assert time.monotonic() < deadline, out
        time.sleep(0.02)
    edit(mini.root / "story.md", "内容简短", "内容简短。")
    assert done.wait(20), out
    assert result["w"].builds == 2 and result["w"].ok


def test_the_files_watched(mini):
    mini.spec(MINI_SPEC + "    images: [{file: pics/photo.jpg, columns: 1-2, top: 5, lines: 8}]\n")
    project = load_project(Path("spec.yaml"))
    root = mini.root.resolve()
    assert project.files == {root / "spec.yaml", root / "styles.yaml", root / "story.md",
                             root / "pics" / "photo.jpg", DEFAULT_PROFILE}
    # a spec that does not load: what its YAML names
    mini.spec(MINI_SPEC.replace("gutter: 1字", "gutter: 1ft"))
    assert spec_files(Path("spec.yaml")) == {root / "spec.yaml", root / "styles.yaml", root / "story.md"}
    mini.spec("title: [unclosed\n")
    assert spec_files(Path("spec.yaml")) == {root / "spec.yaml"}


def test_sample_page_follows_each_style_edit(tmp_path, monkeypatch, session_factory):
    """A one-line style change shows in the sample page's PDF and proof, edit after edit (how fast
    is measured by bench/run.py: tests assert no timings)."""
    spec = snapshot_project(tmp_path / "project")
    monkeypatch.chdir(tmp_path / "project")
    png = tmp_path / "out" / "dangjian.png"
    s = session_factory(spec, tmp_path / "out" / "dangjian.pdf", allow_overset=True)
    s.wait_for("rebuilt")
    sheet = tmp_path / "project" / "styles" / "newspaper.yaml"
    for k, (old, new) in enumerate([("size: 小初", "size: 一号"), ("size: 一号", "size: 小初")] * 2):
        before = png.stat().st_mtime_ns
        edit(sheet, old, new)
        s.wait_for("rebuilt", k + 2)
        assert png.stat().st_mtime_ns != before
    s.close()
    assert s.watcher.ok and s.watcher.builds == 5


def test_an_internal_error_does_not_end_the_watch(mini, monkeypatch):
    from broadsheet.tools import build
    from broadsheet.tools.watch import Watcher

    lines: list[str] = []
    w = Watcher(Path("spec.yaml"), BuildOptions(output=mini.root / "out.pdf"),
                echo=lambda m="", err=False, **_: lines.append(click.unstyle(str(m))))
    assert w.build() and w.good
    monkeypatch.setattr(build, "run_build", lambda *a, **k: 1 / 0)
    assert not w.build([mini.root / "story.md"])
    assert "internal error ZeroDivisionError" in lines[-1] and "still watching" in lines[-1]
    assert (mini.root / "out.pdf").is_file()
