/**
 * The training runs behind the deep experiments E7–E10, and their sizes at each scale.
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
 *          7-member/5-elite models, 1-step rollouts from 4,000 real states per model round, 10% real data per
 *          SAC batch, τ = 0.005. `npm run bench -- mbpo` measures the cost of each run and prints the wall-time
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
import { DEFAULT_MODEL, type EvalRow, type ModelBasedConfig, type ModelObjective, trainModelBased } from '../deep/model-based';
import { initBackend } from '../deep/backend';

export type Task = 'point-maze' | 'pendulum' | 'inverted-pendulum' | 'hopper';
export type Algo = 'sac' | 'mbpo' | 'mnm';
export const ALGO_LABEL: Record<Algo, string> = { sac: 'SAC (model-free)', mbpo: 'MBPO', mnm: 'MnM-approx' };
const OBJECTIVE: Record<Algo, ModelObjective> = { sac: 'none', mbpo: 'likelihood', mnm: 'mnm' };

interface Size {
  steps: number;
  start: number;
  G: number;
  tau: number;
  hidden: number;
  modelHidden: number;
  modelSteps: number;
  every: number;
  rollout: number;
  evalEvery: number;
  evalEpisodes: number;
  members: number;
  elites: number;
}

const SIZES: Record<Scale, Record<Task, Size>> = {
  smoke: {
    'point-maze': {
      steps: 160,
      start: 40,
      G: 1,
      tau: 0.02,
      hidden: 16,
      modelHidden: 16,
      modelSteps: 5,
      every: 40,
      rollout: 32,
      evalEvery: 80,
      evalEpisodes: 1,
      members: 3,
      elites: 2,
    },
    pendulum: {
      steps: 160,
      start: 40,
      G: 1,
      tau: 0.02,
      hidden: 16,
      modelHidden: 16,
      modelSteps: 5,
      every: 40,
      rollout: 32,
      evalEvery: 80,
      evalEpisodes: 1,
      members: 3,
      elites: 2,
    },
    'inverted-pendulum': {
      steps: 160,
      start: 40,
      G: 1,
      tau: 0.02,
      hidden: 16,
      modelHidden: 16,
      modelSteps: 5,
      every: 40,
      rollout: 32,
      evalEvery: 80,
      evalEpisodes: 1,
      members: 3,
      elites: 2,
    },
    hopper: {
      steps: 200,
      start: 100,
      G: 1,
      tau: 0.02,
      hidden: 16,
      modelHidden: 16,
      modelSteps: 5,
      every: 50,
      rollout: 32,
      evalEvery: 100,
      evalEpisodes: 1,
      members: 3,
      elites: 2,
    },
  },
  quick: {
    'point-maze': {
      steps: 1000,
      start: 200,
      G: 2,
      tau: 0.02,
      hidden: 64,
      modelHidden: 64,
      modelSteps: 60,
      every: 250,
      rollout: 256,
      evalEvery: 250,
      evalEpisodes: 2,
      members: 5,
      elites: 3,
    },
    pendulum: {
      steps: 1500,
      start: 200,
      G: 2,
      tau: 0.02,
      hidden: 64,
      modelHidden: 64,
      modelSteps: 60,
      every: 250,
      rollout: 256,
      evalEvery: 400,
      evalEpisodes: 2,
      members: 5,
      elites: 3,
    },
    'inverted-pendulum': {
      steps: 400,
      start: 200,
      G: 2,
      tau: 0.02,
      hidden: 32,
      modelHidden: 32,
      modelSteps: 40,
      every: 200,
      rollout: 128,
      evalEvery: 200,
      evalEpisodes: 2,
      members: 5,
      elites: 3,
    },
    hopper: {
      steps: 200,
      start: 100,
      G: 1,
      tau: 0.02,
      hidden: 16,
      modelHidden: 16,
      modelSteps: 5,
      every: 50,
      rollout: 32,
      evalEvery: 100,
      evalEpisodes: 1,
      members: 3,
      elites: 2,
    },
  },
  // MBPO's algorithmic settings scaled to the 2-hour budget (all of E7–E10, 5 seeds, 2 workers on 2 cores;
  // `npm run bench -- mbpo` measures each run and prints the estimate): G = 10 SAC updates per env step,
  // 7-member ensembles with 5 elites, 1-step model rollouts branched from 4,000 real states every 250 steps
  // (the model buffer keeps 4 rounds), 10% real data in each SAC batch, 2,500 env steps per run.
  paper: {
    'point-maze': {
      steps: 2500,
      start: 250,
      G: 10,
      tau: 0.005,
      hidden: 64,
      modelHidden: 128,
      modelSteps: 200,
      every: 250,
      rollout: 4000,
      evalEvery: 250,
      evalEpisodes: 5,
      members: 7,
      elites: 5,
    },
    pendulum: {
      steps: 2500,
      start: 250,
      G: 10,
      tau: 0.005,
      hidden: 64,
      modelHidden: 128,
      modelSteps: 200,
      every: 250,
      rollout: 4000,
      evalEvery: 250,
      evalEpisodes: 5,
      members: 7,
      elites: 5,
    },
    'inverted-pendulum': {
      steps: 2500,
      start: 300,
      G: 10,
      tau: 0.005,
      hidden: 64,
      modelHidden: 128,
      modelSteps: 200,
      every: 250,
      rollout: 4000,
      evalEvery: 250,
      evalEpisodes: 5,
      members: 7,
      elites: 5,
    },
    hopper: {
      steps: 3000,
      start: 1000,
      G: 3,
      tau: 0.005,
      hidden: 128,
      modelHidden: 128,
      modelSteps: 200,
      every: 250,
      rollout: 1000,
      evalEvery: 1000,
      evalEpisodes: 5,
      members: 7,
      elites: 5,
    },
  },
};

/**
 * Hopper sized for a cluster (e11-hopper with config size 'cluster'; docs/mujoco.md has the measured wall
 * time per seed and the Slurm recipe): MBPO's Hopper settings where our loop has them (125k env steps,
 * G = 20, 200-unit models, 7 members / 5 elites, policy 256 units).
 */
