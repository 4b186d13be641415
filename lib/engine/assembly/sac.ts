// One SAC update as one call (lib/engine/sac.ts drives it): the losses, gradients and order of
// lib/deep/sac.ts's tfjs update, in float32 with the same elementwise operation order, over buffers the host
// allocated once. Every write goes to the "next" copy of the weights, optimizer moments and targets: the host
// keeps the "current" copy when the update's statistics come out non-finite (nothing to undo).
import { denseBackward, denseForward, adam, polyak, LINEAR, RELU } from './dense';
import { end, start, take } from './workspace';

// Descriptor slots (i32, written once by the host; lib/engine/sac.ts SLOT lists the same names in this order).
const S_OBS_DIM = 0;
const S_ACT_DIM = 1;
const S_HIDDEN = 2;
const S_LAYERS = 3;
const S_N_MAX = 4;
const S_OBS = 5;
const S_ACT = 6;
const S_REW = 7;
const S_NEXT_OBS = 8;
const S_DONE = 9;
const S_EPS_NEXT = 10;
const S_EPS_NOW = 11;
const S_ACTOR = 12; // [2]: weights, then moments m [2] and v [2]
const S_CRITIC = 18; // [2] both critics, m [2], v [2]
const S_TARGET = 24; // [2]
const S_G_ACTOR = 26;
const S_G_CRITIC = 27;
const S_WORK = 28;
const S_STATS = 29;

let O: i32 = 0;
let A: i32 = 0;
let H: i32 = 0;
let L: i32 = 0;
let CI: i32 = 0; // critic input width O + A
let MAXD: i32 = 0;

// Workspace buffers (carved from S_WORK for nMax rows; see carve()).
let xc: usize = 0;
let xn: usize = 0;
let xa: usize = 0;
let actsA2: usize = 0;
let actsA: usize = 0;
let actsT0: usize = 0;
let actsT1: usize = 0;
let actsC0: usize = 0;
let actsC1: usize = 0;
let actsQ0: usize = 0;
let actsQ1: usize = 0;
let logp2: usize = 0;
let yv: usize = 0;
let uNow: usize = 0;
let lsNow: usize = 0;
let logpNow: usize = 0;
let dq0: usize = 0;
let dq1: usize = 0;
let dxa0: usize = 0;
let dxa1: usize = 0;
let dOutA: usize = 0;
let dA: usize = 0;
let dB: usize = 0;
let wT: usize = 0;

function dims(d: usize): void {
  O = load<i32>(d + (S_OBS_DIM << 2));
  A = load<i32>(d + (S_ACT_DIM << 2));
  H = load<i32>(d + (S_HIDDEN << 2));
  L = load<i32>(d + (S_LAYERS << 2));
  CI = O + A;
  MAXD = max(max(H, CI), 2 * A);
}

/** Lays the workspace out from `base` for n rows; returns its end (so carve(0) is its size in bytes). */
function carve(base: usize, n: i32): usize {
  start(base);
  const actsActor = L * n * H + n * 2 * A;
  const actsCritic = L * n * H + n;
  xc = take(n * CI);
  xn = take(n * CI);
  xa = take(n * CI);
  actsA2 = take(actsActor);
  actsA = take(actsActor);
  actsT0 = take(actsCritic);
  actsT1 = take(actsCritic);
  actsC0 = take(actsCritic);
  actsC1 = take(actsCritic);
  actsQ0 = take(actsCritic);
  actsQ1 = take(actsCritic);
  logp2 = take(n);
  yv = take(n);
  uNow = take(n * A);
  lsNow = take(n * A);
  logpNow = take(n);
  dq0 = take(n);
  dq1 = take(n);
  dxa0 = take(n * CI);
  dxa1 = take(n * CI);
  dOutA = take(n * 2 * A);
  dA = take(n * MAXD);
  dB = take(n * MAXD);
  wT = take(MAXD * MAXD);
  return end();
}

/** Workspace bytes for a network shape and batch size (the host allocates this much at S_WORK). */
export function sacWorkspaceBytes(obsDim: i32, actDim: i32, hidden: i32, layers: i32, n: i32): usize {
  O = obsDim;
  A = actDim;
  H = hidden;
  L = layers;
  CI = O + A;
  MAXD = max(max(H, CI), 2 * A);
  return carve(0, n);
}

/** Floats of one network's parameters: L hidden layers of width H, then a linear output layer. */
export function mlpParamCount(nIn: i32, hidden: i32, layers: i32, nOut: i32): i32 {
  if (layers == 0) return nIn * nOut + nOut;
  return nIn * hidden + hidden + (layers - 1) * (hidden * hidden + hidden) + hidden * nOut + nOut;
}

