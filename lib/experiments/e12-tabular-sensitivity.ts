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
import { type ConfigSpec, rules } from '../config';
import type { Claim, Experiment, Report, SeedContext, SeedResult, VegaLiteSpec } from '../experiment';
import { gather } from '../experiment';
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

export const E12_CONFIG: ConfigSpec<E12Config> = {
  defaults: (scale) => ({ iterations: scale === 'smoke' ? 301 : 1501 }),
  rules: { iterations: rules.intAtLeast(21) },
};

type CurveRow = { column: string } & Fig2aLeftPoint;
type VerdictRow = { column: string; claim: string; holds: boolean; measured: string };
type E12Tables = { curves: CurveRow[]; verdicts: VerdictRow[] };

/** A figure's checks, or (when it cannot be computed, e.g. an infinite KL without a clip) failing checks that say why. */
function safely(keys: string[], f: () => Check[]): Record<string, Check> {
  try {
    const checks = f();
    return Object.fromEntries(keys.map((k, i) => [k, checks[i]]));
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return Object.fromEntries(keys.map((k) => [k, { holds: false, measured: `could not be computed: ${why}` }]));
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

function runSeed(ctx: SeedContext<E12Config>): SeedResult<E12Tables> {
  const curves: CurveRow[] = [];
  const verdicts: VerdictRow[] = [];
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
}

/** Every (claim, column) verdict: the deterministic ones of seed 0, then Fig. 2a left's from the curves of all seeds. */
interface E12Summary {
  verdicts: VerdictRow[];
  /** The verdict of claim `key` under column `column`. */
  verdict(key: string, column: string): VerdictRow | undefined;
  /** The single-knob columns under which claim `key`'s verdict differs from the paper's, by label. */
  flips(key: string): string[];
}

function summarise(results: SeedResult<E12Tables>[]): E12Summary {
  const verdicts = gather(results, 'verdicts');
  const curves = gather(results, 'curves');
  for (const col of SENSITIVITY_COLUMNS) {
    const left = fig2aLeftChecks(
      col.knobs,
      curves.filter((r) => r.column === col.key),
    );
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
  const verdict = (key: string, column: string) => verdicts.find((v) => v.claim === key && v.column === column);
  const knobCols = SENSITIVITY_COLUMNS.filter((c) => c.key !== 'paper' && c.key !== 'project');
  const flips = (key: string) => knobCols.filter((k) => verdict(key, k.key)?.holds !== verdict(key, 'paper')?.holds).map((k) => k.label);
  return { verdicts, verdict, flips };
}

const word = (v: VerdictRow | undefined) => (v?.holds ? 'holds' : 'fails');

function e12Tables(s: E12Summary): Report['tables'] {
  const table = SENSITIVITY_CLAIMS.map((c) => {
    const row: Record<string, string> = { figure: c.figure, claim: c.claim };
    for (const col of SENSITIVITY_COLUMNS) row[col.label] = word(s.verdict(c.key, col.key));
    return row;
  });
  const robustness = SENSITIVITY_CLAIMS.map((c) => {
    const paperHolds = Boolean(s.verdict(c.key, 'paper')?.holds);
    const flips = s.flips(c.key);
    return {
      figure: c.figure,
      claim: c.claim,
      paper_setting: paperHolds ? 'holds' : 'fails',
      project_setting: word(s.verdict(c.key, 'project')),
      verdict_changed_by: flips.join(', '),
      robust: paperHolds && flips.length === 0,
    };
  });
  return { sensitivity: pl.DataFrame(table), robustness: pl.DataFrame(robustness), verdicts: pl.DataFrame(s.verdicts) };
}

function e12Figures(s: E12Summary): Report['figures'] {
  const cells = SENSITIVITY_CLAIMS.flatMap((c) =>
    SENSITIVITY_COLUMNS.map((col) => ({ claim: `${c.figure}: ${c.claim}`, setting: col.label, verdict: word(s.verdict(c.key, col.key)) })),
  );
  const sensitivity = {
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
  } satisfies VegaLiteSpec;
  return { sensitivity };
}

function e12Claims(s: E12Summary): Claim[] {
  return SENSITIVITY_CLAIMS.map((c) => {
    const paper = s.verdict(c.key, 'paper');
    const flips = s.flips(c.key);
    const list = SENSITIVITY_COLUMNS.map((k) => `${k.label}: ${word(s.verdict(c.key, k.key))}`).join('; ');
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
        ` Project setting: ${word(s.verdict(c.key, 'project'))}. Paper setting in numbers: ${paper?.measured ?? 'n/a'}`,
    });
  });
}

function report(results: SeedResult<E12Tables>[]): Report {
  const s = summarise(results);
  return { tables: e12Tables(s), figures: e12Figures(s), claims: e12Claims(s) };
}

export const e12TabularSensitivity: Experiment<E12Config, E12Tables> = {
  id: ID,
  title: 'Sensitivity of the tabular claims to the choices the paper leaves open',
  paper: 'Fig. 2a, 2b, 3a, 3b',
  reproduces: "each tabular claim under the paper's settings, the project's, and single-knob changes (log r weight, KL clip, noise, γ)",
  notebook: 'notebooks/04-lower-bound.ipynb',
  seeds: { smoke: 2, quick: 5, paper: 10 },
  config: E12_CONFIG,
  runSeed,
  report,
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
