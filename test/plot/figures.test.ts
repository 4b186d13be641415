// The figure builders: fraction intervals inside [0, 1], interactive params on the curves, panels wrapped to fit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gridPathsSpec, type PathPoint } from '../../lib/plot/grid-paths';
import { clipBands, finalMeans, learningCurveSpec } from '../../lib/plot/learning-curve';
import { specToSvg } from '../../lib/plot/render';
import { wrapLines } from '../../lib/plot/spec';
import { fractionBands, wilsonInterval } from '../../lib/stats';

test('Wilson intervals stay inside [0, 1] and match the textbook values', () => {
  // 0 of 10: [0, 0.2775]; 10 of 10: [0.7225, 1]; 5 of 10: [0.2366, 0.7634] (z = 1.96).
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 5e-4, `${a} ≠ ${b}`);
  const none = wilsonInterval(0, 10);
  close(none.lo, 0);
  close(none.hi, 0.2775);
  const all = wilsonInterval(10, 10);
  close(all.lo, 0.7225);
  close(all.hi, 1);
  const half = wilsonInterval(5, 10);
  close(half.lo, 0.2366);
  close(half.hi, 0.7634);
  for (let n = 1; n <= 12; n++)
    for (let k = 0; k <= n; k++) {
      const w = wilsonInterval(k, n);
      assert.ok(w.lo >= 0 && w.hi <= 1 && w.lo <= k / n && k / n <= w.hi, `${k}/${n}: [${w.lo}, ${w.hi}]`);
    }
  assert.throws(() => wilsonInterval(3, 2), /0 ≤ k ≤ n/);
});

test('fractionBands: the fraction of seeds per (method, x) with its Wilson interval; non-binary values rejected', () => {
  const rows = [0, 1, 1, 1].map((value, i) => ({ method: 'MnM', x: 10, value, seed: i }));
  const [b] = fractionBands(rows);
  assert.equal(b.mean, 0.75);
  assert.deepEqual({ lo: b.lo, hi: b.hi }, wilsonInterval(3, 4));
  assert.throws(() => fractionBands([{ method: 'MnM', x: 0, value: 0.5 }]), /value 0.5 of MnM at x = 0 is not 0 or 1/);
});

test('learning curves carry a legend-bound highlight, zoom and pan, tooltips with the interval, dashed diagnostics', async () => {
  const rows = ['MnM', 'Q-learning', 'diagnostic: exact'].flatMap((method, i) =>
    [0, 10, 20].map((x) => ({ method, x, mean: 0.1 * i, lo: 0, hi: 0.2 * i + 0.1 })),
  );
  const spec = learningCurveSpec(rows, {
    title: 'T',
    subtitle: 'Paper: MnM first · Here: a tie',
    caption: 'Look at the markers.',
    xTitle: 'updates',
    yTitle: 'fraction',
    fraction: true,
    diagnostic: ['diagnostic: exact'],
    reference: { y: 0.9, label: 'good' },
  });
  const json = JSON.stringify(spec);
  assert.match(json, /"name":"pick","select":\{"type":"point","fields":\["method"\]\},"bind":"legend"/);
  assert.match(json, /"name":"zoom","select":"interval","bind":"scales"/);
  assert.match(json, /"field":"lo","title":"interval from"/);
  assert.match(json, /"domain":\[0,1\],"clamp":true/);
  assert.match(json, /"text":\{"field":"label"\}/, 'the reference line is labelled');
  assert.match(json, /Paper: MnM first · Here: a tie/);
  const svg = await specToSvg(spec);
  assert.match(svg, /stroke-dasharray="5,3"/, 'the diagnostic series is dashed');
  assert.equal(finalMeans(rows), 'MnM 0.00 · Q-learning 0.10 · diagnostic: exact 0.20');
});

test('bands are cut where no value can be, and stay above 0 on a log axis', () => {
  const rows = [
    { method: 'SAC', x: 0, mean: -150, lo: -420, hi: 60 },
    { method: 'SAC', x: 1, mean: -20, lo: -30, hi: -10 },
  ];
  const cut = clipBands(rows, { bounds: [null, 0] });
  assert.deepEqual(
    cut.map((r) => [r.lo, r.hi]),
    [
      [-420, 0],
      [-30, -10],
    ],
    'a Pendulum return (≤ 0) never bands above 0',
  );
  const err = [
    { method: 'MBPO', x: 0, mean: 3e-2, lo: -1e-2, hi: 7e-2 },
    { method: 'MBPO', x: 1, mean: 4e-5, lo: 1e-5, hi: 9e-5 },
  ];
  const logCut = clipBands(err, { logY: true });
  assert.equal(logCut[0].lo, 5e-6, 'half the smallest positive value drawn');
  assert.equal(logCut[1].lo, 1e-5);
  const spec = JSON.stringify(learningCurveSpec(err, { title: 'E', xTitle: 'x', yTitle: 'MSE', logY: true }));
  assert.match(spec, /"scale":\{"type":"log"\}/);
  assert.doesNotMatch(spec, /"lo":-0\.01/);
});

test('paths of six methods on a 15×15 map wrap into rows no wider than 1,200 px', async () => {
  const grid = { rows: 15, cols: 15, walls: [{ row: 0, col: 7 }], start: [0, 0] as [number, number], goal: [2, 12] as [number, number] };
  const panels = [
    'MnM',
    'MnM without classifier',
    "MnM, classifier sees block and exact s'",
    'diagnostic A',
    'diagnostic B',
    'diagnostic C',
  ];
  const points: PathPoint[] = panels.flatMap((panel) => [0, 1, 2].map((step) => ({ panel, path: 'seed 0', step, row: 0, col: step })));
  const svg = await specToSvg(gridPathsSpec(points, grid, { title: 'E2 paths', panels }));
  const width = Number(/<svg[^>]*width="([\d.]+)"/.exec(svg)?.[1]);
  assert.ok(width > 400 && width <= 1200, `the figure is ${width} px wide`);
});

test('wrapLines breaks at spaces within the width', () => {
  assert.deepEqual(wrapLines('aa bb cc dd', 5), ['aa bb', 'cc dd']);
  assert.deepEqual(wrapLines('averyveryverylongword x', 5), ['averyveryverylongword', 'x']);
});