/** Byte offset of layer l's weights within a network's parameters (its bias follows them). */
function layerOffset(l: i32, nIn: i32, nOut: i32): usize {
  if (l == 0) return 0;
  return (<usize>(nIn * H + H + (l - 1) * (H * H + H))) << 2;
}

/** Forward pass: hidden ReLU layers into acts (layer l at acts + l·n·H), the linear output after them. */
function mlpForward(params: usize, x: usize, n: i32, nIn: i32, nOut: i32, acts: usize): usize {
  let inp = x;
  let d = nIn;
  for (let l = 0; l <= L; l++) {
    const w = params + layerOffset(l, nIn, nOut);
    const dOut = l == L ? nOut : H;
    const b = w + ((<usize>(d * dOut)) << 2);
    const out = acts + ((<usize>(l * n * H)) << 2);
    denseForward(inp, w, b, out, out, n, d, dOut, l == L ? LINEAR : RELU);
    inp = out;
    d = H;
  }
  return acts + ((<usize>(L * n * H)) << 2);
}

/**
 * Backward pass of mlpForward from dOut [n×nOut] (overwritten). grads = 0: the weights are held fixed (no
 * weight gradients: SAC's actor loss through the critics). dIn [n×nIn] receives the input gradient (0: skipped).
 */
function mlpBackward(params: usize, grads: usize, x: usize, n: i32, nIn: i32, nOut: i32, acts: usize, dOut: usize, dIn: usize): void {
  let dy = dOut;
  for (let l = L; l >= 0; l--) {
    const dInL = l == 0 ? nIn : H;
    const dOutL = l == L ? nOut : H;
    const off = layerOffset(l, nIn, nOut);
    const w = params + off;
    const inp = l == 0 ? x : acts + ((<usize>((l - 1) * n * H)) << 2);
    const y = acts + ((<usize>(l * n * H)) << 2);
    const dx = l == 0 ? dIn : dy == dA ? dB : dA;
    const gw = grads ? grads + off : 0;
    const gb = grads ? gw + ((<usize>(dInL * dOutL)) << 2) : 0;
    denseBackward(inp, w, y, y, dy, dx, gw, gb, n, dInL, dOutL, l == L ? LINEAR : RELU, wT, 0);
    dy = dx;
  }
}

/** Writes [obs | act] rows of width O + A into dst. */
function concatRows(obs: usize, act: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    memory.copy(dst + ((<usize>(i * CI)) << 2), obs + ((<usize>(i * O)) << 2), (<usize>O) << 2);
    memory.copy(dst + ((<usize>(i * CI + O)) << 2), act + ((<usize>(i * A)) << 2), (<usize>A) << 2);
  }
}

const LOG2: f32 = <f32>Math.LN2;
const HALF_LOG_2PI: f32 = <f32>(0.5 * Math.log(2 * Math.PI));

function softplus(x: f32): f32 {
  return x > 0 ? x + Mathf.log(<f32>1 + Mathf.exp(-x)) : Mathf.log(<f32>1 + Mathf.exp(x));
}

function sigmoid(x: f32): f32 {
  return <f32>1 / (<f32>1 + Mathf.exp(-x));
}

/**
 * Squashed-Gaussian sample from the actor's output [n×2A] (μ | raw log σ) and noise eps [n×A]: the action
 * tanh(u) into column O.. of `dst` (rows of width O + A), log π per row into logp; u and the clipped log σ into
 * uOut/lsOut when given (for the backward pass). Same operations and order as Sac.sample in lib/deep/sac.ts.
 */
function sample(out: usize, eps: usize, n: i32, lo: f32, hi: f32, dst: usize, logp: usize, uOut: usize, lsOut: usize): void {
  for (let i = 0; i < n; i++) {
    let lp: f32 = 0;
    for (let j = 0; j < A; j++) {
      const mu = load<f32>(out + ((<usize>(i * 2 * A + j)) << 2));
      const raw = load<f32>(out + ((<usize>(i * 2 * A + A + j)) << 2));
      const ls = raw < lo ? lo : raw > hi ? hi : raw;
      const e = load<f32>(eps + ((<usize>(i * A + j)) << 2));
      const u = mu + Mathf.exp(ls) * e;
      store<f32>(dst + ((<usize>(i * CI + O + j)) << 2), Mathf.tanh(u));
      const squash = (LOG2 - u - softplus(u * <f32>-2)) * <f32>2;
      lp += e * e * <f32>-0.5 - (ls + HALF_LOG_2PI) - squash;
      if (uOut) {
        store<f32>(uOut + ((<usize>(i * A + j)) << 2), u);
        store<f32>(lsOut + ((<usize>(i * A + j)) << 2), ls);
      }
    }
    store<f32>(logp + ((<usize>i) << 2), lp);
  }
}

function ptr(d: usize, slot: i32): usize {
  return <usize>load<i32>(d + ((<usize>slot) << 2));
}

