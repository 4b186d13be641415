/** Fig. 2a as the authors computed it: the sample-based learner (left) and the arrows of the converged q (right). */
import { alternatingProcedure } from '../alternating';
import type { Gridworld } from '../gridworld';
import { dataMap, loadGridMap } from '../map-files';
import { AUTHORS_SAMPLE_LEARNER, runSampleLearner, SAMPLE_METHODS, type SampleLearnerConfig, type SampleMethod } from '../sample-learner';
import { policyReturn, valueIteration } from '../solve';
import type { Rng } from '../../rng';
import { ci95, fmt, mean, paired, significantlyAbove, significantlyBelow } from '../../stats';
import { clipFor, f4, mnmOptions, withKnobs, type Check, type Knobs } from './knobs';

/** The Fig. 2a / 3b grid of a setting, with the figure's rewards under 'paper' (the project keeps its own). */
export function fig2aGrid(knobs: Knobs, paperRewards?: { free: number; goal: number }): Gridworld {
  if (knobs.setting === 'project') return withKnobs(loadGridMap(dataMap('e1-open-10x10.txt')), knobs);
  const rewards = paperRewards ? { '.': paperRewards.free, S: paperRewards.free, G: paperRewards.goal } : undefined;
  return withKnobs(loadGridMap(dataMap('paper-fig2a-10x10.txt')), knobs, rewards);
}

/** Shortest-path distance (in moves through non-wall cells) of every state to the goal; Infinity if cut off. */
export function distanceToGoal(g: Gridworld): Float64Array {
  const { S, A } = g.mdp;
  const dist = new Float64Array(S).fill(Infinity);
  const free = (s: number) => !g.wallAt(...g.cellOf(s));
  // Reverse BFS over the deterministic moves.
  const preds: number[][] = Array.from({ length: S }, () => []);
  for (let s = 0; s < S; s++) if (free(s)) for (let a = 0; a < A; a++) preds[g.moveTarget(s, a)].push(s);
  dist[g.goal] = 0;
  const queue = [g.goal];
  for (let h = 0; h < queue.length; h++) {
    const t = queue[h];
    for (const s of preds[t]) {
      if (dist[s] === Infinity) {
        dist[s] = dist[t] + 1;
        queue.push(s);
      }
    }
  }
  return dist;
}

// ---------------------------------------------------------------------------------------------------------
// Fig. 2a right: the arrows of the converged q.

export type Arrow = {
  row: number;
  col: number;
  /** The action's direction and the arrow's length q(intended cell | s, a). */
  dRow: number;
  dCol: number;
  length: number;
  /** Whether the move shortens the path to the goal. */
  closer: boolean;
};

export interface Fig2aRight {
  grid: Gridworld;
  iterations: number;
  converged: boolean;
  arrows: Arrow[];
  /** Fraction of free cells whose longest arrow shortens the path to the goal; mean lengths closer/farther. */
  longestCloser: number;
  meanCloser: number;
  meanFarther: number;
  /** The same under p (every arrow 1 − ε + ε/A). */
  pLength: number;
  check: Check;
}

