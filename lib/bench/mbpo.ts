/**
 * `npm run bench -- mbpo`: the whole model-based loop (lib/deep/model-based.ts) at the paper-scale config of
 * every distinct run E7–E10 train, split into model training, model rollouts, SAC updates, evaluation and the
 * rest (env steps and acting). No peer: this is where the time of a paper-scale run goes, and the basis of
 * its wall-time estimate.
 *
 * Each case runs the run's own config (lib/experiments/deep-runs.ts runConfig) for its random start steps
 * plus MNM_BENCH_MBPO_STEPS (default 100) learning steps: one model round, that many steps of SAC updates,
 * one evaluation. Per-part costs are then scaled to the full run (updates per learning step, model rounds,
 * evaluations, env steps): `est_run_s`. The total over all runs of one seed, times the seeds, divided by
 * the workers, estimates the wall time of `mnm run e7 e8 e9 e10 --scale paper` (printed at the end).
 * MNM_BENCH_MBPO_CASES=all (default) or a comma list of `task/algo/hHORIZON` names.
 */
import * as os from 'node:os';
import { initBackend } from '../deep/backend';
import { prepareEnv } from '../envs/index';
import { ModelBasedRun } from '../deep/model-based';
import { type Algo, runConfig, runSeedKey, type Task } from '../experiments/deep-runs';
import type { BenchEntry, BenchSection } from './types';

interface Case {
  task: Task;
  algo: Algo;
  horizon: number;
}

/** The distinct runs behind E7–E10 (E7/E8 share the maze MBPO and MnM runs, E9's k = 1 is E10's maze MnM run). */
export const PAPER_RUNS: Case[] = [
  ...(['pendulum', 'point-maze', 'inverted-pendulum'] as Task[]).flatMap((task) =>
    (['sac', 'mbpo', 'mnm'] as Algo[]).map((algo) => ({ task, algo, horizon: 1 })),
  ),
  ...[3, 5, 10].map((horizon) => ({ task: 'point-maze' as Task, algo: 'mnm' as Algo, horizon })),
];
/** Seeds and workers of the paper-scale run the estimate is for (E7–E10 run 5 seeds each at paper scale). */
const SEEDS = 5;
const WORKERS = 2;

const caseName = (c: Case) => `${c.task}/${c.algo}/h${c.horizon}`;

export interface LoopCost {
  /** Measured: ms per env step of each part, at the full run's frequencies. */
  perStep: { model: number; rollouts: number; updates: number; evaluation: number; other: number; total: number };
  /** Estimated seconds of the full run. */
  runSeconds: number;
  /** Env steps per second over the whole full run (estimate). */
  stepsPerSecond: number;
  /** CPU time of this process over wall time while measuring: below 1 when other processes share the cores. */
  cpuShare: number;
}

/** Runs one case for its start steps + `learnSteps` and scales each part to the full run. */
export async function measureLoop(c: Case, learnSteps: number): Promise<LoopCost> {
  const full = runConfig(c.task, c.algo, 'paper', c.horizon);
  const T = full.startSteps + learnSteps;
  await prepareEnv(full.env);
  const run = new ModelBasedRun({ ...full, totalSteps: T, evalEvery: T }, `bench/${runSeedKey({ task: c.task, seed: 0 })}`);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  try {
    await run.run();
  } finally {
    run.dispose();
  }
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const cpuShare = Math.min(1, (cpu.user + cpu.system) / 1000 / wall);
  const tm = run.timing;
  const learning = learnSteps + 1; // updates run at steps start..T
  const rounds = full.objective === 'none' ? 0 : Math.floor(learnSteps / full.model.every) + 1;
  const other = (wall - tm.modelTraining - tm.rollouts - tm.sacUpdates - tm.evaluation) / T;
  // Full run: the same per-part costs at the full run's counts.
  const fullLearning = full.totalSteps - full.startSteps + 1;
  const fullRounds = full.objective === 'none' ? 0 : Math.floor((full.totalSteps - full.startSteps) / full.model.every) + 1;
  const fullEvals = Math.ceil(full.totalSteps / full.evalEvery);
  const runMs =
    (tm.sacUpdates / learning) * fullLearning +
    (rounds ? ((tm.modelTraining + tm.rollouts) / rounds) * fullRounds : 0) +
    tm.evaluation * fullEvals +
    other * full.totalSteps;
  const S = full.totalSteps;
  const perStep = {
    model: rounds ? ((tm.modelTraining / rounds) * fullRounds) / S : 0,
    rollouts: rounds ? ((tm.rollouts / rounds) * fullRounds) / S : 0,
    updates: ((tm.sacUpdates / learning) * fullLearning) / S,
    evaluation: (tm.evaluation * fullEvals) / S,
    other,
    total: runMs / S,
  };
  return { perStep, runSeconds: runMs / 1000, stepsPerSecond: (S * 1000) / runMs, cpuShare };
}

