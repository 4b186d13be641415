/**
 * The training runs behind the deep experiments E7–E10, and their settings at each scale.
 *
 * A task's settings are one typed `DeepSettings` (G, τ, γ, widths, ensemble, rollouts, model training, MnM's
 * value weight and classifier steps, ...): `taskSettings(task, scale)` gives the defaults below, an
 * experiment's config can change any of them per task (checked by DEEP_SETTINGS_RULES, lib/config.ts's
 * rules), and `modelBasedConfig` turns them into the training loop's config.
 *
 * A run is (task, algorithm, rollout horizon, scale, seed) → evaluation rows. Several experiments read the
 * same runs (E7 and E8 read the same MBPO and MnM-approx runs on the maze; E10 reads those again, and E9's
 * horizon 1 is E10's MnM-approx run), so runs are memoised: in this process, and at quick/paper scale also
 * on disk under results/.cache/deep-runs. The disk key contains the run's full config and a hash of the
 * source of lib/deep, lib/envs and lib/rng.ts, so any change to the code or the config recomputes it; a
 * cached run is exactly what a fresh one would return (runs are deterministic given their seed key).
 * MNM_RUN_CACHE=off disables the disk cache.
 *
 * Scale (compare: the paper runs MBPO-sized agents for 10^5–10^6 env steps, 4×200-unit models, G = 20–40
 * SAC updates per env step, several seeds):
 *   smoke  a few hundred env steps, 16-unit networks: checks that everything runs (seconds).
 *          InvertedPendulum and Hopper (MuJoCo, docs/mujoco.md) at every scale but paper stay this small or
 *          close (quick: 400 InvertedPendulum steps), so the default run grows little.
 *   quick  1k (maze) / 1.5k (pendulum) env steps, 64-unit networks, 2 SAC updates per step, Polyak τ = 0.02
 *          (4× the usual, so values propagate within so few updates), 3 seeds (E9: 2): all of E7–E10 in
 *          minutes on 2 cores. Learning has barely started at this size: Q estimates lag the returns.
 *   paper  MBPO's settings scaled so that all of E7–E10 (5 seeds) fit in about 2 hours on this 2-core machine
 *          with 2 workers: 2.5k env steps per run, G = 10 SAC updates per env step, 64-unit SAC and 128-unit
 *          7-member/5-elite models trained to a held-out plateau (patience 5), 1-step rollouts from 20,000 real
 *          states per model round (only the sampled elite evaluated per row), 10% real data per
 *          SAC batch, τ = 0.02 (from the budget: budgetTau). `npm run bench -- mbpo` measures the cost of each run and prints the wall-time
 *          estimate. E7–E10 check sanity bars at every scale (SAC reaches the Pendulum band, MBPO gets there
 *          first, SAC's critic tracks its return); a failed bar makes their verdicts inconclusive.
 *          InvertedPendulum starts after 300 random steps. Hopper 3k (not part of E7–E10; a check: Hopper
 *          learns little in 3k steps); it also has a size for a cluster (CLUSTER_HOPPER: 125k env steps, G = 20;
 *          docs/mujoco.md).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Scale } from '../experiment';
import { fingerprint } from '../fingerprint';
import { cachedInFile } from '../disk-cache';
import { type ConfigSpec, type FieldRules, rules } from '../config';
import { DEFAULT_MODEL, type EvalRow, type ModelBasedConfig, trainModelBased } from '../deep/model-based';
import type { ObjectiveName } from '../deep/objective';
import { initBackend } from '../deep/backend';
import { type DeepBackend, deepBackend } from '../deep/deep-backend';
import type { EnvName } from '../envs/index';

/** The tasks the deep experiments have sizes for: env names of the registry (lib/envs). */
export type Task = Extract<EnvName, 'point-maze' | 'pendulum' | 'inverted-pendulum' | 'hopper'>;
export type Algo = 'sac' | 'mbpo' | 'mnm';
export const ALGO_LABEL: Record<Algo, string> = { sac: 'SAC (model-free)', mbpo: 'MBPO', mnm: 'MnM-approx' };
const OBJECTIVE: Record<Algo, ObjectiveName> = { sac: 'none', mbpo: 'likelihood', mnm: 'mnm' };

