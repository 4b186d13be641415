/// <reference lib="dom" />
/**
 * 4. Learning from samples (Fig. 2a left, 2b): E1's learners run in a worker, their curves streamed in as they
 * train; below them the capacity-limited paths (capacity-paths.ts).
 */
import { learningCurveSpec, type CurveRow } from '../../plot/learning-curve';
import type { Method } from '../../tabular/mnm-agent';
import { workers } from '../channel';
import { CURVE_METHODS } from '../compute';
import { E1_GRID, mapSelect, mapText, pickMap } from '../maps';
import { draw, field, h, num, numberField, panel, save, setting, status, streaming, wholeNumber } from '../ui';
import { capacityPaths } from './capacity-paths';

export function learningPanel(): HTMLElement {
  let map = pickMap('learning', setting('learn.map', E1_GRID), E1_GRID);
  const seed = numberField('learn-seed', 'seed', num('learn.seed', 1, 0, 1e9), { min: 0, max: 1e9, step: 1 });
  const budget = numberField('learn-budget', 'updates', num('learn.updates', 120000, 100, 5e6), { min: 100, max: 5e6, step: 1000 });
  const chosen = new Set<Method>(
    (setting('learn.methods', 'mnm,q-true,vmbpo').split(',') as Method[]).filter((m) => CURVE_METHODS.some((c) => c.method === m)),
  );
  const chartEl = h('div', { class: 'chart placeholder', id: 'learn-chart' }, 'Press Run: the curves stream in as the learners train.');
  const st = status('learn-status');
  const runBtn = h('button', { id: 'learn-run' }, 'Run');
  const stopBtn = h('button', { id: 'learn-stop', disabled: true }, 'Stop');

  const order = CURVE_METHODS.map((m) => m.label);
  const labelOf = (m: Method) => CURVE_METHODS.find((c) => c.method === m)!.label;
  let points: CurveRow[] = [];
  const redraw = () => {
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
  const stream = streaming(redraw, 200, runBtn, stopBtn, st);
  const stopped = stream.stopped;
  const run = () => {
    const s = wholeNumber(seed, 0, 1e9, 'seed', st);
    const u = s === null ? null : wholeNumber(budget, 100, 5e6, 'updates', st);
    if (s === null || u === null) return;
    if (chosen.size === 0) {
      st.textContent = 'Pick at least one learner.';
      return;
    }
    save('learn.seed', s);
    save('learn.updates', u);
    workers.learning.restart();
    points = [];
    stream.started();
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
          stream.soon();
        } else if (r.kind === 'curves') {
          stream.now();
          chartEl.setAttribute('data-done', 'true');
          chartEl.setAttribute('data-points', String(points.length));
          chartEl.setAttribute('data-curve', JSON.stringify(points));
          stopped(`Done in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${points.length} points.`);
        }
      },
      stopped,
    );
  };
  runBtn.addEventListener('click', run);
  stopBtn.addEventListener('click', () => {
    if (!stream.isRunning()) return;
    workers.learning.restart();
    stopped('Stopped.');
  });
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
  const paths = capacityPaths();
  const controls = h(
    'div',
    { class: 'controls' },
    mapSelect('learn-map', 'learning', map, (v) => {
      map = v;
      save('learn.map', v);
    }),
    field('seed', seed),
    field('updates', budget),
    methodBoxes,
    h('div', { class: 'buttons' }, runBtn, stopBtn),
    ...paths.controls,
  );
  return panel(
    {
      id: 'learning',
      title: 'Learning from samples',
      paper: 'Fig. 2a left, Fig. 2b',
      text:
        'The learners see only sampled transitions: Q-learning on the true dynamics, MnM and VMBPO inside a model they learn with a classifier, each measured by the exact return of its greedy policy. ' +
        'Below, a model that sees the grid only in 3×3 blocks walks through walls; in the paper (Fig. 2b) the KL (classifier) term of MnM’s objective keeps the policy off those transitions, and without it the path runs into the wall. ' +
        'Run the authors’ exact procedure and E2’s learners from samples to see where each shows it; E2’s verdict over many seeds is in the notebook.',
      notebooks: ['learning', 'capacity'],
    },
    controls,
    h('div', { class: 'output' }, chartEl, st, ...paths.output),
  );
}
