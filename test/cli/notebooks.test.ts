/** `mnm notebooks` executes notebooks through Jupyter, exports them to HTML with their figures, and the report links them. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { readNotebook } from '../../lib/notebook/format';
import { textOutputs } from '../../lib/notebook/freshness';
import { mnmHere, read, runFixtures, tmpDir } from './helpers';

const base = tmpDir('notebooks');
after(() => fs.rmSync(base, { recursive: true, force: true }));

test('notebooks are executed, exported to HTML with their SVG figures, and linked from the report', async () => {
  const out = path.join(base, 'results');
  assert.equal((await runFixtures(out, ['--workers', '0'])).status, 0);
  assert.doesNotMatch(read(path.join(out, 'index.html')), /href="notebooks\/tiny-plot\.html"/);

  const r = await mnmHere(['notebooks', 'test/fixtures/cli/tiny-plot.ipynb', '--scale', 'smoke', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /1 of 1 notebooks executed and exported to .*notebooks \(linked from .*index\.html\)/);
  const html = read(path.join(out, 'notebooks', 'tiny-plot.html'));
  // The SVG elements themselves, not just their text (nbconvert's default HTML cleaning strips them).
  assert.ok(/<svg[^>]*>\s*<rect class="tiny-bar"/.test(html), 'the plot output is in the HTML as an SVG with its shapes');
  assert.ok(!/<script[^>]+src="https?:/.test(html), 'the export loads no script from the network');
  const index = read(path.join(out, 'index.html'));
  assert.match(index, /Notebook: <a href="notebooks\/tiny-plot\.html">tiny-plot<\/a>/, 'the experiment links its executed notebook');
  assert.match(index, /<section id="notebooks">/);
});

test('notebooks --commit executes at quick scale and writes the notebook back with its outputs, slimmed', async () => {
  const dir = path.join(base, 'commit');
  fs.mkdirSync(dir, { recursive: true });
  const nb = JSON.parse(read('test/fixtures/cli/tiny-plot.ipynb')) as { cells: Record<string, unknown>[] };
  nb.cells.push({
    cell_type: 'code',
    metadata: {},
    execution_count: null,
    outputs: [],
    source: ['console.log(`scale ${process.env.MNM_SCALE}`);'],
  });
  const file = path.join(dir, 'tiny.ipynb');
  fs.writeFileSync(file, JSON.stringify(nb));

  const r = await mnmHere(['notebooks', file, '--commit']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /1 of 1 notebooks executed at quick scale and written back/);
  const committed = readNotebook(file);
  const cells = committed.cells.filter((c) => c.cell_type === 'code');
  assert.deepEqual(
    cells.map((c) => c.cell_type === 'code' && c.execution_count),
    [1, 2],
  );
  assert.match(read(file), /"image\/svg\+xml": \[\n/);
  assert.deepEqual(
    textOutputs(committed).map((l) => l.text),
    ['scale quick'],
  );
  assert.doesNotMatch(read(file), /iopub|"execution":/);
});
