// The teaching page. The simulation runs on the server; this page sends the
// settings, presses the buttons, and draws what the server streams back.

import {renderControls, markProblems} from './controls.js';
import {LineChart, short} from './chart.js';
import {DeptMap} from './map.js';

const SPEEDS = [1, 2, 3, 6, 12, 24, 48, 96, 0]; // months per second; 0: as fast as possible
const $ = (id) => document.getElementById(id);

const state = {
  catalog: null,
  sides: {a: null, b: null}, // {scenario, values, preset}
  editing: 'a',
  run: null,         // run ID on the server
  events: null,      // EventSource of the run
  meta: null,        // the run's setup event
  dirty: true,       // settings changed since the last Setup
  run_state: {running: false, over: false, done: 0, months: 0, seq: 0},
  problems: [],
  checkTimer: 0,
};

const charts = [];
let deptMap = null;

// ---- talking to the server

async function api(method, url, body) {
  const opts = {method, headers: {}};
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(url, opts);
  } catch (e) {
    throw new Error('Cannot reach the migrasim server. Is "migrasim serve" still running?');
  }
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = {error: text}; }
  if (!res.ok) {
    const err = new Error((data && data.error) || `${res.status} ${res.statusText}`);
    err.status = res.status;
    err.problems = data && data.problems;
    throw err;
  }
  return data;
}

function settings() {
  const side = (s) => ({scenario: s.scenario, values: s.values});
  const st = {a: side(state.sides.a)};
  if (state.sides.b) st.b = side(state.sides.b);
  return st;
}

// ---- messages

function showProblems(problems, error) {
  state.problems = problems || [];
  const box = $('problems');
  box.replaceChildren();
  if (error && !state.problems.length) {
    box.appendChild(document.createElement('p')).textContent = error;
  }
  if (state.problems.length) {
    box.appendChild(document.createElement('p')).textContent =
      state.problems.length === 1 ? 'One setting needs fixing:' : `${state.problems.length} settings need fixing:`;
    const ul = box.appendChild(document.createElement('ul'));
    for (const p of state.problems) {
      const li = ul.appendChild(document.createElement('li'));
      const who = (state.sides.b ? 'Policy ' + p.side + ' · ' : '') + (p.label || p.control || 'Settings');
      li.textContent = `${who}: ${p.message}`;
    }
  }
  box.classList.toggle('hidden', !error && !state.problems.length);
  markProblems($('controls'), state.problems, state.editing.toUpperCase());
}

function fail(err) {
  showProblems(err.problems, err.message);
}

function setStatus() {
  const st = state.run_state, meta = state.meta;
  let text;
  if (!state.run || !meta) {
    text = 'Press Setup to build the world, then Go.';
  } else {
    const speed = st.speed ? `${st.speed} months/s` : 'full speed';
    const month = lastMonth();
    text = `${month || meta.start} · month ${st.done} of ${st.months}`;
    if (st.failure) text += ' · stopped';
    else if (st.running) text += ` · running at ${speed}`;
    else if (st.over) text += ' · finished';
    else text += ' · paused';
    if (state.dirty && st.done > 0) text += ' · settings changed: press Setup to run them';
  }
  $('status').textContent = text;
  $('go').textContent = st.running ? 'Pause' : 'Go';
  $('go').classList.toggle('running', Boolean(st.running));
  if (st.failure) showProblems([], st.failure);
  summarise();
}

