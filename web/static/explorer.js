/* The workbench's graph explorer: neighbourhoods drawn with Cytoscape.js (served by the hub),
   expanded on click, filtered by relationship type and by date, paths highlighted, beneficial
   owners and related parties, exports of what is on screen. Every read goes through the hub's
   /workbench/explorer/* JSON routes, which run the API's GraphQL with the caller's role (and its
   audit). The model is window.explorer: graph (what is shown), all (what was loaded), timing. */
(function () {
  "use strict";

  const TYPE_TEXT = {
    HOLDS_SHARES: "持股", LEGAL_REPRESENTATIVE_OF: "法定代表人", PRINCIPAL_OF: "负责人",
    OFFICER_OF: "董监高", PRACTITIONER_AT: "从业人员", CONTROLS: "实际控制",
    BRANCH_OF: "分支机构", LOCATED_AT: "住所", REACHABLE_AT: "电话",
  };
  const ROLE_TEXT = {
    LEGAL_REPRESENTATIVE: "法定代表人", PRINCIPAL: "负责人", DIRECTOR: "董事", SUPERVISOR: "监事",
    SENIOR_MANAGER: "高级管理人员", PRACTITIONER: "从业人员", ACTUAL_CONTROLLER: "实际控制人",
    SHAREHOLDER: "股东",
  };
  const KIND_TEXT = { ENTERPRISE: "企业", PERSON: "自然人", ADDRESS: "地址", PHONE: "电话" };
  const RELATION_TEXT = {
    LEGAL_REPRESENTATIVE: "同一法定代表人", PRINCIPAL: "同一负责人", OFFICER: "同一董监高",
    SHAREHOLDER: "同一股东", DECLARED_CONTROLLER: "同一实际控制人", SAME_PARTY: "同一人(不同职务)",
    ADDRESS: "同一地址", PHONE: "同一电话", HOLDS_SHARES_IN: "持有其股份", HELD_BY: "被其持股",
    CONTROLS: "控制", CONTROLLED_BY: "被其控制",
  };
  const BASIS_TEXT = { OWNERSHIP: "持股", CONTROL: "实际控制", MANAGEMENT: "高级管理(兜底)" };
  const LABELS_UP_TO = 300; // node names are drawn only while the graph has at most this many edges
  const EDGE_LABELS_UP_TO = 60; // edge names (role, share) only up to this many

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
      { selector: "node", style: {
        "font-size": 11, "min-zoomed-font-size": 7,
        "text-valign": "bottom", "text-margin-y": 3, "width": 22, "height": 22,
        "background-color": "#0b4f9c", "color": "#1f2328", "text-max-width": 120, "text-wrap": "ellipsis" } },
      { selector: "node.named, node.centre, node:selected, node.path", style: { "label": "data(label)" } },
      { selector: "node[kind = 'PERSON']", style: { "background-color": "#d9822b", "shape": "ellipse" } },
      { selector: "node[kind = 'ENTERPRISE']", style: { "shape": "round-rectangle" } },
      { selector: "node[kind = 'ADDRESS']", style: { "background-color": "#7a8590", "shape": "diamond", "width": 16, "height": 16 } },
      { selector: "node[kind = 'PHONE']", style: { "background-color": "#3b8f5a", "shape": "triangle", "width": 16, "height": 16 } },
      { selector: "node.centre", style: { "width": 34, "height": 34, "border-width": 3, "border-color": "#b0191e" } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#ffbf47" } },
      { selector: "edge", style: {
        "width": 1.5, "line-color": "#9aa5b1", "target-arrow-color": "#9aa5b1",
        "target-arrow-shape": "triangle", "curve-style": "haystack", "arrow-scale": 0.8 } },
      { selector: "edge.named.few", style: { "curve-style": "bezier", "label": "data(text)", "font-size": 9, "color": "#5b636b", "text-rotation": "autorotate" } },
      { selector: "edge[?ended]", style: { "line-style": "dashed", "line-color": "#c8ced6" } },
      { selector: ".hidden", style: { "display": "none" } },
      { selector: "node.path", style: { "border-width": 4, "border-color": "#b0191e" } },
      { selector: "edge.path", style: { "width": 4, "line-color": "#b0191e", "target-arrow-color": "#b0191e", "z-index": 10 } },
    ],
  });

  function pct(x) { return x === null || x === undefined ? "—" : `${Math.round(x * 1e6) / 1e4}%`; }

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

  async function getJSON(url) {
    const res = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    const body = await res.json();
    if (!res.ok || !body.data) {
      const message = (body.errors && body.errors[0] && body.errors[0].message) || res.statusText;
      throw new Error(message);
    }
    return body;
  }

  function nextFrame() {
    return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  }

  // Where new nodes go: rings around the node they were reached from (the centre at 0,0),
  // 34 px apart on a ring, rings 70 (90) px apart; computed here in one pass, so no layout
  // algorithm measures a thousand labels.
  const positions = new Map();

  function place(ids, anchorId) {
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
  }

  // The viewport that shows every node, from the positions above (no bounding-box pass).
  function fit() {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const p of positions.values()) {
      x0 = Math.min(x0, p.x); y0 = Math.min(y0, p.y); x1 = Math.max(x1, p.x); y1 = Math.max(y1, p.y);
    }
    if (x0 === Infinity) return;
    const box = $("cy");
    const w = box.clientWidth, h = box.clientHeight, pad = 50;
    const zoom = Math.min((w - 2 * pad) / Math.max(x1 - x0, 1), (h - 2 * pad) / Math.max(y1 - y0, 1), 1.2);
    cy.viewport({ zoom, pan: { x: w / 2 - zoom * (x0 + x1) / 2, y: h / 2 - zoom * (y0 + y1) / 2 } });
  }

  // Loads elements into the model and the drawing, placed around ``anchorId``. Names are drawn
  // on every node and edge while the graph is small; above LABELS_UP_TO only on the centre,
  // the selected node and path nodes (the rest on hover in the node list and the side panel).
  function merge(elements, hopBase, anchorId) {
    const newNodes = [];
    const newEdges = [];
    for (const { data } of elements.nodes) {
      if (!nodes.has(data.id)) {
        const n = { ...data, hop: (data.hop || 0) + hopBase };
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
    if (!newNodes.length && !newEdges.length) return 0;
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
    cy.add(added);
    return added.length;
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
    try {
      body = await getJSON(`/workbench/explorer/neighbourhood?${params}`);
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
    merge(n.export.elements, base, n.centre.id);
    fit();
    const added = performance.now();
    const shown = applyFilters();
    showCaps(body.data, limit, n.centre.label);
    const listed = performance.now();
    await nextFrame();
    const drawn = performance.now();
    const run = { subject: subjectId, limit, fetchMs: fetched - started, drawMs: drawn - fetched,
      addMs: added - fetched, panelsMs: listed - added, renderMs: drawn - listed,
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
      merge(p.subgraph.export.elements, 1, from);
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

  function chainText(path, subjectName) {
    // steps run from the subject outwards: step 1's holder holds the subject
    const names = [subjectName];
    const shares = [];
    for (const s of path.steps) {
      names.push(s.holder.name);
      shares.push(pct(s.share));
    }
    const chain = names.map((n, i) => (i === 0 ? n : `← ${shares[i - 1]} ← ${n}`)).join(" ");
    const arithmetic = shares.length > 1 ? `${shares.join(" × ")} = ${pct(path.share)}` : pct(path.share);
    return `${chain}:${arithmetic}`;
  }

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  async function owners(id) {
    const params = new URLSearchParams({ subject: id });
    if (asOf()) params.set("asOf", asOf());
    const body = await getJSON(`/workbench/explorer/owners?${params}`);
    const a = body.data.beneficialOwners;
    const tree = body.data.ownershipTree;
    const name = nodes.get(id) ? nodes.get(id).label : id;
    const box = $("owners-body");
    box.replaceChildren();
    $("owners").hidden = false;
    if (!a.found) { box.append(el("p", "没有找到该企业。")); return a; }
    box.append(el("p", `${name}:截至 ${a.asOf},阈值 ${pct(a.threshold)}(含)。` +
      (a.truncated ? `结果已截断(truncated:${a.truncation.join("、")})。` : "")));
    for (const w of a.warnings) box.append(el("p", `数据提示:${w}`, "warning"));
    box.append(el("h3", "受益所有人"));
    const bo = el("ol", undefined, "owners-list");
    for (const b of a.beneficialOwners) {
      const li = el("li");
      li.append(el("strong", `${b.person.name}(${b.person.idNumber})`));
      li.append(el("span", `  依据:${BASIS_TEXT[b.basis] || b.basis}${b.role ? `(${ROLE_TEXT[b.role] || b.role})` : ""}` +
        `;穿透持股合计 ${pct(b.effectiveShare)}`));
      li.append(arithmetic(b.paths, b.effectiveShare, name));
      bo.append(li);
    }
    if (!a.beneficialOwners.length) bo.append(el("li", "无"));
    box.append(bo);
    box.append(el("h3", `达到阈值的全部持有人(含企业)`));
    const ow = el("ol", undefined, "owners-list");
    for (const o of a.owners) {
      const li = el("li");
      const ident = o.holder.__typename === "Enterprise" ? o.holder.uscc : o.holder.idNumber;
      li.append(el("strong", `${o.holder.name}(${ident})`));
      li.append(el("span", `  穿透持股合计 ${pct(o.effectiveShare)}${o.ultimate ? ",最终持有人" : ""}`));
      li.append(arithmetic(o.paths, o.effectiveShare, name));
      ow.append(li);
    }
    box.append(ow);
    if (a.actualControllers.length) {
      box.append(el("h3", "实际控制人"));
      const ul = el("ul");
      for (const c of a.actualControllers) {
        ul.append(el("li", `${c.holder.name}:${c.inferred ? "疑似(按穿透持股 > 50% 推定)" : "登记"}` +
          (c.effectiveShare !== null ? `,穿透持股 ${pct(c.effectiveShare)}` : "")));
      }
      box.append(ul);
    }
    box.append(el("h3", "股权穿透树(向上)"));
    box.append(treeView(tree.nodes, name));
    if (tree.truncated) box.append(el("p", "穿透树已截断(truncated)。", "truncated"));
    return a;
  }

  function arithmetic(paths, total, subjectName) {
    const ul = el("ul", undefined, "arithmetic");
    for (const p of paths) ul.append(el("li", chainText(p, subjectName)));
    if (paths.length > 1) {
      ul.append(el("li", `合计:${paths.map((p) => pct(p.share)).join(" + ")} = ${pct(total)}`, "sum"));
    }
    return ul;
  }

  function treeView(list, subjectName) {
    const children = new Map();
    for (const n of list) {
      const key = n.parentId === null ? "root" : n.parentId;
      if (!children.has(key)) children.set(key, []);
      children.get(key).push(n);
    }
    const byId = new Map(list.map((n) => [n.id, n]));
    function branch(parentKey) {
      const ul = el("ul", undefined, "tree");
      for (const n of children.get(parentKey) || []) {
        const parent = n.parentId === null ? null : byId.get(n.parentId);
        let text = n.subject.name;
        if (n.share !== null) {
          const math = parent && parent.parentId !== null
            ? `${pct(parent.cumulativeShare)} × ${pct(n.share)} = ${pct(n.cumulativeShare)}`
            : pct(n.cumulativeShare);
          text += `:持有上级 ${pct(n.share)},穿透 ${math}`;
          if (Math.abs(n.totalShare - n.cumulativeShare) > 1e-9) text += `(各分支合计 ${pct(n.totalShare)})`;
        }
        const li = el("li", text);
        if (children.has(n.id)) li.append(branch(n.id));
        ul.append(li);
      }
      return ul;
    }
    if (!list.length) return el("p", `${subjectName}:无持股记录。`);
    return branch("root");
  }

  async function related(id) {
    const params = new URLSearchParams({ subject: id });
    if (asOf()) params.set("asOf", asOf());
    const body = await getJSON(`/workbench/explorer/related?${params}`);
    const r = body.data.relatedParties;
    const box = $("related-body");
    box.replaceChildren();
    $("related").hidden = false;
    box.append(el("p", `截至 ${r.asOf},共 ${r.parties.length} 个关联企业` + (r.truncated ? "(已截断,truncated)" : "") + "。"));
    const table = el("table");
    const head = el("tr");
    for (const h of ["关联企业", "关联方式", "经由"]) head.append(el("th", h));
    table.append(head);
    for (const p of r.parties) {
      const tr = el("tr");
      const cell = el("td");
      const a = el("a", p.enterprise.name);
      a.href = `/workbench/explorer?subject=E:${encodeURIComponent(p.enterprise.uscc)}`;
      cell.append(a, el("div", p.enterprise.uscc, "muted"));
      tr.append(cell, el("td", p.kinds.map((k) => RELATION_TEXT[k] || k).join("、")));
      const via = p.links.map((l) => {
        const who = l.via ? l.via.name : (l.address || l.phone || "");
        const roles = [l.roleHere && `此处${ROLE_TEXT[l.roleHere] || l.roleHere}${l.shareHere !== null ? " " + pct(l.shareHere) : ""}`,
          l.roleThere && `彼处${ROLE_TEXT[l.roleThere] || l.roleThere}${l.shareThere !== null ? " " + pct(l.shareThere) : ""}`]
          .filter(Boolean).join(",");
        return `${who}${roles ? `(${roles})` : ""}`;
      });
      tr.append(el("td", via.join(";")));
      table.append(tr);
    }
    box.append(table);
    return r;
  }

  function exportBody() {
    const shown = visible();
    const strip = ({ ended, text, ...rest }) => rest;
    return { asOf: asOf(), nodes: shown.nodes, edges: shown.edges.map(strip) };
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
      nodes.clear(); edges.clear(); positions.clear(); hidden.clear(); cy.elements().remove();
      state.centre = null; labelled = true; edgeLabels = true; timing.runs = [];
    },
    ready: null,
  };
  const first = root.dataset.subject;
  window.explorer.ready = first ? load(first).catch(() => null) : Promise.resolve(null);
})();
