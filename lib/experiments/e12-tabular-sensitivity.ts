/**
 * E12: how much each tabular claim of the paper rests on one choice. Every claim of Fig. 2a, 2b, 3a and 3b
 * (lib/tabular/paper-figures.ts, the authors' procedures) is checked under the paper's settings, under the
 * project's, and under single-knob changes of the paper's settings that the paper leaves open.
 *
 * The claims and the knob values were fixed before any result was seen:
 *   the weight of log r in MnM's reward: Eq. 3's (1−γ) (the paper's) against Eq. 5's 1;
 *   the KL clip: 5, 10 and none applied to every figure (the authors clip at 5 in Fig. 2b only);
 *   the noise: 0.2 (the project's) on every map;
 *   γ: 0.95 (the project's) everywhere.
 * A claim is robust when it holds under the paper's settings and under every single-knob change.
 */
import pl from 'nodejs-polars';
import { claim } from '../claims';
import { rules } from '../config';
import type { Claim, Experiment, Report, Row, Scale, VegaLiteSpec } from '../experiment';
import {
  fig2aLeftChecks,
  fig2aLeftRuns,
  fig2aRight,
  fig2b,
  fig3a,
  fig3b,
  PAPER_KNOBS,
  PROJECT_KNOBS,
  type Check,
  type Fig2aLeftPoint,
  type Knobs,
} from '../tabular/paper-figures';

const ID = 'e12-tabular-sensitivity';

/** The columns: the two settings and the single-knob changes of the paper's. */
export const SENSITIVITY_COLUMNS: { key: string; label: string; knobs: Knobs }[] = [
  { key: 'paper', label: "paper (authors' settings)", knobs: PAPER_KNOBS },
  { key: 'project', label: "project's settings", knobs: PROJECT_KNOBS },
  { key: 'eq5-weight', label: 'log r weight 1 (Eq. 5)', knobs: { ...PAPER_KNOBS, logRewardWeight: 'eq5' } },
  { key: 'clip-5', label: 'KL clip 5 everywhere', knobs: { ...PAPER_KNOBS, klClip: 5 } },
  { key: 'clip-10', label: 'KL clip 10 everywhere', knobs: { ...PAPER_KNOBS, klClip: 10 } },
  { key: 'no-clip', label: 'no KL clip', knobs: { ...PAPER_KNOBS, klClip: null } },
  { key: 'noise-0.2', label: 'noise 0.2', knobs: { ...PAPER_KNOBS, noise: 0.2 } },
  { key: 'gamma-0.95', label: 'γ 0.95', knobs: { ...PAPER_KNOBS, gamma: 0.95 } },
];

/** The tabular claims (the statements of the figures, as in E1–E4's paper settings). */
export const SENSITIVITY_CLAIMS: { key: string; figure: string; claim: string }[] = [
  {
    key: 'fig2a-left-final-order',
    figure: 'Fig. 2a left',
    claim: 'at the end MnM > Q-learning > VMBPO (authors’ learner, paired 95% CIs)',
  },
  { key: 'fig2a-left-mnm-first', figure: 'Fig. 2a left', claim: 'MnM reaches J*/2 first' },
  { key: 'fig2a-right-arrows', figure: 'Fig. 2a right', claim: 'the arrows of the converged q lean toward the goal' },
  { key: 'fig2b-exact-reaches', figure: 'Fig. 2b', claim: 'MnM with the exact model reaches the goal' },
  { key: 'fig2b-block-reaches', figure: 'Fig. 2b', claim: 'MnM with the block model reaches the goal' },
  { key: 'fig2b-ablation-stays', figure: 'Fig. 2b', claim: 'the ablation without the KL term stays at the wall' },
  { key: 'fig3a-mnm-optimal', figure: 'Fig. 3a', claim: 'MnM is return-optimal' },
  { key: 'fig3a-vmbpo-lower', figure: 'Fig. 3a', claim: 'VMBPO has a lower return' },
  { key: 'fig3b-bounds-below', figure: 'Fig. 3b', claim: 'Eq. 2 and Eq. 10 stay below log J at every iteration' },
  { key: 'fig3b-vmbpo-above', figure: 'Fig. 3b', claim: 'log VMBPO stays above log J at every iteration' },
];

export interface E12Config {
  /** Iterations of the authors' learner in Fig. 2a left. */
  iterations: number;
}

