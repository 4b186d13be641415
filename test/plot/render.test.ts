// The figure stack loads from a clean `npm ci`: Vega-Lite rendering to SVG and PNG (Polars' native code: test/notebook/display.test.ts).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { specToSvg, writeFigure } from '../../lib/plot/render';
import type { VegaLiteSpec } from '../../lib/experiment';

const spec: VegaLiteSpec = {
  title: 'test chart',
  data: {
    values: [
      { x: 1, y: 2 },
      { x: 2, y: 3 },
    ],
  },
  mark: 'line',
  encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
};

test('a Vega-Lite spec renders to SVG and PNG files', async () => {
  const svg = await specToSvg(spec);
  assert.match(svg, /^<svg/);
  assert.match(svg, /test chart/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mnm-fig-'));
  const files = await writeFigure(spec, path.join(dir, 'fig'));
  const png = fs.readFileSync(files.png);
  assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['fig.png', 'fig.svg']);
});

test('an invalid spec is a clear error', async () => {
  await assert.rejects(specToSvg({ mark: 'nonsense' } as unknown as VegaLiteSpec), /invalid Vega-Lite spec/);
});

test('a learning curve with no runs yet (a log axis, a reference that could not be computed) still renders, and says so', async () => {
  const { learningCurveSpec } = await import('../../lib/plot/learning-curve');
  const { svgToPng } = await import('../../lib/plot/render');
  const empty = learningCurveSpec([], { title: 'nothing yet', xTitle: 'x', yTitle: 'y', logY: true, reference: { y: NaN, label: 'best' } });
  const svg = await specToSvg(empty);
  assert.match(svg, /no runs to show/);
  assert.ok(svgToPng(svg).length > 100);
});

test('a log axis leaves out values of 0 (they would collapse it) and keeps the rest', async () => {
  const { learningCurveSpec } = await import('../../lib/plot/learning-curve');
  const rows = [0, 0.001, 0.1].map((v, i) => ({ method: 'a', x: i, mean: v, lo: 0, hi: 2 * v }));
  const spec = learningCurveSpec(rows, { title: 'log', xTitle: 'x', yTitle: 'y', logY: true, bounds: [0, 1] });
  const values = (spec as { data: { values: { mean: number }[] } }).data.values.map((r) => r.mean);
  assert.deepEqual(values, [0.001, 0.1]);
  assert.match(await specToSvg(spec), /0\.01/, 'the axis spans the decades between');
});
