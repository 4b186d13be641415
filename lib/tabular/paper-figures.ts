/**
 * The tabular figures as the authors computed them (PAPER-SETTINGS.md), under a setting and single-knob
 * changes of it, each with the checks of its claim. One definition serves the E1–E4 paper settings, the
 * sensitivity table (E12) and the notebooks.
 *
 * Settings: 'paper' = the authors' maps, rewards, noise, γ and non-absorbing goals (data/paper-*.txt);
 * 'project' = the project's (data/e1-open-10x10.txt for Fig. 2a/3b, data/e2-fine-walls-12x12.txt for
 * Fig. 2b, riskMDP() for Fig. 3a), run through the same procedures. Knobs change one thing of 'paper':
 * the weight of log r (Eq. 3's 1−γ against Eq. 5's 1), the KL clip, the noise, γ.
 *
 * Every figure here except Fig. 2a left is deterministic.
 */
import { alternatingProcedure, blockAveraging, type AlternatingOptions } from './alternating';
import { makeGridworld, type GridMap, type Gridworld } from './gridworld';
import { dataMap, loadGridMap } from './map-files';
import type { Kernel, Policy, TabularMDP } from './mdp';
import { riskMDP } from './risk-mdp';
import { AUTHORS_SAMPLE_LEARNER, runSampleLearner, SAMPLE_METHODS, type SampleLearnerConfig, type SampleMethod } from './sample-learner';
import { mnmObjective, policyReturn, valueIteration, vmbpoObjective } from './solve';
import { tightBound } from './tight-bound';
import type { Rng } from '../rng';
import { ci95, fmt, mean, paired } from '../stats';

export type Setting = 'paper' | 'project';
export const SETTINGS: readonly Setting[] = ['paper', 'project'];

export interface Knobs {
  setting: Setting;
  /** Weight of log r in MnM's reward: 'eq3' = 1−γ (the paper's Eq. 3, the authors'), 'eq5' = 1. */
  logRewardWeight: 'eq3' | 'eq5';
  /** KL clip: 'authors' = 5 in Fig. 2b (the classifier's limit) and none elsewhere; a number; null = none. */
  klClip: 'authors' | number | null;
  /** Overrides of the setting's noise and γ (undefined: the setting's own). */
  noise?: number;
  gamma?: number;
}

export const PAPER_KNOBS: Knobs = { setting: 'paper', logRewardWeight: 'eq3', klClip: 'authors' };
export const PROJECT_KNOBS: Knobs = { setting: 'project', logRewardWeight: 'eq3', klClip: 'authors' };

/** One checked statement of a figure: the verdict and the numbers behind it. */
export interface Check {
  holds: boolean;
  measured: string;
}

const f4 = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : String(x));

function clipFor(knobs: Knobs, authors: number | null): number | null {
  return knobs.klClip === 'authors' ? authors : knobs.klClip;
}

function withKnobs(map: GridMap, knobs: Knobs, rewards?: Record<string, number>): Gridworld {
  return makeGridworld(map, { noise: knobs.noise, gamma: knobs.gamma, rewards });
}

/** The Fig. 2a / 3b grid of a setting, with the figure's rewards under 'paper' (the project keeps its own). */
export function fig2aGrid(knobs: Knobs, paperRewards?: { free: number; goal: number }): Gridworld {
  if (knobs.setting === 'project') return withKnobs(loadGridMap(dataMap('e1-open-10x10.txt')), knobs);
  const rewards = paperRewards ? { '.': paperRewards.free, S: paperRewards.free, G: paperRewards.goal } : undefined;
  return withKnobs(loadGridMap(dataMap('paper-fig2a-10x10.txt')), knobs, rewards);
}

/** The Fig. 2b grid of a setting; walls are states so the block model can ignore them. */
export function fig2bGrid(knobs: Knobs): Gridworld {
  const map = loadGridMap(dataMap(knobs.setting === 'paper' ? 'paper-fig2b-15x15.txt' : 'e2-fine-walls-12x12.txt'));
  return withKnobs({ ...map, walls: 'states' }, knobs);
}

/** The Fig. 3a MDP of a setting: the authors' 1×3 grid, or the project's riskMDP(). */
export function fig3aMDP(knobs: Knobs): { mdp: TabularMDP; start: number; label: string } {
  if (knobs.setting === 'project')
    return { mdp: riskMDP(knobs.gamma !== undefined ? { gamma: knobs.gamma } : {}), start: 1, label: 'riskMDP()' };
  const g = withKnobs(loadGridMap(dataMap('paper-fig3a-risk.txt')), knobs);
  return { mdp: g.mdp, start: g.start, label: 'data/paper-fig3a-risk.txt' };
}

