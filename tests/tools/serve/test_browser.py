"""`broadsheet serve` in a real browser (Debian's Chromium driven by selenium): the live proof,
selecting a line and opening its source in the editor, overlays, a style edit shown within
seconds, a broken edit's errors over the last good proof; the contact sheet and zoom."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from broadsheet.text.punctuation import full_width_punctuation

from conftest import edit
from .conftest import spec_entry_lines

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


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
