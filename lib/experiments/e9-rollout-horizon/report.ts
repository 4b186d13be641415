/** E9's report over the seeds run.ts computes: its summary, tables, figures and claims, and what its notebook shows. */
import pl from 'nodejs-polars';
import { claim, markInconclusive, verdictText } from '../../claims';
import type { FigureOf, Claim, ReportContext, Scale, SeedResult } from '../../experiment';
import { gather, namedFigures } from '../../experiment';
import { finalReturnsSpec } from '../../plot/final-returns';
import { ci95, fmt, fmtSummary, mean, std } from '../../stats';
import { finalRows } from '../deep-runs';
import { deepInconclusive } from '../deep-sanity';
import { HORIZONS, TASK, type HRow, type E9Config, type E9Tables } from './run';

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

/** What report() and describeE9 read, computed once. */
export interface E9Summary {
  scale: Scale;
  seeds: number;
  horizons: number[];
  rows: HRow[];
  /** The last evaluation of each (seed, k) run. */
  last: HRow[];
  /** Final evaluation return of each seed, per horizon k (seed order). */
  finals: Map<number, number[]>;
  /** Least-squares slope of final return on k over all seeds. */
  slope: number;
  inconclusive: string | null;
}

export function summariseE9(results: SeedResult<E9Tables>[], scale: Scale, horizons: number[]): E9Summary {
  const rows = gather(results, 'horizon_returns');
  const fin = finalRows(rows, (r) => String(r.horizon)).sort((a, b) => a.seed - b.seed);
  const finals = new Map(horizons.map((h) => [h, fin.filter((r) => r.horizon === h).map((r) => r.eval_return)]));
  const inconclusive = deepInconclusive(
    results.length,
    gather(results, 'sanity'),
    gather(results, 'random_level'),
    horizons.map((h) => ({ task: TASK, agent: `MnM-approx k=${h}`, returns: finals.get(h) ?? [] })),
  );
  const b = slope(
    fin.map((r) => r.horizon),
    fin.map((r) => r.eval_return),
  );
  return { scale, seeds: results.length, horizons, rows, last: fin, finals, slope: b, inconclusive };
}

const by = (s: E9Summary, h: number) => s.finals.get(h) ?? [];

// Decided before looking: "degrades" = negative least-squares slope of final return on k (all seeds) and
// the mean at the longest horizon below the mean at the shortest by more than the larger of their stds.
function degrades(s: E9Summary): boolean {
  const [first, last] = [by(s, s.horizons[0]), by(s, s.horizons[s.horizons.length - 1])];
  return s.slope < 0 && mean(first) - mean(last) > Math.max(std(first), std(last));
}

function summaryRows(s: E9Summary) {
  return s.horizons.map((h) => ({
    panel: `MnM-approx on ${TASK}`,
    x: `k=${h}`,
    mean: mean(by(s, h)),
    lo: mean(by(s, h)) - std(by(s, h)),
    hi: mean(by(s, h)) + std(by(s, h)),
  }));
}

function e9Figures(s: E9Summary) {
  const points = s.last.map((r) => ({ panel: `MnM-approx on ${TASK}`, x: `k=${r.horizon}`, seed: r.seed, value: r.eval_return }));
  const fig = finalReturnsSpec(points, summaryRows(s), {
    title: `E9: final return vs model rollout horizon (${s.scale}; ${s.seeds} seeds)`,
    subtitle: `Paper (App. C, Fig. 12): performance degrades roughly linearly as k grows · Here: slope ${fmt(s.slope)} per step of k; ${s.horizons.map((h) => `k=${h} ${fmt(mean(by(s, h)))}`).join(', ')}`,
    caption: 'One dot per seed, the mean with ±1 std: look whether the means fall from left to right by more than the dots scatter.',
    xTitle: 'rollout horizon',
    yTitle: 'final evaluation return',
    order: s.horizons.map((h) => `k=${h}`),
  });
  return namedFigures({ horizon: fig });
}

function e9Claims(s: E9Summary): Claim[] {
  return markInconclusive(
    [
      claim({
        id: 'E9.return-degrades-with-horizon',
        experiment: 'e9-rollout-horizon',
        claim:
          'The final return of MnM-approx falls as the model rollout horizon grows from 1 to 10 (negative slope, and k=10 below k=1 by more than the spread)',
        paper: 'App. C, Fig. 12: "performance degrades linearly as we increase this value"',
        holds: degrades(s),
        measured:
          s.horizons.map((h) => `k=${h}: ${fmtSummary(by(s, h), 3)}`).join('; ') +
          `; slope ${fmt(s.slope)} per step of k; ${s.scale} scale`,
      }),
    ],
    s.inconclusive,
  );
}

export function report(results: SeedResult<E9Tables>[], { scale, config }: ReportContext<E9Config>) {
  const s = summariseE9(results, scale, config.horizons);
  return {
    tables: { horizon_returns: pl.DataFrame(s.rows), horizon_final: pl.DataFrame(summaryRows(s)) },
    figures: e9Figures(s),
    claims: e9Claims(s),
  };
}

/** E9 in words: the mean final return per horizon, the slope, and whether the differences stand out from the spread. */
export function describeE9(results: SeedResult<E9Tables>[], scale: Scale, horizons: number[] = [...HORIZONS]): string {
  const s = summariseE9(results, scale, horizons);
  const means = s.horizons.map((h) => ({ h, m: mean(by(s, h)), ci: ci95(by(s, h)) }));
  const best = means.reduce((a, b) => (b.m > a.m ? b : a));
  const span = Math.max(...means.map((x) => x.m)) - Math.min(...means.map((x) => x.m));
  return [
    `- Mean final return by rollout horizon (± 95% CI over ${s.seeds} seeds): ${means.map((x) => `k=${x.h}: ${fmt(x.m)} ± ${fmt(x.ci)}`).join(', ')}; the best is k=${best.h}.`,
    `- Least-squares slope over all seeds: ${fmt(s.slope)} return per extra model step; the means span ${fmt(span)}, the widest 95% interval is ±${fmt(Math.max(...means.map((x) => x.ci)))}.`,
    `- The paper's finding (return falls as k grows) ${verdictText(e9Claims(s)[0])}.`,
  ].join('\n');
}

/** The figures E9's report draws: what a notebook may ask for (`rep.figures.<key>`). */
export type E9Figure = FigureOf<typeof report>;
