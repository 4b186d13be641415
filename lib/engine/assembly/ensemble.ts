// The Gaussian ensemble's likelihood step (MBPO's model training, lib/deep/dynamics.ts fitLikelihood) as one call:
// every member's forward pass on its own minibatch, the soft-bounded log-std, the Gaussian negative log-likelihood
// mean over (member, row, dimension), its gradient and one Adam step over all members' weights.
import { adamInPlace, denseBackward, denseForward, LINEAR, SILU } from './dense';

// Descriptor slots (i32; lib/engine/ensemble.ts SLOT lists the same names in this order).
export const S_MEMBERS = 0;
export const S_LAYERS = 1; // linear layers (hidden layers + 1)
export const S_DIMS = 2; // pointer to layers + 1 widths: in, hidden..., 2·outDim
export const S_PARAMS = 3;
export const S_GRADS = 4;
export const S_M = 5;
export const S_V = 6;
export const S_IN_MEAN = 7;
export const S_IN_STD = 8;
export const S_OUT_MEAN = 9;
export const S_OUT_STD = 10;
export const S_X = 11; // [members, B, in] raw inputs
export const S_Y = 12; // [members, B, outDim] raw targets
export const S_WORK = 13; // workspace: see ensembleWorkspaceBytes
export const S_MAX_B = 14;

/** The descriptor's i32 slot k (a pointer or a count). */
export function slot(d: usize, k: i32): usize {
  return <usize>load<i32>(d + ((<usize>k) << 2));
}

export function width(d: usize, l: i32): i32 {
  return load<i32>(slot(d, S_DIMS) + ((<usize>l) << 2));
}

/** Floats of one member's parameters. */
export function memberParams(d: usize): i32 {
  const L = load<i32>(d + (S_LAYERS << 2));
  let n = 0;
  for (let l = 0; l < L; l++) n += width(d, l) * width(d, l + 1) + width(d, l + 1);
  return n;
}

export function maxWidth(d: usize): i32 {
  const L = load<i32>(d + (S_LAYERS << 2));
  let m = 0;
  for (let l = 0; l <= L; l++) m = max(m, width(d, l));
  return m;
}

/** Workspace bytes for batches of B rows: per layer z and y [B×width], the input, two gradient buffers, wᵀ. */
export function ensembleWorkspaceBytes(d: usize, B: i32): usize {
  const L = load<i32>(d + (S_LAYERS << 2));
  const W = maxWidth(d);
  return (<usize>(2 * (L + 1) * B * W + 2 * B * W + W * W)) << 2;
}

/**
 * One likelihood step on the first B rows of every member's minibatch; returns the loss (before the step).
 * minLogStd/maxLogStd: the soft bounds; Adam as FlatAdam (stepSize, vScale folded by the host).
 */
