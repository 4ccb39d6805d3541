// The live proof: page images rendered from the PDF, with the item map of the display list laid
// over them as SVG (in points: the SVG's viewBox is the page, so map and image scale together).
// Each build arrives as a server-sent event carrying the whole map; page images are preloaded and
// swapped in only when loaded, so the page never flashes empty.
"use strict";

const SVGNS = "http://www.w3.org/2000/svg";
const LAYERS = ["grid", "baselines", "frames", "slots", "quality", "problems"];
const $ = (id) => document.getElementById(id);
const view = $("view");

const ui = {
  state: null,
  zoom: 1,          // CSS pixels per point
  fit: "width",     // "width", "page" or null (a zoom chosen by hand)
  mode: "pages",    // or "contact"
  off: new Set(LAYERS.filter((n) => !document.querySelector(`[data-layer=${n}]`).checked)),
  selected: null,   // {story, frame, line}
  hovered: null,    // story name
  sources: new Map(), // file -> Promise of its lines (cleared at every build)
};

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function rect([x, y, w, h], cls) {
  return svg("rect", { x, y, width: w, height: h, class: cls || "" });
}

function posText(where, withCol = false) {
  if (!where) return "";
  if (where.line == null) return where.file;
  return withCol ? `${where.file}:${where.line}:${where.col || 1}` : `${where.file}:${where.line}`;
}

// ---------------------------------------------------------------------------------------------
// the connection

function connect() {
  const events = new EventSource("/events");
  events.addEventListener("build", (e) => show(JSON.parse(e.data)));
  events.onopen = () => { if (!ui.state) setStatus("building…", ""); };
  events.onerror = () => setStatus("reconnecting…", "");
}

function setStatus(text, cls) {
  const s = $("status");
  s.textContent = text;
  s.className = "status " + cls;
}

function show(state) {
  const before = ui.state;
  ui.state = state;
  ui.sources.clear();
  document.body.dataset.version = state.version;
  document.body.dataset.good = state.good;
  document.body.dataset.ok = state.ok;
  document.body.classList.toggle("failed", !state.ok);
  $("spec-name").textContent = state.spec;
  const pages = state.pages.length;
  if (state.ok) {
    const n = state.problems.length;
    setStatus(`built ${state.time} · ${state.seconds.toFixed(2)} s · ${pages} page${pages === 1 ? "" : "s"} · ` +
              `${n} warning${n === 1 ? "" : "s"}`, "ok");
  } else {
    const n = state.errors.length;
    setStatus(`failed ${state.time} · ${n} error${n === 1 ? "" : "s"}`, "failed");
  }
  showErrors(state);
  const shape = (s) => (s ? s.pages.map((p) => `${p.width}x${p.height}`).join(",") : "");
  if (shape(before) !== shape(state)) buildPages(state);
  state.pages.forEach((p) => drawPage(p, state));
  if (!before || before.good !== state.good) loadImages(state);
  listProblems(state);
  listQuality(state);
  reselect(state);
}

// ---------------------------------------------------------------------------------------------
// pages

function pageBox(number) {
  return document.querySelector(`.page[data-page="${number}"]`);
}

function buildPages(state) {
  const holder = $("pages");
  holder.replaceChildren();
  for (const p of state.pages) {
    const wrap = el("div", { class: "page-wrap" });
    const box = el("div", { class: "page", "data-page": p.number });
    const img = el("img", { alt: `page ${p.number}` });
    const layer = svg("svg", { viewBox: `0 0 ${p.width} ${p.height}`, preserveAspectRatio: "none" });
    layer.addEventListener("mousemove", (e) => hover(e, p.number));
    layer.addEventListener("mouseleave", () => hover(null));
    layer.addEventListener("click", (e) => select(e, p.number));
    box.append(img, layer);
    const label = el("div", { class: "page-label" }, `p. ${p.number}`);
    label.addEventListener("click", () => { setMode("pages"); box.scrollIntoView({ block: "start" }); });
    wrap.append(box, label);
    holder.append(wrap);
  }
  applyOverlays();
  applyZoom();
}

function loadImages(state) {
  const good = state.good;
  let left = state.pages.length;
  for (const p of state.pages) {
    const img = new Image();
    img.alt = `page ${p.number}`;
    img.src = `/page/${p.number}?v=${good}`;
    // swapped in once decoded, so that the old page stays until the new one can be painted
    img.decode().then(() => {
      if (ui.state.good !== good) return; // a newer build is on its way
      const box = pageBox(p.number);
      if (box) box.querySelector("img").replaceWith(img);
      if (--left === 0) {
        document.body.dataset.shown = good;
        window.broadsheetShownAt = Date.now(); // for latency measurements
      }
    }, () => {}); // a newer build replaced this one before it arrived
  }
}

