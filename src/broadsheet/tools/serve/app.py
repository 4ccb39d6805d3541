"""The web application of `broadsheet serve` (Starlette): the page, its assets, the current
snapshot as JSON, server-sent events announcing each build, the page images, the PDF, the
project's own files (for the source line shown beside a selection) and opening a place in the
editor.

What it serves is closed: the assets by name from a fixed list, the page images and the PDF of the
build, and of the project's files only those the loaded spec is made of (spec, style sheets,
stories, images, font files) — a path is resolved and then looked up in that set, so `..`, absolute
paths and symbolic links lead nowhere else. Bound to the loopback address, it also answers only
requests whose Host is a loopback name, so a web page elsewhere cannot reach it through a DNS name
that points at 127.0.0.1; opening the editor needs a JSON POST from its own origin.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import AsyncIterator, Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from broadsheet.tools.serve.editor import Editor
from broadsheet.tools.serve.snapshot import Snapshot

ASSETS = {"index.html": "text/html", "serve.js": "text/javascript", "serve.css": "text/css"}
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
#: How often an idle event stream looks whether the server is stopping (Ctrl-C waits for the
#: streams to end), and how often it sends a comment (keeps proxies from timing it out).
POLL = 0.2
HEARTBEAT = 15.0
NO_STORE = {"Cache-Control": "no-store"}


class Hub:
    """The current snapshot, and an event that fires when the next one arrives. Lives on the
    server's event loop: the watcher thread hands snapshots over with `call_soon_threadsafe`."""

    def __init__(self) -> None:
        self.current: Snapshot | None = None
        self._next = asyncio.Event()

    def publish(self, snapshot: Snapshot) -> None:
        self.current = snapshot
        fired, self._next = self._next, asyncio.Event()
        fired.set()

    def next(self) -> asyncio.Event:
        return self._next


@dataclass
class Live:
    """What the routes need to know about the running session."""

    hub: Hub
    files: Callable[[], set[Path]]  # the project's files and outputs that may be served
    output: Path
    editor: Editor | None = None
    stopping: Callable[[], bool] = lambda: False

    def allowed(self, name: str) -> Path | None:
        """The project file `name` (as the map names it: relative to the working directory, or
        absolute) if it is one of the project's own; else None."""
        if not name or "\0" in name:
            return None
        try:
            path = Path(name).resolve()
        except (OSError, RuntimeError, ValueError):
            return None
        return path if path in self.files() and path.is_file() else None


def _asset(name: str) -> bytes:
    return resources.files("broadsheet.tools.serve").joinpath("static", name).read_bytes()


def create_app(live: Live, allowed_hosts: tuple[str, ...] | None = LOOPBACK_NAMES, lifespan=None) -> ASGIApp:
    """The application; `allowed_hosts` None accepts any Host (for an explicit --host); `lifespan`
    starts and stops what runs beside the server (the watcher)."""
    assets = {name: (_asset(name), media) for name, media in ASSETS.items()}

    async def index(request: Request) -> Response:
        body, media = assets["index.html"]
        return Response(body, media_type=media, headers=NO_STORE)

    async def asset(request: Request) -> Response:
        found = assets.get(request.path_params["name"])
        if found is None:
            return PlainTextResponse("not found", 404)
        return Response(found[0], media_type=found[1], headers=NO_STORE)

    async def state(request: Request) -> Response:
        snap = live.hub.current
        return Response(snap.state if snap else '{"version":0}', media_type="application/json", headers=NO_STORE)

    async def events(request: Request) -> Response:
        async def stream() -> AsyncIterator[str]:
            yield "retry: 500\n\n"  # reconnect fast after a restart of the server
            sent = -1
            idle = 0.0
            while not live.stopping():
                wake = live.hub.next()
                snap = live.hub.current
                if snap is not None and snap.version != sent:
                    sent = snap.version
                    yield f"event: build\ndata: {snap.state}\n\n"
                    continue
                try:
                    await asyncio.wait_for(wake.wait(), POLL)
                except asyncio.TimeoutError:
                    idle += POLL
                    if idle >= HEARTBEAT:
                        idle = 0.0
                        yield ": idle\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream", headers=NO_STORE)

    async def page(request: Request) -> Response:
        snap = live.hub.current
        number = request.path_params["number"]
        if snap is None or not 1 <= number <= len(snap.images):
            return PlainTextResponse("no such page", 404)
        return Response(snap.images[number - 1], media_type="image/bmp", headers=NO_STORE)

    async def pdf(request: Request) -> Response:
        path = live.output.resolve()
        if not path.is_file():
            return PlainTextResponse("no PDF yet", 404)
        return Response(path.read_bytes(), media_type="application/pdf", headers=NO_STORE)

    async def file(request: Request) -> Response:
        path = live.allowed(request.query_params.get("path", ""))
        if path is None:
            return PlainTextResponse("not a file of this project", 404)
        media = "text/plain; charset=utf-8" if path.suffix.lower() in (".yaml", ".yml", ".md", ".txt") else None
        return Response(path.read_bytes(), media_type=media or "application/octet-stream", headers=NO_STORE)

    async def open_in_editor(request: Request) -> Response:
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return PlainTextResponse("JSON only", 415)  # a cross-site form cannot send JSON without asking first
        origin = request.headers.get("origin")
        if origin is not None and origin.split("://", 1)[-1] != request.headers.get("host"):
            return PlainTextResponse("not from this page", 403)
        if live.editor is None:
            return PlainTextResponse("no --editor given", 409)
        try:
            data = json.loads(await request.body())
            name, line, col = str(data["file"]), data.get("line"), data.get("col")
            line = int(line) if line is not None else None
            col = int(col) if col is not None else None
        except (ValueError, KeyError, TypeError):
            return PlainTextResponse("expected {file, line, col}", 400)
        path = live.allowed(name)
        if path is None:
            return PlainTextResponse("not a file of this project", 404)
        argv = live.editor.argv(str(path), line, col)
        live.editor.open(str(path), line, col)
        return JSONResponse({"opened": argv})

    app = Starlette(routes=[
        Route("/", index),
        Route("/static/{name}", asset),
        Route("/state", state),
        Route("/events", events),
        Route("/page/{number:int}", page),
        Route("/pdf", pdf),
        Route("/file", file),
        Route("/open", open_in_editor, methods=["POST"]),
    ], lifespan=lifespan)
    return app if allowed_hosts is None else HostCheck(app, allowed_hosts)


@dataclass
class HostCheck:
    """Refuses requests whose Host header is not one of `names` (any port)."""

    app: ASGIApp
    names: tuple[str, ...]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name not in self.names:
                await PlainTextResponse("unknown host", 421)(scope, receive, send)
                return
        await self.app(scope, receive, send)

