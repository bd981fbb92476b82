/* clustermap view: draws the embedded payload with vis-network.
 * Every name, label and attribute comes from user data: it only ever reaches
 * the page through textContent, attribute properties or the canvas, never as HTML. */
(function () {
  "use strict";
  const started = performance.now();
  const P = JSON.parse(document.getElementById("cm-data").textContent);
  const N = P.nodes;
  const E = P.edges;
  const n = N.id.length;
  const m = E.from.length;
  const SVG = "http://www.w3.org/2000/svg";

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
  function darker(hex) {
    const v = parseInt(hex.slice(1), 16);
    const f = (c) => Math.max(0, Math.round(c * 0.7));
    const r = f((v >> 16) & 255), g = f((v >> 8) & 255), b = f(v & 255);
    return "#" + ((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1);
  }

  // ------------------------------------------------------------ data sets
  const colorStyles = P.colors.map((c) => ({
    background: c,
    border: darker(c),
    highlight: { background: c, border: "#000000" },
    hover: { background: c, border: "#000000" },
  }));
  const indexOf = new Map();
  const nodeItems = new Array(n);
  for (let i = 0; i < n; i++) {
    const item = {
      id: N.id[i],
      label: N.label[i],
      shape: P.shapes[N.shape[i]],
      size: N.size[i],
      color: colorStyles[N.color[i]],
      font: { size: N.font[i] },
    };
    if (N.x && N.x[i] !== null) {
      item.x = N.x[i];
      item.y = N.y[i];
    }
    nodeItems[i] = item;
    indexOf.set(N.id[i], i);
  }
  const opacity = Math.max(0.15, Math.min(0.6, 0.6 * Math.sqrt(3000 / Math.max(m, 1))));
  const layerStyles = P.layers.map((l) => ({
    dashes: l.dashes,
    arrows: l.arrows ? { to: { enabled: true, scaleFactor: 0.6 } } : { to: { enabled: false } },
    color: { color: l.color, highlight: "#000000", hover: "#000000", opacity: opacity },
  }));
  const edgeItems = new Array(m);
  for (let j = 0; j < m; j++) {
    const s = layerStyles[E.layer[j]];
    edgeItems[j] = {
      id: j,
      from: N.id[E.from[j]],
      to: N.id[E.to[j]],
      width: E.width[j],
      dashes: s.dashes,
      arrows: s.arrows,
      color: s.color,
    };
  }
  const nodes = new vis.DataSet(nodeItems);
  const edges = new vis.DataSet(edgeItems);

  // ------------------------------------------------------------ filters
  const filterKeys = P.filters.map((f) => f.key);
  const hidden = {};
  filterKeys.forEach((k) => { hidden[k] = new Set(); });
  const hiddenLayers = new Set();
  const nodeOk = new Uint8Array(n).fill(1);
  function computeVisible() {
    for (let i = 0; i < n; i++) {
      let ok = 1;
      for (let k = 0; k < filterKeys.length; k++) {
        const key = filterKeys[k];
        if (hidden[key].size && hidden[key].has(N.filters[key][i])) { ok = 0; break; }
      }
      nodeOk[i] = ok;
    }
  }
  const nodeView = new vis.DataView(nodes, { filter: (item) => nodeOk[indexOf.get(item.id)] === 1 });
  const edgeView = new vis.DataView(edges, {
    filter: (item) => !hiddenLayers.has(E.layer[item.id]) && nodeOk[E.from[item.id]] === 1 && nodeOk[E.to[item.id]] === 1,
  });

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
    nodes: {
      borderWidth: 1,
      font: { size: 14, face: "system-ui, sans-serif", color: "#222222", strokeWidth: 3, strokeColor: "#ffffff" },
      scaling: { label: { drawThreshold: 10, maxVisible: 30 } },
    },
    edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 0.5, arrowStrikethrough: false },
  };
  const network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
  const builtAt = performance.now() - started;

  // the key labels (22 px and more) stay readable when zoomed out: vis-network hides
  // labels under 10 px on screen, so below that we draw these few ourselves
  const keyLabels = [];
  for (let i = 0; i < n; i++) if (N.font[i] >= 22) keyLabels.push(i);
  network.on("afterDrawing", (ctx) => {
    const scale = network.getScale();
    if (!keyLabels.length || 22 * scale >= 10) return;
    const shownKeys = keyLabels.filter((i) => nodeOk[i]);
    const pos = network.getPositions(shownKeys.map((i) => N.id[i]));
    ctx.save();
    ctx.font = 12 / scale + "px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.lineWidth = 3 / scale;
    ctx.strokeStyle = "#ffffff";
    ctx.fillStyle = "#222222";
    shownKeys.forEach((i) => {
      const p = pos[N.id[i]];
      if (!p) return;
      const y = p.y + N.size[i] + 3 / scale;
      ctx.strokeText(N.label[i], p.x, y);
      ctx.fillText(N.label[i], p.x, y);
    });
    ctx.restore();
  });

  function ready() {
    if (window.__clustermapReady) return;
    window.__clustermapTimings = { built: builtAt, ready: performance.now() - started, sinceNavigation: performance.now() };
    document.getElementById("cm-loading").hidden = true;
    window.__clustermapReady = true;
    document.body.setAttribute("data-ready", "1");
  }
  if (P.physics && n > 0) {
    network.once("stabilizationIterationsDone", () => {
      network.fit();
      network.once("afterDrawing", ready);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", ready);
    if (n === 0) ready();
  }

  // ------------------------------------------------------------ tooltips and details
  const tip = document.getElementById("cm-tip");
  function attributeList(i) {
    const dl = el("dl");
    P.attributes.forEach((col) => {
      const v = N.attrs[col][i];
      if (v === null || v === undefined || v === "") return;
      dl.appendChild(el("dt", col));
      dl.appendChild(el("dd", fmt(v)));
    });
    return dl;
  }
  function nodeSummary(i) {
    const box = document.createDocumentFragment();
    box.appendChild(el("strong", N.label[i]));
    if (N.label[i] !== N.id[i]) box.appendChild(el("div", "id: " + N.id[i]));
    box.appendChild(attributeList(i));
    return box;
  }
  function edgeSummary(j) {
    const layer = P.layers[E.layer[j]];
    const box = document.createDocumentFragment();
    const arrow = layer.directed ? " → " : " — ";
    box.appendChild(el("strong", N.label[E.from[j]] + arrow + N.label[E.to[j]]));
    const dl = el("dl");
    [["layer", layer.name], ["weight", E.weight[j]], ["links", E.count[j]]].forEach(([k, v]) => {
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
  network.on("hoverNode", (p) => showTip(nodeSummary(indexOf.get(p.node)), p.pointer.DOM));
  network.on("hoverEdge", (p) => showTip(edgeSummary(p.edge), p.pointer.DOM));
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);

  const selected = document.getElementById("cm-selected");
  const details = document.getElementById("cm-details");
  function showDetails(i) {
    const box = nodeSummary(i);
    const byLayer = P.layers.map(() => 0);
    let total = 0;
    for (let j = 0; j < m; j++) {
      if (E.from[j] === i || E.to[j] === i) { byLayer[E.layer[j]] += E.count[j]; total += E.count[j]; }
    }
    const dl = el("dl");
    dl.appendChild(el("dt", "links"));
    dl.appendChild(el("dd", fmt(total) + (total ? " (" + P.layers.map((l, k) => l.name + " " + fmt(byLayer[k])).join(", ") + ")" : "")));
    details.replaceChildren(box, dl);
    selected.hidden = false;
  }
  network.on("click", (p) => {
    if (p.nodes.length) showDetails(indexOf.get(p.nodes[0]));
    else selected.hidden = true;
  });

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
    const id = N.id[i];
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    showDetails(i);
    status.textContent = "Found “" + N.label[i] + "”.";
    api.focused = id;
    return id;
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
    g.setAttribute("fill", color);
    g.setAttribute("stroke", darker(color));
    s.appendChild(g);
    return s;
  }
  function lineGlyph(layer) {
    const s = document.createElementNS(SVG, "svg");
    s.setAttribute("width", "34");
    s.setAttribute("height", "14");
    s.setAttribute("class", "cm-glyph");
    const line = document.createElementNS(SVG, "line");
    line.setAttribute("x1", "1"); line.setAttribute("y1", "7"); line.setAttribute("x2", layer.arrows ? "26" : "33"); line.setAttribute("y2", "7");
    line.setAttribute("stroke", layer.color);
    line.setAttribute("stroke-width", "2");
    if (layer.dashes) line.setAttribute("stroke-dasharray", Array.isArray(layer.dashes) ? layer.dashes.join(" ") : "5 3");
    s.appendChild(line);
    if (layer.arrows) {
      const head = document.createElementNS(SVG, "polygon");
      head.setAttribute("points", "26,2 33,7 26,12");
      head.setAttribute("fill", layer.color);
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
      const label = el("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = true;
      box.dataset.code = String(code);
      box.addEventListener("change", () => onChange(code, box.checked));
      boxes.push(box);
      label.appendChild(box);
      if (it.glyph) label.appendChild(it.glyph);
      label.appendChild(el("span", it.label, "cm-text"));
      if (it.count !== undefined) label.appendChild(el("span", fmt(it.count), "cm-count"));
      li.appendChild(label);
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
    const a = nodeView.length, b = edgeView.length;
    shown.textContent = "Drawn: " + fmt(a) + " of " + fmt(n) + " nodes, " + fmt(b) + " of " + fmt(m) + " lines.";
  }
  P.filters.forEach((f) => {
    const items = f.options.map((o) => ({
      label: o.label,
      count: o.count,
      glyph: f.colored || o.shape ? glyph(o.shape || "dot", f.colored ? o.color : "#9a9a9a") : null,
    }));
    legend.appendChild(group(f.title, items, (code, on, batch) => {
      if (on) hidden[f.key].delete(code); else hidden[f.key].add(code);
      if (!batch) apply();
    }));
  });
  if (P.layers.length) {
    const counts = P.layers.map(() => 0);
    for (let j = 0; j < m; j++) counts[E.layer[j]] += 1;
    const items = P.layers.map((l, k) => ({
      label: l.name + (l.directed ? " (arrow: from → to)" : " (no direction)"),
      count: counts[k],
      glyph: lineGlyph(l),
    }));
    legend.appendChild(group("Links (line width = weight)", items, (code, on, batch) => {
      if (on) hiddenLayers.delete(code); else hiddenLayers.add(code);
      if (!batch) apply();
    }));
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
    drawn: () => ({ nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length }),
  };
  window.clustermap = api;
})();
