/**
 * The power estimate behind E10's seed count and Pendulum budget (docs/EXPERIMENTS.md, "E10's seeds and Pendulum
 * budget").
 *
 * 1. The pilot: the committed 5-seed reference of today's agents at 2,500 env steps
 *    (data/reference/paper/runs/{pendulum,inverted-pendulum}-{mbpo,mnm}-h1-s*.json, saved 2026-12-06, common random
 *    numbers). Prints each task's paired difference MnM-approx − MBPO of the final evaluation return.
 * 2. The noise of a final return once an agent has arrived: over the pilot's MBPO and MnM-approx runs whose last
 *    4 evaluations all lie in the task's band (Pendulum ≥ −250; InvertedPendulum: every run, as its drops from 1,000
 *    are the noise), the pooled standard deviation of those evaluations. Two arrived agents differ by about √2 times it.
 * 3. Power by simulation (normal per-seed differences, 200,000 trials) of the on-par claim at n seeds under the
 *    project's verdict rule (lib/stats.ts decide: the 95% paired t interval inside ±margin), at a true difference of
 *    0 and of a quarter of the margin.
 *
 * Run: npx tsx scripts/e10-power.ts
 */
import * as fs from 'node:fs';
import { ON_PAR_MARGIN } from '../lib/experiments/e10-deep-comparison/report';
import { mean, std } from '../lib/stats';
import { simulatedPower, within } from './power-sim';

type EvalRow = { step: number; eval_return: number };
const dir = 'data/reference/paper/runs';
const SEEDS = [0, 1, 2, 3, 4];
const rowsOf = (task: string, algo: string, seed: number) =>
  (JSON.parse(fs.readFileSync(`${dir}/${task}-${algo}-h1-s${seed}.json`, 'utf8')) as { rows: EvalRow[] }).rows;
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
