/**
 * Sanity bars of the deep experiments: whether, at the scale that ran, the agents learn well enough for
 * E7–E10 to say anything. Checked on the Pendulum-v1 runs of model-free SAC and MBPO (the same runs E10
 * trains: memoised and cached, so asking for them again costs nothing):
 *   1. model-free SAC reaches the public Pendulum-v1 band: mean final return over the seeds ≥ −200;
 *   2. MBPO gets there in fewer env steps than SAC (MBPO's headline claim): the first evaluation at which the
 *      mean return over the seeds is ≥ −200 comes earlier for MBPO (and MBPO gets there at all);
 *   3. at the end, SAC's critic is within 15% of its soft Monte Carlo return (mean over the seeds), so the
 *      critics have caught up and E7's gap measures model exploitation, not lag.
 * E10 reports them as claims; when one fails, every E7–E10 verdict at that scale is inconclusive.
 */
import { makeEnv, prepareEnv } from '../envs/index';
import type { SeedContext } from '../experiment';
import { Rng } from '../rng';
import { fmt, mean, std } from '../stats';
import { deepRun, type Task } from './deep-runs';

/** The public SAC band on Pendulum-v1 (returns of about −150 to −200). */
export const PENDULUM_BAND = -200;
/** How close SAC's final Q estimate must be to its soft Monte Carlo return, relative to the return. */
export const CRITIC_TOLERANCE = 0.15;

export type SanityRow = {
  seed: number;
  algo: 'sac' | 'mbpo';
  step: number;
  eval_return: number;
  q_estimate: number;
  mc_return: number;
};

/** The random policy's mean and std of return on a task, for one seed (table `random_level`). */
export type RandomLevelRow = { seed: number; task: Task; mean: number; std: number };

/** One seed's Pendulum SAC and MBPO evaluation rows (table `sanity` of E7–E10's seed results). */
export async function sanityRows(ctx: SeedContext): Promise<SanityRow[]> {
  const rows: SanityRow[] = [];
  for (const algo of ['sac', 'mbpo'] as const) {
    const run = await deepRun({ task: 'pendulum', algo, scale: ctx.scale, seed: ctx.seed });
    for (const r of run)
      rows.push({
        seed: ctx.seed,
        algo,
        step: r.step,
        eval_return: r.eval_return,
        q_estimate: r.q_estimate,
        mc_return: r.mc_return,
      });
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
}

/** Mean over seeds at each evaluation step, in step order. */
function meanCurve(rows: SanityRow[], algo: 'sac' | 'mbpo', value: (r: SanityRow) => number): { step: number; mean: number }[] {
  const by = new Map<number, number[]>();
  for (const r of rows.filter((x) => x.algo === algo)) by.set(r.step, [...(by.get(r.step) ?? []), value(r)]);
  return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([step, v]) => ({ step, mean: mean(v) }));
}

/** The three bars, from the `sanity` rows of all seeds. */
export function sanityBars(rows: SanityRow[]): SanityBar[] {
  const ret = { sac: meanCurve(rows, 'sac', (r) => r.eval_return), mbpo: meanCurve(rows, 'mbpo', (r) => r.eval_return) };
  const seeds = new Set(rows.map((r) => r.seed)).size;
  const sacFinal = ret.sac.length ? ret.sac[ret.sac.length - 1].mean : NaN;
  const reach = (c: { step: number; mean: number }[]) => c.find((p) => p.mean >= PENDULUM_BAND)?.step ?? null;
  const [sacAt, mbpoAt] = [reach(ret.sac), reach(ret.mbpo)];
  const q = meanCurve(rows, 'sac', (r) => r.q_estimate);
  const mc = meanCurve(rows, 'sac', (r) => r.mc_return);
  const [qEnd, mcEnd] = [q.length ? q[q.length - 1].mean : NaN, mc.length ? mc[mc.length - 1].mean : NaN];
  const rel = Math.abs(qEnd - mcEnd) / Math.abs(mcEnd);
  // "MBPO at 2250 env steps", "MBPO never"; when neither got there, one phrase says so.
  const at = (step: number | null) => (step === null ? 'never' : `at ${step} env steps`);
  const firstIn =
    sacAt === null && mbpoAt === null
      ? 'neither MBPO nor SAC reached the band'
      : `first evaluation in the band: MBPO ${at(mbpoAt)}, SAC ${at(sacAt)}`;
  return [
    {
      id: 'sanity.sac-pendulum-band',
      name: 'model-free SAC reaches the Pendulum band',
      ifNotMet: 'the shared learner (SAC) has not learned the task the public numbers describe',
      claim: `Model-free SAC reaches the public Pendulum-v1 band: mean final return over the seeds ≥ ${PENDULUM_BAND}`,
      holds: sacFinal >= PENDULUM_BAND,
      measured: `SAC mean final return ${fmt(sacFinal, 4)} over ${seeds} seeds`,
    },
    {
      id: 'sanity.mbpo-reaches-band-first',
      name: 'MBPO reaches the Pendulum band before SAC',
      ifNotMet: "the baseline does not show its own headline advantage, so it is not yet the MBPO of the paper's comparison",
      claim: `MBPO reaches the Pendulum band (mean return over the seeds ≥ ${PENDULUM_BAND}) in fewer env steps than model-free SAC`,
      holds: mbpoAt !== null && (sacAt === null || mbpoAt < sacAt),
      measured: firstIn,
    },
    {
      id: 'sanity.sac-critic-tracks-return',
      name: "SAC's critic tracks its return",
      ifNotMet: "even model-free SAC's critic is off its return, so a gap between a critic and its return cannot be put on the model",
      claim: `At the end, SAC's critic estimate is within ${CRITIC_TOLERANCE * 100}% of its soft Monte Carlo return (means over the seeds, Pendulum)`,
      holds: rel <= CRITIC_TOLERANCE,
      measured: `final Q estimate ${fmt(qEnd, 4)}, soft MC return ${fmt(mcEnd, 4)}: off by ${fmt(100 * rel, 3)}%`,
    },
  ];
}

/** Why the deep verdicts at this scale cannot be trusted (the failed bars), or null when every bar holds. */
export function sanityFailure(rows: SanityRow[]): string | null {
  const failed = sanityBars(rows).filter((b) => !b.holds);
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
  return [
    ...bars.map((b) => `- ${b.holds ? '✔ met' : '✘ not met'}: ${b.claim}. ${b.measured}.`),
    failed.length
      ? `- ${failed.length} of ${bars.length} bars are not met, so the E7–E10 verdicts at this scale are \`inconclusive\`: ${failed.map((b) => b.ifNotMet).join('; ')}.`
      : '- Every bar is met: the agents learn at this scale, and the E7–E10 verdicts stand on their own numbers.',
  ].join('\n');
}
