/** E8's report over the seeds run.ts computes: its summary, tables, figures and claims, and what its notebook shows. */
import pl from 'nodejs-polars';
import { claim, markInconclusive, verdictText } from '../../claims';
import type { FigureOf, Claim, Report, ReportContext, Scale, SeedResult } from '../../experiment';
import { gather, namedFigures, recordOf } from '../../experiment';
import { learningCurveSpec } from '../../plot/learning-curve';
import { bands, ci95, combine, decide, type Decision, fmt, fmtSummary, mean, meanInterval, std } from '../../stats';
import { finalRows } from '../deep-runs';
import { MIN_SEEDS } from '../deep-sanity';
import { ARM_LABEL, type Arm, E7_TASK } from '../e7-q-value-stability/run';
import { MODEL_ARMS } from '../e7-q-value-stability/stage-b-report';
import { type MseRow, type E8Tables } from './run';

/** Per seed: the MnM-approx MSE series, in step order. */
function series(rows: MseRow[], arm: Arm): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const r of [...rows].filter((x) => x.arm === arm).sort((a, b) => a.step - b.step)) {
    out.set(r.seed, [...(out.get(r.seed) ?? []), r.model_val_mse]);
  }
  return out;
}

const AGENTS = MODEL_ARMS;

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
  const ratioAtEnd = (a: Arm) =>
    finalRows(
      rows.filter((r) => r.arm === a && r.model_policy_mse !== null),
      (r) => r.arm,
    )
      .sort((x, y) => x.seed - y.seed)
      .map((r) => (r.model_policy_mse ?? NaN) / r.model_val_mse);
  // Only the seed count gates E8's claim: it is about how the models train (the agents' sanity bars are E10's).
  const inconclusive =
    results.length < MIN_SEEDS
      ? `only ${results.length} seed${results.length === 1 ? '' : 's'} ran; a verdict needs at least ${MIN_SEEDS}`
      : null;
  return {
    scale,
    seeds: results.length,
    rows,
    reference,
    perSeed,
    policyRatio: recordOf(AGENTS, (a) => a, ratioAtEnd),
    inconclusive,
  };
}

// Decided before looking: "falls stably" = for every seed the last MSE is below the first, and no point
// exceeds 3× the lowest MSE reached before it (no blow-up of the adversarial training).
const fallsStably = (s: E8Summary): Decision[] => [
  decide(
    { quantity: 'last / first validation MSE per seed', direction: 'below', margin: 1 },
    meanInterval(s.perSeed.map((p) => p.last / p.first)),
  ),
  decide(
    { quantity: 'largest jump per seed (MSE over its running minimum)', direction: 'below', margin: 3 },
    meanInterval(s.perSeed.map((p) => p.worstJump)),
  ),
];

const ratioText = (s: E8Summary) =>
  AGENTS.map((a) => `${ARM_LABEL[a]} ×${fmt(mean(s.policyRatio[a]))} ± ${fmt(std(s.policyRatio[a]))}`).join(', ');

function e8Tables(s: E8Summary): Report['tables'] {
  return {
    model_mse: pl.DataFrame(s.rows),
    mse_summary: pl.DataFrame(s.perSeed),
    policy_error: pl.DataFrame(
      AGENTS.map((a) => ({
        algo: ARM_LABEL[a],
        seeds: s.policyRatio[a].length,
        policy_over_val_mean: mean(s.policyRatio[a]),
        policy_over_val_std: std(s.policyRatio[a]),
        // The fraction of the last model round's rollout steps through the wall, mean over seeds (E7's positive control).
        crossing_final_mean: mean(
          finalRows(
            s.rows.filter((r) => r.arm === a && r.model_crossing !== null),
            (r) => r.arm,
          ).flatMap((r) => (r.model_crossing === null ? [] : [r.model_crossing])),
        ),
      })),
    ),
  };
}

