// Dense-layer kernels over flat row-major Float32 buffers (pointers into the module's memory).
// AssemblyScript: compiled by scripts/build-engine.sh; not part of the TypeScript program.

/** Activation codes shared with lib/engine/engine.ts. */
export const LINEAR: i32 = 0;
export const RELU: i32 = 1;
export const TANH: i32 = 2;
export const SILU: i32 = 3;

/**
 * x·y + acc. Built with relaxed SIMD (engine-relaxed.wasm) it is one fused multiply-add where the CPU has one
 * (then rounded once, not twice); otherwise a multiply and an add.
 */
function madd(x: v128, y: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(x, y, acc);
  return f32x4.add(acc, f32x4.mul(x, y));
}

/**
 * C[n×m] = A[n×k]·B[k×m] (acc = 0) or C += A·B (acc = 1), all row-major. Blocks of 4 rows × 8 columns keep
 * eight f32x4 accumulators in registers; each B row segment is loaded once per 4 rows of A.
 */
export function gemm(a: usize, b: usize, c: usize, n: i32, k: i32, m: i32, acc: i32): void {
  gemmStrided(a, (<usize>k) << 2, 4, b, c, n, k, m, acc);
}

/** C[k×m] = Aᵀ·B for A [n×k], B [n×m] (a weight gradient xᵀ·dz) without transposing A. */
export function gemmTN(a: usize, b: usize, c: usize, n: i32, k: i32, m: i32, acc: i32): void {
  gemmStrided(a, 4, (<usize>k) << 2, b, c, k, n, m, acc);
}

/**
 * C[rows×m] (+)= A·B where A's element (r, p) is at a + r·rowStep + p·innerStep (bytes) and B [inner×m] is
 * row-major. A's numbers are broadcast one at a time (v128.load32_splat), so A may be strided either way.
 */