export function ensembleNllStep(
  d: usize,
  B: i32,
  minLogStd: f64,
  maxLogStd: f64,
  b1: f64,
  b2: f64,
  eps: f64,
  stepSize: f64,
  vScale: f64,
): f64 {
  const E = load<i32>(d + (S_MEMBERS << 2));
  const L = load<i32>(d + (S_LAYERS << 2));
  const W = maxWidth(d);
  const nIn = width(d, 0);
  const nOut2 = width(d, L);
  const D = nOut2 / 2;
  const perMember = memberParams(d);
  const outMean = slot(d, S_OUT_MEAN);
  const outStd = slot(d, S_OUT_STD);
  const work = slot(d, S_WORK);
  const layerBytes = (<usize>(B * W)) << 2;
  const dA = gradAt(work, layerBytes, L);
  const lo = <f32>minLogStd;
  const hi = <f32>maxLogStd;
  const invN = <f32>1 / <f32>(E * B * D);
  let loss: f64 = 0;
  for (let k = 0; k < E; k++) {
    forwardMember(d, k, B, slot(d, S_X) + ((<usize>(k * B * nIn)) << 2), work, layerBytes);
    // Output [mean | raw] → soft-bounded log-std, the loss and its gradient into dA [B×2D].
    const out = zAt(work, layerBytes, L) + layerBytes;
    const y = slot(d, S_Y) + ((<usize>(k * B * D)) << 2);
    for (let i = 0; i < B; i++)
      for (let j = 0; j < D; j++) {
        const mo = (<usize>(i * nOut2 + j)) << 2;
        const ro = (<usize>(i * nOut2 + D + j)) << 2;
        const jo = (<usize>j) << 2;
        const zt = (load<f32>(y + ((<usize>(i * D + j)) << 2)) - load<f32>(outMean + jo)) / load<f32>(outStd + jo);
        loss += <f64>nllAt(load<f32>(out + mo), load<f32>(out + ro), zt, lo, hi, invN, dA + mo, dA + ro);
      }
    backwardMember(d, k, B, work, layerBytes, 0);
  }
  adamInPlace(slot(d, S_PARAMS), slot(d, S_GRADS), slot(d, S_M), slot(d, S_V), E * perMember, b1, b2, eps, stepSize, vScale);
  return loss / <f64>(E * B * D);
}

/**
 * Backward pass of member k from the output gradient at gradAt(work, layerBytes, L) [B×2·outDim] (overwritten),
 * after forwardMember on the same work: the weight gradients go to member k's slice of grads (acc = 1 adds to them).
 */
export function backwardMember(d: usize, k: i32, B: i32, work: usize, layerBytes: usize, acc: i32): void {
  const L = load<i32>(d + (S_LAYERS << 2));
  const perMember = memberParams(d);
  const dA = gradAt(work, layerBytes, L);
  const dB = dA + layerBytes;
  const wT = dB + layerBytes;
  let dy = dA;
  let off: usize = (<usize>((k + 1) * perMember)) << 2;
  for (let l = L - 1; l >= 0; l--) {
    const a = width(d, l);
    const b = width(d, l + 1);
    off -= (<usize>(a * b + b)) << 2;
    const dx: usize = l == 0 ? 0 : dy == dA ? dB : dA;
    const z = zAt(work, layerBytes, l + 1);
    const pl = slot(d, S_PARAMS) + off;
    const gl = slot(d, S_GRADS) + off;
    denseBackward(
      zAt(work, layerBytes, l) + layerBytes,
      pl,
      z,
      z + layerBytes,
      dy,
      dx,
      gl,
      gl + ((<usize>(a * b)) << 2),
      B,
      a,
      b,
      l + 1 < L ? SILU : LINEAR,
      wT,
      acc,
    );
    dy = dx;
  }
}

/**
 * Member k's forward pass on B rows of raw inputs x [B×in]: the normalised input (x − mean) / std into layer 0's y,
 * then every layer (z and y of layer l at work + 2l·layerBytes, as ensembleNllStep reads them). Returns the pointer
 * just past member k's parameters (where its backward pass starts).
 */
export function forwardMember(d: usize, k: i32, B: i32, x: usize, work: usize, layerBytes: usize): usize {
  const L = load<i32>(d + (S_LAYERS << 2));
  const nIn = width(d, 0);
  const inMean = slot(d, S_IN_MEAN);
  const inStd = slot(d, S_IN_STD);
  const x0 = zAt(work, layerBytes, 0) + layerBytes;
  for (let i = 0; i < B; i++)
    for (let j = 0; j < nIn; j++) {
      const o = (<usize>(i * nIn + j)) << 2;
      const jo = (<usize>j) << 2;
      store<f32>(x0 + o, (load<f32>(x + o) - load<f32>(inMean + jo)) / load<f32>(inStd + jo));
    }
  let p = slot(d, S_PARAMS) + ((<usize>(k * memberParams(d))) << 2);
  for (let l = 0; l < L; l++) {
    const a = width(d, l);
    const b = width(d, l + 1);
    const inp = zAt(work, layerBytes, l) + layerBytes;
    const z = zAt(work, layerBytes, l + 1);
    denseForward(inp, p, p + ((<usize>(a * b)) << 2), z, z + layerBytes, B, a, b, l + 1 < L ? SILU : LINEAR);
    p += (<usize>(a * b + b)) << 2;
  }
  return p;
}