function e8Figures(s: E8Summary) {
  const curve = s.rows
    .filter((r) => r.arm === 'mnm')
    .map((r) => ({ method: `seed ${r.seed}`, x: r.step, mean: r.model_val_mse, lo: r.model_val_mse, hi: r.model_val_mse }));
  const last = s.perSeed.map((p) => fmt(p.final_over_mle_best)).join(', ');
  const modelMse = learningCurveSpec(curve, {
    title: `E8: validation MSE of the MnM-approx model on ${E7_TASK} (${s.scale})`,
    subtitle: `Paper (Fig. 7b): the MSE decreases stably · Here: ${combine(fallsStably(s)).verdict === 'holds' ? 'it falls without a blow-up' : 'it does not clearly fall stably'}; final / best likelihood MSE: ${last}`,
    caption: 'One line per seed: look for a downward trend without spikes, and where the lines end against the dashed likelihood model.',
    xTitle: 'env steps',
    yTitle: 'validation MSE (next observation)',
    reference: { y: s.reference, label: `best MSE of a likelihood (MBPO) model: ${fmt(s.reference)}` },
    // The error falls by decades: on a linear axis the first evaluation sets the scale and flattens the rest.
    logY: true,
  });
  const ratio = learningCurveSpec(
    bands(
      s.rows
        .filter((r) => r.model_policy_mse !== null)
        .map((r) => ({ method: ARM_LABEL[r.arm], x: r.step, value: (r.model_policy_mse ?? NaN) / r.model_val_mse })),
      'std',
    ),
    {
      title: `E8: model error on the policy's own states over its error on replay data (${s.scale}; mean ± std over ${s.seeds} seeds)`,
      subtitle: `Paper (Sec. 3): an agent exploits its model where the model is wrong and the policy goes · Here, at the end: ${ratioText(s)}`,
      caption: "Above 1 the current policy's states are where the model is worse than on the data it was checked on.",
      xTitle: 'env steps',
      yTitle: 'policy-state MSE / validation MSE',
      order: AGENTS.map((a) => ARM_LABEL[a]),
      reference: { y: 1, label: 'as accurate as on replay data' },
      bounds: [0, null],
      logY: true,
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
        origin: 'paper',
        evidence: fallsStably(s),
        seeds: s.seeds,
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
    return `${ARM_LABEL[a]} ×${fmt(mean(r))} ± ${fmt(ci95(r))} (95% CI; above 1 on ${above} of ${r.length} seeds)`;
  };
  const lo = Math.min(...AGENTS.map((a) => mean(s.policyRatio[a]) - ci95(s.policyRatio[a])));
  const hi = Math.max(...AGENTS.map((a) => mean(s.policyRatio[a]) + ci95(s.policyRatio[a])));
  const verdictOnStates =
    lo > 1
      ? 'Every model is worse exactly where the current policy goes: that is the opening for the exploitation the paper describes.'
      : hi < 1
        ? "No policy goes where its model is worse than on the replay data: the policies' own states are modelled at least as well, so there is little for a critic to exploit."
        : 'With these seeds the ratios are not distinguishable from 1 for at least one agent: no clear sign that a policy goes where its model is worse.';
  return [
    `- The MnM-approx model's validation MSE goes from ${s.perSeed.map((p) => fmt(p.first)).join(', ')} at the first model round to ${s.perSeed.map((p) => fmt(p.last)).join(', ')} at the last (one number per seed); the claim that it falls stably ${verdictText(c)}.`,
    `- Its final MSE is ${s.perSeed.map((p) => fmt(p.final_over_mle_best)).join(', ')} times the best MSE of the likelihood (MBPO) model.`,
    `- Where the model is wrong, and whether the policy goes there: at the last evaluation, the model's error on the states and actions of the policy's own episodes over its error on held-out replay data is ${AGENTS.map(where).join('; ')}. ${verdictOnStates}`,
  ].join('\n');
}

/** The figures E8's report draws: what a notebook may ask for (`rep.figures.<key>`). */
export type E8Figure = FigureOf<typeof report>;