const CLUSTER_HOPPER: Size = {
  steps: 125000,
  start: 5000,
  G: 20,
  tau: 0.005,
  hidden: 256,
  modelHidden: 200,
  modelSteps: 500,
  every: 250,
  rollout: 10000,
  evalEvery: 5000,
  evalEpisodes: 5,
  members: 7,
  elites: 5,
};

/** The sizes a run trains at: the scale's, or the cluster size (Hopper only). */
export type RunSize = 'scale' | 'cluster';

/** The full training config of one run. */
export function runConfig(task: Task, algo: Algo, scale: Scale, horizon = 1, size: RunSize = 'scale'): ModelBasedConfig {
  if (size === 'cluster' && task !== 'hopper') throw new Error(`runConfig: the cluster size is defined for hopper only, not ${task}`);
  const s = size === 'cluster' ? CLUSTER_HOPPER : SIZES[scale][task];
  return {
    env: task,
    objective: OBJECTIVE[algo],
    totalSteps: s.steps,
    startSteps: s.start,
    updatesPerStep: s.G,
    batch: 128,
    realRatio: 0.1,
    // lr 1e-3 as in Stable-Baselines3 zoo's Pendulum SAC (and modelFreeConfig): faster at small step counts.
    sac: { hidden: s.hidden, gamma: 0.99, tau: s.tau, actorLr: 1e-3, criticLr: 1e-3, alphaLr: 1e-3 },
    model: {
      ...DEFAULT_MODEL,
      every: s.every,
      steps: s.modelSteps,
      rolloutBatch: s.rollout,
      horizon,
      ensemble: { ...DEFAULT_MODEL.ensemble, hidden: [s.modelHidden, s.modelHidden], members: s.members, elites: s.elites },
      classifier: { ...DEFAULT_MODEL.classifier, hidden: [s.modelHidden, s.modelHidden] },
    },
    evalEvery: s.evalEvery,
    evalEpisodes: s.evalEpisodes,
  };
}

export interface RunSpec {
  task: Task;
  algo: Algo;
  scale: Scale;
  seed: number;
  horizon?: number;
  size?: RunSize;
}

/** The Rng seed of a run: independent of which experiment asks for it, so experiments can share runs. */
export function runSeedKey(r: RunSpec): string {
  return `deep/${r.task}/${r.algo}/h${r.horizon ?? 1}/seed-${r.seed}`;
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
export type RunRow = Omit<EvalRow, 'model_val_mse' | 'model_policy_mse' | 'classifier_logit' | 'classifier_accuracy'> & {
  model_val_mse: number | null;
  model_policy_mse: number | null;
  classifier_logit: number | null;
  classifier_accuracy: number | null;
  backend: string;
};

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

function runRow(r: EvalRow, backend: string): RunRow {
  return {
    ...r,
    model_val_mse: finiteOrNull(r.model_val_mse),
    model_policy_mse: finiteOrNull(r.model_policy_mse),
    classifier_logit: finiteOrNull(r.classifier_logit),
    classifier_accuracy: finiteOrNull(r.classifier_accuracy),
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
  const config = runConfig(r.task, r.algo, r.scale, r.horizon ?? 1, r.size ?? 'scale');
  const seedKey = runSeedKey(r);
  const key = createHash('sha256').update(JSON.stringify({ config, seedKey })).digest('hex').slice(0, 16);
  const hit = memo.get(key);
  if (hit) return hit;
  const job = (async () => {
    const dir = diskCacheDir(r.scale);
    const file = dir ? path.join(dir, `${r.task}-${r.algo}-h${r.horizon ?? 1}-s${r.seed}-${key}-${codeHash()}.json`) : null;
    // Worker threads run E7 and E8 (say) of the same seed side by side: the second waits for the first's
    // result instead of training the same run again.
    return cachedInFile(
      file,
      'rows',
      async () => {
        const backend = await initBackend({ quiet: true });
        const trained = await trainModelBased(config, seedKey, { progress });
        return trained.map((row) => runRow(row, backend));
      },
      { extra: { spec: r, seedKey, config }, onHit: () => progress?.(config.totalSteps, config.totalSteps, 'cached run') },
    );
  })();
  memo.set(key, job);
  job.catch(() => memo.delete(key));
  return job;
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