/**
 * Member k's Gaussian on n rows of raw inputs x [n×in] (quantised by the host where the model's input is), in the
 * target's raw units as GaussianEnsemble.step computes it: mu = mean·outStd + outMean and sd = exp(logStd)·outStd,
 * each [n×D] (sd skipped when 0: the validation MSE needs the mean only). work: ensembleWorkspaceBytes(d, n).
 */
export function ensemblePredict(
  d: usize,
  k: i32,
  n: i32,
  x: usize,
  work: usize,
  mu: usize,
  sd: usize,
  minLogStd: f64,
  maxLogStd: f64,
): void {
  const L = load<i32>(d + (S_LAYERS << 2));
  const nOut2 = width(d, L);
  const D = nOut2 / 2;
  const layerBytes = (<usize>(n * maxWidth(d))) << 2;
  forwardMember(d, k, n, x, work, layerBytes);
  const out = zAt(work, layerBytes, L) + layerBytes;
  const outMean = slot(d, S_OUT_MEAN);
  const outStd = slot(d, S_OUT_STD);
  const lo = <f32>minLogStd;
  const hi = <f32>maxLogStd;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < D; j++) {
      const jo = (<usize>j) << 2;
      const o = (<usize>(i * D + j)) << 2;
      const s = load<f32>(outStd + jo);
      store<f32>(mu + o, load<f32>(out + ((<usize>(i * nOut2 + j)) << 2)) * s + load<f32>(outMean + jo));
      if (sd == 0) continue;
      const raw = load<f32>(out + ((<usize>(i * nOut2 + D + j)) << 2));
      const ls = lo + softplus(hi - softplus(hi - raw) - lo);
      store<f32>(sd + o, Mathf.exp(ls) * s);
    }
}

/** Layer l's pre-activation z in the workspace (its output y follows it; l = 0: y is the normalised input). */
export function zAt(work: usize, layerBytes: usize, l: i32): usize {
  return work + <usize>(2 * l) * layerBytes;
}

/** The output gradient [B×2·outDim] after the L + 1 layers' z and y (two more such buffers and wᵀ follow it). */
export function gradAt(work: usize, layerBytes: usize, L: i32): usize {
  return work + <usize>(2 * (L + 1)) * layerBytes;
}

/**
 * One output's Gaussian negative log-likelihood r²·e^{−2ls}/2 + ls at the normalised target zt (r = zt − mean, ls the
 * soft-bounded log-std of `raw`); its gradient times `weight` goes to dMean and dRaw.
 */
export function nllAt(mean: f32, raw: f32, zt: f32, lo: f32, hi: f32, weight: f32, dMean: usize, dRaw: usize): f32 {
  const ls1 = hi - softplus(hi - raw);
  const ls = lo + softplus(ls1 - lo);
  const r = zt - mean;
  const inv = Mathf.exp(ls * <f32>-2);
  store<f32>(dMean, -r * inv * weight);
  store<f32>(dRaw, (<f32>1 - r * r * inv) * weight * sigmoid(ls1 - lo) * sigmoid(hi - raw));
  return r * r * inv * <f32>0.5 + ls;
}

export function softplus(x: f32): f32 {
  return x > 0 ? x + Mathf.log(<f32>1 + Mathf.exp(-x)) : Mathf.log(<f32>1 + Mathf.exp(x));
}

export function sigmoid(x: f32): f32 {
  return <f32>1 / (<f32>1 + Mathf.exp(-x));
}
