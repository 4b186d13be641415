/** Fig. 2a as the authors computed it: the sample-based learner (left) and the arrows of the converged q (right). */
import * as fs from 'node:fs';
import { alternatingProcedure } from '../alternating';
import type { Gridworld } from '../gridworld';
import { dataMap, loadGridMap } from '../map-files';
import {
  AUTHORS_SAMPLE_LEARNER,
  runSampleLearner,
  SAMPLE_METHODS,
  SAMPLE_METHODS_WITH_CONTROL,
  type SampleLearnerConfig,
  type SampleMethod,
} from '../sample-learner';
import { policyReturn, valueIteration } from '../solve';
import { Rng } from '../../rng';
import type { Scale } from '../../scale';
import { ci95, combine, type Decision, decide, fmt, fractionInterval, mean, pairedInterval, powerByResampling } from '../../stats';
import { clipFor, exactPart, f4, mnmOptions, withKnobs, type Check, type Knobs } from './knobs';

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
      evidence: [
        exactPart('fraction of free cells whose longest arrow shortens the path to the goal', 'above', 0.5, longestCloser),
        exactPart('mean arrow length toward the goal − away from it', 'above', 0, meanCloser - meanFarther),
      ],
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

/**
 * The random numbers of seed k of the authors' learner: named by the figure, not by the experiment, so E1's paper
 * setting and E12's columns draw the same numbers and print the same Fig. 2a. Every method of a seed starts from this
 * same stream (common random numbers): each step draws the action, then the successor, the same way in every method,
 * so a paired difference compares the methods on the same luck.
 */
export function fig2aLeftStream(seed: number): Rng {
  return new Rng(`fig2a-left/seed-${seed}`);
}

/**
 * Seeds and iterations of the authors' learner per scale, the same in E1's paper setting and E12 (so both print the same
 * numbers). The seeds come from power (scripts/pilot-fig2a.ts): 10 give at least 80% on the paper's claims and on
 * "Q-learning ends above VMBPO"; the log-r control needs about 100 (its effect lies near its margin), which paper scale runs.
 */
export const FIG2A_LEFT_SCALE: Record<Scale, { seeds: number; iterations: number }> = {
  smoke: { seeds: 2, iterations: 301 },
  quick: { seeds: 10, iterations: 1501 },
  paper: { seeds: 100, iterations: 1501 },
};

/** The pilot's seeds (data/pilot-fig2a-left.json): disjoint from every run's seeds 0, 1, 2, … */
export const FIG2A_PILOT_FIRST_SEED = 1000;

/** The learner's config under the knobs (the clip and the log r weight; iterations may be cut for speed). */
export function sampleConfig(knobs: Knobs, iterations = AUTHORS_SAMPLE_LEARNER.iterations): SampleLearnerConfig {
  return { ...AUTHORS_SAMPLE_LEARNER, iterations, logRewardWeight: knobs.logRewardWeight, klClip: clipFor(knobs, null) };
}

/** Runs the learners (the paper's three by default) for the given seeds, each method of a seed on fig2aLeftStream(seed). */
export function fig2aLeftRuns(
  knobs: Knobs,
  seeds: number[],
  iterations?: number,
  methods: readonly SampleMethod[] = SAMPLE_METHODS,
): Fig2aLeftPoint[] {
  const g = fig2aGrid(knobs);
  const cfg = sampleConfig(knobs, iterations);
  const points: Fig2aLeftPoint[] = [];
  for (const seed of seeds) {
    for (const method of methods) {
      for (const p of runSampleLearner(g.mdp, method, cfg, fig2aLeftStream(seed)))
        points.push({ seed, method, iteration: p.iteration, ret: p.ret });
    }
  }
  return points;
}

/**
 * The margins of the Fig. 2a left claims, fixed before the pilot was run: a difference of final returns counts from
 * 5% of J*, a difference of the iteration at which half of J* is first reached from 5% of the iterations run.
 */
export const FIG2A_MARGINS = { finalFractionOfOptimal: 0.05, riseFractionOfIterations: 0.05 };

/** Per seed (seed order) and method: the final return, the first iteration at half of J* (last + 1 if never), and whether the final return is ≥ half of J*. */
export interface Fig2aLeftSeeds {
  optimal: number;
  lastIteration: number;
  seeds: number[];
  methods: SampleMethod[];
  final: Partial<Record<SampleMethod, number[]>>;
  rise: Partial<Record<SampleMethod, number[]>>;
  reached: Partial<Record<SampleMethod, number[]>>;
}

