/// <reference lib="dom" />
/**
 * The playground page (runs in the browser; bundled by build.ts). It builds the four panels, keeps their
 * settings in the URL hash, sends every computation to a worker (compute.ts runs there) and draws the
 * answers: tables and a grid of buttons by hand, charts with vega-embed and the lib/plot spec builders.
 */
import { objectivesAlongVISpec, type SeriesRow } from '../plot/lower-bound';
import { learningCurveSpec, type CurveRow } from '../plot/learning-curve';
import { gridPathsSpec, type PathPoint } from '../plot/grid-paths';
import { parseGridMap } from '../tabular/gridworld';
import type { Method } from '../tabular/mnm-agent';
import type { RiskMDPParams } from '../tabular/risk-mdp';
import { CURVE_METHODS, RISK_MDP_DEFAULTS, RISK_SLIDERS, type Arrow, type BoundRow, type RiskKey, type SideCell } from './compute';
import type { BoundRewards, Envelope, MapText, Procedure, Reply, Request } from './protocol';

/** Filled in by build.ts: the worker's code, the maps of data/ and where each panel's notebook is. */
declare const PLAYGROUND: { maps: Record<string, string>; notebooks: Record<string, { name: string; href: string | null }> };
declare function vegaEmbed(el: HTMLElement, spec: unknown, opts: object): Promise<{ view: { finalize(): void } }>;

// ---------------------------------------------------------------- small helpers

type Attrs = Record<string, string | number | boolean | ((e: Event) => void)>;
function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
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
const fmt = (x: number, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : String(x));
const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const MAP_NAMES = Object.keys(PLAYGROUND.maps).sort();
/** The paper's map of Fig. 2a and 3b (docs/PAPER-SETTINGS.md), the default of the grid panels when present. */
const PAPER_GRID = 'paper-fig2a-10x10';
const mapText = (name: string): MapText => ({ name: `data/${name}.txt`, text: PLAYGROUND.maps[name] ?? PLAYGROUND.maps[MAP_NAMES[0]] });

// ---------------------------------------------------------------- settings in the URL hash

const hash = new URLSearchParams(location.hash.slice(1));
function setting(key: string, fallback: string): string {
  return hash.get(key) ?? fallback;
}
function num(key: string, fallback: number, lo: number, hi: number): number {
  const v = Number(hash.get(key));
  return hash.has(key) && Number.isFinite(v) && v >= lo && v <= hi ? v : fallback;
}
let hashTimer = 0;
function save(key: string, value: string | number): void {
  hash.set(key, String(value));
  clearTimeout(hashTimer);
  hashTimer = window.setTimeout(() => history.replaceState(null, '', `#${hash.toString()}`), 100);
}

// ---------------------------------------------------------------- workers

/** Starts a worker from the code build.ts put in the page (file:// pages may not load a worker from a file). */
function startWorker(): Worker {
  const code = (document.getElementById('worker-code') as HTMLScriptElement).textContent ?? '';
  return new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
}

/** A worker that answers requests in order; answers to a request that a newer one of the same slot replaced are dropped. */
class Channel {
  /** Started on the first request. */
  private worker: Worker | null = null;
  private nextId = 1;
  private handlers = new Map<number, (env: Envelope) => void>();
  private newest = new Map<string, number>();

  private start(): Worker {
    const w = startWorker();
    w.onmessage = (e: MessageEvent<Envelope>) => this.handlers.get(e.data.id)?.(e.data);
    w.onerror = (e) => console.error(`worker: ${e.message}`);
    return w;
  }

  /** Sends a request; `onReply` sees every reply (streamed ones too). Replies to superseded requests of `slot` are dropped. */
  send(slot: string, request: Request, onReply: (r: Reply, ms?: number) => void, onError: (msg: string) => void): void {
    const id = this.nextId++;
    this.newest.set(slot, id);
    this.handlers.set(id, (env) => {
      if (this.newest.get(slot) !== id) {
        this.handlers.delete(id);
        return;
      }
      if (env.ok) {
        onReply(env.reply, env.ms);
        if (env.ms !== undefined) this.handlers.delete(id);
      } else {
        this.handlers.delete(id);
        onError(env.error);
      }
    });
    this.worker ??= this.start();
    this.worker.postMessage({ id, request });
  }

  /** Stops whatever runs (a learning run) by replacing the worker. */
  restart(): void {
    this.worker?.terminate();
    this.handlers.clear();
    this.worker = null;
  }
}
// One worker per kind of computation, so that a slow one (the which-side map, a learning run) never
// holds up a quick one (the risk MDP's numbers as a slider moves).
const workers = {
  risk: new Channel(),
  sideMap: new Channel(),
  bound: new Channel(),
  grid: new Channel(),
  learning: new Channel(),
  paths: new Channel(),
};

// ---------------------------------------------------------------- charts

