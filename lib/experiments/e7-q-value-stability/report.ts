/** E7's report over the seeds run.ts computes: its summary, tables, figures and claims, and what its notebook shows. */
import pl from 'nodejs-polars';
import { claim, markInconclusive, verdictText } from '../../claims';
import type { FigureOf, Claim, Report, ReportContext, Scale, SeedResult } from '../../experiment';
import { gather, joinedFigures, namedFigures } from '../../experiment';
import { learningCurveSpec } from '../../plot/learning-curve';
import { bands, ci95, fmt, fmtSummary, mean, paired, std } from '../../stats';
import { ALGO_LABEL, type Algo, finalRows } from '../deep-runs';
import { deepInconclusive } from '../deep-sanity';
import { E7_TASK, ALGOS, type QRow, type E7Tables } from './run';
import { stageAReport } from './stage-a-report';

/** Final Q − MC gap per seed for one algorithm. */
export function finalGaps(rows: QRow[], algo: Algo): { gap: number[]; q: number[]; mc: number[]; returns: number[] } {
  const fin = finalRows(
    rows.filter((r) => r.algo === algo),
    (r) => r.algo,
  ).sort((a, b) => a.seed - b.seed);
  return {
    gap: fin.map((r) => r.q_estimate - r.mc_return),
    q: fin.map((r) => r.q_estimate),
    mc: fin.map((r) => r.mc_return),
    returns: fin.map((r) => r.eval_return),
  };
}

/** What report() and describeE7 read: everything per agent id, computed once. */
export interface E7Summary {
  scale: Scale;
  seeds: number;
  rows: QRow[];
  /** Per agent: the final gap, Q estimate, Monte Carlo return and evaluation return of each seed (seed order). */
  final: Record<(typeof ALGOS)[number], ReturnType<typeof finalGaps>>;
  /** Pooled std over seeds of the two agents' final gaps, and the mean size of their Monte Carlo returns. */
  pooled: number;
  mcScale: number;
  /** Why no verdict can be given at this scale, or null. */
  inconclusive: string | null;
}

export function summariseE7(results: SeedResult<E7Tables>[], scale: Scale): E7Summary {
  const rows = gather(results, 'q_values');
  const final = { mbpo: finalGaps(rows, 'mbpo'), mnm: finalGaps(rows, 'mnm') };
  const pooled = Math.sqrt((std(final.mbpo.gap) ** 2 + std(final.mnm.gap) ** 2) / 2);
  const mcScale = mean([...final.mbpo.mc, ...final.mnm.mc].map(Math.abs));
  const agents = ALGOS.map((a) => ({ task: E7_TASK, agent: ALGO_LABEL[a], returns: final[a].returns }));
  const inconclusive = deepInconclusive(results.length, gather(results, 'sanity'), gather(results, 'random_level'), agents);
  return { scale, seeds: results.length, rows, final, pooled, mcScale, inconclusive };
}

/** Decided before looking at results: "far above" = MBPO's final gap exceeds MnM-approx's by more than the
 * pooled std over seeds AND is more than 25% of the size of the Monte Carlo return. */
function mbpoFarAbove(s: E7Summary): boolean {
  const [mb, mn] = [mean(s.final.mbpo.gap), mean(s.final.mnm.gap)];
  return mb > mn + s.pooled && mb > 0.25 * s.mcScale;
}

function e7Tables(s: E7Summary): Report['tables'] {
  const finals = ALGOS.map((a) => {
    const g = s.final[a];
    return {
      algo: ALGO_LABEL[a],
      seeds: g.gap.length,
      q_final_mean: mean(g.q),
      mc_final_mean: mean(g.mc),
      gap_mean: mean(g.gap),
      gap_std: std(g.gap),
    };
  });
  return { q_values: pl.DataFrame(s.rows), final_gap: pl.DataFrame(finals) };
}

const finalGapText = (s: E7Summary) =>
  ALGOS.map((a) => `${ALGO_LABEL[a]} ${fmt(mean(s.final[a].gap))} ± ${fmt(std(s.final[a].gap))}`).join(', ');

function e7Figures(s: E7Summary) {
  const long = s.rows.flatMap((r) => [
    { ...r, quantity: 'Q estimate', value: r.q_estimate },
    { ...r, quantity: 'Monte Carlo return', value: r.mc_return },
  ]);
  const curve = bands(
    long.map((r) => ({ method: `${ALGO_LABEL[r.algo]}: ${r.quantity}`, x: r.step, value: r.value })),
    'std',
  );
  const order = ALGOS.flatMap((a) => [`${ALGO_LABEL[a]}: Q estimate`, `${ALGO_LABEL[a]}: Monte Carlo return`]);
  const paper = "Paper (Fig. 7a): MBPO's Q values grow far above the true returns, MnM-approx's stay close";
  const qVsMc = learningCurveSpec(curve, {
    title: `E7: Q estimate vs Monte Carlo return on ${E7_TASK} (${s.scale}; mean ± std over ${s.seeds} seeds)`,
    subtitle: `${paper} · Here, final Q − MC: ${finalGapText(s)}`,
    caption: "Compare each agent's Q line with its own Monte Carlo line: the distance between them is how far its critic is off.",
    xTitle: 'env steps',
    yTitle: 'discounted return',
    order,
  });
  const gap = learningCurveSpec(
    bands(
      s.rows.map((r) => ({ method: ALGO_LABEL[r.algo], x: r.step, value: r.q_estimate - r.mc_return })),
      'std',
    ),
    {
      title: `E7: Q estimate minus Monte Carlo return over training (${s.scale}; mean ± std over ${s.seeds} seeds)`,
      subtitle: `${paper} · Here, at the end: ${finalGapText(s)}`,
      caption:
        'Above 0 the critic promises more than its policy gets: watch whether MBPO climbs away from 0 while MnM-approx stays near it.',
      xTitle: 'env steps',
      yTitle: 'Q − Monte Carlo return',
      order: ALGOS.map((a) => ALGO_LABEL[a]),
      reference: { y: 0, label: 'Q = return' },
    },
  );
  return namedFigures({ q_vs_mc: qVsMc, q_gap: gap });
}

