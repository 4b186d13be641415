/**
 * E7 (paper Fig. 7a): Q-value stability. SAC trained on MBPO's likelihood-model rollouts against SAC trained
 * on MnM-approx's model rollouts, on the point maze (a wall a learned model can let the agent pass through).
 * At every evaluation: the agent's mean Q estimate min(Q1, Q2)(s_t, a_t) on the states and actions of its own
 * evaluation episodes, and the Monte Carlo discounted return from those same steps (continued past the time
 * limit). The paper: MBPO's Q values grow far above the true returns (model exploitation), MnM-approx's
 * stay close.
 */
import pl from 'nodejs-polars';
import { claim, markInconclusive } from '../claims';
import { NO_CONFIG, type NoConfig } from '../config';
import type { Experiment, Report, SeedContext, SeedResult, ReportContext } from '../experiment';
import { gather } from '../experiment';
import { learningCurveSpec } from '../plot/learning-curve';
import { bands, fmt, fmtSummary, mean, std } from '../stats';
import { ALGO_LABEL, type Algo, deepRun, finalRows, type Task } from './deep-runs';
import { deepInconclusive, randomLevelRows, type RandomLevelRow, sanityRows, type SanityRow } from './deep-sanity';

export const E7_TASK: Task = 'point-maze';
const ALGOS: Algo[] = ['mbpo', 'mnm'];

export type QRow = {
  seed: number;
  algo: Algo;
  step: number;
  q_estimate: number;
  mc_return: number;
  mc_task_return: number;
  eval_return: number;
  backend: string;
};

type E7Tables = { q_values: QRow[]; sanity: SanityRow[]; random_level: RandomLevelRow[] };

async function runSeed(ctx: SeedContext): Promise<SeedResult<E7Tables>> {
  const rows: QRow[] = [];
  for (const [i, algo] of ALGOS.entries()) {
    const run = await deepRun({ task: E7_TASK, algo, scale: ctx.scale, seed: ctx.seed }, (done, total, note) =>
      ctx.progress(i * total + done, ALGOS.length * total, `${ALGO_LABEL[algo]} ${note ?? ''}`.trim()),
    );
    for (const r of run) {
      rows.push({
        seed: ctx.seed,
        algo,
        step: r.step,
        q_estimate: r.q_estimate,
        mc_return: r.mc_return,
        mc_task_return: r.mc_task_return,
        eval_return: r.eval_return,
        backend: r.backend,
      });
    }
  }
  // Pendulum SAC and MBPO (shared with E10): the sanity bars that decide whether this scale can answer.
  return { tables: { q_values: rows, sanity: await sanityRows(ctx), random_level: await randomLevelRows(ctx, [E7_TASK]) } };
}

/** Final Q − MC gap per seed for one algorithm. */
export function finalGaps(rows: QRow[], algo: Algo): { gap: number[]; q: number[]; mc: number[] } {
  const fin = finalRows(
    rows.filter((r) => r.algo === algo),
    (r) => r.algo,
  );
  return { gap: fin.map((r) => r.q_estimate - r.mc_return), q: fin.map((r) => r.q_estimate), mc: fin.map((r) => r.mc_return) };
}

function report(results: SeedResult<E7Tables>[], { scale }: ReportContext): Report {
  const rows = gather(results, 'q_values');
  const long = rows.flatMap((r) => [
    { ...r, quantity: 'Q estimate', value: r.q_estimate },
    { ...r, quantity: 'Monte Carlo return', value: r.mc_return },
  ]);
  const curve = bands(
    long.map((r) => ({ method: `${ALGO_LABEL[r.algo]}: ${r.quantity}`, x: r.step, value: r.value })),
    'std',
  );
  const order = ALGOS.flatMap((a) => [`${ALGO_LABEL[a]}: Q estimate`, `${ALGO_LABEL[a]}: Monte Carlo return`]);
  const fig = learningCurveSpec(curve, {
    title: `E7: Q estimate vs Monte Carlo return on ${E7_TASK} (${scale}; mean ± std over ${results.length} seeds)`,
    xTitle: 'env steps',
    yTitle: 'discounted return',
    order,
  });

  const mb = finalGaps(rows, 'mbpo');
  const mn = finalGaps(rows, 'mnm');
  const pooled = Math.sqrt((std(mb.gap) ** 2 + std(mn.gap) ** 2) / 2);
  const mcScale = mean([...mb.mc, ...mn.mc].map(Math.abs));
  // Decided before looking at results: "far above" = MBPO's final gap exceeds MnM-approx's by more than the
  // pooled std over seeds AND is more than 25% of the size of the Monte Carlo return.
  const holds = mean(mb.gap) > mean(mn.gap) + pooled && mean(mb.gap) > 0.25 * mcScale;
  const agents = ALGOS.map((a) => ({
    task: E7_TASK,
    agent: ALGO_LABEL[a],
    returns: finalRows(
      rows.filter((r) => r.algo === a),
      (r) => r.algo,
    ).map((r) => r.eval_return),
  }));
  const claims = markInconclusive(
    [
      claim({
        id: 'E7.mbpo-q-overestimates',
        experiment: 'e7-q-value-stability',
        claim:
          "MBPO's final Q estimate lies far above the Monte Carlo return of its policy, MnM-approx's stays close (gap MBPO > gap MnM-approx + pooled std, and > 25% of |MC return|)",
        paper: 'Fig. 7a: "The very large Q values of MBPO suggest model exploitation, which our method appears to avoid."',
        holds,
        measured: `final Q − MC: MBPO ${fmtSummary(mb.gap)}, MnM-approx ${fmtSummary(mn.gap)} (pooled std ${fmt(pooled)}); mean |MC| ${fmt(mcScale)}; ${scale} scale`,
      }),
    ],
    deepInconclusive(results.length, gather(results, 'sanity'), gather(results, 'random_level'), agents),
  );
  const finals = pl.DataFrame(
    ALGOS.map((a) => {
      const g = finalGaps(rows, a);
      return {
        algo: ALGO_LABEL[a],
        seeds: g.gap.length,
        q_final_mean: mean(g.q),
        mc_final_mean: mean(g.mc),
        gap_mean: mean(g.gap),
        gap_std: std(g.gap),
      };
    }),
  );
  return { tables: { q_values: pl.DataFrame(rows), final_gap: finals }, figures: { q_vs_mc: fig }, claims };
}

export const e7QValueStability: Experiment<NoConfig, E7Tables> = {
  id: 'e7-q-value-stability',
  title: 'Q-value stability: MBPO vs MnM-approx',
  paper: 'Fig. 7a',
  reproduces: "Q estimates vs Monte Carlo returns over training: MBPO's drift above, MnM-approx's stay close",
  notebook: 'notebooks/05-q-value-stability.ipynb',
  seeds: { smoke: 2, quick: 3, paper: 5 },
  config: NO_CONFIG,
  runSeed,
  report,
};
