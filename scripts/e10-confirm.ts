/**
 * E10's Pendulum confirmation on fresh seeds (docs/EXPERIMENTS.md, "E10's Pendulum confirmation on fresh seeds"):
 * MBPO and MnM-approx on Pendulum at E10's paper settings, seeds 8–15, and the paired TOST of their final returns
 * (the mean of each run's last 4 evaluations, E10_WINDOW) against E10's margin, decided by lib/stats.ts decide as
 * E10's claim is.
 *
 *   npx tsx scripts/e10-confirm.ts                 train what is missing (on the engine), then print the test
 *   npx tsx scripts/e10-confirm.ts 8 9 10 11       train only these seeds (two processes share the two cores)
 *
 * Runs are deepRun's (cached in results/.cache/deep-runs, like E10's own), so `mnm reference save` keeps them.
 */
import { E10_CONFIG, E10_WINDOW, ON_PAR_MARGIN } from '../lib/experiments/e10-deep-comparison';
import { type Algo, deepRun } from '../lib/experiments/deep-runs';
import { decide, fmt, fmtInterval, mean, pairedInterval, std } from '../lib/stats';

const SEEDS = [8, 9, 10, 11, 12, 13, 14, 15];

async function main(): Promise<void> {
  process.env.MNM_DEEP_BACKEND ??= 'engine';
  const only = process.argv.slice(2).map(Number);
  if (only.some((s) => !SEEDS.includes(s))) throw new Error(`seeds must be among ${SEEDS.join(', ')}, got ${only.join(', ')}`);
  const seeds = only.length ? only : SEEDS;
  const settings = E10_CONFIG.defaults('paper').pendulum;
  const final = async (algo: Algo, seed: number) => {
    const rows = await deepRun({ task: 'pendulum', algo, scale: 'paper', seed, settings }, (done, total) =>
      process.stderr.write(`\r[e10-confirm] seed ${seed} ${algo}: ${done}/${total} env steps   `),
    );
    return mean(
      rows
        .sort((a, b) => a.step - b.step)
        .slice(-E10_WINDOW)
        .map((r) => r.eval_return),
    );
  };
  const mnm: number[] = [];
  const mbpo: number[] = [];
  for (const seed of seeds) {
    mbpo.push(await final('mbpo', seed));
    mnm.push(await final('mnm', seed));
  }
  process.stderr.write('\n');
  if (only.length) return;
  const diff = mnm.map((x, i) => x - mbpo[i]);
  const margin = ON_PAR_MARGIN.pendulum;
  const d = decide(
    {
      quantity: `final return on Pendulum (mean of the last ${E10_WINDOW} evaluations), MnM-approx − MBPO (paired by seed)`,
      direction: 'on par',
      margin,
    },
    pairedInterval(mnm, mbpo),
  );
  console.log(`seeds ${seeds.join(', ')}; ${settings.envSteps} env steps; final return = mean of the last ${E10_WINDOW} evaluations`);
  console.log(`MnM-approx ${mnm.map((x) => fmt(x, 4)).join(', ')}`);
  console.log(`MBPO       ${mbpo.map((x) => fmt(x, 4)).join(', ')}`);
  console.log(
    `paired difference ${fmt(mean(diff), 3)} ± ${fmt(std(diff), 3)} (sd); 95% interval ${fmtInterval(pairedInterval(mnm, mbpo))}; margin ±${margin}`,
  );
  console.log(`on par: ${d.verdict}${d.reason ? ` (${d.reason})` : ''}`);
}

main().catch((err) => {
  console.error(`e10-confirm: ${(err as Error).message}`);
  process.exit(1);
});
