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
import { REFERENCE_EXPERIMENTS } from '../../lib/cli/reference';
import type { Experiment, Tables } from '../../lib/experiment';
import { E7_MBPO_SIDE, type Exercise, judge } from '../../lib/notebook/exercises';
import { EXPERIMENTS } from '../../lib/experiments';
import { codeHash, deepRun, type RunSpec, runSeedKey } from '../../lib/experiments/deep-runs';
import { e7QValueStability } from '../../lib/experiments/e7-q-value-stability';
import {
  machineInfo,
  readReferenceInfo,
  referenceDir,
  referenceReport,
  type ReferenceInfo,
  type ReferenceRun,
  resultsFor,
  runName,
  seedsOf,
} from '../../lib/report/reference';
import { mnm } from '../cli/helpers';

test('mnm reference check: a short run recomputed in another process is identical; a changed number is named', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mnm-reference-'));
  try {
    const spec: RunSpec = { task: 'point-maze', algo: 'mnm', scale: 'smoke', seed: 0 };
    const rows = await deepRun(spec);
    const run: ReferenceRun = { format: 'mnm-reference-run-1', spec, seedKey: runSeedKey(spec), rows };
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
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no run 'no-such-run' in .* \(there are: point-maze-mnm-h1-s0\)/);
    assert.doesNotMatch(missing.stderr, /\n\s+at /, 'one line, no stack trace');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the committed paper-scale reference is complete, checksummed, and reports every claim of E7–E10', async () => {
  const dir = referenceDir('paper');
  const info = readReferenceInfo(dir);
  assert.equal(info.scale, 'paper');
  assert.ok(info.wallSeconds > 0 && info.machine.cores > 0 && info.backend.length > 0);
  for (const id of REFERENCE_EXPERIMENTS) {
    const exp = EXPERIMENTS.find((e) => e.id === id)!;
    const seeds = seedsOf(dir, 'paper', id);
    assert.deepEqual(
      seeds.map((s) => s.seed),
      Array.from({ length: exp.seeds.paper }, (_, i) => i),
      `${id}: every paper seed`,
    );
    const ref = await referenceReport(exp);
    assert.ok(ref && ref.report.claims.length > 0, `${id}: claims from the reference`);
    assert.ok(Object.keys(ref.report.figures).length > 0);
  }
  for (const name of info.runs) assert.ok(fs.existsSync(path.join(dir, 'runs', `${name}.json`)), name);
});

test("notebook 05: its run-judged exercise judges the reference's right answer right and another wrong", () => {
  const results = <T extends Tables>(exp: Experiment<object, T>) => resultsFor(exp, { resultsDir: '/nonexistent' })!.results;
  const e7 = results(e7QValueStability);
  const one = <A extends string, Ctx>(ex: Exercise<A, Ctx>, ctx: Ctx) => {
    const truth = ex.truth(ctx);
    assert.equal(judge(ex, truth, ctx).right, true, ex.id);
    const wrong = ex.choices!.find((c) => c !== truth)!;
    assert.equal(judge(ex, wrong, ctx).right, false, ex.id);
    assert.match(judge(ex, truth, ctx).markdown, /\d/, `${ex.id}: the why has the run's numbers`);
  };
  one(E7_MBPO_SIDE, e7);
});