export const mbpoBench: BenchSection = {
  name: 'mbpo',
  async run(log) {
    const backend = await initBackend({ quiet: true });
    const learnSteps = Number(process.env.MNM_BENCH_MBPO_STEPS ?? 100);
    const wanted = process.env.MNM_BENCH_MBPO_CASES ?? 'all';
    const cases = wanted === 'all' ? PAPER_RUNS : PAPER_RUNS.filter((c) => wanted.split(',').includes(caseName(c)));
    if (cases.length === 0)
      throw new Error(`MNM_BENCH_MBPO_CASES: no case named ${wanted} (known: ${PAPER_RUNS.map(caseName).join(', ')})`);
    log(
      `backend ${backend}; paper-scale configs, ${learnSteps} learning steps per case; load average ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    const entries: BenchEntry[] = [];
    let seedSeconds = 0;
    let seedCpuSeconds = 0;
    for (const c of cases) {
      const full = runConfig(c.task, c.algo, 'paper', c.horizon);
      const m = await measureLoop(c, learnSteps);
      seedSeconds += m.runSeconds;
      seedCpuSeconds += m.runSeconds * m.cpuShare;
      const p = m.perStep;
      const f = (x: number) => x.toFixed(2);
      log(
        `${caseName(c)}: ${m.stepsPerSecond.toFixed(1)} env steps/s; ms per env step: model ${f(p.model)}, rollouts ${f(p.rollouts)}, ` +
          `SAC updates ${f(p.updates)} (G = ${full.updatesPerStep}), evaluation ${f(p.evaluation)}, env+acting ${f(p.other)}; ` +
          `full run (${full.totalSteps} steps) ≈ ${(m.runSeconds / 60).toFixed(1)} min (CPU share ${m.cpuShare.toFixed(2)})`,
      );
      entries.push({
        name: `mbpo loop ${caseName(c)} (ms per env step)`,
        ours_ms: p.total,
        peer_ms: null,
        ratio: null,
        agree: null,
        env_steps_per_s: m.stepsPerSecond,
        ms_per_env_step: p,
        est_run_s: m.runSeconds,
        est_run_cpu_s: m.runSeconds * m.cpuShare,
        total_steps: full.totalSteps,
        updates_per_step: full.updatesPerStep,
        learn_steps_measured: learnSteps,
        load_avg_1min: os.loadavg()[0],
        backend,
      });
    }
    if (cases.length === PAPER_RUNS.length) {
      const wallH = (seedSeconds * SEEDS) / WORKERS / 3600;
      // Peak resident memory of this process after every case (the bound: 4 GB per worker).
      log(`peak memory of the process over all cases: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
      log(
        `E7–E10 at paper scale: ${(seedSeconds / 60).toFixed(1)} min per seed → ${SEEDS} seeds on ${WORKERS} workers ≈ ${wallH.toFixed(2)} h wall`,
      );
      entries.push({
        name: 'mbpo E7–E10 paper scale, estimated wall (s)',
        ours_ms: wallH * 3600 * 1000,
        peer_ms: null,
        ratio: null,
        agree: null,
        per_seed_s: seedSeconds,
        per_seed_cpu_s: seedCpuSeconds,
        quiet_wall_s: (seedCpuSeconds * SEEDS) / WORKERS,
        max_rss_mb: process.resourceUsage().maxRSS / 1024,
        seeds: SEEDS,
        workers: WORKERS,
      });
    }
    return entries;
  },
};
