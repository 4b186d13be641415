/**
 * Sanity bars of the deep experiments: whether, at the scale that ran, the agents learn well enough for
 * E7–E10 to say anything. Fixed before any result of the new agents was seen (docs/EXPERIMENTS.md):
 *   1. model-free SAC (the G-matched control) reaches the public Pendulum-v1 band: mean final return over the
 *      seeds ≥ −200;
 *   2. MBPO gets there in fewer env steps than standard SAC (one update per env step, as MBPO's paper compared),
 *      paired by seed: each seed's first evaluation with a return ≥ −200, and the 95% paired interval of (standard
 *      SAC − MBPO) above 0; a run that never gets there counts at its budget plus one evaluation interval
 *      (pre-registered for E10's second run, docs/EXPERIMENTS.md; before it, the mean curve's first evaluation);
 *   3. on each experiment's own task, the G-matched SAC's critic tracks its return: the mean over the seeds of
 *      |Q − G_soft| at the final evaluation is at most 5% of the task's value range D (VALUE_RANGE), so E7's
 *      gap measures model exploitation, not lag or a critic that has not caught up.
 * The runs are those E10 trains (memoised and cached, so asking again costs nothing). E10 reports the bars as
 * claims. When bar 1 or 2 fails, every E9–E10 verdict at that scale is inconclusive. Bar 3 is about critics and no
 * verdict depends on it: E9's and E10's claims are about returns, and E7's critic-gap claims have their own gates.
 */
import { MAZE_VALUE_RANGE } from '../deep/value-range';
import { makeEnv, prepareEnv } from '../envs/index';
import type { SeedContext } from '../experiment';
import { Rng } from '../rng';
import { fmt, fmtInterval, mean, pairedInterval, std } from '../stats';
import { budgetTau, type DeepSettings, deepRun, taskSettings, type Task } from './deep-runs';

/** The public SAC band on Pendulum-v1 (returns of about −150 to −200). */
export const PENDULUM_BAND = -200;
/** How close SAC's final Q estimate must be to its soft Monte Carlo return: this fraction of the task's value range D. */
export const CRITIC_TOLERANCE = 0.05;

/**
 * The value range D of each task by the evaluation estimator (policyValue, lib/deep/value-range.ts: mean over the
 * policy's states of the discounted task return, continued past the time limit, γ = 0.99): a good policy's value
 * minus the uniform random policy's. Pendulum and InvertedPendulum: good is the best mc_task_return of model-free
 * SAC in the committed paper-scale reference (data/reference/paper/runs), random 50 seeded episodes, computed once
 * by `npx tsx scripts/value-range.ts` (Pendulum −4.1 − (−580.8); InvertedPendulum 99.9 − 3.9). The point maze:
 * MAZE_VALUE_RANGE (its scripted round-the-wall policy against 10,000 random episodes).
 */
export const VALUE_RANGE: Record<Exclude<Task, 'hopper'>, number> = {
  pendulum: 576.7,
  'point-maze': MAZE_VALUE_RANGE.D,
  'inverted-pendulum': 96.0,
};

/** Standard SAC (one update per env step, as in MBPO's comparison) on the same settings, τ from its budget. */
export function standardSac(s: DeepSettings): DeepSettings {
  const g1 = { ...s, updatesPerStep: 1 };
  return { ...g1, tau: Math.max(s.tau, budgetTau(g1)) };
}

/** sac: model-free SAC at the run's G (the control); sac-standard: G = 1 (MBPO's baseline); mbpo. */
export type SanityAgent = 'sac' | 'sac-standard' | 'mbpo';

export type SanityRow = {
  seed: number;
  task: Task;
  algo: SanityAgent;
  step: number;
  eval_return: number;
  q_estimate: number;
  mc_return: number;
};

/** The random policy's mean and std of return on a task, for one seed (table `random_level`). */
export type RandomLevelRow = { seed: number; task: Task; mean: number; std: number };

/**
 * One seed's sanity rows (table `sanity` of E7–E10's seed results): on Pendulum SAC, standard SAC and MBPO; on
 * each of the experiment's own tasks `own` (besides Pendulum) SAC, for its critic bar. `settings` are the experiment's
 * (its config), the scale's defaults where it has none.
 */
