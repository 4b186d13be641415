/**
 * The model-based training loop shared by MBPO and MnM-approx (and, with no model, model-free SAC):
 *
 *   every env step: act (uniform random for the first `startSteps`, then the SAC policy), store the real
 *   transition; every `model.every` steps: one model round (train the ensemble with the chosen objective,
 *   measure validation MSE, then roll the policy out `horizon` steps in the model from `rolloutBatch`
 *   real states into the model buffer); then `updatesPerStep` SAC updates on batches that mix
 *   `realRatio` real data with model data; every `evalEvery` steps: evaluation (return, Q vs Monte Carlo).
 *
 * The ONLY difference between the algorithms is the model objective of a round (`objective`):
 *   'likelihood' → MBPO (Gaussian NLL);  'mnm' → MnM-approx (Eq. 9 + classifier Eq. 4);  'none' → SAC.
 * The policy always learns from the task reward (as the paper's MnM-approx does); setting
 * `model.classifierRewardWeight` > 0 adds w·logit C to model rewards (Eq. 5's classifier term) as an option.
 *
 * Randomness: every stream is a fork of the run's Rng keyed by the env step (`t<step>/...`), so the run is
 * a pure function of (config, seed key) and a run resumed from a checkpoint repeats the uninterrupted one.
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Rng } from '../rng';
import { checkConfig, type FieldRules, rules } from '../config';
import { ENV_NAMES, type Env, type EnvName, makeEnv, prepareEnv } from '../envs/index';
import { TransitionClassifier, DEFAULT_CLASSIFIER, type ClassifierConfig, type ClassifierState } from './classifier';
import {
  DEFAULT_ENSEMBLE,
  GaussianEnsemble,
  type EnsembleConfig,
  type EnsembleState,
  type Transitions,
  subsetTransitions,
} from './dynamics';
import { DEFAULT_MNM_MODEL, type MnmModelConfig } from './mnm-model';
import { type ModelObjective, OBJECTIVE_NAMES, type ObjectiveName, objectiveOf } from './objective';
import { type Batch, ReplayBuffer, type SavedReplay } from './replay';
import { Sac, type SacConfig, type SacSaved } from './sac';
import type { DeepBackend } from './deep-backend';
import { checkFinite } from './train-guard';
import { writeFolderAtomic } from './checkpoint';
import { evaluateQ } from './q-evaluation';

export interface ModelConfig {
  /** Env steps between model rounds (training + rollouts). MBPO: 250. */
  every: number;
  /** Gradient steps per model round (MnM-approx; MBPO too when `patience` is 0). */
  steps: number;
  batch: number;
  /**
   * MBPO: train to a held-out plateau, stopping after this many epochs without progress (mbrl-lib's MBPO
   * configs: 5; GaussianEnsemble.fitToPlateau); 0 = a fixed `steps` gradient steps per round.
   */
  patience: number;
  /** At most this many epochs per round when training to a plateau (a budget cap). */
  maxEpochs: number;
  /** Fraction of real transitions held out for the validation MSE (at most maxHoldout of them). */
  holdout: number;
  maxHoldout: number;
  ensemble: Omit<EnsembleConfig, 'obsDim' | 'actDim'>;
  classifier: Omit<ClassifierConfig, 'obsDim' | 'actDim'>;
  mnm: MnmModelConfig;
  /** Real start states per round. */
  rolloutBatch: number;
  /** Model rollout length k (MBPO's k). */
  horizon: number;
  /** The model buffer keeps this many rounds of rollouts. */
  retainRounds: number;
  /** Weight of the classifier logit added to model rewards: 0 = MnM-approx (task reward), 1 = Eq. 5's term. */
  classifierRewardWeight: number;
}

export interface ModelBasedConfig {
  env: EnvName;
  objective: ObjectiveName;
  totalSteps: number;
  /** Uniform random actions before the agent acts (and before any update). */
  startSteps: number;
  /** SAC updates per env step once learning starts (MBPO's G). */
  updatesPerStep: number;
  batch: number;
  /** Fraction of each SAC batch drawn from real data (ignored, = 1, without a model). */
  realRatio: number;
  sac: Partial<SacConfig>;
  model: ModelConfig;
  evalEvery: number;
  evalEpisodes: number;
}

