/** The settings of the deep runs as a table, for the notebooks: one row per (task, agent) at a scale, all from runConfig. */
import { ALGO_LABEL, type Algo, runConfig, type Task } from './deep-runs';
import type { Scale } from '../experiment';

export type DeepSettingsRow = {
  task: Task;
  agent: string;
  objective: string;
  env_steps: number;
  random_start_steps: number;
  sac_updates_per_step: number;
  batch: number;
  real_ratio: number;
  sac_hidden: number;
  sac_tau: number;
  model_every: number;
  model_steps: number;
  model_patience: number;
  ensemble: string;
  rollout_starts: number;
  horizon: number;
  value_weight: number;
  classifier_steps: number;
  mnm_likelihood_weight: number;
};

export function deepSettings(tasks: Task[], algos: Algo[], scale: Scale): DeepSettingsRow[] {
  return tasks.flatMap((task) =>
    algos.map((algo) => {
      const c = runConfig(task, algo, scale);
      const m = c.model;
      return {
        task,
        agent: ALGO_LABEL[algo],
        objective: c.objective,
        env_steps: c.totalSteps,
        random_start_steps: c.startSteps,
        sac_updates_per_step: c.updatesPerStep,
        batch: c.batch,
        real_ratio: c.realRatio,
        sac_hidden: c.sac.hidden ?? 0,
        sac_tau: c.sac.tau ?? 0,
        model_every: m.every,
        model_steps: m.steps,
        model_patience: m.patience,
        ensemble: algo === 'sac' ? '—' : `${m.ensemble.members} (${m.ensemble.elites} elites) × [${m.ensemble.hidden}]`,
        rollout_starts: m.rolloutBatch,
        horizon: m.horizon,
        value_weight: m.mnm.valueWeight,
        classifier_steps: m.mnm.classifierSteps,
        mnm_likelihood_weight: m.mnm.likelihoodWeight,
      };
    }),
  );
}