/**
 * The settings of a task's deep runs (every agent on that task trains with them; only the model objective
 * differs): what an experiment's config exposes per task, so `mnm run --config`, sweeps and notebooks can
 * change any of them.
 */
export interface DeepSettings {
  /** Env steps per run. */
  envSteps: number;
  /** Uniform random actions before the agent acts and learns. */
  randomSteps: number;
  /** SAC updates per env step (MBPO's G). */
  updatesPerStep: number;
  /** Polyak rate of the target critics. */
  tau: number;
  gamma: number;
  /** SAC batch size. */
  batch: number;
  /** Fraction of each SAC batch from real data (model-based agents). */
  realRatio: number;
  /** Width of SAC's two hidden layers. */
  sacHidden: number;
  /** Width of the model's (and the classifier's) two hidden layers. */
  modelHidden: number;
  /** Ensemble members, and the elites among them that rollouts use. */
  members: number;
  elites: number;
  /** Env steps between model rounds. */
  modelEvery: number;
  /** Gradient steps of model training per round (MnM-approx; MBPO when modelPatience is 0). */
  modelSteps: number;
  /** MBPO: train the model to a held-out plateau, stopping after this many epochs without progress (0: modelSteps steps). */
  modelPatience: number;
  /** At most this many epochs per round when training to a plateau. */
  modelMaxEpochs: number;
  /** Model rollouts started per round, and their length k. */
  rollouts: number;
  horizon: number;
  /** MnM-approx: weight of V(s') in Eq. 9, and classifier steps per model step. */
  valueWeight: number;
  classifierSteps: number;
  /** MnM-approx: weight of a likelihood term on the next state beside Eq. 9, and rounds that start with a likelihood warm-up. */
  mnmLikelihoodWeight: number;
  mnmWarmupRounds: number;
  /** The model's capacity limit: it sees the maze position to the centre of a cell this wide (E7 Stage B); 0 = full resolution. */
  modelInputCell: number;
  /** MnM-approx: weight of the classifier logit added to the policy's model rewards (Eq. 5's term: 1; the paper's MnM-approx: 0). */
  classifierRewardWeight: number;
  /** Env steps between evaluations, and episodes per evaluation. */
  evalEvery: number;
  evalEpisodes: number;
}

const posInt = rules.intAtLeast(1);

/** The rules of a task's settings (lib/config.ts): one error naming the bad field, e.g. `config.pendulum.tau must be in (0, 1], got 2`. */
export const DEEP_SETTINGS_RULES: FieldRules<DeepSettings> = rules.fields<DeepSettings>(
  {
    envSteps: posInt,
    randomSteps: posInt,
    updatesPerStep: posInt,
    tau: (x) => (x > 0 && x <= 1 ? null : 'must be in (0, 1]'),
    gamma: rules.between(0, 1, true),
    batch: posInt,
    realRatio: rules.between(0, 1),
    sacHidden: posInt,
    modelHidden: posInt,
    members: posInt,
    elites: posInt,
    modelEvery: posInt,
    modelSteps: posInt,
    modelPatience: rules.intAtLeast(0),
    modelMaxEpochs: posInt,
    rollouts: posInt,
    horizon: posInt,
    valueWeight: rules.atLeast(0),
    classifierSteps: posInt,
    mnmLikelihoodWeight: rules.atLeast(0),
    mnmWarmupRounds: rules.intAtLeast(0),
    modelInputCell: rules.atLeast(0),
    classifierRewardWeight: rules.atLeast(0),
    evalEvery: posInt,
    evalEpisodes: posInt,
  },
  (s) =>
    s.elites > s.members
      ? ['elites', `must be at most members (${s.members})`]
      : s.randomSteps >= s.envSteps
        ? ['randomSteps', `must be below envSteps (${s.envSteps})`]
        : null,
);

