// A plain MLP of any widths over flat row-major buffers: hidden layers with one activation (ReLU or tanh, which
// work in place), a linear output. Parameters in lib/deep/mlp.ts order (per layer w [in×out], then b); widths
// dims[0..layers] as i32s in memory. Used by the MnM-approx step (./mnm.ts) for SAC's actor and critics and the
// transition classifier.
import { denseBackward, denseForward, LINEAR } from './dense';

export function dimAt(dims: usize, l: i32): i32 {
  return load<i32>(dims + ((<usize>l) << 2));
}

/** Floats of the parameters of an MLP with `layers` linear layers. */
export function mlpSize(dims: usize, layers: i32): i32 {
  let n = 0;
  for (let l = 0; l < layers; l++) n += dimAt(dims, l) * dimAt(dims, l + 1) + dimAt(dims, l + 1);
  return n;
}

/** Floats of the activations of n rows (every layer's output, one after another). */
export function mlpActsSize(dims: usize, layers: i32, n: i32): i32 {
  let s = 0;
  for (let l = 1; l <= layers; l++) s += n * dimAt(dims, l);
  return s;
}

/** The widest layer (for the backward pass's scratch buffers). */
export function mlpMaxWidth(dims: usize, layers: i32): i32 {
  let m = 0;
  for (let l = 0; l <= layers; l++) m = max(m, dimAt(dims, l));
  return m;
}

/** Forward pass of n rows x [n×dims[0]]; layer l's output at acts + Σ_{l'<l} n·dims[l'+1]. Returns the output's pointer. */
export function mlpForward(params: usize, dims: usize, layers: i32, act: i32, x: usize, n: i32, acts: usize): usize {
  let inp = x;
  let p = params;
  let out = acts;
  for (let l = 0; l < layers; l++) {
    const a = dimAt(dims, l);
    const b = dimAt(dims, l + 1);
    denseForward(inp, p, p + ((<usize>(a * b)) << 2), out, out, n, a, b, l + 1 < layers ? act : LINEAR);
    p += (<usize>(a * b + b)) << 2;
    inp = out;
    out += (<usize>(n * b)) << 2;
  }
  return inp;
}

/**
 * Backward pass of mlpForward from dOut [n×dims[layers]] (overwritten). grads = 0: no weight gradients (the weights
 * are held fixed); else they go to grads (acc = 1 adds to them). dIn [n×dims[0]] receives the input gradient
 * (0: skipped). Scratch: sA and sB [n×maxWidth], wT [maxWidth²].
 */
export function mlpBackward(
  params: usize,
  grads: usize,
  dims: usize,
  layers: i32,
  act: i32,
  x: usize,
  n: i32,
  acts: usize,
  dOut: usize,
  dIn: usize,
  sA: usize,
  sB: usize,
  wT: usize,
  acc: i32,
): void {
  // Offsets of every layer's weights and output, walked backwards.
  let off: usize = (<usize>mlpSize(dims, layers)) << 2;
  let actOff: usize = (<usize>mlpActsSize(dims, layers, n)) << 2;
  let dy = dOut;
  for (let l = layers - 1; l >= 0; l--) {
    const a = dimAt(dims, l);
    const b = dimAt(dims, l + 1);
    off -= (<usize>(a * b + b)) << 2;
    actOff -= (<usize>(n * b)) << 2;
    const y = acts + actOff;
    const inp = l == 0 ? x : y - ((<usize>(n * a)) << 2);
    const dx: usize = l == 0 ? dIn : dy == sA ? sB : sA;
    const gw: usize = grads ? grads + off : 0;
    const gb: usize = grads ? gw + ((<usize>(a * b)) << 2) : 0;
    denseBackward(inp, params + off, y, y, dy, dx, gw, gb, n, a, b, l + 1 < layers ? act : LINEAR, wT, acc);
    dy = dx;
  }
}
