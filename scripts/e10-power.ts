/**
 * The power estimate behind E10's seed count and Pendulum budget (docs/EXPERIMENTS.md, "E10's seeds and Pendulum
 * budget").
 *
 * 1. The pilot: the 5-seed reference of today's agents at 2,500 env steps
 *    (data/reference/paper/runs/{pendulum,inverted-pendulum}-{mbpo,mnm}-h1-s*.json as committed in 8d46637 on
 *    2026-12-06, read from git; common random numbers). Prints each task's paired difference MnM-approx − MBPO of the final evaluation return.
 * 2. The noise of a final return once an agent has arrived: over the pilot's MBPO and MnM-approx runs whose last
 *    4 evaluations all lie in the task's band (Pendulum ≥ −250; InvertedPendulum: every run, as its drops from 1,000
 *    are the noise), the pooled standard deviation of those evaluations. Two arrived agents differ by about √2 times it.
 * 3. Power by simulation (normal per-seed differences, 200,000 trials) of the on-par claim at n seeds under the
 *    project's verdict rule (lib/stats.ts decide: the 95% paired t interval inside ±margin), at a true difference of
 *    0 and of a quarter of the margin.
 *
 * 4. The second run's design (docs/EXPERIMENTS.md, "E10's second run"), with the 8-seed run of 2026-12-07 as its
 *    pilot (data/reference/paper/seeds/paper/e10-deep-comparison, as committed before the second run): each task's
 *    paired difference of the mean of the last 4 evaluations (E10_WINDOW) and its power at several seed counts; and
 *    the learning bar paired by seed (each seed's first evaluation in the Pendulum band, standard SAC − MBPO) with
 *    the power of its one-sided test.
 *
 * Run: npx tsx scripts/e10-power.ts
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { ON_PAR_MARGIN } from '../lib/experiments/e10-deep-comparison/report';
import { mean, std } from '../lib/stats';
import { type IntervalTest, simulatedPower, within } from './power-sim';

type EvalRow = { step: number; eval_return: number };
const dir = 'data/reference/paper/runs';
const SEEDS = [0, 1, 2, 3, 4];
/**
 * The pilot's run of (task, algo, seed), as committed at PILOT_COMMIT (the next save replaced the 2,500-step Pendulum
 * MnM-approx runs by E10's 5,000-step ones): read from git.
 */
