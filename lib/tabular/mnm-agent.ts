/**
 * The sample-based MnM algorithm of Section 4 (Alg. 1) in a tabular MDP, and its baselines.
 *
 * Every learner runs ε-greedy episodes from the start state in ITS simulator and does one Q-learning
 * update per simulated step (the x axis of the learning curves is this count of updates):
 *
 *   'q-true'            Q-learning on the true model p with the task reward r (the paper's oracle baseline).
 *   'q-true-log'        Q-learning on p with reward log r: a control (not in the paper) that has MnM's
 *                       reward transform but no model and no classifier, to tell the two effects apart.
 *   'mnm'               rollouts in the learned model q, reward log r + clip(logit C)     (Eq. 5)
 *   'vmbpo'             rollouts in q, reward r + clip(logit C)       (no log on the reward)
 *   'mnm-no-classifier' rollouts in q, reward log r                   (ablation: the classifier term removed
 *                       from the reward; the model is still trained by Eq. 9 with the classifier)
 *
 * For the model-based learners, each step at (s, a) also draws one real successor s'_real ~ p(·|s,a)
 * (the real transition of Eq. 4 from the same (s, a); the same number of draws from p as 'q-true') and:
 *   1. classifier step (Eq. 4) on (s, a, s'_real) against (s, a, s'_model), s'_model ~ q(·|s,a);
 *   2. model step (Eq. 9) at (s, a): ascend E_q[γ V(s') + clip(logit C(s,a,s'))], V(s') = max_a Q(s',a),
 *      with the exact tabular gradient or the sampled score-function estimator;
 *   3. Q step on the model transition (s, a, s'_model) with the method's reward; the rollout goes on
 *      from s'_model (the policy learns inside the model, as in Alg. 1).
 * Reward r(s, a) is the task's known reward (the paper learns a reward predictor; here it is given).
 * Eq. 5 form, as the paper writes it: log r + logit C, without Eq. 3's (1−γ) factor and constant.
 */
import { TabularClassifier, type ClassifierKeys } from './classifier';
import { drawIndex, LearnedModel, type ModelStructure } from './learned-model';
import type { TabularMDP } from './mdp';
import { greedyProgress } from './progress';
import { epsilonGreedy, maxQ, qUpdate, sampleNext } from './q-learning';
import type { Rng } from '../rng';

export type Method = 'q-true' | 'q-true-log' | 'mnm' | 'vmbpo' | 'mnm-no-classifier';
export const METHODS: readonly Method[] = ['q-true', 'q-true-log', 'mnm', 'vmbpo', 'mnm-no-classifier'];
export const METHOD_LABELS: Record<Method, string> = {
  'q-true': 'Q-learning (true model)',
  'q-true-log': 'Q-learning (true model, log r)',
  mnm: 'MnM',
  vmbpo: 'VMBPO',
  'mnm-no-classifier': 'MnM without classifier',
};

export function usesModel(m: Method): boolean {
  return m === 'mnm' || m === 'vmbpo' || m === 'mnm-no-classifier';
}

export interface LearnerConfig {
  /** Q-learning updates (= simulated steps) in total. */
  updates: number;
  /** Measure the greedy policy in the true MDP every this many updates (and at 0 and at the end). */
  evalEvery: number;
  /** Steps per episode before a reset to the start. */
  episodeLength: number;
  /** Q-learning step size α. */
  qLr: number;
  /** ε of the ε-greedy behaviour policy. */
  epsilon: number;
  /** Step size of the model logits (Eq. 9). */
  modelLr: number;
  /** Step size of the classifier logits (Eq. 4). */
  classifierLr: number;
  /** The classifier logit is clipped to [−logitClip, logitClip] wherever it is used. */
  logitClip: number;
  modelGradient: 'exact' | 'sampled';
  /** Horizon of the exact "reaches the goal" probability. */
  reachHorizon: number;
  /** Initial value of every Q(s, a). */
  qInit: number;
}

