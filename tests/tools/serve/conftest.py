"""What the tests of `broadsheet serve` share: a `broadsheet serve` process on a copy of the sample
project (conftest.snapshot_project), stopped with SIGINT as Ctrl-C would, and edits of its files."""

from __future__ import annotations

import json
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import broadsheet_exe, snapshot_project


class Served:
    """A `broadsheet serve` process on a copy of the sample project."""

    def __init__(self, root: Path, spec: str, *args: str):
        self.root = root
        self.lines: list[str] = []
        self.opened = root / "opened.txt"
        # the editor: a Python one-liner that writes down what it was asked to open
        editor = (f"{shlex.quote(sys.executable)} -c 'import sys; open(sys.argv[1], \"w\").write(sys.argv[2])' "
                  f"{shlex.quote(str(self.opened))} {{file}}:{{line}}")
        self.proc = subprocess.Popen([broadsheet_exe(), "serve", spec, "--editor", editor, *args], cwd=root,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self.url = ""

    def ready(self) -> "Served":
        self.url = self.wait_for(r"at (http://\S+/) \(Ctrl-C").group(1)
        return self

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self.changed:
                self.lines.append(line.rstrip("\n"))
                self.changed.notify_all()

    def wait_for(self, pattern: str, timeout: float = 60) -> re.Match:
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for line in self.lines:
                    if m := re.search(pattern, line):
                        return m
                left = deadline - time.monotonic()
                assert left > 0 and self.proc.poll() is None, f"no '{pattern}'; output:\n" + "\n".join(self.lines)
                self.changed.wait(min(left, 0.5))

    def get(self, path: str, headers: dict[str, str] | None = None, data: bytes | None = None) -> tuple[int, bytes]:
        request = urllib.request.Request(self.url.rstrip("/") + path, data=data, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def state(self) -> dict:
        return json.loads(self.get("/state")[1])

    def wait_good(self, timeout: float = 60) -> dict:
        """The state once a build has succeeded and its page images are served."""
        deadline = time.monotonic() + timeout
        while (state := self.state()).get("good", 0) < 1:
            assert time.monotonic() < deadline, "no good build; output:\n" + "\n".join(self.lines)
            time.sleep(0.05)
        return state

    def stop(self) -> int:
        """Ctrl-C; the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("serve did not stop on Ctrl-C")
        return self.proc.returncode


@pytest.fixture
def serve_sample(tmp_path):
    started: list[Served] = []

    def start(spec: str = "layout/dangjian.yaml", *args: str) -> Served:
        root = tmp_path / f"project{len(started)}"
        snapshot_project(root)
        served = Served(root, spec, *args)
        started.append(served)  # stopped at the end even if it never gets ready
        return served.ready()

    yield start
    for served in started:
        served.stop()


def spec_entry_lines(spec: Path, story: str) -> range:
    """The lines of the spec's entry for `story` (from its `- story:` line to the next entry)."""
    lines = spec.read_text(encoding="utf-8").splitlines()
    starts = [k + 1 for k, line in enumerate(lines) if line.lstrip().startswith("- story:")]
    [first] = [n for n in starts if f"/{story}.md" in lines[n - 1]]
    later = [n for n in starts if n > first]
    return range(first, later[0] if later else len(lines) + 1)
