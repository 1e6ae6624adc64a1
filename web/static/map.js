// The map-like panel: each department a disc at its centre, sized by
// population and coloured by its emigration rate. In side-by-side mode
// there is one map per side, on the same colour scale.

import {el, short} from './chart.js';

// Yellow to brown, light for low rates.
const PALETTE = ['#fff7bc', '#fee391', '#fec44f', '#fe9929', '#ec7014', '#cc4c02', '#8c2d04'];

function colour(v, max) {
  const f = Math.max(0, Math.min(1, max > 0 ? v / max : 0)) * (PALETTE.length - 1);
  const i = Math.min(Math.floor(f), PALETTE.length - 2), k = f - i;
  const a = hex(PALETTE[i]), b = hex(PALETTE[i + 1]);
  return `rgb(${a.map((x, j) => Math.round(x + (b[j] - x) * k)).join(',')})`;
}

function hex(s) { return [1, 3, 5].map((i) => parseInt(s.slice(i, i + 2), 16)); }

// hull returns the convex hull of points {x, y}, in order (monotone chain).
function hull(points) {
  const p = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  const cross = (o, a, b) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  const half = (pts) => {
    const out = [];
    for (const q of pts) {
      while (out.length >= 2 && cross(out[out.length - 2], out[out.length - 1], q) <= 0) out.pop();
      out.push(q);
    }
    out.pop();
    return out;
  };
  return half(p).concat(half(p.reverse()));
}

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

export class DeptMap {
  constructor(parent, legend) {
    this.parent = parent;
    this.legend = legend;
    this.maps = [];
    this.max = 1;
  }

  // reset draws the departments of layout for each side.
  reset(layout, sides, countries) {
    this.layout = layout;
    this.parent.replaceChildren();
    this.maps = [];
    this.rates = sides.map(() => layout.regions.map(() => 0));
    this.max = 1;
    const maxPop = Math.max(...layout.regions.map((r) => r.population), 1);
    sides.forEach((side, s) => {
      const fig = document.createElement('figure');
      fig.className = 'map';
      const svg = el('svg', {viewBox: `0 0 ${layout.width} ${layout.height}`, role: 'img',
        'aria-label': `Emigration by department, ${side.name}`, 'data-side': s}, fig);
      if (sides.length > 1) {
        el('text', {x: 12, y: 30, class: 'side'}, svg).textContent = (s ? 'B: ' : 'A: ') + side.name;
      }
      // Land first, the smallest country last so the others do not cover it.
      for (const c of [...countries].reverse()) {
        const rs = layout.regions.filter((r) => r.country === c.code);
        if (rs.length > 2) {
          el('polygon', {points: hull(rs).map((r) => `${r.x},${r.y}`).join(' '), class: 'land ' + c.code}, svg);
        }
      }
      for (const l of layout.labels) {
        const c = countries.find((x) => x.code === l.country);
        if (c) el('text', {x: l.x, y: l.y, 'text-anchor': 'middle', class: 'country'}, svg).textContent = c.name;
      }
      const discs = layout.regions.map((r) => {
        const d = el('circle', {cx: r.x, cy: r.y, r: (5 + 25 * Math.sqrt(r.population / maxPop)).toFixed(1),
          fill: colour(0, 1), class: 'dept', 'data-name': r.name}, svg);
        d.appendChild(el('title')).textContent = `${r.name} (${r.country})`;
        return d;
      });
      this.parent.appendChild(fig);
      this.maps.push(discs);
    });
    this.drawLegend();
  }

  // update sets a side's rates, one per department, and recolours.
  update(side, rates) {
    if (!this.rates || !this.rates[side]) return;
    this.rates[side] = rates;
    let max = 0;
    for (const rs of this.rates) for (const v of rs) if (v > max) max = v;
    const nice = niceMax(max);
    const rescale = nice !== this.max;
    this.max = Math.max(nice, 1e-9);
    const sides = rescale ? this.rates.map((_, s) => s) : [side];
    for (const s of sides) {
      this.maps[s].forEach((d, i) => {
        const r = this.layout.regions[i], v = this.rates[s][i];
        d.setAttribute('fill', colour(v, this.max));
        d.firstChild.textContent = `${r.name} (${r.country}): ${v.toFixed(1)} emigrants per 1,000 residents a year`;
      });
    }
    if (rescale) this.drawLegend();
  }

  drawLegend() {
    this.legend.replaceChildren();
    const svg = el('svg', {viewBox: '0 0 320 34', 'aria-hidden': 'true'});
    const grad = el('linearGradient', {id: 'legend-gradient'}, el('defs', {}, svg));
    PALETTE.forEach((c, i) => el('stop', {offset: `${(100 * i) / (PALETTE.length - 1)}%`, 'stop-color': c}, grad));
    el('rect', {x: 10, y: 4, width: 300, height: 12, fill: 'url(#legend-gradient)', stroke: '#999', 'stroke-width': 0.5}, svg);
    el('text', {x: 10, y: 30, class: 'tick'}, svg).textContent = '0';
    el('text', {x: 160, y: 30, class: 'tick', 'text-anchor': 'middle'}, svg).textContent = short(this.max / 2);
    el('text', {x: 310, y: 30, class: 'tick', 'text-anchor': 'end'}, svg).textContent = short(this.max) + ' per 1,000';
    this.legend.appendChild(svg);
  }
}
