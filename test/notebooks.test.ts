// Every notebook under notebooks/ runs headless through real Jupyter with the tslab kernel at the committed
// scale, without errors, and its committed text outputs are exactly what it produces now (the freshness check).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { committedNotebook } from '../lib/notebook/commit';
import { readNotebook } from '../lib/notebook/format';
import { COMMIT_SCALE, staleFigures, staleness } from '../lib/notebook/freshness';
import { executeNotebook, listNotebooks } from '../lib/notebook/jupyter';

const OUT = path.join(__dirname, '.out', 'notebooks');

const fixture = (name: string) =>
  executeNotebook(path.join(__dirname, 'fixtures', name), { outDir: OUT, scale: 'smoke', timeoutSeconds: 120 });

test('the harness reports a notebook whose cell throws as failed', () => {
  const run = fixture('failing.ipynb');
  assert.equal(run.ok, false);
  assert.ok(
    run.errors.some((e) => /cell 3: [\s\S]*deliberate failure/.test(e)),
    run.errors.join('\n'),
  );
});

test('the harness reports a TypeScript compile error as failed', () => {
  const run = fixture('type-error.ipynb');
  assert.equal(run.ok, false);
  assert.ok(
    run.errors.some((e) => /cell 2: .*not assignable/.test(e)),
    run.errors.join('\n'),
  );
});

for (const nb of listNotebooks()) {
  const name = path.basename(nb);
  test(`notebook ${name} executes without errors at ${COMMIT_SCALE} scale and its committed outputs are current`, () => {
    const run = executeNotebook(nb, { outDir: OUT, scale: COMMIT_SCALE });
    console.log(`${name}: ${run.seconds.toFixed(1)} s`);
    assert.ok(run.ok, `${name} failed:\n${run.errors.join('\n')}`);
    const committed = readNotebook(nb);
    // The fresh outputs in committed form (paths made relative, progress lines dropped), as --commit would write them.
    const fresh = committedNotebook(committed, readNotebook(run.output), name).notebook;
    const stale = staleness(nb, committed, fresh) ?? staleFigures(nb, committed, fresh);
    assert.equal(stale, null, stale ?? '');
  });
}
