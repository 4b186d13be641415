/**
 * The model objective of a model-based run: the one thing MBPO, MnM-approx and model-free SAC differ in.
 *
 *   likelihood  MBPO: Gaussian negative log-likelihood of [Δs, r];
 *   mnm         MnM-approx: Eq. 9 for the next state (with the classifier of Eq. 4) and likelihood for r;
 *   none        model-free SAC: no model at all.
 *
 * A run's config names its objective (plain JSON, saved with the run); `objectiveOf(name)` gives the
 * implementation, so the loop asks the objective instead of testing the name.
 */
import type { Rng } from '../rng';
import type { TransitionClassifier } from './classifier';
import type { GaussianEnsemble, PlateauOptions, Transitions } from './dynamics';
import { type MnmModelConfig, mnmModelRound } from './mnm-model';
import type { Sac } from './sac';
import { checkFinite } from './train-guard';

export const OBJECTIVE_NAMES = ['none', 'likelihood', 'mnm'] as const;
export type ObjectiveName = (typeof OBJECTIVE_NAMES)[number];

/** What one round of model training sees. */
export interface RoundInput {
  model: GaussianEnsemble;
  /** The classifier, for objectives that train one (null otherwise). */
  classifier: TransitionClassifier | null;
  /** The agent (MnM's value term). */
  sac: Sac;
  train: Transitions;
  val: Transitions;
  /** Gradient steps and minibatch size of the round. */
  steps: number;
  batch: number;
  /** Likelihood training to a held-out plateau instead of `steps` steps (MBPO), or null. */
  plateau: PlateauOptions | null;
  mnm: MnmModelConfig;
  /** Env step of the round (named in errors), and how many rounds came before it. */
  step: number;
  round: number;
  rng: Rng;
}

/** Diagnostics of a round: NaN where the objective has none. */
export interface RoundStats {
  /** Mean clipped classifier logit on model samples at the last step. */
  logit: number;
  classifierAccuracy: number;
  /** Epochs (NaN unless trained to a plateau) and gradient steps of the round. */
  epochs: number;
  steps: number;
}

export interface ModelObjective {
  readonly name: ObjectiveName;
  /** Whether runs with this objective have a dynamics model (and so model rounds and rollouts). */
  readonly hasModel: boolean;
  /** Whether it trains a transition classifier (Eq. 4) beside the model. */
  readonly hasClassifier: boolean;
  /** One round of model training (normalisers already fitted to `train`). */
  train(input: RoundInput): RoundStats;
}

const NO_STATS: RoundStats = { logit: NaN, classifierAccuracy: NaN, epochs: NaN, steps: NaN };

const none: ModelObjective = {
  name: 'none',
  hasModel: false,
  hasClassifier: false,
  train: () => {
    throw new Error('model objective none: there is no model to train');
  },
};

const likelihood: ModelObjective = {
  name: 'likelihood',
  hasModel: true,
  hasClassifier: false,
  train({ model, train, val, steps, batch, plateau, step, rng }) {
    const where = `MBPO model round at env step ${step}`;
    if (plateau) {
      const r = model.fitToPlateau(train, val, { ...plateau, where }, rng.fork('fit'));
      return { ...NO_STATS, epochs: r.epochs, steps: r.steps };
    }
    const loss = model.fitLikelihood(train, { steps, batch, where }, rng.fork('fit'));
    checkFinite({ 'model likelihood loss': loss }, { step, where: 'MBPO model round' });
    return { ...NO_STATS, steps };
  },
};

const mnm: ModelObjective = {
  name: 'mnm',
  hasModel: true,
  hasClassifier: true,
  train({ model, classifier, sac, train, val, steps, batch, plateau, mnm: cfg, step, round, rng }) {
    if (!classifier) throw new Error('model objective mnm: needs a classifier');
    let epochs = NaN;
    if (round < cfg.warmupRounds) {
      // Likelihood warm-up: start Eq. 9 from MBPO's model of this round (a departure; docs/DEEP-AGENTS.md).
      const opts = plateau ?? { batch, patience: 5, maxEpochs: 100, minImprovement: 0.01 };
      epochs = model.fitToPlateau(train, val, { ...opts, where: `MnM warm-up at env step ${step}` }, rng.fork('warmup')).epochs;
    }
    classifier.fitNormaliser(train);
    let stats = NO_STATS;
    const opts = { steps, batch, cfg, fitRng: rng.fork('fit'), valueRng: rng.fork('value-noise') };
    mnmModelRound(model, classifier, sac, train, opts, (k, s) => {
      checkFinite(
        { 'MnM model value term': s.value, 'classifier logit': s.logit, 'reward NLL': s.rewardNll, 'classifier loss': s.classifierLoss },
        { step, where: `MnM model round (model step ${k})` },
      );
      if (k === steps - 1) stats = { ...NO_STATS, logit: s.logit, classifierAccuracy: s.classifierAccuracy, steps, epochs };
    });
    return stats;
  },
};

const OBJECTIVES: Record<ObjectiveName, ModelObjective> = { none, likelihood, mnm };

export function objectiveOf(name: ObjectiveName): ModelObjective {
  return OBJECTIVES[name];
}
