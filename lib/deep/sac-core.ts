/**
 * What SAC (./sac) does outside its networks, with no TensorFlow.js import, so that the engine-only SAC
 * (./engine-sac-agent: the playground's worker) shares it: the config and its defaults, the action scaling,
 * the noise draws, the temperature's Adam step and the statistics read from an update.
 */
import type { EngineSacBatch, EngineSacHyper } from '../engine/sac';
import { Rng } from '../rng';
import type { Batch } from './replay';

export interface SacConfig {
  /** Hidden units per layer (actor and critics). */
  hidden: number;
  /** Hidden layers (actor and critics). */
  layers: number;
  actorLr: number;
  criticLr: number;
  alphaLr: number;
  gamma: number;
  /** Polyak coefficient: target ← (1 − τ)·target + τ·critic after every update. */
  tau: number;
  initAlpha: number;
  /** Learn α towards targetEntropy; false keeps α = initAlpha. */
  learnAlpha: boolean;
  /** Default −actDim when null. */
  targetEntropy: number | null;
  logStdMin: number;
  logStdMax: number;
}

export const SAC_DEFAULTS: SacConfig = {
  hidden: 256,
  layers: 2,
  actorLr: 3e-4,
  criticLr: 3e-4,
  alphaLr: 3e-4,
  gamma: 0.99,
  tau: 0.005,
  initAlpha: 1,
  learnAlpha: true,
  targetEntropy: null,
  logStdMin: -20,
  logStdMax: 2,
};

/** Fills in defaults and validates: one clear error naming the bad field. */
export function sacConfig(partial: Partial<SacConfig> = {}): SacConfig {
  for (const k of Object.keys(partial)) {
    if (!(k in SAC_DEFAULTS)) throw new Error(`SAC config: unknown field '${k}' (known: ${Object.keys(SAC_DEFAULTS).join(', ')})`);
  }
  const c: SacConfig = { ...SAC_DEFAULTS, ...partial };
  const pos = (k: keyof SacConfig, v: number, int = false) => {
    if (!(Number.isFinite(v) && v > 0 && (!int || Number.isInteger(v))))
      throw new Error(`SAC config: ${k} must be a positive ${int ? 'integer' : 'number'}, got ${v}`);
  };
  pos('hidden', c.hidden, true);
  pos('layers', c.layers, true);
  pos('actorLr', c.actorLr);
  pos('criticLr', c.criticLr);
  pos('alphaLr', c.alphaLr);
  pos('initAlpha', c.initAlpha);
  if (!(c.gamma >= 0 && c.gamma < 1)) throw new Error(`SAC config: gamma must be in [0, 1), got ${c.gamma}`);
  if (!(c.tau > 0 && c.tau <= 1)) throw new Error(`SAC config: tau must be in (0, 1], got ${c.tau}`);
  if (c.targetEntropy !== null && !Number.isFinite(c.targetEntropy))
    throw new Error(`SAC config: targetEntropy must be a number or null, got ${c.targetEntropy}`);
  if (!(c.logStdMin < c.logStdMax)) throw new Error(`SAC config: logStdMin must be below logStdMax, got ${c.logStdMin}, ${c.logStdMax}`);
  return c;
}

export interface SacDims {
  obsDim: number;
  actDim: number;
  actLow: ArrayLike<number>;
  actHigh: ArrayLike<number>;
}

export interface SacStats {
  /** Sum of the two critics' mean squared TD errors. */
  qLoss: number;
  actorLoss: number;
  alphaLoss: number;
  /** α used in this update (before its own step). */
  alpha: number;
  /** Mean of −log π(a|s) over the batch (the policy's entropy estimate). */
  entropy: number;
  /** Mean of the first critic over the batch's (s, a). */
  qMean: number;
}

/** The streams a SAC agent draws from, forked from its constructor's rng. */
export const SAC_STREAMS = { actor: 'actor', critics: 'critics', noise: 'update-noise' } as const;

/** Dims checked: one error naming the bad one (`where` is the caller). */
export function checkSacDims(dims: SacDims, where: string): void {
  const { obsDim, actDim } = dims;
  if (!(Number.isInteger(obsDim) && obsDim > 0 && Number.isInteger(actDim) && actDim > 0)) {
    throw new Error(`${where}: obsDim and actDim must be positive integers, got ${obsDim}, ${actDim}`);
  }
  if (dims.actLow.length !== actDim || dims.actHigh.length !== actDim)
    throw new Error(`${where}: actLow/actHigh must have length actDim = ${actDim}`);
  for (let i = 0; i < actDim; i++) {
    if (!(Number.isFinite(dims.actLow[i]) && Number.isFinite(dims.actHigh[i]) && dims.actLow[i] < dims.actHigh[i])) {
      throw new Error(`${where}: action bound ${i} must be finite with low < high, got [${dims.actLow[i]}, ${dims.actHigh[i]}]`);
    }
  }
}

