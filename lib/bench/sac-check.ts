/**
 * The model-free SAC check (the report's Pendulum reference): model-free SAC, i.e. the model-based loop with
 * no model, on one task, printing one JSON line per evaluation: {env, seed, step, eval_return, sec}.
 *   npx tsx lib/bench/sac-check.ts [ENV=pendulum] [--steps 20000] [--seed 0] [--eval-every 1000] [--eval-episodes 10]
 */
import { initBackend } from '../deep/backend';
import { modelFreeConfig, trainModelBased } from '../deep/model-based';
import { envName } from '../envs/index';

function flag(argv: string[], name: string, dflt: number): number {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(argv[i + 1]);
  if (!Number.isFinite(v)) throw new Error(`--${name} needs a number, got '${argv[i + 1]}'`);
  return v;
}

async function main(argv: string[]): Promise<void> {
  const env = argv.find((a, i) => !a.startsWith('--') && (i === 0 || !argv[i - 1].startsWith('--'))) ?? 'pendulum';
  const seed = flag(argv, 'seed', 0);
  await initBackend();
  const config = modelFreeConfig(envName(env), {
    totalSteps: flag(argv, 'steps', 20_000),
    evalEvery: flag(argv, 'eval-every', 1_000),
    evalEpisodes: flag(argv, 'eval-episodes', 10),
  });
  const t0 = Date.now();
  const rows = await trainModelBased(config, `sac-${env}/seed-${seed}`);
  const sec = Math.round((Date.now() - t0) / 1000);
  for (const r of rows) console.log(JSON.stringify({ env, seed, step: r.step, eval_return: +r.eval_return.toFixed(1), sec }));
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: Error) => {
    console.error(`sac-check: ${err.message}`);
    process.exit(1);
  });
}
