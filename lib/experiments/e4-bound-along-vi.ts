/**
 * E4 (Fig. 3b): the objectives along exact value iteration on the E1 grid (data/e1-open-10x10.txt).
 *
 * Two runs from V = 0: MnM value iteration and VMBPO value iteration. At sweep k each run has a greedy policy
 * π_k (argmax of the Q it just computed from V_{k−1}) and the model that sweep maximised over,
 * q_k ∝ p·exp(γ V_{k−1}). For each (π_k, q_k) we compute exactly: the run's own objective
 * (L_MnM(π_k, q_k) with the paper's Eq. 3, or L_VMBPO(π_k, q_k)), the true return J(π_k) and log J(π_k),
 * and, for the same policy, the best value either objective can reach over all models
 * (max_q L_MnM(π_k, q) and max_q L_VMBPO(π_k, q)). Deterministic: one run per scale.
 */
import pl from 'nodejs-polars';
import { claim, verdictOf } from '../claims';
import { rules } from '../config';
import type { Claim, Experiment, Report, Scale, SeedContext, SeedResult } from '../experiment';
import { numberIn, only } from '../experiment';
import { objectivesAlongVISpec, type SeriesRow } from '../plot/lower-bound';
import { fmt } from '../stats';
import { dot } from '../tabular/evaluate';
import { makeGridworld, type Gridworld } from '../tabular/gridworld';
import { dataMap, loadGridMap } from '../tabular/map-files';
import {
  bestModelValue,
  greedyPolicy,
  mnmObjective,
  optimisticModel,
  policyReturn,
  valueIteration,
  vmbpoObjective,
} from '../tabular/solve';
import { paperFig3b } from './paper-fig3b';
import { withSettings } from './settings';

const ID = 'e4-bound-along-vi';

export function e4Grid(): Gridworld {
  // dataMap finds data/ from this file's real location, so notebooks (lib/ through a symlink) work too.
  return makeGridworld(loadGridMap(dataMap('e1-open-10x10.txt')));
}

/** E4's parameter: which sweeps are evaluated (the first 10, then every `recordEvery`-th, and the last). */
export interface E4Config {
  recordEvery: number;
}

export const E4_CONFIG = {
  // Every sweep, except at smoke scale.
  defaults: (scale: Scale): E4Config => ({ recordEvery: scale === 'smoke' ? 10 : 1 }),
  rules: { recordEvery: rules.intAtLeast(1) },
};

function recorded(recordEvery: number, it: number): boolean {
  return it <= 10 || it % recordEvery === 0;
}

const TOL = 1e-10;

/** One evaluated sweep of one value-iteration run. */
export type AlongRow = {
  run: 'mnm' | 'vmbpo';
  iteration: number;
  change: number;
  value_estimate: number;
  mnm_objective: number;
  mnm_gamma_objective: number;
  vmbpo_objective: number;
  J: number;
  log_J: number;
  mnm_best_model: number;
  vmbpo_best_model: number;
};
type Quantity = Exclude<keyof AlongRow, 'run'>;
type E4Tables = { along: AlongRow[] };

/** Runs one value iteration and evaluates every objective at the recorded sweeps (always including the last). */
export function objectivesAlongVI(
  g: Gridworld,
  backup: 'mnm' | 'vmbpo',
  recordEvery: number,
  progress?: (sweep: number) => void,
): AlongRow[] {
  const { mdp } = g;
  const rows: AlongRow[] = [];
  let prev = new Float64Array(mdp.S); // V_{k−1}; the first sweep starts from 0
  valueIteration(mdp, backup, {
    tol: TOL,
    onSweep: (it, V, Q, change) => {
      if (recorded(recordEvery, it) || change < TOL) {
        const pi = greedyPolicy(Q, mdp.S, mdp.A);
        const q = optimisticModel(mdp, prev);
        const J = policyReturn(mdp, pi);
        rows.push({
          run: backup,
          iteration: it,
          change,
          // p0·V_k: the run's own value estimate after sweep k
          value_estimate: dot(mdp.p0, V),
          mnm_objective: mnmObjective(mdp, pi, q),
          mnm_gamma_objective: mnmObjective(mdp, pi, q, { variant: 'gamma-weighted' }),
          vmbpo_objective: vmbpoObjective(mdp, pi, q),
          J,
          log_J: Math.log(J),
          mnm_best_model: dot(mdp.p0, bestModelValue(mdp, pi, 'mnm')),
          vmbpo_best_model: dot(mdp.p0, bestModelValue(mdp, pi, 'vmbpo')),
        });
      }
      prev = V.slice();
      progress?.(it);
    },
  });
  return rows;
}

function runSeed(ctx: SeedContext<E4Config>): SeedResult<E4Tables> {
  const g = e4Grid();
  const along: AlongRow[] = [];
  for (const backup of ['mnm', 'vmbpo'] as const) {
    along.push(...objectivesAlongVI(g, backup, ctx.config.recordEvery, (it) => ctx.progress(it, 900, backup)));
  }
  return { tables: { along } };
}

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

function e4Figures(s: E4Summary): Report['figures'] {
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
  return { objectives_along_vi: fig };
}

function report(results: SeedResult<E4Tables>[]): Report {
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

/** The experiment under the project's settings; `e4BoundAlongVI` adds the paper's (lib/experiments/settings.ts). */
const e4Project: Experiment<E4Config, E4Tables> = {
  id: ID,
  title: 'The lower bound along value iteration',
  paper: 'Fig. 3b',
  reproduces: 'MnM objective ≤ log J ≤ VMBPO objective (and VMBPO ≥ J) at every value-iteration sweep on the E1 grid',
  notebook: 'notebooks/04-lower-bound.ipynb',
  seeds: { smoke: 1, quick: 1, paper: 1 },
  config: E4_CONFIG,
  runSeed,
  report,
};

export const e4BoundAlongVI = withSettings(e4Project, paperFig3b);