/** The middle and half-width of the action box (float32, as the networks use them). */
export function actionScale(dims: SacDims): { mid: Float32Array; half: Float32Array } {
  const low = Float32Array.from(dims.actLow);
  const high = Float32Array.from(dims.actHigh);
  return { mid: low.map((lo, i) => (lo + high[i]) / 2), half: low.map((lo, i) => (high[i] - lo) / 2) };
}

/** Env-unit actions → [−1, 1] (clipped: a stored action at the bound maps to ±1, never past it). */
export function toUnitActions(act: ArrayLike<number>, mid: Float32Array, half: Float32Array): Float32Array {
  const a = new Float32Array(act.length);
  for (let i = 0; i < a.length; i++) {
    const j = i % mid.length;
    a[i] = Math.min(1, Math.max(-1, (act[i] - mid[j]) / half[j]));
  }
  return a;
}

/** [−1, 1] actions → env units, rounded to float32 at each step (as tfjs's mul, then add). */
export function toEnvActions(a: Float32Array, mid: Float32Array, half: Float32Array): Float32Array {
  return a.map((x, i) => Math.fround(Math.fround(x * half[i % mid.length]) + mid[i % mid.length]));
}

/** `count` standard normal draws from `rng`. */
export function normalNoise(rng: Rng, count: number): Float32Array {
  const z = new Float32Array(count);
  for (let i = 0; i < z.length; i++) z[i] = rng.normal();
  return z;
}

/** The engine's inputs for one update: the noise of the update's stream (epsNext, then epsNow), actions in [−1, 1]. */
export function engineBatch(batch: Batch, noiseRng: Rng, mid: Float32Array, half: Float32Array): EngineSacBatch {
  const { n } = batch;
  const epsNext = normalNoise(noiseRng, n * mid.length);
  const epsNow = normalNoise(noiseRng, n * mid.length);
  const act = toUnitActions(batch.act, mid, half);
  return { n, obs: batch.obs, act, rew: batch.rew, nextObs: batch.nextObs, done: batch.done, epsNext, epsNow };
}

/** The engine's hyper-parameters from a config. */
export function engineHyper(c: SacConfig): EngineSacHyper {
  return { gamma: c.gamma, tau: c.tau, actorLr: c.actorLr, criticLr: c.criticLr, logStdMin: c.logStdMin, logStdMax: c.logStdMax };
}

/** The batch's sizes and numbers, checked before anything changes: one error naming the field. */
export function checkSacBatch(batch: Batch, obsDim: number, actDim: number): void {
  const { n } = batch ?? {};
  if (!(Number.isInteger(n) && n > 0)) throw new Error(`Sac.update: batch.n must be a positive integer, got ${n}`);
  const want: [keyof Batch, number, string][] = [
    ['obs', n * obsDim, `n·obsDim = ${n}·${obsDim}`],
    ['act', n * actDim, `n·actDim = ${n}·${actDim}`],
    ['rew', n, 'n'],
    ['nextObs', n * obsDim, `n·obsDim = ${n}·${obsDim}`],
    ['done', n, 'n'],
  ];
  for (const [field, len, what] of want) {
    const xs = batch[field] as Float32Array | undefined;
    if (!(xs instanceof Float32Array)) throw new Error(`Sac.update: batch.${field} must be a Float32Array, got ${typeof xs}`);
    if (xs.length !== len) throw new Error(`Sac.update: batch.${field} has ${xs.length} numbers, expected ${what} = ${len}`);
    for (let i = 0; i < len; i++) if (!Number.isFinite(xs[i])) throw new Error(`Sac.update: batch.${field}[${i}] is ${xs[i]}`);
  }
}

/** The statistics of an update from s = [qLoss, actorLoss, mean log π, mean Q1] and the log α it used. */
export function sacStats(s: ArrayLike<number>, logAlpha: number, targetEntropy: number): SacStats {
  // α loss = −log α · (mean log π + H̄); its gradient w.r.t. log α is −(mean log π + H̄).
  const alphaLoss = -logAlpha * (s[2] + targetEntropy);
  return { qLoss: s[0], actorLoss: s[1], alphaLoss, alpha: Math.exp(logAlpha), entropy: -s[2], qMean: s[3] };
}

/** Adam's state for log α (one number). */
export interface ScalarAdam {
  t: number;
  m: number;
  v: number;
}

/** One Adam step on log α with gradient g (the same update as FlatAdam, on a number); returns the new log α. */
export function stepLogAlpha(a: ScalarAdam, logAlpha: number, g: number, lr: number): number {
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  a.t++;
  a.m = b1 * a.m + (1 - b1) * g;
  a.v = b2 * a.v + (1 - b2) * g * g;
  const mHat = a.m / (1 - b1 ** a.t);
  const vHat = a.v / (1 - b2 ** a.t);
  return logAlpha - (lr * mHat) / (Math.sqrt(vHat) + eps);
}
