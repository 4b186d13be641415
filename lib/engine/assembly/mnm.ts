// MnM-approx's model step (paper Eq. 9, lib/deep/mnm-model.ts mnmModelStep) and its classifier step (Eq. 4,
// lib/deep/classifier.ts trainStep) as two calls: the losses, gradients and Adam steps of the TensorFlow.js
// version, in float32, over buffers the host (lib/engine/mnm.ts) allocated once in the ensemble's memory.
//
// Model step, for every member k on the same B real rows (s, a): s' = s + denorm(μ + σ·ε) (reparameterised), and
// the loss −mean(w·V(s') + clip(logit C(s, a, s'))) + NLL_r (+ λ·NLL_s'), where V(s') = min_j Q_j(s', tanh(μπ(s') +
// σπ(s')·ε')) with SAC's actor and critics held fixed. Gradients flow through s' into the member's weights; the
// reward NLL (and the optional next-state NLL) are on member k's own minibatch (the ensemble's S_X, S_Y).
import { adamInPlace, RELU } from './dense';
import { end, start, take } from './workspace';
import {
  backwardMember,
  forwardMember,
  gradAt,
  maxWidth,
  memberParams,
  nllAt,
  S_GRADS,
  S_LAYERS,
  S_M,
  S_MEMBERS,
  S_OUT_MEAN,
  S_OUT_STD,
  S_PARAMS,
  S_V,
  S_WORK,
  S_X,
  S_Y,
  sigmoid,
  slot,
  softplus,
  width,
  zAt,
} from './ensemble';
import { dimAt, mlpActsSize, mlpBackward, mlpForward, mlpMaxWidth } from './mlp';

// Descriptor slots (i32; lib/engine/mnm.ts SLOT lists the same names in this order).
const M_OBS_DIM = 0;
const M_ACT_DIM = 1;
const M_ACTOR = 2; // SAC's actor weights (held fixed)
const M_ACTOR_DIMS = 3;
const M_ACTOR_LAYERS = 4;
const M_CRITIC = 5; // both critics, one after the other
const M_CRITIC_DIMS = 6;
const M_CRITIC_LAYERS = 7;
const M_CLF = 8; // classifier weights, gradients, Adam moments
const M_CLF_GRADS = 9;
const M_CLF_M = 10;
const M_CLF_V = 11;
const M_CLF_DIMS = 12;
const M_CLF_LAYERS = 13;
const M_CLF_IN_MEAN = 14;
const M_CLF_IN_STD = 15;
const M_OBS = 16; // [B×O] real s
const M_ACT = 17; // [B×A] real a (env units: what the classifier sees)
const M_SEEN = 18; // [B×inDim] the model's input rows as the members see them
const M_REAL = 19; // [B×O] real s'
const M_EPS = 20; // [E×B×O] the model's noise
const M_VEPS = 21; // [E×B×A] the actor's noise in V(s')
const M_FAKE = 22; // [E×B×O] out: the model's samples (before its step)
const M_WORK = 23;
const M_STATS = 24; // f64 [value, logit, rewardNll, classifierLoss, classifierAccuracy]

// Shapes, set by carve() from the descriptor.
let O: i32 = 0;
let A: i32 = 0;
let aDims: usize = 0; // actor widths, and its linear layers
let aL: i32 = 0;
let cDims: usize = 0; // one critic's
let cL: i32 = 0;
let fDims: usize = 0; // the classifier's
let fL: i32 = 0;
let CI: i32 = 0; // critic input O + A
let XC: i32 = 0; // classifier input 2O + A

// Workspace (carved from M_WORK; see carve()).
let xa: usize = 0;
let actsActor: usize = 0;
let uBuf: usize = 0;
let lsBuf: usize = 0;
let acts0: usize = 0;
let acts1: usize = 0;
let dq0: usize = 0;
let dq1: usize = 0;
let dxa0: usize = 0;
let dxa1: usize = 0;
let dOutA: usize = 0;
let dObs: usize = 0;
let dNext: usize = 0;
let xc: usize = 0;
let actsClf: usize = 0;
let dLogit: usize = 0;
let dxc: usize = 0;
let sA: usize = 0;
let sB: usize = 0;
let wT: usize = 0;

function p(m: usize, k: i32): usize {
  return <usize>load<i32>(m + ((<usize>k) << 2));
}

