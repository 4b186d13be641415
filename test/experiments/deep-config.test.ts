/**
 * The deep experiments' settings as config (lib/experiments/deep-runs.ts DeepSettings): `mnm run
 * e10-deep-comparison --config c.json` with a changed τ changes that task's runs and no other; a bad value is
 * refused with one line naming it, before any work.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { mnm, mnmHere, tmpDir } from '../cli/helpers';

/** Settings small enough for a test: 60 env steps per run, a model round every 20. */
const TINY = { envSteps: 60, randomSteps: 20, modelEvery: 20, evalEvery: 30, rollouts: 16, updatesPerStep: 1 };

function configFile(dir: string, pendulum: Record<string, number>): string {
  const file = path.join(dir, 'c.json');
  const all = { pendulum: { ...TINY, ...pendulum }, 'point-maze': TINY, 'inverted-pendulum': TINY };
  fs.writeFileSync(file, JSON.stringify({ config: { 'e10-deep-comparison': all } }));
  return file;
}

type Row = { task: string; algo: string; step: number; eval_return: number };

async function returnsWith(label: string, pendulum: Record<string, number>): Promise<Row[]> {
  const dir = tmpDir(label);
  const r = await mnmHere(
    ['run', 'e10-deep-comparison', '--scale', 'smoke', '--workers', '0', '--out', dir, '--config', configFile(dir, pendulum)],
    {
      MNM_RUN_CACHE: 'off',
    },
  );
  assert.equal(r.status, 0, r.stderr);
  const saved = JSON.parse(fs.readFileSync(path.join(dir, 'seeds', 'smoke', 'e10-deep-comparison', 'seed-0000.json'), 'utf8'));
  assert.equal(saved.config.pendulum.envSteps, 60, 'the config is saved with the seed');
  return saved.result.tables.returns;
}

test("mnm run e10-deep-comparison --config: a changed τ (or G) changes that task's runs and no other", async () => {
  const base = await returnsWith('e10-cfg-a', { tau: 0.02 });
  const changed = await returnsWith('e10-cfg-b', { tau: 0.5, updatesPerStep: 3 });
  const of = (rows: Row[], task: string) => rows.filter((x) => x.task === task);
  assert.deepEqual(
    of(base, 'pendulum').map((x) => x.step),
    [30, 60, 30, 60, 30, 60],
    'the runs are as long as the config says',
  );
  assert.notDeepEqual(of(changed, 'pendulum'), of(base, 'pendulum'));
  assert.deepEqual(of(changed, 'point-maze'), of(base, 'point-maze'));
  assert.deepEqual(of(changed, 'inverted-pendulum'), of(base, 'inverted-pendulum'));
});

test('mnm run e10-deep-comparison --config: a bad value is refused with one line naming it (exit 2)', () => {
  const dir = tmpDir('e10-cfg-bad');
  for (const [pendulum, line] of [
    [{ tau: 2 }, 'e10-deep-comparison: config.pendulum.tau must be in (0, 1], got 2'],
    [{ updatesPerStep: 0.5 }, 'e10-deep-comparison: config.pendulum.updatesPerStep must be an integer >= 1, got 0.5'],
    [{ elites: 9 }, 'e10-deep-comparison: config.pendulum.elites must be at most members (3), got 9'],
    [{ taux: 1 }, 'e10-deep-comparison: config.pendulum.taux is not a parameter'],
  ] as const) {
    const r = mnm(['run', 'e10-deep-comparison', '--scale', 'smoke', '--out', dir, '--config', configFile(dir, pendulum)]);
    assert.equal(r.status, 2, r.stderr);
    // One line names the value (the command adds its usual pointer to `mnm help` below it).
    const lines = r.stderr.trim().split('\n');
    assert.ok(lines[0].includes(line), `${lines[0]} should say ${line}`);
    assert.ok(
      lines.slice(1).every((l) => !l.includes('config')),
      r.stderr,
    );
  }
});
