/**
 * Time of one deep run (lib/experiments/deep-runs.ts), measured on a short run and extrapolated: the first
 * `startSteps` env steps (random actions, no learning) and then MEASURE steps of the full loop (SAC updates,
 * model rounds and rollouts every 250 steps; no evaluation), timed separately. Evaluation (every evalEvery
 * steps: evalEpisodes deterministic + stochastic episodes, taken as lasting the whole time limit, the
 * stochastic ones continued past it) is extrapolated from the time per env step of evaluation episodes.
 *   npx tsx scripts/run-time.ts TASK ALGO SCALE [MEASURE=250] [SIZE=scale|cluster]
 *   e.g. npx tsx scripts/run-time.ts hopper mbpo paper 250 cluster
 * Prints one JSON line with wall and CPU milliseconds (this process's user + system time: on a shared
 * machine the CPU time is what a dedicated core would take); docs/mujoco.md quotes it.
 */
import * as os from 'node:os';
import { ModelBasedRun } from '../lib/deep/model-based';
import { initBackend } from '../lib/deep/backend';
import { evaluateQ, MC_TAIL } from '../lib/deep/q-evaluation';
import { prepareEnv } from '../lib/envs';
import { type Algo, runConfig, type RunSize, type Task } from '../lib/experiments/deep-runs';
import type { Scale } from '../lib/scale';
import { Rng } from '../lib/rng';

async function main(): Promise<void> {
  const [task, algo, scale] = process.argv.slice(2, 5) as [Task, Algo, Scale];
  const measure = Number(process.argv[5] ?? 250);
  const size = (process.argv[6] ?? 'scale') as RunSize;
  if (!task || !algo || !scale) throw new Error('usage: run-time.ts TASK ALGO SCALE [MEASURE] [SIZE]');
  const backend = await initBackend({ quiet: true });
  await prepareEnv(task);
  const full = runConfig(task, algo, scale, 1, size);
  // No evaluation inside the measured window (timed apart below).
  const config = { ...full, evalEvery: 10 ** 9 };
  const run = new ModelBasedRun(config, `run-time/${task}/${algo}`);
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const t0 = performance.now();
  const c0 = cpu();
  let tStart = NaN;
  let cStart = NaN;
  let stepAtStart = 0;
  await run.run({
    stopAfter: full.startSteps + measure,
    progress: (done) => {
      if (Number.isNaN(tStart) && done >= full.startSteps) {
        tStart = performance.now();
        cStart = cpu();
        stepAtStart = done;
      }
    },
  });
  const tEnd = performance.now();
  const cEnd = cpu();
  const learnSteps = run.step - stepAtStart;
  const msStart = (tStart - t0) / full.startSteps;
  const msLearn = (tEnd - tStart) / learnSteps;
  const cpuStart = (cStart - c0) / full.startSteps;
  const cpuLearn = (cEnd - cStart) / learnSteps;
  // Evaluation: time per env step of deterministic + stochastic episodes (with the Q/MC bookkeeping).
  const e0 = performance.now();
  const ce0 = cpu();
  let evalSteps = 0;
  const evalEnv = run.evalEnv;
  const counting = new Proxy(evalEnv, {
    get(target, prop) {
      if (prop === 'step') return (a: ArrayLike<number>) => (evalSteps++, target.step(a));
      const v = Reflect.get(target, prop) as unknown;
      return typeof v === 'function' ? (v as (...args: unknown[]) => unknown).bind(target) : v;
    },
  });
  evaluateQ(counting, run.sac, 2, 0.99, new Rng('wall-time-eval'));
  const msEval = (performance.now() - e0) / evalSteps;
  const cpuEval = (cpu() - ce0) / evalSteps;
  run.dispose();
  const evalPoints = Math.floor(full.totalSteps / full.evalEvery);
  // A trained agent's episodes last the whole time limit; stochastic ones are continued past it (MC_TAIL).
  const T = run.evalEnv.maxSteps;
  const evalStepsPerPoint = full.evalEpisodes * (2 * T + Math.ceil(Math.log(MC_TAIL) / Math.log(0.99)));
  const hours = (start: number, learn: number, ev: number) =>
    +((start * full.startSteps + learn * (full.totalSteps - full.startSteps) + ev * evalStepsPerPoint * evalPoints) / 3.6e6).toFixed(1);
  console.log(
    JSON.stringify({
      task,
      algo,
      scale,
      size,
      backend,
      loadavg: os.loadavg().map((x) => +x.toFixed(2)),
      totalSteps: full.totalSteps,
      measured_learning_steps: learnSteps,
      wall: { ms_per_random_step: +msStart.toFixed(3), ms_per_learning_step: +msLearn.toFixed(1), ms_per_eval_step: +msEval.toFixed(3) },
      cpu: { ms_per_random_step: +cpuStart.toFixed(3), ms_per_learning_step: +cpuLearn.toFixed(1), ms_per_eval_step: +cpuEval.toFixed(3) },
      hours_per_run_wall: hours(msStart, msLearn, msEval),
      hours_per_run_cpu: hours(cpuStart, cpuLearn, cpuEval),
    }),
  );
}

main().catch((err: Error) => {
  console.error(`run-time: ${err.message}`);
  process.exit(1);
});
