/** Fig. 2b as the authors computed it: three rollouts after 20 iterations of the alternating procedure. */
import { alternatingProcedure, blockAveraging, type AlternatingOptions } from '../alternating';
import type { Gridworld } from '../gridworld';
import { dataMap, loadGridMap } from '../map-files';
import type { Policy, TabularMDP } from '../mdp';
import { actionOf, exactPart, f4, mnmOptions, withKnobs, type Check, type Knobs } from './knobs';

/** The Fig. 2b grid of a setting; walls are states so the block model can ignore them. */
export function fig2bGrid(knobs: Knobs): Gridworld {
  const map = loadGridMap(dataMap(knobs.setting === 'paper' ? 'paper-fig2b-15x15.txt' : 'e2-fine-walls-12x12.txt'));
  return withKnobs({ ...map, walls: 'states' }, knobs);
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
      : `${x.label}: ${x.stepsToGoal === null ? 'never at the goal' : `at the goal after ${x.stepsToGoal} moves (the authors' notebook lists the start as well and prints ${x.stepsToGoal + 1})`} on the greedy path, reach probability ${f4(x.reachProbability)}`;
  const reachPart = (x: Rollout, direction: 'above' | 'below') =>
    exactPart(`probability that ${x.label} reaches the goal within ${horizon} steps`, direction, 0.5, x.reachProbability);
  const reaches = (x: Rollout): Check => ({ evidence: [reachPart(x, 'above')], measured: `${reachText(x)} (within ${horizon} steps)` });
  return {
    grid: g,
    rollouts,
    checks: {
      exactReaches: reaches(ex),
      blockReaches: reaches(bl),
      ablationStays: {
        evidence: [
          reachPart(ab, 'below'),
          exactPart(
            'the ablation stays next to a wall for the second half of the rollout (1 yes, 0 no)',
            'above',
            0.5,
            ab.stuckAtWall ? 1 : 0,
          ),
        ],
        measured: ab.error
          ? reachText(ab)
          : `${reachText(ab)}; it ends at (${ab.path[horizon].join(',')})${ab.stuckAtWall ? ', next to a wall, where it stays for the second half of the rollout' : ', not stuck at a wall'}`,
      },
    },
  };
}