function mnmOptions(knobs: Knobs, authorsClip: number | null): Pick<AlternatingOptions, 'logRewardWeight' | 'klClip'> {
  return { logRewardWeight: knobs.logRewardWeight, klClip: clipFor(knobs, authorsClip) };
}

/** The action a deterministic policy takes in s. */
export function actionOf(pi: Policy, A: number, s: number): number {
  let best = 0;
  for (let a = 1; a < A; a++) if (pi[s * A + a] > pi[s * A + best]) best = a;
  return best;
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

export interface Arrow {
  row: number;
  col: number;
  /** The action's direction and the arrow's length q(intended cell | s, a). */
  dRow: number;
  dCol: number;
  length: number;
  /** Whether the move shortens the path to the goal. */
  closer: boolean;
}

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
// Fig. 2b: three rollouts.

export type Fig2bRun = 'exact' | 'block' | 'ablation';
export const FIG2B_RUNS: { key: Fig2bRun; label: string }[] = [
  { key: 'exact', label: 'MnM, exact model' },
  { key: 'block', label: 'MnM, 3×3 block model' },
  { key: 'ablation', label: 'block model without the KL term' },
];

export interface Rollout {
  run: Fig2bRun;
  label: string;
  /** The cells visited by the greedy policy's intended moves (start included), 101 of them. */
  path: [number, number][];
  /** First step at the goal on that path, or null. */
  stepsToGoal: number | null;
  /** Exact probability of having reached the goal within the horizon under the true p. */
  reachProbability: number;
  /** The path ends at a cell next to a wall and has stayed there for the second half of the horizon. */
  stuckAtWall: boolean;
  /** Why the run could not be made (e.g. an infinite KL without a clip); the path is then just the start. */
  error?: string;
}

export interface Fig2b {
  grid: Gridworld;
  rollouts: Rollout[];
  checks: { exactReaches: Check; blockReaches: Check; ablationStays: Check };
}

/** Probability that the policy has visited `goal` within `horizon` steps from p0 under the true dynamics. */
export function reachProbability(mdp: TabularMDP, pi: Policy, goal: number, horizon: number): number {
  const { S, A, rowStart, next, prob } = mdp;
  let d = Float64Array.from(mdp.p0);
  let reached = d[goal];
  d[goal] = 0;
  for (let t = 0; t < horizon; t++) {
    const dn = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      if (d[s] === 0) continue;
      for (let a = 0; a < A; a++) {
        const w = d[s] * pi[s * A + a];
        if (w === 0) continue;
        for (let k = rowStart[s * A + a]; k < rowStart[s * A + a + 1]; k++) dn[next[k]] += w * prob[k];
      }
    }
    reached += dn[goal];
    dn[goal] = 0;
    d = dn;
  }
  return reached;
}