export function fig2aRight(knobs: Knobs): Fig2aRight {
  const g = fig2aGrid(knobs, { free: 1e-5, goal: 1e9 });
  const r = alternatingProcedure(g.mdp, { objective: 'mnm', ...mnmOptions(knobs, null) });
  const { S, A } = g.mdp;
  const dist = distanceToGoal(g);
  const arrows: Arrow[] = [];
  let cells = 0;
  let longest = 0;
  for (let s = 0; s < S; s++) {
    const [row, col] = g.cellOf(s);
    if (g.wallAt(row, col) || s === g.goal) continue;
    let best: Arrow | null = null;
    for (let a = 0; a < A; a++) {
      const t = g.moveTarget(s, a);
      if (t === s) continue;
      let len = 0;
      for (let k = r.q.rowStart[s * A + a]; k < r.q.rowStart[s * A + a + 1]; k++) if (r.q.next[k] === t) len += r.q.prob[k];
      const [tr, tc] = g.cellOf(t);
      const arrow = { row, col, dRow: tr - row, dCol: tc - col, length: len, closer: dist[t] < dist[s] };
      arrows.push(arrow);
      if (!best || len > best.length) best = arrow;
    }
    if (best) {
      cells++;
      if (best.closer) longest++;
    }
  }
  const meanCloser = mean(arrows.filter((a) => a.closer).map((a) => a.length));
  const meanFarther = mean(arrows.filter((a) => !a.closer).map((a) => a.length));
  const noise = g.noise;
  const pLength = 1 - noise + noise / A;
  const longestCloser = longest / cells;
  return {
    grid: g,
    iterations: r.iterations,
    converged: r.converged,
    arrows,
    longestCloser,
    meanCloser,
    meanFarther,
    pLength,
    check: {
      holds: longestCloser > 0.5 && meanCloser > meanFarther,
      measured:
        `converged q after ${r.iterations} iterations${r.converged ? '' : ' (not converged)'}: the longest arrow shortens the path to the goal in ` +
        `${longest}/${cells} cells (${f4(longestCloser)}); mean arrow length of moves toward the goal ${f4(meanCloser)}, away ${f4(meanFarther)} ` +
        `(under p every arrow is ${f4(pLength)})`,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Fig. 2a left: the authors' sample-based learner over seeds.

export type Fig2aLeftPoint = {
  seed: number;
  method: SampleMethod;
  iteration: number;
  ret: number;
};

export interface Fig2aLeft {
  grid: Gridworld;
  optimal: number;
  points: Fig2aLeftPoint[];
  checks: { finalOrder: Check; mnmFirst: Check };
}

/** The learner's config under the knobs (the clip and the log r weight; iterations may be cut for speed). */
export function sampleConfig(knobs: Knobs, iterations = AUTHORS_SAMPLE_LEARNER.iterations): SampleLearnerConfig {
  return { ...AUTHORS_SAMPLE_LEARNER, iterations, logRewardWeight: knobs.logRewardWeight, klClip: clipFor(knobs, null) };
}

/** Runs the three learners for the given seeds (rngOf(seed, method) gives each its stream). */
export function fig2aLeftRuns(
  knobs: Knobs,
  seeds: number[],
  rngOf: (seed: number, method: SampleMethod) => Rng,
  iterations?: number,
): Fig2aLeftPoint[] {
  const g = fig2aGrid(knobs);
  const cfg = sampleConfig(knobs, iterations);
  const points: Fig2aLeftPoint[] = [];
  for (const seed of seeds) {
    for (const method of SAMPLE_METHODS) {
      for (const p of runSampleLearner(g.mdp, method, cfg, rngOf(seed, method)))
        points.push({ seed, method, iteration: p.iteration, ret: p.ret });
    }
  }
  return points;
}

/** The claims of Fig. 2a left over the seeds: final MnM > Q-learning > VMBPO (paired 95% CI), MnM rises first. */
export function fig2aLeftChecks(knobs: Knobs, points: Fig2aLeftPoint[]): Fig2aLeft {
  const g = fig2aGrid(knobs);
  const optimal = policyReturn(g.mdp, valueIteration(g.mdp, 'return').policy);
  const seeds = [...new Set(points.map((p) => p.seed))].sort((a, b) => a - b);
  const lastIt = Math.max(...points.map((p) => p.iteration));
  const finalOf = (m: SampleMethod) =>
    seeds.map((s) => points.find((p) => p.seed === s && p.method === m && p.iteration === lastIt)?.ret ?? NaN);
  // "Rises": the first evaluation at which the greedy return reaches half of J* (the last iteration + 1 if never).
  const riseOf = (m: SampleMethod) =>
    seeds.map((s) => {
      const hit = points.filter((p) => p.seed === s && p.method === m && p.ret >= 0.5 * optimal).map((p) => p.iteration);
      return hit.length ? Math.min(...hit) : lastIt + 1;
    });
  const [mnm, ql, vm] = (['mnm', 'q-learning', 'vmbpo'] as const).map(finalOf);
  const mq = paired(mnm, ql);
  const qv = paired(ql, vm);
  const fin = (xs: number[]) => `${fmt(mean(xs), 4)} ± ${fmt(ci95(xs), 3)}`;
  const riseM = riseOf('mnm');
  const riseQ = riseOf('q-learning');
  const riseV = riseOf('vmbpo');
  const rq = paired(riseM, riseQ);
  const rv = paired(riseM, riseV);
  const n = seeds.length;
  return {
    grid: g,
    optimal,
    points,
    checks: {
      finalOrder: {
        holds: significantlyAbove(mq) && significantlyAbove(qv),
        measured:
          `true return of the greedy policy at iteration ${lastIt} (mean ± 95% CI over ${n} seeds; J* = ${f4(optimal)}): MnM ${fin(mnm)}, Q-learning ${fin(ql)}, VMBPO ${fin(vm)}; ` +
          `paired MnM − Q-learning ${fmt(mq.diff, 4)} ± ${fmt(mq.ci, 3)}, Q-learning − VMBPO ${fmt(qv.diff, 4)} ± ${fmt(qv.ci, 3)}`,
      },
      mnmFirst: {
        holds: significantlyBelow(rq) && significantlyBelow(rv),
        measured:
          `first iteration at which the greedy return reaches J*/2 (${lastIt + 1} if never; mean ± 95% CI over ${n} seeds): MnM ${fin(riseM)}, Q-learning ${fin(riseQ)}, VMBPO ${fin(riseV)}; ` +
          `paired MnM − Q-learning ${fmt(rq.diff, 4)} ± ${fmt(rq.ci, 3)}, MnM − VMBPO ${fmt(rv.diff, 4)} ± ${fmt(rv.ci, 3)}`,
      },
    },
  };
}