function gemmStrided(a: usize, rowStep: usize, innerStep: usize, b: usize, c: usize, rows: i32, inner: i32, m: i32, acc: i32): void {
  const m8 = m & ~7;
  const m4 = m & ~3;
  const r4 = rows & ~3;
  const rowB = (<usize>m) << 2;
  const rowC = (<usize>m) << 2;
  let i = 0;
  for (; i < r4; i += 4) {
    const a0 = a + <usize>i * rowStep;
    const a1 = a0 + rowStep;
    const a2 = a1 + rowStep;
    const a3 = a2 + rowStep;
    const c0 = c + <usize>i * rowC;
    const c1 = c0 + rowC;
    const c2 = c1 + rowC;
    const c3 = c2 + rowC;
    let j = 0;
    for (; j < m8; j += 8) {
      const jo = (<usize>j) << 2;
      let s00 = f32x4.splat(0),
        s01 = f32x4.splat(0);
      let s10 = f32x4.splat(0),
        s11 = f32x4.splat(0);
      let s20 = f32x4.splat(0),
        s21 = f32x4.splat(0);
      let s30 = f32x4.splat(0),
        s31 = f32x4.splat(0);
      let pb = b + jo;
      let po: usize = 0;
      for (let p = 0; p < inner; p++) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        pb += rowB;
        const x0 = v128.load32_splat(a0 + po);
        const x1 = v128.load32_splat(a1 + po);
        const x2 = v128.load32_splat(a2 + po);
        const x3 = v128.load32_splat(a3 + po);
        po += innerStep;
        s00 = madd(x0, b0, s00);
        s01 = madd(x0, b1, s01);
        s10 = madd(x1, b0, s10);
        s11 = madd(x1, b1, s11);
        s20 = madd(x2, b0, s20);
        s21 = madd(x2, b1, s21);
        s30 = madd(x3, b0, s30);
        s31 = madd(x3, b1, s31);
      }
      if (acc) {
        s00 = f32x4.add(s00, v128.load(c0 + jo));
        s01 = f32x4.add(s01, v128.load(c0 + jo, 16));
        s10 = f32x4.add(s10, v128.load(c1 + jo));
        s11 = f32x4.add(s11, v128.load(c1 + jo, 16));
        s20 = f32x4.add(s20, v128.load(c2 + jo));
        s21 = f32x4.add(s21, v128.load(c2 + jo, 16));
        s30 = f32x4.add(s30, v128.load(c3 + jo));
        s31 = f32x4.add(s31, v128.load(c3 + jo, 16));
      }
      v128.store(c0 + jo, s00);
      v128.store(c0 + jo, s01, 16);
      v128.store(c1 + jo, s10);
      v128.store(c1 + jo, s11, 16);
      v128.store(c2 + jo, s20);
      v128.store(c2 + jo, s21, 16);
      v128.store(c3 + jo, s30);
      v128.store(c3 + jo, s31, 16);
    }
    for (; j < m4; j += 4) {
      const jo = (<usize>j) << 2;
      let s0 = f32x4.splat(0),
        s1 = f32x4.splat(0),
        s2 = f32x4.splat(0),
        s3 = f32x4.splat(0);
      let pb = b + jo;
      let po: usize = 0;
      for (let p = 0; p < inner; p++) {
        const b0 = v128.load(pb);
        pb += rowB;
        s0 = madd(v128.load32_splat(a0 + po), b0, s0);
        s1 = madd(v128.load32_splat(a1 + po), b0, s1);
        s2 = madd(v128.load32_splat(a2 + po), b0, s2);
        s3 = madd(v128.load32_splat(a3 + po), b0, s3);
        po += innerStep;
      }
      if (acc) {
        s0 = f32x4.add(s0, v128.load(c0 + jo));
        s1 = f32x4.add(s1, v128.load(c1 + jo));
        s2 = f32x4.add(s2, v128.load(c2 + jo));
        s3 = f32x4.add(s3, v128.load(c3 + jo));
      }
      v128.store(c0 + jo, s0);
      v128.store(c1 + jo, s1);
      v128.store(c2 + jo, s2);
      v128.store(c3 + jo, s3);
    }
    for (; j < m; j++) {
      const jo = (<usize>j) << 2;
      let s0: f32 = 0,
        s1: f32 = 0,
        s2: f32 = 0,
        s3: f32 = 0;
      let po: usize = 0;
      for (let p = 0; p < inner; p++) {
        const bv = load<f32>(b + <usize>p * rowB + jo);
        s0 += load<f32>(a0 + po) * bv;
        s1 += load<f32>(a1 + po) * bv;
        s2 += load<f32>(a2 + po) * bv;
        s3 += load<f32>(a3 + po) * bv;
        po += innerStep;
      }
      if (acc) {
        s0 += load<f32>(c0 + jo);
        s1 += load<f32>(c1 + jo);
        s2 += load<f32>(c2 + jo);
        s3 += load<f32>(c3 + jo);
      }
      store<f32>(c0 + jo, s0);
      store<f32>(c1 + jo, s1);
      store<f32>(c2 + jo, s2);
      store<f32>(c3 + jo, s3);
    }
  }
  for (; i < rows; i++) {
    const a0 = a + <usize>i * rowStep;
    const c0 = c + <usize>i * rowC;
    let j = 0;
    for (; j < m4; j += 4) {
      const jo = (<usize>j) << 2;
      let s0 = f32x4.splat(0);
      let pb = b + jo;
      let po: usize = 0;
      for (let p = 0; p < inner; p++) {
        s0 = madd(v128.load32_splat(a0 + po), v128.load(pb), s0);
        pb += rowB;
        po += innerStep;
      }
      if (acc) s0 = f32x4.add(s0, v128.load(c0 + jo));
      v128.store(c0 + jo, s0);
    }
    for (; j < m; j++) {
      const jo = (<usize>j) << 2;
      let s0: f32 = 0;
      let po: usize = 0;
      for (let p = 0; p < inner; p++) {
        s0 += load<f32>(a0 + po) * load<f32>(b + <usize>p * rowB + jo);
        po += innerStep;
      }
      if (acc) s0 += load<f32>(c0 + jo);
      store<f32>(c0 + jo, s0);
    }
  }
}