/** What every task and scale shares unless it says otherwise. */
const COMMON = {
  gamma: 0.99,
  batch: 128,
  realRatio: 0.1,
  horizon: 1,
  valueWeight: 0.01,
  classifierSteps: 1,
  // MnM-approx: Eq. 9 plus a likelihood term on the next state (docs/DEEP-AGENTS.md: without it the first-round
  // model is 2,000–4,800× worse than MBPO's).
  mnmLikelihoodWeight: 1,
  mnmWarmupRounds: 0,
  modelInputCell: 0,
  classifierRewardWeight: 0,
};

/** Smoke: seconds per run, 16-unit networks (every task alike except Hopper's longer episodes). */
const SMOKE: DeepSettings = {
  ...COMMON,
  envSteps: 160,
  randomSteps: 40,
  updatesPerStep: 1,
  tau: 0.02,
  sacHidden: 16,
  modelHidden: 16,
  modelSteps: 5,
  modelPatience: 5,
  modelMaxEpochs: 5,
  modelEvery: 40,
  rollouts: 32,
  evalEvery: 80,
  evalEpisodes: 1,
  members: 3,
  elites: 2,
};
const SMOKE_HOPPER: DeepSettings = { ...SMOKE, envSteps: 200, randomSteps: 100, modelEvery: 50, evalEvery: 100 };

/** Quick: 64-unit networks, G = 2, τ = 0.02 (so values propagate within so few updates). */
const QUICK: DeepSettings = {
  ...COMMON,
  envSteps: 1000,
  randomSteps: 200,
  updatesPerStep: 2,
  tau: 0.02,
  sacHidden: 64,
  modelHidden: 64,
  modelSteps: 60,
  modelPatience: 5,
  modelMaxEpochs: 30,
  modelEvery: 250,
  rollouts: 256,
  evalEvery: 250,
  evalEpisodes: 2,
  members: 5,
  elites: 3,
};

// MBPO's algorithmic settings scaled to the 2-hour budget (all of E7–E10, 5 seeds, 2 workers on 2 cores;
// `npm run bench -- mbpo` measures each run and prints the estimate): G = 10 SAC updates per env step,
// 7-member ensembles with 5 elites trained to a held-out plateau (patience 5, as mbrl-lib), 1-step model
// rollouts branched from 20,000 real states every 250 steps (MBPO: 400 per env step, 100k per round)
// (the model buffer keeps 4 rounds), 10% real data in each SAC batch, 2,500 env steps per run.
const PAPER: DeepSettings = {
  ...COMMON,
  envSteps: 2500,
  randomSteps: 250,
  updatesPerStep: 10,
  // τ from the budget (budgetTau): τ(1 − γ)·U = 0.02 · 0.01 · 22,500 = 4.5 ≥ 4, so the target critics' lag at
  // the end is e^−4.5 ≈ 1% of |V| (MBPO's 0.005 would leave e^−1.1 ≈ 32% at this budget).
  tau: 0.02,
  sacHidden: 64,
  modelHidden: 128,
  modelSteps: 200,
  modelPatience: 5,
  modelMaxEpochs: 100,
  modelEvery: 250,
  rollouts: 20000,
  evalEvery: 250,
  evalEpisodes: 5,
  members: 7,
  elites: 5,
};