export const DEFAULT_LEARNER: LearnerConfig = {
  updates: 20000,
  evalEvery: 500,
  episodeLength: 50,
  qLr: 0.2,
  epsilon: 0.1,
  modelLr: 0.5,
  classifierLr: 0.5,
  logitClip: 10,
  modelGradient: 'exact',
  reachHorizon: 50,
  qInit: 0,
};

/** Checks a config; one clear error naming the field and the value. */
export function checkLearnerConfig(cfg: LearnerConfig, what = 'learner config'): LearnerConfig {
  const posInt = (k: keyof LearnerConfig) => {
    const v = cfg[k] as number;
    if (!(Number.isInteger(v) && v > 0)) throw new Error(`${what}: ${k} must be a positive integer, got ${v}`);
  };
  const pos = (k: keyof LearnerConfig) => {
    const v = cfg[k] as number;
    if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new Error(`${what}: ${k} must be a finite number > 0, got ${v}`);
  };
  posInt('updates');
  posInt('evalEvery');
  posInt('episodeLength');
  posInt('reachHorizon');
  pos('qLr');
  pos('modelLr');
  pos('classifierLr');
  pos('logitClip');
  if (!(typeof cfg.qInit === 'number' && Number.isFinite(cfg.qInit)))
    throw new Error(`${what}: qInit must be a finite number, got ${cfg.qInit}`);
  if (!(cfg.qLr <= 1)) throw new Error(`${what}: qLr must be in (0, 1], got ${cfg.qLr}`);
  if (!(cfg.epsilon >= 0 && cfg.epsilon <= 1)) throw new Error(`${what}: epsilon must be in [0, 1], got ${cfg.epsilon}`);
  if (cfg.modelGradient !== 'exact' && cfg.modelGradient !== 'sampled') {
    throw new Error(`${what}: modelGradient must be 'exact' or 'sampled', got '${cfg.modelGradient as string}'`);
  }
  return cfg;
}

/** What a learner needs to know about its problem. */
export interface LearnerProblem {
  /** The true MDP: its p is sampled (never read as probabilities by the learners) and its r is known. */
  mdp: TabularMDP;
  /** Goal state, for the "reaches the goal" measure only. */
  goal: number;
  /** The model's candidate successors and logit sharing (model-based methods). */
  structure: ModelStructure;
  /** The classifier's capacity (model-based methods). */
  classifierKeys: ClassifierKeys;
}

export interface CurvePoint {
  update: number;
  /** Exact true return of the greedy policy. */
  ret: number;
  reaches: boolean;
  reachProb: number;
}

export interface LearnerResult {
  method: Method;
  curve: CurvePoint[];
  Q: Float64Array;
  model: LearnedModel | null;
  classifier: TabularClassifier | null;
}

export interface TrainOptions {
  /** Start from this model (transfer, E6); copied, never modified. */
  initModel?: LearnedModel;
  initClassifier?: TabularClassifier;
  /**
   * Diagnostic only: replace the learned classifier's logit by the exact log p(s'|s,a)/q(s'|s,a) from the
   * true p (a Bayes-optimal, full-capacity classifier), still clipped to ±logitClip. Tells apart failures
   * of the classifier's estimate from failures of the clipped objective itself.
   */
  oracleClassifier?: boolean;
  /** Called with each point of the learning curve as it is measured (the playground streams the curve). */
  onPoint?: (p: CurvePoint) => void;
}

