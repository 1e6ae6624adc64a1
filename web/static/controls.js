// The settings panel, generated from the server's control list. Each control
// edits one value of the side being edited; the values go to the server as
// they are, and the server checks them.

const OPEN_GROUPS = new Set(['Run', 'Push factors', 'Policies']);

function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c) e.appendChild(c);
  return e;
}

function describe(c) {
  const parts = [];
  if (c.help) parts.push(c.help);
  if (c.unit) parts.push('Unit: ' + c.unit + '.');
  if (c.range) parts.push('Valid range: ' + c.range + '.');
  parts.push('Key: ' + c.id);
  return parts.join(' ');
}

function show(v) {
  if (typeof v === 'number') return String(Math.round(v * 1000) / 1000);
  return String(v);
}

// renderControls fills container with the controls for one side.
//   side:     {values, preset} of the side being edited
//   readOnly: control id -> reason it cannot be edited here (shared keys on side B)
//   onChange: called with the control id after the user changes a value
export function renderControls(container, catalog, side, readOnly, onChange) {
  container.replaceChildren();
  const groups = {};
  for (const g of catalog.groups) {
    const body = h('div', {class: 'group-body'});
    const det = h('details', {class: 'group', 'data-group': g, open: OPEN_GROUPS.has(g)}, h('summary', {text: g}), body);
    groups[g] = body;
    container.appendChild(det);
  }
  const nodes = {};
  for (const c of catalog.controls) {
    const node = controlNode(c, side, readOnly[c.id], onChange);
    nodes[c.id] = node;
    const parent = c.parent && nodes[c.parent];
    (parent ? parent.querySelector('.children') : groups[c.group]).appendChild(node);
  }
  refreshParents(container, side);
}

function controlNode(c, side, lockReason, onChange) {
  const id = 'ctl-' + c.id.replace(/[^A-Za-z0-9_-]/g, '-');
  const v = side.values[c.id];
  const wrap = h('div', {class: 'control ' + c.kind, 'data-id': c.id, title: describe(c)});
  const set = (value) => { side.values[c.id] = value; onChange(c.id); };
  switch (c.kind) {
  case 'slider': {
    const out = h('output', {for: id, text: show(v)});
    const input = h('input', {id, type: 'range', min: c.min, max: c.max, step: c.step || 'any', value: v});
    input.addEventListener('input', () => { out.textContent = show(Number(input.value)); set(Number(input.value)); });
    wrap.append(h('label', {for: id}, document.createTextNode(c.label + ' '), out), input);
    if (lockReason) input.disabled = true;
    break;
  }
  case 'number': {
    const input = h('input', {id, type: 'text', inputmode: 'decimal', value: v, spellcheck: 'false'});
    input.addEventListener('change', () => set(input.value.trim()));
    const label = h('label', {for: id, text: c.label});
    if (c.unit) label.appendChild(h('span', {class: 'unit', text: ' ' + c.unit}));
    wrap.append(label, input);
    if (lockReason) input.disabled = true;
    break;
  }
  case 'toggle': {
    const input = h('input', {id, type: 'checkbox'});
    input.checked = Boolean(v);
    input.addEventListener('change', () => set(input.checked));
    wrap.append(h('label', {for: id}, input, document.createTextNode(' ' + c.label)));
    break;
  }
  case 'policy': {
    const on = h('input', {id, type: 'checkbox', class: 'switch'});
    const month = h('input', {type: 'month', class: 'from', 'aria-label': c.label + ' from', value: v || side.preset.policy_month});
    on.checked = Boolean(v);
    month.disabled = !on.checked;
    const update = () => {
      month.disabled = !on.checked;
      if (on.checked && !month.value) month.value = side.preset.policy_month;
      set(on.checked ? month.value : '');
      refreshParents(wrap.closest('#controls') || wrap, side);
    };
    // Ticking applies the strength of the policy's library scenario (c.on):
    // at the status quo's values a ticked policy would do nothing. Unticking
    // puts the sliders back to the status quo (c.off).
    on.addEventListener('change', () => {
      for (const [k, x] of Object.entries((on.checked ? c.on : c.off) || {})) {
        side.values[k] = x;
        showValue(wrap, k, x);
      }
      update();
    });
    month.addEventListener('change', update);
    wrap.append(h('div', {class: 'policy-head'}, h('label', {for: id}, on, document.createTextNode(' ' + c.label)),
      h('span', {class: 'from-label', text: 'from '}), month), h('div', {class: 'children'}));
    break;
  }
  case 'month': {
    const input = h('input', {id, type: 'month', value: v || ''});
    input.addEventListener('change', () => set(input.value));
    wrap.append(h('label', {for: id, text: c.label}), input);
    if (lockReason) input.disabled = true;
    break;
  }
  }
  if (lockReason) {
    wrap.classList.add('locked');
    wrap.appendChild(h('div', {class: 'note', text: lockReason}));
  }
  wrap.appendChild(h('div', {class: 'message', role: 'status'}));
  return wrap;
}

// showValue shows a value the page set on the slider of control id under root.
function showValue(root, id, v) {
  const n = root.querySelector(`.control[data-id="${CSS.escape(id)}"]`);
  if (!n) return;
  const input = n.querySelector('input[type=range]');
  if (input) input.value = v;
  const out = n.querySelector('output');
  if (out) out.textContent = show(v);
}

// refreshParents dims the sliders of policies that are off.
function refreshParents(root, side) {
  for (const p of root.querySelectorAll('.control.policy')) {
    const on = Boolean(side.values[p.dataset.id]);
    p.classList.toggle('off', !on);
  }
}

// markProblems shows each problem of the edited side beside its control.
export function markProblems(container, problems, sideName) {
  for (const n of container.querySelectorAll('.control.invalid')) {
    n.classList.remove('invalid');
    n.querySelector(':scope > .message').textContent = '';
  }
  for (const p of problems) {
    if (p.side !== sideName || !p.control) continue;
    const n = container.querySelector(`.control[data-id="${CSS.escape(p.control)}"]`);
    if (!n) continue;
    n.classList.add('invalid');
    n.querySelector(':scope > .message').textContent = p.message;
    const det = n.closest('details');
    if (det) det.open = true;
  }
}