export async function sanityRows(
  ctx: SeedContext<object>,
  own: Task[] = [],
  settings: Partial<Record<Task, DeepSettings>> = {},
  opts: { pendulumBars?: boolean } = {},
): Promise<SanityRow[]> {
  const rows: SanityRow[] = [];
  const of = (task: Task) => settings[task] ?? taskSettings(task, ctx.scale);
  // pendulumBars: false leaves out the Pendulum runs of bars 1–2 (a seed that runs only another task: E10's seeds ≥ 8).
  const pendulum: { task: Task; algo: SanityAgent; s: DeepSettings }[] = [
    { task: 'pendulum', algo: 'sac', s: of('pendulum') },
    { task: 'pendulum', algo: 'sac-standard', s: standardSac(of('pendulum')) },
    { task: 'pendulum', algo: 'mbpo', s: of('pendulum') },
  ];
  const jobs = [
    ...(opts.pendulumBars === false ? [] : pendulum),
    ...own.filter((t) => t !== 'pendulum').map((task) => ({ task, algo: 'sac' as const, s: of(task) })),
  ];
  for (const { task, algo, s } of jobs) {
    const run = await deepRun({
      task,
      algo: algo === 'mbpo' ? 'mbpo' : 'sac',
      scale: ctx.scale,
      seed: ctx.seed,
      settings: s,
      ...(algo === 'sac-standard' && { variant: 'standard' }),
    });
    for (const r of run)
      rows.push({ seed: ctx.seed, task, algo, step: r.step, eval_return: r.eval_return, q_estimate: r.q_estimate, mc_return: r.mc_return });
  }
  return rows;
}

export interface SanityBar {
  id: string;
  /** A few words for prose (an inconclusive verdict's reason), where the id would mean nothing to a reader. */
  name: string;
  /** What it means for the comparisons when this bar is not met, in a clause. */
  ifNotMet: string;
  claim: string;
  holds: boolean;
  measured: string;
  /** Whether a failure makes claims about returns (E9, E10) inconclusive: the learning bars do, the critic bars do not. */
  gatesReturns: boolean;
  /** The task whose runs it reads. */
  task: Task;
}

/** Mean over seeds at each evaluation step, in step order. */
function meanCurve(rows: SanityRow[], algo: SanityAgent, value: (r: SanityRow) => number): { step: number; mean: number }[] {
  const by = new Map<number, number[]>();
  for (const r of rows.filter((x) => x.algo === algo && x.task === 'pendulum')) by.set(r.step, [...(by.get(r.step) ?? []), value(r)]);
  return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([step, v]) => ({ step, mean: mean(v) }));
}

/**
 * Per seed, the env steps of the first Pendulum evaluation in the band; a run that never gets there counts at its
 * budget plus one evaluation interval (`never` marks it).
 */
function firstInBand(rows: SanityRow[], algo: SanityAgent): Map<number, { step: number; never: boolean }> {
  const bySeed = new Map<number, SanityRow[]>();
  for (const r of rows.filter((x) => x.algo === algo && x.task === 'pendulum')) bySeed.set(r.seed, [...(bySeed.get(r.seed) ?? []), r]);
  const out = new Map<number, { step: number; never: boolean }>();
  for (const [seed, rs] of bySeed) {
    const sorted = rs.sort((a, b) => a.step - b.step);
    const hit = sorted.find((r) => r.eval_return >= PENDULUM_BAND);
    const last = sorted[sorted.length - 1].step;
    const interval = sorted.length > 1 ? last - sorted[sorted.length - 2].step : last;
    out.set(seed, hit ? { step: hit.step, never: false } : { step: last + interval, never: true });
  }
  return out;
}

/** Bar 2: MBPO's and standard SAC's first evaluations in the band, paired by seed. */
function mbpoFirst(rows: SanityRow[]): { holds: boolean; measured: string } {
  if (!rows.some((r) => r.algo === 'sac-standard'))
    return { holds: false, measured: 'these results hold no standard-SAC runs (saved before this bar compared MBPO against standard SAC)' };
  const [mbpo, std1] = [firstInBand(rows, 'mbpo'), firstInBand(rows, 'sac-standard')];
  const seeds = [...mbpo.keys()].filter((k) => std1.has(k)).sort((a, b) => a - b);
  const never = (m: Map<number, { never: boolean }>) => seeds.filter((k) => m.get(k)?.never).length;
  if (seeds.length > 0 && never(mbpo) === seeds.length && never(std1) === seeds.length)
    return { holds: false, measured: 'neither MBPO nor standard SAC reached the band' };
  const a = seeds.map((k) => std1.get(k)?.step ?? NaN);
  const b = seeds.map((k) => mbpo.get(k)?.step ?? NaN);
  const iv = pairedInterval(a, b);
  const first = seeds.filter((_, i) => b[i] < a[i]).length;
  const neverText = (n: number, who: string) => (n ? `; ${who} never on ${n} (counted at the budget plus one evaluation)` : '');
  return {
    holds: seeds.length >= 2 && iv.lo > 0,
    measured:
      `first evaluation in the band, standard SAC − MBPO, paired by seed: ${fmtInterval(iv)} env steps; ` +
      `MBPO first on ${first} of ${seeds.length}${neverText(never(mbpo), 'MBPO')}${neverText(never(std1), 'standard SAC')}`,
  };
}

