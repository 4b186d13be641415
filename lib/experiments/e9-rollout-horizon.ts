/**
 * E9 (paper Fig. 12): the model rollout horizon k. MnM-approx on the point maze with k = 1, 3, 5, 10 model
 * steps per rollout (everything else fixed); the final evaluation return of each. The paper (App. C) finds
 * that performance degrades, roughly linearly, as the horizon grows. k = 1 is the run E10 uses.
 */
import pl from 'nodejs-polars';
import { claim, markInconclusive } from '../claims';
import { rules } from '../config';
import type { Experiment, Report, ReportContext, SeedContext, SeedResult } from '../experiment';
import { gather } from '../experiment';
import { finalReturnsSpec } from '../plot/final-returns';
import { fmt, fmtSummary, mean, std } from '../stats';
import { deepRun, finalRows, type Task } from './deep-runs';
import { deepInconclusive, randomLevelRows, type RandomLevelRow, sanityRows, type SanityRow } from './deep-sanity';

export const HORIZONS = [1, 3, 5, 10];
const TASK: Task = 'point-maze';

type HRow = {
  seed: number;
  horizon: number;
  step: number;
  eval_return: number;
};

/** E9's parameter: the rollout horizons compared (the claim compares the first with the last). */
export interface E9Config {
  horizons: number[];
}

export const E9_CONFIG = {
  defaults: (): E9Config => ({ horizons: [...HORIZONS] }),
  rules: {
    horizons: (ks: number[]) => rules.everyOf(rules.intAtLeast(1))(ks) ?? (ks.length < 2 ? 'must hold at least 2 horizons' : null),
  },
};

type E9Tables = { horizon_returns: HRow[]; sanity: SanityRow[]; random_level: RandomLevelRow[] };

async function runSeed(ctx: SeedContext<E9Config>): Promise<SeedResult<E9Tables>> {
  const { horizons } = ctx.config;
  const rows: HRow[] = [];
  for (const [i, horizon] of horizons.entries()) {
    const run = await deepRun({ task: TASK, algo: 'mnm', scale: ctx.scale, seed: ctx.seed, horizon }, (done, total, note) =>
      ctx.progress(i * total + done, horizons.length * total, `k=${horizon} ${note ?? ''}`.trim()),
    );
    for (const r of run) rows.push({ seed: ctx.seed, horizon, step: r.step, eval_return: r.eval_return });
  }
  // Pendulum SAC and MBPO (shared with E10): the sanity bars that decide whether this scale can answer.
  return { tables: { horizon_returns: rows, sanity: await sanityRows(ctx), random_level: await randomLevelRows(ctx, [TASK]) } };
}

/** Least-squares slope of y on x. */
function slope(x: number[], y: number[]): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxy / sxx;
}

function report(results: SeedResult<E9Tables>[], { scale, config }: ReportContext<E9Config>): Report {
  const { horizons } = config;
  const [first, last] = [horizons[0], horizons[horizons.length - 1]];
  const rows = gather(results, 'horizon_returns');
  const fin = finalRows(rows, (r) => String(r.horizon));
  const by = (h: number) => fin.filter((r) => r.horizon === h).map((r) => r.eval_return);
  const summary = horizons.map((h) => ({
    panel: `MnM-approx on ${TASK}`,
    x: `k=${h}`,
    mean: mean(by(h)),
    lo: mean(by(h)) - std(by(h)),
    hi: mean(by(h)) + std(by(h)),
  }));
  const fig = finalReturnsSpec(
    fin.map((r) => ({ panel: `MnM-approx on ${TASK}`, x: `k=${r.horizon}`, seed: r.seed, value: r.eval_return })),
    summary,
    {
      title: `E9: final return vs model rollout horizon (${scale}; ${results.length} seeds)`,
      xTitle: 'rollout horizon',
      yTitle: 'final evaluation return',
      order: horizons.map((h) => `k=${h}`),
    },
  );
  const b = slope(
    fin.map((r) => r.horizon),
    fin.map((r) => r.eval_return),
  );
  // Decided before looking: "degrades" = negative least-squares slope of final return on k (all seeds) and
  // the mean at the longest horizon (k = 10) below the mean at the shortest (k = 1) by more than the larger of their stds.
  const drop = mean(by(first)) - mean(by(last));
  const holds = b < 0 && drop > Math.max(std(by(first)), std(by(last)));
  const claims = markInconclusive(
    [
      claim({
        id: 'E9.return-degrades-with-horizon',
        experiment: 'e9-rollout-horizon',
        claim:
          'The final return of MnM-approx falls as the model rollout horizon grows from 1 to 10 (negative slope, and k=10 below k=1 by more than the spread)',
        paper: 'App. C, Fig. 12: "performance degrades linearly as we increase this value"',
        holds,
        measured: horizons.map((h) => `k=${h}: ${fmtSummary(by(h), 3)}`).join('; ') + `; slope ${fmt(b)} per step of k; ${scale} scale`,
      }),
    ],
    deepInconclusive(
      results.length,
      gather(results, 'sanity'),
      gather(results, 'random_level'),
      horizons.map((h) => ({ task: TASK, agent: `MnM-approx k=${h}`, returns: by(h) })),
    ),
  );
  return { tables: { horizon_returns: pl.DataFrame(rows), horizon_final: pl.DataFrame(summary) }, figures: { horizon: fig }, claims };
}

export const e9RolloutHorizon: Experiment<E9Config, E9Tables> = {
  id: 'e9-rollout-horizon',
  title: 'Return vs model rollout horizon (MnM-approx)',
  paper: 'Fig. 12',
  reproduces: 'final return of MnM-approx for model rollout horizons 1, 3, 5, 10',
  notebook: 'notebooks/07-deep-comparison.ipynb',
  seeds: { smoke: 1, quick: 2, paper: 5 },
  config: E9_CONFIG,
  runSeed,
  report,
};
