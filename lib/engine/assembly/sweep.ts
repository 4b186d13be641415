// Value-iteration sweeps in float64: the loops of lib/tabular/sweep-kernels.ts, with the same arithmetic in the
// same order (so V agrees with the JS kernels up to the last bit of exp and log), and f64x2 SIMD on the
// four-action StateBlocks of a gridworld (two accumulators of two actions each).

/**
 * One sweep V' = max_a Q(s, a) over all S states into vOut; returns ‖V' − V‖∞. Soft backups first compute
 * m = γ max V and e(s) = exp(γ V(s) − m) into `e`. Layout: blocks (start ≠ 0: StateBlocks) or compressed rows.
 * `acc` is scratch of A numbers.
 */
export function viSweep(
  S: i32,
  A: i32,
  gamma: f64,
  soft: i32,
  uniform: i32,
  v: usize,
  vOut: usize,
  e: usize,
  base: usize,
  expBase: usize,
  baseMax: usize,
  start: usize,
  succ: usize,
  pattern: usize,
  table: usize,
  rowStart: usize,
  next: usize,
  prob: usize,
  acc: usize,
): f64 {
  let m: f64 = 0;
  let src = v;
  if (soft) {
    let mx = -Infinity;
    for (let s = 0; s < S; s++) {
      const x = load<f64>(v + ((<usize>s) << 3));
      if (x > mx) mx = x;
    }
    m = gamma * mx;
    for (let s = 0; s < S; s++) store<f64>(e + ((<usize>s) << 3), Math.exp(gamma * load<f64>(v + ((<usize>s) << 3)) - m));
    src = e;
  }
  if (start == 0) return sweepRows(S, A, gamma, soft, uniform, v, src, m, vOut, base, expBase, baseMax, rowStart, next, prob);
  let diff: f64 = 0;
  for (let s = 0; s < S; s++) {
    const u0 = load<i32>(start + ((<usize>s) << 2));
    const u1 = load<i32>(start + ((<usize>(s + 1)) << 2));
    const i = s * A;
    let best: f64;
    if (A == 4) {
      let a01 = f64x2.splat(0);
      let a23 = f64x2.splat(0);
      let p = table + ((<usize>load<i32>(pattern + ((<usize>s) << 2))) << 3);
      for (let j = u0; j < u1; j++) {
        const x = f64x2.splat(load<f64>(src + ((<usize>load<i32>(succ + ((<usize>j) << 2))) << 3)));
        a01 = f64x2.add(a01, f64x2.mul(v128.load(p), x));
        a23 = f64x2.add(a23, f64x2.mul(v128.load(p, 16), x));
        p += 32;
      }
      const a0 = f64x2.extract_lane(a01, 0);
      const a1 = f64x2.extract_lane(a01, 1);
      const a2 = f64x2.extract_lane(a23, 0);
      const a3 = f64x2.extract_lane(a23, 1);
      if (uniform) {
        best = a0 > a1 ? a0 : a1;
        const b23 = a2 > a3 ? a2 : a3;
        if (b23 > best) best = b23;
        if (!soft) best = load<f64>(baseMax + ((<usize>s) << 3)) + gamma * best;
      } else if (soft) {
        const eb = expBase + ((<usize>i) << 3);
        best = load<f64>(eb) * a0;
        let t = load<f64>(eb, 8) * a1;
        if (t > best) best = t;
        t = load<f64>(eb, 16) * a2;
        if (t > best) best = t;
        t = load<f64>(eb, 24) * a3;
        if (t > best) best = t;
      } else {
        const bb = base + ((<usize>i) << 3);
        best = load<f64>(bb) + gamma * a0;
        let t = load<f64>(bb, 8) + gamma * a1;
        if (t > best) best = t;
        t = load<f64>(bb, 16) + gamma * a2;
        if (t > best) best = t;
        t = load<f64>(bb, 24) + gamma * a3;
        if (t > best) best = t;
      }
    } else {
      for (let a = 0; a < A; a++) store<f64>(acc + ((<usize>a) << 3), 0);
      let p = table + ((<usize>load<i32>(pattern + ((<usize>s) << 2))) << 3);
      for (let j = u0; j < u1; j++) {
        const x = load<f64>(src + ((<usize>load<i32>(succ + ((<usize>j) << 2))) << 3));
        for (let a = 0; a < A; a++) {
          const o = acc + ((<usize>a) << 3);
          store<f64>(o, load<f64>(o) + load<f64>(p + ((<usize>a) << 3)) * x);
        }
        p += (<usize>A) << 3;
      }
      best = soft ? 0 : -Infinity;
      const bm = load<f64>(baseMax + ((<usize>s) << 3));
      for (let a = 0; a < A; a++) {
        const ac = load<f64>(acc + ((<usize>a) << 3));
        const t = uniform
          ? soft
            ? ac
            : bm + gamma * ac
          : soft
            ? load<f64>(expBase + ((<usize>(i + a)) << 3)) * ac
            : load<f64>(base + ((<usize>(i + a)) << 3)) + gamma * ac;
        if (t > best) best = t;
      }
    }
    const vs = load<f64>(v + ((<usize>s) << 3));
    const val = !soft
      ? best
      : best > 0
        ? Math.log(best) + load<f64>(baseMax + ((<usize>s) << 3)) + m
        : softStateFromBlocks(s, A, gamma, uniform, v, base, baseMax, start, succ, pattern, table);
    store<f64>(vOut + ((<usize>s) << 3), val);
    const d = val > vs ? val - vs : vs - val;
    if (d > diff) diff = d;
  }
  return diff;
}

