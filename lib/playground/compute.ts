/**
 * What the playground computes, as plain functions of plain inputs: the page's worker calls them in the
 * browser, and test/playground calls them in Node to check that both give the same numbers. Everything here
 * is the library's own code (lib/tabular) composed the way the experiments compose it; nothing is re-derived.
 * No Node modules and no DOM: maps come in as text.
 */
import type { SideMapCell } from '../plot/risk-mdp';
import { Rng } from '../rng';
import { gridKeys } from '../tabular/classifier';
import { dot } from '../tabular/evaluate';
import { alternatingProcedure, type AlternatingObjective, blockAveraging } from '../tabular/alternating';
import { type GridOptions, type Gridworld, makeGridworld, parseGridMap } from '../tabular/gridworld';
import { blockStructure, gridMoveStructure } from '../tabular/learned-model';
import { DEFAULT_LEARNER, type CurvePoint, type LearnerConfig, type LearnerProblem, type Method, trainLearner } from '../tabular/mnm-agent';
import { eq5OptimisticModel, modelShift } from '../tabular/model-shift';
import { likelyPath, reachProbability } from '../tabular/progress';
import { RISK_MDP_DEFAULTS, type RiskMDPParams, solveRiskMDP } from '../tabular/risk-mdp';
import { tightBound } from '../tabular/tight-bound';
import type { Kernel } from '../tabular/mdp';
import {
  backupQ,
  greedyPolicy,
  mnmObjective,
  optimisticModel,
  policyReturn,
  prepareBackup,
  sweepValues,
  valueIteration,
  vmbpoObjective,
} from '../tabular/solve';

// ---------------------------------------------------------------- the risk MDP (Fig. 3a)

export type RiskKey = keyof RiskMDPParams;
/** The sliders of the risk MDP: their ranges are also the axes of the "which side" map. */
export const RISK_SLIDERS: { key: RiskKey; label: string; min: number; max: number; step: number }[] = [
  { key: 'rewardLeft', label: 'reward of Left', min: 0.1, max: 2, step: 0.01 },
  { key: 'rewardCenter', label: 'reward of Center', min: 0.01, max: 1, step: 0.01 },
  { key: 'rewardRight', label: 'reward of Right', min: 0.1, max: 2, step: 0.01 },
  { key: 'wind', label: 'wind (Right → Center)', min: 0, max: 1, step: 0.01 },
  { key: 'gamma', label: 'γ', min: 0.5, max: 0.98, step: 0.01 },
];
export { RISK_MDP_DEFAULTS };

export interface RiskMethodView {
  method: string;
  side: 'Left' | 'Right';
  qLeft: number;
  qRight: number;
  /** J: the exact mean discounted return from Center of the side this method picks. */
  J: number;
}
export interface RiskView {
  methods: RiskMethodView[];
  moments: Record<'Left' | 'Right', { mean: number; variance: number }>;
}

/** Exact MnM, VMBPO and return solutions of one risk MDP (lib/tabular/risk-mdp.ts solveRiskMDP). */
export function riskView(params: RiskMDPParams): RiskView {
  const s = solveRiskMDP(params);
  const mom = (side: 'Left' | 'Right') => ({ mean: s.moments[side].mean, variance: s.moments[side].variance });
  return {
    methods: s.methods.map((m) => ({ method: m.method, side: m.side, qLeft: m.qLeft, qRight: m.qRight, J: s.moments[m.side].mean })),
    moments: { Left: mom('Left'), Right: mom('Right') },
  };
}

/** A cell of the which-side map (lib/plot/risk-mdp.ts draws it). */
export type SideCell = SideMapCell;

/** The side each method picks over an n×n grid of two parameters (their slider ranges), the others fixed. */
export function sideMap(params: RiskMDPParams, xKey: RiskKey, yKey: RiskKey, n: number): SideCell[] {
  const range = (k: RiskKey) => RISK_SLIDERS.find((s) => s.key === k) ?? fail(`unknown risk parameter '${k}'`);
  const [xs, ys] = [range(xKey), range(yKey)];
  const at = (r: { min: number; max: number }, i: number) => r.min + ((r.max - r.min) * i) / (n - 1);
  const out: SideCell[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = at(xs, i);
      const y = at(ys, j);
      const v = riskView({ ...params, [xKey]: x, [yKey]: y });
      // Means equal up to rounding count as a tie: neither side is the lower-mean one.
      const { Left, Right } = v.moments;
      const tie = Math.abs(Left.mean - Right.mean) <= 1e-9 * Math.max(Math.abs(Left.mean), Math.abs(Right.mean));
      const lower = tie ? null : Left.mean < Right.mean ? 'Left' : 'Right';
      for (const m of v.methods) out.push({ x, y, method: m.method, side: m.side, lowerMean: m.side === lower });
    }
  }
  return out;
}

function fail(msg: string): never {
  throw new Error(msg);
}

// ---------------------------------------------------------------- gridworlds from text

/** A gridworld from map text; `gamma`, `noise` and `rewards` override the map's header when given. */
export function gridFromText(text: string, source: string, opts: GridOptions = {}): Gridworld {
  return makeGridworld(parseGridMap(text, source), opts);
}

