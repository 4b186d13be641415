/**
 * The model rounds of one short deep run (lib/experiments/deep-runs.ts), for tuning and for the evidence in
 * docs/DEEP-AGENTS.md: the run's random phase, then ROUNDS model rounds (one evaluation episode after each),
 * printing one JSON line per round: validation MSE of the model's mean next state, epochs, gradient steps,
 * rollout transitions and the wall time so far.
 *   npx tsx scripts/model-probe.ts TASK ALGO SCALE [ROUNDS=1] [SEED=0] [field=value ...]
 *   e.g. npx tsx scripts/model-probe.ts pendulum mnm paper 1 0 valueWeight=1 classifierSteps=5
 * field=value changes a DeepSettings field (lib/experiments/deep-runs.ts); the changed settings are checked by
 * its rules. The seed key is the run's own (runSeedKey), so seed k probes what seed k of an experiment trains.
 */
import { checkConfig } from '../lib/config';
import { initBackend } from '../lib/deep/backend';
import { ModelBasedRun } from '../lib/deep/model-based';
import { prepareEnv } from '../lib/envs';
import {
  type Algo,
  DEEP_SETTINGS_RULES,
  type DeepSettings,
  taskSettings,
  modelBasedConfig,
  runSeedKey,
  type Task,
} from '../lib/experiments/deep-runs';
import type { Scale } from '../lib/scale';

async function main(argv: string[]): Promise<void> {
  const [task, algo, scale] = argv as [Task, Algo, Scale];
  if (!task || !algo || !scale) throw new Error('usage: model-probe.ts TASK ALGO SCALE [ROUNDS] [SEED] [field=value ...]');
  const rounds = Number(argv[3] ?? 1);
  const seed = Number(argv[4] ?? 0);
  const settings: DeepSettings = taskSettings(task, scale);
  for (const kv of argv.slice(5)) {
    const [k, v] = kv.split('=');
    if (!(k in settings)) throw new Error(`model-probe: ${k} is not a DeepSettings field (${Object.keys(settings).join(', ')})`);
    Object.assign(settings, { [k]: Number(v) });
  }
  checkConfig('model-probe settings', settings, DEEP_SETTINGS_RULES);
  await initBackend({ quiet: true });
  await prepareEnv(task);
  const full = modelBasedConfig(task, algo, settings);
  const last = full.startSteps + (rounds - 1) * full.model.every;
  // One evaluation right after each model round (rounds fall at startSteps + i·every).
  const config = { ...full, totalSteps: last, evalEvery: full.model.every, evalEpisodes: 1 };
  const run = new ModelBasedRun(config, runSeedKey({ task, seed }));
  const t0 = performance.now();
  try {
    await run.run();
  } finally {
    run.dispose();
  }
  for (const r of run.rows.filter((x) => x.model_rounds > 0))
    console.log(
      JSON.stringify({
        task,
        algo,
        seed,
        step: r.step,
        round: r.model_rounds,
        model_val_mse: r.model_val_mse,
        epochs: r.model_epochs,
        train_steps: r.model_train_steps,
        rollouts: r.model_rollouts,
        classifier_logit: r.classifier_logit,
        classifier_accuracy: r.classifier_accuracy,
        eval_return: r.eval_return,
        wall_s: +((performance.now() - t0) / 1000).toFixed(1),
        changed: argv.slice(5),
      }),
    );
}

main(process.argv.slice(2)).catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
