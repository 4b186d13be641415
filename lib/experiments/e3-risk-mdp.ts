/**
 * E3 (Fig. 3a): the 3-state risk MDP, solved exactly with the return, MnM and VMBPO backups.
 *
 * Exact part (identical for every seed): which side each method's optimal policy takes from Center, the
 * margin of that choice in Q(Center, ·), and the exact mean and variance of the discounted return of both
 * sides; a scan of neighbouring rewards shows where each method's choice flips. Random part (per seed):
 * sampled returns of both sides, to draw their distributions and to cross-check the exact moments.
 */
import pl from 'nodejs-polars';
import { claim } from '../claims';
import { rules } from '../config';
import type { Claim, Experiment, Report, ReportContext, Scale, SeedContext, SeedResult } from '../experiment';
import { gather, only } from '../experiment';
import { choiceMapSpec, returnHistogramSpec, riskExplorerSpec, type ChoiceRow } from '../plot/risk-mdp';
import { RISK_GRID_AXES, riskGrid } from '../tabular/risk-grid';
import { fmt, fmtSummary } from '../stats';
import { LEFT, RIGHT, RISK_MDP_DEFAULTS, RISK_METHODS, riskMDP, sidePolicy, solveRiskMDP, type RiskMDPParams } from '../tabular/risk-mdp';
import { sampleReturns } from '../tabular/sample-returns';
import { paperFig3a } from './paper-fig3a';
import { withSettings } from './settings';

const ID = 'e3-risk-mdp';
export const E3_METHODS = RISK_METHODS;
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

type Side = 'Left' | 'Right';
type ChoiceTableRow = {
  method: string;
  side: Side;
  q_go_left: number;
  q_go_right: number;
  margin: number;
  optimal_value: number;
  mean_return: number;
  std_return: number;
};
type MomentRow = { side: Side; mean: number; variance: number; std: number };
type ScanRow = {
  reward_right: number;
  reward_center: number;
  method: string;
  side: Side;
  lower_mean: boolean;
  mean_left: number;
  mean_right: number;
};
type SampledRow = {
  seed: number;
  side: Side;
  episodes: number;
  mean: number;
  variance: number;
  exact_mean: number;
  exact_variance: number;
};
type SampleRow = { seed: number; side: Side; return: number };
type E3Tables = { choices: ChoiceTableRow[]; moments: MomentRow[]; scan: ScanRow[]; sampled: SampledRow[]; samples: SampleRow[] };