const PILOT_COMMIT = '8d46637';
const rowsOf = (task: string, algo: string, seed: number) => {
  const file = `${dir}/${task}-${algo}-h1-s${seed}.json`;
  const text = execFileSync('git', ['show', `${PILOT_COMMIT}:${file}`], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return (JSON.parse(text) as { rows: EvalRow[] }).rows;
};
const final = (rows: EvalRow[]) => rows.reduce((a, b) => (b.step > a.step ? b : a)).eval_return;

const power = (n: number, trueMean: number, sd: number, margin: number) => simulatedPower('e10-power', n, trueMean, sd, within(margin));

const fmt = (x: number) => x.toFixed(1);
for (const task of ['pendulum', 'inverted-pendulum'] as const) {
  const margin = ON_PAR_MARGIN[task];
  const mnm = SEEDS.map((s) => final(rowsOf(task, 'mnm', s)));
  const mbpo = SEEDS.map((s) => final(rowsOf(task, 'mbpo', s)));
  const diff = mnm.map((x, i) => x - mbpo[i]);
  console.log(`${task}: pilot MnM-approx ${mnm.map(fmt).join(', ')}; MBPO ${mbpo.map(fmt).join(', ')}`);
  console.log(`  paired difference: ${diff.map(fmt).join(', ')}; mean ${fmt(mean(diff))}, sd ${fmt(std(diff))}; margin ±${margin}`);
  const sds = [std(diff)];
  {
    const band = task === 'pendulum' ? -250 : -Infinity;
    // The noise of an arrived agent's evaluation: pooled over runs whose last 4 evaluations are all in the band.
    const tails = ['mbpo', 'mnm'].flatMap((algo) =>
      SEEDS.map((s) =>
        rowsOf(task, algo, s)
          .sort((a, b) => a.step - b.step)
          .slice(-4)
          .map((r) => r.eval_return),
      ),
    );
    const arrived = tails.filter((t) => t.every((x) => x >= band));
    const pooled = Math.sqrt(mean(arrived.map((t) => std(t) ** 2)));
    console.log(
      `  ${arrived.length} of ${tails.length} pilot runs arrived (last 4 evaluations ≥ ${band}): evaluation sd ${fmt(pooled)}, so a difference of two arrived agents has sd ≈ ${fmt(Math.SQRT2 * pooled)}`,
    );
    sds.push(Math.SQRT2 * pooled);
  }
  for (const sd of sds)
    for (const n of [5, 8, 10])
      console.log(
        `  sd ${fmt(sd)}, n ${n}: power of "on par within ±${margin}" at a true difference of 0 → ${power(n, 0, sd, margin).toFixed(2)}, of ${fmt(margin / 4)} → ${power(n, margin / 4, sd, margin).toFixed(2)}`,
      );
}

// 4. The second run's design, from the 8-seed run (the committed reference E10 before the second run).
console.log('\nThe second run: the pilot is the committed 8-seed E10 (seeds as saved by mnm run)');
type Row = { seed: number; task: string; algo: string; step: number; eval_return: number };
const seedDir = 'data/reference/paper/seeds/paper/e10-deep-comparison';
const seeds = fs
  .readdirSync(seedDir)
  .sort()
  .map(
    (f) =>
      (JSON.parse(fs.readFileSync(`${seedDir}/${f}`, 'utf8')) as { result: { tables: { returns: Row[]; sanity: Row[] } } }).result.tables,
  );
const windowMean = (rows: Row[]) =>
  mean(
    rows
      .sort((a, b) => a.step - b.step)
      .slice(-4)
      .map((r) => r.eval_return),
  );
for (const task of ['pendulum', 'inverted-pendulum'] as const) {
  const margin = ON_PAR_MARGIN[task];
  const of = (algo: string) => seeds.map((t) => windowMean(t.returns.filter((r) => r.task === task && r.algo === algo)));
  const diff = of('mnm').map((x, i) => x - of('mbpo')[i]);
  const sd = std(diff);
  console.log(
    `${task}: mean of the last 4 evaluations, paired difference ${diff.map(fmt).join(', ')}; mean ${fmt(mean(diff))}, sd ${fmt(sd)}`,
  );
  for (const n of [8, 16, 20, 24, 32])
    console.log(
      `  n ${n}: power of "on par within ±${margin}" at a true difference of 0 → ${power(n, 0, sd, margin).toFixed(2)}, of ${fmt(margin / 4)} → ${power(n, margin / 4, sd, margin).toFixed(2)}`,
    );
}
{
  // The learning bar paired by seed: env steps to each seed's first evaluation ≥ −200 on Pendulum.
  const first = (rows: Row[]) => rows.sort((a, b) => a.step - b.step).find((r) => r.eval_return >= -200)?.step ?? NaN;
  const at = (algo: string) => seeds.map((t) => first(t.sanity.filter((r) => r.task === 'pendulum' && r.algo === algo)));
  const [mbpo, std1] = [at('mbpo'), at('sac-standard')];
  const d = std1.map((x, i) => x - mbpo[i]);
  console.log(`learning bar: first evaluation in the Pendulum band, MBPO ${mbpo.join(', ')}; standard SAC ${std1.join(', ')}`);
  console.log(`  paired difference (standard SAC − MBPO) ${d.join(', ')}; mean ${fmt(mean(d))}, sd ${fmt(std(d))}`);
  const above: IntervalTest = (m, se, t) => m - t * se > 0;
  for (const n of [8, 16])
    for (const effect of [mean(d), mean(d) / 2])
      console.log(
        `  n ${n}: power of "MBPO first (95% interval above 0)" at a true difference of ${fmt(effect)} → ${simulatedPower('e10-bar', n, effect, std(d), above).toFixed(2)}`,
      );
}
