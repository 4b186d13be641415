/** The settings of the deep runs as a table, for the notebooks: one row per (task, agent) at a scale, all from runConfig. */
import { ALGO_LABEL, type Algo, type DeepSettings, modelBasedConfig, taskSettings, type Task } from './deep-runs';
import type { Scale } from '../experiment';

export type DeepSettingsRow = {
  task: Task;
  agent: string;
  objective: string;
  env_steps: number;
  random_start_steps: number;
  sac_updates_per_step: number;
  batch: number;
  sac_hidden: number;
  sac_tau: number;
  /** Null where the setting does not apply: the model's (and the real-data ratio) for model-free SAC, MnM's for all but MnM-approx. */
  real_ratio: number | null;
  model_every: number | null;
  model_steps: number | null;
  model_patience: number | null;
  ensemble: string | null;
  rollout_starts: number | null;
  horizon: number | null;
  value_weight: number | null;
  classifier_steps: number | null;
  mnm_likelihood_weight: number | null;
  /** The model's capacity limit: the cell its position input is quantised to (0: full resolution). */
  model_input_cell: number | null;
  /** The weight of the classifier term in the policy's model rewards (Eq. 5's: 1; MnM-approx's: 0). */
  classifier_reward_weight: number | null;
};

/** One run to show: its task, a label for its agent, its algorithm and its settings. */
export interface ShownRun {
  task: Task;
  agent: string;
  algo: Algo;
  settings: DeepSettings;
}

/** The scale's default runs of these agents on these tasks. */
export function deepSettings(tasks: Task[], algos: Algo[], scale: Scale): DeepSettingsRow[] {
  return settingsRows(
    tasks.flatMap((task) => algos.map((algo) => ({ task, agent: ALGO_LABEL[algo], algo, settings: taskSettings(task, scale) }))),
  );
}

/** Each run's training config as one row (from modelBasedConfig, the config the run trains with). */
export function settingsRows(runs: ShownRun[]): DeepSettingsRow[] {
  return runs.map(({ task, agent, algo, settings }) => {
    const c = modelBasedConfig(task, algo, settings);
    const m = c.model;
    const model = algo !== 'sac';
    return {
      task,
      agent,
      objective: c.objective,
      env_steps: c.totalSteps,
      random_start_steps: c.startSteps,
      sac_updates_per_step: c.updatesPerStep,
      batch: c.batch,
      real_ratio: model ? c.realRatio : null,
      sac_hidden: c.sac.hidden ?? 0,
      sac_tau: c.sac.tau ?? 0,
      model_every: model ? m.every : null,
      model_steps: model ? m.steps : null,
      model_patience: model ? m.patience : null,
      ensemble: model ? `${m.ensemble.members} (${m.ensemble.elites} elites) × [${m.ensemble.hidden}]` : null,
      rollout_starts: model ? m.rolloutBatch : null,
      horizon: model ? m.horizon : null,
      value_weight: algo === 'mnm' ? m.mnm.valueWeight : null,
      classifier_steps: algo === 'mnm' ? m.mnm.classifierSteps : null,
      mnm_likelihood_weight: algo === 'mnm' ? m.mnm.likelihoodWeight : null,
      model_input_cell: model ? m.ensemble.inputCell : null,
      classifier_reward_weight: algo === 'mnm' ? m.classifierRewardWeight : null,
    };
  });
}

/** A settings table for reading: the settings every run shares, one row each, and per run only the ones that differ. */
export interface SettingsSplit {
  /** A setting with one value wherever it applies, and the agents it applies to ("all", or e.g. "MBPO, MnM-approx"). */
  shared: { setting: string; value: string; applies_to: string }[];
  /** One row per (task, agent): its task and agent, then each setting whose value differs between runs ("—": does not apply). */
  differing: Record<string, string>[];
}

const shown = (v: string | number | null) => (v === null ? '—' : String(v));

/**
 * Splits the rows of `deepSettings` into what every run shares and what differs (a 16-column table is unreadable). A
 * setting that does not apply to some agents (the model's for SAC) but has one value wherever it does is shared.
 */
export function splitSettings(rows: DeepSettingsRow[]): SettingsSplit {
  if (rows.length === 0) return { shared: [], differing: [] };
  const first = rows[0];
  const keys = Object.keys(first).filter((k): k is keyof DeepSettingsRow => k in first && k !== 'task' && k !== 'agent');
  const applying = (k: keyof DeepSettingsRow) => rows.filter((r) => r[k] !== null);
  const differs = (k: keyof DeepSettingsRow) => new Set(applying(k).map((r) => shown(r[k]))).size > 1;
  const agents = (rs: DeepSettingsRow[]) => [...new Set(rs.map((r) => r.agent))];
  const allAgents = agents(rows).length;
  const shared = keys
    .filter((k) => !differs(k) && applying(k).length > 0)
    .map((k) => {
      const to = agents(applying(k));
      return { setting: k, value: shown(applying(k)[0][k]), applies_to: to.length === allAgents ? 'all' : to.join(', ') };
    });
  const varying = keys.filter(differs);
  const tasks = new Set(rows.map((r) => r.task)).size;
  const differing = rows.map((r) => ({
    ...(tasks > 1 ? { task: r.task } : {}),
    agent: r.agent,
    ...Object.fromEntries(varying.map((k) => [k, shown(r[k])])),
  }));
  return { shared, differing };
}
