/**
 * Reference results (lib/report/reference.ts, `mnm reference`): one short deep run is trained here, saved as
 * a reference run, and `mnm reference check` trains it again in another process and finds every number
 * identical; a doctored number is found and named.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { codeHash, deepRun, type RunSpec } from '../../lib/experiments/deep-runs';
import { machineInfo, type ReferenceInfo, type ReferenceRun, runName } from '../../lib/report/reference';
import { mnm } from '../cli/helpers';

test('mnm reference check: a short run recomputed in another process is identical; a changed number is named', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mnm-reference-'));
  try {
    const spec: RunSpec = { task: 'point-maze', algo: 'mnm', scale: 'smoke', seed: 0 };
    const rows = await deepRun(spec);
    const run: ReferenceRun = { format: 'mnm-reference-run-1', spec, seedKey: 'deep/point-maze/mnm/h1/seed-0', rows };
    const name = runName(spec);
    fs.mkdirSync(path.join(dir, 'runs'));
    fs.writeFileSync(path.join(dir, 'runs', `${name}.json`), JSON.stringify(run));
    const info: ReferenceInfo = {
      format: 'mnm-reference-1',
      scale: 'smoke',
      command: 'test',
      experiments: {},
      trainingCode: codeHash(),
      backend: rows[0].backend,
      machine: machineInfo(),
      wallSeconds: 1,
      saved: new Date(0).toISOString(),
      runs: [name],
    };
    fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify(info));

    const same = mnm(['reference', 'check', name, '--dir', dir]);
    assert.equal(same.status, 0, same.stderr + same.stdout);
    assert.match(same.stdout, new RegExp(`${name}: identical to the reference: ${rows.length} evaluation rows`));

    const doctored = { ...run, rows: run.rows.map((r, i) => (i === 1 ? { ...r, q_estimate: r.q_estimate + 1e-9 } : r)) };
    fs.writeFileSync(path.join(dir, 'runs', `${name}.json`), JSON.stringify(doctored));
    const diff = mnm(['reference', 'check', name, '--dir', dir]);
    assert.equal(diff.status, 1, diff.stderr + diff.stdout);
    assert.match(diff.stdout, /DIFFERENT from the reference .*row 1 \(step \d+\), column q_estimate/);

    const missing = mnm(['reference', 'check', 'no-such-run', '--dir', dir]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr + missing.stdout, /no-such-run\.json: no such reference run \(there are: point-maze-mnm-h1-s0\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
