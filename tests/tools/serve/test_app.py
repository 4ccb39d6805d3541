"""The web application of `broadsheet serve` (tools/serve/app.py), called in the process through
ASGI: the page and its assets, the snapshot, the event stream, page images, the PDF, the project's
own files and nothing else, the Host check, and opening the editor only on a JSON POST from its own
page."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from urllib.parse import unquote

from broadsheet.tools.serve.app import Hub, Live, create_app
from broadsheet.tools.serve.snapshot import Snapshot

HOST = "127.0.0.1:8765"


def call(app, method: str, target: str, headers: dict[str, str] | None = None, body: bytes = b""):
    """(status, headers, body) of one request to an ASGI app."""
    path, _, query = target.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": unquote(path), "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
             "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in {"host": HOST, **(headers or {})}.items()],
             "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8765)}
    incoming = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[dict] = []

    async def receive():
        if incoming:
            return incoming.pop(0)
        await asyncio.sleep(3600)  # the client never goes away on its own

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    answer = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, answer


class Recorder:
    """An editor that notes what it was asked to open."""

    def __init__(self):
        self.opened = []

    def argv(self, file, line=None, col=None):
        return ["ed", f"{file}:{line or 1}"]

    def open(self, file, line=None, col=None):
        self.opened.append((file, line, col))


def project(tmp_path: Path, editor=None, **live):
    (tmp_path / "spec.yaml").write_text("title: 测试\n", encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG fake")
    (tmp_path / "secret.txt").write_text("private", encoding="utf-8")
    files = {(tmp_path / "spec.yaml").resolve(), (tmp_path / "photo.png").resolve(), (tmp_path / "gone.md").resolve()}
    hub = Hub()
    return hub, Live(hub, lambda: files, tmp_path / "out.pdf", editor, **live)


def test_the_page_its_assets_and_nothing_else_by_name(tmp_path):
    _, live = project(tmp_path)
    app = create_app(live)
    status, headers, page = call(app, "GET", "/")
    assert status == 200 and headers["content-type"].startswith("text/html") and headers["cache-control"] == "no-store"
    assert b"serve.js" in page
    status, headers, _ = call(app, "GET", "/static/serve.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript")
    for target in ("/static/app.py", "/static/..%2Fapp.py", "/static/", "/nowhere"):
        assert call(app, "GET", target)[0] == 404, target


def test_the_snapshot_and_its_page_images(tmp_path):
    hub, live = project(tmp_path)
    app = create_app(live)
    assert call(app, "GET", "/state")[2] == b'{"version":0}'  # before the first build
    assert call(app, "GET", "/page/1")[0] == 404
    hub.publish(Snapshot(2, 2, (b"BM one", b"BM two"), '{"version":2}'))
    status, headers, state = call(app, "GET", "/state")
    assert status == 200 and state == b'{"version":2}' and headers["content-type"] == "application/json"
    status, headers, image = call(app, "GET", "/page/2")
    assert (status, image, headers["content-type"]) == (200, b"BM two", "image/bmp")
    assert [call(app, "GET", f"/page/{n}")[0] for n in (0, 3)] == [404, 404]


def test_the_event_stream_announces_the_current_build(tmp_path):
    asked = iter([False, True])  # the server stops after one round
    hub, live = project(tmp_path, stopping=lambda: next(asked))
    hub.publish(Snapshot(5, 5, (), '{"version":5}'))
    status, headers, stream = call(create_app(live), "GET", "/events")
    assert status == 200 and headers["content-type"].startswith("text/event-stream")
    assert stream == b'retry: 500\n\nevent: build\ndata: {"version":5}\n\n'


def test_the_pdf_and_only_the_projects_own_files(tmp_path):
    _, live = project(tmp_path)
    app = create_app(live)
    assert call(app, "GET", "/pdf")[0] == 404  # not built yet
    (tmp_path / "out.pdf").write_bytes(b"%PDF-1.3 x")
    status, headers, pdf = call(app, "GET", "/pdf")
    assert (status, pdf, headers["content-type"]) == (200, b"%PDF-1.3 x", "application/pdf")
    status, headers, text = call(app, "GET", f"/file?path={tmp_path}/spec.yaml")
    assert (status, headers["content-type"]) == (200, "text/plain; charset=utf-8") and text == "title: 测试\n".encode()
    assert call(app, "GET", f"/file?path={tmp_path}/photo.png")[1]["content-type"] == "application/octet-stream"
    assert call(app, "GET", f"/file?path={tmp_path}/sub/../spec.yaml")[0] == 200, "the same file, spelt otherwise"
    os.symlink(tmp_path / "secret.txt", tmp_path / "link.yaml")
    for name in (f"{tmp_path}/secret.txt", f"{tmp_path}/link.yaml", f"{tmp_path}/gone.md", "", "/etc/passwd",
                 f"{tmp_path}/spec.yaml%00.png"):
        status, _, body = call(app, "GET", f"/file?path={name}")
        assert status == 404 and b"private" not in body, name


def test_live_knows_the_files_it_may_serve(tmp_path):
    _, live = project(tmp_path)
    assert live.allowed(str(tmp_path / "spec.yaml")) == (tmp_path / "spec.yaml").resolve()
    assert live.allowed(str(tmp_path / "gone.md")) is None, "listed, but no longer there"
    assert live.allowed(str(tmp_path / "secret.txt")) is None and live.allowed("") is None
    assert live.allowed("spec.yaml\0") is None


def test_only_loopback_host_names_unless_bound_elsewhere(tmp_path):
    _, live = project(tmp_path)
    app = create_app(live)
    for host, status in (("127.0.0.1:8765", 200), ("localhost", 200), ("[::1]:8765", 200), ("[::1]", 200),
                         ("attacker.example", 421), ("attacker.example:8765", 421), ("127.0.0.1.evil", 421)):
        assert call(app, "GET", "/state", {"host": host})[0] == status, host
    assert call(create_app(live, allowed_hosts=None), "GET", "/state", {"host": "newsroom.example"})[0] == 200


def test_opening_the_editor(tmp_path):
    editor = Recorder()
    _, live = project(tmp_path, editor)
    app = create_app(live)
    spec = str(tmp_path / "spec.yaml")
    good = json.dumps({"file": spec, "line": 3, "col": "2"}).encode()
    as_json = {"content-type": "application/json"}
    assert call(app, "GET", "/open")[0] == 405
    assert call(app, "POST", "/open", {"content-type": "text/plain"}, good)[0] == 415, "a cross-site form post"
    assert call(app, "POST", "/open", {**as_json, "origin": "http://attacker.example"}, good)[0] == 403
    for bad in (b"{", b'{"line": 3}', json.dumps({"file": spec, "line": "three"}).encode()):
        assert call(app, "POST", "/open", as_json, bad)[0] == 400, bad
    outside = json.dumps({"file": str(tmp_path / "secret.txt")}).encode()
    assert call(app, "POST", "/open", as_json, outside)[0] == 404
    assert editor.opened == []
    status, _, reply = call(app, "POST", "/open", {**as_json, "origin": f"http://{HOST}"}, good)
    assert status == 200 and json.loads(reply) == {"opened": ["ed", f"{Path(spec).resolve()}:3"]}
    assert editor.opened == [(str(Path(spec).resolve()), 3, 2)]
    _, without = project(tmp_path)
    assert call(create_app(without), "POST", "/open", as_json, good)[0] == 409, "no --editor given"