/** The critic bar of one task: per seed |Q − G_soft| of SAC's final evaluation. */
function criticGaps(rows: SanityRow[], task: Task): number[] {
  const last = new Map<number, SanityRow>();
  for (const r of rows.filter((x) => x.algo === 'sac' && x.task === task)) {
    const b = last.get(r.seed);
    if (!b || r.step > b.step) last.set(r.seed, r);
  }
  return [...last.values()].map((r) => Math.abs(r.q_estimate - r.mc_return));
}

/** The bars, from the `sanity` rows of all seeds: the two Pendulum bars, then a critic bar per task in the rows. */
export function sanityBars(saved: SanityRow[]): SanityBar[] {
  // Results saved before the bars had a task per row (the committed reference among them) ran them on Pendulum only.
  const rows = saved.map((r) => (r.task === undefined ? { ...r, task: 'pendulum' as const } : r));
  const sac = meanCurve(rows, 'sac', (r) => r.eval_return);
  const seeds = new Set(rows.filter((r) => r.task === 'pendulum').map((r) => r.seed)).size;
  const sacFinal = sac.length ? sac[sac.length - 1].mean : NaN;
  const first = mbpoFirst(rows);
  const tasks = [...new Set(rows.filter((r) => r.algo === 'sac').map((r) => r.task))].sort((a, b) =>
    a === 'pendulum' ? -1 : b === 'pendulum' ? 1 : a.localeCompare(b),
  );
  return [
    {
      id: 'sanity.sac-pendulum-band',
      name: 'model-free SAC reaches the Pendulum band',
      ifNotMet: 'the shared learner (SAC) has not learned the task the public numbers describe',
      claim: `Model-free SAC reaches the public Pendulum-v1 band: mean final return over the seeds ≥ ${PENDULUM_BAND}`,
      holds: sacFinal >= PENDULUM_BAND,
      measured: `SAC mean final return ${fmt(sacFinal, 4)} over ${seeds} seeds`,
      gatesReturns: true,
      task: 'pendulum',
    },
    {
      id: 'sanity.mbpo-reaches-band-first',
      name: 'MBPO reaches the Pendulum band before standard SAC',
      ifNotMet: "the baseline does not show its own headline advantage, so it is not yet the MBPO of the paper's comparison",
      claim: `MBPO reaches the Pendulum band (a return ≥ ${PENDULUM_BAND}) in fewer env steps than standard SAC (one update per env step), paired by seed: the 95% interval of the difference lies above 0`,
      holds: first.holds,
      measured: first.measured,
      gatesReturns: true,
      task: 'pendulum',
    },
    ...tasks.map((task) => {
      const gaps = criticGaps(rows, task);
      const D = task === 'hopper' ? NaN : VALUE_RANGE[task];
      const m = mean(gaps);
      return {
        id: task === 'pendulum' ? 'sanity.sac-critic-tracks-return' : `sanity.sac-critic-tracks-return-${task}`,
        name: `SAC's critic tracks its return on ${task}`,
        ifNotMet: "even model-free SAC's critic is off its return, so a gap between a critic and its return cannot be put on the model",
        claim: `At the end, SAC's critic tracks its soft Monte Carlo return on ${task}: mean over the seeds of |Q − G_soft| ≤ ${CRITIC_TOLERANCE} · D (D = ${D}, the task's value range)`,
        holds: m <= CRITIC_TOLERANCE * D,
        measured: `mean |Q − G_soft| ${fmt(m, 3)} (${fmt((100 * m) / D, 3)}% of D) over ${gaps.length} seeds; the bar is ${fmt(CRITIC_TOLERANCE * D, 3)}`,
        gatesReturns: false,
        task,
      };
    }),
  ];
}

