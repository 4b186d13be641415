/** E2's report over the seeds run.ts computes: its summary, tables, figures and claims, and what its notebook shows. */
import pl from 'nodejs-polars';
import { claim, verdictOf } from '../../claims';
import type { FigureOf, Claim, Report, Scale, SeedResult } from '../../experiment';
import { gather, gatherFrame, methodRow, numberIn, recordOf, namedFigures } from '../../experiment';
import { gridHeatmapSpec, type CellValue } from '../../plot/grid-heatmap';
import { gridPathsSpec, type PathPoint } from '../../plot/grid-paths';
import { finalMeans, learningCurveSpec } from '../../plot/learning-curve';
import { type BandRow, fmt, fmtPaired, fmtSummary, fractionBands, mean, paired, significantlyBelow } from '../../stats';
import { gridOutline, SMOKE_NOTE } from '../grid-learning';
import { type Gridworld } from '../../tabular/gridworld';
import { blockStructure, obstacleBlindTarget, RELATIVE_MOVES } from '../../tabular/learned-model';
import { paperFig2bReport } from './paper-report';
import { reportWithSettings } from '../settings';
import { type E2MethodId, type E2Variant, E2_VARIANTS, e2Grid, type SummaryRow, type E2Tables } from './run';

/** One method's numbers per seed (seed order), keyed in E2Summary by its id. */
export interface E2MethodRuns {
  label: string;
  /** 1 when the final greedy policy's most likely path reaches the goal, else 0. */
  success: number[];
  reachProb: number[];
  finalNormReturn: number[];
  augNextToObstacle: number[];
  augElsewhere: number[];
  /** Null in the rows that have none read as 0 (the claims read MnM's, which always has them). */
  crossingLogit: number[];
  crossingMass: number[];
}

/** What E2's tables, figures and claims read, computed once from the seeds. */
export interface E2Summary {
  seeds: number;
  methods: Record<E2MethodId, E2MethodRuns>;
  summaryRows: SummaryRow[];
  successBands: BandRow[];
}

export function summariseE2(results: SeedResult<E2Tables>[]): E2Summary {
  const summaryRows = gather(results, 'summary');
  const runsOf = (v: E2Variant): E2MethodRuns => {
    const rows = summaryRows.filter((r) => r.variant === v.key).sort((a, b) => a.seed - b.seed);
    return {
      label: v.label,
      success: rows.map((r) => Number(r.success)),
      reachProb: rows.map((r) => r.reach_prob),
      finalNormReturn: rows.map((r) => r.final_norm_return),
      augNextToObstacle: rows.map((r) => r.aug_next_to_obstacle),
      augElsewhere: rows.map((r) => r.aug_elsewhere),
      crossingLogit: rows.map((r) => Number(r.crossing_logit)),
      crossingMass: rows.map((r) => Number(r.crossing_mass)),
    };
  };
  return {
    seeds: results.length,
    methods: recordOf(E2_VARIANTS, (v) => v.key, runsOf),
    summaryRows,
    successBands: fractionBands(gather(results, 'curves').map((r) => ({ method: r.method, x: r.update, value: r.reaches ? 1 : 0 }))),
  };
}

function e2Tables(s: E2Summary, results: SeedResult<E2Tables>[]): Report['tables'] {
  const summary = pl.DataFrame(s.summaryRows);
  const agg = summary
    .groupBy('method')
    .agg(
      pl.col('success').cast(pl.Float64).mean().alias('success_rate'),
      pl.col('reach_prob').mean().alias('reach_prob_mean'),
      pl.col('final_norm_return').mean().alias('final_norm_return_mean'),
      pl.col('final_norm_return').std().alias('final_norm_return_std'),
      pl.col('aug_next_to_obstacle').mean().alias('aug_next_to_obstacle'),
      pl.col('aug_elsewhere').mean().alias('aug_elsewhere'),
      pl.col('crossing_logit').mean().alias('wall_crossing_logit'),
      pl.col('crossing_mass').mean().alias('wall_crossing_mass'),
    )
    .sort('method');
  return { curves: gatherFrame(results, 'curves'), summary, by_method: agg };
}

const successes = (xs: number[]) => `${xs.filter((x) => x === 1).length}/${xs.length}`;