function drawPage(page, state) {
  const box = pageBox(page.number);
  if (!box) return;
  const layer = box.querySelector("svg");
  layer.replaceChildren();
  const group = (name) => layer.appendChild(svg("g", { class: `l-${name}` }));
  const grid = page.grid;
  if (grid) {
    const g = group("grid");
    for (const [x, w] of grid.columns) g.append(rect([x, grid.area[1], w, grid.area[3]], "col"));
    g.append(rect(grid.area, "area"));
    const b = group("baselines");
    const [x0, , w] = grid.area;
    for (const y of grid.baselines) b.append(svg("line", { x1: x0, x2: x0 + w, y1: y, y2: y }));
  }
  const frames = group("frames");
  const slots = group("slots");
  const quality = group("quality");
  const marks = group("marks");
  for (const it of page.items) {
    if (it.kind === "frame") {
      frames.append(rect(it.rect));
      frames.append(svg("text", { x: it.rect[0] + 2, y: it.rect[1] + 9 }, it.story));
    } else if (it.kind === "slot") {
      slots.append(rect(it.rect));
      slots.append(svg("text", { x: it.rect[0] + 2, y: it.rect[1] + it.rect[3] - 3 }, it.note));
    } else if (it.kind === "loose" || it.kind === "orphan") {
      quality.append(rect(it.rect, it.kind));
    } else if (it.kind === "line" && it.compressed) {
      quality.append(rect(it.rect, "compressed"));
    } else if (it.kind === "overset" || it.kind === "placeholder") {
      marks.append(rect(it.rect, it.kind));
    }
  }
  const problems = group("problems");
  for (const [list, sev] of [[state.problems, null], [state.errors, "error"]]) {
    for (const d of list) {
      for (const [n, ...r] of d.places) if (n === page.number) problems.append(rect(r, sev || d.severity));
    }
  }
  group("hover");
  group("select");
}

// ---------------------------------------------------------------------------------------------
// zoom, view and overlays

function fitZoom() {
  const pages = ui.state ? ui.state.pages : [];
  if (!pages.length) return 1;
  const width = view.clientWidth - 60;
  const height = view.clientHeight - 80;
  const maxW = Math.max(...pages.map((p) => p.width));
  const maxH = Math.max(...pages.map((p) => p.height));
  if (ui.mode === "contact") {
    const total = pages.reduce((s, p) => s + p.width, 0) + 24 * (pages.length - 1);
    return Math.min(width / total, height / maxH) || 1;
  }
  return ui.fit === "page" ? Math.min(width / maxW, height / maxH) : width / maxW;
}

function applyZoom() {
  if (ui.fit || ui.mode === "contact") ui.zoom = fitZoom();
  $("zoom-level").textContent = `${Math.round(ui.zoom * 100)}%`;
  if (!ui.state) return;
  for (const p of ui.state.pages) {
    const box = pageBox(p.number);
    if (!box) continue;
    box.style.width = `${p.width * ui.zoom}px`;
    box.style.height = `${p.height * ui.zoom}px`;
  }
}

function zoomBy(factor, anchor) {
  if (ui.mode === "contact") setMode("pages");
  const old = ui.zoom;
  ui.fit = null;
  ui.zoom = Math.min(8, Math.max(0.1, old * factor));
  const r = view.getBoundingClientRect();
  const ax = anchor ? anchor.clientX - r.left : view.clientWidth / 2;
  const ay = anchor ? anchor.clientY - r.top : view.clientHeight / 2;
  const sx = view.scrollLeft + ax, sy = view.scrollTop + ay;
  applyZoom();
  const f = ui.zoom / old;
  view.scrollLeft = sx * f - ax;
  view.scrollTop = sy * f - ay;
}

function setMode(mode) {
  ui.mode = mode;
  $("pages").classList.toggle("contact", mode === "contact");
  $("view-pages").classList.toggle("on", mode === "pages");
  $("view-contact").classList.toggle("on", mode === "contact");
  if (mode === "pages" && !ui.fit) ui.fit = "width";
  applyZoom();
}

function applyOverlays() {
  for (const name of LAYERS) $("pages").classList.toggle(`off-${name}`, ui.off.has(name));
}

// ---------------------------------------------------------------------------------------------
// hovering and selecting