export function fig2aOptimal(knobs: Knobs): number {
  const g = fig2aGrid(knobs);
  return policyReturn(g.mdp, valueIteration(g.mdp, 'return').policy);
}

export function fig2aLeftSeeds(knobs: Knobs, points: Fig2aLeftPoint[]): Fig2aLeftSeeds {
  const optimal = fig2aOptimal(knobs);
  const seeds = [...new Set(points.map((p) => p.seed))].sort((a, b) => a - b);
  const methods = SAMPLE_METHODS_WITH_CONTROL.filter((m) => points.some((p) => p.method === m));
  const lastIteration = Math.max(...points.map((p) => p.iteration));
  const bySeed = new Map<string, Fig2aLeftPoint[]>();
  for (const p of points) {
    const k = `${p.seed}/${p.method}`;
    const list = bySeed.get(k);
    if (list) list.push(p);
    else bySeed.set(k, [p]);
  }
  const curve = (s: number, m: SampleMethod) => bySeed.get(`${s}/${m}`) ?? [];
  const final: Fig2aLeftSeeds['final'] = {};
  const rise: Fig2aLeftSeeds['rise'] = {};
  const reached: Fig2aLeftSeeds['reached'] = {};
  for (const m of methods) {
    const f = seeds.map((s) => curve(s, m).find((p) => p.iteration === lastIteration)?.ret ?? NaN);
    final[m] = f;
    // "Rises": the first evaluation at which the greedy return reaches half of J* (the last iteration + 1 if never).
    rise[m] = seeds.map((s) => {
      const hit = curve(s, m).filter((p) => p.ret >= 0.5 * optimal);
      return hit.length ? Math.min(...hit.map((p) => p.iteration)) : lastIteration + 1;
    });
    reached[m] = f.map((x) => (x >= 0.5 * optimal ? 1 : 0));
  }
  return { optimal, lastIteration, seeds, methods, final, rise, reached };
}

/** One seed's numbers of Fig. 2a left, the unit a pilot stores and power resamples. */
export type Fig2aSeedRow = { final: Partial<Record<SampleMethod, number>>; rise: Partial<Record<SampleMethod, number>> };

export function fig2aSeedRows(s: Fig2aLeftSeeds): Fig2aSeedRow[] {
  return s.seeds.map((_, i) => ({
    final: Object.fromEntries(s.methods.map((m) => [m, s.final[m]?.[i] ?? NaN])),
    rise: Object.fromEntries(s.methods.map((m) => [m, s.rise[m]?.[i] ?? NaN])),
  }));
}

/** The Fig. 2a left claims, each a function of the seeds' rows, so that the run decides it and a pilot gives its power. */
export type Fig2aClaimKey = 'mnm-ends-above' | 'q-above-vmbpo' | 'mnm-first' | 'mnm-first-control';

const LABEL: Record<SampleMethod, string> = {
  mnm: 'MnM',
  'q-learning': 'Q-learning',
  vmbpo: 'VMBPO',
  'q-learning-log': 'Q-learning with log r',
};

/** The decisions of claim `key` on some seeds' rows (J* and the iterations run fix the margins). */
export function fig2aDecisions(key: Fig2aClaimKey, rows: Fig2aSeedRow[], optimal: number, iterations: number): Decision[] {
  const finalMargin = FIG2A_MARGINS.finalFractionOfOptimal * optimal;
  const riseMargin = Math.round(FIG2A_MARGINS.riseFractionOfIterations * iterations);
  const col = (what: 'final' | 'rise', m: SampleMethod) => rows.map((r) => r[what][m] ?? NaN);
  const above = (a: SampleMethod, b: SampleMethod) =>
    decide(
      { quantity: `final return, ${LABEL[a]} − ${LABEL[b]} (paired by seed)`, direction: 'above', margin: finalMargin },
      pairedInterval(col('final', a), col('final', b)),
    );
  const first = (a: SampleMethod, b: SampleMethod) =>
    decide(
      { quantity: `iteration at J*/2, ${LABEL[a]} − ${LABEL[b]} (paired by seed)`, direction: 'below', margin: -riseMargin },
      pairedInterval(col('rise', a), col('rise', b)),
    );
  switch (key) {
    case 'mnm-ends-above':
      return [above('mnm', 'q-learning'), above('mnm', 'vmbpo')];
    case 'q-above-vmbpo':
      return [above('q-learning', 'vmbpo')];
    case 'mnm-first':
      return [first('mnm', 'q-learning'), first('mnm', 'vmbpo')];
    case 'mnm-first-control':
      return [first('mnm', 'q-learning-log')];
  }
}

