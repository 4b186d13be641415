/// <reference lib="dom" />
/**
 * 2. The bound along the iterations (Fig. 3b): the authors' alternating procedure or value iteration, stepped in
 * the worker, with the objectives of each iteration's (π, q). A new setting is shown run to convergence (the whole
 * curve); "Restart" goes back to iteration 1 to step through it.
 */
import { type AlongStepsLook, objectivesAlongVISpec, type SeriesRow } from '../../plot/lower-bound';
import { parseGridMap } from '../../tabular/gridworld';
import { workers } from '../channel';
import type { BoundRow } from '../compute';
import { mapSelect, mapText, PAPER_GRID, pickMap } from '../maps';
import type { BoundRewards, Procedure } from '../protocol';
import { draw, fmt, h, hash, num, panel, save, select, setting, status } from '../ui';

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
/** Steps asked for by "To convergence" (the worker stops at convergence). */
const TO_CONVERGENCE = 100000;

export function boundPanel(): HTMLElement {
  let map = pickMap('bound', setting('bound.map', PAPER_GRID), PAPER_GRID);
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
    const last = rows[rows.length - 1];
    // E4's figure, sized for this page, with points (a few iterations show too) and a y axis fitted to the values.
    const look: AlongStepsLook = { width: 520, height: 260, xTitle: `${unit()} (log scale)`, lastIteration: last?.iteration ?? 1 };
    const spec = objectivesAlongVISpec(
      series,
      [label],
      BOUND_SERIES.map((s) => s[1]),
      { title: `Objectives of the policy π and model q at each ${unit()} (${map}, γ ${gamma})` },
      look,
    );
    void draw(chartEl, spec);
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
    chartEl.setAttribute('data-converged', String(converged));
    if (last) body.setAttribute('data-last', JSON.stringify(last));
    st.textContent = converged
      ? `Converged after ${last.iteration} ${unit()}${last.iteration === 1 ? '' : 's'} (change of ${procedure.startsWith('vi') ? 'V < 1e-10' : 'q < 1e-6'}). Restart to step through them.`
      : '';
  };
  // Every step's answer counts (each goes on from the last), so none is dropped as superseded; answers to
  // steps of a procedure that a restart has since replaced are (generation).
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
  /** Starts the procedure anew and shows its first `steps` iterations. */
  const restart = (steps: number) => {
    rows = [];
    converged = false;
    step(steps, true);
  };
  // A new setting shows its whole curve at once.
  const changed = () => restart(TO_CONVERGENCE);
  const gammaInput = h('input', { type: 'number', id: 'bound-gamma', min: 0.5, max: 0.99, step: 0.01, value: String(gamma) });
  gammaInput.addEventListener('change', () => {
    const v = Number(gammaInput.value);
    if (!(v >= 0.5 && v <= 0.99)) {
      st.textContent = `γ must be in [0.5, 0.99], got ${gammaInput.value}`;
      return;
    }
    gamma = v;
    save('bound.gamma', v);
    changed();
  });
  const controls = h(
    'div',
    { class: 'controls' },
    mapSelect('bound-map', 'bound', map, (v) => {
      map = v;
      save('bound.map', v);
      gamma = defaultGamma();
      gammaInput.value = String(gamma);
      save('bound.gamma', gamma);
      changed();
    }),
    h('label', { class: 'field', for: 'bound-gamma' }, h('span', {}, 'γ'), gammaInput),
    select('bound-rewards', 'rewards', REWARDS, rewards, (v) => {
      rewards = v as BoundRewards;
      save('bound.rewards', v);
      changed();
    }),
    select('bound-procedure', 'procedure', PROCEDURES, procedure, (v) => {
      procedure = v as Procedure;
      save('bound.procedure', v);
      changed();
    }),
    h(
      'div',
      { class: 'buttons' },
      h('button', { id: 'bound-reset', onclick: () => restart(1) }, 'Restart'),
      h('button', { id: 'bound-step', onclick: () => step(1) }, 'Step'),
      h('button', { id: 'bound-step10', onclick: () => step(10) }, 'Step ×10'),
      h('button', { id: 'bound-run', onclick: () => step(TO_CONVERGENCE) }, 'To convergence'),
    ),
    h('table', { class: 'numbers', id: 'bound-values' }, h('caption', {}, 'At the last step'), body),
  );
  changed();
  return panel(
    {
      id: 'bound',
      title: 'The bound along the iterations',
      paper: 'Fig. 3b',
      text:
        'Each iteration of the authors’ alternating procedure (or a sweep of value iteration) gives a policy π and a model q; the MnM objective of that pair (Eq. 2) and the tight bound (Eq. 10) are lower bounds on log J(π), while VMBPO’s objective sits above J(π). ' +
        'The chart shows the run to convergence: Restart, then Step, to watch the bounds climb toward log J without ever crossing it.',
      notebooks: ['bound'],
    },
    controls,
    h('div', { class: 'output' }, chartEl, st),
  );
}