function inside([x, y, w, h], px, py, grow = 0) {
  return px >= x && px <= x + w && py >= y - grow * h && py <= y + h + grow * h;
}

function pointIn(e, layer) {
  const pt = layer.createSVGPoint();
  pt.x = e.clientX;
  pt.y = e.clientY;
  return pt.matrixTransform(layer.getScreenCTM().inverse());
}

function hit(e, number) {
  const page = ui.state.pages.find((p) => p.number === number);
  const { x, y } = pointIn(e, pageBox(number).querySelector("svg"));
  const line = page.items.find((it) => it.kind === "line" && inside(it.rect, x, y, 0.25));
  let frame = page.items.find((it) => it.kind === "frame" && inside(it.rect, x, y));
  const story = frame ? frame.story : line && line.story ? line.story : null;
  if (!frame && story) frame = page.items.find((it) => it.kind === "frame" && it.story === story);
  return { story, frame: frame || null, line: line && (!story || line.story === story) ? line : null, page: number };
}

function storyFrames(story) {
  const out = [];
  for (const p of ui.state.pages) {
    for (const it of p.items) if (it.kind === "frame" && it.story === story) out.push([p.number, it]);
  }
  return out;
}

function drawMarks(layerName, story, line, pageOfLine) {
  document.querySelectorAll(`.l-${layerName}`).forEach((g) => g.replaceChildren());
  if (!story && !line) return;
  if (story) {
    for (const [n, it] of storyFrames(story)) {
      const g = pageBox(n).querySelector(`.l-${layerName}`);
      g.append(rect(it.rect));
      if (layerName === "hover") g.append(svg("text", { x: it.rect[0] + 2, y: it.rect[1] + 9 }, story));
    }
  }
  if (line) pageBox(pageOfLine).querySelector(`.l-${layerName}`).append(rect(line.rect, "line"));
}

function hover(e, number) {
  const label = $("hover-label");
  const found = e ? hit(e, number) : { story: null };
  if (found.story !== ui.hovered) {
    ui.hovered = found.story;
    drawMarks("hover", found.story, null);
  }
  if (!found.story) {
    label.hidden = true;
    return;
  }
  label.hidden = false;
  label.textContent = found.frame && found.frame.source ? `${found.story} · ${posText(found.frame.source)}` : found.story;
  label.style.left = `${e.clientX + 14}px`;
  label.style.top = `${e.clientY + 14}px`;
}

function select(e, number) {
  const found = hit(e, number);
  ui.selected = found.story || found.line ? found : null;
  showSelection();
}

function reselect(state) {
  // after a rebuild, keep the same story selected, and the line written at the same place
  const sel = ui.selected;
  if (!sel) return;
  const page = state.pages.find((p) => p.number === sel.page);
  const same = (a, b) => a && b && a.file === b.file && a.line === b.line;
  const frame = page && page.items.find((it) => it.kind === "frame" && it.story === sel.story);
  const line = sel.line && page && page.items.find((it) => it.kind === "line" && same(it.source, sel.line.source) &&
                                                          it.text === sel.line.text);
  ui.selected = frame || line ? { ...sel, frame: frame || null, line: line || null } : null;
  showSelection();
}

function showSelection() {
  const sel = ui.selected;
  $("sel").hidden = !sel;
  $("sel-none").hidden = !!sel;
  drawMarks("select", sel && sel.story, sel && sel.line, sel && sel.page);
  if (!sel) return;
  const story = ui.state.stories.find((s) => s.name === sel.story);
  $("sel-story").textContent = sel.story || "(page furniture)";
  const specPos = (sel.frame && sel.frame.source) || (story && story.spec);
  placeLink($("sel-spec"), specPos);
  sourceLine($("sel-spec-text"), specPos);
  placeLink($("sel-file"), story ? { file: story.file, line: null, col: null } : null);
  placeLink($("sel-line"), sel.line && sel.line.source);
  $("sel-line-text").textContent = sel.line ? sel.line.text : "";
  const q = story && story.quality;
  $("sel-quality").textContent = q ? `${q.lines} lines, ${q.loose} loose, ${q.compressed} compressed ends, ` +
    `${q.orphans} 孤字, copyfit ${q.fit >= 0 ? "+" : ""}${q.fit} lines` : "";
}

function placeLink(node, where) {
  node.replaceChildren();
  node.textContent = where ? posText(where) : "—";
  node.dataset.file = where ? where.file : "";
  node.dataset.line = where && where.line != null ? where.line : "";
  if (where && ui.state.editor) {
    const button = el("button", { class: "open", title: "Open in the editor" }, "open");
    button.addEventListener("click", (e) => { e.stopPropagation(); openInEditor(where); });
    node.append(" ", button);
  }
}

