"""`broadsheet serve`: the live proof in a real browser (Debian's Chromium driven by selenium), and
plain HTTP for what the server refuses: other files, path traversal, other hosts, cross-site
requests; the loopback default and a clean stop on Ctrl-C.

Each test serves its own copy of the sample project (conftest.snapshot_project) from a `broadsheet
serve` process, so edits never touch the checkout, and stops it with SIGINT as Ctrl-C would.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from broadsheet.text.punctuation import full_width_punctuation

from conftest import broadsheet_exe, snapshot_project
from broadsheet.tools.serve.editor import Editor
from broadsheet.tools.serve.server import is_loopback

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


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


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def spec_entry_lines(spec: Path, story: str) -> range:
    """The lines of the spec's entry for `story` (from its `- story:` line to the next entry)."""
    lines = spec.read_text(encoding="utf-8").splitlines()
    starts = [k + 1 for k, line in enumerate(lines) if line.lstrip().startswith("- story:")]
    [first] = [n for n in starts if f"/{story}.md" in lines[n - 1]]
    later = [n for n in starts if n > first]
    return range(first, later[0] if later else len(lines) + 1)


# ---------------------------------------------------------------------------------------------
# plain HTTP


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


def test_editor_template():
    editor = Editor("code -g {file}:{line}:{col}")
    assert editor.argv("my story.md", 12, 3) == ["code", "-g", "my story.md:12:3"], "one argument, no shell"
    assert Editor("vim +{line} {file}").argv("a.md", None) == ["vim", "+1", "a.md"]
    for bad in ("", "code -g {path}", "code -g", "code {file} {0}"):
        with pytest.raises(ValueError):
            Editor(bad)


# ---------------------------------------------------------------------------------------------
# in the browser


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium and chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1500,1000", f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_script_timeout(20)
    yield driver
    driver.quit()


