/**
 * The value range D of Pendulum and InvertedPendulum (lib/experiments/deep-sanity.ts VALUE_RANGE; the point
 * maze's is MAZE_VALUE_RANGE, lib/deep/value-range.ts, from its scripted round-the-wall policy), by the
 * evaluation estimator (policyValue in lib/deep/value-range.ts: mean over the policy's states of the discounted
 * task return, continued past the time limit, γ = 0.99):
 *   good    the best evaluation of model-free SAC in the committed paper-scale reference
 *           (data/reference/paper/runs/TASK-sac-*.json: the highest mc_task_return of any evaluation, i.e. the
 *           best SAC policy's own value);
 *   random  uniform random actions, 50 episodes, seeded (`value-range/TASK`);
 *   D = good − random.
 *   npx tsx scripts/value-range.ts
 * Prints one JSON line per task; the constants are committed from its output.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { policyValue, uniformPolicy } from '../lib/deep/value-range';
import { makeEnv, prepareEnv } from '../lib/envs';
import type { Task } from '../lib/experiments/deep-runs';
import { Rng } from '../lib/rng';

const RUNS = path.join(__dirname, '..', 'data', 'reference', 'paper', 'runs');

async function main(): Promise<void> {
  for (const task of ['pendulum', 'inverted-pendulum'] satisfies Task[]) {
    await prepareEnv(task);
    const env = makeEnv(task);
    const random = policyValue(env, uniformPolicy(env), 50, 0.99, new Rng(`value-range/${task}`)).value;
    env.close?.();
    let best = { eval_return: NaN, mc_task_return: -Infinity, file: '' };
    for (const f of fs.readdirSync(RUNS).filter((x) => x.startsWith(`${task}-sac-`))) {
      const rows = (JSON.parse(fs.readFileSync(path.join(RUNS, f), 'utf8')) as { rows: { eval_return: number; mc_task_return: number }[] })
        .rows;
      for (const r of rows) if (r.mc_task_return > best.mc_task_return) best = { ...r, file: f };
    }
    console.log(
      JSON.stringify({
        task,
        good: best.mc_task_return,
        good_from: best.file,
        good_eval_return: best.eval_return,
        random,
        D: best.mc_task_return - random,
      }),
    );
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