function sweepRows(
  S: i32,
  A: i32,
  gamma: f64,
  soft: i32,
  uniform: i32,
  v: usize,
  src: usize,
  m: f64,
  vOut: usize,
  base: usize,
  expBase: usize,
  baseMax: usize,
  rowStart: usize,
  next: usize,
  prob: usize,
): f64 {
  let diff: f64 = 0;
  for (let s = 0; s < S; s++) {
    let best: f64 = soft ? 0 : -Infinity;
    for (let i = s * A, iEnd = i + A; i < iEnd; i++) {
      let ac: f64 = 0;
      const end = load<i32>(rowStart + ((<usize>(i + 1)) << 2));
      for (let k = load<i32>(rowStart + ((<usize>i) << 2)); k < end; k++)
        ac += load<f64>(prob + ((<usize>k) << 3)) * load<f64>(src + ((<usize>load<i32>(next + ((<usize>k) << 2))) << 3));
      const t = soft ? (uniform ? ac : load<f64>(expBase + ((<usize>i) << 3)) * ac) : load<f64>(base + ((<usize>i) << 3)) + gamma * ac;
      if (t > best) best = t;
    }
    const vs = load<f64>(v + ((<usize>s) << 3));
    const val = !soft
      ? best
      : best > 0
        ? Math.log(best) + load<f64>(baseMax + ((<usize>s) << 3)) + m
        : softStateFromRows(s, A, gamma, v, base, rowStart, next, prob);
    store<f64>(vOut + ((<usize>s) << 3), val);
    const d = val > vs ? val - vs : vs - val;
    if (d > diff) diff = d;
  }
  return diff;
}

/** max_a c(s,a) + log Σ p exp(γ V(s')) with each action's own maximum (the underflow fallback). */
function softStateFromBlocks(
  s: i32,
  A: i32,
  gamma: f64,
  uniform: i32,
  v: usize,
  base: usize,
  baseMax: usize,
  start: usize,
  succ: usize,
  pattern: usize,
  table: usize,
): f64 {
  const u0 = load<i32>(start + ((<usize>s) << 2));
  const u1 = load<i32>(start + ((<usize>(s + 1)) << 2));
  const pat = load<i32>(pattern + ((<usize>s) << 2));
  let best = -Infinity;
  for (let a = 0; a < A; a++) {
    let mx = -Infinity;
    for (let j = u0, p = pat + a; j < u1; j++, p += A) {
      const gv = gamma * load<f64>(v + ((<usize>load<i32>(succ + ((<usize>j) << 2))) << 3));
      if (load<f64>(table + ((<usize>p) << 3)) > 0 && gv > mx) mx = gv;
    }
    let ac: f64 = 0;
    for (let j = u0, p = pat + a; j < u1; j++, p += A) {
      const pr = load<f64>(table + ((<usize>p) << 3));
      if (pr > 0) ac += pr * Math.exp(gamma * load<f64>(v + ((<usize>load<i32>(succ + ((<usize>j) << 2))) << 3)) - mx);
    }
    const c = uniform ? load<f64>(baseMax + ((<usize>s) << 3)) : load<f64>(base + ((<usize>(s * A + a)) << 3));
    const q = c + Math.log(ac) + mx;
    if (q > best) best = q;
  }
  return best;
}

function softStateFromRows(s: i32, A: i32, gamma: f64, v: usize, base: usize, rowStart: usize, next: usize, prob: usize): f64 {
  let best = -Infinity;
  for (let i = s * A; i < (s + 1) * A; i++) {
    const lo = load<i32>(rowStart + ((<usize>i) << 2));
    const hi = load<i32>(rowStart + ((<usize>(i + 1)) << 2));
    let mx = -Infinity;
    for (let k = lo; k < hi; k++) {
      const gv = gamma * load<f64>(v + ((<usize>load<i32>(next + ((<usize>k) << 2))) << 3));
      if (load<f64>(prob + ((<usize>k) << 3)) > 0 && gv > mx) mx = gv;
    }
    let ac: f64 = 0;
    for (let k = lo; k < hi; k++) {
      const pr = load<f64>(prob + ((<usize>k) << 3));
      if (pr > 0) ac += pr * Math.exp(gamma * load<f64>(v + ((<usize>load<i32>(next + ((<usize>k) << 2))) << 3)) - mx);
    }
    const q = load<f64>(base + ((<usize>i) << 3)) + Math.log(ac) + mx;
    if (q > best) best = q;
  }
  return best;
}