function runSeed(ctx: SeedContext<E3Config>): SeedResult<E3Tables> {
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

function report(results: SeedResult<E3Tables>[], { config }: ReportContext<E3Config>): Report {
  const first = results[0].tables; // the exact tables are identical in every seed
  const choice = (label: string) =>
    only(
      first.choices.filter((r) => r.method === label),
      `E3 choice of ${label}`,
    );
  const mom = (side: Side) =>
    only(
      first.moments.filter((r) => r.side === side),
      `E3 moments of ${side}`,
    );
  const [ret, mnm, vmbpo] = ['return', 'MnM', 'VMBPO'].map(choice);
  const L = mom('Left');
  const R = mom('Right');
  const higher = L.mean > R.mean ? 'Left' : 'Right';
  const p = config;
  const setting = `γ ${p.gamma}, wind ${p.wind}, rewards Left ${p.rewardLeft}, Center ${p.rewardCenter}, Right ${p.rewardRight}`;
  const sideText = (r: ChoiceTableRow) =>
    `${r.method} goes ${r.side} (Q(Center, go left) ${fmt(r.q_go_left, 4)}, Q(Center, go right) ${fmt(r.q_go_right, 4)})`;
  const claims: Claim[] = [];
  claims.push(
    claim({
      id: 'E3.mnm-reward-side',
      experiment: ID,
      claim: 'MnM picks the reward-maximising side (the side with the higher mean return, which the return backup also picks)',
      paper: 'Fig. 3a: "MnM learns the reward-maximizing policy"',
      holds: mnm.side === higher && ret.side === higher,
      measured: `${setting}: ${sideText(mnm)}; ${sideText(ret)}; mean return Left ${fmt(L.mean, 4)}, Right ${fmt(R.mean, 4)}`,
    }),
  );
  const vmSide = vmbpo.side;
  const other = vmSide === mnm.side ? null : vmSide;
  claims.push(
    claim({
      id: 'E3.vmbpo-risky-side',
      experiment: ID,
      claim: 'VMBPO picks the other side, whose return has a lower mean and a higher variance',
      paper: 'Fig. 3a: "VMBPO learns a strategy with lower rewards and higher variance"',
      holds: other !== null && mom(other).mean < mom(mnm.side).mean && mom(other).variance > mom(mnm.side).variance,
      measured: `${sideText(vmbpo)}; return Left: mean ${fmt(L.mean, 4)}, variance ${fmt(L.variance, 4)}; Right: mean ${fmt(R.mean, 4)}, variance ${fmt(R.variance, 4)}`,
    }),
  );

  // The scan: on which side does each method err?
  const scan = results[0].tables.scan;
  const cells = scan.length / E3_METHODS.length;
  const errs = (label: string) => scan.filter((r) => r.method === label && r.lower_mean);
  const mnmErr = errs('MnM');
  const vmErr = errs('VMBPO');
  claims.push(
    claim({
      id: 'E3.error-directions',
      experiment: ID,
      claim:
        'Over neighbouring rewards, whenever a method picks the lower-mean side, MnM errs toward the sure side (Left) and VMBPO toward the risky side (Right)',
      paper: 'Sec. 5.1 / App. B.1: the log transform "ordinarily encourages pessimistic behavior"; VMBPO is risk-seeking',
      holds: mnmErr.every((r) => r.side === 'Left') && vmErr.every((r) => r.side === 'Right') && errs('return').length === 0,
      measured:
        `${cells} reward settings (Right ${p.scanRewardRight[0]}–${p.scanRewardRight.at(-1)}, Center ${p.scanRewardCenter[0]}–${p.scanRewardCenter.at(-1)}): ` +
        `MnM picks the lower-mean side in ${mnmErr.length} (all Left: ${mnmErr.every((r) => r.side === 'Left')}), VMBPO in ${vmErr.length} (all Right: ${vmErr.every((r) => r.side === 'Right')}), the return backup in ${errs('return').length}`,
    }),
  );

  // Sampling cross-check of the exact moments (per seed: |sample mean − exact| in standard errors).
  const sampled = gather(results, 'sampled');
  // A sure return (variance 0) must be sampled exactly; otherwise count the error in standard errors.
  const sure = sampled.filter((r) => r.exact_variance === 0);
  const risky = sampled.filter((r) => r.exact_variance > 0);
  const sureOk = sure.every((r) => Math.abs(r.mean - r.exact_mean) < 1e-6 * Math.abs(r.exact_mean) && r.variance < 1e-12); // 1e-6: the truncated tail
  const z = risky.map((r) => Math.abs(r.mean - r.exact_mean) / Math.sqrt(r.exact_variance / r.episodes));
  const relVar = risky.map((r) => r.variance / r.exact_variance);
  claims.push(
    claim({
      id: 'E3.sampled-moments-match',
      experiment: ID,
      claim:
        'Sampled returns match the exact moments: the risky side within 4 standard errors in mean and a variance ratio within 0.85–1.15; the sure side exactly',
      paper: '(check of the exact moment computation)',
      holds: sureOk && z.length > 0 && z.every((x) => x < 4) && relVar.every((x) => x > 0.85 && x < 1.15),
      measured: `${results.length} seeds × ${sampled[0].episodes} episodes per side; the sure side (${
        sure
          .map((r) => r.side)
          .filter((x, i, a) => a.indexOf(x) === i)
          .join(', ') || 'none'
      }) sampled exactly: ${sureOk}; risky side: |mean error| in standard errors ${fmtSummary(z)}, sampled/exact variance ${fmtSummary(relVar)}`,
    }),
  );

  const samples = gather(results, 'samples').map((r) => ({ side: r.side, return: r.return }));
  const momentsRows = first.moments.map((r) => ({ side: r.side, mean: r.mean, std: r.std }));
  const hist = returnHistogramSpec(
    samples,
    momentsRows,
    `E3: discounted return from Center (${samples.length / 2} sampled episodes per side); dashed: exact means`,
  );
  const choiceRows: ChoiceRow[] = scan.map((r) => ({
    reward_right: r.reward_right,
    reward_center: r.reward_center,
    method: r.method,
    side: r.side,
    lower_mean: r.lower_mean,
  }));
  const map = choiceMapSpec(
    choiceRows,
    E3_METHODS.map((m) => m.label),
    { reward_right: p.rewardRight, reward_center: p.rewardCenter },
    `E3: side picked (✗: the lower-mean side; ○: the numbers used), γ ${p.gamma}, wind ${p.wind}, Left reward ${p.rewardLeft}`,
  );
  // The explorer: the same MDP over a grid of (wind, Right's reward, γ), its sliders starting at the grid point
  // nearest to the numbers used.
  const snap = (xs: number[], v: number) => xs.reduce((a, b) => (Math.abs(b - v) < Math.abs(a - v) ? b : a));
  const explorer = riskExplorerSpec(
    riskGrid(RISK_GRID_AXES, { rewardLeft: p.rewardLeft, rewardCenter: p.rewardCenter }),
    RISK_GRID_AXES,
    {
      wind: snap(RISK_GRID_AXES.wind, p.wind),
      rewardRight: snap(RISK_GRID_AXES.rewardRight, p.rewardRight),
      gamma: snap(RISK_GRID_AXES.gamma, p.gamma),
    },
    {
      title: `E3 explorer: the side each method picks as wind, Right's reward and γ change (Left ${p.rewardLeft}, Center ${p.rewardCenter})`,
      subtitle:
        'Paper (Fig. 3a): MnM picks the side with the higher return, VMBPO the risky side · Here: see where ✗ (a lower-mean pick) falls',
      caption:
        "Move the sliders (JupyterLab, VS Code, the report): the ring marks the chosen wind and reward; the bars give each pick's return.",
    },
  );
  return {
    tables: {
      choices: pl.DataFrame(first.choices),
      moments: pl.DataFrame(first.moments),
      sampled: pl.DataFrame(sampled),
      scan: pl.DataFrame(scan),
    },
    figures: { return_distributions: hist, choice_map: map, explorer },
    claims,
  };
}

/** The experiment under the project's settings; `e3RiskMDP` adds the paper's (lib/experiments/settings.ts). */
const e3Project: Experiment<E3Config, E3Tables> = {
  id: ID,
  title: 'The 3-state risk MDP: MnM against VMBPO',
  paper: 'Fig. 3a',
  reproduces: 'MnM picks the reward-maximising side; VMBPO the risky side with lower mean and higher variance',
  notebook: 'notebooks/03-risk-mdp.ipynb',
  seeds: { smoke: 2, quick: 3, paper: 5 },
  config: E3_CONFIG,
  runSeed,
  report,
};

export const e3RiskMDP = withSettings(e3Project, paperFig3a);