/** Fig. 3b's rewards (docs/PAPER-SETTINGS.md): 1 in every cell, 10 in the goal. */
export const FIG3B_REWARDS: Record<string, number> = { '.': 1, S: 1, G: 10 };

// ---------------------------------------------------------------- the bound along the iterations (Fig. 3b)

export interface BoundRow {
  iteration: number;
  /** Sup-norm change of V in this sweep. */
  change: number;
  J: number;
  logJ: number;
  /** L(π_k, q_k), the paper's Eq. 2–3 bound. */
  eq2: number;
  /** L_tight(π_k, q_k), Eq. 10 (lib/tabular/tight-bound.ts). */
  tight: number;
  /** L_VMBPO(π_k, q_k). */
  vmbpo: number;
  /** p0·V_k, value iteration's own value estimate (null for the alternating procedure). */
  valueEstimate: number | null;
  /** The greedy action in each state (ties: the first action): of π_k, or of the procedure's evaluation. */
  actions: number[];
}

/** The objectives of one (π, q) pair, as Fig. 3b plots them. */
function objectivesOf(g: Gridworld, pi: Float64Array, q: Kernel): Pick<BoundRow, 'J' | 'logJ' | 'eq2' | 'tight' | 'vmbpo'> {
  const J = policyReturn(g.mdp, pi);
  return { J, logJ: Math.log(J), eq2: mnmObjective(g.mdp, pi, q), tight: tightBound(g.mdp, pi, q), vmbpo: vmbpoObjective(g.mdp, pi, q) };
}

function greedyActions(pi: Float64Array, S: number, A: number): number[] {
  return Array.from({ length: S }, (_, s) => pi.subarray(s * A, (s + 1) * A).indexOf(1));
}

/**
 * Value iteration one sweep at a time, with the objectives E4 records after each sweep k: the greedy policy
 * π_k of the Q computed from V_{k−1}, the model q_k ∝ p·exp(γ V_{k−1}) that sweep maximised over, and
 * J(π_k), L_MnM(π_k, q_k) (Eq. 3) and L_VMBPO(π_k, q_k) (lib/experiments/e4-bound-along-vi/run.ts).
 */
export class ValueIterationStepper {
  private readonly prep;
  private V: Float64Array;
  private Vn: Float64Array;
  /** Q of the last sweep (computed from V_{k−1}). */
  readonly Q: Float64Array;
  private readonly e: Float64Array;
  iteration = 0;

  constructor(
    readonly g: Gridworld,
    readonly backup: 'mnm' | 'vmbpo',
  ) {
    const { S, A } = g.mdp;
    this.prep = prepareBackup(g.mdp, backup);
    this.V = new Float64Array(S);
    this.Vn = new Float64Array(S);
    this.Q = new Float64Array(S * A);
    this.e = new Float64Array(S);
  }

  step(): BoundRow {
    const { mdp } = this.g;
    const prev = this.V;
    backupQ(mdp, this.prep, prev, this.Q);
    const change = sweepValues(mdp, this.prep, prev, this.Vn, this.e);
    [this.V, this.Vn] = [this.Vn, this.V];
    this.iteration++;
    const pi = greedyPolicy(this.Q, mdp.S, mdp.A);
    const q = optimisticModel(mdp, prev);
    return {
      iteration: this.iteration,
      change,
      ...objectivesOf(this.g, pi, q),
      valueEstimate: dot(mdp.p0, this.V),
      actions: greedyActions(pi, mdp.S, mdp.A),
    };
  }
}

/**
 * The authors' alternating procedure (lib/tabular/alternating.ts, τ = 0.5, stop at 1e-6) with the MnM or
 * VMBPO reward, and the objectives of the (mixed) policy π and model q of each iteration: Fig. 3b's curves.
 */
export function alternatingRows(
  g: Gridworld,
  objective: Exclude<AlternatingObjective, 'return'>,
): { rows: BoundRow[]; converged: boolean } {
  const rows: BoundRow[] = [];
  const { S, A } = g.mdp;
  const res = alternatingProcedure(g.mdp, {
    objective,
    onIteration: (it) => {
      // π and q are views the procedure reuses: evaluated here, before it moves on.
      rows.push({
        iteration: it.iteration,
        change: it.change,
        ...objectivesOf(g, it.pi, it.q),
        valueEstimate: null,
        actions: greedyActions(it.greedy, S, A),
      });
    },
  });
  return { rows, converged: res.converged };
}

// ---------------------------------------------------------------- optimistic dynamics (Fig. 2a right)

export type RewardForm = 'eq3' | 'eq5';
export interface Arrow {
  row: number;
  col: number;
  dRow: number;
  dCol: number;
}

/**
 * q* − p as arrows (lib/tabular/model-shift.ts modelShift): the optimistic model of the Eq. 3 objective
 * (q* ∝ p·exp(γ V) at MnM's value-iteration fixed point) or of the Eq. 5 reward log r + log p/q, as in E1.
 */