export const E12_CONFIG = {
  defaults: (scale: Scale): E12Config => ({ iterations: scale === 'smoke' ? 301 : 1501 }),
  rules: { iterations: rules.intAtLeast(21) },
};

/** A figure's checks, or (when it cannot be computed, e.g. an infinite KL without a clip) failing checks that say why. */
function safely(keys: string[], f: () => Check[]): Record<string, Check> {
  try {
    const checks = f();
    return Object.fromEntries(keys.map((k, i) => [k, checks[i]]));
  } catch (err) {
    return Object.fromEntries(keys.map((k) => [k, { holds: false, measured: `could not be computed: ${(err as Error).message}` }]));
  }
}

/** The deterministic claims of one column. */
function deterministicChecks(knobs: Knobs): Record<string, Check> {
  return {
    ...safely(['fig2a-right-arrows'], () => [fig2aRight(knobs).check]),
    ...safely(['fig2b-exact-reaches', 'fig2b-block-reaches', 'fig2b-ablation-stays'], () => {
      const b = fig2b(knobs);
      return [b.checks.exactReaches, b.checks.blockReaches, b.checks.ablationStays];
    }),
    ...safely(['fig3a-mnm-optimal', 'fig3a-vmbpo-lower'], () => {
      const a = fig3a(knobs);
      return [a.checks.mnmOptimal, a.checks.vmbpoLower];
    }),
    ...safely(['fig3b-bounds-below', 'fig3b-vmbpo-above'], () => {
      const c = fig3b(knobs);
      return [c.checks.boundsBelow, c.checks.vmbpoAbove];
    }),
  };
}

