/** E8's report over the seeds run.ts computes: its summary, tables, figures and claims, and what its notebook shows. */
import pl from 'nodejs-polars';
import { claim, markInconclusive, verdictText } from '../../claims';
import type { FigureOf, Claim, Report, ReportContext, Scale, SeedResult } from '../../experiment';
import { gather, namedFigures } from '../../experiment';
import { learningCurveSpec } from '../../plot/learning-curve';
import { bands, ci95, fmt, fmtSummary, mean, std } from '../../stats';
import { ALGO_LABEL, type Algo, finalRows } from '../deep-runs';
import { deepInconclusive } from '../deep-sanity';
import { E7_TASK } from '../e7-q-value-stability/run';
import { type MseRow, type E8Tables } from './run';

/** Per seed: the MnM-approx MSE series, in step order. */
function series(rows: MseRow[], algo: Algo): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const r of [...rows].filter((x) => x.algo === algo).sort((a, b) => a.step - b.step)) {
    out.set(r.seed, [...(out.get(r.seed) ?? []), r.model_val_mse]);
  }
  return out;
}

const AGENTS = ['mnm', 'mbpo'] as const satisfies readonly Algo[];

/** What report() and describeE8 read, computed once. */
export interface E8Summary {
  scale: Scale;
  seeds: number;
  rows: MseRow[];
  /** Mean over seeds of each MBPO run's lowest validation MSE: the reference line of Fig. 7b. */
  reference: number;
  /** Per seed of MnM-approx: first and last MSE, the largest jump over the running minimum, last / reference. */
  perSeed: { seed: number; first: number; last: number; worstJump: number; final_over_mle_best: number }[];
  /** Per agent, at the last evaluation of each seed: the error on the policy's own states over the replay validation error. */
  policyRatio: Record<(typeof AGENTS)[number], number[]>;
  inconclusive: string | null;
}

export function summariseE8(results: SeedResult<E8Tables>[], scale: Scale): E8Summary {
  const rows = gather(results, 'model_mse');
  const reference = mean([...series(rows, 'mbpo').values()].map((s) => Math.min(...s)));
  const perSeed = [...series(rows, 'mnm').entries()].map(([seed, s]) => {
    let runMin = Infinity;
    let worst = 0;
    for (const v of s) {
      if (Number.isFinite(runMin)) worst = Math.max(worst, v / runMin);
      runMin = Math.min(runMin, v);
    }
    return { seed, first: s[0], last: s[s.length - 1], worstJump: worst, final_over_mle_best: s[s.length - 1] / reference };
  });
  const ratioAtEnd = (a: Algo) =>
    finalRows(
      rows.filter((r) => r.algo === a && r.model_policy_mse !== null),
      (r) => r.algo,
    )
      .sort((x, y) => x.seed - y.seed)
      .map((r) => (r.model_policy_mse ?? NaN) / r.model_val_mse);
  // No random-policy check here: E8's table has model errors, not returns (E7 checks the same runs' returns).
  const inconclusive = deepInconclusive(results.length, gather(results, 'sanity'), [], []);
  return {
    scale,
    seeds: results.length,
    rows,
    reference,
    perSeed,
    policyRatio: { mnm: ratioAtEnd('mnm'), mbpo: ratioAtEnd('mbpo') },
    inconclusive,
  };
}

// Decided before looking: "falls stably" = for every seed the last MSE is below the first, and no point
// exceeds 3× the lowest MSE reached before it (no blow-up of the adversarial training).
const fallsStably = (s: E8Summary) => s.perSeed.every((p) => p.last < p.first) && s.perSeed.every((p) => p.worstJump <= 3);

const ratioText = (s: E8Summary) =>
  AGENTS.map((a) => `${ALGO_LABEL[a]} ×${fmt(mean(s.policyRatio[a]))} ± ${fmt(std(s.policyRatio[a]))}`).join(', ');

function e8Tables(s: E8Summary): Report['tables'] {
  return {
    model_mse: pl.DataFrame(s.rows),
    mse_summary: pl.DataFrame(s.perSeed),
    policy_error: pl.DataFrame(
      AGENTS.map((a) => ({
        algo: ALGO_LABEL[a],
        seeds: s.policyRatio[a].length,
        policy_over_val_mean: mean(s.policyRatio[a]),
        policy_over_val_std: std(s.policyRatio[a]),
      })),
    ),
  };
}