/** dst[cols×rows] = transpose of src[rows×cols], in 8×8 tiles (both sides stay in cache). */
export function transpose(src: usize, dst: usize, rows: i32, cols: i32): void {
  for (let i0 = 0; i0 < rows; i0 += 8) {
    const i1 = min(i0 + 8, rows);
    for (let j0 = 0; j0 < cols; j0 += 8) {
      const j1 = min(j0 + 8, cols);
      for (let i = i0; i < i1; i++) {
        const s = src + ((<usize>i * <usize>cols) << 2);
        for (let j = j0; j < j1; j++) store<f32>(dst + ((<usize>j * <usize>rows + <usize>i) << 2), load<f32>(s + ((<usize>j) << 2)));
      }
    }
  }
}

/** out[m] = column sums of x[n×m] (acc = 1: added to out). */
export function colsum(x: usize, out: usize, n: i32, m: i32, acc: i32): void {
  const m4 = m & ~3;
  const row = (<usize>m) << 2;
  let j = 0;
  for (; j < m4; j += 4) {
    const jo = (<usize>j) << 2;
    let s = f32x4.splat(0);
    let p = x + jo;
    for (let i = 0; i < n; i++) {
      s = f32x4.add(s, v128.load(p));
      p += row;
    }
    if (acc) s = f32x4.add(s, v128.load(out + jo));
    v128.store(out + jo, s);
  }
  for (; j < m; j++) {
    const jo = (<usize>j) << 2;
    let s: f32 = 0;
    for (let i = 0; i < n; i++) s += load<f32>(x + <usize>i * row + jo);
    if (acc) s += load<f32>(out + jo);
    store<f32>(out + jo, s);
  }
}

function sigmoid(x: f32): f32 {
  return <f32>1 / (<f32>1 + Mathf.exp(-x));
}

/**
 * z = x·w + b (x [n×in], w [in×out], b [out]); y = act(z). y may equal z (in place) except for SiLU,
 * whose backward pass needs z.
 */
export function denseForward(x: usize, w: usize, b: usize, z: usize, y: usize, n: i32, nIn: i32, nOut: i32, act: i32): void {
  gemm(x, w, z, n, nIn, nOut, 0);
  const total = n * nOut;
  const m4 = nOut & ~3;
  for (let i = 0; i < n; i++) {
    const zr = z + ((<usize>i * <usize>nOut) << 2);
    let j = 0;
    for (; j < m4; j += 4) {
      const jo = (<usize>j) << 2;
      v128.store(zr + jo, f32x4.add(v128.load(zr + jo), v128.load(b + jo)));
    }
    for (; j < nOut; j++) {
      const jo = (<usize>j) << 2;
      store<f32>(zr + jo, load<f32>(zr + jo) + load<f32>(b + jo));
    }
  }
  if (act == RELU) {
    const zero = f32x4.splat(0);
    const t4 = total & ~3;
    let i = 0;
    for (; i < t4; i += 4) v128.store(y + ((<usize>i) << 2), f32x4.max(v128.load(z + ((<usize>i) << 2)), zero));
    for (; i < total; i++) {
      const v = load<f32>(z + ((<usize>i) << 2));
      store<f32>(y + ((<usize>i) << 2), v > 0 ? v : 0);
    }
  } else if (act == TANH) {
    for (let i = 0; i < total; i++) store<f32>(y + ((<usize>i) << 2), Mathf.tanh(load<f32>(z + ((<usize>i) << 2))));
  } else if (act == SILU) {
    for (let i = 0; i < total; i++) {
      const v = load<f32>(z + ((<usize>i) << 2));
      store<f32>(y + ((<usize>i) << 2), v * sigmoid(v));
    }
  } else if (y != z) {
    memory.copy(y, z, (<usize>total) << 2);
  }
}