export const DEFAULT_MODEL: ModelConfig = {
  every: 250,
  steps: 200,
  batch: 128,
  patience: 5,
  maxEpochs: 100,
  // As Janner et al.'s MBPO and mbrl-lib: 20% of the real data held out (at most 5,000 transitions).
  holdout: 0.2,
  maxHoldout: 5000,
  ensemble: DEFAULT_ENSEMBLE,
  classifier: DEFAULT_CLASSIFIER,
  mnm: DEFAULT_MNM_MODEL,
  rolloutBatch: 400,
  horizon: 1,
  retainRounds: 4,
  classifierRewardWeight: 0,
};

/**
 * Model-free SAC: this loop with no model (objective 'none', every batch real). The defaults are those of
 * Stable-Baselines3 zoo's Pendulum-v1 SAC (lr 1e-3, batch 256, 1000 random steps).
 */
export function modelFreeConfig(env: EnvName, overrides: Partial<Omit<ModelBasedConfig, 'env' | 'objective'>> = {}): ModelBasedConfig {
  return {
    env,
    objective: 'none',
    totalSteps: 20_000,
    startSteps: 1_000,
    updatesPerStep: 1,
    batch: 256,
    realRatio: 1,
    sac: { actorLr: 1e-3, criticLr: 1e-3, alphaLr: 1e-3 },
    model: DEFAULT_MODEL,
    evalEvery: 2_000,
    evalEpisodes: 5,
    ...overrides,
  };
}

const posInt = rules.intAtLeast(1);

/** The rules of a config (lib/config.ts's style): one error naming the bad field, e.g. `model-based config: totalSteps must be an integer >= 1, got 0`. */
export const MODEL_BASED_RULES: FieldRules<ModelBasedConfig> = rules.fields<ModelBasedConfig>(
  {
    env: rules.oneOf(ENV_NAMES),
    objective: rules.oneOf(OBJECTIVE_NAMES),
    totalSteps: posInt,
    startSteps: posInt,
    updatesPerStep: posInt,
    batch: posInt,
    realRatio: rules.between(0, 1),
    evalEvery: posInt,
    evalEpisodes: posInt,
    model: rules.fields<ModelConfig>({
      every: posInt,
      steps: posInt,
      batch: posInt,
      patience: rules.intAtLeast(0),
      maxEpochs: posInt,
      holdout: rules.between(0, 1, true),
      maxHoldout: posInt,
      rolloutBatch: posInt,
      horizon: posInt,
      retainRounds: posInt,
      classifierRewardWeight: rules.atLeast(0),
      mnm: rules.fields<MnmModelConfig>({
        valueWeight: rules.atLeast(0),
        classifierSteps: posInt,
        likelihoodWeight: rules.atLeast(0),
        warmupRounds: rules.intAtLeast(0),
      }),
      ensemble: rules.fields<ModelConfig['ensemble']>({ members: posInt, elites: posInt }, (e) =>
        e.elites > e.members ? ['elites', `must be at most members (${e.members})`] : null,
      ),
    }),
  },
  (c) =>
    c.model.classifierRewardWeight > 0 && !objectiveOf(c.objective).hasClassifier
      ? ['objective', "must be 'mnm' when model.classifierRewardWeight > 0 (only MnM trains the classifier)"]
      : null,
);

/** One evaluation point of a run: plain numbers (JSON rows of the experiments). */
export interface EvalRow {
  step: number;
  /** Mean undiscounted return of `evalEpisodes` episodes of the deterministic policy. */
  eval_return: number;
  /** Mean of min(Q1, Q2)(s_t, a_t) over the steps of `evalEpisodes` episodes of the stochastic policy. */
  q_estimate: number;
  /** Mean over the same (s_t, a_t) of the soft Monte Carlo return from t (continued past the time limit; see q-evaluation.ts). */
  mc_return: number;
  /** The same without the entropy bonus: task reward only. */
  mc_task_return: number;
  /** Validation MSE of the model's mean next observation (elites; NaN before the first round or without a model). */
  model_val_mse: number;
  /**
   * The same MSE on the transitions of this evaluation's stochastic episodes: the current policy's own states
   * (NaN before the first round or without a model). Above model_val_mse, the policy goes where the model is wrong.
   */
  model_policy_mse: number;
  /** Mean clipped classifier logit on model samples at the last MnM step (NaN otherwise). */
  classifier_logit: number;
  classifier_accuracy: number;
  /** Model rounds so far, and of the last one: its epochs (NaN unless trained to a plateau), gradient steps and rollout transitions. */
  model_rounds: number;
  model_epochs: number;
  model_train_steps: number;
  model_rollouts: number;
  /** Of the last model round's rollout transitions, the fraction the task's physics forbids (the maze: through its wall; NaN where the task has no such check or before the first round). */
  model_crossing: number;
  /** SAC temperature. */
  alpha: number;
}

