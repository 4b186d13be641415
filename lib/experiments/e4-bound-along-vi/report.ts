/** E4's report over the seeds run.ts computes: its summary, tables, figures and claims, and what its notebook shows. */
import pl from 'nodejs-polars';
import { claim, verdictOf } from '../../claims';
import type { FigureOf, Claim, Report, SeedResult } from '../../experiment';
import { numberIn, only, namedFigures } from '../../experiment';
import { objectivesAlongVISpec, type SeriesRow } from '../../plot/lower-bound';
import { fmt } from '../../stats';
import { paperFig3bReport } from './paper-report';
import { reportWithSettings } from '../settings';
import { ID, e4Grid, type AlongRow, type E4Tables } from './run';

type Quantity = Exclude<keyof AlongRow, 'run'>;

const RUN_LABEL: Record<AlongRow['run'], string> = { mnm: 'MnM value iteration', vmbpo: 'VMBPO value iteration' };

export type E4Run = AlongRow['run'];

/** What E4's tables, figures and claims read: the evaluated sweeps of each run, keyed by run id. */
export interface E4Summary {
  rows: AlongRow[];
  runs: Record<E4Run, AlongRow[]>;
}

export function summariseE4(results: SeedResult<E4Tables>[]): E4Summary {
  const rows = results[0].tables.along; // deterministic: every seed is the same run
  return { rows, runs: { mnm: rows.filter((r) => r.run === 'mnm'), vmbpo: rows.filter((r) => r.run === 'vmbpo') } };
}

const EPS = 1e-9; // exact computations: allow rounding only
const maxOf = (rs: AlongRow[], f: (r: AlongRow) => number) => rs.reduce((m, r) => Math.max(m, f(r)), -Infinity);
const minOf = (rs: AlongRow[], f: (r: AlongRow) => number) => rs.reduce((m, r) => Math.min(m, f(r)), Infinity);
const lastOf = (rs: AlongRow[]) => only(rs.slice(-1), 'E4: the last sweep');

function e4Claims(s: E4Summary): Claim[] {
  const { mnm: mnmRun, vmbpo: vmRun } = s.runs;
  const mnmGap = maxOf(mnmRun, (r) => r.mnm_objective - r.log_J);
  const bestGap = maxOf(mnmRun, (r) => r.mnm_best_model - r.log_J);
  const vmOwn = minOf(vmRun, (r) => r.vmbpo_objective - r.J);
  const vmBest = minOf([...vmRun, ...mnmRun], (r) => r.vmbpo_best_model - r.J);
  const below = vmRun.filter((r) => r.vmbpo_objective < r.J - EPS);
  const chainBroken = mnmRun.filter((r) => !(r.mnm_objective <= r.log_J + EPS && r.log_J <= r.J && r.J <= r.vmbpo_best_model + EPS));
  const fin = lastOf(mnmRun);
  const finV = lastOf(vmRun);
  const identity = Math.abs(fin.mnm_objective - fin.value_estimate);
  return [
    claim({
      id: 'E4.mnm-below-log-return',
      experiment: ID,
      claim: 'Along MnM value iteration, the MnM objective L(π_k, q_k) (Eq. 3) stays at or below log J(π_k) at every sweep',
      paper: 'Fig. 3b: "the MnM objective is always a lower bound on the (log) expected return"',
      holds: mnmGap <= EPS && bestGap <= EPS,
      measured:
        `${mnmRun.length} sweeps evaluated (of ${fin.iteration}): max of L − log J = ${fmt(mnmGap, 4)}; ` +
        `with the best model for each π_k, max of max_q L − log J = ${fmt(bestGap, 4)}; final L = ${fmt(fin.mnm_objective, 5)}, log J = ${fmt(fin.log_J, 5)}`,
    }),
    claim({
      id: 'E4.vmbpo-above-return',
      experiment: ID,
      claim: 'Along VMBPO value iteration, the VMBPO objective L_VMBPO(π_k, q_k) is at or above J(π_k) (and so above log J) at every sweep',
      paper: 'Fig. 3b: "the VMBPO objective overestimates the expected return"',
      holds: below.length === 0,
      measured:
        `${vmRun.length} sweeps evaluated: min of L_VMBPO − J = ${fmt(vmOwn, 4)} (${below.length} sweeps below J${below.length ? `, e.g. sweep ${below[0].iteration}` : ''}); ` +
        `final L_VMBPO = ${fmt(finV.vmbpo_objective, 5)}, J = ${fmt(finV.J, 5)}; ` +
        `with the best model for each policy (both runs), min of max_q L_VMBPO − J = ${fmt(vmBest, 4)}`,
    }),
    claim({
      id: 'E4.ordering-same-policy',
      experiment: ID,
      claim: 'For each policy of MnM value iteration: MnM objective ≤ log J ≤ J ≤ VMBPO objective (at its best model)',
      paper: 'Fig. 3b and App. B.1 (VMBPO maximises an upper bound)',
      holds: chainBroken.length === 0,
      measured: `${mnmRun.length - chainBroken.length}/${mnmRun.length} sweeps in order; final: ${fmt(fin.mnm_objective, 4)} ≤ ${fmt(fin.log_J, 4)} ≤ ${fmt(fin.J, 4)} ≤ ${fmt(fin.vmbpo_best_model, 4)}`,
    }),
    claim({
      id: 'E4.value-is-bound-at-optimum',
      experiment: ID,
      claim: 'At the MnM fixed point the value p0·V* equals the bound L(π*, q*) it certifies',
      paper: 'docs/MATH.md: "At the MnM fixed point, L(π*, q*) = p0·V*"',
      holds: identity < 1e-8,
      measured: `|L(π*, q*) − p0·V*| = ${fmt(identity, 3)} (p0·V* = ${fmt(fin.value_estimate, 6)})`,
    }),
  ];
}