function e8Figures(s: E8Summary) {
  const curve = s.rows
    .filter((r) => r.algo === 'mnm')
    .map((r) => ({ method: `seed ${r.seed}`, x: r.step, mean: r.model_val_mse, lo: r.model_val_mse, hi: r.model_val_mse }));
  const last = s.perSeed.map((p) => fmt(p.final_over_mle_best)).join(', ');
  const modelMse = learningCurveSpec(curve, {
    title: `E8: validation MSE of the MnM-approx model on ${E7_TASK} (${s.scale})`,
    subtitle: `Paper (Fig. 7b): the MSE decreases stably · Here: ${fallsStably(s) ? 'it falls on every seed without a blow-up' : 'it does not fall stably on every seed'}; final / best likelihood MSE: ${last}`,
    caption: 'One line per seed: look for a downward trend without spikes, and where the lines end against the dashed likelihood model.',
    xTitle: 'env steps',
    yTitle: 'validation MSE (next observation)',
    reference: { y: s.reference, label: `best MSE of a likelihood (MBPO) model: ${fmt(s.reference)}` },
  });
  const ratio = learningCurveSpec(
    bands(
      s.rows
        .filter((r) => r.model_policy_mse !== null)
        .map((r) => ({ method: ALGO_LABEL[r.algo], x: r.step, value: (r.model_policy_mse ?? NaN) / r.model_val_mse })),
      'std',
    ),
    {
      title: `E8: model error on the policy's own states over its error on replay data (${s.scale}; mean ± std over ${s.seeds} seeds)`,
      subtitle: `Paper (Sec. 3): an agent exploits its model where the model is wrong and the policy goes · Here, at the end: ${ratioText(s)}`,
      caption: "Above 1 the current policy's states are where the model is worse than on the data it was checked on.",
      xTitle: 'env steps',
      yTitle: 'policy-state MSE / validation MSE',
      order: AGENTS.map((a) => ALGO_LABEL[a]),
      reference: { y: 1, label: 'as accurate as on replay data' },
    },
  );
  return namedFigures({ model_mse: modelMse, policy_error: ratio });
}

function e8Claims(s: E8Summary): Claim[] {
  const ratio = s.perSeed.map((p) => p.final_over_mle_best);
  return markInconclusive(
    [
      claim({
        id: 'E8.mnm-model-mse-falls-stably',
        experiment: 'e8-model-error',
        claim:
          'The validation MSE of the MnM-approx model falls over training for every seed (last < first) without blowing up (never above 3× its running minimum)',
        paper:
          'Fig. 7b: "the MSE decreases stably, indicating that the adversarial nature of the MnM-approx model training does not create instabilities"',
        holds: fallsStably(s),
        measured:
          s.perSeed.map((p) => `seed ${p.seed}: ${fmt(p.first)} → ${fmt(p.last)} (max jump ×${fmt(p.worstJump)})`).join('; ') +
          `; final MnM MSE / best MLE MSE = ${fmtSummary(ratio)}; ${s.scale} scale`,
      }),
    ],
    s.inconclusive,
  );
}

export function report(results: SeedResult<E8Tables>[], { scale }: ReportContext) {
  const s = summariseE8(results, scale);
  return { tables: e8Tables(s), figures: e8Figures(s), claims: e8Claims(s) };
}

/** E8 in words: does the model error fall stably, and is the model worse where the policy goes (the paper's mechanism)? */
export function describeE8(results: SeedResult<E8Tables>[], scale: Scale): string {
  const s = summariseE8(results, scale);
  const c = e8Claims(s)[0];
  const where = (a: (typeof AGENTS)[number]) => {
    const r = s.policyRatio[a];
    const above = r.filter((x) => x > 1).length;
    return `${ALGO_LABEL[a]} ×${fmt(mean(r))} ± ${fmt(ci95(r))} (95% CI; above 1 on ${above} of ${r.length} seeds)`;
  };
  const lo = Math.min(...AGENTS.map((a) => mean(s.policyRatio[a]) - ci95(s.policyRatio[a])));
  const hi = Math.max(...AGENTS.map((a) => mean(s.policyRatio[a]) + ci95(s.policyRatio[a])));
  const verdictOnStates =
    lo > 1
      ? 'Both models are worse exactly where the current policy goes: that is the opening for the exploitation the paper describes.'
      : hi < 1
        ? "Neither policy goes where its model is worse than on the replay data: the policies' own states are modelled at least as well, so there is little for a critic to exploit."
        : 'With these seeds the ratios are not distinguishable from 1 for at least one agent: no clear sign that a policy goes where its model is worse.';
  return [
    `- The MnM-approx model's validation MSE goes from ${s.perSeed.map((p) => fmt(p.first)).join(', ')} at the first model round to ${s.perSeed.map((p) => fmt(p.last)).join(', ')} at the last (one number per seed); the claim that it falls stably ${verdictText(c)}.`,
    `- Its final MSE is ${s.perSeed.map((p) => fmt(p.final_over_mle_best)).join(', ')} times the best MSE of the likelihood (MBPO) model.`,
    `- Where the model is wrong, and whether the policy goes there: at the last evaluation, the model's error on the states and actions of the policy's own episodes over its error on held-out replay data is ${where('mbpo')} and ${where('mnm')}. ${verdictOnStates}`,
  ].join('\n');
}

/** The figures E8's report draws: what a notebook may ask for (`rep.figures.<key>`). */
export type E8Figure = FigureOf<typeof report>;