export const e12TabularSensitivity: Experiment<E12Config> = {
  id: ID,
  title: 'Sensitivity of the tabular claims to the choices the paper leaves open',
  paper: 'Fig. 2a, 2b, 3a, 3b',
  reproduces: "each tabular claim under the paper's settings, the project's, and single-knob changes (log r weight, KL clip, noise, γ)",
  notebook: 'notebooks/04-lower-bound.ipynb',
  seeds: { smoke: 2, quick: 5, paper: 10 },
  config: E12_CONFIG,
  runSeed(ctx) {
    const curves: Row[] = [];
    const verdicts: Row[] = [];
    SENSITIVITY_COLUMNS.forEach((col, i) => {
      ctx.progress(i, SENSITIVITY_COLUMNS.length, col.label);
      // The same random numbers in every column (per seed and learner): a column that changes nothing for
      // Fig. 2a left gives exactly the paper's curves, and a difference comes from the knob, not the draws.
      const pts = fig2aLeftRuns(col.knobs, [ctx.seed], (_s, m) => ctx.rng.fork(m), ctx.config.iterations);
      for (const p of pts) curves.push({ column: col.key, ...p });
      if (ctx.seed === 0) {
        for (const [key, c] of Object.entries(deterministicChecks(col.knobs))) {
          verdicts.push({ column: col.key, claim: key, holds: c.holds, measured: c.measured });
        }
      }
    });
    ctx.progress(SENSITIVITY_COLUMNS.length, SENSITIVITY_COLUMNS.length);
    return { tables: { curves, verdicts } };
  },
  report(results): Report {
    const verdicts = results.flatMap((r) => r.tables.verdicts ?? []);
    const curves = results.flatMap((r) => r.tables.curves ?? []);
    for (const col of SENSITIVITY_COLUMNS) {
      const pts = curves.filter((r) => r.column === col.key) as unknown as Fig2aLeftPoint[];
      const left = fig2aLeftChecks(col.knobs, pts);
      verdicts.push({
        column: col.key,
        claim: 'fig2a-left-final-order',
        holds: left.checks.finalOrder.holds,
        measured: left.checks.finalOrder.measured,
      });
      verdicts.push({
        column: col.key,
        claim: 'fig2a-left-mnm-first',
        holds: left.checks.mnmFirst.holds,
        measured: left.checks.mnmFirst.measured,
      });
    }
    const verdictOf = (claimKey: string, col: string) => verdicts.find((v) => v.claim === claimKey && v.column === col);
    const table: Row[] = SENSITIVITY_CLAIMS.map((c) => {
      const row: Row = { figure: c.figure, claim: c.claim };
      for (const col of SENSITIVITY_COLUMNS) row[col.label] = verdictOf(c.key, col.key)?.holds ? 'holds' : 'fails';
      return row;
    });
    const knobCols = SENSITIVITY_COLUMNS.filter((c) => c.key !== 'paper' && c.key !== 'project');
    const flipsOf = (key: string) =>
      knobCols.filter((k) => verdictOf(key, k.key)?.holds !== verdictOf(key, 'paper')?.holds).map((k) => k.label);
    const robustness: Row[] = SENSITIVITY_CLAIMS.map((c) => {
      const paperHolds = Boolean(verdictOf(c.key, 'paper')?.holds);
      const flips = flipsOf(c.key);
      return {
        figure: c.figure,
        claim: c.claim,
        paper_setting: paperHolds ? 'holds' : 'fails',
        project_setting: verdictOf(c.key, 'project')?.holds ? 'holds' : 'fails',
        verdict_changed_by: flips.join(', '),
        robust: paperHolds && flips.length === 0,
      };
    });
    const claims: Claim[] = SENSITIVITY_CLAIMS.map((c) => {
      const paper = verdictOf(c.key, 'paper');
      const flips = flipsOf(c.key);
      const project = verdictOf(c.key, 'project');
      const list = SENSITIVITY_COLUMNS.map((k) => `${k.label}: ${verdictOf(c.key, k.key)?.holds ? 'holds' : 'fails'}`).join('; ');
      return claim({
        id: `E12.${c.key}`,
        experiment: ID,
        claim: `${c.figure}: "${c.claim}" holds under the paper's settings and under every single-knob change (robust)`,
        paper: c.figure,
        holds: Boolean(paper?.holds) && flips.length === 0,
        measured:
          `${list}. ` +
          (paper?.holds
            ? flips.length === 0
              ? 'Robust to every knob tried.'
              : `Its verdict changes under: ${flips.join(', ')}.`
            : 'Does not hold under the paper’s own settings.') +
          ` Project setting: ${project?.holds ? 'holds' : 'fails'}. Paper setting in numbers: ${paper?.measured ?? 'n/a'}`,
      });
    });
    const cells = SENSITIVITY_CLAIMS.flatMap((c) =>
      SENSITIVITY_COLUMNS.map((col) => ({
        claim: `${c.figure}: ${c.claim}`,
        setting: col.label,
        verdict: verdictOf(c.key, col.key)?.holds ? 'holds' : 'fails',
      })),
    );
    const fig = {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: 'Tabular claims under the paper’s settings, the project’s and single-knob changes',
      data: { values: cells },
      mark: { type: 'rect', stroke: 'white' },
      width: { step: 90 },
      height: { step: 22 },
      encoding: {
        x: {
          field: 'setting',
          type: 'nominal',
          sort: SENSITIVITY_COLUMNS.map((c) => c.label),
          title: null,
          axis: { labelAngle: -30, labelLimit: 200 },
        },
        y: {
          field: 'claim',
          type: 'nominal',
          sort: SENSITIVITY_CLAIMS.map((c) => `${c.figure}: ${c.claim}`),
          title: null,
          axis: { labelLimit: 420 },
        },
        color: { field: 'verdict', type: 'nominal', scale: { domain: ['holds', 'fails'], range: ['#4c9a5b', '#c8553d'] }, title: null },
      },
    } as unknown as VegaLiteSpec;
    return {
      tables: { sensitivity: pl.DataFrame(table), robustness: pl.DataFrame(robustness), verdicts: pl.DataFrame(verdicts) },
      figures: { sensitivity: fig },
      claims,
    };
  },
};

/** E12's verdict in markdown: the claims that hold under the paper's settings and every knob, and what changes the others. */
export function describeRobustness(rep: Pick<Report, 'tables'>): string {
  const rows = rep.tables.robustness?.toRecords() ?? [];
  // Claims name J*/2: escape the markdown emphasis characters.
  const line = (r: Record<string, unknown>) => `- ${String(r.figure)}: ${String(r.claim).replace(/([*_])/g, '\\$1')}`;
  const robust = rows.filter((r) => r.robust === true).map(line);
  const fragile = rows
    .filter((r) => r.robust !== true)
    .map((r) =>
      r.paper_setting === 'holds'
        ? `${line(r)}: its verdict changes with ${String(r.verdict_changed_by)}`
        : `${line(r)}: does not hold under the paper's own settings`,
    );
  return (
    `**Robust** (holds under the paper's settings and under every knob):\n\n${robust.join('\n') || '- none'}\n\n` +
    `**Not robust:**\n\n${fragile.join('\n') || '- none'}`
  );
}
