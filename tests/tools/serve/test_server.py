"""`broadsheet serve`'s server (tools/serve/server.py): loopback by default, the listening socket and
its address, the session between the watcher's thread and the event loop; and a served project
over plain HTTP: what it refuses, another host, a taken port, a project broken from the start, a
clean stop on Ctrl-C."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import time

import pytest

from broadsheet.tools.serve import server
from broadsheet.tools.serve.server import Session, bind, is_loopback, url_of
from broadsheet.tools.serve.snapshot import Snapshot

from conftest import broadsheet_exe, edit, snapshot_project
from .conftest import Served


def test_loopback_names_and_addresses():
    assert all(is_loopback(h) for h in ("localhost", "127.0.0.1", "127.8.9.10", "::1", "[::1]"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.20", "newsroom.example", ""))


def test_a_listening_socket_on_a_free_port_and_its_address():
    with bind("127.0.0.1", 0) as sock:
        host, port = sock.getsockname()[:2]
        assert host == "127.0.0.1" and port > 0
        assert url_of(sock) == f"http://127.0.0.1:{port}/"
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass  # it listens
        with pytest.raises(OSError):
            bind("127.0.0.1", port)  # taken
    try:
        six = bind("::1", 0)
    except OSError:
        return  # no IPv6 loopback here
    with six:
        assert url_of(six) == f"http://[::1]:{six.getsockname()[1]}/"


class FakeWatcher:
    files = {"a.md"}


def test_the_session_hands_each_snapshot_to_the_event_loop(monkeypatch):
    snapshots = iter([Snapshot(1, 1), Snapshot(2, 1)])
    monkeypatch.setattr(server, "take", lambda w, previous, editor: next(snapshots))
    session = Session(editor=None, echo=lambda *a, **k: None)
    assert session.files() == set(), "nothing to serve before the first build"
    session.built(FakeWatcher())  # no loop yet: kept, not published
    assert session.snapshot.version == 1 and session.hub.current is None
    loop = asyncio.new_event_loop()
    try:
        session.loop = loop
        session.built(FakeWatcher())
        assert session.hub.current is None, "published on the loop's own thread, not the watcher's"
        loop.run_until_complete(asyncio.sleep(0))
        assert session.hub.current.version == 2
    finally:
        loop.close()
    assert session.files() == {"a.md"}


def test_a_bug_showing_a_build_keeps_the_last_view(monkeypatch):
    said = []

    def broken(w, previous, editor):
        raise KeyError("items")

    monkeypatch.setattr(server, "take", broken)
    session = Session(editor=None, echo=lambda message, err=False: said.append((message, err)))
    session.snapshot = kept = Snapshot(3, 3)
    session.built(FakeWatcher())
    assert session.snapshot is kept
    assert said == [("internal error showing the build: KeyError: 'items' (please report it)", True)]


def test_serves_the_project_on_loopback_and_refuses_everything_else(serve_sample):
    served = serve_sample()
    assert served.url.startswith("http://127.0.0.1:"), "loopback by default, on a free port"
    served.wait_good()
    assert served.get("/")[0] == 200
    status, image = served.get("/page/1")
    assert status == 200 and image.startswith(b"BM")
    status, pdf = served.get("/pdf")
    assert status == 200 and pdf.startswith(b"%PDF")
    status, text = served.get("/file?path=layout/dangjian.yaml")
    assert status == 200 and text == (served.root / "layout/dangjian.yaml").read_bytes()
    assert served.get("/file?path=seeds/sikao.md")[0] == 200, "a story the spec names"
    assert served.get("/file?path=layout/../styles/newspaper.yaml")[0] == 200, "the same file, spelt otherwise"

    (served.root / "secret.txt").write_text("private", encoding="utf-8")
    os.symlink("../secret.txt", served.root / "layout" / "link.yaml")
    for path in ("/file?path=../secret.txt", "/file?path=secret.txt", f"/file?path={served.root}/secret.txt",
                 "/file?path=/etc/passwd", "/file?path=layout/link.yaml", "/file?path=../../../../etc/passwd",
                 "/file?path=seeds/000_cf45e6e7f11bb7f4.txt",  # in the project, but the spec does not name it
                 "/static/..%2F..%2Fapp.py", "/static/../app.py", "/static/app.py", "/page/0", "/page/2"):
        status, body = served.get(path)
        assert status == 404, (path, status)
        assert b"private" not in body and b"root:" not in body

    # a page elsewhere that reaches 127.0.0.1 through its own DNS name is refused
    assert served.get("/state", {"Host": "attacker.example"})[0] == 421
    assert served.get("/state", {"Host": "localhost:1234"})[0] == 200

    # the editor: only a JSON POST from its own page, only for the project's files
    opened = served.opened
    body = json.dumps({"file": "seeds/sikao.md", "line": 3}).encode()
    assert served.get("/open", {"Content-Type": "text/plain"}, body)[0] == 415, "a cross-site form post"
    host = served.url.split("/")[2]
    assert served.get("/open", {"Content-Type": "application/json", "Origin": "http://attacker.example"}, body)[0] == 403
    outside = json.dumps({"file": "/etc/passwd", "line": 1}).encode()
    assert served.get("/open", {"Content-Type": "application/json"}, outside)[0] == 404
    assert not opened.exists()
    status, reply = served.get("/open", {"Content-Type": "application/json", "Origin": f"http://{host}"}, body)
    assert status == 200, reply
    deadline = time.monotonic() + 10
    while not opened.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert opened.read_text(encoding="utf-8") == f"{(served.root / 'seeds/sikao.md').resolve()}:3"

    # not reachable from the network: the port is closed on the machine's other addresses
    for address in _other_addresses():
        with pytest.raises(OSError):
            socket.create_connection((address, int(served.url.rsplit(":", 1)[1].strip("/"))), timeout=2).close()

    assert served.stop() == 0, "Ctrl-C is a clean stop"
    assert "stopped serving" in served.lines[-1]
    assert "Traceback" not in "\n".join(served.lines)


def _other_addresses() -> list[str]:
    """This machine's non-loopback IPv4 addresses (none in a sandbox without a network)."""
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return []
    return sorted({info[4][0] for info in infos if not is_loopback(info[4][0])})


