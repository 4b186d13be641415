/// <reference lib="dom" />
/** 1. The risk MDP (Fig. 3a): sliders over its parameters, each method's exact optimum, and where each changes side. */
import { sideMapSpec } from '../../plot/risk-mdp';
import type { RiskMDPParams } from '../../tabular/risk-mdp';
import { workers } from '../channel';
import { RISK_MDP_DEFAULTS, RISK_SLIDERS, type RiskKey, type RiskMethodView } from '../compute';
import { draw, fmt, h, num, panel, save, select, setting, slider, status } from '../ui';

/** Cells per axis of the which-side map. */
const SIDE_MAP_N = 21;

/** A method's row of the optimum table; the data attributes carry the exact numbers (the browser test reads them). */
function methodRow(m: RiskMethodView): HTMLElement {
  return h(
    'tr',
    { 'data-method': m.method, 'data-side': m.side, 'data-j': m.J, 'data-q-left': m.qLeft, 'data-q-right': m.qRight },
    h('th', {}, m.method),
    h('td', { class: `side ${m.side}` }, m.side),
    h('td', {}, fmt(m.qLeft)),
    h('td', {}, fmt(m.qRight)),
    h('td', {}, fmt(m.J)),
  );
}

function momentRow(side: 'Left' | 'Right', m: { mean: number; variance: number }): HTMLElement {
  return h(
    'tr',
    { 'data-side': side, 'data-mean': m.mean, 'data-variance': m.variance },
    h('th', { class: `side ${side}` }, side),
    h('td', {}, fmt(m.mean)),
    h('td', {}, fmt(m.variance)),
  );
}

/** A table of numbers with a caption and a header row. */
function numbersTable(id: string, caption: string, heads: string[], body: HTMLElement): HTMLElement {
  return h(
    'table',
    { class: 'numbers', id },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...heads.map((t) => h('th', {}, t)))),
    body,
  );
}

export function riskPanel(): HTMLElement {
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
        methodsBody.replaceChildren(...r.view.methods.map(methodRow));
        momentsBody.replaceChildren(...(['Left', 'Right'] as const).map((side) => momentRow(side, r.view.moments[side])));
        // How long from the slider's input event to the new numbers on screen (the browser test reads it).
        section.setAttribute('data-latency-ms', (performance.now() - inputAt).toFixed(2));
        section.setAttribute('data-updates', String(Number(section.getAttribute('data-updates') ?? 0) + 1));
        st.textContent = '';
      },
      (msg) => (st.textContent = msg),
    );
    recomputeMap();
  };
  const axis = (k: RiskKey) => {
    const s = RISK_SLIDERS.find((r) => r.key === k)!;
    return { label: s.label, min: s.min, max: s.max, value: params[k] };
  };
  let mapTimer = 0;
  const recomputeMap = () => {
    clearTimeout(mapTimer);
    mapTimer = window.setTimeout(() => {
      workers.sideMap.send(
        'side-map',
        { kind: 'side-map', params: { ...params }, x: xKey, y: yKey, n: SIDE_MAP_N },
        (r) => {
          if (r.kind !== 'side-map') return;
          const t0 = inputAt;
          const methods = [...new Set(r.cells.map((c) => c.method))];
          // From the slider's input event to the redrawn map (it waits 60 ms for the slider to rest first).
          void draw(mapEl, sideMapSpec(r.cells, { x: axis(xKey), y: axis(yKey) }, methods, SIDE_MAP_N)).then(() =>
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
    numbersTable('risk-methods', 'Each method’s exact optimum', ['method', 'side', 'Q(C, left)', 'Q(C, right)', 'J'], methodsBody),
    numbersTable('risk-moments', 'Return from Center', ['side', 'mean', 'variance'], momentsBody),
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