function n32(m: usize, k: i32): i32 {
  return load<i32>(m + ((<usize>k) << 2));
}

/** Lays the workspace out from `base` for B rows per member and E members; returns its end. */
function carve(m: usize, base: usize, E: i32, B: i32): usize {
  O = n32(m, M_OBS_DIM);
  A = n32(m, M_ACT_DIM);
  CI = O + A;
  XC = 2 * O + A;
  aDims = p(m, M_ACTOR_DIMS);
  aL = n32(m, M_ACTOR_LAYERS);
  cDims = p(m, M_CRITIC_DIMS);
  cL = n32(m, M_CRITIC_LAYERS);
  fDims = p(m, M_CLF_DIMS);
  fL = n32(m, M_CLF_LAYERS);
  const R = E * B; // the classifier step's model rows
  // Scratch for any backward pass: B rows of the widest network, or R rows of the classifier.
  const W = max(max(mlpMaxWidth(aDims, aL), mlpMaxWidth(cDims, cL)), mlpMaxWidth(fDims, fL));
  const scratch = max(B * W, R * mlpMaxWidth(fDims, fL));
  start(base);
  xa = take(B * CI);
  actsActor = take(mlpActsSize(aDims, aL, B));
  uBuf = take(B * A);
  lsBuf = take(B * A);
  acts0 = take(mlpActsSize(cDims, cL, B));
  acts1 = take(mlpActsSize(cDims, cL, B));
  dq0 = take(B);
  dq1 = take(B);
  dxa0 = take(B * CI);
  dxa1 = take(B * CI);
  dOutA = take(B * 2 * A);
  dObs = take(B * O);
  dNext = take(B * O);
  xc = take(R * XC);
  actsClf = take(mlpActsSize(fDims, fL, R));
  dLogit = take(R);
  dxc = take(B * XC);
  sA = take(scratch);
  sB = take(scratch);
  wT = take(W * W);
  return end();
}

/** Workspace bytes for B rows per member (the host allocates this much at M_WORK). */
export function mnmWorkspaceBytes(m: usize, E: i32, B: i32): usize {
  return carve(m, 0, E, B);
}

/** Classifier input rows ([s, a, s' − s] − mean) / std for n rows, s and a from row i % B, s' from next row i. */
function classifierInput(m: usize, next: usize, n: i32, B: i32): void {
  const obs = p(m, M_OBS);
  const act = p(m, M_ACT);
  const mean = p(m, M_CLF_IN_MEAN);
  const std = p(m, M_CLF_IN_STD);
  for (let r = 0; r < n; r++) {
    const i = r % B;
    const row = xc + ((<usize>(r * XC)) << 2);
    for (let j = 0; j < XC; j++) {
      let v: f32;
      if (j < O) v = load<f32>(obs + ((<usize>(i * O + j)) << 2));
      else if (j < CI) v = load<f32>(act + ((<usize>(i * A + j - O)) << 2));
      else v = load<f32>(next + ((<usize>(r * O + j - CI)) << 2)) - load<f32>(obs + ((<usize>(i * O + j - CI)) << 2));
      const jo = (<usize>j) << 2;
      store<f32>(row + jo, (v - load<f32>(mean + jo)) / load<f32>(std + jo));
    }
  }
}

/**
 * One MnM model step on B rows per member (the host filled M_OBS, M_ACT, M_SEEN, M_EPS, M_VEPS and the ensemble's
 * S_X, S_Y with member minibatches of B rows), then Adam on every member (stepSize, vScale folded by the host).
 * Writes the model's samples to M_FAKE and [value, logit, rewardNll] to M_STATS (before the step).
 */