/** The pilot of Fig. 2a left (paper setting): its seeds' rows and how it was made. */
export interface Fig2aPilot {
  note: string;
  optimal: number;
  iterations: number;
  rows: Fig2aSeedRow[];
}

/**
 * Power of n seeds for claim `key`, by resampling the pilot's seeds (lib/stats.ts powerByResampling): the probability
 * that n seeds decide the claim. Deterministic: the resampling draws from its own named stream.
 */
export function fig2aPower(pilot: Fig2aPilot, key: Fig2aClaimKey, n: number): number {
  return powerByResampling(
    pilot.rows,
    n,
    (rows) => combine(fig2aDecisions(key, rows, pilot.optimal, pilot.iterations)).verdict,
    new Rng(`power/fig2a/${key}/${n}`),
    1000,
  );
}

/** Text of the fraction of seeds whose final return is ≥ half of J*, with its 95% Wilson interval: the outcome is bimodal. */
export function reachedText(s: Fig2aLeftSeeds, m: SampleMethod): string {
  const xs = s.reached[m] ?? [];
  const k = xs.reduce((a, b) => a + b, 0);
  if (xs.length === 0) return `${LABEL[m]} no seeds`;
  const w = fractionInterval(k, xs.length);
  return `${LABEL[m]} ${k}/${xs.length} [${fmt(w.lo, 2)}, ${fmt(w.hi, 2)}]`;
}

/** The measured text of a claim: means ± 95% CI per method, the fraction reaching half of J*, and the paired differences. */
export function fig2aMeasured(s: Fig2aLeftSeeds, key: Fig2aClaimKey): string {
  const fin = (xs: number[]) => `${fmt(mean(xs), 4)} ± ${fmt(ci95(xs), 3)}`;
  const shown: SampleMethod[] =
    key === 'mnm-first-control'
      ? ['mnm', 'q-learning-log']
      : key === 'q-above-vmbpo'
        ? ['q-learning', 'vmbpo']
        : ['mnm', 'q-learning', 'vmbpo'];
  const ms = shown.filter((m) => s.methods.includes(m));
  const n = s.seeds.length;
  const what = key === 'mnm-ends-above' || key === 'q-above-vmbpo' ? 'final' : 'rise';
  const head =
    what === 'final'
      ? `true return of the greedy policy at iteration ${s.lastIteration} (mean ± 95% CI over ${n} seeds; J* = ${f4(s.optimal)}): `
      : `first iteration at which the greedy return reaches J*/2 (${s.lastIteration + 1} if never; mean ± 95% CI over ${n} seeds): `;
  return (
    head +
    ms.map((m) => `${LABEL[m]} ${fin(s[what][m] ?? [])}`).join(', ') +
    `; seeds ending at ≥ J*/2 (95% Wilson): ${ms.map((m) => reachedText(s, m)).join(', ')}`
  );
}

/** The committed pilot of Fig. 2a left (scripts/pilot-fig2a.ts writes it). */
export const FIG2A_PILOT_FILE = 'pilot-fig2a-left.json';

export function loadFig2aPilot(): Fig2aPilot {
  const file = dataMap(FIG2A_PILOT_FILE);
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Fig2aPilot;
  if (!Array.isArray(p.rows) || p.rows.length < 2 || !(p.optimal > 0) || !(p.iterations > 0))
    throw new Error(`${file}: not a Fig. 2a pilot (rows, optimal and iterations expected); rerun: npx tsx scripts/pilot-fig2a.ts`);
  return p;
}

/** The claims of Fig. 2a left and the fewest seeds each needs for 80% power by the pilot (null: more than `maxSeeds`). */
export const FIG2A_CLAIMS: readonly Fig2aClaimKey[] = ['mnm-ends-above', 'q-above-vmbpo', 'mnm-first', 'mnm-first-control'];