/** Exact log p(s'|s,a) − log q(s'|s,a) for each candidate of row (s, a) into out (−∞ where p = 0). */
export function exactLogRatios(mdp: TabularMDP, model: LearnedModel, s: number, a: number, qBuf: Float64Array, out: Float64Array): void {
  const n = model.rowProbs(s, a, qBuf);
  const i = s * mdp.A + a;
  for (let j = 0; j < n; j++) {
    const t = model.targetOf(s, a, j);
    let qt = 0;
    for (let k = 0; k < n; k++) if (model.targetOf(s, a, k) === t) qt += qBuf[k];
    let pt = 0;
    for (let k = mdp.rowStart[i]; k < mdp.rowStart[i + 1]; k++) if (mdp.next[k] === t) pt += mdp.prob[k];
    out[j] = pt > 0 ? Math.log(pt) - Math.log(qt) : -Infinity;
  }
}

/** The reward each method puts on a transition, given r(s, a) and the clipped classifier logit. */
export function methodReward(method: Method, r: number, logR: number, clippedLogit: number): number {
  switch (method) {
    case 'q-true':
      return r;
    case 'q-true-log':
      return logR;
    case 'mnm':
      return logR + clippedLogit;
    case 'vmbpo':
      return r + clippedLogit;
    case 'mnm-no-classifier':
      return logR;
  }
}

function sameStructure(a: ModelStructure, b: ModelStructure): boolean {
  if (a === b) return true;
  if (a.S !== b.S || a.A !== b.A || a.nParams !== b.nParams || a.target.length !== b.target.length) return false;
  for (let i = 0; i < a.rowStart.length; i++) if (a.rowStart[i] !== b.rowStart[i]) return false;
  for (let k = 0; k < a.target.length; k++) if (a.target[k] !== b.target[k] || a.param[k] !== b.param[k]) return false;
  return true;
}