/** Milliseconds spent so far in each part of the loop (read by `npm run bench -- mbpo`). */
export interface LoopTiming {
  modelTraining: number;
  rollouts: number;
  sacUpdates: number;
  evaluation: number;
}

export interface RunHooks {
  progress?: (done: number, total: number, note?: string) => void;
  /** Save a checkpoint into this folder at the first episode end after every `checkpointEvery` steps. */
  checkpointDir?: string;
  checkpointEvery?: number;
  /** Stop (after a checkpoint) once this many env steps are done: for tests of resume. */
  stopAfter?: number;
}

/** The last model round's numbers (NaN before the first). */
interface LastModel {
  valMse: number;
  logit: number;
  accuracy: number;
  rounds: number;
  epochs: number;
  trainSteps: number;
  rollouts: number;
  crossing: number;
}

const NO_ROUND: LastModel = {
  valMse: NaN,
  logit: NaN,
  accuracy: NaN,
  rounds: 0,
  epochs: NaN,
  trainSteps: NaN,
  rollouts: NaN,
  crossing: NaN,
};

interface RunState {
  format: 'mnm-model-based-1';
  config: ModelBasedConfig;
  seedKey: string;
  step: number;
  rows: EvalRow[];
  lastModel: LastModel;
  sac: SacSaved;
  model: EnsembleState | null;
  classifier: ClassifierState | null;
  buffers: { real: SavedReplay; model: SavedReplay | null };
}

/** Rows [0, size) of a ReplayBuffer, as one Batch (the real buffer never wraps: its capacity is totalSteps). */
function allRows(buf: ReplayBuffer): Batch {
  return buf.gather(Int32Array.from({ length: buf.size }, (_, i) => i));
}