function e2Figures(s: E2Summary, results: SeedResult<E2Tables>[]) {
  const g = e2Grid();
  const outline = gridOutline(g);
  const n = s.seeds;
  const m = s.methods;
  const order = E2_VARIANTS.map((v) => v.label);
  const success = learningCurveSpec(s.successBands, {
    title: `E2: fraction of seeds whose greedy policy reaches the goal (most likely path), 95% Wilson interval, ${n} seeds`,
    subtitle: `Paper (Fig. 2b): MnM reaches the goal, MnM without the classifier does not · Here, at the last update: ${finalMeans(s.successBands, order)}`,
    caption: "Thick lines are the paper's methods; thin dashed lines are diagnostics (other clips, the exact log p/q).",
    xTitle: 'Q-learning updates',
    yTitle: 'reaches the goal',
    order,
    fraction: true,
    diagnostic: order.filter((label) => label.startsWith('diagnostic')),
  });
  // Heatmap: MnM's augmented reward averaged over seeds.
  const cells = new Map<string, { row: number; col: number; sum: number; k: number }>();
  for (const r of gather(results, 'heat').filter((r) => r.variant === 'mnm')) {
    const key = `${r.row},${r.col}`;
    const c = cells.get(key) ?? { row: r.row, col: r.col, sum: 0, k: 0 };
    c.sum += r.value;
    c.k++;
    cells.set(key, c);
  }
  const heatCells: CellValue[] = [...cells.values()].map((c) => ({ row: c.row, col: c.col, value: c.sum / c.k }));
  const heatmap = gridHeatmapSpec(heatCells, outline, {
    title: `E2: MnM's augmented reward log r + clip(logit C), expected under q, mean over actions and ${n} seeds`,
    subtitle:
      `Paper (Fig. 2b): the augmented reward is much lower next to obstacles · Here: ${fmt(mean(m.mnm.augNextToObstacle))} next to ` +
      `obstacles against ${fmt(mean(m.mnm.augElsewhere))} elsewhere`,
    caption:
      'Look at the cells beside the black walls: the redder they are, the more the classifier penalises what the model predicts there.',
    legend: 'augmented reward',
  });
  const points: PathPoint[] = gather(results, 'paths').map((r) => ({
    panel: r.method,
    path: `seed ${r.seed}`,
    step: r.step,
    row: r.row,
    col: r.col,
  }));
  const pathsFig = gridPathsSpec(points, outline, {
    title: `E2: most likely path of each seed's final greedy policy in the true environment (${n} seeds)`,
    subtitle:
      `Paper (Fig. 2b): MnM goes around the walls, the ablation runs into them · Here: MnM reaches G in ${successes(m.mnm.success)} seeds, ` +
      `the ablation in ${successes(m['mnm-no-classifier'].success)}`,
    caption: 'One panel per method, one colour per seed: a path that ends at G reached the goal; one that stops at a wall did not.',
    panels: order,
  });
  return namedFigures({ success, augmented_reward: heatmap, paths: pathsFig });
}

function e2Claims(s: E2Summary): Claim[] {
  const m = s.methods;
  const sm = m.mnm.success;
  const sa = m['mnm-no-classifier'].success;
  const low = paired(m.mnm.augNextToObstacle, m.mnm.augElsewhere);
  return [
    claim({
      id: 'E2.mnm-reaches-goal',
      experiment: 'e2-capacity-limited',
      claim: "with the 3×3-block model and classifier, MnM reaches the goal (most seeds' final greedy policies do)",
      paper: 'Fig. 2b: "MnM is able to solve this task despite the inaccurate model"',
      holds: mean(sm) > 0.5,
      measured:
        `success ${successes(sm)} seeds (rate ${fmtSummary(sm)}); reach probability within 100 steps ${fmtSummary(m.mnm.reachProb)}; final J/J* ${fmtSummary(m.mnm.finalNormReturn)}. ` +
        `Why (diagnostic rows): the learned classifier's logit on wall-crossing transitions (q-weighted) is ${fmtSummary(m.mnm.crossingLogit)}, and q keeps ${fmtSummary(m.mnm.crossingMass)} of its mass on them; ` +
        `with the exact log p/q clipped at ±10 success is ${successes(m['oracle-clip10'].success)}, at ±30 it is ${successes(m['oracle-clip30'].success)}; ` +
        `the learned classifier with the clip at ±30: ${successes(m['learned-clip30'].success)}`,
    }),
    claim({
      id: 'E2.ablation-fails',
      experiment: 'e2-capacity-limited',
      claim: 'the ablation without the classifier term fails to reach the goal (most seeds do not)',
      paper:
        'Fig. 2b: "an ablation of MnM that removes the classifier term attempts to navigate through the wall and fails to reach the goal"',
      holds: mean(sa) < 0.5,
      measured: `success ${successes(sa)} seeds (rate ${fmtSummary(sa)}); reach probability ${fmtSummary(m['mnm-no-classifier'].reachProb)}; final J/J* ${fmtSummary(m['mnm-no-classifier'].finalNormReturn)}`,
    }),
    claim({
      id: 'E2.augmented-reward-low-near-obstacles',
      experiment: 'e2-capacity-limited',
      claim: "MnM's augmented reward (mean over actions) is lower next to obstacles than elsewhere",
      paper: 'Fig. 2b: "the augmented reward is much lower at these states"',
      holds: significantlyBelow(low),
      measured: `mean augmented reward: ${fmtPaired(low, 'next to obstacles', 'elsewhere')}`,
    }),
  ];
}

