/**
 * E3 (Fig. 3a): the 3-state risk MDP, solved exactly with the return, MnM and VMBPO backups.
 *
 * Exact part (identical for every seed): which side each method's optimal policy takes from Center, the
 * margin of that choice in Q(Center, ·), and the exact mean and variance of the discounted return of both
 * sides; a scan of neighbouring rewards shows where each method's choice flips. Random part (per seed):
 * sampled returns of both sides, to draw their distributions and to cross-check the exact moments.
 */
import { rules } from '../../config';
import type { Scale, SeedContext, SeedResult } from '../../experiment';
import { LEFT, RIGHT, RISK_MDP_DEFAULTS, riskMDP, sidePolicy, solveRiskMDP, type RiskMDPParams } from '../../tabular/risk-mdp';
import { sampleReturns } from '../../tabular/sample-returns';
import { paperFig3aRun } from './paper-run';
import { runSeedWithSettings, withSettingConfig } from '../settings';

export const ID = 'e3-risk-mdp';
export const E3_EPISODES: Record<Scale, number> = { smoke: 400, quick: 5000, paper: 20000 };
/** The scan around the chosen numbers (γ and wind fixed at the defaults). */
export const E3_SCAN = {
  rewardRight: [1.1, 1.15, 1.2, 1.25, 1.3, 1.35, 1.4, 1.45, 1.5, 1.55, 1.6],
  rewardCenter: [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4],
};

/** E3's parameters: the risk MDP, the episodes sampled per side and seed, and the rewards scanned around the MDP's. */
export interface E3Config extends RiskMDPParams {
  episodes: number;
  scanRewardRight: number[];
  scanRewardCenter: number[];
}

const positiveAll = rules.everyOf(rules.positive);
export const E3_CONFIG = {
  defaults: (scale: Scale): E3Config => ({
    ...RISK_MDP_DEFAULTS,
    episodes: E3_EPISODES[scale],
    scanRewardRight: E3_SCAN.rewardRight,
    scanRewardCenter: E3_SCAN.rewardCenter,
  }),
  rules: {
    gamma: rules.between(0, 1, true),
    wind: rules.between(0, 1),
    // MnM takes log r: every reward must be positive.
    rewardLeft: rules.positive,
    rewardCenter: rules.positive,
    rewardRight: rules.positive,
    episodes: rules.intAtLeast(2),
    scanRewardRight: positiveAll,
    scanRewardCenter: positiveAll,
  },
};

function mdpParams(c: E3Config): RiskMDPParams {
  return { gamma: c.gamma, wind: c.wind, rewardLeft: c.rewardLeft, rewardCenter: c.rewardCenter, rewardRight: c.rewardRight };
}

// solveRiskMDP lives with the MDP (the browser playground calls it too); re-exported for notebook 03.
export { solveRiskMDP };

export type Side = 'Left' | 'Right';
export type ChoiceTableRow = {
  method: string;
  side: Side;
  q_go_left: number;
  q_go_right: number;
  margin: number;
  optimal_value: number;
  mean_return: number;
  std_return: number;
};
export type MomentRow = { side: Side; mean: number; variance: number; std: number };
export type ScanRow = {
  reward_right: number;
  reward_center: number;
  method: string;
  side: Side;
  lower_mean: boolean;
  mean_left: number;
  mean_right: number;
};
export type SampledRow = {
  seed: number;
  side: Side;
  episodes: number;
  mean: number;
  variance: number;
  exact_mean: number;
  exact_variance: number;
};
export type SampleRow = { seed: number; side: Side; return: number };
export type E3Tables = { choices: ChoiceTableRow[]; moments: MomentRow[]; scan: ScanRow[]; sampled: SampledRow[]; samples: SampleRow[] };

function runProjectSeed(ctx: SeedContext<E3Config>): SeedResult<E3Tables> {
  const params = mdpParams(ctx.config);
  const { moments, methods } = solveRiskMDP(params);
  const choices: ChoiceTableRow[] = methods.map((m) => ({
    method: m.method,
    side: m.side,
    q_go_left: m.qLeft,
    q_go_right: m.qRight,
    margin: Math.abs(m.qLeft - m.qRight),
    optimal_value: m.value,
    mean_return: moments[m.side].mean,
    std_return: moments[m.side].std,
  }));
  const exactMoments: MomentRow[] = (['Left', 'Right'] as const).map((side) => ({
    side,
    mean: moments[side].mean,
    variance: moments[side].variance,
    std: moments[side].std,
  }));
  const scan: ScanRow[] = [];
  for (const rr of ctx.config.scanRewardRight) {
    for (const rc of ctx.config.scanRewardCenter) {
      const s = solveRiskMDP({ ...params, rewardRight: rr, rewardCenter: rc });
      const lowerMean: Side = s.moments.Left.mean < s.moments.Right.mean ? 'Left' : 'Right';
      for (const m of s.methods) {
        scan.push({
          reward_right: rr,
          reward_center: rc,
          method: m.method,
          side: m.side,
          lower_mean: m.side === lowerMean,
          mean_left: s.moments.Left.mean,
          mean_right: s.moments.Right.mean,
        });
      }
    }
  }
  const mdp = riskMDP(params);
  const samples: SampleRow[] = [];
  const sampled: SampledRow[] = [];
  const n = ctx.config.episodes;
  for (const [side, pi] of [
    ['Left', sidePolicy(LEFT)],
    ['Right', sidePolicy(RIGHT)],
  ] as const) {
    const g = sampleReturns(mdp, pi, ctx.rng.fork(side), n);
    let m = 0;
    for (const x of g) m += x;
    m /= n;
    let v = 0;
    for (const x of g) v += (x - m) ** 2;
    v /= n - 1;
    sampled.push({
      seed: ctx.seed,
      side,
      episodes: n,
      mean: m,
      variance: v,
      exact_mean: moments[side].mean,
      exact_variance: moments[side].variance,
    });
    for (const x of g) samples.push({ seed: ctx.seed, side, return: x });
    ctx.progress(side === 'Left' ? 1 : 2, 2);
  }
  return { tables: { choices, moments: exactMoments, scan, sampled, samples } };
}

/** E3's parameters: the project setting's and `setting` (which setting(s) run). */
export const config = withSettingConfig(E3_CONFIG);
/** One seed: the project setting's tables, then the paper setting's (paper-run.ts). */
export const runSeed = runSeedWithSettings(runProjectSeed, paperFig3aRun);