export function optimismArrows(g: Gridworld, form: RewardForm): Arrow[] {
  const q = form === 'eq5' ? eq5OptimisticModel(g.mdp).q : optimisticModel(g.mdp, valueIteration(g.mdp, 'mnm').V);
  return modelShift(g, q, g.mdp).map((a) => ({ row: a.row, col: a.col, dRow: a.dRow, dCol: a.dCol }));
}

// ---------------------------------------------------------------- learning from samples (Fig. 2a left, 2b)

/** The learners of the curves panel, with the labels and random streams E1 gives them. */
export const CURVE_METHODS: { method: Method; label: string }[] = [
  { method: 'mnm', label: 'MnM' },
  { method: 'q-true', label: 'Q-learning (true model)' },
  { method: 'vmbpo', label: 'VMBPO' },
];

/** The generator E1 (or E2) uses for this seed and learner, so the page's runs are the experiments' runs. */
export function learnerRng(experiment: 'e1-gridworld-optimism' | 'e2-capacity-limited', seed: number, method: Method): Rng {
  return new Rng(`${experiment}/seed-${seed}`).fork(method);
}

/** E1's problem: a model over the grid's moves and a full-capacity classifier. */
export function e1LearnerProblem(g: Gridworld): LearnerProblem {
  return { mdp: g.mdp, goal: g.goal, structure: gridMoveStructure(g), classifierKeys: gridKeys(g, 'full') };
}

/** E2's problem: the 3×3-block model and the block-move classifier (capacity-limited). */
export function e2LearnerProblem(g: Gridworld): LearnerProblem {
  return { mdp: g.mdp, goal: g.goal, structure: blockStructure(g), classifierKeys: gridKeys(g, 'block-move') };
}

/** J* of the true MDP: the return of the exactly optimal policy (the curves are J / J*). */
export function optimalReturn(g: Gridworld): number {
  return policyReturn(g.mdp, valueIteration(g.mdp, 'return').policy);
}

/** E1's learner settings with the page's budget; the curve is measured about 50 times. */
export function curveConfig(updates: number): LearnerConfig {
  return { ...DEFAULT_LEARNER, updates, evalEvery: Math.max(1, Math.round(updates / 50)) };
}

/** E2's learner settings with the page's budget. */
export function pathConfig(updates: number): LearnerConfig {
  return { ...curveConfig(updates), episodeLength: 100, reachHorizon: 100 };
}

/** One learner of the curves panel; `onPoint` sees each measured point as it comes. */
export function learnCurve(g: Gridworld, method: Method, seed: number, updates: number, onPoint?: (p: CurvePoint) => void): CurvePoint[] {
  return trainLearner(e1LearnerProblem(g), method, curveConfig(updates), learnerRng('e1-gridworld-optimism', seed, method), { onPoint })
    .curve;
}

export interface PathResult {
  /** What ran (the panel's title). */
  label: string;
  /** The most likely path of the final greedy policy in the true environment, as cells. */
  path: [number, number][];
  reaches: boolean;
  reachProb: number;
}

/** The capacity-limited model's learner (E2), with or without the classifier term: its final greedy path. */
export function learnPath(g: Gridworld, method: 'mnm' | 'mnm-no-classifier', seed: number, updates: number): PathResult {
  const res = trainLearner(e2LearnerProblem(g), method, pathConfig(updates), learnerRng('e2-capacity-limited', seed, method));
  const pi = greedyPolicy(res.Q, g.mdp.S, g.mdp.A);
  const last = res.curve[res.curve.length - 1];
  return {
    label: method === 'mnm' ? 'MnM' : 'MnM without classifier',
    path: likelyPath(g.mdp, pi, g.start, g.goal).map((s) => g.cellOf(s)),
    reaches: last.reaches,
    reachProb: last.reachProb,
  };
}

/**
 * Fig. 2b as the authors computed it (docs/PAPER-SETTINGS.md): 20 iterations of the alternating procedure with
 * the MnM reward and the KL clipped at 5, for the exact model, the 3×3 block-averaged model, and the block
 * model without the KL term; then the final greedy policy's 100-step path in the true dynamics.
 */
export function paperCapacityPaths(g: Gridworld): PathResult[] {
  const runs: { label: string; capacity: boolean; includeKL: boolean }[] = [
    { label: 'MnM, exact model', capacity: false, includeKL: true },
    { label: 'MnM, 3×3 block model', capacity: true, includeKL: true },
    { label: 'block model without the KL term', capacity: true, includeKL: false },
  ];
  return runs.map(({ label, capacity, includeKL }) => {
    const res = alternatingProcedure(g.mdp, {
      objective: 'mnm',
      klClip: 5,
      maxIterations: 20,
      stop: false,
      includeKL,
      capacity: capacity ? blockAveraging(g) : null,
    });
    const path = likelyPath(g.mdp, res.greedy, g.start, g.goal, 100);
    return {
      label,
      path: path.map((s) => g.cellOf(s)),
      reaches: path.includes(g.goal),
      reachProb: reachProbability(g.mdp, res.greedy, g.goal, 100),
    };
  });
}
