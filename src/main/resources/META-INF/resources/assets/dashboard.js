// Herd's dashboard: one server-sent event stream (/api/v1/stream) of JSON frames, drawn with plain
// DOM and inline SVG. No framework and nothing fetched from elsewhere, so it works offline.
'use strict';
(() => {
  const HOUR = 3600 * 1000;
  const STALE_AFTER = 15 * 1000;   // Herd pushes at least one frame per sample (5 s by default)
  const GAP = 30 * 1000;           // samples further apart than this are not joined (Herd was down)
  const RETRY = 5 * 1000;          // a refused stream (503) is retried after this

  const state = { fleet: null, frameTime: 0, receivedAt: 0, frames: 0, history: new Map(), windowMinutes: 60, pointer: null };
  const WINDOWS = [5, 15, 60];
  const byId = (id) => document.getElementById(id);

  // ---- building DOM and SVG without innerHTML (names and messages come from files and workers)
  function make(ns, tag, attrs, children) {
    const node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') node.textContent = v;
      else if (k === 'style' && typeof v === 'object') Object.entries(v).forEach(([p, x]) => node.style.setProperty(p, x));
      else node.setAttribute(k, v);
    }
    for (const c of children.flat()) {
      if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : String(c));
    }
    return node;
  }
  const el = (tag, attrs, ...children) => make(null, tag, attrs, children);
  const svg = (tag, attrs, ...children) => make('http://www.w3.org/2000/svg', tag, attrs, children);

  // ---- words and numbers
  const words = (camel) => camel.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().replace(/^./, (c) => c.toUpperCase());
  const count = (n) => Number(n).toLocaleString('en-US');
  function age(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return s + 's';
    if (s < 3600) return Math.floor(s / 60) + 'm';
    if (s < 86400) return Math.floor(s / 3600) + 'h';
    return Math.floor(s / 86400) + 'd';
  }
  const clock = (iso) => new Date(iso).toLocaleTimeString('en-GB', { hour12: false });
  const serverNow = () => state.frameTime + (Date.now() - state.receivedAt);

  // ---- history: samples appended by time, an hour kept
  function merge(seriesList) {
    for (const s of seriesList) {
      let h = state.history.get(s.pool);
      if (!h) state.history.set(s.pool, h = { t: [], q: [], f: [], d: [], c: [], r: [] });
      const last = h.t.length ? h.t[h.t.length - 1] : -Infinity;
      for (let i = 0; i < s.time.length; i++) {
        if (s.time[i] <= last) continue;
        h.t.push(s.time[i]); h.q.push(s.queued[i]); h.f.push(s.inFlight[i]);
        h.d.push(s.desired[i]); h.c.push(s.current[i]); h.r.push(s.ready[i]);
      }
      const cut = h.t.findIndex((t) => t >= h.t[h.t.length - 1] - HOUR - 60 * 1000);
      if (cut > 0) for (const k of Object.keys(h)) h[k].splice(0, cut);
    }
  }

  // ---- a pool's state in one word and a tone
  const condition = (pool, type) => pool.conditions.find((c) => c.type === type);
  const holds = (pool, type) => { const c = condition(pool, type); return !!c && c.status; };
  function verdict(pool) {
    if (holds(pool, 'ConfigInvalid')) return { text: 'Config invalid', tone: 'bad' };
    if (holds(pool, 'Conflict')) return { text: 'Name conflict', tone: 'bad' };
    if (holds(pool, 'Degraded')) {
      const c = condition(pool, 'Degraded');
      return { text: c.reason === 'CrashLoopBackOff' ? 'Crash loop' : 'Degraded', tone: 'bad' };
    }
    const scaling = condition(pool, 'ScalingActive');
    if (scaling && !scaling.status) return { text: 'Scaling held', tone: 'warn' };
    if (holds(pool, 'Progressing')) return { text: words(condition(pool, 'Progressing').reason), tone: 'info' };
    if (pool.desiredReplicas === 0) return { text: 'Scaled to zero', tone: 'idle' };
    if (holds(pool, 'Ready')) return { text: 'Ready', tone: 'ok' };
    return { text: 'Not ready', tone: 'warn' };
  }
  // conditions worth a person's attention, with the sentence that says what to do
  function alerts(pool) {
    const out = [];
    for (const c of pool.conditions) {
      const bad = (['Degraded', 'ConfigInvalid', 'Conflict'].includes(c.type) && c.status)
        || (c.type === 'ScalingActive' && !c.status)
        || (c.type === 'Ready' && !c.status && pool.desiredReplicas > 0 && !holds(pool, 'Progressing'));
      if (bad) out.push(c);
    }
    return out;
  }
  const PHASE_COLOUR = {
    Ready: 'var(--ok)', Starting: 'var(--info)', Outdated: 'var(--warn)',
    Down: 'var(--bad)', CrashLoopBackOff: 'var(--bad)', ProcessLost: 'var(--bad)', Terminating: 'var(--muted)', Parked: 'var(--muted)',
  };

  // ---- charts: the chosen window (an hour by default), inline SVG drawn at the size it is shown
  const HEIGHT = 150, L = 34, R = 10, T = 10, B = 20;
  function niceMax(v) {
    if (v <= 1) return 1;
    for (let p = 1; ; p *= 10) {
      for (const m of [2, 4, 6, 8, 10]) if (m * p >= v) return m * p;
    }
  }
  // one path per run of samples without a gap; step: hold each value until the next sample
  function paths(ts, ys, x, y, step) {
    const runs = [];
    let d = '';
    for (let i = 0; i < ts.length; i++) {
      const px = x(ts[i]).toFixed(1), py = y(ys[i]).toFixed(1);
      if (i === 0 || ts[i] - ts[i - 1] > GAP) {
        if (d) runs.push(d);
        d = `M${px},${py}`;
      } else {
        d += step ? `H${px}V${py}` : `L${px},${py}`;
      }
    }
    if (d) runs.push(d);
    return runs;
  }
  // the area under a run: down from its last point, back along the baseline, up to its first
  function area(run, baseline) {
    const first = run.match(/^M([\d.]+)/)[1];
    return `${run}V${baseline}H${first}Z`;
  }
  function drawChart(node, ts, lines, now) {
    const width = Math.max(200, node.clientWidth);
    const span = state.windowMinutes * 60 * 1000;
    const from = now - span;
    const start = Math.max(0, ts.findIndex((t) => t >= from) - 1); // the sample before the window leads the line in
    const shownTs = start < 0 ? [] : ts.slice(start);
    const max = niceMax(Math.max(1, ...lines.flatMap((l) => l.ys.slice(start))));
    const x = (t) => Math.max(L, L + ((t - from) / span) * (width - L - R));
    const y = (v) => T + (1 - v / max) * (HEIGHT - T - B);
    const g = [];
    for (const v of max === 1 ? [0, 1] : [0, max / 2, max]) { // counts: whole numbers only
      g.push(svg('line', { class: 'grid', x1: L, x2: width - R, y1: y(v), y2: y(v) }));
      g.push(svg('text', { x: L - 6, y: y(v) + 3.5, 'text-anchor': 'end', text: v }));
    }
    const step = { 5: 1, 15: 5, 60: 15 }[state.windowMinutes] * 60 * 1000;
    for (let ago = span; ago >= 0; ago -= step) {
      g.push(svg('text', {
        x: L + ((span - ago) / span) * (width - L - R), y: HEIGHT - 4,
        'text-anchor': ago === span ? 'start' : ago === 0 ? 'end' : 'middle',
        text: ago === 0 ? 'now' : `−${Math.round(ago / 60000)}m`,
      }));
    }
    for (const line of lines) {
      for (const run of paths(shownTs, line.ys.slice(start), x, y, line.step)) {
        if (line.fill) g.push(svg('path', { d: area(run, y(0).toFixed(1)), fill: line.colour, 'fill-opacity': 0.16, stroke: 'none' }));
        g.push(svg('path', {
          d: run, fill: 'none', stroke: line.colour, 'stroke-width': line.width || 1.8,
          'stroke-dasharray': line.dashed ? '5 4' : null, 'stroke-linejoin': 'round',
        }));
      }
    }
    // the pointer's time, shared by every chart: a line there, and the keys give the values then
    let at = ts.length - 1;
    if (state.pointer !== null && state.pointer >= from && state.pointer <= now) {
      at = Math.max(0, ts.findIndex((t) => t > state.pointer) - 1);
      if (ts[ts.length - 1] <= state.pointer) at = ts.length - 1;
      g.push(svg('line', { class: 'cursor', x1: x(ts[at]), x2: x(ts[at]), y1: T, y2: HEIGHT - B }));
    }
    const plot = node.querySelector('svg');
    plot.replaceChildren(...g);
    plot.setAttribute('viewBox', `0 0 ${width} ${HEIGHT}`);
    plot.onmousemove = (e) => {
      const box = plot.getBoundingClientRect();
      state.pointer = from + ((e.clientX - box.left - L) / (box.width - L - R)) * span;
      redrawSoon();
    };
    plot.onmouseleave = () => { state.pointer = null; redrawSoon(); };
    const when = at === ts.length - 1 ? 'now' : clock(new Date(ts[at]).toISOString());
    node.querySelector('.when').textContent = when;
    node.querySelectorAll('.key').forEach((k, i) => { k.textContent = `${lines[i].label} ${count(lines[i].ys[at] ?? 0)}`; });
  }
  function redrawCharts() {
    byId('pools').querySelectorAll('div.chart').forEach((c) => c.draw());
  }
  let redrawPending = false;
  function redrawSoon() { // at most once per animation frame, however fast the pointer moves
    if (!redrawPending) {
      redrawPending = true;
      requestAnimationFrame(() => { redrawPending = false; redrawCharts(); });
    }
  }
  // a chart's frame now; its lines are drawn once it is in the page and has a width
  function chart(title, ts, lines, now) {
    const keys = lines.map((l) => el('span', { class: 'key' + (l.dashed ? ' dashed' : ''), style: { '--c': l.colour } }));
    const node = el('div', { class: 'chart' },
      el('div', { class: 'chart-title' }, el('b', { text: title }), el('span', { class: 'when' }), keys),
      svg('svg', { class: 'plot', role: 'img', 'aria-label': `${title}, last ${state.windowMinutes} minutes` }));
    node.draw = () => drawChart(node, ts, lines, now);
    return node;
  }

  // ---- one pool's card
  function stat(field, label, value, extra, unknown) {
    return el('div', { class: 'stat' + (unknown ? ' unknown' : ''), 'data-field': field },
      el('div', { class: 'label', text: label }),
      el('div', { class: 'value' }, el('span', { class: 'n', text: value }), extra ? el('small', { text: extra }) : null));
  }
  function poolCard(pool, now) {
    const v = verdict(pool);
    const a = pool.autoscaling;
    const mode = a ? `autoscaled ${a.minReplicas}–${a.maxReplicas} · ${a.targetQueueLengthPerReplica} jobs per worker`
      : `fixed at ${pool.desiredReplicas}`;
    const override = pool.override ? ` · manual ${pool.override.replicas} until ${clock(pool.override.until)}` : '';
    const q = pool.queue;
    const h = state.history.get(pool.name) || { t: [], q: [], f: [], d: [], c: [], r: [] };
    // the samples, then the pool as it is now, so the charts end at the live values
    const ts = [...h.t, now];
    const series = (key, live) => [...h[key], live];
    const queueChart = chart('Queue', ts, [
      { label: 'queued', colour: 'var(--info)', ys: series('q', q.queued), fill: true },
      { label: 'in flight', colour: 'var(--violet)', ys: series('f', q.inFlight) },
    ], now);
    const replicaChart = chart('Replicas', ts, [
      { label: 'ready', colour: 'var(--ok)', ys: series('r', pool.readyReplicas), fill: true, step: true },
      { label: 'current', colour: 'var(--text)', ys: series('c', pool.currentReplicas), step: true, width: 1.2 },
      { label: 'desired', colour: 'var(--warn)', ys: series('d', pool.desiredReplicas), step: true, dashed: true },
    ], now);
    const workers = pool.workers.length === 0 ? el('span', { class: 'no-workers', text: 'no workers' })
      : pool.workers.map((w) => el('span', {
        class: 'worker', 'data-phase': w.phase, style: { '--c': PHASE_COLOUR[w.phase] || 'var(--muted)' },
        title: `${w.name}: ${w.phase} (Zinit ${w.state}${w.pid ? ', pid ' + w.pid : ''}), template ${w.templateHash}`,
      }, w.name, el('span', { class: 'meta', text: `${w.phase === 'Ready' ? '' : words(w.phase) + ' · '}${age(now - Date.parse(w.firstSeen))}${w.restarts ? ' · ↻' + w.restarts : ''}` })));
    const warnings = alerts(pool).map((c) => el('div', {
      class: 'alert', style: { '--c': c.type === 'ScalingActive' || c.type === 'Ready' ? 'var(--warn)' : 'var(--bad)' },
    }, el('b', { text: `${words(c.reason)}: ` }), c.message));
    return el('article', { class: 'panel pool', 'data-pool': pool.name, 'data-health': v.tone },
      el('div', { class: 'pool-info' },
      el('div', { class: 'pool-head' },
        el('span', { class: 'pool-name', text: pool.name }),
        el('span', { class: 'pool-mode', text: mode + override }),
        el('span', { class: `badge ${v.tone}`, 'data-field': 'verdict', text: v.text })),
      el('div', { class: 'stats' },
        stat('ready', 'Ready', pool.readyReplicas, ` / ${pool.desiredReplicas}`),
        stat('current', 'Current', pool.currentReplicas),
        stat('updated', 'Updated', pool.updatedReplicas),
        stat('queued', 'Queued', q.known ? count(q.queued) : '–', null, !q.known),
        stat('inflight', 'In flight', q.known ? count(q.inFlight) : '–', null, !q.known)),
      warnings.length ? el('div', { class: 'alerts' }, warnings) : null,
      el('div', { class: 'workers' }, workers),
      pool.lastDecision ? el('div', { class: 'decision', text: `Last scaling decision: ${pool.lastDecision}` }) : null),
      queueChart, replicaChart);
  }

  // ---- the page
  function pill(id, ok, text, title) {
    const node = byId(id);
    node.dataset.state = ok === null ? 'unknown' : ok ? 'ok' : 'down';
    node.textContent = text;
    node.title = title || '';
  }
  function totals(fleet, now) {
    const sum = (f) => fleet.pools.reduce((n, p) => n + f(p), 0);
    const item = (label, value, field) => el('div', { 'data-field': field }, el('dt', { text: label }), el('dd', { text: value }));
    byId('totals').replaceChildren(
      item('Pools', fleet.pools.length, 'pools'),
      item('Workers ready', `${sum((p) => p.readyReplicas)} / ${sum((p) => p.desiredReplicas)}`, 'workers'),
      item('Queued', count(sum((p) => p.queue.queued)), 'queued'),
      item('In flight', count(sum((p) => p.queue.inFlight)), 'inflight'));
    // the loop passes every second; frames come at least every few seconds
    const passAge = fleet.lastPassEnded ? now - Date.parse(fleet.lastPassEnded) : Infinity;
    pill('loop', fleet.lastPassEnded ? passAge < STALE_AFTER * 2 : null,
      passAge < STALE_AFTER * 2 ? 'Reconcile' : 'Reconcile stalled',
      fleet.lastPassEnded ? `last pass ended ${clock(fleet.lastPassEnded)}` : 'no pass yet');
    pill('zinit', fleet.lastPassEnded ? fleet.zinitReachable : null,
      fleet.zinitReachable || !fleet.lastPassEnded ? 'Zinit' : 'Zinit unreachable', fleet.zinitError || '');
    const failed = fleet.pools.find((p) => !p.queue.known && p.queue.problem && p.queue.problem !== 'not read yet');
    pill('redis', fleet.pools.length ? !failed : null, failed ? 'Redis unreachable' : 'Redis', failed ? failed.queue.problem : '');
  }
  function events(list) {
    const rows = list.slice().reverse().map((e) => el('tr', { class: e.type === 'Warning' ? 'warning' : null },
      el('td', { class: 'time', text: clock(e.time), title: e.time }),
      el('td', { text: e.pool }),
      el('td', { class: 'reason', text: e.reason }),
      el('td', { class: 'worker-name', text: e.worker || '' }),
      el('td', { class: 'message', text: e.message })));
    byId('events').replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: 5, class: 'time', text: 'No events yet' }))]));
  }
  function render() {
    const fleet = state.fleet;
    if (!fleet) return;
    const now = serverNow();
    totals(fleet, now);
    const cards = fleet.pools.map((p) => poolCard(p, now));
    byId('pools').replaceChildren(...(cards.length ? cards : [el('p', { class: 'empty', text: 'No pools in the desired state.' })]));
    redrawCharts();
    events(fleet.events);
  }

  function setConnection(s, text) {
    const pill = byId('conn');
    pill.dataset.state = s;
    pill.textContent = text;
  }

  // ---- the stream
  function connect() {
    const source = new EventSource('/api/v1/stream');
    source.onopen = () => setConnection('live', 'Live');
    source.onmessage = (message) => {
      const frame = JSON.parse(message.data);
      state.fleet = frame.fleet;
      state.frameTime = Date.parse(frame.time);
      state.receivedAt = Date.now();
      state.frames++;
      document.documentElement.dataset.frames = String(state.frames);
      merge(frame.history);
      for (const pool of state.history.keys()) {
        if (!frame.fleet.pools.some((p) => p.name === pool)) state.history.delete(pool);
      }
      setConnection('live', 'Live');
      render();
    };
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) { // refused (too many viewers, or signed out): try again later
        setConnection('down', 'Disconnected');
        signedIn().then((ok) => (ok ? setTimeout(connect, RETRY) : askToSignIn()), () => setTimeout(connect, RETRY));
      } else {
        setConnection('connecting', 'Reconnecting');
      }
    };
  }

  // between frames, ages move on and a silent stream shows as stale
  setInterval(() => {
    if (!state.fleet) return;
    if (Date.now() - state.receivedAt > STALE_AFTER) setConnection('stale', `No data for ${age(Date.now() - state.receivedAt)}`);
    totals(state.fleet, serverNow());
  }, 1000);

  // the chart window: buttons, remembered in the address (#window=15)
  function chooseWindow(minutes) {
    state.windowMinutes = WINDOWS.includes(minutes) ? minutes : 60;
    byId('range').querySelectorAll('button').forEach((b) =>
      b.setAttribute('aria-pressed', String(Number(b.dataset.window) === state.windowMinutes)));
    render();
  }
  byId('range').addEventListener('click', (e) => {
    const minutes = Number(e.target.dataset.window);
    if (!minutes) return;
    history.replaceState(null, '', `#window=${minutes}`);
    chooseWindow(minutes);
  });
  window.addEventListener('resize', render);
  chooseWindow(Number((location.hash.match(/window=(\d+)/) || [])[1]));

  // ---- signing in. The link `herd dashboard` prints carries the token in its fragment, which a
  // browser never sends to a server; the page trades it once for a session cookie (reads only) and
  // takes it out of the address bar and the history.
  async function signedIn() {
    const token = (location.hash.match(/token=([^&]+)/) || [])[1];
    if (token) {
      const rest = location.hash.replace(/token=[^&]+&?/, '').replace(/&$/, '');
      history.replaceState(null, '', location.pathname + location.search + (rest === '#' ? '' : rest));
      await fetch('/api/v1/session', { method: 'POST', headers: { Authorization: `Bearer ${decodeURIComponent(token)}` } });
    }
    return (await fetch('/api/v1/session')).ok;
  }

  function askToSignIn() {
    setConnection('down', 'Signed out');
    byId('pools').replaceChildren(el('p', { class: 'empty', text: 'Herd shows its fleet to whoever holds its API token.'
      + ' On Herd\'s host, as the user running Herd, run "java -jar quarkus-run.jar dashboard" and open the link it prints.' }));
  }

  signedIn().then((ok) => (ok ? connect() : askToSignIn()), askToSignIn);
})();