def wait(driver, script: str, timeout: float = 30):
    """Poll a JavaScript expression until it is truthy; its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = driver.execute_script("return " + script)
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for: {script}"
        time.sleep(0.02)


def body(driver, key: str) -> str:
    return driver.execute_script(f"return document.body.dataset.{key}")


def click_at(driver, page: int, x: float, y: float) -> None:
    """Move to and click the point (x, y), in points from the top-left corner of page `page`
    (scrolled to the middle of the window first)."""
    from selenium.webdriver.common.action_chains import ActionChains

    layer = driver.find_element("css selector", f'.page[data-page="{page}"] svg')
    cx, cy = driver.execute_script(
        "const [layer, x, y] = arguments; const view = document.getElementById('view');"
        "let r = layer.getBoundingClientRect(); const s = r.width / layer.viewBox.baseVal.width;"
        "view.scrollTop += r.top + y * s - innerHeight / 2; view.scrollLeft += r.left + x * s - innerWidth / 2;"
        "r = layer.getBoundingClientRect(); return [r.left + x * s, r.top + y * s];", layer, x, y)
    actions = ActionChains(driver)
    actions.w3c_actions.pointer_action.move_to_location(round(cx), round(cy))
    actions.w3c_actions.pointer_action.click()
    actions.perform()


def shown_page(driver) -> bytes:
    """The pixels of the first page image as shown (a canvas copy of the loaded image)."""
    return driver.execute_script(
        "const img = document.querySelector('.page img'); const c = document.createElement('canvas');"
        "c.width = img.naturalWidth; c.height = img.naturalHeight; c.getContext('2d').drawImage(img, 0, 0);"
        "return c.toDataURL('image/png')").encode()


def test_live_proof_in_the_browser(serve_sample, browser):
    served = serve_sample()
    spec = served.root / "layout" / "dangjian.yaml"
    styles = served.root / "styles" / "newspaper.yaml"
    browser.get(served.url)
    wait(browser, "document.body.dataset.shown === document.body.dataset.good && document.body.dataset.good > 0")
    assert browser.execute_script("return [...document.querySelectorAll('.page img')].map(i => i.naturalWidth)")[0] > 1000
    assert body(browser, "ok") == "true"

    # the opinion column: hover shows its frame and name, a click where it came from
    state = served.state()
    [page] = state["pages"]
    lines = [it for it in page["items"] if it["kind"] == "line" and it["story"] == "sikao" and it["role"] == "body"]
    target = lines[len(lines) // 2]
    x, y, w, h = target["rect"]
    click_at(browser, 1, x + w / 2, y + h / 2)
    assert browser.find_element("id", "sel-story").text == "sikao"
    shown_spec = browser.find_element("id", "sel-spec").text.split()[0]
    file, line = shown_spec.rsplit(":", 1)
    assert file == "layout/dangjian.yaml" and int(line) in spec_entry_lines(spec, "sikao"), shown_spec
    assert browser.find_element("id", "sel-spec-text").text == spec.read_text(encoding="utf-8").splitlines()[int(line) - 1].strip()
    assert browser.find_element("id", "sel-file").text.split()[0] == "seeds/sikao.md"
    story_pos = browser.find_element("id", "sel-line").text.split()[0]
    story_file, story_line = story_pos.rsplit(":", 1)
    assert story_file == "seeds/sikao.md"
    written = (served.root / "seeds/sikao.md").read_text(encoding="utf-8").splitlines()[int(story_line) - 1]
    clicked = browser.find_element("id", "sel-line-text").text
    assert clicked == target["text"] and clicked[2:8] in full_width_punctuation(written)[0], (clicked, written)
    assert browser.find_element("id", "hover-label").text.startswith("sikao")
    frames = [it["rect"] for it in page["items"] if it["kind"] == "frame" and it["story"] == "sikao"]
    drawn = browser.execute_script(
        "return [...document.querySelectorAll('.l-hover rect')].map(r => ['x', 'y', 'width', 'height']"
        ".map(a => +r.getAttribute(a)))")
    assert drawn == frames, "hovering draws the story's frame"
    assert browser.execute_script("return +document.querySelector('.l-select rect.line').getAttribute('y')") == y, \
        "the clicked line is marked"
    # … and the button opens that place in the editor
    browser.find_element("css selector", "#sel-spec button.open").click()
    deadline = time.monotonic() + 10
    while not served.opened.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert served.opened.read_text(encoding="utf-8") == f"{spec.resolve()}:{line}"

    # overlays are toggles
    def layer_shown(name: str) -> bool:
        return browser.execute_script(f"return getComputedStyle(document.querySelector('.l-{name}')).display") != "none"

    assert not layer_shown("grid") and layer_shown("quality")
    browser.find_element("css selector", "[data-layer=grid]").click()
    assert layer_shown("grid")
    assert browser.execute_script("return document.querySelectorAll('.l-baselines line').length") > 90

    # a style change shows on the page
    def title_height(st: dict) -> float:
        [title] = [it for it in st["pages"][0]["items"] if it["kind"] == "line" and it["story"] == "sikao"
                   and it["role"] == "title"]
        return title["rect"][3]

    before_pixels, good = shown_page(browser), int(body(browser, "good"))
    saved = time.time()
    edit(styles, "based_on: title\n    size: 二号", "based_on: title\n    size: 一号")
    wait(browser, f"document.body.dataset.shown > {good}")
    latency = browser.execute_script("return window.broadsheetShownAt") / 1000 - saved
    assert shown_page(browser) != before_pixels
    assert title_height(served.state()) > title_height(state), "the opinion title is set larger"
    assert browser.find_element("id", "sel-story").text == "sikao", "the selection survives the rebuild"
    print(f"save to browser: {latency:.2f} s")
    assert latency < 5, f"the change took {latency:.2f} s to show"

    # a broken edit shows its errors over the last good proof …
    good = int(body(browser, "good"))
    edit(styles, "size: 一号", "size: [一号")
    wait(browser, "document.body.dataset.ok === 'false'")
    banner = browser.find_element("id", "errors")
    assert banner.is_displayed()
    [error] = browser.find_elements("css selector", "#error-list li")
    assert re.match(r"styles/newspaper\.yaml:\d+:\d+: error: ", error.text), error.text
    assert int(body(browser, "good")) == good and browser.find_element("css selector", ".page img").is_displayed()
    assert "failed" in browser.find_element("id", "status").text
    # … and fixing it brings the page back
    edit(styles, "size: [一号", "size: 一号")
    wait(browser, f"document.body.dataset.ok === 'true' && document.body.dataset.shown > {good}")
    assert not banner.is_displayed()


def test_contact_sheet_and_zoom(serve_sample, browser):
    served = serve_sample("layout/sikai.yaml")
    browser.get(served.url)
    wait(browser, "document.body.dataset.shown > 0")
    boxes = lambda: browser.execute_script(  # noqa: E731
        "return [...document.querySelectorAll('.page')].map(p => { const r = p.getBoundingClientRect();"
        " return [r.left, r.top, r.width, r.height]; })")
    one, two = boxes()
    assert two[1] > one[1] + one[3], "pages one under another"
    browser.find_element("id", "view-contact").click()
    one, two = boxes()
    assert abs(one[1] - two[1]) < 1 and two[0] > one[0] + one[2], "side by side"
    assert one[1] + one[3] <= browser.execute_script("return innerHeight"), "the whole sheet in view"
    browser.find_element("id", "view-pages").click()
    width = boxes()[0][2]
    browser.find_element("id", "zoom-in").click()
    assert boxes()[0][2] == pytest.approx(width * 1.25, rel=0.01)
    browser.find_element("id", "zoom-page").click()
    assert boxes()[0][3] <= browser.execute_script("return innerHeight")
    # the jump line on page 2 leads to its story's frame in the spec
    state = served.state()
    frames = [it for it in state["pages"][1]["items"] if it["kind"] == "frame"]
    assert frames and all(f["source"] and f["source"]["file"] == "layout/sikai.yaml" for f in frames)


# ---------------------------------------------------------------------------------------------
# the item map, without a browser


def test_item_map_knows_where_everything_came_from(sample):
    from broadsheet.diagnostics import Diagnostic, Pos
    from broadsheet.text.punctuation import full_width_punctuation
    from broadsheet.input.project import load_project
    from broadsheet.tools.serve.pagemap import page_map

    project = load_project(sample.spec_path)
    base, places = page_map(sample.result.document, project.jobs, sample.result.stories, str(sample.spec_path),
                            sample.warnings)
    [page] = base["pages"]
    stories = {s["name"]: s for s in base["stories"]}
    sikao = stories["sikao"]
    assert sikao["file"].endswith("seeds/sikao.md") and sikao["quality"]["lines"] > 100
    entry = spec_entry_lines(sample.spec_path, "sikao")
    assert sikao["spec"]["line"] in entry
    frames = [it for it in page["items"] if it["kind"] == "frame" and it["story"] == "sikao"]
    assert frames and all(f["source"]["file"] == str(sample.spec_path) and f["source"]["line"] in entry for f in frames)

    written = Path(sikao["file"]).read_text(encoding="utf-8").splitlines()
    lines = [it for it in page["items"] if it["kind"] == "line" and it["story"] == "sikao"]
    body = [it for it in lines if it["role"] == "body"]
    assert len(body) == sikao["quality"]["lines"]
    for it in body:
        assert it["source"]["file"] == sikao["file"]
        source = full_width_punctuation(written[it["source"]["line"] - 1])[0]
        assert it["text"][:2] in source or source.endswith(it["text"][:1]), (it["text"], source)
    [title] = [it for it in lines if it["role"] == "title"]
    assert written[title["source"]["line"] - 1].startswith("title:")
    fx, fy, fw, fh = frames[0]["rect"]
    for it in lines:  # every line of the story lies in its frame (an opening mark set half width, whose
        x, y, w, h = it["rect"]  # em box starts half an em early, aside)
        assert fx - h / 2 - 0.5 <= x and x + w <= fx + fw + 1 and fy - 1 <= y and y + h <= fy + fh + 1, it

    # diagnostics go where they belong: a photo's (a missing or low-resolution one) to its slot, with its
    # caption, inside its story's frame; a story line's to its lines
    huanren = [it["rect"] for it in page["items"] if it["kind"] == "frame" and it["story"] == "huanren"]
    left, top = min(r[0] for r in huanren), min(r[1] for r in huanren)
    right, bottom = max(r[0] + r[2] for r in huanren), max(r[1] + r[3] for r in huanren)
    slots = [it for it in page["items"] if it["kind"] == "slot"]
    assert len(slots) == 2
    for slot in slots:
        at = slot["source"]
        placed = places.of(Diagnostic(Pos(at["file"], at["line"], at["col"]), f"image {slot['note']} not found",
                                      "warning", "image-missing"))
        assert slot["rect"] in [p[1:] for p in placed]
        x, y, w, h = slot["rect"]
        assert left - 0.02 <= x and x + w <= right + 0.02 and top - 0.02 <= y and y + h <= bottom + 0.02
    target = body[len(body) // 2]["source"]
    placed = places.of(Diagnostic(Pos(target["file"], target["line"], 3), "a problem on that line"))
    assert placed == [[1, *it["rect"]] for it in page["items"] if it["kind"] == "line" and it["source"] == target]
    assert places.of(Diagnostic(Pos("styles/elsewhere.yaml", 4, 1), "not on the page")) == []


@pytest.mark.parametrize("dpi", [100, 37])  # rows of 4608 bytes, and of 1707 (padded to 1708 in the BMP)
def test_page_images_are_the_pdf_render_pixel_for_pixel(sample, dpi):
    import io

    from PIL import Image

    from broadsheet.output.proof import page_bitmaps
    from broadsheet.tools.serve.snapshot import bmp

    [bitmap] = page_bitmaps(sample.pdf, 1, dpi)
    shown = Image.open(io.BytesIO(bmp(bitmap)))
    assert shown.format == "BMP" and shown.size == (bitmap.width, bitmap.height)
    assert shown.convert("RGB").tobytes() == bitmap.to_pil().convert("RGB").tobytes()