const views = new Map<HTMLElement, { finalize(): void }>();
const drawn = new Map<HTMLElement, number>();
/** Draws a chart off-screen, then swaps it in (no flicker); a draw overtaken by a newer one is dropped. */
async function draw(el: HTMLElement, spec: unknown): Promise<void> {
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

interface PanelText {
  id: string;
  title: string;
  paper: string;
  text: string;
  notebooks: string[];
}
function panel(p: PanelText, controls: HTMLElement, output: HTMLElement): HTMLElement {
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

function slider(
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

function select(id: string, label: string, options: [string, string][], value: string, onChange: (v: string) => void): HTMLElement {
  const sel = h('select', { id }, ...options.map(([v, t]) => h('option', { value: v, ...(v === value ? { selected: true } : {}) }, t)));
  sel.addEventListener('change', () => onChange(sel.value));
  return h('label', { class: 'field', for: id }, h('span', {}, label), sel);
}

/** A choice among the maps of data/. */
function mapSelect(id: string, value: string, onChange: (v: string) => void): HTMLElement {
  return select(
    id,
    'map',
    MAP_NAMES.map((m) => [m, m]),
    value,
    onChange,
  );
}

/** A labelled control on one row. */
function field(label: string, input: HTMLInputElement): HTMLElement {
  return h('label', { class: 'field', for: input.id }, h('span', {}, label), input);
}

function numberField(id: string, label: string, value: number, r: { min: number; max: number; step: number }): HTMLInputElement {
  return h('input', { type: 'number', id, value: String(value), min: r.min, max: r.max, step: r.step, 'aria-label': label });
}

function status(id: string): HTMLElement {
  return h('p', { class: 'status', id, role: 'status', 'aria-live': 'polite' });
}

// ---------------------------------------------------------------- 1. the risk MDP (Fig. 3a)

function riskPanel(): HTMLElement {
  const params: RiskMDPParams = { ...RISK_MDP_DEFAULTS };
  for (const s of RISK_SLIDERS) params[s.key] = num(`risk.${s.key}`, params[s.key], s.min, s.max);
  const keys = RISK_SLIDERS.map((s) => s.key);
  let xKey = setting('risk.x', 'rewardRight') as RiskKey;
  let yKey = setting('risk.y', 'wind') as RiskKey;
  if (!keys.includes(xKey)) xKey = 'rewardRight';
  if (!keys.includes(yKey) || yKey === xKey) yKey = xKey === 'wind' ? 'rewardCenter' : 'wind';

  const methodsBody = h('tbody');
  const momentsBody = h('tbody');
  const mapEl = h('div', { class: 'chart', id: 'risk-map' });
  const st = status('risk-status');
  const section = h('div', { class: 'output' });
  let inputAt = 0;

  const recompute = () => {
    inputAt = performance.now();
    workers.risk.send(
      'risk',
      { kind: 'risk', params: { ...params } },
      (r) => {
        if (r.kind !== 'risk') return;
        methodsBody.replaceChildren(
          ...r.view.methods.map((m) =>
            h(
              'tr',
              { 'data-method': m.method, 'data-side': m.side, 'data-j': m.J, 'data-q-left': m.qLeft, 'data-q-right': m.qRight },
              h('th', {}, m.method),
              h('td', { class: `side ${m.side}` }, m.side),
              h('td', {}, fmt(m.qLeft)),
              h('td', {}, fmt(m.qRight)),
              h('td', {}, fmt(m.J)),
            ),
          ),
        );
        momentsBody.replaceChildren(
          ...(['Left', 'Right'] as const).map((side) =>
            h(
              'tr',
              { 'data-side': side, 'data-mean': r.view.moments[side].mean, 'data-variance': r.view.moments[side].variance },
              h('th', { class: `side ${side}` }, side),
              h('td', {}, fmt(r.view.moments[side].mean)),
              h('td', {}, fmt(r.view.moments[side].variance)),
            ),
          ),
        );
        // How long from the slider's input event to the new numbers on screen (the browser test reads it).
        section.setAttribute('data-latency-ms', (performance.now() - inputAt).toFixed(2));
        section.setAttribute('data-updates', String(Number(section.getAttribute('data-updates') ?? 0) + 1));
        st.textContent = '';
      },
      (msg) => (st.textContent = msg),
    );
    recomputeMap();
  };
  let mapTimer = 0;
  const recomputeMap = () => {
    clearTimeout(mapTimer);
    mapTimer = window.setTimeout(() => {
      workers.sideMap.send(
        'side-map',
        { kind: 'side-map', params: { ...params }, x: xKey, y: yKey, n: 21 },
        (r) => {
          if (r.kind !== 'side-map') return;
          const t0 = inputAt;
          // From the slider's input event to the redrawn map (it waits 60 ms for the slider to rest first).
          void draw(mapEl, sideMapSpec(r.cells, params, xKey, yKey)).then(() =>
            mapEl.setAttribute('data-latency-ms', (performance.now() - t0).toFixed(2)),
          );
        },
        (msg) => (st.textContent = msg),
      );
    }, 60);
  };

  const sliders = RISK_SLIDERS.map((s) =>
    slider(`risk-${s.key}`, s.label, s, params[s.key], (v) => {
      params[s.key] = v;
      save(`risk.${s.key}`, v);
      recompute();
    }),
  );
  const axisOptions = RISK_SLIDERS.map((s) => [s.key, s.label] as [string, string]);
  const controls = h(
    'div',
    { class: 'controls' },
    ...sliders,
    h(
      'fieldset',
      {},
      h('legend', {}, 'Axes of the map'),
      select('risk-x', 'x', axisOptions, xKey, (v) => {
        xKey = v as RiskKey;
        save('risk.x', v);
        recomputeMap();
      }),
      select('risk-y', 'y', axisOptions, yKey, (v) => {
        yKey = v as RiskKey;
        save('risk.y', v);
        recomputeMap();
      }),
    ),
  );
  section.append(
    h(
      'table',
      { class: 'numbers', id: 'risk-methods' },
      h('caption', {}, 'Each method’s exact optimum'),
      h(
        'thead',
        {},
        h('tr', {}, h('th', {}, 'method'), h('th', {}, 'side'), h('th', {}, 'Q(C, left)'), h('th', {}, 'Q(C, right)'), h('th', {}, 'J')),
      ),
      methodsBody,
    ),
    h(
      'table',
      { class: 'numbers', id: 'risk-moments' },
      h('caption', {}, 'Return from Center'),
      h('thead', {}, h('tr', {}, h('th', {}, 'side'), h('th', {}, 'mean'), h('th', {}, 'variance'))),
      momentsBody,
    ),
    mapEl,
    st,
  );
  recompute();
  return panel(
    {
      id: 'risk',
      title: 'The risk MDP',
      paper: 'Fig. 3a',
      text:
        'From Center the agent goes Left, where it stays for a sure reward, or Right, where a higher reward is interrupted by wind that blows it back to the poor Center. ' +
        'MnM optimises log r and so prefers the sure side, VMBPO’s objective grows with the spread of the return and prefers the risky one; move the sliders to see where each changes its mind.',
      notebooks: ['risk'],
    },
    controls,
    section,
  );
}

function sideMapSpec(cells: SideCell[], p: RiskMDPParams, xKey: RiskKey, yKey: RiskKey): unknown {
  const r = (k: RiskKey) => RISK_SLIDERS.find((s) => s.key === k)!;
  const dx = (r(xKey).max - r(xKey).min) / 20;
  const dy = (r(yKey).max - r(yKey).min) / 20;
  const x = {
    field: 'x0',
    type: 'quantitative',
    title: r(xKey).label,
    scale: { domain: [r(xKey).min - dx / 2, r(xKey).max + dx / 2], nice: false, zero: false },
  };
  const y = {
    field: 'y0',
    type: 'quantitative',
    title: r(yKey).label,
    scale: { domain: [r(yKey).min - dy / 2, r(yKey).max + dy / 2], nice: false, zero: false },
  };
  const panelSpec = (method: string) => ({
    title: method,
    width: 190,
    height: 160,
    layer: [
      {
        data: { values: cells.filter((c) => c.method === method) },
        transform: [
          { calculate: `datum.x - ${dx / 2}`, as: 'x0' },
          { calculate: `datum.x + ${dx / 2}`, as: 'x1' },
          { calculate: `datum.y - ${dy / 2}`, as: 'y0' },
          { calculate: `datum.y + ${dy / 2}`, as: 'y1' },
        ],
        mark: 'rect',
        encoding: {
          x,
          x2: { field: 'x1' },
          y,
          y2: { field: 'y1' },
          color: {
            field: 'side',
            type: 'nominal',
            scale: { domain: ['Left', 'Right'], range: ['#4c78a8', '#f58518'] },
            title: 'side picked',
          },
          opacity: {
            field: 'lowerMean',
            type: 'ordinal',
            scale: { domain: [false, true], range: [1, 0.45] },
            title: 'lower mean',
            legend: { labelExpr: "datum.label == 'true' ? 'lower-mean side' : 'higher-mean side'" },
          },
        },
      },
      {
        data: { values: [{ x0: p[xKey], y0: p[yKey] }] },
        mark: { type: 'point', shape: 'circle', size: 120, color: 'black', filled: false, strokeWidth: 2 },
        encoding: { x, y },
      },
    ],
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Which side each method picks (pale: the side with the lower mean return; ○: the sliders)',
    hconcat: ['return', 'MnM', 'VMBPO'].map(panelSpec),
    resolve: { scale: { color: 'shared' } },
  };
}

// ---------------------------------------------------------------- 2. the bound (Fig. 3b)

const BOUND_SERIES: ['logVmbpo' | 'logJ' | 'tight' | 'eq2', string][] = [
  ['logVmbpo', 'log VMBPO objective'],
  ['logJ', 'log J(π)'],
  ['tight', 'tight bound, Eq. 10'],
  ['eq2', 'MnM bound L(π, q), Eq. 2'],
];
const PROCEDURES: [Procedure, string][] = [
  ['alt-mnm', 'alternating, MnM reward'],
  ['alt-vmbpo', 'alternating, VMBPO reward'],
  ['vi-mnm', 'MnM value iteration'],
  ['vi-vmbpo', 'VMBPO value iteration'],
];
const REWARDS: [BoundRewards, string][] = [
  ['fig3b', 'Fig. 3b: 1, goal 10'],
  ['map', 'the map’s own'],
];

function boundPanel(): HTMLElement {
  let map = setting('bound.map', PAPER_GRID);
  if (!MAP_NAMES.includes(map)) map = MAP_NAMES.includes(PAPER_GRID) ? PAPER_GRID : MAP_NAMES[0];
  const defaultGamma = () => parseGridMap(mapText(map).text, map).gamma ?? 0.95;
  let gamma = num('bound.gamma', defaultGamma(), 0.5, 0.99);
  const pick = <T extends string>(key: string, options: [T, string][]) => options.find((o) => o[0] === hash.get(key))?.[0] ?? options[0][0];
  let procedure = pick('bound.procedure', PROCEDURES);
  let rewards = pick('bound.rewards', REWARDS);
  let rows: BoundRow[] = [];
  let converged = false;
  const unit = () => (procedure.startsWith('vi') ? 'sweep' : 'iteration');
  const chartEl = h('div', { class: 'chart', id: 'bound-chart' });
  const body = h('tbody');
  const st = status('bound-status');

  const render = () => {
    const label = PROCEDURES.find((p) => p[0] === procedure)![1];
    const series: SeriesRow[] = [];
    for (const r of rows) {
      for (const [k, name] of BOUND_SERIES) {
        series.push({ run: label, iteration: r.iteration, series: name, value: k === 'logVmbpo' ? Math.log(r.vmbpo) : r[k] });
      }
    }
    const spec = objectivesAlongVISpec(
      series,
      [label],
      BOUND_SERIES.map((s) => s[1]),
      { title: `Objectives of the policy π and model q at each ${unit()} (${map}, γ ${gamma})` },
    ) as unknown as { spec: { width: number; height: number; mark: object; encoding: { x: { title: string }; y: { scale?: object } } } };
    // E4's figure, sized for this page, with points (a few iterations show too) and a y axis fitted to the values.
    spec.spec.width = 520;
    spec.spec.height = 260;
    spec.spec.mark = { type: 'line', strokeWidth: 2, point: { size: 30 } };
    spec.spec.encoding.x.title = `${unit()} (log scale)`;
    spec.spec.encoding.y.scale = { zero: false };
    void draw(chartEl, spec);
    const last = rows[rows.length - 1];
    body.replaceChildren(
      ...(last
        ? [
            [unit(), String(last.iteration)],
            ['J(π)', fmt(last.J, 6)],
            ['log J(π)', fmt(last.logJ, 6)],
            ['MnM bound (Eq. 2)', fmt(last.eq2, 6)],
            ['tight bound (Eq. 10)', fmt(last.tight, 6)],
            ['VMBPO objective', fmt(last.vmbpo, 6)],
            ['log VMBPO objective', fmt(Math.log(last.vmbpo), 6)],
            [procedure.startsWith('vi') ? 'change of V' : 'change of q', last.change.toExponential(2)],
          ].map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, v)))
        : []),
    );
    chartEl.setAttribute('data-iterations', String(rows.length));
    chartEl.setAttribute('data-setting', `${map}|${gamma}|${rewards}|${procedure}`);
    if (last) body.setAttribute('data-last', JSON.stringify(last));
    st.textContent = converged
      ? `Converged after ${last.iteration} ${unit()}${last.iteration === 1 ? '' : 's'} (change of ${procedure.startsWith('vi') ? 'V < 1e-10' : 'q < 1e-6'}).`
      : '';
  };
  // Every step's answer counts (each goes on from the last), so none is dropped as superseded; answers to
  // steps of a procedure that a reset has since replaced are (generation).
  let generation = 0;
  let sent = 0;
  const step = (steps: number, reset = false) => {
    if (converged && !reset) return;
    if (reset) generation++;
    const mine = generation;
    workers.bound.send(
      `bound-${sent++}`,
      { kind: 'bound', map: mapText(map), gamma, rewards, procedure, reset, steps },
      (r) => {
        if (r.kind !== 'bound' || mine !== generation) return;
        if (reset) rows = [];
        rows.push(...r.rows);
        converged = r.converged;
        render();
      },
      (msg) => (st.textContent = msg),
    );
  };
  const reset = () => {
    rows = [];
    converged = false;
    step(1, true);
  };
  const gammaInput = h('input', { type: 'number', id: 'bound-gamma', min: 0.5, max: 0.99, step: 0.01, value: String(gamma) });
  gammaInput.addEventListener('change', () => {
    const v = Number(gammaInput.value);
    if (!(v >= 0.5 && v <= 0.99)) {
      st.textContent = `γ must be in [0.5, 0.99], got ${gammaInput.value}`;
      return;
    }
    gamma = v;
    save('bound.gamma', v);
    reset();
  });
  const controls = h(
    'div',
    { class: 'controls' },
    mapSelect('bound-map', map, (v) => {
      map = v;
      save('bound.map', v);
      gamma = defaultGamma();
      gammaInput.value = String(gamma);
      save('bound.gamma', gamma);
      reset();
    }),
    h('label', { class: 'field', for: 'bound-gamma' }, h('span', {}, 'γ'), gammaInput),
    select('bound-rewards', 'rewards', REWARDS, rewards, (v) => {
      rewards = v as BoundRewards;
      save('bound.rewards', v);
      reset();
    }),
    select('bound-procedure', 'procedure', PROCEDURES, procedure, (v) => {
      procedure = v as Procedure;
      save('bound.procedure', v);
      reset();
    }),
    h(
      'div',
      { class: 'buttons' },
      h('button', { id: 'bound-step', onclick: () => step(1) }, 'Step'),
      h('button', { id: 'bound-step10', onclick: () => step(10) }, 'Step ×10'),
      h('button', { id: 'bound-run', onclick: () => step(100000) }, 'To convergence'),
      h('button', { id: 'bound-reset', onclick: reset }, 'Reset'),
    ),
    h('table', { class: 'numbers', id: 'bound-values' }, h('caption', {}, 'At the last step'), body),
  );
  reset();
  return panel(
    {
      id: 'bound',
      title: 'The bound along the iterations',
      paper: 'Fig. 3b',
      text:
        'Each iteration of the authors’ alternating procedure (or a sweep of value iteration) gives a policy π and a model q; the MnM objective of that pair (Eq. 2) and the tight bound (Eq. 10) are lower bounds on log J(π), while VMBPO’s objective sits above J(π). ' +
        'Step through the iterations and watch the bounds climb toward log J without ever crossing it.',
      notebooks: ['bound'],
    },
    controls,
    h('div', { class: 'output' }, chartEl, st),
  );
}

// ---------------------------------------------------------------- 3. optimistic dynamics (Fig. 2a right)

/** The map's text with its grid rows replaced (the header, e.g. rewards, stays). */
function withCells(text: string, source: string, cells: string[]): string {
  const m = parseGridMap(text, source);
  const lines = text.split(/\r?\n/);
  for (let i = 0; i + m.rows <= lines.length; i++) {
    if (m.cells.every((row, k) => lines[i + k].replace(/\s+$/, '') === row)) {
      return [...lines.slice(0, i), ...cells, ...lines.slice(i + m.rows)].join('\n');
    }
  }
  return cells.join('\n');
}

function optimismPanel(): HTMLElement {
  let map = setting('grid.map', 'e1-open-10x10');
  if (!MAP_NAMES.includes(map)) map = MAP_NAMES[0];
  const preset = () => parseGridMap(mapText(map).text, map);
  let cells = preset().cells.map((r) => r.split(''));
  const saved = hash.get('grid.cells')?.split('/');
  if (saved && saved.length === cells.length && saved.every((r) => r.length === cells[0].length)) cells = saved.map((r) => r.split(''));
  let noise = num('grid.noise', preset().noise ?? 0.2, 0, 1);
  let gamma = num('grid.gamma', preset().gamma ?? 0.95, 0.5, 0.99);
  let form = setting('grid.form', 'eq5') === 'eq3' ? 'eq3' : 'eq5';
  let tool = 'wall';
  const gridEl = h('div', { class: 'grid', id: 'grid', role: 'grid', 'aria-label': 'editable grid: walls, start and goal' });
  const st = status('grid-status');
  const output = h('div', { class: 'output' });
  let inputAt = 0;
  let buttons: HTMLButtonElement[][] = [];

  const cellLabel = (ch: string, r: number, c: number) =>
    `row ${r + 1}, column ${c + 1}: ${ch === '#' ? 'wall' : ch === 'S' ? 'start' : ch === 'G' ? 'goal' : 'free'}`;
  const build = () => {
    gridEl.style.gridTemplateColumns = `repeat(${cells[0].length}, var(--cell))`;
    buttons = cells.map((row, r) =>
      row.map((ch, c) => {
        const b = h('button', {
          class: `cell k${ch === '#' ? 'wall' : ch === '.' ? 'free' : ch}`,
          'data-row': r,
          'data-col': c,
          'aria-label': cellLabel(ch, r, c),
        });
        b.textContent = ch === 'S' || ch === 'G' ? ch : '';
        b.addEventListener('click', () => edit(r, c));
        b.addEventListener('keydown', (e) => move(e, r, c));
        return b;
      }),
    );
    gridEl.replaceChildren(...buttons.flat());
  };
  // Arrow keys move between cells; Enter or Space edits one (a button's own behaviour).
  const move = (e: KeyboardEvent, r: number, c: number) => {
    const d = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[e.key];
    if (!d) return;
    e.preventDefault();
    buttons[Math.min(cells.length - 1, Math.max(0, r + d[0]))]?.[Math.min(cells[0].length - 1, Math.max(0, c + d[1]))]?.focus();
  };
  const edit = (r: number, c: number) => {
    const ch = cells[r][c];
    if (tool === 'wall' || tool === 'free') {
      if (ch === 'S' || ch === 'G') {
        st.textContent = 'Move the start or the goal elsewhere first.';
        return;
      }
      cells[r][c] = tool === 'wall' ? (ch === '#' ? '.' : '#') : '.';
    } else {
      const mark = tool === 'start' ? 'S' : 'G';
      const other = mark === 'S' ? 'G' : 'S';
      if (ch === other) {
        st.textContent = `That cell is the ${other === 'S' ? 'start' : 'goal'}.`;
        return;
      }
      for (const row of cells) for (let k = 0; k < row.length; k++) if (row[k] === mark) row[k] = '.';
      cells[r][c] = mark;
    }
    save('grid.cells', cells.map((row) => row.join('')).join('/'));
    build();
    buttons[r][c].focus();
    recompute();
  };
  const drawArrows = (arrows: Arrow[]) => {
    let longest = 0;
    for (const a of arrows) longest = Math.max(longest, Math.hypot(a.dRow, a.dCol));
    const k = longest > 0 ? 0.9 / longest : 0;
    for (const row of buttons) for (const b of row) b.querySelector('svg')?.remove();
    for (const a of arrows) {
      const b = buttons[a.row][a.col];
      b.setAttribute('data-drow', String(a.dRow));
      b.setAttribute('data-dcol', String(a.dCol));
      const len = Math.hypot(a.dRow, a.dCol) * k;
      if (len < 0.05) continue;
      const [x1, y1] = [50 + 50 * k * a.dCol, 50 + 50 * k * a.dRow];
      const [x0, y0] = [100 - x1, 100 - y1];
      const svgNs = 'http://www.w3.org/2000/svg';
      const svg = document.createElementNS(svgNs, 'svg');
      svg.setAttribute('viewBox', '0 0 100 100');
      svg.setAttribute('aria-hidden', 'true');
      const line = document.createElementNS(svgNs, 'line');
      for (const [n, v] of Object.entries({ x1: x0, y1: y0, x2: x1, y2: y1 })) line.setAttribute(n, v.toFixed(1));
      line.setAttribute('marker-end', 'url(#arrowhead)');
      svg.append(line);
      b.append(svg);
    }
  };
  const recompute = () => {
    inputAt = performance.now();
    const text = withCells(
      mapText(map).text,
      `edited ${map}`,
      cells.map((row) => row.join('')),
    );
    workers.grid.send(
      'arrows',
      { kind: 'arrows', map: { name: `edited grid (${map})`, text }, noise, gamma, form: form as 'eq3' | 'eq5' },
      (r, ms) => {
        if (r.kind !== 'arrows') return;
        drawArrows(r.arrows);
        output.setAttribute('data-latency-ms', (performance.now() - inputAt).toFixed(2));
        output.setAttribute('data-updates', String(Number(output.getAttribute('data-updates') ?? 0) + 1));
        st.textContent = ms !== undefined ? `q* computed in ${ms.toFixed(1)} ms.` : '';
      },
      (msg) => (st.textContent = msg),
    );
  };
  const tools = h(
    'fieldset',
    { class: 'tools' },
    h('legend', {}, 'A click places'),
    ...(['wall', 'free', 'start', 'goal'] as const).map((t) => {
      const input = h('input', {
        type: 'radio',
        name: 'grid-tool',
        id: `grid-tool-${t}`,
        value: t,
        ...(t === tool ? { checked: true } : {}),
      });
      input.addEventListener('change', () => (tool = t));
      return h('label', { for: `grid-tool-${t}` }, input, t === 'wall' ? 'wall (toggle)' : t);
    }),
  );
  const forms = h(
    'fieldset',
    { class: 'tools' },
    h('legend', {}, 'Reward form'),
    ...(
      [
        ['eq3', 'Eq. 3: (1−γ) log r'],
        ['eq5', 'Eq. 5: log r'],
      ] as const
    ).map(([f, label]) => {
      const input = h('input', {
        type: 'radio',
        name: 'grid-form',
        id: `grid-form-${f}`,
        value: f,
        ...(f === form ? { checked: true } : {}),
      });
      input.addEventListener('change', () => {
        form = f;
        save('grid.form', f);
        recompute();
      });
      return h('label', { for: `grid-form-${f}` }, input, label);
    }),
  );
  const noiseSlider = slider('grid-noise', 'noise ε', { min: 0, max: 1, step: 0.01 }, noise, (v) => {
    noise = v;
    save('grid.noise', v);
    recompute();
  });
  const gammaSlider = slider('grid-gamma', 'γ', { min: 0.5, max: 0.99, step: 0.01 }, gamma, (v) => {
    gamma = v;
    save('grid.gamma', v);
    recompute();
  });
  const controls = h(
    'div',
    { class: 'controls' },
    mapSelect('grid-map', map, (v) => {
      map = v;
      save('grid.map', v);
      cells = preset().cells.map((r) => r.split(''));
      hash.delete('grid.cells');
      save('grid.map', v);
      build();
      recompute();
    }),
    tools,
    noiseSlider,
    gammaSlider,
    forms,
  );
  output.append(
    gridEl,
    h(
      'p',
      { class: 'legend' },
      'Arrows: where q* moves the agent on average, minus where p moves it (mean over actions), scaled so the longest spans 0.9 cell.',
    ),
    st,
  );
  output.prepend(arrowDefs());
  build();
  recompute();
  return panel(
    {
      id: 'optimism',
      title: 'Optimistic dynamics',
      paper: 'Fig. 2a, right',
      text:
        'The model that maximises the MnM objective is the true one tilted toward high-value states, q*(s′|s,a) ∝ p(s′|s,a) exp(γ V(s′)): it bends the noise toward the goal. ' +
        'Click or press Enter on cells to move walls, the start and the goal (arrow keys move between cells), and the arrows of q* − p follow.',
      notebooks: ['optimism'],
    },
    controls,
    output,
  );
}

/** The arrowhead marker the grid's arrows share. */
function arrowDefs(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', '0');
  svg.setAttribute('height', '0');
  svg.style.position = 'absolute';
  svg.innerHTML =
    '<defs><marker id="arrowhead" viewBox="0 0 10 10" refX="6" refY="5" markerWidth="4" markerHeight="4" orient="auto-start-reverse">' +
    '<path d="M 0 0 L 10 5 L 0 10 z" fill="#1f5fbf"/></marker></defs>';
  return svg;
}

// ---------------------------------------------------------------- 4. learning from samples (Fig. 2a left, 2b)

function learningPanel(): HTMLElement {
  let map = setting('learn.map', 'e1-open-10x10');
  if (!MAP_NAMES.includes(map)) map = MAP_NAMES[0];
  const seed = numberField('learn-seed', 'seed', num('learn.seed', 1, 0, 1e9), { min: 0, max: 1e9, step: 1 });
  const budget = numberField('learn-budget', 'updates', num('learn.updates', 120000, 100, 5e6), { min: 100, max: 5e6, step: 1000 });
  const chosen = new Set<Method>(
    (setting('learn.methods', 'mnm,q-true,vmbpo').split(',') as Method[]).filter((m) => CURVE_METHODS.some((c) => c.method === m)),
  );
  const chartEl = h('div', { class: 'chart placeholder', id: 'learn-chart' }, 'Press Run: the curves stream in as the learners train.');
  const st = status('learn-status');
  const PATH_PROCEDURES: ['paper' | 'e2', string][] = [
    ['paper', 'the authors’ exact procedure'],
    ['e2', 'learners from samples (E2)'],
  ];
  const PATH_MAPS = { paper: 'paper-fig2b-15x15', e2: 'e2-fine-walls-12x12' };
  let pathProcedure = PATH_PROCEDURES.find((p) => p[0] === hash.get('paths.procedure'))?.[0] ?? 'paper';
  let pathMap = setting('paths.map', PATH_MAPS[pathProcedure]);
  if (!MAP_NAMES.includes(pathMap)) pathMap = MAP_NAMES[0];
  const pathSeed = numberField('paths-seed', 'seed', num('paths.seed', 1, 0, 1e9), { min: 0, max: 1e9, step: 1 });
  const pathBudget = numberField('paths-budget', 'updates', num('paths.updates', 200000, 100, 5e6), { min: 100, max: 5e6, step: 1000 });
  const pathsEl = h(
    'div',
    { class: 'chart placeholder', id: 'paths-chart' },
    'Press Run under “Capacity-limited model”: both learners train, then their paths show.',
  );
  const pathSt = status('paths-status');
  const runBtn = h('button', { id: 'learn-run' }, 'Run');
  const stopBtn = h('button', { id: 'learn-stop', disabled: true }, 'Stop');
  const pathBtn = h('button', { id: 'paths-run' }, 'Run');

  const valid = (input: HTMLInputElement, lo: number, hi: number, what: string): number | null => {
    const v = Number(input.value);
    if (input.value.trim() !== '' && Number.isInteger(v) && v >= lo && v <= hi) return v;
    (input.id.startsWith('paths') ? pathSt : st).textContent = `${what} must be a whole number in [${lo}, ${hi}], got '${input.value}'`;
    return null;
  };
  const order = CURVE_METHODS.map((m) => m.label);
  const labelOf = (m: Method) => CURVE_METHODS.find((c) => c.method === m)!.label;
  let points: CurveRow[] = [];
  let drawTimer = 0;
  let lastDraw = 0;
  let running = false;
  const redraw = () => {
    drawTimer = 0;
    lastDraw = performance.now();
    void draw(
      chartEl,
      learningCurveSpec(points, {
        title: `True return of each learner’s greedy policy (${map}, seed ${seed.value})`,
        xTitle: 'Q-learning updates',
        yTitle: 'J(π) / J*',
        order,
        reference: { y: 1, label: 'J*' },
        width: 560,
        height: 260,
      }),
    );
  };
  // The curve streams in: redraw at most every 200 ms while points arrive.
  const scheduleDraw = () => {
    if (drawTimer) return;
    drawTimer = window.setTimeout(redraw, Math.max(0, 200 - (performance.now() - lastDraw)));
  };
  const run = () => {
    const s = valid(seed, 0, 1e9, 'seed');
    const u = s === null ? null : valid(budget, 100, 5e6, 'updates');
    if (s === null || u === null) return;
    if (chosen.size === 0) {
      st.textContent = 'Pick at least one learner.';
      return;
    }
    save('learn.seed', s);
    save('learn.updates', u);
    workers.learning.restart();
    points = [];
    running = true;
    runBtn.disabled = true;
    stopBtn.disabled = false;
    chartEl.removeAttribute('data-done');
    const t0 = performance.now();
    st.textContent = 'Running…';
    workers.learning.send(
      'curves',
      { kind: 'curves', map: mapText(map), seed: s, updates: u, methods: [...chosen] },
      (r) => {
        if (r.kind === 'curve-point') {
          const y = r.point.ret / r.jStar;
          points.push({ method: labelOf(r.method), x: r.point.update, mean: y, lo: y, hi: y });
          st.textContent = `Running… ${labelOf(r.method)} at ${r.point.update} updates.`;
          scheduleDraw();
        } else if (r.kind === 'curves') {
          clearTimeout(drawTimer);
          redraw();
          running = false;
          runBtn.disabled = false;
          stopBtn.disabled = true;
          chartEl.setAttribute('data-done', 'true');
          chartEl.setAttribute('data-points', String(points.length));
          chartEl.setAttribute('data-curve', JSON.stringify(points));
          st.textContent = `Done in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${points.length} points.`;
        }
      },
      (msg) => {
        running = false;
        runBtn.disabled = false;
        stopBtn.disabled = true;
        st.textContent = msg;
      },
    );
  };
  pathSeed.disabled = pathBudget.disabled = pathProcedure === 'paper';
  runBtn.addEventListener('click', run);
  stopBtn.addEventListener('click', () => {
    if (!running) return;
    workers.learning.restart();
    running = false;
    runBtn.disabled = false;
    stopBtn.disabled = true;
    st.textContent = 'Stopped.';
  });
  const runPaths = () => {
    const s = valid(pathSeed, 0, 1e9, 'seed');
    const u = s === null ? null : valid(pathBudget, 100, 5e6, 'updates');
    if (s === null || u === null) return;
    save('paths.seed', s);
    save('paths.updates', u);
    pathBtn.disabled = true;
    pathSt.textContent = 'Running…';
    const t0 = performance.now();
    workers.paths.send(
      'paths',
      { kind: 'paths', procedure: pathProcedure, map: mapText(pathMap), seed: s, updates: u },
      (r) => {
        if (r.kind !== 'paths') return;
        pathBtn.disabled = false;
        pathsEl.setAttribute('data-paths', JSON.stringify(r.results));
        const run = pathProcedure === 'paper' ? 'exact procedure' : `seed ${s}`;
        const pts: PathPoint[] = r.results.flatMap((res) =>
          res.path.map(([row, col], step) => ({ panel: res.label, path: run, step, row, col })),
        );
        void draw(
          pathsEl,
          gridPathsSpec(pts, r.outline, {
            title: `Most likely path of the final greedy policy (${pathMap}, ${run})`,
            panels: r.results.map((x) => x.label),
            // Three 15-column panels fit beside the controls at 1,280 px.
            cell: Math.max(10, Math.min(22, Math.floor(850 / (r.results.length * r.outline.cols)))),
          }),
        );
        pathSt.textContent =
          r.results
            .map((x) => `${x.label}: ${x.reaches ? 'reaches' : 'does not reach'} the goal (P within 100 steps ${fmt(x.reachProb, 3)})`)
            .join('; ') + ` — ${((performance.now() - t0) / 1000).toFixed(1)} s.`;
      },
      (msg) => {
        pathBtn.disabled = false;
        pathSt.textContent = msg;
      },
    );
  };
  pathBtn.addEventListener('click', runPaths);
  const methodBoxes = h(
    'fieldset',
    { class: 'tools' },
    h('legend', {}, 'Learners'),
    ...CURVE_METHODS.map(({ method, label }) => {
      const box = h('input', { type: 'checkbox', id: `learn-${method}`, ...(chosen.has(method) ? { checked: true } : {}) });
      box.addEventListener('change', () => {
        if (box.checked) chosen.add(method);
        else chosen.delete(method);
        save('learn.methods', [...chosen].join(','));
      });
      return h('label', { for: `learn-${method}` }, box, label);
    }),
  );
  const controls = h(
    'div',
    { class: 'controls' },
    mapSelect('learn-map', map, (v) => {
      map = v;
      save('learn.map', v);
    }),
    field('seed', seed),
    field('updates', budget),
    methodBoxes,
    h('div', { class: 'buttons' }, runBtn, stopBtn),
    h('h3', {}, 'Capacity-limited model (Fig. 2b)'),
    select('paths-procedure', 'procedure', PATH_PROCEDURES, pathProcedure, (v) => {
      pathProcedure = v as 'paper' | 'e2';
      save('paths.procedure', v);
      // Each procedure's own map (the paper's needs walls as states); the seed and budget are the learners'.
      pathMap = PATH_MAPS[pathProcedure];
      save('paths.map', pathMap);
      (document.getElementById('paths-map') as HTMLSelectElement).value = pathMap;
      pathSeed.disabled = pathBudget.disabled = pathProcedure === 'paper';
    }),
    mapSelect('paths-map', pathMap, (v) => {
      pathMap = v;
      save('paths.map', v);
    }),
    field('seed', pathSeed),
    field('updates', pathBudget),
    h('div', { class: 'buttons' }, pathBtn),
  );
  return panel(
    {
      id: 'learning',
      title: 'Learning from samples',
      paper: 'Fig. 2a left, Fig. 2b',
      text:
        'The learners see only sampled transitions: Q-learning on the true dynamics, MnM and VMBPO inside a model they learn with a classifier, each measured by the exact return of its greedy policy. ' +
        'Below, a model that sees the grid only in 3×3 blocks walks through walls; the KL (classifier) term of MnM’s objective keeps the policy off those transitions, and without it the path runs into the wall.',
      notebooks: ['learning', 'capacity'],
    },
    controls,
    h(
      'div',
      { class: 'output' },
      chartEl,
      st,
      h('h3', { class: 'wide' }, 'Capacity-limited model: paths with and without the classifier term'),
      pathsEl,
      pathSt,
    ),
  );
}

// ---------------------------------------------------------------- the page

function main(): void {
  const app = byId('app');
  const nav = h(
    'nav',
    { 'aria-label': 'panels' },
    ...[
      ['risk', 'Risk MDP'],
      ['bound', 'The bound'],
      ['optimism', 'Optimistic dynamics'],
      ['learning', 'Learning'],
    ].map(([id, t]) => h('a', { href: `#`, 'data-target': id, onclick: (e: Event) => (e.preventDefault(), byId(id).scrollIntoView()) }, t)),
  );
  app.append(nav, riskPanel(), boundPanel(), optimismPanel(), learningPanel());
  app.setAttribute('data-ready', 'true');
}

main();