function lastMonth() {
  const meta = state.meta, done = state.run_state.done;
  if (!meta || !done) return '';
  const [y, m] = meta.start.split('-').map(Number);
  const k = m - 1 + done - 1;
  return `${y + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
}

// summarise compares the two sides' departures so far.
function summarise() {
  const box = $('summary');
  if (!state.meta || state.meta.sides.length < 2 || !state.run_state.done) {
    box.textContent = '';
    return;
  }
  const dep = charts.find((c) => c.spec.id === 'departures');
  const a = dep.total(0), b = dep.total(1);
  const diff = a > 0 ? ((b - a) / a) * 100 : 0;
  const sign = diff > 0 ? '+' : diff < 0 ? '−' : '±';
  box.textContent = `Departures so far: A ${short(a)} · B ${short(b)} (${sign}${Math.abs(diff).toFixed(1)}% with policy B)`;
}

// ---- settings panel

async function loadScenario(sideKey, name) {
  const preset = await api('GET', '/api/scenario?name=' + encodeURIComponent(name));
  const side = {scenario: name, values: {...preset.values}, preset};
  if (sideKey === 'b' && state.sides.a) copyShared(state.sides.a, side);
  state.sides[sideKey] = side;
  if (sideKey === 'a' && state.sides.b) copyShared(side, state.sides.b);
  changed();
  if (sideKey === state.editing) render();
}

function copyShared(from, to) {
  for (const c of state.catalog.controls) if (c.shared) to.values[c.id] = from.values[c.id];
}

function render() {
  const side = state.sides[state.editing];
  const readOnly = {};
  if (state.editing === 'b') {
    for (const c of state.catalog.controls) if (c.shared) readOnly[c.id] = 'Same as policy A, so the runs line up.';
  }
  const select = $('scenario');
  select.value = side.scenario;
  $('scenario-description').textContent = side.preset.description + (side.preset.notes ? ' ' + side.preset.notes.join(' ') : '');
  renderControls($('controls'), state.catalog, side, readOnly, onControl);
  for (const b of $('tabs').querySelectorAll('button')) b.classList.toggle('active', b.dataset.side === state.editing);
  markProblems($('controls'), state.problems, state.editing.toUpperCase());
}

function onControl(id) {
  const c = state.catalog.controls.find((x) => x.id === id);
  if (c && c.shared && state.editing === 'a' && state.sides.b) state.sides.b.values[id] = state.sides.a.values[id];
  changed();
}

// changed marks the settings dirty and checks them on the server shortly.
function changed() {
  state.dirty = true;
  setStatus();
  clearTimeout(state.checkTimer);
  state.checkTimer = setTimeout(check, 250);
}

async function check() {
  try {
    const res = await api('POST', '/api/check', settings());
    showProblems(res.problems);
    return res.ok;
  } catch (err) {
    fail(err);
    return false;
  }
}

// ---- the run

async function setup() {
  clearTimeout(state.checkTimer);
  const wasRunning = state.run_state.running;
  try {
    let res;
    if (state.run) {
      try {
        res = await api('PUT', `/api/runs/${state.run}`, settings());
      } catch (err) {
        if (err.status !== 404) throw err;
        state.run = null; // dropped by the server: make a new one
      }
    }
    if (!state.run) {
      res = await api('POST', '/api/runs', settings());
      state.run = res.run;
      state.run_state = {running: false, over: false, done: 0, months: 0, seq: 0};
      connect(res.run);
    }
    state.dirty = false;
    showProblems([]);
    exportLinks();
    return {ok: true, wasRunning};
  } catch (err) {
    fail(err);
    return {ok: false, wasRunning};
  }
}

function connect(id) {
  if (state.events) state.events.close();
  const es = new EventSource(`/api/runs/${id}/events`);
  state.events = es;
  es.addEventListener('setup', (e) => onSetup(JSON.parse(e.data)));
  es.addEventListener('month', (e) => onMonth(JSON.parse(e.data)));
  es.addEventListener('state', (e) => applyState(JSON.parse(e.data)));
  es.onerror = () => {
    if (es.readyState === EventSource.CLOSED && state.events === es) {
      state.run = null;
      state.run_state = {running: false, over: false, done: 0, months: 0, seq: 0};
      showProblems([], 'The server ended this run (it restarted, or the run was idle too long). Press Setup to start again.');
      exportLinks();
      setStatus();
    }
  };
}

// applyState takes a run state from an event or an answer, unless a later
// one has come already. The status line changes in the next frame, after
// the charts have drawn the months that came before the state, so it never
// says "finished" over charts that are not.
function applyState(st) {
  if (st.seq < state.run_state.seq) return;
  state.run_state = st;
  statusSoon();
}

function onSetup(meta) {
  state.meta = meta;
  const sides = meta.sides.length;
  for (const c of charts) c.reset({months: meta.months, start: meta.start, sides, countries: meta.countries});
  deptMap.reset(meta.map, meta.sides, meta.countries);
  const names = meta.sides.map((s, i) => (sides > 1 ? (i ? 'B (dashed): ' : 'A (solid): ') : '') + s.name);
  $('legend-sides').textContent = names.join(' · ');
  setStatus();
}

function onMonth(ev) {
  ev.v.forEach((side, s) => side.forEach((values, i) => charts[i].add(s, ev.t, values)));
  ev.map.forEach((rates, s) => deptMap.update(s, rates));
  state.run_state.done = ev.t + 1;
  statusSoon();
}

// statusSoon updates the status line once per frame, however many months arrive.
let statusPending = false;
function statusSoon() {
  if (statusPending) return;
  statusPending = true;
  requestAnimationFrame(() => { statusPending = false; setStatus(); });
}

async function control(action, extra = {}) {
  if (!state.run) return;
  try {
    applyState(await api('POST', `/api/runs/${state.run}/control`, {action, ...extra}));
  } catch (err) {
    fail(err);
  }
}

// ready sets up first when there is no run, or when the settings changed and
// the run has not started.
async function ready() {
  if (state.run && !(state.dirty && state.run_state.done === 0)) return true;
  return (await setup()).ok;
}

function speed() { return SPEEDS[Number($('speed').value)]; }

function exportLinks() {
  const on = Boolean(state.run);
  const links = [['export-csv', `/api/runs/${state.run}/series.csv`],
    ['export-toml-a', `/api/runs/${state.run}/scenario.toml?side=a`],
    ['export-toml-b', `/api/runs/${state.run}/scenario.toml?side=b`]];
  for (const [id, href] of links) {
    const a = $(id);
    if (on) a.setAttribute('href', href); else a.removeAttribute('href');
    a.classList.toggle('disabled', !on);
  }
  $('export-toml-b').classList.toggle('hidden', !state.sides.b);
}

// ---- wiring

// act runs the user's actions one after another, so that a click that comes
// while an earlier one still waits for the server acts on its outcome.
// body's data-pending counts the actions not yet done (tests wait for 0).
let queue = Promise.resolve();
let pending = 0;
function act(fn) {
  document.body.dataset.pending = String(++pending);
  queue = queue.then(fn).catch(fail).finally(() => { document.body.dataset.pending = String(--pending); });
  return queue;
}

function wire() {
  $('setup').addEventListener('click', () => act(setup));
  $('step').addEventListener('click', () => act(async () => { if (await ready()) await control('step'); }));
  $('go').addEventListener('click', () => act(async () => {
    if (state.run_state.running) return control('pause');
    if (!(await ready())) return;
    if (state.run_state.over) await control('reset');
    await control('go', {speed: speed()});
  }));
  $('reset').addEventListener('click', () => act(() => control('reset')));
  $('speed').addEventListener('input', () => {
    const v = speed();
    $('speed-out').textContent = v ? `${v} months/s` : 'full speed';
    if (state.run) act(() => control('speed', {speed: v}));
  });
  $('sbs').addEventListener('change', (e) => {
    const on = e.target.checked;
    act(async () => {
      if (on) {
        state.sides.b = structuredClone(state.sides.a);
      } else {
        state.sides.b = null;
        state.editing = 'a';
      }
      $('tabs').classList.toggle('hidden', !on);
      render();
      changed();
      if (state.run) {
        const {ok, wasRunning} = await setup();
        if (ok && wasRunning) await control('go', {speed: speed()});
      }
    });
  });
  for (const b of $('tabs').querySelectorAll('button')) {
    b.addEventListener('click', () => { state.editing = b.dataset.side; render(); });
  }
  $('scenario').addEventListener('change', (e) => {
    const side = state.editing, name = e.target.value;
    act(() => loadScenario(side, name));
  });
  window.addEventListener('pagehide', () => {
    if (state.run) fetch(`/api/runs/${state.run}`, {method: 'DELETE', keepalive: true});
  });
}

async function main() {
  try {
    state.catalog = await api('GET', '/api/controls');
  } catch (err) {
    $('status').textContent = err.message;
    return;
  }
  const select = $('scenario');
  for (const s of state.catalog.scenarios) {
    const o = select.appendChild(document.createElement('option'));
    o.value = s.name;
    o.textContent = s.name;
    o.title = s.description;
  }
  const chartBox = $('charts');
  for (const spec of state.catalog.charts) charts.push(new LineChart(chartBox, spec));
  const legend = chartBox.appendChild(document.createElement('p'));
  legend.className = 'chart-legend';
  legend.innerHTML = '<span class="sv">El Salvador</span> <span class="hn">Honduras</span> <span class="gt">Guatemala</span> <span id="legend-sides"></span>';
  deptMap = new DeptMap($('maps'), $('legend'));
  wire();
  try {
    await loadScenario('a', state.catalog.default);
  } catch (err) {
    fail(err);
  }
  document.body.dataset.ready = 'true';
}

main();
