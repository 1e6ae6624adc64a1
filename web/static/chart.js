// A line chart in SVG: one line per country and side, months on the x axis.
// Side A is drawn solid, side B dashed, so two policies overlay.

const NS = 'http://www.w3.org/2000/svg';
export const COUNTRY_COLOURS = {SV: '#0072B2', HN: '#E69F00', GT: '#009E73'};

const W = 560, H = 250;
const M = {left: 58, right: 14, top: 34, bottom: 26};

export function el(name, attrs = {}, parent = null) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

// short formats a number for an axis: 1.2k, 35k, 1.4M.
export function short(v) {
  const a = Math.abs(v);
  if (a >= 1e6) return (v / 1e6).toFixed(a >= 1e7 ? 0 : 1) + 'M';
  if (a >= 1e3) return (v / 1e3).toFixed(a >= 1e4 ? 0 : 1) + 'k';
  if (a >= 10 || v === 0) return Math.round(v).toString();
  return v.toFixed(1);
}

// niceMax rounds up to 1, 2, 2.5 or 5 times a power of ten.
function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

export class LineChart {
  constructor(parent, spec) {
    this.spec = spec;
    this.box = document.createElement('figure');
    this.box.className = 'chart';
    this.box.id = 'chart-' + spec.id;
    parent.appendChild(this.box);
    this.svg = el('svg', {viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': spec.title}, this.box);
    this.pending = false;
    this.reset({months: 12, start: '2012-01', sides: 1, countries: []});
  }

  // reset empties the chart for a run of months from start.
  reset({months, start, sides, countries}) {
    this.months = months;
    this.start = start;
    this.sides = sides;
    this.countries = countries;
    this.data = [];
    for (let s = 0; s < sides; s++) this.data.push(countries.map(() => []));
    this.svg.replaceChildren();
    el('text', {x: M.left, y: 16, class: 'title'}, this.svg).textContent = this.spec.title;
    el('text', {x: W - M.right, y: 16, class: 'unit', 'text-anchor': 'end'}, this.svg).textContent = this.spec.unit;
    this.axes = el('g', {class: 'axes'}, this.svg);
    this.lines = el('g', {class: 'lines'}, this.svg);
    this.polylines = [];
    for (let s = 0; s < sides; s++) {
      this.polylines.push(countries.map((c) => el('polyline', {
        fill: 'none', stroke: COUNTRY_COLOURS[c.code] || '#555', 'stroke-width': s ? 1.8 : 2,
        'stroke-dasharray': s ? '5 3' : 'none', 'data-side': s, 'data-country': c.code,
        class: 'series'}, this.lines)));
    }
    this.svg.dataset.points = '0';
    this.draw();
  }

  // add records one month: values[country] for a side.
  add(side, t, values) {
    const d = this.data[side];
    if (!d) return;
    values.forEach((v, c) => { d[c][t] = v; });
    this.schedule();
  }

  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => { this.pending = false; this.draw(); });
  }

  x(t) { return M.left + (this.months > 1 ? t / (this.months - 1) : 0) * (W - M.left - M.right); }

  draw() {
    let max = 0;
    for (const side of this.data) for (const row of side) for (const v of row) if (v > max) max = v;
    const top = niceMax(max);
    const y = (v) => H - M.bottom - (v / top) * (H - M.top - M.bottom);
    this.axes.replaceChildren();
    for (let i = 0; i <= 4; i++) {
      const v = top * i / 4, yy = y(v);
      el('line', {x1: M.left, x2: W - M.right, y1: yy, y2: yy, class: i ? 'grid' : 'axis'}, this.axes);
      el('text', {x: M.left - 6, y: yy + 4, 'text-anchor': 'end', class: 'tick'}, this.axes).textContent = short(v);
    }
    const [y0, m0] = this.start.split('-').map(Number);
    const years = Math.ceil(this.months / 12);
    const every = Math.max(1, Math.ceil(years / 10));
    for (let t = 0; t < this.months; t++) {
      const month = (m0 - 1 + t) % 12, year = y0 + Math.floor((m0 - 1 + t) / 12);
      if (month !== 0 || (year % every) !== 0) continue;
      const xx = this.x(t);
      el('line', {x1: xx, x2: xx, y1: H - M.bottom, y2: H - M.bottom + 4, class: 'axis'}, this.axes);
      el('text', {x: xx, y: H - 8, 'text-anchor': 'middle', class: 'tick'}, this.axes).textContent = year;
    }
    let points = 0;
    this.data.forEach((side, s) => side.forEach((row, c) => {
      const pts = [];
      for (let t = 0; t < row.length; t++) {
        if (row[t] === undefined) continue;
        pts.push(this.x(t).toFixed(1) + ',' + y(row[t]).toFixed(1));
      }
      points += pts.length;
      this.polylines[s][c].setAttribute('points', pts.join(' '));
    }));
    this.svg.dataset.points = String(points);
  }

  // total sums a side's values over months and countries.
  total(side) {
    let sum = 0;
    for (const row of this.data[side] || []) for (const v of row) if (v) sum += v;
    return sum;
  }
}
