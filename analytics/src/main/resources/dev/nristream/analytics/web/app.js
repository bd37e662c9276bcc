// The nri-stream web view: polls /scenes and /scenes/{id}/live once a second and draws the selected scene.
// Every string from a feed (scene, agent, team, model ids, edge type names) reaches the DOM through textContent or
// setAttribute only, never as markup.
'use strict';

(() => {
  const POLL_MS = 1000;
  const SVG = 'http://www.w3.org/2000/svg';
  const W = 820;
  const H = 540;
  const PAD = 24;
  // Interaction types in order, skipping the model's "no edge" type (which is not drawn).
  const TYPE_COLOURS = ['#1f77b4', '#2ca02c', '#9467bd', '#e377c2', '#8c564b', '#17becf', '#bcbd22'];
  const WRONG = '#d62728';
  const FORECAST = '#ff7f0e';
  const TEAM_COLOURS = ['#3b5b92', '#2e8b57'];
  // CMU ASF joints and their parents: the bones of the projected skeleton (a missing joint is skipped upwards).
  const CMU_PARENT = {
    lhipjoint: 'root', lfemur: 'lhipjoint', ltibia: 'lfemur', lfoot: 'ltibia', ltoes: 'lfoot',
    rhipjoint: 'root', rfemur: 'rhipjoint', rtibia: 'rfemur', rfoot: 'rtibia', rtoes: 'rfoot',
    lowerback: 'root', upperback: 'lowerback', thorax: 'upperback', lowerneck: 'thorax', upperneck: 'lowerneck',
    head: 'upperneck', lclavicle: 'thorax', lhumerus: 'lclavicle', lradius: 'lhumerus', lwrist: 'lradius',
    lhand: 'lwrist', lfingers: 'lhand', lthumb: 'lwrist', rclavicle: 'thorax', rhumerus: 'rclavicle',
    rradius: 'rhumerus', rwrist: 'rradius', rhand: 'rwrist', rfingers: 'rhand', rthumb: 'rwrist',
  };
  const AZIMUTH = 0.55; // radians around the vertical axis, so a walking skeleton is seen at an angle

  let selected = null;
  let sceneList = [];
  const bounds = new Map(); // scene -> world bounds that only grow, so the picture does not jitter

  const byId = (id) => document.getElementById(id);

  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      e.setAttribute(k, String(v));
    }
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    return e;
  }

  function html(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    return e;
  }

  function clear(e) {
    while (e.firstChild) {
      e.removeChild(e.firstChild);
    }
  }

  const num = (v) => (v === null || v === undefined || v === 'NaN' ? NaN : Number(v));

  async function getJson(path) {
    const r = await fetch(path, { cache: 'no-store' });
    if (!r.ok) {
      let msg = 'HTTP ' + r.status;
      try {
        msg += ': ' + (await r.json()).error;
      } catch (ignored) {
        // not JSON: the status says enough
      }
      throw new Error(msg);
    }
    return r.json();
  }

  function selectedFromHash() {
    if (location.hash.length > 1) {
      try {
        return decodeURIComponent(location.hash.slice(1));
      } catch (ignored) {
        return null;
      }
    }
    return null;
  }

  // ---- scene list --------------------------------------------------------------------------------------------

  function renderSceneList(ids) {
    const same = ids.length === sceneList.length && ids.every((s, i) => s === sceneList[i]);
    sceneList = ids;
    byId('no-scenes').hidden = ids.length > 0;
    const ul = byId('scenes');
    if (!same) {
      clear(ul);
      for (const id of ids) {
        const li = html('li');
        const b = html('button', '', id);
        b.type = 'button';
        b.setAttribute('data-scene', id);
        b.addEventListener('click', () => {
          selected = id;
          history.replaceState(null, '', '#' + encodeURIComponent(id));
          tick(false);
        });
        li.appendChild(b);
        ul.appendChild(li);
      }
    }
    for (const b of ul.querySelectorAll('button')) {
      b.classList.toggle('selected', b.getAttribute('data-scene') === selected);
    }
  }

  // ---- geometry -------------------------------------------------------------------------------------------------

  function layoutOf(view) {
    if (!view) {
      return 'circle';
    }
    const ext = view.extent || [];
    if (view.source_kind === 'SPORTVU' || (view.unit === 'ft' && ext[0] === 94 && ext[1] === 50)) {
      return 'court';
    }
    if (view.system === 'kuramoto' && view.dimensions === 2) {
      return 'phase'; // oscillators as points on the unit circle: where they are is their phase
    }
    return view.dimensions === 3 ? 'skeleton' : 'box';
  }

  // World point -> plane point (before fitting to the picture): top view for 2D and courts, a turned side view
  // for 3D bodies (CMU's y is up).
  function planeOf(layout) {
    if (layout === 'skeleton') {
      const c = Math.cos(AZIMUTH);
      const s = Math.sin(AZIMUTH);
      return (x, y, z) => {
        const zz = Number.isFinite(z) ? z : 0;
        return [x * c - zz * s, y];
      };
    }
    return (x, y) => [x, y];
  }

  function growBounds(scene, layout, view, pts, pose) {
    let b;
    if (layout === 'court') {
      b = { x0: -3, x1: view.extent[0] + 3, y0: -3, y1: view.extent[1] + 3 }; // players step out of bounds
    } else if (layout === 'phase') {
      b = { x0: -1.35, x1: 1.35, y0: -1.35, y1: 1.35 }; // the whole circle, always: a phase can be anywhere on it
    } else if (layout === 'skeleton') {
      // The camera follows the body (a walk crosses the room): centred on the latest pose, its size only growing
      // so the scale stays steady.
      const fin = pose.filter(([u, v]) => Number.isFinite(u) && Number.isFinite(v));
      const us = fin.map((p) => p[0]);
      const vs = fin.map((p) => p[1]);
      const key = scene + '\u0000size';
      const size = bounds.get(key) || { w: 1e-6, h: 1e-6 };
      if (fin.length > 0) {
        size.w = Math.max(size.w, Math.max(...us) - Math.min(...us));
        size.h = Math.max(size.h, Math.max(...vs) - Math.min(...vs));
      }
      bounds.set(key, size);
      const cu = fin.length > 0 ? (Math.max(...us) + Math.min(...us)) / 2 : 0;
      const cv = fin.length > 0 ? (Math.max(...vs) + Math.min(...vs)) / 2 : 0;
      const half = Math.max(size.w, size.h) * 0.7;
      b = { x0: cu - half * 1.6, x1: cu + half * 1.6, y0: cv - half, y1: cv + half };
    } else {
      const key = scene + '\u0000' + layout;
      b = bounds.get(key) || { x0: Infinity, x1: -Infinity, y0: Infinity, y1: -Infinity };
      for (const [u, v] of pts) {
        if (Number.isFinite(u) && Number.isFinite(v)) {
          b.x0 = Math.min(b.x0, u);
          b.x1 = Math.max(b.x1, u);
          b.y0 = Math.min(b.y0, v);
          b.y1 = Math.max(b.y1, v);
        }
      }
      if (!Number.isFinite(b.x0)) {
        b = { x0: -1, x1: 1, y0: -1, y1: 1 };
      }
      bounds.set(key, b);
      // Zoomed to where the agents have been (a simulation box is much larger than its particles' moves).
      const span = Math.max(b.x1 - b.x0, b.y1 - b.y0, 1e-6);
      const mx = span * 0.15;
      const my = span * 0.15;
      b = { x0: b.x0 - mx, x1: b.x1 + mx, y0: b.y0 - my, y1: b.y1 + my };
    }
    return b;
  }

  // Plane bounds -> picture transform keeping the aspect ratio; y grows upwards except on the court (SportVU's y
  // is measured from the sideline at the top of the usual court diagrams).
  function fit(b, yDown) {
    const s = Math.min((W - 2 * PAD) / (b.x1 - b.x0 || 1), (H - 2 * PAD) / (b.y1 - b.y0 || 1));
    const ox = (W - s * (b.x1 - b.x0)) / 2;
    const oy = (H - s * (b.y1 - b.y0)) / 2;
    const f = (u, v) => [ox + (u - b.x0) * s, yDown ? oy + (v - b.y0) * s : oy + (b.y1 - v) * s];
    f.scale = s;
    f.box = [ox, oy, s * (b.x1 - b.x0), s * (b.y1 - b.y0)];
    return f;
  }

  // ---- drawing --------------------------------------------------------------------------------------------------

  function drawCourt(g, f) {
    const line = { fill: 'none', stroke: '#b98b57', 'stroke-width': 1.5 };
    const P = (x, y) => f(x, y);
    const [ox, oy] = P(0, 0);
    const [ex, ey] = P(94, 50);
    g.appendChild(svg('rect', { x: ox, y: oy, width: ex - ox, height: ey - oy, fill: '#f3e3c7', stroke: '#b98b57',
      'stroke-width': 2 }));
    const poly = (pts) => svg('polyline', Object.assign({ points: pts.map((p) => P(p[0], p[1]).join(',')).join(' ') },
      line));
    g.appendChild(poly([[47, 0], [47, 50]]));
    const c = P(47, 25);
    g.appendChild(svg('circle', Object.assign({ cx: c[0], cy: c[1], r: 6 * f.scale }, line)));
    for (const side of [0, 1]) {
      const X = (x) => (side === 0 ? x : 94 - x);
      g.appendChild(poly([[X(0), 17], [X(19), 17], [X(19), 33], [X(0), 33]]));
      const ft = P(X(19), 25);
      g.appendChild(svg('circle', Object.assign({ cx: ft[0], cy: ft[1], r: 6 * f.scale }, line)));
      const rim = P(X(5.25), 25);
      g.appendChild(svg('circle', Object.assign({ cx: rim[0], cy: rim[1], r: 0.75 * f.scale }, line)));
      const a = P(X(14), 3);
      const b = P(X(14), 47);
      g.appendChild(poly([[X(0), 3], [X(14), 3]]));
      g.appendChild(poly([[X(0), 47], [X(14), 47]]));
      const r = 23.75 * f.scale;
      g.appendChild(svg('path', Object.assign({
        d: `M ${a[0]} ${a[1]} A ${r} ${r} 0 0 ${side === 0 ? 1 : 0} ${b[0]} ${b[1]}` }, line)));
    }
  }

  // Kuramoto oscillators: the unit circle they move on, with phase 0 marked, instead of a box they never leave.
  function drawPhaseCircle(g, f) {
    const [ox, oy, w, h] = f.box;
    g.appendChild(svg('rect', { x: ox, y: oy, width: w, height: h, fill: '#fbfcfd', stroke: '#e3e6eb',
      'stroke-width': 1, rx: 4 }));
    const c = f(0, 0);
    g.appendChild(svg('circle', { class: 'unit-circle', cx: c[0], cy: c[1], r: f.scale, fill: 'none',
      stroke: '#9aa3b1', 'stroke-width': 2 }));
    const a = f(0.94, 0);
    const b = f(1.06, 0);
    g.appendChild(svg('line', { x1: a[0], y1: a[1], x2: b[0], y2: b[1], stroke: '#69707d', 'stroke-width': 2 }));
    const t = f(1.1, 0);
    g.appendChild(svg('text', { x: t[0], y: t[1] + 4, 'font-size': 11, fill: '#69707d' }, '\u03c6 = 0'));
    g.appendChild(svg('text', { x: ox + 12, y: oy + h - 12, 'font-size': 11, fill: '#69707d' },
      'phase on the unit circle (cos \u03c6, sin \u03c6)'));
  }

  // Points in the plane read as phases (their angles), each step taken the short way round, drawn along a spiral
  // from radius r0 (the first point) to r1 (the last), so a trail never cuts across the circle.
  function phaseTrail(pts, r0, r1) {
    const fin = pts.filter((q) => Number.isFinite(q[0]) && Number.isFinite(q[1]));
    const out = [];
    let prev = null;
    fin.forEach((q, k) => {
      let a = Math.atan2(q[1], q[0]);
      if (prev !== null) {
        a = prev + Math.atan2(Math.sin(a - prev), Math.cos(a - prev));
      }
      const sub = prev === null ? 1 : 8;
      for (let j = sub; j >= 1; j--) {
        const t = (k - (j - 1) / sub) / Math.max(fin.length - 1, 1);
        const aa = prev === null ? a : a - ((j - 1) / sub) * (a - prev);
        const r = r0 + (r1 - r0) * t;
        out.push([r * Math.cos(aa), r * Math.sin(aa)]);
      }
      prev = a;
    });
    return out;
  }

  // The picture's area, and the walls of the coordinate system's extent where they are in view.
  function drawBox(g, f, view) {
    const [ox, oy, w, h] = f.box;
    g.appendChild(svg('rect', { x: ox, y: oy, width: w, height: h, fill: '#fbfcfd', stroke: '#e3e6eb',
      'stroke-width': 1, rx: 4 }));
    if (view && view.extent && view.extent.length >= 2 && view.dimensions === 2) {
      const x0 = view.origin === 'center' ? -view.extent[0] / 2 : 0;
      const y0 = view.origin === 'center' ? -view.extent[1] / 2 : 0;
      const a = f(x0, y0 + view.extent[1]);
      const b = f(x0 + view.extent[0], y0);
      const clip = svg('clipPath', { id: 'field-clip' });
      clip.appendChild(svg('rect', { x: ox, y: oy, width: w, height: h }));
      g.appendChild(clip);
      g.appendChild(svg('rect', { x: a[0], y: a[1], width: b[0] - a[0], height: b[1] - a[1], fill: 'none',
        stroke: '#9aa3b1', 'stroke-width': 2, 'clip-path': 'url(#field-clip)' }));
    }
    // Scale bar: one unit of the coordinate system.
    const unit = Math.pow(10, Math.floor(Math.log10((w / f.scale) / 4)));
    const y = oy + h - 12;
    g.appendChild(svg('line', { x1: ox + 12, y1: y, x2: ox + 12 + unit * f.scale, y2: y, stroke: '#69707d',
      'stroke-width': 2 }));
    g.appendChild(svg('text', { x: ox + 12, y: y - 5, 'font-size': 11, fill: '#69707d' },
      unit + ' ' + (view ? view.unit : '')));
  }

  function typeColours(names, noEdge) {
    const colours = [];
    let k = 0;
    for (let i = 0; i < names.length; i++) {
      colours.push(i === noEdge ? null : TYPE_COLOURS[k++ % TYPE_COLOURS.length]);
    }
    return colours;
  }

  // Unsupervised edge types have no fixed meaning: match each inferred type to the true label that fits best,
  // one assignment for the whole graph (as the demo's edge accuracy does), then an edge is wrong when its
  // matched label differs from the truth.
  function typeMatching(graph, truth) {
    const k = graph.edge_type_names.length;
    const labels = new Set();
    const pairs = [];
    for (const e of graph.edges) {
      const t = truth.get(e.sender + '\u0000' + e.receiver);
      if (t !== undefined) {
        pairs.push([e.edge_type, t]);
        labels.add(t);
      }
    }
    if (pairs.length === 0) {
      return null;
    }
    const m = Math.max(k, Math.max(...labels) + 1);
    if (m > 7) {
      return Array.from({ length: k }, (_, i) => i);
    }
    let best = null;
    let bestHits = -1;
    const perm = [];
    const used = new Array(m).fill(false);
    const search = (i) => {
      if (i === k) {
        let hits = 0;
        for (const [p, t] of pairs) {
          if (perm[p] === t) {
            hits++;
          }
        }
        if (hits > bestHits) {
          bestHits = hits;
          best = perm.slice();
        }
        return;
      }
      for (let v = 0; v < m; v++) {
        if (!used[v]) {
          used[v] = true;
          perm[i] = v;
          search(i + 1);
          used[v] = false;
        }
      }
    };
    search(0);
    return best;
  }

  function arrowMarkers(defs, colours) {
    const all = colours.map((c, i) => [i, c]).filter(([, c]) => c);
    all.push(['wrong', WRONG]);
    for (const [i, c] of all) {
      const m = svg('marker', { id: 'arrow-' + i, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9,
        markerHeight: 9, orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse' });
      m.appendChild(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: c }));
      defs.appendChild(m);
    }
  }

  // A directed edge as a slight arc, so the two directions of a pair are both visible; ends stop at the circles.
  function arc(a, b, r) {
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const len = Math.hypot(dx, dy) || 1;
    const ux = dx / len;
    const uy = dy / len;
    const s = [a[0] + ux * r, a[1] + uy * r];
    const t = [b[0] - ux * (r + 2), b[1] - uy * (r + 2)];
    const bend = Math.min(0.12 * len, 26);
    const c = [(s[0] + t[0]) / 2 - uy * bend, (s[1] + t[1]) / 2 + ux * bend];
    return `M ${s[0].toFixed(1)} ${s[1].toFixed(1)} Q ${c[0].toFixed(1)} ${c[1].toFixed(1)} ${t[0].toFixed(1)} ${t[1].toFixed(1)}`;
  }

  function render(live) {
    const field = byId('field');
    clear(field);
    const view = live.view;
    const graph = live.graph;
    const noEdge = live.no_edge_type;
    const layout = layoutOf(view);
    const plane = planeOf(layout);
    field.setAttribute('data-scene', live.scene_id);
    field.setAttribute('data-layout', layout);
    field.setAttribute('data-window-end-ms', graph ? graph.window_end_ms : '');

    byId('scene-title').textContent = live.scene_id;
    const meta = [];
    if (view) {
      meta.push(view.source_kind.toLowerCase() + ' · ' + view.dimensions + 'D · unit ' + view.unit);
      meta.push('frame ' + view.frame_index + ' · ' + view.ids.length + ' agents');
    }
    if (graph) {
      meta.push('graph of frames ' + graph.window_start_frame + '–' + graph.window_end_frame);
    }
    byId('scene-meta').textContent = meta.join(' · ');

    // Agent positions in the plane: from the latest frame, else on a circle (a graph without frames yet).
    const pos = new Map();
    const pts = [];
    const agentIds = view ? view.ids : graph ? graph.agent_ids : [];
    if (view) {
      view.ids.forEach((id, i) => {
        const p = plane(num(view.x[i]), num(view.y[i]), view.z ? num(view.z[i]) : NaN);
        pos.set(id, p);
        pts.push(p);
      });
      for (const pp of view.path) {
        view.path_ids.forEach((id, i) => pts.push(plane(num(pp.x[i]), num(pp.y[i]), pp.z ? num(pp.z[i]) : NaN)));
      }
      if (view.forecast) {
        for (const a of view.forecast.agents) {
          a.x.forEach((x, k) => pts.push(plane(num(x), num(a.y[k]), a.z ? num(a.z[k]) : NaN)));
        }
      }
    } else if (graph) {
      graph.agent_ids.forEach((id, i) => {
        const t = (2 * Math.PI * i) / graph.agent_ids.length;
        const p = [Math.cos(t), Math.sin(t)];
        pos.set(id, p);
        pts.push(p);
      });
    }
    const b = growBounds(live.scene_id, layout, view, pts, [...pos.values()]);
    const f = fit(b, layout === 'court');
    const P = (p) => f(p[0], p[1]);

    const defs = svg('defs');
    field.appendChild(defs);
    const ground = svg('g', { class: 'ground' });
    field.appendChild(ground);
    if (layout === 'court') {
      drawCourt(ground, f);
    } else if (layout === 'phase') {
      drawPhaseCircle(ground, f);
    } else {
      drawBox(ground, f, view);
    }

    const clip = svg('clipPath', { id: 'view-clip' });
    clip.appendChild(svg('rect', { x: f.box[0], y: f.box[1], width: f.box[2], height: f.box[3] }));
    defs.appendChild(clip);
    const layers = svg('g', { 'clip-path': 'url(#view-clip)' });
    field.appendChild(layers);

    // Skeleton bones (mocap): each joint to its nearest present ancestor.
    if (layout === 'skeleton') {
      const bones = svg('g', { class: 'bones' });
      for (const id of agentIds) {
        let parent = CMU_PARENT[id];
        while (parent && !pos.has(parent)) {
          parent = CMU_PARENT[parent];
        }
        if (parent && pos.has(id)) {
          const a = P(pos.get(id));
          const c = P(pos.get(parent));
          bones.appendChild(svg('line', { x1: a[0], y1: a[1], x2: c[0], y2: c[1], stroke: '#7d8796',
            'stroke-width': 4, 'stroke-linecap': 'round' }));
        }
      }
      layers.appendChild(bones);
    }

    // Actual recent path (grey) and the forecast trail (orange, dashed) per agent. On the phase circle straight
    // lines would be chords across it: there the path spirals inwards with age and the forecast outwards.
    const phase = layout === 'phase';
    if (view) {
      const paths = svg('g', { class: 'paths' });
      view.path_ids.forEach((id, i) => {
        const world = view.path.map((pp) => plane(num(pp.x[i]), num(pp.y[i]), pp.z ? num(pp.z[i]) : NaN));
        const p = (phase ? phaseTrail(world, 0.7, 1) : world).map(P)
          .filter((q) => Number.isFinite(q[0]) && Number.isFinite(q[1]));
        if (p.length > 1) {
          paths.appendChild(svg('polyline', { class: 'path', 'data-agent': id, points: p.map((q) => q.join(',')).join(' '),
            fill: 'none', stroke: '#8d96a5', 'stroke-width': 1.5, opacity: 0.7 }));
        }
      });
      layers.appendChild(paths);
      if (view.forecast) {
        const fc = svg('g', { class: 'forecasts' });
        // The trail starts where the agent was at the forecast's origin, when the path still holds that instant.
        const origin = view.path.reduce((best, pp) => (best === null
          || Math.abs(pp.time_ms - view.forecast.origin_time_ms) < Math.abs(best.time_ms - view.forecast.origin_time_ms)
          ? pp : best), null);
        const originOk = origin !== null
          && Math.abs(origin.time_ms - view.forecast.origin_time_ms) <= view.forecast.step_period_ms / 2;
        for (const a of view.forecast.agents) {
          let p = a.x.map((x, k) => plane(num(x), num(a.y[k]), a.z ? num(a.z[k]) : NaN));
          const i = view.path_ids.indexOf(a.agent_id);
          if (originOk && i >= 0) {
            p.unshift(plane(num(origin.x[i]), num(origin.y[i]), origin.z ? num(origin.z[i]) : NaN));
          }
          p = (phase ? phaseTrail(p, 1, 1.15) : p).map(P);
          p.splice(0, p.length, ...p.filter((q) => Number.isFinite(q[0]) && Number.isFinite(q[1])));
          if (p.length > 0) {
            fc.appendChild(svg('polyline', { class: 'forecast', 'data-agent': a.agent_id,
              points: p.map((q) => q.join(',')).join(' '), fill: 'none', stroke: FORECAST, 'stroke-width': 2,
              'stroke-dasharray': '4 3' }));
            const last = p[p.length - 1];
            fc.appendChild(svg('circle', { cx: last[0], cy: last[1], r: 2.5, fill: FORECAST }));
          }
        }
        layers.appendChild(fc);
      }
    }

    // Inferred edges: colour by type, opacity by probability, no-edge hidden; wrong ones red and dashed.
    const names = graph ? graph.edge_type_names : [];
    const colours = typeColours(names, noEdge);
    arrowMarkers(defs, colours);
    const truth = new Map();
    if (view) {
      for (const t of view.ground_truth) {
        truth.set(t.sender + '\u0000' + t.receiver, t.edge_type);
      }
    }
    const matching = graph && truth.size > 0 ? typeMatching(graph, truth) : null;
    let right = 0;
    let judged = 0;
    const radius = layout === 'skeleton' ? 4 : 9;
    if (graph) {
      const edges = svg('g', { class: 'edges' });
      for (const e of graph.edges) {
        const a = pos.get(e.sender);
        const c = pos.get(e.receiver);
        const t = truth.get(e.sender + '\u0000' + e.receiver);
        const wrong = matching !== null && t !== undefined && matching[e.edge_type] !== t;
        if (matching !== null && t !== undefined) {
          judged++;
          right += wrong ? 0 : 1;
        }
        if (!a || !c) {
          continue;
        }
        const prob = num((e.probabilities || [])[e.edge_type]);
        const attrs = { 'data-sender': e.sender, 'data-receiver': e.receiver, 'data-type': e.edge_type,
          'data-prob': Number.isFinite(prob) ? prob.toFixed(3) : '', d: arc(P(a), P(c), radius), fill: 'none' };
        if (e.edge_type === noEdge) {
          if (wrong) { // a true interaction the model missed
            edges.appendChild(svg('path', Object.assign(attrs, { class: 'missed', stroke: WRONG, 'stroke-width': 1.5,
              'stroke-dasharray': '2 4', opacity: 0.8 })));
          }
          continue;
        }
        const colour = wrong ? WRONG : colours[e.edge_type] || '#555';
        const opacity = Number.isFinite(prob) ? 0.15 + 0.85 * prob : 1;
        const path = svg('path', Object.assign(attrs, { class: 'edge', 'data-wrong': wrong, stroke: colour,
          'stroke-width': 2.5, opacity: opacity.toFixed(3),
          'marker-end': 'url(#arrow-' + (wrong ? 'wrong' : e.edge_type) + ')' }));
        if (wrong) {
          path.setAttribute('stroke-dasharray', '7 4');
        }
        path.appendChild(svg('title', {}, e.sender + ' → ' + e.receiver + ': ' + names[e.edge_type]
          + (Number.isFinite(prob) ? ' (p = ' + prob.toFixed(2) + ')' : '') + (wrong ? ' — wrong' : '')));
        edges.appendChild(path);
      }
      layers.appendChild(edges);
    }

    // Agents on top.
    const agents = svg('g', { class: 'agents' });
    const teams = view ? [...new Set(view.teams.filter((t) => t))] : [];
    agentIds.forEach((id, i) => {
      const p = pos.get(id);
      if (!p) {
        return;
      }
      const q = P(p);
      if (!Number.isFinite(q[0]) || !Number.isFinite(q[1])) {
        return;
      }
      const team = view ? view.teams[i] : null;
      const fill = id === 'ball' ? '#e8731c' : team ? TEAM_COLOURS[teams.indexOf(team) % 2] : '#27344a';
      const g = svg('g', { class: 'agent', 'data-agent': id });
      g.appendChild(svg('circle', { cx: q[0], cy: q[1], r: radius, fill, stroke: '#fff', 'stroke-width': 1.5 }));
      g.appendChild(svg('title', {}, id + (team ? ' (team ' + team + ')' : '')));
      if (layout !== 'skeleton') {
        g.appendChild(svg('text', { x: q[0] + radius + 3, y: q[1] - radius + 2, 'font-size': 12, fill: '#27344a' },
          id));
      }
      agents.appendChild(g);
    });
    layers.appendChild(agents);

    renderSide(live, names, colours, noEdge, judged, right);
  }

  function legendSwatch(colour, dash, opacity) {
    const s = svg('svg', { width: 30, height: 10, viewBox: '0 0 30 10' });
    s.appendChild(svg('line', { x1: 1, y1: 5, x2: 29, y2: 5, stroke: colour, 'stroke-width': 3,
      'stroke-dasharray': dash || 'none', opacity: opacity === undefined ? 1 : opacity }));
    return s;
  }

  function renderSide(live, names, colours, noEdge, judged, right) {
    const graph = live.graph;
    const view = live.view;
    byId('model').textContent = graph ? graph.model_id : view && view.forecast ? view.forecast.model_id : '–';
    const legend = byId('legend');
    clear(legend);
    names.forEach((name, i) => {
      const li = html('li', i === noEdge ? 'hidden-type' : '');
      li.setAttribute('data-type', i);
      li.appendChild(i === noEdge ? legendSwatch('#c9ced6', '1 4') : legendSwatch(colours[i]));
      li.appendChild(html('span', '', i === noEdge ? name + ' (no edge: hidden)' : name));
      legend.appendChild(li);
    });
    if (names.length > 0) {
      const hint = html('li', 'hidden-type');
      hint.appendChild(legendSwatch('#555', null, 0.3));
      hint.appendChild(html('span', '', 'opacity: probability of the type'));
      legend.appendChild(hint);
    }
    if (judged > 0) {
      const w = html('li');
      w.appendChild(legendSwatch(WRONG, '7 4'));
      w.appendChild(html('span', '', 'wrong vs. ground truth (dotted: missed)'));
      legend.appendChild(w);
    }
    const p = html('li');
    p.appendChild(legendSwatch('#8d96a5'));
    p.appendChild(html('span', '', 'actual path'));
    legend.appendChild(p);
    if (view && view.forecast) {
      const fl = html('li');
      fl.appendChild(legendSwatch(FORECAST, '4 3'));
      fl.appendChild(html('span', '', 'forecast, ' + view.forecast.horizon + ' steps × '
        + Math.round(view.forecast.step_period_ms) + ' ms'));
      legend.appendChild(fl);
    }
    byId('accuracy').textContent = judged > 0
      ? 'edges right vs. ground truth: ' + right + ' / ' + judged + ' (' + ((100 * right) / judged).toFixed(1) + '%)'
      : '';
    renderErrorChart(live.forecast_error);
  }

  function renderErrorChart(fe) {
    const chart = byId('error-chart');
    clear(chart);
    const means = fe ? fe.mean_error_by_step.map(num) : [];
    const finite = means.filter(Number.isFinite);
    if (finite.length === 0) {
      chart.appendChild(svg('text', { x: 150, y: 85, 'text-anchor': 'middle', 'font-size': 12, fill: '#69707d' },
        'no forecast scored yet'));
      byId('error-meta').textContent = '';
      return;
    }
    const x0 = 44;
    const y0 = 140;
    const w = 245;
    const h = 120;
    const max = Math.max(...finite) * 1.1 || 1;
    chart.appendChild(svg('line', { x1: x0, y1: y0, x2: x0 + w, y2: y0, stroke: '#c9ced6' }));
    chart.appendChild(svg('line', { x1: x0, y1: y0, x2: x0, y2: y0 - h, stroke: '#c9ced6' }));
    for (const frac of [0.5, 1]) {
      const y = y0 - h * frac;
      chart.appendChild(svg('line', { x1: x0, y1: y, x2: x0 + w, y2: y, stroke: '#eef0f3' }));
      chart.appendChild(svg('text', { x: x0 - 4, y: y + 4, 'text-anchor': 'end', 'font-size': 10, fill: '#69707d' },
        (max * frac).toPrecision(2)));
    }
    const bw = w / means.length;
    means.forEach((m, i) => {
      const x = x0 + i * bw;
      if (Number.isFinite(m)) {
        const bh = (h * m) / max;
        const bar = svg('rect', { class: 'error-bar', 'data-step': i + 1, 'data-error': m, x: x + bw * 0.15,
          y: y0 - bh, width: bw * 0.7, height: bh, fill: FORECAST, opacity: 0.85 });
        bar.appendChild(svg('title', {}, 'step ' + (i + 1) + ': ' + m.toPrecision(3) + ' ' + (fe.unit || '')));
        chart.appendChild(bar);
      }
      chart.appendChild(svg('text', { x: x + bw / 2, y: y0 + 13, 'text-anchor': 'middle', 'font-size': 10,
        fill: '#69707d' }, i + 1));
    });
    chart.appendChild(svg('text', { x: x0 + w / 2, y: 166, 'text-anchor': 'middle', 'font-size': 10,
      fill: '#69707d' }, 'step'));
    chart.appendChild(svg('text', { x: 10, y: y0 - h / 2, 'font-size': 10, fill: '#69707d', 'text-anchor': 'middle',
      transform: `rotate(-90 10 ${y0 - h / 2})` }, 'mean error (' + (fe.unit || '?') + ')'));
    byId('error-meta').textContent = fe.errors_in_window + ' step errors in the last ' + Math.round(fe.window_ms / 1000)
      + ' s of scene time · mean ' + num(fe.mean_error).toPrecision(3) + ' ' + (fe.unit || '');
  }

  function renderEmpty() {
    clear(byId('field'));
    byId('field').setAttribute('data-scene', '');
    byId('scene-title').textContent = '–';
    byId('scene-meta').textContent = '';
  }

  function setStatus(text, error) {
    const s = byId('status');
    s.textContent = text;
    s.classList.toggle('error', !!error);
  }

  let timer = null;

  async function tick(schedule = true) {
    try {
      const s = await getJson('scenes');
      const wanted = selectedFromHash();
      if (wanted !== null && s.scenes.includes(wanted)) {
        selected = wanted;
      }
      if (selected === null || !s.scenes.includes(selected)) {
        selected = s.scenes.length > 0 ? s.scenes[0] : null;
      }
      renderSceneList(s.scenes);
      if (selected !== null) {
        render(await getJson('scenes/' + encodeURIComponent(selected) + '/live'));
      } else {
        renderEmpty();
      }
      setStatus('live · ' + s.scenes.length + ' scene' + (s.scenes.length === 1 ? '' : 's') + ' · updated '
        + new Date().toLocaleTimeString());
    } catch (e) {
      setStatus('not updating: ' + e.message, true);
    }
    if (schedule) {
      clearTimeout(timer);
      timer = setTimeout(tick, POLL_MS);
    }
  }

  tick();
})();