/** Why claims about returns at this scale cannot be trusted (the failed learning bars), or null when they hold. */
export function sanityFailure(rows: SanityRow[]): string | null {
  const failed = sanityBars(rows).filter((b) => !b.holds && b.gatesReturns);
  return failed.length ? `sanity bar failed at this scale: ${failed.map((b) => `${b.name} (not met: ${b.measured})`).join('; ')}` : null;
}

/** Verdicts need at least this many seeds. */
export const MIN_SEEDS = 3;

const randomLevels = new Map<string, { mean: number; std: number }>();
/**
 * Mean and std of the return of a uniformly random policy over 20 episodes (seeded: the same numbers every
 * time). An agent whose mean final return is below mean + std of these has learned nothing visible.
 */
export async function randomPolicyReturn(task: Task): Promise<{ mean: number; std: number }> {
  const hit = randomLevels.get(task);
  if (hit) return hit;
  await prepareEnv(task);
  const env = makeEnv(task);
  const rng = new Rng(`random-policy/${task}`);
  const returns: number[] = [];
  for (let e = 0; e < 20; e++) {
    env.reset(rng.fork(`reset-${e}`));
    let total = 0;
    for (;;) {
      const res = env.step(Float32Array.from(env.actLow, (lo, i) => rng.range(lo, env.actHigh[i])));
      total += res.reward;
      if (res.terminated || res.truncated) break;
    }
    returns.push(total);
  }
  env.close?.();
  const level = { mean: mean(returns), std: std(returns) };
  randomLevels.set(task, level);
  return level;
}

/** One seed's random-policy levels of `tasks` (table `random_level`: the report stays synchronous). */
export async function randomLevelRows(ctx: SeedContext, tasks: Task[]): Promise<RandomLevelRow[]> {
  return Promise.all(tasks.map(async (task) => ({ seed: ctx.seed, task, ...(await randomPolicyReturn(task)) })));
}

/**
 * Why E7–E10's verdicts at this scale cannot be given, or null: fewer than MIN_SEEDS seeds, a failed sanity
 * bar, or every agent's mean final return (`finals`: agent → per-seed final returns, on `task`) at
 * random-policy level.
 */
export function deepInconclusive(
  seeds: number,
  sanityRows: SanityRow[],
  levels: RandomLevelRow[],
  finals: { task: Task; agent: string; returns: number[] }[],
): string | null {
  if (seeds < MIN_SEEDS) return `only ${seeds} seed${seeds === 1 ? '' : 's'} ran; a verdict needs at least ${MIN_SEEDS}`;
  const sanity = sanityFailure(sanityRows);
  if (sanity) return sanity;
  const atRandom = finals.filter((f) => {
    const l = levels.find((x) => x.task === f.task);
    return l !== undefined && mean(f.returns) < l.mean + l.std;
  });
  if (finals.length > 0 && atRandom.length === finals.length)
    return `every agent is at random-policy level (mean final return below the random policy's mean + std: ${finals
      .map((f) => {
        const l = levels.find((x) => x.task === f.task)!;
        return `${f.agent} ${fmt(mean(f.returns), 4)} vs ${fmt(l.mean + l.std, 4)}`;
      })
      .join('; ')})`;
  return null;
}

/** The sanity bars in words: each met or not, with its numbers, and what a failed one means for the verdicts. */
export function describeSanity(rows: SanityRow[]): string {
  const bars = sanityBars(rows);
  const failed = bars.filter((b) => !b.holds);
  const gating = failed.filter((b) => b.gatesReturns);
  const critics = failed.filter((b) => !b.gatesReturns);
  return [
    ...bars.map((b) => `- ${b.holds ? '✔ met' : '✘ not met'}: ${b.claim}. ${b.measured}.`),
    ...(gating.length
      ? [
          `- ${gating.length} of the 2 learning bars ${gating.length === 1 ? 'is' : 'are'} not met, so the E9–E10 verdicts at this scale are \`inconclusive\`: ${gating.map((b) => b.ifNotMet).join('; ')}.`,
        ]
      : ['- The learning bars are met: the agents learn at this scale, and the E9–E10 verdicts about returns stand on their own numbers.']),
    ...(critics.length
      ? [`- Not met about critics (${critics.map((b) => b.name).join('; ')}): ${critics[0].ifNotMet}. No E9–E10 verdict depends on it.`]
      : []),
  ].join('\n');
}