/**
 * Backward pass of denseForward. dy [n×out] is overwritten with dz = dy·act'(z). dw [in×out] and db [out]
 * receive the gradients (acc = 1 adds to them); dx [n×in] (skipped when 0) = dz·wᵀ. Scratch: wT [out×in]
 * (may be 0 when dx = 0).
 */
export function denseBackward(
  x: usize,
  w: usize,
  z: usize,
  y: usize,
  dy: usize,
  dx: usize,
  dw: usize,
  db: usize,
  n: i32,
  nIn: i32,
  nOut: i32,
  act: i32,
  wT: usize,
  acc: i32,
): void {
  const total = n * nOut;
  if (act == RELU) {
    const zero = f32x4.splat(0);
    const t4 = total & ~3;
    let i = 0;
    // dy where y > 0, else 0 (tfjs's step(y) gradient: 0 at y = 0).
    for (; i < t4; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(dy + o, v128.and(v128.load(dy + o), f32x4.gt(v128.load(y + o), zero)));
    }
    for (; i < total; i++) {
      const o = (<usize>i) << 2;
      if (!(load<f32>(y + o) > 0)) store<f32>(dy + o, 0);
    }
  } else if (act == TANH) {
    for (let i = 0; i < total; i++) {
      const o = (<usize>i) << 2;
      const t = load<f32>(y + o);
      store<f32>(dy + o, load<f32>(dy + o) * (<f32>1 - t * t));
    }
  } else if (act == SILU) {
    for (let i = 0; i < total; i++) {
      const o = (<usize>i) << 2;
      const v = load<f32>(z + o);
      const s = sigmoid(v);
      store<f32>(dy + o, load<f32>(dy + o) * (s * (<f32>1 + v * (<f32>1 - s))));
    }
  }
  if (dw) {
    gemmTN(x, dy, dw, n, nIn, nOut, acc);
    colsum(dy, db, n, nOut, acc);
  }
  if (dx) {
    transpose(w, wT, nIn, nOut);
    gemm(dy, wT, dx, n, nOut, nIn, 0);
  }
}

/**
 * One Adam step over n parameters, in f64 arithmetic stored to f32 (the same numbers as lib/deep/flat-adam.ts):
 * m ← β1 m + (1−β1) g, v ← β2 v + (1−β2) g², w ← w − stepSize·m / (√v·vScale + ε), where stepSize = lr/(1−β1^t)
 * and vScale = 1/√(1−β2^t) are computed by the caller. Reads (w, m, v) and writes (wOut, mOut, vOut): the same
 * pointers update in place, others keep the old values (so a failed update can be dropped).
 */
export function adam(
  w: usize,
  g: usize,
  m: usize,
  v: usize,
  wOut: usize,
  mOut: usize,
  vOut: usize,
  n: i32,
  b1: f64,
  b2: f64,
  eps: f64,
  stepSize: f64,
  vScale: f64,
): void {
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 2;
    const gi = <f64>load<f32>(g + o);
    const mi = <f32>(b1 * <f64>load<f32>(m + o) + c1 * gi);
    const vi = <f32>(b2 * <f64>load<f32>(v + o) + c2 * gi * gi);
    store<f32>(mOut + o, mi);
    store<f32>(vOut + o, vi);
    store<f32>(wOut + o, <f32>(<f64>load<f32>(w + o) - (stepSize * <f64>mi) / (Math.sqrt(<f64>vi) * vScale + eps)));
  }
}

/** adam() with the weights and moments updated where they are. */
export function adamInPlace(w: usize, g: usize, m: usize, v: usize, n: i32, b1: f64, b2: f64, eps: f64, stepSize: f64, vScale: f64): void {
  adam(w, g, m, v, w, m, v, n, b1, b2, eps, stepSize, vScale);
}

/** out ← (1 − τ)·target + τ·src over n numbers, in f64 stored to f32 (as lib/deep/mlp.ts polyakFrom). */
export function polyak(target: usize, src: usize, out: usize, n: i32, tau: f64): void {
  const keep = 1 - tau;
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(out + o, <f32>(keep * <f64>load<f32>(target + o) + tau * <f64>load<f32>(src + o)));
  }
}
