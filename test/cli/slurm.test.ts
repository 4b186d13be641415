/**
 * `mnm submit` on a real Slurm: a single-node cluster started here (test/cli/slurm-cluster.ts) runs a smoke-scale
 * run of two experiments as a 4-task array plus the merge job. One task is cancelled midway: the merge job never
 * runs, a merge by hand names the missing units and writes nothing, and submitting the same command again runs
 * only the cancelled shard, after which the merged claims.json is byte for byte a local run's.
 * Needs root and Slurm (scripts/setup.sh --slurm); when Slurm cannot start, the test fails saying what failed.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { type Cluster, startCluster } from './slurm-cluster';
import { mnmHere, read, tmpDir } from './helpers';

const EXPS = ['e1-gridworld-optimism', 'e3-risk-mdp'];
const base = tmpDir('slurm');
let cluster: Cluster | undefined;

before(async () => {
  cluster = await startCluster();
});
after(() => {
  cluster?.stop();
  fs.rmSync(base, { recursive: true, force: true });
});

const FINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE']);

/** Polls `scontrol show job ID` until `ok` holds for its records; fails naming the states and the logs after `ms`. */
async function waitJobs(
  id: string,
  ok: (jobs: Record<string, string>[]) => boolean,
  ms: number,
  logs: string,
): Promise<Record<string, string>[]> {
  const end = Date.now() + ms;
  for (;;) {
    const jobs = cluster!.jobs(id);
    if (ok(jobs)) return jobs;
    if (Date.now() > end) {
      const states = jobs.map((j) => `${j.JobId}${j.ArrayTaskId ? `_${j.ArrayTaskId}` : ''} ${j.JobState} ${j.Reason}`).join('; ');
      const logText = fs.existsSync(logs)
        ? fs
            .readdirSync(logs)
            .map((f) => `--- ${f}\n${read(path.join(logs, f)).slice(-1500)}`)
            .join('\n')
        : '';
      assert.fail(`job ${id} not there after ${ms / 1000} s: ${states}\n${logText}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
const allFinal = (jobs: Record<string, string>[]) => jobs.length > 0 && jobs.every((j) => FINAL.has(j.JobState));

function submitted(stdout: string): { array?: string; shards?: string; merge: string } {
  const m = /submitted array job (\d+) \(shards ([\d,-]+) of \d+\) and merge job (\d+)/.exec(stdout);
  assert.ok(m, `unexpected submit output: ${stdout}`);
  return { array: m[1], shards: m[2], merge: m[3] };
}

test('a run as a Slurm array: cancel one task, resubmit, the merge equals a local run', { timeout: 300_000 }, async () => {
  const c = cluster!;
  const local = path.join(base, 'local');
  const l = await mnmHere(['run', ...EXPS, '--scale', 'smoke', '--seeds', '4', '--workers', '1', '--out', local]);
  assert.equal(l.status, 0, l.stderr);

  const out = path.join(base, 'slurm');
  const logs = path.join(out, 'slurm', 'logs');
  const args = ['submit', ...EXPS, '--scale', 'smoke', '--seeds', '4', '--out', out, '--shards', '4'];
  const flags = ['--partition', c.partition, '--time', '10', '--cpus-per-task', '1', '--mem', '1G'];
  const env = { SLURM_CONF: c.env.SLURM_CONF! };
  const first = await mnmHere([...args, ...flags], env);
  assert.equal(first.status, 0, first.stderr);
  const job = submitted(first.stdout);
  assert.equal(job.shards, '1-4');

  // Cancel task 4 once it runs (two CPUs: tasks 1 and 2 go first).
  await waitJobs(
    job.array!,
    (js) => js.some((j) => j.ArrayTaskId === '4' && (j.JobState === 'RUNNING' || FINAL.has(j.JobState))),
    120_000,
    logs,
  );
  const seen = c.jobs(job.array!).find((j) => j.ArrayTaskId === '4');
  assert.equal(seen?.JobState, 'RUNNING', 'task 4 had already ended when it was to be cancelled');
  c.run('scancel', [`${job.array}_4`]);
  const tasks = await waitJobs(job.array!, allFinal, 120_000, logs);
  const stateOf = (i: string) => tasks.find((t) => t.ArrayTaskId === i)?.JobState;
  assert.equal(stateOf('4'), 'CANCELLED', 'task 4 was cancelled before it finished');
  for (const i of ['1', '2', '3']) assert.equal(stateOf(i), 'COMPLETED', `task ${i}`);
  const [merge1] = await waitJobs(job.merge, allFinal, 60_000, logs);
  assert.equal(merge1.JobState, 'CANCELLED', 'the merge never runs after a failed task');
  assert.equal(merge1.Reason, 'DependencyNeverSatisfied');
  assert.ok(!fs.existsSync(path.join(out, 'claims.json')));

  // A merge by hand of the shards that finished names the missing units and writes nothing.
  const partial = path.join(base, 'partial');
  const shards = (ids: number[]) => ids.map((i) => path.join(out, 'shards', `shard-${i}`));
  const pm = await mnmHere(['merge', ...shards([1, 2, 3]), '--out', partial]);
  assert.equal(pm.status, 2);
  assert.match(pm.stderr, /merge: units missing from .*: e1-gridworld-optimism seed 3; e3-risk-mdp seed 3\. .*no report written/);
  assert.ok(!fs.existsSync(partial));

  // The same command again: only shard 4 runs, then the merge.
  const mtimes = () =>
    shards([1, 2, 3]).flatMap((d) =>
      ['e1-gridworld-optimism', 'e3-risk-mdp'].map((e) => fs.statSync(path.join(d, 'seeds/smoke', e)).mtimeMs),
    );
  const savedAt = mtimes();
  const again = await mnmHere([...args, ...flags], env);
  assert.equal(again.status, 0, again.stderr);
  const job2 = submitted(again.stdout);
  assert.equal(job2.shards, '4', 'only the cancelled shard is submitted again');
  const [merge2] = await waitJobs(job2.merge, allFinal, 180_000, logs);
  assert.equal(merge2.JobState, 'COMPLETED', `merge job: ${merge2.JobState} ${merge2.Reason}`);
  assert.deepEqual(mtimes(), savedAt, 'the finished shards were not run again');
  assert.equal(read(path.join(out, 'claims.json')), read(path.join(local, 'claims.json')));
});

test('a sweep of a tabular experiment over three settings gives the same results under Slurm as here', { timeout: 240_000 }, async () => {
  const c = cluster!;
  const sweep = path.join(base, 'wind.json');
  fs.writeFileSync(sweep, JSON.stringify({ experiment: 'e3-risk-mdp', grid: { wind: [0.3, 0.5, 0.7] } }));
  const local = path.join(base, 'sweep-local');
  const l = await mnmHere(['run', '--sweep', sweep, '--scale', 'smoke', '--workers', '1', '--out', local]);
  assert.equal(l.status, 0, l.stderr);

  const out = path.join(base, 'sweep-slurm');
  const s = await mnmHere(['submit', '--sweep', sweep, '--scale', 'smoke', '--out', out, '--shards', '3', '--partition', c.partition], {
    SLURM_CONF: c.env.SLURM_CONF!,
  });
  assert.equal(s.status, 0, s.stderr);
  const job = submitted(s.stdout);
  const [merge] = await waitJobs(job.merge, allFinal, 180_000, path.join(out, 'slurm', 'logs'));
  assert.equal(merge.JobState, 'COMPLETED', `merge job: ${merge.JobState} ${merge.Reason}`);
  for (const f of ['claims.json', 'claims.md', 'sweep.json']) assert.equal(read(path.join(out, f)), read(path.join(local, f)), f);
  const table = JSON.parse(read(path.join(out, 'sweep.json')));
  assert.deepEqual(table.configs, ['wind=0.3', 'wind=0.5', 'wind=0.7']);
  assert.ok(table.rows.length > 0 && table.rows.every((r: { verdicts: unknown[] }) => r.verdicts.every((v) => typeof v === 'string')));
});