/**
 * One SAC update on the first n rows of the batch buffers. cur ∈ {0, 1} picks the current weights; the new ones
 * go to 1 − cur. Adam's bias corrections come folded (stepSize = lr/(1−β1^t), vScale = 1/√(1−β2^t), as FlatAdam).
 * Writes [qLoss, actorLoss, mean log π, mean Q1] (f64) at S_STATS.
 */
export function sacUpdate(
  d: usize,
  n: i32,
  cur: i32,
  gamma: f64,
  alpha: f64,
  tau: f64,
  logStdMin: f64,
  logStdMax: f64,
  b1: f64,
  b2: f64,
  adamEps: f64,
  stepActor: f64,
  vScaleActor: f64,
  stepCritic: f64,
  vScaleCritic: f64,
): void {
  dims(d);
  carve(ptr(d, S_WORK), n);
  const nxt = 1 - cur;
  const actor = ptr(d, S_ACTOR + cur);
  const actorNext = ptr(d, S_ACTOR + nxt);
  const critic = ptr(d, S_CRITIC + cur);
  const criticNext = ptr(d, S_CRITIC + nxt);
  const target = ptr(d, S_TARGET + cur);
  const targetNext = ptr(d, S_TARGET + nxt);
  const nActor = mlpParamCount(O, H, L, 2 * A);
  const nCritic = mlpParamCount(CI, H, L, 1);
  const member = (<usize>nCritic) << 2;
  const obs = ptr(d, S_OBS);
  const nextObs = ptr(d, S_NEXT_OBS);
  const rew = ptr(d, S_REW);
  const done = ptr(d, S_DONE);
  const gC = ptr(d, S_G_CRITIC);
  const gA = ptr(d, S_G_ACTOR);
  const lo = <f32>logStdMin;
  const hi = <f32>logStdMax;
  const alphaF = <f32>alpha;
  const gammaF = <f32>gamma;
  const invN = <f32>1 / <f32>n;

  // Critic target y = r + γ(1 − done)(min_k Q̄_k(s', a') − α log π(a'|s')), a' from the current actor.
  const out2 = mlpForward(actor, nextObs, n, O, 2 * A, actsA2);
  for (let i = 0; i < n; i++) memory.copy(xn + ((<usize>(i * CI)) << 2), nextObs + ((<usize>(i * O)) << 2), (<usize>O) << 2);
  sample(out2, ptr(d, S_EPS_NEXT), n, lo, hi, xn, logp2, 0, 0);
  const qt0 = mlpForward(target, xn, n, CI, 1, actsT0);
  const qt1 = mlpForward(target + member, xn, n, CI, 1, actsT1);
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 2;
    const a = load<f32>(qt0 + o);
    const b = load<f32>(qt1 + o);
    const qNext = a < b ? a : b;
    const notDoneG = (<f32>1 - load<f32>(done + o)) * gammaF;
    store<f32>(yv + o, load<f32>(rew + o) + notDoneG * (qNext - alphaF * load<f32>(logp2 + o)));
  }

  // Critic loss Σ_k mean_i (Q_k − y)² and its gradient (1/n)·2(Q_k − y), both critics; Adam into the next copy.
  concatRows(obs, ptr(d, S_ACT), xc, n);
  const q0 = mlpForward(critic, xc, n, CI, 1, actsC0);
  const q1 = mlpForward(critic + member, xc, n, CI, 1, actsC1);
  let qLoss: f64 = 0;
  let qMean: f64 = 0;
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 2;
    const y = load<f32>(yv + o);
    const e0 = load<f32>(q0 + o) - y;
    const e1 = load<f32>(q1 + o) - y;
    qLoss += <f64>(e0 * e0) + <f64>(e1 * e1);
    qMean += <f64>load<f32>(q0 + o);
    store<f32>(dq0 + o, invN * (<f32>2 * e0));
    store<f32>(dq1 + o, invN * (<f32>2 * e1));
  }
  qLoss /= n;
  qMean /= n;
  mlpBackward(critic, gC, xc, n, CI, 1, actsC0, dq0, 0);
  mlpBackward(critic + member, gC + member, xc, n, CI, 1, actsC1, dq1, 0);
  const cm = ptr(d, S_CRITIC + 2 + cur);
  const cv = ptr(d, S_CRITIC + 4 + cur);
  adam(
    critic,
    gC,
    cm,
    cv,
    criticNext,
    ptr(d, S_CRITIC + 2 + nxt),
    ptr(d, S_CRITIC + 4 + nxt),
    2 * nCritic,
    b1,
    b2,
    adamEps,
    stepCritic,
    vScaleCritic,
  );

  // Actor loss mean(α log π − min_k Q_k(s, a)) through the UPDATED critics (held fixed); Adam into the next copy.
  const out = mlpForward(actor, obs, n, O, 2 * A, actsA);
  for (let i = 0; i < n; i++) memory.copy(xa + ((<usize>(i * CI)) << 2), obs + ((<usize>(i * O)) << 2), (<usize>O) << 2);
  const epsNow = ptr(d, S_EPS_NOW);
  sample(out, epsNow, n, lo, hi, xa, logpNow, uNow, lsNow);
  const qa0 = mlpForward(criticNext, xa, n, CI, 1, actsQ0);
  const qa1 = mlpForward(criticNext + member, xa, n, CI, 1, actsQ1);
  let actorLoss: f64 = 0;
  let logpMean: f64 = 0;
  const dLogp = invN * alphaF;
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 2;
    const a = load<f32>(qa0 + o);
    const b = load<f32>(qa1 + o);
    const m = a < b ? a : b;
    const lp = load<f32>(logpNow + o);
    actorLoss += <f64>(alphaF * lp - m);
    logpMean += <f64>lp;
    // tf.min's gradient reaches every member equal to the minimum (both on a tie).
    store<f32>(dq0 + o, a == m ? -invN : 0);
    store<f32>(dq1 + o, b == m ? -invN : 0);
  }
  actorLoss /= n;
  logpMean /= n;
  mlpBackward(criticNext, 0, xa, n, CI, 1, actsQ0, dq0, dxa0);
  mlpBackward(criticNext + member, 0, xa, n, CI, 1, actsQ1, dq1, dxa1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < A; j++) {
      const k = (<usize>(i * A + j)) << 2;
      const c = (<usize>(i * CI + O + j)) << 2;
      const act = load<f32>(xa + c);
      const dAct = load<f32>(dxa0 + c) + load<f32>(dxa1 + c);
      const u = load<f32>(uNow + k);
      const ls = load<f32>(lsNow + k);
      const e = load<f32>(epsNow + k);
      // log π = Σ_j [−½ε² − (log σ + ½ log 2π) − 2(log 2 − u − softplus(−2u))]: ∂/∂u = 2 − 4σ(−2u), ∂/∂log σ = −1.
      const du = dAct * (<f32>1 - act * act) + dLogp * (<f32>2 - <f32>4 * sigmoid(<f32>-2 * u));
      const dls = du * e * Mathf.exp(ls) - dLogp;
      const raw = load<f32>(out + ((<usize>(i * 2 * A + A + j)) << 2));
      store<f32>(dOutA + ((<usize>(i * 2 * A + j)) << 2), du);
      store<f32>(dOutA + ((<usize>(i * 2 * A + A + j)) << 2), raw >= lo && raw <= hi ? dls : 0);
    }
  }
  mlpBackward(actor, gA, obs, n, O, 2 * A, actsA, dOutA, 0);
  const am = ptr(d, S_ACTOR + 2 + cur);
  const av = ptr(d, S_ACTOR + 4 + cur);
  adam(actor, gA, am, av, actorNext, ptr(d, S_ACTOR + 2 + nxt), ptr(d, S_ACTOR + 4 + nxt), nActor, b1, b2, adamEps, stepActor, vScaleActor);

  // Targets ← (1 − τ)·targets + τ·critics (the updated ones).
  polyak(target, criticNext, targetNext, 2 * nCritic, tau);

  const st = ptr(d, S_STATS);
  store<f64>(st, qLoss);
  store<f64>(st, actorLoss, 8);
  store<f64>(st, logpMean, 16);
  store<f64>(st, qMean, 24);
}

/**
 * Actions for n observations with the weights of slot `cur`: tanh(μ) (deterministic) or a sample with noise
 * eps [n×A], into act [n×A] in [−1, 1]. Uses the actor-on-next-obs workspace.
 */
export function sacAct(
  d: usize,
  n: i32,
  cur: i32,
  obs: usize,
  eps: usize,
  act: usize,
  deterministic: i32,
  logStdMin: f64,
  logStdMax: f64,
): void {
  dims(d);
  carve(ptr(d, S_WORK), load<i32>(d + (S_N_MAX << 2)));
  const out = mlpForward(ptr(d, S_ACTOR + cur), obs, n, O, 2 * A, actsA2);
  if (deterministic) {
    for (let i = 0; i < n; i++)
      for (let j = 0; j < A; j++)
        store<f32>(act + ((<usize>(i * A + j)) << 2), Mathf.tanh(load<f32>(out + ((<usize>(i * 2 * A + j)) << 2))));
    return;
  }
  sample(out, eps, n, <f32>logStdMin, <f32>logStdMax, xn, logp2, 0, 0);
  for (let i = 0; i < n; i++) memory.copy(act + ((<usize>(i * A)) << 2), xn + ((<usize>(i * CI + O)) << 2), (<usize>A) << 2);
}
