/* clustermap view: draws the embedded payload with vis-network.
 * Every name, label and attribute comes from user data: it only ever reaches
 * the page through textContent, attribute properties or the canvas, never as HTML.
 * vis-network keys its own tables by node id, so the page gives it numbers (the
 * position in the payload) and keeps the actors' ids in arrays and Maps: an actor
 * called "__proto__" or "constructor" is just another string. */
(function () {
  "use strict";
  const started = performance.now();
  const P = JSON.parse(document.getElementById("cm-data").textContent);
  const N = P.nodes;
  const E = P.edges;
  const D = P.drill || null;
  const n = N.id.length;
  const m = E.from.length;
  const SVG = "http://www.w3.org/2000/svg";
  const GOLDEN = 2.399963229728653;

  // ------------------------------------------------------------ formatting
  function fmt(v) {
    if (v === null || v === undefined) return "";
    if (typeof v === "number") {
      const a = Math.abs(v);
      // years and codes stay as they are; big counts get separators
      if (Number.isInteger(v)) return a >= 10000 ? v.toLocaleString("en-US") : String(v);
      if (a !== 0 && (a < 0.001 || a >= 1e7)) return v.toExponential(3);
      return a >= 1 ? String(Number(v.toFixed(4))) : String(Number(v.toPrecision(4)));
    }
    if (typeof v === "boolean") return v ? "yes" : "no";
    return String(v);
  }
  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function button(text, onClick, cls) {
    const b = el("button", text, cls);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }
  function darker(hex) {
    const v = parseInt(String(hex || "#bbbbbb").slice(1), 16) || 0;
    const f = (c) => Math.max(0, Math.round(c * 0.7));
    const r = f((v >> 16) & 255), g = f((v >> 8) & 255), b = f(v & 255);
    return "#" + ((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1);
  }
  function colorStyle(c) {
    const base = c || "#bbbbbb";
    return {
      background: base,
      border: darker(base),
      highlight: { background: base, border: "#000000" },
      hover: { background: base, border: "#000000" },
    };
  }

  // ------------------------------------------------------------ who is who (drill members follow the drawn nodes)
  const indexOf = new Map();
  for (let i = 0; i < n; i++) indexOf.set(N.id[i], i);
  function label(i) { return i < n ? N.label[i] : D.label[i - n]; }
  function idOf(i) { return i < n ? N.id[i] : D.id[i - n]; }
  function sizeOf(i) { return i < n ? N.size[i] : D.size[i - n]; }
  function attrOf(col, i) {
    if (i < n) return N.attrs[col] ? N.attrs[col][i] : null;
    return D.attrs[col] ? D.attrs[col][i - n] : null;
  }

  // ------------------------------------------------------------ data sets
  const colorStyles = P.colors.map(colorStyle);
  const nodeItems = new Array(n);
  for (let i = 0; i < n; i++) {
    const item = {
      id: i,
      shape: P.shapes[N.shape[i]],
      size: N.size[i],
      color: colorStyles[N.color[i]],
    };
    if (N.x && N.x[i] !== null) {
      item.x = N.x[i];
      item.y = N.y[i];
    }
    nodeItems[i] = item;
  }
  const opacity = Math.max(0.15, Math.min(0.6, 0.6 * Math.sqrt(3000 / Math.max(m, 1))));
  const edgeColoring = (P.edgeFilters || []).find((f) => f.colored) || null;
  function edgeColor(j, layerColor) {
    const c = edgeColoring && j >= 0 ? edgeColoring.options[E.filters[edgeColoring.key][j]].color : layerColor;
    return { color: c, highlight: "#000000", hover: "#000000", opacity: opacity };
  }
  const layerStyles = P.layers.map((l) => ({
    dashes: l.dashes,
    arrows: l.arrows ? { to: { enabled: true, scaleFactor: 0.6 } } : { to: { enabled: false } },
    smooth: l.smooth ? { enabled: true, type: "curvedCW", roundness: 0.25 } : { enabled: false },
    color: edgeColor(-1, l.color),
  }));
  const edgeItems = new Array(m);
  for (let j = 0; j < m; j++) {
    const s = layerStyles[E.layer[j]];
    edgeItems[j] = {
      id: j,
      from: E.from[j],
      to: E.to[j],
      width: E.width[j],
      dashes: s.dashes,
      arrows: s.arrows,
      smooth: s.smooth,
      color: edgeColoring ? edgeColor(j, null) : s.color,
    };
  }
  const nodes = new vis.DataSet(nodeItems);
  const edges = new vis.DataSet(edgeItems);

  // ------------------------------------------------------------ filters, neighbourhoods, thinned lines
  const filterKeys = P.filters.map((f) => f.key);
  const hidden = new Map(filterKeys.map((k) => [k, new Set()]));
  const edgeKeys = (P.edgeFilters || []).map((f) => f.key);
  const hiddenEdges = new Map(edgeKeys.map((k) => [k, new Set()]));
  const hiddenLayers = new Set();
  const nodeOk = new Uint8Array(n).fill(1);
  let ego = null; // Uint8Array of the neighbourhood shown, or null
  let showAllLines = !E.thin;
  let focus = -1; // the selected actor: its thinned lines are drawn too
  function computeVisible() {
    for (let i = 0; i < n; i++) {
      let ok = ego ? ego[i] : 1;
      for (let k = 0; ok && k < filterKeys.length; k++) {
        const set = hidden.get(filterKeys[k]);
        if (set.size && set.has(N.filters[filterKeys[k]][i])) ok = 0;
      }
      nodeOk[i] = ok;
    }
  }
  function lineOk(j) {
    if (hiddenLayers.has(E.layer[j])) return false;
    if (!nodeOk[E.from[j]] || !nodeOk[E.to[j]]) return false;
    for (let k = 0; k < edgeKeys.length; k++) {
      const set = hiddenEdges.get(edgeKeys[k]);
      if (set.size && set.has(E.filters[edgeKeys[k]][j])) return false;
    }
    if (!showAllLines && E.thin[j] && !ego && E.from[j] !== focus && E.to[j] !== focus) return false;
    return true;
  }
  const nodeView = new vis.DataView(nodes, { filter: (item) => item.id >= n || nodeOk[item.id] === 1 });
  const edgeView = new vis.DataView(edges, { filter: (item) => item.id >= m || lineOk(item.id) });

  // ------------------------------------------------------------ network
  const container = document.getElementById("cm-network");
  const options = {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 1 },
    physics: P.physics
      ? {
          enabled: true,
          solver: "forceAtlas2Based",
          forceAtlas2Based: { gravitationalConstant: -45, centralGravity: 0.01, springLength: 70, springConstant: 0.08, avoidOverlap: 0.5 },
          // positions start from a precomputed layout: a few iterations settle them
          stabilization: { enabled: true, iterations: Math.round(Math.max(40, Math.min(120, 30000 / Math.max(n, 1)))), updateInterval: 50, fit: true },
          minVelocity: 1.0,
        }
      : { enabled: false },
    interaction: {
      hover: true,
      tooltipDelay: 200,
      navigationButtons: true,
      keyboard: { enabled: true, bindToWindow: false },
      hideEdgesOnDrag: m > 4000,
      hideEdgesOnZoom: m > 4000,
      multiselect: false,
    },
    nodes: { borderWidth: 1 },
    edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 0.5, arrowStrikethrough: false },
  };
  const network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
  const builtAt = performance.now() - started;

  // ------------------------------------------------------------ under the nodes: region outlines, column headings
  network.on("beforeDrawing", (ctx) => {
    const scale = network.getScale();
    if (P.outlines) {
      ctx.save();
      ctx.lineWidth = 1 / scale;
      ctx.strokeStyle = "#9a9a9a";
      ctx.fillStyle = "#f3f3f0";
      P.outlines.forEach((region) => {
        ctx.beginPath();
        region.rings.forEach((r) => {
          ctx.moveTo(r[0], r[1]);
          for (let k = 2; k < r.length; k += 2) ctx.lineTo(r[k], r[k + 1]);
          ctx.closePath();
        });
        ctx.fill("evenodd");
        ctx.stroke();
      });
      ctx.restore();
    }
  });

  // ------------------------------------------------------------ labels: as many as fit, most important first
  // vis-network draws no labels here; the page places them itself after every frame,
  // in rank order, skipping any label whose box would touch one already placed.
  const rankOrder = Array.from({ length: n }, (_, i) => i).sort((a, b) => N.rank[a] - N.rank[b]);
  const widths = new Map();
  const LABEL_PX = 12;
  const MAX_LABELS = 600;
  let boxes = [];
  let drillOrder = []; // drill members shown, most central first
  let openCommunity = -1;
  function textWidth(ctx, i, bold) {
    const key = bold ? -1 - i : i;
    let w = widths.get(key);
    if (w === undefined) { w = ctx.measureText(label(i)).width; widths.set(key, w); }
    return w;
  }
  network.on("afterDrawing", (ctx) => {
    const view = network.body.view;
    const scale = view.scale, tx = view.translation.x, ty = view.translation.y;
    const W = container.clientWidth, H = container.clientHeight;
    const ratio = network.canvas.pixelRatio || 1;
    const cell = 64;
    const grid = new Map();
    const placed = [];
    function fits(b) {
      const x0 = Math.floor(b[0] / cell), x1 = Math.floor(b[2] / cell);
      const y0 = Math.floor(b[1] / cell), y1 = Math.floor(b[3] / cell);
      for (let gx = x0; gx <= x1; gx++) for (let gy = y0; gy <= y1; gy++) {
        const list = grid.get(gx * 100003 + gy);
        if (!list) continue;
        for (const o of list) if (b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]) return false;
      }
      for (let gx = x0; gx <= x1; gx++) for (let gy = y0; gy <= y1; gy++) {
        const key = gx * 100003 + gy;
        const list = grid.get(key);
        if (list) list.push(b); else grid.set(key, [b]);
      }
      return true;
    }
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.lineWidth = 3;
    ctx.strokeStyle = "#ffffff";
    ctx.fillStyle = "#222222";
    function consider(i, bold) {
      const body = network.body.nodes[i];
      if (!body || placed.length >= MAX_LABELS) return;
      const sx = body.x * scale + tx, sy = body.y * scale + ty;
      if (sx < -200 || sx > W + 200 || sy < -50 || sy > H + 50) return;
      ctx.font = (bold ? "600 " : "") + LABEL_PX + "px system-ui, sans-serif";
      const w = textWidth(ctx, i, bold) + 4;
      const top = sy + sizeOf(i) * scale + 2;
      const b = [sx - w / 2, top, sx + w / 2, top + LABEL_PX + 3, i];
      if (!fits(b)) return;
      placed.push(b);
      ctx.strokeText(label(i), sx, top + 1);
      ctx.fillText(label(i), sx, top + 1);
    }
    // column headings of the tier layout first, at the top of their columns
    (P.guides || []).forEach((g) => {
      const sx = g.x * scale + tx, sy = Math.max(4, g.y * scale + ty);
      ctx.font = "600 13px system-ui, sans-serif";
      const w = ctx.measureText(g.text).width + 6;
      const b = [sx - w / 2, sy, sx + w / 2, sy + 17, -1];
      if (sx < -w || sx > W + w || !fits(b)) return;
      ctx.fillStyle = "#555555";
      ctx.fillText(g.text, sx, sy + 1);
      ctx.fillStyle = "#222222";
    });
    const sel = network.getSelectedNodes();
    if (sel.length) consider(sel[0], true);
    if (openCommunity >= 0) {
      consider(openCommunity, true);
      drillOrder.forEach((i) => consider(i, false));
    } else {
      // beyond the first few, a node drawn smaller than 3 px on screen gets no label yet
      for (let r = 0; r < n && placed.length < MAX_LABELS; r++) {
        const i = rankOrder[r];
        // community labels and the key actors' labels (font 22: the top 3 %) are bold
        if (nodeOk[i] && (r < 40 || N.size[i] * scale >= 3)) consider(i, N.shape[i] === 3 || N.font[i] >= 22);
      }
    }
    ctx.restore();
    boxes = placed;
  });

  // ------------------------------------------------------------ first view: the main component fills the screen
  function fitStart() {
    if (P.fit && P.fit.length) network.fit({ nodes: P.fit, animation: false });
    else network.fit({ animation: false });
  }
  function ready() {
    if (window.__clustermapReady) return;
    window.__clustermapTimings = { built: builtAt, ready: performance.now() - started, sinceNavigation: performance.now() };
    document.getElementById("cm-loading").hidden = true;
    window.__clustermapReady = true;
    document.body.setAttribute("data-ready", "1");
  }
  function settle() {
    fitStart();
    network.once("afterDrawing", ready);
    network.redraw();
  }
  if (P.physics && n > 0) network.once("stabilizationIterationsDone", settle);
  else if (n > 0) network.once("afterDrawing", settle);
  else ready();

  // ------------------------------------------------------------ tooltips and details
  const tip = document.getElementById("cm-tip");
  function attributeList(i) {
    const dl = el("dl");
    P.attributes.forEach((col) => {
      const v = attrOf(col, i);
      if (v === null || v === undefined || v === "") return;
      dl.appendChild(el("dt", col));
      dl.appendChild(el("dd", fmt(v)));
    });
    return dl;
  }
  function nodeSummary(i) {
    const box = document.createDocumentFragment();
    box.appendChild(el("strong", label(i)));
    if (label(i) !== idOf(i)) box.appendChild(el("div", "id: " + idOf(i)));
    box.appendChild(attributeList(i));
    if (D && i < n && D.rest[i] > 0 && openCommunity !== i) box.appendChild(el("div", "Click to open its members.", "cm-hint"));
    return box;
  }
  function edgeSummary(j) {
    const box = document.createDocumentFragment();
    if (j >= m) {
      const t = D.ties;
      const layer = P.layers[t.layer[j - m]];
      box.appendChild(el("strong", label(t.from[j - m]) + (layer.directed ? " → " : " — ") + label(t.to[j - m])));
      box.appendChild(el("div", "layer: " + layer.name));
      return box;
    }
    const layer = P.layers[E.layer[j]];
    const arrow = layer.directed ? " → " : " — ";
    box.appendChild(el("strong", label(E.from[j]) + arrow + label(E.to[j])));
    const dl = el("dl");
    const rows = [["layer", layer.name], ["weight", E.weight[j]], ["links", E.count[j]]];
    (P.edgeFilters || []).forEach((f) => rows.push([f.title, f.options[E.filters[f.key][j]].label]));
    rows.forEach(([k, v]) => {
      dl.appendChild(el("dt", k));
      dl.appendChild(el("dd", fmt(v)));
    });
    box.appendChild(dl);
    return box;
  }
  function showTip(content, pointer) {
    tip.replaceChildren(content);
    tip.hidden = false;
    const w = container.clientWidth, h = container.clientHeight;
    const x = Math.min(pointer.x + 14, Math.max(0, w - tip.offsetWidth - 4));
    const y = Math.min(pointer.y + 14, Math.max(0, h - tip.offsetHeight - 4));
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  function hideTip() { tip.hidden = true; }
  network.on("hoverNode", (p) => showTip(nodeSummary(p.node), p.pointer.DOM));
  network.on("hoverEdge", (p) => showTip(edgeSummary(p.edge), p.pointer.DOM));
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);

  // adjacency over every line (thinned ones too), built on first use
  let adjacency = null;
  function neighbours() {
    if (adjacency) return adjacency;
    const start = new Int32Array(n + 1);
    for (let j = 0; j < m; j++) { start[E.from[j] + 1]++; start[E.to[j] + 1]++; }
    for (let i = 0; i < n; i++) start[i + 1] += start[i];
    const fill = start.slice(0, n);
    const other = new Int32Array(2 * m), line = new Int32Array(2 * m);
    for (let j = 0; j < m; j++) {
      other[fill[E.from[j]]] = E.to[j]; line[fill[E.from[j]]++] = j;
      other[fill[E.to[j]]] = E.from[j]; line[fill[E.to[j]]++] = j;
    }
    adjacency = { start: start, other: other, line: line };
    return adjacency;
  }

  const selected = document.getElementById("cm-selected");
  const details = document.getElementById("cm-details");
  const backBar = document.getElementById("cm-back");
  function showDetails(i) {
    const parts = [el("strong", label(i))];
    if (label(i) !== idOf(i)) parts.push(el("div", "id: " + idOf(i)));
    if (i < n && !(D && D.rest[i] > 0)) {
      const byLayer = P.layers.map(() => 0);
      let total = 0;
      const a = neighbours();
      for (let k = a.start[i]; k < a.start[i + 1]; k++) {
        const j = a.line[k];
        byLayer[E.layer[j]] += E.count[j]; total += E.count[j];
      }
      const dl = el("dl");
      dl.appendChild(el("dt", "links"));
      dl.appendChild(el("dd", fmt(total) + (total ? " (" + P.layers.map((l, k) => l.name + " " + fmt(byLayer[k])).join(", ") + ")" : "")));
      const row = el("div", null, "cm-ego");
      row.appendChild(el("span", "Show neighbourhood: "));
      row.appendChild(button("1 step", () => showEgo(i, 1), "cm-ego-1"));
      row.appendChild(button("2 steps", () => showEgo(i, 2), "cm-ego-2"));
      parts.push(row, dl);
    }
    parts.push(attributeList(i));
    details.replaceChildren(...parts);
    selected.hidden = false;
  }
  function redrawLines() {
    edgeView.refresh();
    updateShown();
  }
  network.on("click", (p) => {
    const i = p.nodes.length ? p.nodes[0] : -1;
    if (D && i >= 0 && i < n && D.rest[i] > 0 && openCommunity !== i) {
      openDrill(i);
      showDetails(i);
      return;
    }
    if (i >= 0) showDetails(i);
    else selected.hidden = true;
    if (E.thin && i !== focus && i < n) { focus = i; redrawLines(); }
  });

  // ------------------------------------------------------------ ego view: an actor's neighbourhood, in place
  function showEgo(i, steps) {
    const a = neighbours();
    const mark = new Uint8Array(n);
    mark[i] = 1;
    let frontier = [i];
    for (let s = 0; s < steps; s++) {
      const next = [];
      frontier.forEach((u) => {
        for (let k = a.start[u]; k < a.start[u + 1]; k++) {
          const v = a.other[k];
          if (!mark[v] && !hiddenLayers.has(E.layer[a.line[k]])) { mark[v] = 1; next.push(v); }
        }
      });
      frontier = next;
    }
    ego = mark;
    // in place: the neighbourhood keeps its positions (no physics moving it away)
    if (P.physics) network.setOptions({ physics: { enabled: false } });
    apply();
    let count = 0;
    for (let k = 0; k < n; k++) count += mark[k];
    backText.textContent = "Neighbourhood of “" + label(i) + "”, " + steps + (steps === 1 ? " step" : " steps") + ": " + fmt(count) + " actors.";
    backBar.hidden = false;
    network.fit({ nodes: Array.from(mark.keys()).filter((k) => nodeOk[k]), animation: false, maxZoomLevel: 2 });
    api.mode = "ego";
  }
  function showEverything() {
    if (openCommunity >= 0) closeDrill();
    if (ego) { ego = null; apply(); }
    backBar.hidden = true;
    api.mode = "all";
    fitStart();
  }
  const backText = el("span", "", "cm-back-text");
  backBar.appendChild(backText);
  backBar.appendChild(button("Back to the whole network", showEverything, "cm-back-button"));

  // ------------------------------------------------------------ drill-down: a community opens in place
  function openDrill(h) {
    if (openCommunity >= 0) closeDrill();
    // the members are placed around their community: stop the physics from moving anyone
    if (P.physics) network.setOptions({ physics: { enabled: false } });
    const centre = network.getPositions([h])[h];
    const radius = N.size[h];
    const added = [];
    drillOrder = [];
    let k = 0;
    for (let j = 0; j < D.id.length; j++) {
      if (D.community[j] !== h) continue;
      const r = radius + 34 + 30 * Math.sqrt(k);
      const a = k * GOLDEN;
      added.push({
        id: n + j,
        shape: D.shape[j],
        size: D.size[j],
        color: colorStyle(D.color[j]),
        x: centre.x + r * Math.cos(a),
        y: centre.y + r * Math.sin(a),
      });
      drillOrder.push(n + j);
      k++;
    }
    const members = new Set(drillOrder);
    const ties = [];
    const T = D.ties;
    for (let j = 0; j < T.from.length; j++) {
      const a = T.from[j], b = T.to[j];
      // ties stay inside one community: one end among the members shown is enough
      if (!members.has(a) && !members.has(b)) continue;
      const s = layerStyles[T.layer[j]];
      ties.push({ id: m + j, from: a, to: b, width: T.width[j], dashes: s.dashes, arrows: s.arrows, smooth: s.smooth, color: { color: P.layers[T.layer[j]].color, opacity: 0.55 } });
    }
    const dim = [];
    nodes.forEach((item) => { if (item.id !== h && item.id < n && D.topCommunity[item.id] !== h) dim.push({ id: item.id, opacity: 0.18 }); });
    nodes.update(dim);
    edges.update(edges.getIds().map((id) => ({ id: id, color: { opacity: 0.05 } })));
    nodes.add(added);
    edges.add(ties);
    openCommunity = h;
    api.mode = "drill";
    const rest = D.rest[h];
    backText.textContent = label(h) + ": " + fmt(added.length) + " members shown" + (rest > 0 ? ", " + fmt(rest) + " more not shown." : ".");
    backBar.hidden = false;
    network.fit({ nodes: [h, ...drillOrder], animation: false, maxZoomLevel: 2 });
    updateShown();
  }
  function closeDrill() {
    if (openCommunity < 0) return;
    nodes.remove(drillOrder);
    const tieIds = edges.getIds().filter((id) => id >= m);
    edges.remove(tieIds);
    nodes.update(nodes.getIds().map((id) => ({ id: id, opacity: 1 })));
    edges.update(edges.getIds().map((id) => ({ id: id, color: { opacity: opacity } })));
    openCommunity = -1;
    drillOrder = [];
    backBar.hidden = true;
    api.mode = "all";
    updateShown();
  }

  // ------------------------------------------------------------ search
  const datalist = document.getElementById("cm-names");
  const frag = document.createDocumentFragment();
  for (let i = 0; i < n; i++) {
    const o = document.createElement("option");
    o.value = N.label[i];
    frag.appendChild(o);
  }
  datalist.appendChild(frag);
  const status = document.getElementById("cm-search-status");
  function lookup(query) {
    const q = query.trim().toLowerCase();
    if (!q) return -1;
    const exact = indexOf.get(query.trim());
    if (exact !== undefined) return exact;
    const tests = [
      (i) => N.label[i].toLowerCase() === q,
      (i) => N.id[i].toLowerCase() === q,
      (i) => N.label[i].toLowerCase().startsWith(q),
      (i) => N.label[i].toLowerCase().includes(q) || N.id[i].toLowerCase().includes(q),
    ];
    for (const test of tests) {
      for (let i = 0; i < n; i++) if (test(i)) return i;
    }
    return -1;
  }
  function find(query) {
    const i = lookup(query);
    if (i < 0) {
      status.textContent = "No actor on this page matches “" + query.trim() + "”.";
      return null;
    }
    if (!nodeOk[i]) {
      status.textContent = "“" + N.label[i] + "” is hidden by the filters below.";
      return null;
    }
    network.selectNodes([i]);
    network.focus(i, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    showDetails(i);
    if (E.thin) { focus = i; redrawLines(); }
    status.textContent = "Found “" + N.label[i] + "”.";
    api.focused = N.id[i];
    return N.id[i];
  }
  document.getElementById("cm-search-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    find(document.getElementById("cm-search").value);
  });

  // ------------------------------------------------------------ legend and filters
  const legend = document.getElementById("cm-legend");
  const shown = document.getElementById("cm-shown");
  function glyph(shape, color) {
    const s = document.createElementNS(SVG, "svg");
    s.setAttribute("width", "14");
    s.setAttribute("height", "14");
    s.setAttribute("viewBox", "0 0 14 14");
    s.setAttribute("class", "cm-glyph");
    let g;
    if (shape === "square") {
      g = document.createElementNS(SVG, "rect");
      g.setAttribute("x", "2"); g.setAttribute("y", "2"); g.setAttribute("width", "10"); g.setAttribute("height", "10");
    } else if (shape === "triangle") {
      g = document.createElementNS(SVG, "polygon");
      g.setAttribute("points", "7,1 13,12 1,12");
    } else if (shape === "hexagon") {
      g = document.createElementNS(SVG, "polygon");
      g.setAttribute("points", "4,1.5 10,1.5 13,7 10,12.5 4,12.5 1,7");
    } else {
      g = document.createElementNS(SVG, "circle");
      g.setAttribute("cx", "7"); g.setAttribute("cy", "7"); g.setAttribute("r", "5.5");
    }
    const fill = color || "#bbbbbb";
    g.setAttribute("fill", fill);
    g.setAttribute("stroke", darker(fill));
    s.appendChild(g);
    return s;
  }
  function lineGlyph(color, dashes, arrows) {
    const s = document.createElementNS(SVG, "svg");
    s.setAttribute("width", "34");
    s.setAttribute("height", "14");
    s.setAttribute("class", "cm-glyph");
    const line = document.createElementNS(SVG, "line");
    line.setAttribute("x1", "1"); line.setAttribute("y1", "7"); line.setAttribute("x2", arrows ? "26" : "33"); line.setAttribute("y2", "7");
    line.setAttribute("stroke", color || "#777777");
    line.setAttribute("stroke-width", "2");
    if (dashes) line.setAttribute("stroke-dasharray", Array.isArray(dashes) ? dashes.join(" ") : "5 3");
    s.appendChild(line);
    if (arrows) {
      const head = document.createElementNS(SVG, "polygon");
      head.setAttribute("points", "26,2 33,7 26,12");
      head.setAttribute("fill", color || "#777777");
      s.appendChild(head);
    }
    return s;
  }
  function group(title, items, onChange) {
    const h = el("h3", title);
    const all = el("button", "all", "cm-all");
    const none = el("button", "none");
    all.type = "button";
    none.type = "button";
    h.appendChild(all);
    h.appendChild(none);
    const ul = el("ul", null, "cm-options");
    const boxes = [];
    items.forEach((it, code) => {
      const li = el("li");
      const lab = el("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = true;
      box.dataset.code = String(code);
      box.addEventListener("change", () => onChange(code, box.checked));
      boxes.push(box);
      lab.appendChild(box);
      if (it.glyph) lab.appendChild(it.glyph);
      lab.appendChild(el("span", it.label, "cm-text"));
      if (it.count !== undefined) lab.appendChild(el("span", fmt(it.count), "cm-count"));
      li.appendChild(lab);
      ul.appendChild(li);
    });
    const setAll = (on) => boxes.forEach((b, code) => { if (b.checked !== on) { b.checked = on; onChange(code, on, true); } });
    all.addEventListener("click", () => { setAll(true); apply(); });
    none.addEventListener("click", () => { setAll(false); apply(); });
    const section = el("div", null, "cm-group");
    section.appendChild(h);
    section.appendChild(ul);
    return section;
  }
  function apply() {
    computeVisible();
    nodeView.refresh();
    edgeView.refresh();
    updateShown();
  }
  function updateShown() {
    const extra = drillOrder.length;
    let ties = 0;
    if (extra) edgeView.forEach((e) => { if (e.id >= m) ties++; });
    const a = nodeView.length - extra, b = edgeView.length - ties;
    shown.textContent = "Drawn: " + fmt(a) + " of " + fmt(n) + " nodes, " + fmt(b) + " of " + fmt(m) + " lines" +
      (extra ? "; and " + fmt(extra) + " members of the open community with " + fmt(ties) + " ties." : ".");
  }
  P.filters.forEach((f) => {
    const items = f.options.map((o) => ({
      label: o.label,
      count: o.count,
      glyph: f.colored || o.shape ? glyph(o.shape || "dot", f.colored ? o.color : "#9a9a9a") : null,
    }));
    legend.appendChild(group(f.title, items, (code, on, batch) => {
      const set = hidden.get(f.key);
      if (on) set.delete(code); else set.add(code);
      if (!batch) apply();
    }));
  });
  (P.edgeFilters || []).forEach((f) => {
    const items = f.options.map((o) => ({ label: o.label, count: o.count, glyph: lineGlyph(f.colored ? o.color : "#777777", o.dashes, false) }));
    legend.appendChild(group(f.title, items, (code, on, batch) => {
      const set = hiddenEdges.get(f.key);
      if (on) set.delete(code); else set.add(code);
      if (!batch) apply();
    }));
  });
  if (P.layers.length) {
    const counts = P.layers.map(() => 0);
    for (let j = 0; j < m; j++) counts[E.layer[j]] += 1;
    const items = P.layers.map((l, k) => ({
      label: l.name + (l.directed ? " (arrow: from → to)" : " (no direction)"),
      count: counts[k],
      glyph: lineGlyph(edgeColoring ? "#777777" : l.color, l.dashes, l.arrows),
    }));
    legend.appendChild(group("Links (line width = weight)", items, (code, on, batch) => {
      if (on) hiddenLayers.delete(code); else hiddenLayers.add(code);
      if (!batch) apply();
    }));
  }
  if (E.thin) {
    let thinned = 0;
    for (let j = 0; j < m; j++) thinned += E.thin[j];
    const lab = el("label", null, "cm-all-lines");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.id = "cm-all-lines";
    box.addEventListener("change", () => { showAllLines = box.checked; redrawLines(); });
    lab.appendChild(box);
    lab.appendChild(el("span", "all lines (" + fmt(thinned) + " lighter ones are hidden)"));
    legend.appendChild(lab);
  }
  if (P.sizeNote) legend.appendChild(el("p", P.sizeNote, "cm-size-note"));
  updateShown();

  const api = {
    network: network,
    nodes: nodes,
    edges: edges,
    nodeView: nodeView,
    edgeView: edgeView,
    find: find,
    focused: null,
    mode: "all",
    index: (id) => (indexOf.has(id) ? indexOf.get(id) : -1),
    idOf: idOf,
    label: label,
    labelBoxes: () => boxes.map((b) => ({ x0: b[0], y0: b[1], x1: b[2], y1: b[3], node: idOf(b[4]) })),
    shownIds: () => nodeView.getIds().map(idOf),
    openCommunity: openDrill,
    back: showEverything,
    ego: showEgo,
    drawn: () => ({ nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length }),
  };
  window.clustermap = api;
})();