const SIZES: Record<Scale, Record<Task, DeepSettings>> = {
  smoke: { 'point-maze': SMOKE, pendulum: SMOKE, 'inverted-pendulum': SMOKE, hopper: SMOKE_HOPPER },
  quick: {
    'point-maze': QUICK,
    pendulum: { ...QUICK, envSteps: 1500, evalEvery: 400 },
    'inverted-pendulum': {
      ...QUICK,
      envSteps: 400,
      sacHidden: 32,
      modelHidden: 32,
      modelSteps: 40,
      modelEvery: 200,
      rollouts: 128,
      evalEvery: 200,
    },
    hopper: SMOKE_HOPPER,
  },
  paper: {
    'point-maze': PAPER,
    pendulum: PAPER,
    'inverted-pendulum': { ...PAPER, randomSteps: 300 },
    hopper: { ...PAPER, tau: 0.005, envSteps: 3000, randomSteps: 1000, updatesPerStep: 3, sacHidden: 128, rollouts: 1000, evalEvery: 1000 },
  },
};

/**
 * Hopper sized for a cluster (e11-hopper with config size 'cluster'; docs/mujoco.md has the measured wall
 * time per seed and the Slurm recipe): MBPO's Hopper settings where our loop has them (125k env steps,
 * G = 20, 200-unit models, 7 members / 5 elites, policy 256 units).
 */
const CLUSTER_HOPPER: DeepSettings = {
  ...PAPER,
  tau: 0.005,
  envSteps: 125000,
  randomSteps: 5000,
  updatesPerStep: 20,
  sacHidden: 256,
  modelHidden: 200,
  modelSteps: 500,
  rollouts: 10000,
  evalEvery: 5000,
};

/**
 * τ from the budget: the target critics close their gap at rate τ(1 − γ) per update, so after U updates the lag
 * left is e^(−τ(1−γ)U); τ(1 − γ)·U ≥ 4 leaves under 2% of |V|. The τ this asks for (at most 1).
 */
export function budgetTau(s: DeepSettings): number {
  const updates = (s.envSteps - s.randomSteps) * s.updatesPerStep;
  return Math.min(1, 4 / ((1 - s.gamma) * updates));
}

/** The sizes a run trains at: the scale's, or the cluster size (Hopper only). */
export type RunSize = 'scale' | 'cluster';

/** The config of the experiments that train on the point maze and check their bars on Pendulum (E7, E8). */
export interface MazeConfig {
  'point-maze': DeepSettings;
  pendulum: DeepSettings;
}

export const MAZE_CONFIG: ConfigSpec<MazeConfig> = {
  defaults: (scale) => ({ 'point-maze': taskSettings('point-maze', scale), pendulum: taskSettings('pendulum', scale) }),
  rules: { 'point-maze': DEEP_SETTINGS_RULES, pendulum: DEEP_SETTINGS_RULES },
};

/** A task's default settings at a scale (a fresh copy: callers may change it). */
export function taskSettings(task: Task, scale: Scale, size: RunSize = 'scale'): DeepSettings {
  if (size === 'cluster' && task !== 'hopper') throw new Error(`taskSettings: the cluster size is defined for hopper only, not ${task}`);
  return { ...(size === 'cluster' ? CLUSTER_HOPPER : SIZES[scale][task]) };
}

/** The full training config of one run of `algo` on `task` with settings `s` (the run's horizon: `s.horizon`). */
export function modelBasedConfig(task: Task, algo: Algo, s: DeepSettings): ModelBasedConfig {
  return {
    env: task,
    objective: OBJECTIVE[algo],
    totalSteps: s.envSteps,
    startSteps: s.randomSteps,
    updatesPerStep: s.updatesPerStep,
    batch: s.batch,
    realRatio: s.realRatio,
    // lr 1e-3 as in Stable-Baselines3 zoo's Pendulum SAC (and modelFreeConfig): faster at small step counts.
    sac: { hidden: s.sacHidden, gamma: s.gamma, tau: s.tau, actorLr: 1e-3, criticLr: 1e-3, alphaLr: 1e-3 },
    model: {
      ...DEFAULT_MODEL,
      every: s.modelEvery,
      steps: s.modelSteps,
      patience: s.modelPatience,
      maxEpochs: s.modelMaxEpochs,
      rolloutBatch: s.rollouts,
      horizon: s.horizon,
      ensemble: {
        ...DEFAULT_MODEL.ensemble,
        hidden: [s.modelHidden, s.modelHidden],
        members: s.members,
        elites: s.elites,
        inputCell: s.modelInputCell,
      },
      classifierRewardWeight: s.classifierRewardWeight,
      classifier: { ...DEFAULT_MODEL.classifier, hidden: [s.modelHidden, s.modelHidden] },
      mnm: {
        valueWeight: s.valueWeight,
        classifierSteps: s.classifierSteps,
        likelihoodWeight: s.mnmLikelihoodWeight,
        warmupRounds: s.mnmWarmupRounds,
      },
    },
    evalEvery: s.evalEvery,
    evalEpisodes: s.evalEpisodes,
  };
}