function e4Figures(s: E4Summary) {
  const series: [Quantity, string][] = [
    ['J', 'J(π) (true return)'],
    ['vmbpo_objective', 'VMBPO objective L_VMBPO(π, q)'],
    ['log_J', 'log J(π)'],
    ['mnm_objective', 'MnM objective L(π, q), Eq. 3'],
  ];
  const plotRows: SeriesRow[] = [];
  for (const r of s.rows)
    for (const [k, label] of series) plotRows.push({ run: RUN_LABEL[r.run], iteration: r.iteration, series: label, value: r[k] });
  const fin = lastOf(s.runs.mnm);
  const finV = lastOf(s.runs.vmbpo);
  const fig = objectivesAlongVISpec(
    plotRows,
    Object.values(RUN_LABEL),
    series.map((x) => x[1]),
    {
      title: 'E4: objectives of the greedy policy π_k and model q_k along exact value iteration on the E1 grid',
      subtitle:
        'Paper (Fig. 3b): the MnM objective stays below log J, the VMBPO objective above J · Here, at the last sweep: ' +
        `MnM run L ${fmt(fin.mnm_objective, 4)} ≤ log J ${fmt(fin.log_J, 4)}; VMBPO run L_VMBPO ${fmt(finV.vmbpo_objective, 4)} against J ${fmt(finV.J, 4)}`,
      caption: 'In each panel, follow the MnM objective (lowest line) under log J, and the VMBPO objective above J.',
    },
  );
  return namedFigures({ objectives_along_vi: fig });
}

function projectReport(results: SeedResult<E4Tables>[]) {
  const s = summariseE4(results);
  return { tables: { along: pl.DataFrame(s.rows) }, figures: e4Figures(s), claims: e4Claims(s) };
}

/** The first sweep, sweep 20 and the last of each run, with the objectives compared. */
export function keySweeps(rep: Pick<Report, 'tables'>): pl.DataFrame {
  const along = rep.tables.along;
  if (!along) throw new Error('keySweeps: the report has no along table');
  const picks = (['mnm', 'vmbpo'] as const).map((run) => {
    const d = along.filter(pl.col('run').eq(pl.lit(run)));
    return pl.concat([d.head(1), d.filter(pl.col('iteration').eq(pl.lit(20))), d.tail(1)]);
  });
  return pl
    .concat(picks)
    .select('run', 'iteration', 'mnm_objective', 'log_J', 'J', 'vmbpo_objective', 'vmbpo_best_model', 'mnm_gamma_objective');
}

