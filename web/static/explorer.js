/* The workbench's graph explorer: neighbourhoods drawn with Cytoscape.js (served by the hub),
   expanded on click, filtered by relationship type and by date, paths highlighted, beneficial
   owners and related parties, exports of what is on screen. Every read goes through the hub's
   /workbench/explorer/* JSON routes, which run the API's GraphQL with the caller's role (and its
   audit). The model is window.explorer: graph (what is shown), all (what was loaded), timing. */
(function () {
  "use strict";

  const { TYPE_TEXT, ROLE_TEXT, KIND_TEXT, pct } = window.explorerPanels;
  const LABELS_UP_TO = 300; // node names are drawn only while the graph has at most this many edges
  const EDGE_LABELS_UP_TO = 60; // edge names (role, share) only up to this many
  // A drawn name is cut here by the page (the full name is in the panels): Cytoscape's own
  // "text-wrap: ellipsis" measures the name again for every character it drops.
  const SHORT_NAME = 10;

  const root = document.getElementById("explorer");
  const $ = (id) => document.getElementById(id);
  const nodes = new Map();
  const edges = new Map();
  const state = { centre: null, selected: null, from: null, to: null, pathIds: new Set(), caps: [] };
  const longTasks = [];
  if (window.PerformanceObserver && PerformanceObserver.supportedEntryTypes &&
      PerformanceObserver.supportedEntryTypes.includes("longtask")) {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longTasks.push(entry.duration);
    }).observe({ type: "longtask", buffered: true });
  }

  const cy = window.cytoscape({
    container: $("cy"),
    minZoom: 0.05,
    maxZoom: 4,
    wheelSensitivity: 0.3,
    textureOnViewport: true,
    hideEdgesOnViewport: true,
    style: [
      // Every property of a rule is applied to every element it matches: the label's
      // properties sit with the label, and the edges' arrows with the bezier edges that draw
      // them (a haystack edge draws none), so an unnamed node or edge costs fewer.
      { selector: "node", style: { "width": 22, "height": 22, "background-color": "#0b4f9c" } },
      { selector: "node.named, node.centre, node:selected, node.path", style: {
        "label": "data(short)", "font-size": 11, "min-zoomed-font-size": 7,
        "text-valign": "bottom", "text-margin-y": 3, "color": "#1f2328" } },
      { selector: "node[kind = 'PERSON']", style: { "background-color": "#d9822b", "shape": "ellipse" } },
      { selector: "node[kind = 'ENTERPRISE']", style: { "shape": "round-rectangle" } },
      { selector: "node[kind = 'ADDRESS']", style: { "background-color": "#7a8590", "shape": "diamond", "width": 16, "height": 16 } },
      { selector: "node[kind = 'PHONE']", style: { "background-color": "#3b8f5a", "shape": "triangle", "width": 16, "height": 16 } },
      { selector: "node.centre", style: { "width": 34, "height": 34, "border-width": 3, "border-color": "#b0191e" } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#ffbf47" } },
      { selector: "edge", style: { "width": 1.5, "line-color": "#9aa5b1", "curve-style": "haystack" } },
      { selector: "edge.named.few", style: {
        "curve-style": "bezier", "target-arrow-shape": "triangle", "target-arrow-color": "#9aa5b1",
        "arrow-scale": 0.8, "label": "data(text)", "font-size": 9, "color": "#5b636b",
        "text-rotation": "autorotate" } },
      { selector: "edge[?ended]", style: { "line-style": "dashed", "line-color": "#c8ced6" } },
      { selector: ".hidden", style: { "display": "none" } },
      { selector: "node.path", style: { "border-width": 4, "border-color": "#b0191e" } },
      { selector: "edge.path", style: { "width": 4, "line-color": "#b0191e", "target-arrow-color": "#b0191e", "z-index": 10 } },
    ],
  });

  function edgeText(e) {
    const what = e.role ? (ROLE_TEXT[e.role] || e.role) : (TYPE_TEXT[e.type] || e.type);
    return e.share !== null && e.share !== undefined ? `${what} ${pct(e.share)}` : what;
  }

  function checkedTypes() {
    return new Set([...document.querySelectorAll("#type-filter input:checked")].map((i) => i.value));
  }

  function asOf() { return $("as-of").value || null; }

  function edgeShown(e, types, day) {
    if (!types.has(e.type)) return false;
    if (!day) return true;
    return (!e.from || e.from <= day) && (!e.to || day <= e.to);
  }

  // What is on screen: edges that pass the filters, the nodes they touch, and the centre.
  function visible() {
    const types = checkedTypes();
    const day = asOf();
    const shownEdges = [];
    const touched = new Set(state.centre ? [state.centre] : []);
    for (const e of edges.values()) {
      if (edgeShown(e, types, day)) {
        shownEdges.push(e);
        touched.add(e.source);
        touched.add(e.target);
      }
    }
    const shownNodes = [...nodes.values()].filter((n) => touched.has(n.id));
    return { nodes: shownNodes, edges: shownEdges };
  }

  const hidden = new Set(); // ids drawn with the class "hidden"

  function applyFilters() {
    const shown = visible();
    const on = new Set();
    for (const n of shown.nodes) on.add(n.id);
    for (const e of shown.edges) on.add(e.id);
    const toHide = [];
    const toShow = [];
    for (const id of nodes.keys()) if (!on.has(id) && !hidden.has(id)) toHide.push(id);
    for (const id of edges.keys()) if (!on.has(id) && !hidden.has(id)) toHide.push(id);
    for (const id of hidden) if (on.has(id)) toShow.push(id);
    if (toHide.length || toShow.length) {
      cy.batch(() => {
        for (const id of toHide) { cy.getElementById(id).addClass("hidden"); hidden.add(id); }
        for (const id of toShow) { cy.getElementById(id).removeClass("hidden"); hidden.delete(id); }
      });
    }
    status(shown);
    nodeList(shown.nodes);
    return shown;
  }

  function status(shown) {
    const day = asOf();
    $("status").textContent = `显示 ${shown.nodes.length} 个节点、${shown.edges.length} 条关系` +
      (day ? `(截至 ${day} 有效)` : "(含历史关系,虚线为已结束)") +
      `;已载入 ${nodes.size} 个节点、${edges.size} 条关系。`;
  }

  function nodeList(list) {
    const ul = $("node-list");
    const frag = document.createDocumentFragment();
    for (const n of list.slice(0, 200)) {
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = `${n.label}(${KIND_TEXT[n.kind] || n.kind})`;
      b.dataset.node = n.id;
      li.appendChild(b);
      frag.appendChild(li);
    }
    if (list.length > 200) {
      const li = document.createElement("li");
      li.textContent = `…… 另有 ${list.length - 200} 个节点`;
      frag.appendChild(li);
    }
    ul.replaceChildren(frag);
  }

  function showCaps(answer, limit, subjectLabel) {
    const n = answer.neighbourhood;
    const parts = [`${subjectLabel}:上限 ${limit} 条关系,返回 ${n.export.elements.edges.length} 条`];
    parts.push(n.truncated ? "truncated:是(还有未显示的关系)" : "truncated:否");
    state.caps.unshift(parts.join(","));
    const box = $("caps");
    const frag = document.createDocumentFragment();
    const p = document.createElement("p");
    p.className = n.truncated ? "truncated" : "";
    p.textContent = parts.join(",");
    p.dataset.truncated = String(n.truncated);
    frag.appendChild(p);
    for (const d of n.degrees.filter((x) => x.hasMore)) {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = `${TYPE_TEXT[d.type] || d.type}:共 ${d.total},已显示 ${d.returned},再取一页`;
      b.dataset.more = d.type;
      b.dataset.after = d.endCursor;
      b.dataset.subject = n.centre.id;
      frag.appendChild(b);
    }
    box.replaceChildren(frag);
  }

  // The answer, and when its text had arrived (what follows is the parse).
  async function getJSON(url, marks) {
    const res = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    const text = await res.text();
    if (marks) marks.received = performance.now();
    const body = JSON.parse(text);
    if (!res.ok || !body.data) {
      const message = (body.errors && body.errors[0] && body.errors[0].message) || res.statusText;
      throw new Error(message);
    }
    return body;
  }

  // Resolves once the next frame is painted. Cytoscape draws its canvas in an animation-frame
  // callback; the frame's rendering (style, layout, paint) follows that frame's callbacks in
  // the same task, so a task queued from our callback runs after the frame is painted. (A
  // second animation frame, as before, also waited for the next vsync: up to 16.7 ms more.)
  function nextFrame() {
    return new Promise((resolve) => requestAnimationFrame(() => { yieldTask().then(resolve); }));
  }

  // Where new nodes go: rings around the node they were reached from (the centre at 0,0),
  // 34 px apart on a ring, rings 70 (90) px apart; computed here in one pass, so no layout
  // algorithm measures a thousand labels.
  const positions = new Map();

  // The box of what is placed, or null.
  function extent(ids) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const id of ids) {
      const p = positions.get(id);
      x0 = Math.min(x0, p.x); y0 = Math.min(y0, p.y); x1 = Math.max(x1, p.x); y1 = Math.max(y1, p.y);
    }
    return x0 === Infinity ? null : { x0, y0, x1, y1 };
  }

  function place(ids, anchorId) {
    // A subject not connected to what is drawn (loaded on its own while a graph is shown): its
    // rings are laid out around the origin, then moved beside the drawing, not over it.
    const apart = !positions.has(anchorId) && positions.size > 0 ? extent(positions.keys()) : null;
    const anchor = positions.get(anchorId) || { x: 0, y: 0 };
    const fresh = ids.filter((id) => !positions.has(id));
    if (!positions.has(anchorId) && fresh.includes(anchorId)) {
      positions.set(anchorId, anchor);
      fresh.splice(fresh.indexOf(anchorId), 1);
    }
    fresh.sort((a, b) => (nodes.get(a).kind < nodes.get(b).kind ? -1 : 1));
    // around the centre: whole rings; around an expanded node: half rings facing away from
    // the centre, so the new nodes do not fall on the ones already drawn
    const whole = anchor.x === 0 && anchor.y === 0;
    const outward = Math.atan2(anchor.y, anchor.x);
    const span = whole ? 2 * Math.PI : Math.PI;
    const start = whole ? 0 : outward - Math.PI / 2;
    const few = fresh.length <= (whole ? 12 : 6); // a few nodes: one wide ring, evenly spread
    const gap = few ? 160 : whole ? 70 : 90;
    let ring = 1;
    let slot = 0;
    let capacity = few ? Math.max(1, fresh.length) : Math.max(1, Math.floor((span * gap) / 34));
    for (const id of fresh) {
      if (slot >= capacity) { ring += 1; slot = 0; capacity = Math.floor((span * gap * ring) / 34); }
      const angle = start + (span * (slot + (whole ? 0 : 0.5))) / capacity;
      positions.set(id, { x: anchor.x + gap * ring * Math.cos(angle), y: anchor.y + gap * ring * Math.sin(angle) });
      slot += 1;
    }
    if (apart) {
      const placed = [anchorId, ...fresh].filter((id) => positions.has(id));
      const box = extent(placed);
      const dx = apart.x1 + 120 - box.x0;
      const dy = (apart.y0 + apart.y1) / 2;
      for (const id of placed) {
        const p = positions.get(id);
        positions.set(id, { x: p.x + dx, y: p.y + dy });
      }
    }
  }

  // The viewport that shows every node, from the positions above (no bounding-box pass).
  function fit() {
    const all = extent(positions.keys());
    if (!all) return;
    const { x0, y0, x1, y1 } = all;
    const box = $("cy");
    const w = box.clientWidth, h = box.clientHeight, pad = 50;
    const zoom = Math.min((w - 2 * pad) / Math.max(x1 - x0, 1), (h - 2 * pad) / Math.max(y1 - y0, 1), 1.2);
    cy.viewport({ zoom, pan: { x: w / 2 - zoom * (x0 + x1) / 2, y: h / 2 - zoom * (y0 + y1) / 2 } });
  }

  // Loads elements into the model, placed around ``anchorId``; answers the Cytoscape element
  // definitions still to draw (nodes first, so that a slice never holds an edge before its ends). Names are drawn
  // on every node and edge while the graph is small; above LABELS_UP_TO only on the centre,
  // the selected node and path nodes (the rest on hover in the node list and the side panel).
  function merge(elements, hopBase, anchorId) {
    const newNodes = [];
    const newEdges = [];
    for (const { data } of elements.nodes) {
      if (!nodes.has(data.id)) {
        const label = data.label || "";
        const short = label.length > SHORT_NAME ? `${label.slice(0, SHORT_NAME - 1)}…` : label;
        const n = { ...data, short, hop: (data.hop || 0) + hopBase };
        nodes.set(n.id, n);
        newNodes.push(n);
      }
    }
    const today = new Date().toISOString().slice(0, 10);
    for (const { data } of elements.edges) {
      if (!edges.has(data.id)) {
        const e = { ...data, ended: !!(data.to && data.to < today), text: edgeText(data) };
        edges.set(e.id, e);
        newEdges.push(e);
      }
    }
    if (!newNodes.length && !newEdges.length) return [];
    place(newNodes.map((n) => n.id), anchorId);
    const small = edges.size <= LABELS_UP_TO;
    if (!small && labelled) {
      cy.batch(() => { cy.elements(".named").removeClass("named"); });
      labelled = false;
    }
    const named = small ? "named" : "";
    const added = [];
    for (const n of newNodes) {
      const classes = n.id === state.centre ? `${named} centre` : named;
      added.push({ group: "nodes", data: n, position: { ...positions.get(n.id) }, classes });
    }
    if (edges.size > EDGE_LABELS_UP_TO && edgeLabels) {
      cy.batch(() => { cy.edges(".few").removeClass("few"); });
      edgeLabels = false;
    }
    const few = edgeLabels ? " few" : "";
    for (const e of newEdges) added.push({ group: "edges", data: e, classes: named + few });
    return added;
  }

  // Draws definitions at once (a path's few elements).
  function draw(definitions) {
    let drawnNow = cy.collection();
    cy.batch(() => { drawnNow = cy.add(definitions); });
    return drawnNow;
  }

  // Cytoscape computes an element's style and rendered geometry (size, label box, edge ends)
  // when it first needs them: for a large addition, in one long frame. Here a large addition
  // is added a slice at a time, each slice's style and geometry computed in its own task,
  // with a yield between slices. While the page yields, a Cytoscape batch is open, and
  // Cytoscape's renderer skips every frame while a batch is open: a frame between two slices
  // neither paints the growing graph nor sorts and culls it (which, when tried, tripled the
  // time), and the screen keeps what it showed. The batch holds no element, so closing it
  // restyles nothing. The frame after the last slice sorts, places the edges' ends and paints
  // the whole graph once.
  const SLICE = 100;
  const channel = new MessageChannel(); // a yield to the event loop without setTimeout's clamp
  const waiting = [];
  channel.port1.onmessage = () => { const next = waiting.shift(); if (next) next(); };
  function yieldTask() { return new Promise((resolve) => { waiting.push(resolve); channel.port2.postMessage(0); }); }

  async function drawInSlices(definitions, generation) {
    for (let i = 0; i < definitions.length; i += SLICE) {
      if (generation !== drawings.generation) return; // the graph was emptied meanwhile
      let slice = cy.collection();
      cy.batch(() => { slice = cy.add(definitions.slice(i, i + SLICE)); });
      slice.boundingBox();
      if (i + SLICE < definitions.length) {
        cy.startBatch();
        try { await yieldTask(); } finally { cy.endBatch(); }
      }
    }
  }
  // Additions are drawn one after another, in the order they were merged into the model: an
  // answer that arrives while an earlier one is still being drawn a slice at a time waits for
  // it (its edges may end on nodes of the earlier one's later slices).
  const drawings = { last: Promise.resolve(), generation: 0 };
  function drawInTurn(definitions) {
    const generation = drawings.generation;
    const run = drawings.last.then(() => {
      if (generation !== drawings.generation) return undefined;
      if (definitions.length > 2 * SLICE) return drawInSlices(definitions, generation);
      draw(definitions);
      return undefined;
    });
    drawings.last = run.catch(() => {});
    return run;
  }
  let labelled = true;
  let edgeLabels = true;

  const timing = { runs: [] };

  async function load(subjectId, options = {}) {
    const started = performance.now();
    const limit = Number($("limit").value);
    const params = new URLSearchParams({ subject: subjectId, limit: String(limit) });
    if (options.type) params.append("type", options.type);
    if (options.after) params.set("after", options.after);
    let body;
    const marks = {};
    try {
      body = await getJSON(`/workbench/explorer/neighbourhood?${params}`, marks);
    } catch (err) {
      $("status").textContent = `读取失败:${err.message}`;
      throw err;
    }
    const fetched = performance.now();
    const n = body.data.neighbourhood;
    if (!n.centre) {
      $("status").textContent = "没有找到该主体。";
      return null;
    }
    if (!state.centre) state.centre = n.centre.id;
    const base = nodes.has(subjectId) ? (nodes.get(subjectId).hop || 0) : 0;
    const definitions = merge(n.export.elements, base, n.centre.id);
    await drawInTurn(definitions);
    fit();
    const added = performance.now();
    const shown = applyFilters();
    showCaps(body.data, limit, n.centre.label);
    const listed = performance.now();
    await nextFrame();
    const drawn = performance.now();
    const run = { subject: subjectId, limit, fetchMs: fetched - started, drawMs: drawn - fetched,
      addMs: added - fetched, panelsMs: listed - added, renderMs: drawn - listed,
      receiveMs: marks.received - started, parseMs: fetched - marks.received,
      totalMs: drawn - started, apiMs: body.apiMs, edges: n.export.elements.edges.length,
      truncated: n.truncated };
    timing.runs.push(run);
    timing.last = run;
    return shown;
  }

  function describe(id) {
    const n = nodes.get(id);
    const info = $("selected-info");
    info.replaceChildren();
    const rows = [["名称", n.label], ["类别", KIND_TEXT[n.kind] || n.kind], ["标识", n.key],
      ["关系数(全部)", n.degree === null || n.degree === undefined ? "—" : String(n.degree)]];
    for (const [k, v] of rows) {
      const dt = document.createElement("dt"); dt.textContent = k;
      const dd = document.createElement("dd"); dd.textContent = v;
      info.append(dt, dd);
    }
    info.hidden = false;
    $("selected-none").hidden = true;
    $("selected-actions").hidden = false;
    const expandable = n.kind === "ENTERPRISE" || n.kind === "PERSON";
    $("expand").disabled = !expandable;
    $("path-from").disabled = !expandable;
    $("path-to").disabled = !expandable;
    $("owners-btn").disabled = n.kind !== "ENTERPRISE";
    $("related-btn").disabled = n.kind !== "ENTERPRISE";
  }

  function select(id) {
    state.selected = id;
    cy.$(":selected").unselect();
    cy.getElementById(id).select();
    describe(id);
  }

  async function expand(id) {
    const n = nodes.get(id);
    if (!n || (n.kind !== "ENTERPRISE" && n.kind !== "PERSON")) return null;
    select(id);
    return load(id);
  }

  async function findPath(from, to) {
    const params = new URLSearchParams({ from, to });
    if (asOf()) params.set("asOf", asOf());
    const out = $("path-result");
    out.textContent = "查找中……";
    const body = await getJSON(`/workbench/explorer/paths?${params}`);
    const found = body.data.findPaths;
    cy.elements(".path").removeClass("path");
    state.pathIds = new Set();
    if (!found.length) {
      out.textContent = `在 4 步以内没有找到连接${asOf() ? `(截至 ${asOf()})` : ""}。`;
      return { paths: 0, ids: [] };
    }
    for (const p of found) {
      await drawInTurn(merge(p.subgraph.export.elements, 1, from));
      for (const { data } of p.subgraph.export.elements.nodes) state.pathIds.add(data.id);
      for (const { data } of p.subgraph.export.elements.edges) state.pathIds.add(data.id);
    }
    fit();
    applyFilters();
    cy.batch(() => { for (const id of state.pathIds) cy.getElementById(id).addClass("path"); });
    out.textContent = `找到 ${found.length} 条最短路径,每条 ${found[0].length} 步(图中红色标出)。`;
    await nextFrame();
    return { paths: found.length, ids: [...state.pathIds] };
  }

  async function owners(id) {
    const params = new URLSearchParams({ subject: id });
    if (asOf()) params.set("asOf", asOf());
    const body = await getJSON(`/workbench/explorer/owners?${params}`);
    const name = nodes.get(id) ? nodes.get(id).label : id;
    window.explorerPanels.owners($("owners-body"), body.data, name);
    $("owners").hidden = false;
    return body.data.beneficialOwners;
  }

  async function related(id) {
    const params = new URLSearchParams({ subject: id });
    if (asOf()) params.set("asOf", asOf());
    const body = await getJSON(`/workbench/explorer/related?${params}`);
    window.explorerPanels.related($("related-body"), body.data);
    $("related").hidden = false;
    return body.data.relatedParties;
  }

  function exportBody() {
    const shown = visible();
    const strip = ({ ended, text, ...rest }) => rest;
    const plain = ({ short, ...rest }) => rest;
    return { asOf: asOf(), nodes: shown.nodes.map(plain), edges: shown.edges.map(strip) };
  }

  // The export is a workbench form (its CSRF token): what is on screen as its graph field; the
  // answer is a file the browser saves.
  function download(format) {
    const form = $("export-form");
    form.elements.graph.value = JSON.stringify(exportBody());
    form.elements.format.value = format;
    form.submit();
  }

  function setPathEnd(which, id) {
    state[which] = id;
    $(`path-${which}-label`).textContent = nodes.get(id) ? nodes.get(id).label : id;
  }

  // events
  cy.on("tap", "node", (evt) => { expand(evt.target.id()).catch(() => {}); });
  $("type-filter").addEventListener("change", applyFilters);
  $("as-of").addEventListener("change", applyFilters);
  $("as-of-clear").addEventListener("click", () => { $("as-of").value = ""; applyFilters(); });
  $("expand").addEventListener("click", () => state.selected && expand(state.selected));
  $("path-from").addEventListener("click", () => state.selected && setPathEnd("from", state.selected));
  $("path-to").addEventListener("click", () => state.selected && setPathEnd("to", state.selected));
  $("find-path").addEventListener("click", () => {
    if (state.from && state.to) findPath(state.from, state.to).catch((err) => { $("path-result").textContent = err.message; });
    else $("path-result").textContent = "请先选择起点和终点。";
  });
  $("owners-btn").addEventListener("click", () => state.selected && owners(state.selected));
  $("related-btn").addEventListener("click", () => state.selected && related(state.selected));
  $("node-list").addEventListener("click", (evt) => {
    const id = evt.target.dataset && evt.target.dataset.node;
    if (id) select(id);
  });
  $("caps").addEventListener("click", (evt) => {
    const d = evt.target.dataset;
    if (d && d.more) load(d.subject, { type: d.more, after: d.after }).catch(() => {});
  });
  for (const b of document.querySelectorAll("[data-export]")) {
    b.addEventListener("click", () => download(b.dataset.export));
  }

  window.explorer = {
    cy, timing, longTasks, load, expand, findPath, owners, related, download, exportBody, select,
    setPathEnd, applyFilters,
    get graph() { return visible(); },
    get all() { return { nodes: [...nodes.values()], edges: [...edges.values()] }; },
    reset() {
      drawings.generation += 1;
      nodes.clear(); edges.clear(); positions.clear(); hidden.clear(); cy.elements().remove();
      state.centre = null; labelled = true; edgeLabels = true; timing.runs = [];
    },
    ready: null,
  };
  const first = root.dataset.subject;
  window.explorer.ready = first ? load(first).catch(() => null) : Promise.resolve(null);
})();
