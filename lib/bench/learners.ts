/**
 * Throughput of the learned tabular MnM learners on the E1 grid (10×10, ε = 0.2): updates per second of
 * each method (one Q update per simulated step; for the model-based methods also one classifier step,
 * one model step and one real draw per update), the cost of one exact evaluation of a greedy policy in the
 * true MDP, and the E1 experiment at quick scale (10 seeds, every method) as the CLI runs it.
 * No independent peer program does this work, so peer_ms, ratio and agree are null.
 * Best of MNM_BENCH_REPEAT runs (default 3) after a warm-up.
 */
import { runExperiment } from '../experiment';
import { e1Grid, e1GridworldOptimism, e1Problem } from '../experiments/e1-gridworld-optimism';
import { Rng } from '../rng';
import { DEFAULT_LEARNER, trainLearner, type LearnerConfig, type Method } from '../tabular/mnm-agent';
import { greedyProgress } from '../tabular/progress';
import type { BenchEntry, BenchSection } from './types';

const UPDATES = 100000;
const ROWS: { name: string; method: Method; gradient: 'exact' | 'sampled' }[] = [
  { name: 'q-true', method: 'q-true', gradient: 'exact' },
  { name: 'mnm exact-grad', method: 'mnm', gradient: 'exact' },
  { name: 'mnm sampled-grad', method: 'mnm', gradient: 'sampled' },
  { name: 'vmbpo', method: 'vmbpo', gradient: 'exact' },
];

function best(repeat: number, f: () => void): number {
  f();
  let ms = Infinity;
  for (let r = 0; r < repeat; r++) {
    const t0 = performance.now();
    f();
    ms = Math.min(ms, performance.now() - t0);
  }
  return ms;
}

export const learnersBench: BenchSection = {
  name: 'learners',
  async run(log) {
    const repeat = Number(process.env.MNM_BENCH_REPEAT ?? 3);
    if (!(Number.isInteger(repeat) && repeat > 0))
      throw new Error(`MNM_BENCH_REPEAT must be a positive integer, got ${process.env.MNM_BENCH_REPEAT}`);
    const g = e1Grid();
    const problem = e1Problem(g);
    const entries: BenchEntry[] = [];
    // Evaluate only at the start and the end, so the time is the learning loop's.
    const cfg: LearnerConfig = { ...DEFAULT_LEARNER, updates: UPDATES, evalEvery: UPDATES };
    for (const row of ROWS) {
      const ms = best(repeat, () => trainLearner(problem, row.method, { ...cfg, modelGradient: row.gradient }, new Rng('bench')));
      const perSecond = UPDATES / (ms / 1000);
      log(`${row.name}: ${UPDATES} updates in ${ms.toFixed(1)} ms (${Math.round(perSecond)} updates/s)`);
      entries.push({
        name: `learners/e1 ${row.name} ${UPDATES / 1000}k upd`,
        ours_ms: ms,
        peer_ms: null,
        ratio: null,
        agree: null,
        updates: UPDATES,
        updates_per_second: perSecond,
        states: g.mdp.S,
      });
    }
    const Q = new Float64Array(g.mdp.S * g.mdp.A).map((_, i) => Math.sin(i));
    const evalMs =
      best(repeat, () => {
        for (let i = 0; i < 100; i++) greedyProgress(g.mdp, Q, g.goal, 50);
      }) / 100;
    log(`exact evaluation of a greedy policy (return, path, reach probability): ${evalMs.toFixed(3)} ms`);
    entries.push({
      name: 'learners/e1 greedy-policy evaluation',
      ours_ms: evalMs,
      peer_ms: null,
      ratio: null,
      agree: null,
      states: g.mdp.S,
    });
    const t0 = performance.now();
    const rep = await runExperiment(e1GridworldOptimism, { scale: 'quick' });
    const e1Ms = performance.now() - t0;
    log(`E1 at quick scale (${rep.results.length} seeds, every method): ${(e1Ms / 1000).toFixed(2)} s`);
    entries.push({
      name: `learners/e1 run, quick (${rep.results.length} seeds)`,
      ours_ms: e1Ms,
      peer_ms: null,
      ratio: null,
      agree: null,
      seeds: rep.results.length,
    });
    return entries;
  },
};
