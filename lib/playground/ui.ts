/// <reference lib="dom" />
/**
 * The page's building blocks (browser side): elements, the controls every panel uses, a panel's frame with its
 * notebook links, charts drawn with vega-embed, and the settings kept in the URL hash.
 */

/** Filled in by build.ts: the maps of data/ and where each panel's notebook is. */
declare const PLAYGROUND: { maps: Record<string, string>; notebooks: Record<string, { name: string; href: string | null }> };
declare function vegaEmbed(el: HTMLElement, spec: unknown, opts: object): Promise<{ view: { finalize(): void } }>;

export const PAGE_DATA = PLAYGROUND;

// ---------------------------------------------------------------- elements

type Attrs = Record<string, string | number | boolean | ((e: Event) => void)>;
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (typeof v === 'boolean') {
      if (v) el.setAttribute(k, '');
    } else el.setAttribute(k, String(v));
  }
  el.append(...children);
  return el;
}
export const fmt = (x: number, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : String(x));
export const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

// ---------------------------------------------------------------- settings in the URL hash

export const hash = new URLSearchParams(location.hash.slice(1));
export function setting(key: string, fallback: string): string {
  return hash.get(key) ?? fallback;
}
export function num(key: string, fallback: number, lo: number, hi: number): number {
  const v = Number(hash.get(key));
  return hash.has(key) && Number.isFinite(v) && v >= lo && v <= hi ? v : fallback;
}
let hashTimer = 0;
export function save(key: string, value: string | number): void {
  hash.set(key, String(value));
  clearTimeout(hashTimer);
  hashTimer = window.setTimeout(() => history.replaceState(null, '', `#${hash.toString()}`), 100);
}

// ---------------------------------------------------------------- charts

const views = new Map<HTMLElement, { finalize(): void }>();
const drawn = new Map<HTMLElement, number>();
/** Draws a chart off-screen, then swaps it in (no flicker); a draw overtaken by a newer one is dropped. */
export async function draw(el: HTMLElement, spec: unknown): Promise<void> {
  const n = (drawn.get(el) ?? 0) + 1;
  drawn.set(el, n);
  const holder = document.createElement('div');
  const v = await vegaEmbed(holder, spec, { renderer: 'svg', actions: false });
  if (drawn.get(el) !== n) return v.view.finalize();
  views.get(el)?.finalize();
  views.set(el, v.view);
  el.classList.remove('placeholder');
  el.replaceChildren(holder);
  el.setAttribute('data-rendered', String(Number(el.getAttribute('data-rendered') ?? 0) + 1));
}

// ---------------------------------------------------------------- panel frame

export interface PanelText {
  id: string;
  title: string;
  paper: string;
  text: string;
  /** Keys of PLAYGROUND.notebooks (build.ts NOTEBOOKS). */
  notebooks: string[];
}
export function panel(p: PanelText, controls: HTMLElement, output: HTMLElement): HTMLElement {
  const links = p.notebooks.map((key) => {
    const nb = PLAYGROUND.notebooks[key];
    return nb.href
      ? h('a', { href: nb.href }, nb.name)
      : h('code', { title: 'in the repository: npm run notebook opens it' }, `notebooks/${nb.name}.ipynb`);
  });
  const more = h('span', { class: 'more' }, ' Deeper: ');
  links.forEach((l, i) => more.append(...(i ? [' and ', l] : [l])));
  more.append('.');
  return h(
    'section',
    { id: p.id, 'aria-labelledby': `${p.id}-title` },
    h('h2', { id: `${p.id}-title` }, p.title, ' ', h('small', {}, p.paper)),
    h('p', { class: 'explain' }, p.text, more),
    h('div', { class: 'panel' }, controls, output),
  );
}

// ---------------------------------------------------------------- controls

export function slider(
  id: string,
  label: string,
  r: { min: number; max: number; step: number },
  value: number,
  onInput: (v: number) => void,
): HTMLElement {
  const out = h('output', { for: id, id: `${id}-out` }, String(value));
  const input = h('input', { type: 'range', id, min: r.min, max: r.max, step: r.step, value: String(value) });
  input.addEventListener('input', () => {
    out.textContent = input.value;
    onInput(Number(input.value));
  });
  return h('label', { class: 'slider', for: id }, h('span', {}, label, ' ', out), input);
}

export function select(id: string, label: string, options: [string, string][], value: string, onChange: (v: string) => void): HTMLElement {
  const sel = h('select', { id }, ...selectOptions(options, value));
  sel.addEventListener('change', () => onChange(sel.value));
  return h('label', { class: 'field', for: id }, h('span', {}, label), sel);
}

/** The <option>s of a select, `value` selected. */
export function selectOptions(options: [string, string][], value: string): HTMLOptionElement[] {
  return options.map(([v, t]) => h('option', { value: v, ...(v === value ? { selected: true } : {}) }, t));
}

/** A labelled control on one row. */
export function field(label: string, input: HTMLInputElement): HTMLElement {
  return h('label', { class: 'field', for: input.id }, h('span', {}, label), input);
}

export function numberField(id: string, label: string, value: number, r: { min: number; max: number; step: number }): HTMLInputElement {
  return h('input', { type: 'number', id, value: String(value), min: r.min, max: r.max, step: r.step, 'aria-label': label });
}

export function status(id: string): HTMLElement {
  return h('p', { class: 'status', id, role: 'status', 'aria-live': 'polite' });
}

/**
 * What a panel that streams a curve from a worker shares: its redraw, at most every `everyMs` while points arrive
 * (`soon`) or at once (`now`), and its Run/Stop buttons and status line.
 */
export function streaming(redraw: () => void, everyMs: number, runBtn: HTMLButtonElement, stopBtn: HTMLButtonElement, st: HTMLElement) {
  let timer = 0;
  let last = 0;
  let running = false;
  const now = () => {
    clearTimeout(timer);
    timer = 0;
    last = performance.now();
    redraw();
  };
  return {
    now,
    soon: () => {
      if (!timer) timer = window.setTimeout(now, Math.max(0, everyMs - (performance.now() - last)));
    },
    isRunning: () => running,
    started: () => {
      running = true;
      runBtn.disabled = true;
      stopBtn.disabled = false;
    },
    stopped: (msg: string) => {
      running = false;
      runBtn.disabled = false;
      stopBtn.disabled = true;
      st.textContent = msg;
    },
  };
}

/** The input's whole number in [lo, hi], or null with one line in `st` saying what is wrong. */
export function wholeNumber(input: HTMLInputElement, lo: number, hi: number, what: string, st: HTMLElement): number | null {
  const v = Number(input.value);
  if (input.value.trim() !== '' && Number.isInteger(v) && v >= lo && v <= hi) return v;
  st.textContent = `${what} must be a whole number in [${lo}, ${hi}], got '${input.value}'`;
  return null;
}

/** A fieldset of radio buttons named `name` (ids `name-value`); `onChange` gets the value picked. */
export function radios<T extends string>(
  name: string,
  legend: string,
  options: readonly (readonly [T, string])[],
  value: T,
  onChange: (v: T) => void,
): HTMLElement {
  return h(
    'fieldset',
    { class: 'tools' },
    h('legend', {}, legend),
    ...options.map(([v, label]) => {
      const input = h('input', { type: 'radio', name, id: `${name}-${v}`, value: v, ...(v === value ? { checked: true } : {}) });
      input.addEventListener('change', () => onChange(v));
      return h('label', { for: `${name}-${v}` }, input, label);
    }),
  );
}
