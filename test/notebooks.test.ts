// Every notebook under notebooks/ runs headless through real Jupyter with the tslab kernel, at smoke scale.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
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
  test(`notebook ${path.basename(nb)} executes without errors`, () => {
    const run = executeNotebook(nb, { outDir: OUT, scale: 'smoke' });
    console.log(`${path.basename(nb)}: ${run.seconds.toFixed(1)} s`);
    assert.ok(run.ok, `${path.basename(nb)} failed:\n${run.errors.join('\n')}`);
  });
}