function sourceLine(node, where) {
  node.textContent = "";
  if (!where || where.line == null) return;
  if (!ui.sources.has(where.file)) {
    ui.sources.set(where.file, fetch(`/file?path=${encodeURIComponent(where.file)}`)
      .then((r) => (r.ok ? r.text() : "")).then((t) => t.split("\n")));
  }
  ui.sources.get(where.file).then((lines) => {
    node.textContent = (lines[where.line - 1] || "").trim();
  });
}

async function openInEditor(where) {
  const r = await fetch("/open", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ file: where.file, line: where.line, col: where.col }),
  });
  if (!r.ok) setStatus(`could not open ${where.file}: ${await r.text()}`, "failed");
}

// ---------------------------------------------------------------------------------------------
// the side panel and the error banner

function flash(places, cls) {
  let first = null;
  for (const [n, ...r] of places) {
    const box = pageBox(n);
    if (!box) continue;
    const mark = rect(r, `flash ${cls}`);
    box.querySelector(".l-select").append(mark);
    setTimeout(() => mark.remove(), 2600);
    first = first || mark;
  }
  if (first) first.scrollIntoView({ block: "center", inline: "center", behavior: "smooth" });
}

function diagnosticItem(d, sev) {
  const li = el("li");
  li.append(el("span", { class: `sev ${sev}` }, sev), el("span", { class: "pos" }, posText(d.where, true)),
            document.createTextNode(" " + d.message));
  li.addEventListener("click", () => {
    flash(d.places, sev);
    if (ui.state.editor && d.where) openInEditor(d.where);
  });
  return li;
}

function showErrors(state) {
  const box = $("errors");
  box.hidden = state.ok || !state.errors.length;
  $("error-list").replaceChildren(...state.errors.map((d) => {
    const li = el("li", { class: "error-item" }, `${posText(d.where, true)}: error: ${d.message}`);
    li.addEventListener("click", () => flash(d.places, "error"));
    return li;
  }));
}

function listProblems(state) {
  const items = [...state.errors.map((d) => diagnosticItem(d, "error")),
                 ...state.problems.map((d) => diagnosticItem(d, d.severity))];
  $("problem-count").textContent = items.length;
  $("problem-list").replaceChildren(...items);
}

function listQuality(state) {
  $("quality").querySelector("tbody").replaceChildren(...state.stories.filter((s) => s.quality).map((s) => {
    const q = s.quality;
    const tr = el("tr");
    for (const v of [s.name, q.lines, q.loose, q.compressed, q.orphans, (q.fit > 0 ? "+" : "") + q.fit]) {
      tr.append(el("td", {}, String(v)));
    }
    return tr;
  }));
  const marked = [];
  for (const p of state.pages) {
    for (const it of p.items) {
      const kind = it.kind === "line" ? (it.compressed ? "compressed" : null) : it.kind;
      if (kind !== "loose" && kind !== "orphan" && kind !== "compressed") continue;
      const li = el("li");
      li.append(el("span", { class: `sev ${kind}` }, kind === "orphan" ? "孤字" : kind),
                el("span", { class: "pos" }, posText(it.source)),
                document.createTextNode(` p. ${p.number} ${it.story}`));
      li.addEventListener("click", () => flash([[p.number, ...it.rect]], kind));
      marked.push(li);
    }
  }
  $("marked-list").replaceChildren(...marked);
}

// ---------------------------------------------------------------------------------------------
// the toolbar

$("view-pages").addEventListener("click", () => setMode("pages"));
$("view-contact").addEventListener("click", () => setMode("contact"));
$("zoom-in").addEventListener("click", () => zoomBy(1.25));
$("zoom-out").addEventListener("click", () => zoomBy(0.8));
$("zoom-width").addEventListener("click", () => { ui.fit = "width"; setMode("pages"); });
$("zoom-page").addEventListener("click", () => { ui.fit = "page"; setMode("pages"); });
view.addEventListener("wheel", (e) => {
  if (!e.ctrlKey) return;
  e.preventDefault();
  zoomBy(e.deltaY < 0 ? 1.1 : 1 / 1.1, e);
}, { passive: false });
window.addEventListener("resize", () => applyZoom());
document.querySelectorAll("#overlays input").forEach((box) => box.addEventListener("change", () => {
  if (box.checked) ui.off.delete(box.dataset.layer);
  else ui.off.add(box.dataset.layer);
  applyOverlays();
}));

connect();