export function mnmModelStep(
  d: usize,
  m: usize,
  B: i32,
  valueWeight: f64,
  likelihoodWeight: f64,
  logitClip: f64,
  minLogStd: f64,
  maxLogStd: f64,
  actLogStdMin: f64,
  actLogStdMax: f64,
  b1: f64,
  b2: f64,
  eps: f64,
  stepSize: f64,
  vScale: f64,
): void {
  const E = load<i32>(d + (S_MEMBERS << 2));
  const L = load<i32>(d + (S_LAYERS << 2));
  carve(m, p(m, M_WORK), E, B);
  const nIn = width(d, 0);
  const D = O + 1;
  const nOut2 = 2 * D;
  const work = slot(d, S_WORK);
  const layerBytes = (<usize>(B * maxWidth(d))) << 2;
  const dOut = gradAt(work, layerBytes, L);
  const outMean = slot(d, S_OUT_MEAN);
  const outStd = slot(d, S_OUT_STD);
  const lo = <f32>minLogStd;
  const hi = <f32>maxLogStd;
  const aLo = <f32>actLogStdMin;
  const aHi = <f32>actLogStdMax;
  const clip = <f32>logitClip;
  const w = <f32>valueWeight;
  const invEB = <f32>1 / <f32>(E * B);
  const dV = -w * invEB;
  const lw = <f32>likelihoodWeight;
  const invNext = lw / <f32>(E * B * O);
  const obs = p(m, M_OBS);
  const actor = p(m, M_ACTOR);
  const critic0 = p(m, M_CRITIC);
  let nCritic = 0;
  for (let l = 0; l < cL; l++) nCritic += dimAt(cDims, l) * dimAt(cDims, l + 1) + dimAt(cDims, l + 1);
  const critic1 = critic0 + ((<usize>nCritic) << 2);
  const clf = p(m, M_CLF);
  const clfStd = p(m, M_CLF_IN_STD);
  let valueSum: f64 = 0;
  let logitSum: f64 = 0;
  let nllSum: f64 = 0;
  for (let k = 0; k < E; k++) {
    // The member's Gaussian on the real (s, a) and its reparameterised samples s'.
    forwardMember(d, k, B, p(m, M_SEEN), work, layerBytes);
    const out = zAt(work, layerBytes, L) + layerBytes;
    const next = p(m, M_FAKE) + ((<usize>(k * B * O)) << 2);
    const epsK = p(m, M_EPS) + ((<usize>(k * B * O)) << 2);
    for (let i = 0; i < B; i++)
      for (let j = 0; j < O; j++) {
        const jo = (<usize>j) << 2;
        const o = (<usize>(i * O + j)) << 2;
        const mean = load<f32>(out + ((<usize>(i * nOut2 + j)) << 2));
        const raw = load<f32>(out + ((<usize>(i * nOut2 + D + j)) << 2));
        const ls = lo + softplus(hi - softplus(hi - raw) - lo);
        const z = mean + Mathf.exp(ls) * load<f32>(epsK + o);
        store<f32>(next + o, z * load<f32>(outStd + jo) + load<f32>(outMean + jo) + load<f32>(obs + o));
      }

    // V(s') = min_j Q_j(s', a'), a' = tanh(μπ + σπ·ε'), and its gradient in s' (through the critics and the actor).
    const outA = mlpForward(actor, aDims, aL, RELU, next, B, actsActor);
    const vEps = p(m, M_VEPS) + ((<usize>(k * B * A)) << 2);
    for (let i = 0; i < B; i++) {
      memory.copy(xa + ((<usize>(i * CI)) << 2), next + ((<usize>(i * O)) << 2), (<usize>O) << 2);
      for (let j = 0; j < A; j++) {
        const raw = load<f32>(outA + ((<usize>(i * 2 * A + A + j)) << 2));
        const ls = raw < aLo ? aLo : raw > aHi ? aHi : raw;
        const u = load<f32>(outA + ((<usize>(i * 2 * A + j)) << 2)) + Mathf.exp(ls) * load<f32>(vEps + ((<usize>(i * A + j)) << 2));
        store<f32>(uBuf + ((<usize>(i * A + j)) << 2), u);
        store<f32>(lsBuf + ((<usize>(i * A + j)) << 2), ls);
        store<f32>(xa + ((<usize>(i * CI + O + j)) << 2), Mathf.tanh(u));
      }
    }
    const q0 = mlpForward(critic0, cDims, cL, RELU, xa, B, acts0);
    const q1 = mlpForward(critic1, cDims, cL, RELU, xa, B, acts1);
    for (let i = 0; i < B; i++) {
      const o = (<usize>i) << 2;
      const a = load<f32>(q0 + o);
      const b = load<f32>(q1 + o);
      const v = a < b ? a : b;
      valueSum += <f64>(v * w);
      // tf.min's gradient reaches every critic equal to the minimum (both on a tie).
      store<f32>(dq0 + o, a == v ? dV : 0);
      store<f32>(dq1 + o, b == v ? dV : 0);
    }
    mlpBackward(critic0, 0, cDims, cL, RELU, xa, B, acts0, dq0, dxa0, sA, sB, wT, 0);
    mlpBackward(critic1, 0, cDims, cL, RELU, xa, B, acts1, dq1, dxa1, sA, sB, wT, 0);
    for (let i = 0; i < B; i++)
      for (let j = 0; j < A; j++) {
        const c = (<usize>(i * CI + O + j)) << 2;
        const t = load<f32>(xa + c);
        const du = (load<f32>(dxa0 + c) + load<f32>(dxa1 + c)) * (<f32>1 - t * t);
        const ls = load<f32>(lsBuf + ((<usize>(i * A + j)) << 2));
        const raw = load<f32>(outA + ((<usize>(i * 2 * A + A + j)) << 2));
        const e = load<f32>(vEps + ((<usize>(i * A + j)) << 2));
        store<f32>(dOutA + ((<usize>(i * 2 * A + j)) << 2), du);
        // clipByValue passes the gradient inside [lo, hi] only.
        store<f32>(dOutA + ((<usize>(i * 2 * A + A + j)) << 2), raw >= aLo && raw <= aHi ? du * e * Mathf.exp(ls) : 0);
      }
    mlpBackward(actor, 0, aDims, aL, RELU, next, B, actsActor, dOutA, dObs, sA, sB, wT, 0);
    for (let i = 0; i < B; i++)
      for (let j = 0; j < O; j++) {
        const o = (<usize>(i * O + j)) << 2;
        const c = (<usize>(i * CI + j)) << 2;
        store<f32>(dNext + o, load<f32>(dxa0 + c) + load<f32>(dxa1 + c) + load<f32>(dObs + o));
      }

    // clip(logit C(s, a, s')) and its gradient in s' (zero where the clip binds).
    classifierInput(m, next, B, B);
    const lg = mlpForward(clf, fDims, fL, RELU, xc, B, actsClf);
    for (let i = 0; i < B; i++) {
      const o = (<usize>i) << 2;
      const z = load<f32>(lg + o);
      logitSum += <f64>(z < -clip ? -clip : z > clip ? clip : z);
      store<f32>(dLogit + o, z >= -clip && z <= clip ? -invEB : 0);
    }
    mlpBackward(clf, 0, fDims, fL, RELU, xc, B, actsClf, dLogit, dxc, sA, sB, wT, 0);
    for (let i = 0; i < B; i++)
      for (let j = 0; j < O; j++) {
        const o = (<usize>(i * O + j)) << 2;
        const g = load<f32>(dxc + ((<usize>(i * XC + CI + j)) << 2)) / load<f32>(clfStd + ((<usize>(CI + j)) << 2));
        store<f32>(dNext + o, load<f32>(dNext + o) + g);
      }

    // Back through s' = s + (μ + σ·ε)·std + mean into the member's output [μ | raw log σ] (the reward column: 0).
    for (let i = 0; i < B; i++)
      for (let j = 0; j < D; j++) {
        const mo = (<usize>(i * nOut2 + j)) << 2;
        const ro = (<usize>(i * nOut2 + D + j)) << 2;
        if (j == O) {
          store<f32>(dOut + mo, 0);
          store<f32>(dOut + ro, 0);
          continue;
        }
        const raw = load<f32>(out + ro);
        const ls1 = hi - softplus(hi - raw);
        const ls = lo + softplus(ls1 - lo);
        const dz = load<f32>(dNext + ((<usize>(i * O + j)) << 2)) * load<f32>(outStd + ((<usize>j) << 2));
        const dls = dz * Mathf.exp(ls) * load<f32>(epsK + ((<usize>(i * O + j)) << 2));
        store<f32>(dOut + mo, dz);
        store<f32>(dOut + ro, dls * sigmoid(ls1 - lo) * sigmoid(hi - raw));
      }
    backwardMember(d, k, B, work, layerBytes, 0);

    // The reward's likelihood (and λ times the next state's) on member k's own minibatch.
    forwardMember(d, k, B, slot(d, S_X) + ((<usize>(k * B * nIn)) << 2), work, layerBytes);
    const y = slot(d, S_Y) + ((<usize>(k * B * D)) << 2);
    for (let i = 0; i < B; i++)
      for (let j = 0; j < D; j++) {
        const mo = (<usize>(i * nOut2 + j)) << 2;
        const ro = (<usize>(i * nOut2 + D + j)) << 2;
        const jo = (<usize>j) << 2;
        const weight: f32 = j == O ? invEB : invNext;
        if (weight == 0) {
          store<f32>(dOut + mo, 0);
          store<f32>(dOut + ro, 0);
          continue;
        }
        const zt = (load<f32>(y + ((<usize>(i * D + j)) << 2)) - load<f32>(outMean + jo)) / load<f32>(outStd + jo);
        const nll = nllAt(load<f32>(out + mo), load<f32>(out + ro), zt, lo, hi, weight, dOut + mo, dOut + ro);
        if (j == O) nllSum += <f64>nll;
      }
    backwardMember(d, k, B, work, layerBytes, 1);
  }
  adamInPlace(slot(d, S_PARAMS), slot(d, S_GRADS), slot(d, S_M), slot(d, S_V), E * memberParams(d), b1, b2, eps, stepSize, vScale);
  const st = p(m, M_STATS);
  store<f64>(st, valueSum / <f64>(E * B));
  store<f64>(st, logitSum / <f64>(E * B), 8);
  store<f64>(st, nllSum / <f64>(E * B), 16);
}