/** The full training config of one run at a scale's default settings. */
export function runConfig(task: Task, algo: Algo, scale: Scale, horizon = 1, size: RunSize = 'scale'): ModelBasedConfig {
  return modelBasedConfig(task, algo, { ...taskSettings(task, scale, size), horizon });
}

export interface RunSpec {
  task: Task;
  algo: Algo;
  scale: Scale;
  seed: number;
  /** The rollout horizon, when it differs from the settings' (E9). */
  horizon?: number;
  size?: RunSize;
  /** The task's settings (an experiment's config); the scale's defaults when absent. */
  settings?: DeepSettings;
  /** The deep backend that runs its SAC updates and model (lib/deep/deep-backend.ts); this process's choice when absent. */
  backend?: DeepBackend;
  /**
   * A name for a run whose settings make it another agent than its algorithm's default (E7's 'eq5' and 'full'
   * arms, the sanity bars' 'standard' SAC): part of its file names, so two such runs of one seed never share one.
   */
  variant?: string;
}

/**
 * The Rng seed of a run: independent of which experiment asks for it, so experiments can share runs, and
 * independent of the agent and the rollout horizon, so the agents of seed k draw common random numbers:
 * every stream of the loop is a fork of this key by name (lib/deep/model-based.ts), so MBPO, MnM-approx and
 * SAC of seed k collect the same random-phase data from the same resets, start from the same SAC weights
 * (their networks have the same shapes) and MBPO and MnM-approx from the same model weights. Pairing by
 * seed then pairs runs that differ only by what the agent does.
 */
export function runSeedKey(r: Pick<RunSpec, 'task' | 'seed'>): string {
  return `deep/${r.task}/seed-${r.seed}`;
}

let sourceHash: string | null = null;
// Modules a run's numbers do not depend on: the Scale type, the cache itself and the hasher. Leaving them
// out keeps a long run's finished seeds valid while the experiment layer around them is edited.
const NOT_TRAINING = ['experiment.ts', 'fingerprint.ts', 'disk-cache.ts'].map((f) =>
  path.join(path.resolve(fs.realpathSync(__dirname), '..'), f),
);

/** The code fingerprint of what a run depends on (this module and the training code it imports); the disk cache is keyed by it. */
export function codeHash(): string {
  sourceHash ??= fingerprint(__filename, (f) => NOT_TRAINING.includes(f)).hash;
  return sourceHash;
}

/** An evaluation row as plain JSON: the model's numbers are null where there is none (model-free SAC, before the first round). */
type MaybeNumber =
  | 'model_val_mse'
  | 'model_policy_mse'
  | 'classifier_logit'
  | 'classifier_accuracy'
  | 'model_epochs'
  | 'model_train_steps'
  | 'model_rollouts'
  | 'model_crossing';
export type RunRow = Omit<EvalRow, MaybeNumber> & { [K in MaybeNumber]: number | null } & { backend: string };

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

