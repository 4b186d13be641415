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
import { type ConfigSpec, rules } from '../../config';
import type { SeedContext, SeedResult } from '../../experiment';
import {
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
} from '../../tabular/paper-figures';

export const ID = 'e12-tabular-sensitivity';

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

export interface E12Config {
  /** Iterations of the authors' learner in Fig. 2a left. */
  iterations: number;
}

export const E12_CONFIG: ConfigSpec<E12Config> = {
  defaults: (scale) => ({ iterations: scale === 'smoke' ? 301 : 1501 }),
  rules: { iterations: rules.intAtLeast(21) },
};

type CurveRow = { column: string } & Fig2aLeftPoint;
export type VerdictRow = { column: string; claim: string; holds: boolean; measured: string };
export type E12Tables = { curves: CurveRow[]; verdicts: VerdictRow[] };

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

export function runSeed(ctx: SeedContext<E12Config>): SeedResult<E12Tables> {
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