function concatBatches(a: Batch, b: Batch): Batch {
  const cat = (x: Float32Array, y: Float32Array) => {
    const out = new Float32Array(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  };
  return {
    n: a.n + b.n,
    obs: cat(a.obs, b.obs),
    act: cat(a.act, b.act),
    rew: cat(a.rew, b.rew),
    nextObs: cat(a.nextObs, b.nextObs),
    done: cat(a.done, b.done),
  };
}

export class ModelBasedRun {
  readonly config: ModelBasedConfig;
  readonly env: Env;
  readonly evalEnv: Env;
  readonly sac: Sac;
  readonly model: GaussianEnsemble | null;
  readonly classifier: TransitionClassifier | null;
  readonly objective: ModelObjective;
  real: ReplayBuffer;
  modelBuffer: ReplayBuffer | null;
  readonly rows: EvalRow[] = [];
  readonly timing: LoopTiming = { modelTraining: 0, rollouts: 0, sacUpdates: 0, evaluation: 0 };
  step = 0;
  private readonly rng: Rng;
  private obs: Float32Array | null = null;
  private lastModel: LastModel = { ...NO_ROUND };

  /**
   * MuJoCo tasks: `await prepareEnv(config.env)` first (trainModelBased and resume do). `opts.backend` runs the SAC
   * updates and the model's likelihood training and rollouts on that deep backend (default: ./deep-backend's choice).
   */
  constructor(
    config: ModelBasedConfig,
    readonly seedKey: string,
    opts: { backend?: DeepBackend } = {},
  ) {
    checkConfig('model-based config', config, MODEL_BASED_RULES);
    this.config = config;
    this.rng = new Rng(seedKey);
    this.env = makeEnv(config.env);
    this.evalEnv = makeEnv(config.env);
    const { obsDim, actDim } = this.env;
    this.sac = new Sac({ obsDim, actDim, actLow: this.env.actLow, actHigh: this.env.actHigh }, config.sac, this.rng.fork('sac'), opts);
    this.real = new ReplayBuffer(config.totalSteps, obsDim, actDim);
    this.objective = objectiveOf(config.objective);
    const m = config.model;
    this.model = this.objective.hasModel ? new GaussianEnsemble({ ...m.ensemble, obsDim, actDim }, this.rng.fork('model'), opts) : null;
    this.classifier = this.objective.hasClassifier
      ? new TransitionClassifier({ ...m.classifier, obsDim, actDim }, this.rng.fork('classifier'))
      : null;
    this.modelBuffer = this.objective.hasModel ? new ReplayBuffer(m.rolloutBatch * m.horizon * m.retainRounds, obsDim, actDim) : null;
  }

  /** The Rng of env step t (every random draw of that step comes from its forks). */
  private stepRng(t: number): Rng {
    return this.rng.fork(`t${t}`);
  }

  /** Runs until `config.totalSteps` (or hooks.stopAfter) env steps are done. Returns the evaluation rows. */
  async run(hooks: RunHooks = {}): Promise<EvalRow[]> {
    const c = this.config;
    let lastCheckpoint = this.step;
    while (this.step < c.totalSteps) {
      const t = this.step;
      const r = this.stepRng(t);
      if (this.obs === null) this.obs = this.env.reset(r.fork('reset'));
      // The SAC update noise is keyed by step too, so a resumed run repeats an uninterrupted one.
      this.sac.reseedNoise(r.fork('sac-noise'));
      const act = t < c.startSteps ? this.randomAction(r.fork('act')) : this.sac.act(this.obs, { deterministic: false }, r.fork('act'));
      for (let i = 0; i < act.length; i++) {
        if (!Number.isFinite(act[i]))
          throw new Error(`model-based run: the policy's action[${i}] is ${act[i]} at env step ${t} (non-finite actor weights)`);
      }
      const res = this.env.step(act);
      this.real.add(this.obs, act, res.reward, res.obs, res.terminated);
      this.obs = res.terminated || res.truncated ? null : res.obs;
      this.step = t + 1;
      if (this.model && this.step >= c.startSteps && (this.step - c.startSteps) % c.model.every === 0)
        await this.modelRound(r.fork('model'));
      const t0 = performance.now();
      if (this.step >= c.startSteps) this.updates(r.fork('updates'));
      const t1 = performance.now();
      if (this.step % c.evalEvery === 0 || this.step === c.totalSteps) this.rows.push(this.evaluate(r.fork('eval')));
      this.timing.sacUpdates += t1 - t0;
      this.timing.evaluation += performance.now() - t1;
      const last = this.rows[this.rows.length - 1];
      hooks.progress?.(this.step, c.totalSteps, last ? `step ${last.step}: return ${last.eval_return.toFixed(1)}` : 'collecting');
      // Checkpoints only at episode ends: the env's internal state is then not needed.
      if (this.obs !== null) continue;
      const stopping = hooks.stopAfter !== undefined && this.step >= hooks.stopAfter;
      if (hooks.checkpointDir && (stopping || this.step - lastCheckpoint >= (hooks.checkpointEvery ?? Infinity))) {
        await this.save(hooks.checkpointDir);
        lastCheckpoint = this.step;
      }
      if (stopping) break;
    }
    return this.rows;
  }

  private randomAction(rng: Rng): Float32Array {
    const { actLow, actHigh } = this.env;
    return Float32Array.from(actLow, (lo, i) => rng.range(lo, actHigh[i]));
  }

  /** Splits the real data into training and held-out transitions (a fresh random split every round). */
  private splitReal(rng: Rng): { train: Transitions; val: Transitions } {
    const all = allRows(this.real);
    const n = all.n;
    const perm = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    const nVal = Math.min(this.config.model.maxHoldout, Math.max(1, Math.floor(n * this.config.model.holdout)));
    const { obsDim, actDim } = this.env;
    return {
      val: subsetTransitions(all, obsDim, actDim, perm.subarray(0, nVal)),
      train: subsetTransitions(all, obsDim, actDim, perm.subarray(nVal)),
    };
  }

  /** Trains the model with the run's objective, measures validation MSE, then fills the model buffer with rollouts. */
  private async modelRound(rng: Rng): Promise<void> {
    const t0 = performance.now();
    const model = this.model as GaussianEnsemble;
    const m = this.config.model;
    const { train, val } = this.splitReal(rng.fork('split'));
    model.fitNormalisers(train);
    const stats = this.objective.train({
      model,
      classifier: this.classifier,
      sac: this.sac,
      train,
      val,
      steps: m.steps,
      batch: m.batch,
      plateau: m.patience > 0 ? { batch: m.batch, patience: m.patience, maxEpochs: m.maxEpochs, minImprovement: 0.01 } : null,
      mnm: m.mnm,
      step: this.step,
      round: this.lastModel.rounds,
      rng,
    });
    this.lastModel = {
      ...this.lastModel,
      rounds: this.lastModel.rounds + 1,
      epochs: stats.epochs,
      trainSteps: stats.steps,
      ...(this.objective.hasClassifier ? { logit: stats.logit, accuracy: stats.classifierAccuracy } : {}),
    };
    const valMse = model.selectElites(val);
    this.lastModel.valMse = model.eliteMse(valMse);
    checkFinite({ 'model validation MSE': this.lastModel.valMse }, { step: this.step, where: 'model round' });
    const t1 = performance.now();
    this.rollouts(rng.fork('rollouts'));
    this.timing.modelTraining += t1 - t0;
    this.timing.rollouts += performance.now() - t1;
  }

  /** `horizon`-step policy rollouts in the model from real start states into the model buffer. */
  private rollouts(rng: Rng): void {
    const model = this.model as GaussianEnsemble;
    const buf = this.modelBuffer as ReplayBuffer;
    const m = this.config.model;
    const { obsDim, actDim } = this.env;
    let obs = this.real.sample(m.rolloutBatch, rng.fork('starts')).obs;
    let n = m.rolloutBatch;
    this.lastModel.rollouts = 0;
    let impossible = 0;
    for (let h = 0; h < m.horizon && n > 0; h++) {
      const hr = rng.fork(`h${h}`);
      const act = this.sac.actBatch(obs, n, { deterministic: false }, hr.fork('act'));
      const { nextObs, reward } = model.step(obs, act, n, hr.fork('model'));
      for (let i = 0; i < nextObs.length; i++) {
        if (!Number.isFinite(nextObs[i]))
          throw new Error(`model rollout: predicted next observation is ${nextObs[i]} at env step ${this.step}, horizon ${h}`);
      }
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(reward[i]))
          throw new Error(`model rollout: predicted reward is ${reward[i]} at env step ${this.step}, horizon ${h}`);
      }
      if (this.classifier && m.classifierRewardWeight > 0) {
        const lg = tf.tidy(() =>
          (this.classifier as TransitionClassifier).clippedLogit(
            tf.tensor2d(obs, [n, obsDim]),
            tf.tensor2d(act, [n, actDim]),
            tf.tensor2d(nextObs, [n, obsDim]),
          ),
        );
        const l = lg.dataSync();
        lg.dispose();
        for (let i = 0; i < n; i++) reward[i] += m.classifierRewardWeight * l[i];
      }
      const done = new Float32Array(n);
      const keep: number[] = [];
      for (let i = 0; i < n; i++) {
        const o = obs.subarray(i * obsDim, (i + 1) * obsDim);
        const a = act.subarray(i * actDim, (i + 1) * actDim);
        const o2 = nextObs.subarray(i * obsDim, (i + 1) * obsDim);
        done[i] = this.env.terminal(o, a, o2) ? 1 : 0;
        if (!done[i]) keep.push(i);
      }
      buf.addBatch({ n, obs, act, rew: reward, nextObs, done });
      if (this.env.impossibleFraction) impossible += this.env.impossibleFraction(obs, nextObs) * n;
      this.lastModel.rollouts += n;
      obs = new Float32Array(keep.length * obsDim);
      keep.forEach((i, k) => obs.set(nextObs.subarray(i * obsDim, (i + 1) * obsDim), k * obsDim));
      n = keep.length;
    }
    this.lastModel.crossing = this.env.impossibleFraction && this.lastModel.rollouts > 0 ? impossible / this.lastModel.rollouts : NaN;
  }

  private updates(rng: Rng): void {
    const c = this.config;
    const useModel = this.modelBuffer !== null && this.modelBuffer.size > 0;
    const nReal = useModel ? Math.max(1, Math.round(c.batch * c.realRatio)) : c.batch;
    for (let g = 0; g < c.updatesPerStep; g++) {
      let batch = this.real.sample(nReal, rng);
      if (useModel && nReal < c.batch) batch = concatBatches(batch, (this.modelBuffer as ReplayBuffer).sample(c.batch - nReal, rng));
      this.sac.update(batch);
    }
  }

  private evaluate(rng: Rng): EvalRow {
    const e = evaluateQ(this.evalEnv, this.sac, this.config.evalEpisodes, this.config.sac.gamma ?? 0.99, rng);
    const model = Number.isFinite(this.lastModel.valMse) ? this.model : null;
    const t = e.policyTransitions;
    const policyMse = model ? model.eliteMse(model.validate({ ...t, rew: new Float32Array(t.n) })) : NaN;
    return {
      step: this.step,
      eval_return: e.meanReturn,
      q_estimate: e.qEstimate,
      mc_return: e.mcReturn,
      mc_task_return: e.mcTaskReturn,
      model_val_mse: this.lastModel.valMse,
      model_policy_mse: policyMse,
      classifier_logit: this.lastModel.logit,
      classifier_accuracy: this.lastModel.accuracy,
      model_rounds: this.lastModel.rounds,
      model_epochs: this.lastModel.epochs,
      model_train_steps: this.lastModel.trainSteps,
      model_rollouts: this.lastModel.rollouts,
      model_crossing: this.lastModel.crossing,
      alpha: this.sac.alpha,
    };
  }

  /** Writes the whole run (weights, optimiser moments, both buffers, step, rows) into `dir`, atomically. */
  async save(dir: string): Promise<void> {
    if (this.obs !== null) throw new Error('ModelBasedRun.save: checkpoints are taken at episode ends only');
    const state: RunState = {
      format: 'mnm-model-based-1',
      config: this.config,
      seedKey: this.seedKey,
      step: this.step,
      rows: this.rows,
      lastModel: this.lastModel,
      sac: await this.sac.save(),
      model: this.model ? await this.model.getState() : null,
      classifier: this.classifier ? await this.classifier.getState() : null,
      buffers: { real: this.real.toJSON(), model: this.modelBuffer ? this.modelBuffer.toJSON() : null },
    };
    // NaN (no model MSE yet) is not JSON: stored as the string "NaN" and read back as NaN.
    writeFolderAtomic(dir, { 'state.json': JSON.stringify(state, (_k, v) => (typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v)) });
  }

  /** A run restored from `save(dir)`; call `run()` to continue it. */
  static async resume(dir: string): Promise<ModelBasedRun> {
    const file = path.join(dir, 'state.json');
    if (!fs.existsSync(file)) throw new Error(`ModelBasedRun.resume: no checkpoint in ${dir} (state.json missing)`);
    const state = JSON.parse(fs.readFileSync(file, 'utf8'), (_k, v) => (v === 'NaN' ? NaN : v)) as RunState;
    if (state.format !== 'mnm-model-based-1') throw new Error(`ModelBasedRun.resume: ${file} is not a model-based checkpoint`);
    await prepareEnv(state.config.env);
    const run = new ModelBasedRun(state.config, state.seedKey);
    run.step = state.step;
    run.rows.push(...state.rows);
    run.lastModel = { ...NO_ROUND, ...state.lastModel };
    const loaded = await Sac.load(state.sac, run.rng.fork('sac'));
    run.sac.dispose();
    (run as { sac: Sac }).sac = loaded;
    if (run.model && state.model) await run.model.setState(state.model);
    if (run.classifier && state.classifier) await run.classifier.setState(state.classifier);
    run.real = ReplayBuffer.fromJSON(state.buffers.real);
    if (state.buffers.model) run.modelBuffer = ReplayBuffer.fromJSON(state.buffers.model);
    return run;
  }

  dispose(): void {
    this.env.close?.();
    this.evalEnv.close?.();
    this.sac.dispose();
    this.model?.dispose();
    this.classifier?.dispose();
  }
}

/** Trains one run from scratch: the function experiments call (on `backend`, default ./deep-backend's choice). */
export async function trainModelBased(
  config: ModelBasedConfig,
  seedKey: string,
  hooks: RunHooks = {},
  backend?: DeepBackend,
): Promise<EvalRow[]> {
  await prepareEnv(config.env);
  const run = new ModelBasedRun(config, seedKey, backend ? { backend } : {});
  try {
    return await run.run(hooks);
  } finally {
    run.dispose();
  }
}