export function fig2b(knobs: Knobs, horizon = 100, iterations = 20): Fig2b {
  const g = fig2bGrid(knobs);
  const cap = blockAveraging(g);
  const { A } = g.mdp;
  const base: AlternatingOptions = { objective: 'mnm', maxIterations: iterations, stop: false, ...mnmOptions(knobs, 5) };
  const runs: Record<Fig2bRun, AlternatingOptions> = {
    exact: base,
    block: { ...base, capacity: cap },
    ablation: { ...base, capacity: cap, includeKL: false },
  };
  const nextToWall = (r: number, c: number) => [-1, 1].some((d) => g.wallAt(r + d, c) || g.wallAt(r, c + d));
  const rollouts = FIG2B_RUNS.map(({ key, label }): Rollout => {
    let r: ReturnType<typeof alternatingProcedure>;
    try {
      r = alternatingProcedure(g.mdp, runs[key]);
    } catch (err) {
      return {
        run: key,
        label,
        path: [g.cellOf(g.start)],
        stepsToGoal: null,
        reachProbability: NaN,
        stuckAtWall: false,
        error: (err as Error).message,
      };
    }
    let s = g.start;
    const path: [number, number][] = [g.cellOf(s)];
    let stepsToGoal: number | null = null;
    for (let t = 1; t <= horizon; t++) {
      s = g.moveTarget(s, actionOf(r.greedy, A, s));
      path.push(g.cellOf(s));
      if (s === g.goal && stepsToGoal === null) stepsToGoal = t;
    }
    const end = path[path.length - 1];
    const half = path.slice(Math.floor(horizon / 2));
    const stuckAtWall = nextToWall(...end) && half.every(([r0, c0]) => r0 === end[0] && c0 === end[1]);
    return { run: key, label, path, stepsToGoal, reachProbability: reachProbability(g.mdp, r.greedy, g.goal, horizon), stuckAtWall };
  });
  const [ex, bl, ab] = rollouts;
  const reachText = (x: Rollout) =>
    x.error
      ? `${x.label}: could not be computed (${x.error})`
      : `${x.label}: ${x.stepsToGoal === null ? 'never at the goal' : `at the goal after ${x.stepsToGoal} steps`} on the greedy path, reach probability ${f4(x.reachProbability)}`;
  const reaches = (x: Rollout): Check => ({ holds: x.reachProbability >= 0.5, measured: `${reachText(x)} (within ${horizon} steps)` });
  return {
    grid: g,
    rollouts,
    checks: {
      exactReaches: reaches(ex),
      blockReaches: reaches(bl),
      ablationStays: {
        holds: ab.reachProbability < 0.5 && ab.stuckAtWall,
        measured: ab.error
          ? reachText(ab)
          : `${reachText(ab)}; it ends at (${ab.path[horizon].join(',')})${ab.stuckAtWall ? ', next to a wall, where it stays for the second half of the rollout' : ', not stuck at a wall'}`,
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Fig. 3a: returns from the middle cell.

export interface Fig3aMethod {
  method: 'Q-learning' | 'MnM' | 'VMBPO';
  procedure: 'alternating' | 'value iteration';
  /** True return from the start of the final (greedy) policy. */
  ret: number;
  iterations: number | null;
}

export interface Fig3a {
  label: string;
  optimal: number;
  methods: Fig3aMethod[];
  checks: { mnmOptimal: Check; vmbpoLower: Check };
}

export function fig3a(knobs: Knobs): Fig3a {
  const { mdp, label } = fig3aMDP(knobs);
  const J = (pi: Policy) => policyReturn(mdp, pi);
  const optimal = J(valueIteration(mdp, 'return').policy);
  const methods: Fig3aMethod[] = [{ method: 'Q-learning', procedure: 'value iteration', ret: optimal, iterations: null }];
  for (const [method, objective] of [
    ['MnM', 'mnm'],
    ['VMBPO', 'vmbpo'],
  ] as const) {
    const r = alternatingProcedure(mdp, { objective, maxIterations: 100, ...mnmOptions(knobs, null) });
    methods.push({ method, procedure: 'alternating', ret: J(r.greedy), iterations: r.iterations });
  }
  // The joint optimum found directly (exp(γV), the project's value iteration), for comparison.
  for (const [method, backup] of [
    ['MnM', 'mnm'],
    ['VMBPO', 'vmbpo'],
  ] as const) {
    methods.push({ method, procedure: 'value iteration', ret: J(valueIteration(mdp, backup).policy), iterations: null });
  }
  const alt = (m: string) => methods.find((x) => x.method === m && x.procedure === 'alternating') as Fig3aMethod;
  const vi = (m: string) => methods.find((x) => x.method === m && x.procedure === 'value iteration' && m !== 'Q-learning') as Fig3aMethod;
  const mnm = alt('MnM');
  const vmbpo = alt('VMBPO');
  const tol = 1e-6 * Math.abs(optimal);
  const viNote = `(value iteration on the same MDP: MnM ${f4(vi('MnM').ret)}, VMBPO ${f4(vi('VMBPO').ret)})`;
  return {
    label,
    optimal,
    methods,
    checks: {
      mnmOptimal: {
        holds: Math.abs(mnm.ret - optimal) <= tol,
        measured: `${label}, return from the start: Q-learning (return-optimal) ${f4(optimal)}, MnM ${f4(mnm.ret)} (alternating, ${mnm.iterations} iterations) ${viNote}`,
      },
      vmbpoLower: {
        holds: vmbpo.ret < optimal - tol,
        measured: `${label}, return from the start: VMBPO ${f4(vmbpo.ret)} (alternating, ${vmbpo.iterations} iterations) against the optimum ${f4(optimal)} ${viNote}`,
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Fig. 3b: the bounds along the iterations.

export interface Fig3bRow {
  iteration: number;
  log_J: number;
  eq2_bound: number;
  tight_bound: number;
  log_vmbpo: number;
}

export interface Fig3b {
  grid: Gridworld;
  rows: Fig3bRow[];
  converged: boolean;
  checks: { boundsBelow: Check; vmbpoAbove: Check };
}

/** Per iteration, for the (π, q) that iteration evaluates: log J(π), Eq. 2 L(π, q), Eq. 10 and log L_VMBPO(π, q). */
export function fig3b(knobs: Knobs): Fig3b {
  const g = fig3aGridFor3b(knobs);
  const rows: Fig3bRow[] = [];
  const r = alternatingProcedure(g.mdp, {
    objective: 'mnm',
    ...mnmOptions(knobs, null),
    onIteration: (it) => {
      const pi = Float64Array.from(it.pi);
      const q: Kernel = { ...it.q, prob: Float64Array.from(it.q.prob) };
      rows.push({
        iteration: it.iteration,
        log_J: Math.log(policyReturn(g.mdp, pi)),
        eq2_bound: mnmObjective(g.mdp, pi, q),
        tight_bound: tightBound(g.mdp, pi, q),
        log_vmbpo: Math.log(vmbpoObjective(g.mdp, pi, q)),
      });
    },
  });
  const eps = 1e-9;
  const worst = (f: (x: Fig3bRow) => number) => Math.max(...rows.map(f));
  const below2 = worst((x) => x.eq2_bound - x.log_J);
  const belowT = worst((x) => x.tight_bound - x.log_J);
  const order = worst((x) => x.eq2_bound - x.tight_bound);
  const above = Math.min(...rows.map((x) => x.log_vmbpo - x.log_J));
  const last = rows[rows.length - 1];
  const lastText = `last iteration (${last.iteration}${r.converged ? ', converged' : ''}): log J ${f4(last.log_J)}, Eq. 2 ${f4(last.eq2_bound)}, Eq. 10 ${f4(last.tight_bound)}, log VMBPO ${f4(last.log_vmbpo)}`;
  return {
    grid: g,
    rows,
    converged: r.converged,
    checks: {
      boundsBelow: {
        holds: below2 <= eps && belowT <= eps,
        measured: `${rows.length} iterations: max of Eq. 2 − log J ${below2.toExponential(3)}, of Eq. 10 − log J ${belowT.toExponential(3)} (Eq. 2 ≤ Eq. 10 at every iteration: ${order <= eps}); ${lastText}`,
      },
      vmbpoAbove: {
        holds: above >= -eps,
        measured: `${rows.length} iterations: min of log VMBPO − log J ${above.toExponential(3)} (0 at the first iteration, where q = p); ${lastText}`,
      },
    },
  };
}

function fig3aGridFor3b(knobs: Knobs): Gridworld {
  return fig2aGrid(knobs, { free: 1, goal: 10 });
}

// ---------------------------------------------------------------------------------------------------------
// Fig. 2a left: the authors' sample-based learner over seeds.

export interface Fig2aLeftPoint {
  seed: number;
  method: SampleMethod;
  iteration: number;
  ret: number;
}

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
        holds: mq.diff - mq.ci > 0 && qv.diff - qv.ci > 0,
        measured:
          `true return of the greedy policy at iteration ${lastIt} (mean ± 95% CI over ${n} seeds; J* = ${f4(optimal)}): MnM ${fin(mnm)}, Q-learning ${fin(ql)}, VMBPO ${fin(vm)}; ` +
          `paired MnM − Q-learning ${fmt(mq.diff, 4)} ± ${fmt(mq.ci, 3)}, Q-learning − VMBPO ${fmt(qv.diff, 4)} ± ${fmt(qv.ci, 3)}`,
      },
      mnmFirst: {
        holds: rq.diff + rq.ci < 0 && rv.diff + rv.ci < 0,
        measured:
          `first iteration at which the greedy return reaches J*/2 (${lastIt + 1} if never; mean ± 95% CI over ${n} seeds): MnM ${fin(riseM)}, Q-learning ${fin(riseQ)}, VMBPO ${fin(riseV)}; ` +
          `paired MnM − Q-learning ${fmt(rq.diff, 4)} ± ${fmt(rq.ci, 3)}, MnM − VMBPO ${fmt(rv.diff, 4)} ± ${fmt(rv.ci, 3)}`,
      },
    },
  };
}