function projectReport(results: SeedResult<E2Tables>[]) {
  const s = summariseE2(results);
  return { tables: e2Tables(s, results), figures: e2Figures(s, results), claims: e2Claims(s) };
}

/** What E2's project-setting run found, in a few markdown lines: each claim's verdict and the diagnostic rows' numbers. */
export function describeE2(rep: Pick<Report, 'claims' | 'tables'>, scale: Scale): string {
  const row = (id: E2MethodId) => methodRow(rep.tables.by_method, E2_VARIANTS, id, 'describeE2: by_method');
  const get = (id: E2MethodId, column: string) => fmt(numberIn(row(id), column));
  const v = (id: string) => verdictOf(rep.claims, id);
  const lines = [
    `- *MnM reaches the goal*: ${v('E2.mnm-reaches-goal')} (success rate ${get('mnm', 'success_rate')}).`,
    `- *The ablation fails*: ${v('E2.ablation-fails')} (success rate ${get('mnm-no-classifier', 'success_rate')}).`,
    `- *Augmented reward low next to obstacles*: ${v('E2.augmented-reward-low-near-obstacles')} ` +
      `(${get('mnm', 'aug_next_to_obstacle')} next to obstacles against ${get('mnm', 'aug_elsewhere')} elsewhere).`,
    `- Diagnostics: the learned classifier gives the wall-crossing transitions a logit of ${get('mnm', 'wall_crossing_logit')} ` +
      `(weighted by where $q$ puts them), and $q$ keeps ${get('mnm', 'wall_crossing_mass')} of its mass on them in the rows that have one. ` +
      `With the exact $\\log p/q$ clipped at ±10, the success rate is ${get('oracle-clip10', 'success_rate')} (crossing mass ` +
      `${get('oracle-clip10', 'wall_crossing_mass')}); clipped at ±30 it is ${get('oracle-clip30', 'success_rate')} (crossing mass ` +
      `${get('oracle-clip30', 'wall_crossing_mass')}). The learned classifier with the clip at ±30: success rate ` +
      `${get('learned-clip30', 'success_rate')}, crossing logit ${get('learned-clip30', 'wall_crossing_logit')}.`,
  ];
  if (scale === 'smoke') lines.unshift(SMOKE_NOTE);
  return lines.join('\n');
}

/**
 * What the block model predicts for action `action` in cell (row, col), next to the truth: per relative move, the cell the
 * model lands on (blind to walls), the true probability p of that transition, and the index of the logit it shares with
 * the other cells of its block.
 */
export function blockModelCandidates(g: Gridworld, row: number, col: number, action: number) {
  const s = g.stateAt(row, col);
  if (s < 0) throw new Error(`blockModelCandidates: (${row},${col}) is not a free cell`);
  const st = blockStructure(g);
  const i = s * g.mdp.A + action;
  return RELATIVE_MOVES.map((move, j) => {
    const t = obstacleBlindTarget(g, s, j);
    let p = 0;
    for (let k = g.mdp.rowStart[i]; k < g.mdp.rowStart[i + 1]; k++) if (g.mdp.next[k] === t) p += g.mdp.prob[k];
    return {
      relative_move: move,
      model_successor: `(${g.cellOf(t).join(',')})`,
      true_p: p,
      shared_logit_index: st.param[st.rowStart[i] + j],
    };
  });
}

/** The report: the paper setting's tables, figures and claims (paper-report.ts), then the project setting's. */
export const report = reportWithSettings(projectReport, paperFig2bReport);

/** The figures E2's report draws: what a notebook may ask for (`rep.figures.<key>`). */
export type E2Figure = FigureOf<typeof report>;