/** Trains one learner; deterministic given `rng`. */
export function trainLearner(
  problem: LearnerProblem,
  method: Method,
  cfg: LearnerConfig,
  rng: Rng,
  opts: TrainOptions = {},
): LearnerResult {
  if (!(METHODS as readonly string[]).includes(method))
    throw new Error(`unknown method '${method as string}' (expected one of ${METHODS.join(', ')})`);
  checkLearnerConfig(cfg);
  const { mdp, goal } = problem;
  const { S, A, gamma, reward } = mdp;
  if (!(Number.isInteger(goal) && goal >= 0 && goal < S)) throw new Error(`trainLearner: goal ${goal} out of range [0, ${S})`);
  const logReward = new Float64Array(reward.length);
  for (let i = 0; i < reward.length; i++) {
    if (!(reward[i] > 0))
      throw new Error(`trainLearner: reward of state ${Math.floor(i / A)}, action ${i % A} is ${reward[i]}; log r needs r > 0`);
    logReward[i] = Math.log(reward[i]);
  }
  const model = usesModel(method) ? (opts.initModel ? opts.initModel.clone() : new LearnedModel(problem.structure)) : null;
  const classifier = usesModel(method)
    ? opts.initClassifier
      ? opts.initClassifier.clone()
      : new TabularClassifier(problem.classifierKeys)
    : null;
  if (model && (model.structure.S !== S || model.structure.A !== A)) {
    throw new Error(`trainLearner: model has ${model.structure.S}×${model.structure.A} rows, the MDP ${S}×${A}`);
  }
  if (opts.initModel && !sameStructure(opts.initModel.structure, problem.structure)) {
    throw new Error(
      `trainLearner: initModel has a different structure (${opts.initModel.structure.label}, ${opts.initModel.structure.nParams} logits) ` +
        `from the problem's (${problem.structure.label}, ${problem.structure.nParams} logits): its logits would mean other transitions`,
    );
  }
  if (opts.initClassifier && opts.initClassifier.keys.nKeys !== problem.classifierKeys.nKeys) {
    throw new Error(
      `trainLearner: initClassifier has ${opts.initClassifier.keys.nKeys} logits, the problem's classifier ${problem.classifierKeys.nKeys}`,
    );
  }
  const Q = new Float64Array(S * A).fill(cfg.qInit);
  const f = new Float64Array(model ? model.maxRowSize : 0);
  const qBuf = new Float64Array(model ? model.maxRowSize : 0);
  const qRow = new Float64Array(model ? model.maxRowSize : 0);
  const oracle = new Float64Array(model ? model.maxRowSize : 0);
  const clip = cfg.logitClip;
  const clipTo = (x: number) => (x > clip ? clip : x < -clip ? -clip : x);
  const curve: CurvePoint[] = [];
  // Progress depends only on the greedy actions, which often stay the same between evaluations:
  // reuse the last exact evaluation when they do (same numbers, less time).
  const actions = new Int32Array(S).fill(-1);
  let last: CurvePoint | null = null;
  const measure = (update: number) => {
    let same = last !== null;
    for (let s2 = 0; s2 < S; s2++) {
      let b = 0;
      for (let a2 = 1; a2 < A; a2++) if (Q[s2 * A + a2] > Q[s2 * A + b]) b = a2;
      if (actions[s2] !== b) same = false;
      actions[s2] = b;
    }
    if (!same || last === null) {
      const p = greedyProgress(mdp, Q, goal, cfg.reachHorizon);
      last = { update, ret: p.ret, reaches: p.reaches, reachProb: p.reachProb };
    }
    curve.push({ ...last, update });
    opts.onPoint?.(curve[curve.length - 1]);
  };
  const start = () => rng.categorical(mdp.p0);
  measure(0);
  let s = start();
  let t = 0;
  for (let u = 1; u <= cfg.updates; u++) {
    const a = epsilonGreedy(Q, s, A, cfg.epsilon, rng);
    const i = s * A + a;
    let sNext: number;
    let r: number;
    if (model && classifier) {
      const sReal = sampleNext(mdp, s, a, rng);
      // q(·|s,a) once per step: the sample and the exact Eq. 9 step use the same (unchanged) row.
      const nRow = model.rowProbs(s, a, qRow);
      const jModel = drawIndex(qRow, nRow, rng);
      const sModel = model.targetOf(s, a, jModel);
      classifier.update(s, a, sReal, sModel, cfg.classifierLr);
      const { rowStart, target } = model.structure;
      const lo = rowStart[i];
      const n = rowStart[i + 1] - lo;
      // The logit of the model's sample, read before the model step (the transition was drawn from this q).
      let logitModel: number;
      if (opts.oracleClassifier) {
        exactLogRatios(mdp, model, s, a, qBuf, oracle);
        logitModel = clipTo(oracle[jModel]);
        for (let j = 0; j < n; j++) f[j] = gamma * maxQ(Q, target[lo + j], A) + clipTo(oracle[j]);
      } else {
        logitModel = classifier.clippedLogit(s, a, sModel, clip);
        for (let j = 0; j < n; j++) {
          const t2 = target[lo + j];
          f[j] = gamma * maxQ(Q, t2, A) + classifier.clippedLogit(s, a, t2, clip);
        }
      }
      if (cfg.modelGradient === 'exact') model.exactStepWithProbs(s, a, qRow, nRow, f, cfg.modelLr);
      else model.sampledStep(s, a, f, cfg.modelLr, rng);
      sNext = sModel;
      r = methodReward(method, reward[i], logReward[i], logitModel);
    } else {
      sNext = sampleNext(mdp, s, a, rng);
      r = methodReward(method, reward[i], logReward[i], 0);
    }
    qUpdate(Q, A, s, a, r, sNext, gamma, cfg.qLr);
    s = sNext;
    if (++t >= cfg.episodeLength) {
      s = start();
      t = 0;
    }
    if (u % cfg.evalEvery === 0 || u === cfg.updates) measure(u);
  }
  return { method, curve, Q, model, classifier };
}

/** First update at which the curve's return reaches `threshold` (null if never). */
export function updatesToReach(curve: CurvePoint[], threshold: number): number | null {
  for (const p of curve) if (p.ret >= threshold) return p.update;
  return null;
}
