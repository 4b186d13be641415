/**
 * Wall time of one cluster-sized Hopper run (e11-hopper, size 'cluster'), measured on a short run and
 * extrapolated: the first `start` env steps (random actions, no learning) and then `measure` steps of the
 * full loop (SAC updates, model rounds and rollouts every 250 steps; no evaluation), timed separately.
 * Evaluation (25 points × 5 deterministic + 5 stochastic episodes) is extrapolated from timing episodes of
 * the untrained policy per env step.
 *   npx tsx scripts/hopper-wall-time.ts [ALGO=mbpo] [MEASURE=500]
 * Prints one JSON line with wall and CPU milliseconds (this process's user + system time: on a shared
 * machine the CPU time is what a dedicated core would take); docs/mujoco.md quotes it.
 */
import * as os from 'node:os';
import { ModelBasedRun } from '../lib/deep/model-based';
import { initBackend } from '../lib/deep/backend';
import { evaluateQ } from '../lib/deep/q-evaluation';
import { prepareEnv } from '../lib/envs';
import { type Algo, runConfig } from '../lib/experiments/deep-runs';
import { Rng } from '../lib/rng';

async function main(): Promise<void> {
  const algo = (process.argv[2] ?? 'mbpo') as Algo;
  const measure = Number(process.argv[3] ?? 500);
  const backend = await initBackend({ quiet: true });
  await prepareEnv('hopper');
  const full = runConfig('hopper', algo, 'paper', 1, 'cluster');
  // No evaluation inside the measured window (timed apart below).
  const config = { ...full, evalEvery: 10 ** 9 };
  const run = new ModelBasedRun(config, `wall-time/${algo}`);
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
  // A trained Hopper lasts 1,000 steps: 5 deterministic + 5 stochastic episodes (each continued ~460 steps).
  const evalStepsPerPoint = full.evalEpisodes * (1000 + 1460);
  const hours = (start: number, learn: number, ev: number) =>
    +((start * full.startSteps + learn * (full.totalSteps - full.startSteps) + ev * evalStepsPerPoint * evalPoints) / 3.6e6).toFixed(1);
  console.log(
    JSON.stringify({
      algo,
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
  console.error(`hopper-wall-time: ${err.message}`);
  process.exit(1);
});
