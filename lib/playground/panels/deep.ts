/// <reference lib="dom" />
/**
 * 5. Deep RL in the page: SAC learning Pendulum on the workbench's WebAssembly engine, in a worker (deep.ts), the
 * return of every episode streamed into the chart. The chart element carries the points so far (`data-curve`,
 * DeepPoint[] as JSON) and `data-done` at the end, for the test.
 */
import { learningCurveSpec, type CurveRow } from '../../plot/learning-curve';
import { workers } from '../channel';
import { DEEP_DEFAULTS, DEEP_FIXED, type DeepPoint, MEAN_OF } from '../deep';
import { draw, field, h, num, numberField, panel, save, select, setting, status, streaming, wholeNumber } from '../ui';

const WIDTHS = ['16', '32', '64', '128', '256'];
const EPISODE = 'each episode';
const MEAN = `mean of the latest ${MEAN_OF}`;

export function deepPanel(): HTMLElement {
  const seed = numberField('deep-seed', 'seed', num('deep.seed', DEEP_DEFAULTS.seed, 0, 1e9), { min: 0, max: 1e9, step: 1 });
  let hidden = setting('deep.hidden', String(DEEP_DEFAULTS.hidden));
  if (!WIDTHS.includes(hidden)) hidden = String(DEEP_DEFAULTS.hidden);
  const ups = numberField('deep-updates', 'updates per env step', num('deep.updates', DEEP_DEFAULTS.updatesPerStep, 0, 20), {
    min: 0,
    max: 20,
    step: 1,
  });
  const steps = numberField('deep-steps', 'env steps', num('deep.steps', DEEP_DEFAULTS.envSteps, 200, 1e6), {
    min: 200,
    max: 1e6,
    step: 200,
  });
  const chartEl = h('div', { class: 'chart placeholder', id: 'deep-chart' }, 'Press Run: the returns stream in as SAC learns.');
  const st = status('deep-status');
  const runBtn = h('button', { id: 'deep-run' }, 'Run');
  const stopBtn = h('button', { id: 'deep-stop', disabled: true }, 'Stop');

  let points: DeepPoint[] = [];
  let shownSeed = 0;
  const redraw = () => {
    const rows: CurveRow[] = points.flatMap((p) => [
      { method: EPISODE, x: p.envSteps, mean: p.ret, lo: p.ret, hi: p.ret },
      { method: MEAN, x: p.envSteps, mean: p.mean, lo: p.mean, hi: p.mean },
    ]);
    void draw(
      chartEl,
      learningCurveSpec(rows, {
        title: `SAC on Pendulum, in this page (seed ${shownSeed})`,
        xTitle: 'env steps',
        yTitle: 'return of the episode',
        order: [MEAN, EPISODE],
        diagnostic: [EPISODE],
        reference: { y: -200, label: 'learned (about −200)' },
        bounds: [null, 0],
        width: 560,
        height: 260,
      }),
    );
  };
  // The curve streams in: redraw at most every 300 ms while points arrive.
  const stream = streaming(redraw, 300, runBtn, stopBtn, st);
  const stopped = stream.stopped;
  const run = () => {
    const s = wholeNumber(seed, 0, 1e9, 'seed', st);
    const u = s === null ? null : wholeNumber(ups, 0, 20, 'updates per env step', st);
    const n = u === null ? null : wholeNumber(steps, 200, 1e6, 'env steps', st);
    if (s === null || u === null || n === null) return;
    save('deep.seed', s);
    save('deep.updates', u);
    save('deep.steps', n);
    workers.deep.restart();
    points = [];
    shownSeed = s;
    stream.started();
    chartEl.removeAttribute('data-done');
    chartEl.setAttribute('data-curve', '[]');
    const t0 = performance.now();
    st.textContent = `Running… the first ${DEEP_FIXED.randomSteps} env steps act at random.`;
    workers.deep.send(
      'deep',
      { kind: 'deep', params: { seed: s, hidden: Number(hidden), updatesPerStep: u, envSteps: n } },
      (r) => {
        if (r.kind === 'deep-point') {
          const p = r.point;
          points.push(p);
          chartEl.setAttribute('data-curve', JSON.stringify(points));
          const secs = ((performance.now() - t0) / 1000).toFixed(1);
          st.textContent = `Running… episode ${p.episode}, ${p.envSteps} env steps, ${p.updates} updates, ${secs} s: mean return of the latest ${MEAN_OF} ${p.mean.toFixed(0)}.`;
          stream.soon();
        } else if (r.kind === 'deep') {
          stream.now();
          chartEl.setAttribute('data-done', 'true');
          const last = points[points.length - 1];
          stopped(
            `Done in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${points.length} episodes` +
              (last ? `, mean return of the latest ${MEAN_OF} ${last.mean.toFixed(0)}.` : '.'),
          );
        }
      },
      stopped,
    );
  };
  runBtn.addEventListener('click', run);
  stopBtn.addEventListener('click', () => {
    if (!stream.isRunning()) return;
    workers.deep.restart();
    stream.now();
    stopped(`Stopped after ${points.length} episodes.`);
  });
  const controls = h(
    'div',
    { class: 'controls' },
    field('seed', seed),
    select(
      'deep-hidden',
      'hidden units (2 layers)',
      WIDTHS.map((w) => [w, w]),
      hidden,
      (v) => {
        hidden = v;
        save('deep.hidden', v);
      },
    ),
    field('updates per env step', ups),
    field('env steps', steps),
    h('div', { class: 'buttons' }, runBtn, stopBtn),
  );
  return panel(
    {
      id: 'deep',
      title: 'Deep RL in this page',
      paper: 'the deep experiments’ agent',
      text:
        'SAC, the agent under MBPO and MnM-approx in the deep experiments, learns Pendulum here in a worker, on the same WebAssembly engine the workbench trains with (its SAC update is one call into it). ' +
        `Its first ${DEEP_FIXED.randomSteps} steps are random, then each env step makes the chosen number of updates on batches of ${DEEP_FIXED.batch}; ` +
        'a random policy scores about −1200 per 200-step episode, a learned one about −200. Set the updates to 0 to see it not learn.',
      notebooks: ['deep'],
    },
    controls,
    h('div', { class: 'output' }, chartEl, st),
  );
}