function runRow(r: EvalRow, backend: string): RunRow {
  return {
    ...r,
    model_val_mse: finiteOrNull(r.model_val_mse),
    model_policy_mse: finiteOrNull(r.model_policy_mse),
    classifier_logit: finiteOrNull(r.classifier_logit),
    classifier_accuracy: finiteOrNull(r.classifier_accuracy),
    model_epochs: finiteOrNull(r.model_epochs),
    model_train_steps: finiteOrNull(r.model_train_steps),
    model_rollouts: finiteOrNull(r.model_rollouts),
    model_crossing: finiteOrNull(r.model_crossing),
    backend,
  };
}

const memo = new Map<string, Promise<RunRow[]>>();

function diskCacheDir(scale: Scale): string | null {
  if (scale === 'smoke' || process.env.MNM_RUN_CACHE === 'off') return null;
  // The cache belongs to the project root, wherever the module was loaded from.
  return path.resolve(fs.realpathSync(__dirname), '..', '..', 'results', '.cache', 'deep-runs');
}

/**
 * The evaluation rows of one run, trained on first use (memoised; see the module comment).
 * `progress` gets (env steps done, total, note).
 */
export async function deepRun(r: RunSpec, progress?: (done: number, total: number, note?: string) => void): Promise<RunRow[]> {
  const settings = r.settings ?? taskSettings(r.task, r.scale, r.size ?? 'scale');
  const config = modelBasedConfig(r.task, r.algo, { ...settings, horizon: r.horizon ?? settings.horizon });
  const seedKey = runSeedKey(r);
  // The backend is part of what a run is: the engine's numbers agree with TensorFlow.js's only to ~1e-4.
  const deep = r.backend ?? deepBackend();
  const spec: RunSpec = { ...r, backend: deep };
  const key = createHash('sha256')
    .update(JSON.stringify({ config, seedKey, backend: deep }))
    .digest('hex')
    .slice(0, 16);
  const hit = memo.get(key);
  if (hit) return hit;
  const job = (async () => {
    const dir = diskCacheDir(r.scale);
    const file = dir ? path.join(dir, `${runName(r)}-${key}-${codeHash()}.json`) : null;
    // Worker threads run E7 and E8 (say) of the same seed side by side: the second waits for the first's
    // result instead of training the same run again.
    return cachedInFile(
      file,
      'rows',
      async () => {
        const tf = await initBackend({ quiet: true });
        const trained = await trainModelBased(config, seedKey, { progress }, deep);
        // 'tfjs:wasm', or 'engine:wasm' (the engine runs SAC, the model's training and rollouts and MnM-approx's step).
        return trained.map((row) => runRow(row, `${deep}:${tf}`));
      },
      { extra: { spec, seedKey, config }, onHit: () => progress?.(config.totalSteps, config.totalSteps, 'cached run') },
    );
  })();
  memo.set(key, job);
  job.catch(() => memo.delete(key));
  return job;
}

const VARIANT = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The name of a run in file names: `point-maze-mnm-h1-s0`, `point-maze-mnm-eq5-h1-s0` with a variant. */
export function runName(spec: Pick<RunSpec, 'task' | 'algo' | 'horizon' | 'seed' | 'variant'>): string {
  if (spec.variant !== undefined && !VARIANT.test(spec.variant))
    throw new Error(`variant must be lower-case letters and digits joined by '-', got ${JSON.stringify(spec.variant)}`);
  return `${spec.task}-${spec.algo}${spec.variant ? `-${spec.variant}` : ''}-h${spec.horizon ?? 1}-s${spec.seed}`;
}

/** The row with the largest step of each (seed, …key) group: a run's final evaluation. */
export function finalRows<T extends { seed: number; step: number }>(rows: T[], key: (r: T) => string): T[] {
  const best = new Map<string, T>();
  for (const r of rows) {
    const k = `${r.seed}\u0000${key(r)}`;
    const b = best.get(k);
    if (!b || r.step > b.step) best.set(k, r);
  }
  return [...best.values()];
}