/** A number of E4's `along` table: run, sweep (first, a middle one, last) and column. */
function alongValue(rep: Pick<Report, 'tables'>, run: E4Run, which: 'first' | 'last', column: Quantity): number {
  const rows = (rep.tables.along?.toRecords() ?? []).filter((r) => r.run === run);
  const row = which === 'first' ? rows[0] : rows.at(-1);
  if (!row) throw new Error(`describeE4: no ${which} sweep of the ${run} run in the along table`);
  return numberIn(row, column);
}

/** What E4's run shows, in markdown: the bound at the first sweep, at the end of MnM's run, and VMBPO's overestimate. */
export function describeE4(rep: Pick<Report, 'claims' | 'tables'>): string {
  const gamma = e4Grid().mdp.gamma;
  const a = (run: E4Run, which: 'first' | 'last', column: Quantity) => alongValue(rep, run, which, column);
  const J1 = a('mnm', 'first', 'J');
  const logJ1 = a('mnm', 'first', 'log_J');
  const L1 = a('mnm', 'first', 'mnm_objective');
  const v = (id: string) => verdictOf(rep.claims, id);
  return [
    `**Sweep 1.** Q is the same for every action ($V = 0$), so the greedy policy takes action 0 (up) everywhere; pushing up against the top ` +
      `wall it practically never reaches the goal and earns 0.01 per step: $J = ${fmt(J1, 6)}$ ($0.01/(1-\\gamma) = ${fmt(0.01 / (1 - gamma), 6)}$), ` +
      `$\\log J = ${fmt(logJ1, 6)}$. The model of that sweep is $q = p$ ($V = 0$), so the KL term vanishes and the reward is (almost surely) ` +
      `constant: $L = ${fmt(L1, 6)}$, below $\\log J$ by only ${fmt(logJ1 - L1, 2)}. The bound is tight where Jensen has nothing to average.`,
    '',
    `**The end of MnM's run.** $L(\\pi^*, q^*) = ${fmt(a('mnm', 'last', 'mnm_objective'), 4)} \\le \\log J(\\pi^*) = ${fmt(a('mnm', 'last', 'log_J'), 4)} ` +
      `\\le J(\\pi^*) = ${fmt(a('mnm', 'last', 'J'), 4)}$. The gap of ${fmt(a('mnm', 'last', 'log_J') - a('mnm', 'last', 'mnm_objective'), 3)} is ` +
      "Jensen's inequality twice: it averages $\\log r$ over time (0.01 for the first steps, 1 at the goal) and over the noise. The " +
      `γ-weighted variant (weight γ on $\\log p/q$) is a little tighter: ${fmt(a('mnm', 'last', 'mnm_gamma_objective'), 4)}. ` +
      `The claim that the bound stays below $\\log J$ at every sweep ${v('E4.mnm-below-log-return')}.`,
    '',
    `**VMBPO's run** ends at $L_{\\text{VMBPO}} = ${fmt(a('vmbpo', 'last', 'vmbpo_objective'), 4)}$ against a true return of ` +
      `$J = ${fmt(a('vmbpo', 'last', 'J'), 4)}$: it overestimates the return of its own policy (the claim ${v('E4.vmbpo-above-return')}), ` +
      'because its model tilts the noise toward the goal and pays for it only with a KL in raw reward units.',
  ].join('\n');
}

/** The report: the paper setting's tables, figures and claims (paper-report.ts), then the project setting's. */
export const report = reportWithSettings(projectReport, paperFig3bReport);

/** The figures E4's report draws: what a notebook may ask for (`rep.figures.<key>`). */
export type E4Figure = FigureOf<typeof report>;