function e7Claims(s: E7Summary): Claim[] {
  const [mb, mn] = [s.final.mbpo, s.final.mnm];
  return markInconclusive(
    [
      claim({
        id: 'E7.mbpo-q-overestimates',
        experiment: 'e7-q-value-stability',
        claim:
          "MBPO's final Q estimate lies far above the Monte Carlo return of its policy, MnM-approx's stays close (gap MBPO > gap MnM-approx + pooled std, and > 25% of |MC return|)",
        paper: 'Fig. 7a: "The very large Q values of MBPO suggest model exploitation, which our method appears to avoid."',
        holds: mbpoFarAbove(s),
        measured: `final Q − MC: MBPO ${fmtSummary(mb.gap)}, MnM-approx ${fmtSummary(mn.gap)} (pooled std ${fmt(s.pooled)}); mean |MC| ${fmt(s.mcScale)}; ${s.scale} scale`,
      }),
    ],
    s.inconclusive,
  );
}

export function report(results: SeedResult<E7Tables>[], { scale }: ReportContext) {
  const s = summariseE7(results, scale);
  // Stage A is exact: its claims come first and are never marked inconclusive by the deep sanity bars.
  const a = stageAReport(results);
  return {
    tables: { ...a.tables, ...e7Tables(s) },
    figures: joinedFigures(a.figures, e7Figures(s)),
    claims: [...a.claims, ...e7Claims(s)],
  };
}

/**
 * The answer to E7's question in words, computed from the results: does MBPO's Q estimate drift above the
 * return its policy really gets, does MnM-approx's stay closer, and how sure is that (95% intervals over seeds).
 */
export function describeE7(results: SeedResult<E7Tables>[], scale: Scale): string {
  const s = summariseE7(results, scale);
  const line = (a: Algo & keyof E7Summary['final']) => {
    const g = s.final[a].gap;
    const rel = mean(g) / Math.max(mean(s.final[a].mc.map(Math.abs)), 1e-9);
    const side = mean(g) - ci95(g) > 0 ? 'above' : mean(g) + ci95(g) < 0 ? 'below' : 'not distinguishable from';
    return (
      `- **${ALGO_LABEL[a]}**: at the last evaluation its Q estimate is ${fmt(mean(s.final[a].q))} against a soft Monte Carlo ` +
      `return of ${fmt(mean(s.final[a].mc))}: a gap of ${fmt(mean(g))} ± ${fmt(ci95(g))} (95% CI, n=${g.length}), ` +
      `${side} the return it stands for (the gap is ${fmt(100 * rel, 2)}% of the return's size).`
    );
  };
  const p = paired(s.final.mbpo.gap, s.final.mnm.gap);
  const closer =
    p.diff - p.ci > 0
      ? "MnM-approx's critic stays closer to its return than MBPO's"
      : p.diff + p.ci < 0
        ? "MBPO's critic stays closer to its return than MnM-approx's"
        : 'the two gaps are not distinguishable';
  const c = e7Claims(s)[0];
  const lines = [
    line('mbpo'),
    line('mnm'),
    `- Gap of MBPO minus gap of MnM-approx, paired by seed: ${fmt(p.diff)} ± ${fmt(p.ci)} (95% CI): ${closer} at this scale.`,
    `- The paper's claim (MBPO far above its returns, MnM-approx close) ${verdictText(c)}.`,
  ];
  const mb = s.final.mbpo.gap;
  if (!mbpoFarAbove(s) && mean(mb) - ci95(mb) > 0)
    lines.push(
      "- MBPO's critic does sit above its return, but MnM-approx's gap is not clearly smaller, so the paper's contrast does not show. E8 below looks at the mechanism the paper proposes: where the model is wrong, and whether the policy goes there.",
    );
  else if (!mbpoFarAbove(s))
    lines.push(
      "- MBPO's drift does not appear here. E8 below looks at the mechanism the paper proposes instead: where the model is wrong, and whether the policy goes there.",
    );
  return lines.join('\n');
}

/** The figures E7's report draws: what a notebook may ask for (`rep.figures.<key>`). */
export type E7Figure = FigureOf<typeof report>;