/**
 * One classifier step (Eq. 4): real rows (M_OBS, M_ACT, M_REAL: B of them) labelled 1 against the E·B model
 * samples of the last model step (M_FAKE) labelled 0; the sigmoid cross-entropy 0.5·(mean softplus(−z_real) +
 * mean softplus(z_model)), its gradient and one Adam step. Writes the loss and the accuracy at 1/2 (before the step)
 * to M_STATS[3], [4].
 */
export function mnmClassifierStep(m: usize, E: i32, B: i32, b1: f64, b2: f64, eps: f64, stepSize: f64, vScale: f64): void {
  carve(m, p(m, M_WORK), E, B);
  const clf = p(m, M_CLF);
  const grads = p(m, M_CLF_GRADS);
  const R = E * B;
  // Real rows: each stands for its E copies in the TensorFlow.js version's tiled batch (mean over E·B rows).
  classifierInput(m, p(m, M_REAL), B, B);
  let lossReal: f64 = 0;
  let accReal: f64 = 0;
  let z = mlpForward(clf, fDims, fL, RELU, xc, B, actsClf);
  for (let i = 0; i < B; i++) {
    const o = (<usize>i) << 2;
    const v = load<f32>(z + o);
    lossReal += <f64>softplus(-v);
    if (v > 0) accReal += 1;
    store<f32>(dLogit + o, (<f32>-0.5 * sigmoid(-v)) / <f32>B);
  }
  mlpBackward(clf, grads, fDims, fL, RELU, xc, B, actsClf, dLogit, 0, sA, sB, wT, 0);
  classifierInput(m, p(m, M_FAKE), R, B);
  let lossFake: f64 = 0;
  let accFake: f64 = 0;
  z = mlpForward(clf, fDims, fL, RELU, xc, R, actsClf);
  for (let i = 0; i < R; i++) {
    const o = (<usize>i) << 2;
    const v = load<f32>(z + o);
    lossFake += <f64>softplus(v);
    if (v <= 0) accFake += 1;
    store<f32>(dLogit + o, (<f32>0.5 * sigmoid(v)) / <f32>R);
  }
  mlpBackward(clf, grads, fDims, fL, RELU, xc, R, actsClf, dLogit, 0, sA, sB, wT, 1);
  let n = 0;
  for (let l = 0; l < fL; l++) n += dimAt(fDims, l) * dimAt(fDims, l + 1) + dimAt(fDims, l + 1);
  adamInPlace(clf, grads, p(m, M_CLF_M), p(m, M_CLF_V), n, b1, b2, eps, stepSize, vScale);
  const st = p(m, M_STATS);
  store<f64>(st, 0.5 * (lossReal / <f64>B + lossFake / <f64>R), 24);
  store<f64>(st, 0.5 * (accReal / <f64>B + accFake / <f64>R), 32);
}
