// The freshness check: a committed notebook whose text outputs differ from a fresh run is named, with its cell,
// its first differing line and the command that refreshes it; a figure whose data changed likewise.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { type CodeCell, type Notebook, readNotebook } from '../../lib/notebook/format';
import { VEGALITE_MIME } from '../../lib/notebook/display';
import { FIGURE_STAMP_KEY, figureStamp, refreshCommand, staleFigures, staleness } from '../../lib/notebook/freshness';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'notebook', 'executed.ipynb');
const committed = () => readNotebook(FIXTURE);
const cell = (nb: Notebook, i: number) => nb.cells[i] as CodeCell;

test('identical outputs are fresh, and so are outputs that differ only in a printed duration', () => {
  assert.equal(staleness(FIXTURE, committed(), committed()), null);
  const fresh = committed();
  cell(fresh, 2).outputs[0] = { output_type: 'stream', name: 'stdout', text: 'ran 2 seeds in 12.7 s\nwrote ROOT/results/x.json\n' };
  assert.equal(staleness(FIXTURE, committed(), fresh), null);
});

test('a changed number in a generated claims table is reported with its notebook, cell and line', () => {
  const fresh = committed();
  const md = cell(fresh, 2).outputs[4];
  assert.ok(md.output_type === 'display_data');
  md.data['text/markdown'] = '| verdict | claim |\n|---|---|\n| **holds** | J = 8.760 < 9 |\n';
  md.data['text/plain'] = md.data['text/markdown'];
  const msg = staleness(FIXTURE, committed(), fresh);
  assert.ok(msg);
  assert.match(msg, /^executed\.ipynb: the committed outputs are out of date at cell 3, output 5 \(text\/markdown\), line 3:/);
  assert.match(msg, /committed: .*J = 8\.759 < 9/);
  assert.match(msg, /now: +.*J = 8\.760 < 9/);
  assert.ok(msg.endsWith(refreshCommand([FIXTURE])), msg);
  assert.match(refreshCommand(), /^npm run mnm -- notebooks --commit$/);
});

test('an output that appeared or vanished is reported, and so is a notebook committed without outputs', () => {
  const fresh = committed();
  cell(fresh, 4).outputs = [];
  assert.match(
    staleness(FIXTURE, committed(), fresh) ?? '',
    /cell 5, output 1 \(text\/plain\), line 1:\n {2}committed: .*2 < 3 & done\n {2}now: +\(nothing more\)/,
  );
  const bare = committed();
  for (const c of bare.cells) if (c.cell_type === 'code') c.outputs = [];
  assert.match(
    staleness(FIXTURE, bare, committed()) ?? '',
    /^executed\.ipynb has no committed outputs: execute and commit it with\n {2}npm run mnm -- notebooks --commit /,
  );
});

test('a figure whose data changed is stale, even when its committed form kept only the static picture', () => {
  const figure = (nb: Notebook) => {
    const o = cell(nb, 2).outputs[2];
    assert.ok(o.output_type === 'display_data');
    return o;
  };
  const stamped = committed();
  const spec = figure(stamped).data[VEGALITE_MIME];
  figure(stamped).metadata[FIGURE_STAMP_KEY] = figureStamp(spec);
  delete figure(stamped).data[VEGALITE_MIME]; // as a notebook over its size budget is committed
  assert.equal(staleFigures(FIXTURE, stamped, committed()), null, 'the same data is fresh');
  const fresh = committed();
  const values = JSON.parse(JSON.stringify(spec)) as Record<string, unknown>;
  const arrays = JSON.stringify(values).match(/"values":\[/g);
  assert.ok(arrays, 'the fixture figure draws inline values');
  const changed = JSON.parse(
    JSON.stringify(values).replace(/("values":\[\{[^}]*?":)(-?\d+(?:\.\d+)?)/, (_, head: string, n: string) => `${head}${Number(n) + 1}`),
  );
  figure(fresh).data[VEGALITE_MIME] = changed;
  const msg = staleFigures(FIXTURE, stamped, fresh);
  assert.ok(msg);
  assert.match(
    msg,
    /^executed\.ipynb: a committed figure is out of date \(its data changed\):\n {2}committed: cell 3, output 3: \d+ rows, data [0-9a-f]{16}/,
  );
  assert.ok(msg.endsWith(refreshCommand([FIXTURE])), msg);
  assert.equal(staleFigures(FIXTURE, committed(), fresh) === null, false, 'compared against a live spec too');
});
