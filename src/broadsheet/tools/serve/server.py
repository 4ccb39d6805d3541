"""`broadsheet serve`: the watcher (tools/watch.py) rebuilds in a thread of its own; after each
build a snapshot (snapshot.py) is handed to the web server's event loop, which announces it to
every open page over server-sent events. uvicorn runs the application in the main thread, so
Ctrl-C reaches it: it stops accepting, ends the event streams, and the watcher thread is stopped
and joined before the command returns.

Why server-sent events and not a websocket: the traffic is one way (a build happened, here is
its map); SSE is plain HTTP that the browser's EventSource reconnects by itself, and it needs no
websocket library in uvicorn.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import threading
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import AsyncIterator, Callable

import click

from broadsheet.tools.build import BuildOptions

from broadsheet.tools.serve.app import LOOPBACK_NAMES, Hub, Live, create_app
from broadsheet.tools.serve.editor import Editor
from broadsheet.tools.serve.snapshot import Snapshot, take
from broadsheet.tools.watch import Echo, Watcher, watch

#: How long a stopping server waits for open pages to let go of their connections.
GRACE = 2


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: a free one); OSError if it cannot be had."""
    family, _, _, _, address = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)[0]
    return socket.create_server(address[:2], family=family)


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


@dataclass
class Session:
    """The bridge between the watcher's thread and the server's event loop."""

    editor: Editor | None
    echo: Echo = click.echo
    hub: Hub = field(default_factory=Hub)
    loop: asyncio.AbstractEventLoop | None = None
    watcher: Watcher | None = None
    snapshot: Snapshot | None = None

    def built(self, w: Watcher) -> None:
        """Called by the watcher after each build, in its thread."""
        self.watcher = w
        try:
            self.snapshot = take(w, self.snapshot, self.editor is not None)
        except Exception as exc:  # a bug here must not stop the watcher (the page keeps the last view)
            self.echo(f"internal error showing the build: {type(exc).__name__}: {exc} (please report it)", err=True)
            return
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self.hub.publish, self.snapshot)

    def files(self) -> set[Path]:
        return self.watcher.files if self.watcher is not None else set()


def serve(spec: Path, options: BuildOptions, *, host: str = "127.0.0.1", port: int = 0, editor: Editor | None = None,
          quiet: bool = False, echo: Echo = click.echo, started: Callable[[str], None] | None = None) -> None:
    """Serve the live proof of `spec` until Ctrl-C (KeyboardInterrupt reaches the caller after a
    clean stop). `started(url)` is called once the socket listens."""
    import uvicorn

    sock = bind(host, port)
    session = Session(editor, echo)
    stop = threading.Event()
    thread = threading.Thread(target=watch, name="broadsheet-watch", daemon=True, kwargs=dict(
        spec=spec, options=replace(options, proof=False), quiet=quiet, echo=echo, stop_event=stop, built=session.built))
    output = options.pdf_for(spec)
    server: uvicorn.Server | None = None

    @asynccontextmanager
    async def lifespan(app) -> AsyncIterator[None]:
        session.loop = asyncio.get_running_loop()
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join(10)

    live = Live(session.hub, session.files, output, editor, stopping=lambda: server is not None and server.should_exit)
    app = create_app(live, LOOPBACK_NAMES if is_loopback(host) else None, lifespan)
    config = uvicorn.Config(app, http="h11", ws="none", loop="asyncio", lifespan="on", log_level="warning",
                            access_log=False, timeout_graceful_shutdown=GRACE)
    server = uvicorn.Server(config)
    url = url_of(sock)
    if not is_loopback(host):
        echo(f"warning: serving on {host}: anyone who can reach this machine can see the pages and the "
             "project's files", err=True)
    echo(f"serving {spec} at {url} (Ctrl-C to stop)", err=True)
    if started is not None:
        started(url)
    try:
        server.run(sockets=[sock])
    finally:
        stop.set()
        if thread.is_alive():
            thread.join(10)
        sock.close()