def test_explicit_host_and_a_taken_port(serve_sample, tmp_path):
    served = serve_sample("layout/dangjian.yaml", "--host", "0.0.0.0")
    assert "warning: serving on 0.0.0.0" in "\n".join(served.lines)
    port = int(served.url.rsplit(":", 1)[1].strip("/"))
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
    assert served.get("/state", {"Host": "newsroom.example"})[0] == 200, "bound elsewhere on purpose: any host name"
    taken = subprocess.run([broadsheet_exe(), "serve", "layout/dangjian.yaml", "--port", str(port)], cwd=served.root,
                           capture_output=True, text=True, timeout=60)
    assert taken.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in taken.stderr, taken.stderr


def test_a_project_broken_from_the_start_shows_its_errors_then_its_pages(tmp_path):
    root = tmp_path / "project"
    snapshot_project(root)
    styles = root / "styles" / "newspaper.yaml"
    edit(styles, "size: 小五", "size: [小五")
    served = Served(root, "layout/dangjian.yaml")
    try:
        served.ready()
        deadline = time.monotonic() + 60
        while not (state := served.state()).get("errors"):
            assert time.monotonic() < deadline, "\n".join(served.lines)
            time.sleep(0.05)
        assert state["ok"] is False and state["good"] == 0 and state["pages"] == []
        [error] = state["errors"]
        broken = styles.read_text(encoding="utf-8").splitlines().index("    size: [小五") + 1
        # where the YAML parser notices: at the broken line or the next
        assert error["where"]["file"] == "styles/newspaper.yaml" and error["where"]["line"] in (broken, broken + 1)
        assert served.get("/page/1")[0] == 404
        assert served.get("/file?path=styles/newspaper.yaml")[0] == 200, "the files of a broken project are known"
        edit(styles, "size: [小五", "size: 小五")
        state = served.wait_good()
        assert state["ok"] is True and state["errors"] == [] and len(state["pages"]) == 1
    finally:
        assert served.stop() == 0
