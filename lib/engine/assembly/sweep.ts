// Value-iteration sweeps in float64: the loops of lib/tabular/sweep-kernels.ts, with the same arithmetic in the
// same order (so V agrees with the JS kernels up to the last bit of exp and log), and f64x2 SIMD on the
// four-action StateBlocks of a gridworld (two accumulators of two actions each).

const LN2_HI: f64 = 6.9314718036912381649e-1; // ln 2 rounded to 32 significant bits (k·LN2_HI is exact)
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.4426950408889634;
const SQRT2: f64 = 1.4142135623730951;

/**
 * exp of two numbers in [−708, 709] (normal results): x = k·ln 2 + r, |r| ≤ ln 2 / 2, exp r by its Taylor series to
 * degree 12 (remainder below 2e-16 relative), and 2^k added to the exponent bits. Within a few ulp of Math.exp.
 */
function expV(x: v128): v128 {
  const k = f64x2.nearest(f64x2.mul(x, f64x2.splat(INV_LN2)));
  const r = f64x2.sub(f64x2.sub(x, f64x2.mul(k, f64x2.splat(LN2_HI))), f64x2.mul(k, f64x2.splat(LN2_LO)));
  let p = f64x2.splat(1.0 / 479001600.0);
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 39916800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 3628800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 362880.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 40320.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 5040.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 720.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 120.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 24.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 6.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(0.5));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  const ki = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k));
  return i64x2.add(p, i64x2.shl(ki, 52));
}

/**
 * log of two positive normal numbers: x = 2^e·m with m in [√½, √2), log m = 2 atanh s with s = (m − 1)/(m + 1)
 * (|s| ≤ 0.172: its odd series to s^21 leaves below 1e-18), plus e·ln 2 in two parts. Within a few ulp of Math.log.
 */
function logV(x: v128): v128 {
  const bits = x;
  let e = i64x2.sub(i64x2.shr_u(bits, 52), i64x2.splat(1023));
  let m = v128.or(v128.and(bits, i64x2.splat(0x000fffffffffffff)), i64x2.splat(0x3ff0000000000000));
  const big = f64x2.gt(m, f64x2.splat(SQRT2));
  m = v128.bitselect(f64x2.mul(m, f64x2.splat(0.5)), m, big);
  e = i64x2.sub(e, big); // big lanes are all ones (−1): e + 1
  const ef = f64x2.convert_low_i32x4_s(v128.shuffle<i32>(e, e, 0, 2, 0, 2));
  const s = f64x2.div(f64x2.sub(m, f64x2.splat(1.0)), f64x2.add(m, f64x2.splat(1.0)));
  const z = f64x2.mul(s, s);
  let p = f64x2.splat(1.0 / 21.0);
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(1.0 / 19.0));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(1.0 / 17.0));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(1.0 / 15.0));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(1.0 / 13.0));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(1.0 / 11.0));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(1.0 / 9.0));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(1.0 / 7.0));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(1.0 / 5.0));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(1.0 / 3.0));
  // 2s + 2s·z·p, then e·ln 2 (the small part first).
  const s2 = f64x2.add(s, s);
  const tail = f64x2.add(f64x2.mul(f64x2.mul(s2, z), p), f64x2.mul(ef, f64x2.splat(LN2_LO)));
  return f64x2.add(f64x2.mul(ef, f64x2.splat(LN2_HI)), f64x2.add(s2, tail));
}

/** e[s] = exp(γ V[s] − m) for every state, two at a time; a pair with an exponent below −708 goes through Math.exp. */
function expShifted(v: usize, e: usize, S: i32, gamma: f64, m: f64): void {
  const g = f64x2.splat(gamma);
  const mv = f64x2.splat(m);
  let s = 0;
  for (; s + 1 < S; s += 2) {
    const o = (<usize>s) << 3;
    const x = f64x2.sub(f64x2.mul(v128.load(v + o), g), mv);
    if (f64x2.extract_lane(x, 0) >= -708 && f64x2.extract_lane(x, 1) >= -708) v128.store(e + o, expV(x));
    else {
      store<f64>(e + o, Math.exp(f64x2.extract_lane(x, 0)));
      store<f64>(e + o, Math.exp(f64x2.extract_lane(x, 1)), 8);
    }
  }
  for (; s < S; s++) store<f64>(e + ((<usize>s) << 3), Math.exp(gamma * load<f64>(v + ((<usize>s) << 3)) - m));
}

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
  w: usize,
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
  if (start == 0) {
    const d = sweepRows(S, A, gamma, soft, uniform, v, src, vOut, base, expBase, rowStart, next, prob, w);
    return soft ? softFinish(S, v, vOut, w, baseMax, m) : d;
  }
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
    if (soft) {
      // The log comes in softFinish, two states at a time; a state whose terms all underflowed is redone here.
      store<f64>(w + ((<usize>s) << 3), best);
      if (!(best > 0))
        store<f64>(vOut + ((<usize>s) << 3), softStateFromBlocks(s, A, gamma, uniform, v, base, baseMax, start, succ, pattern, table));
      continue;
    }
    const vs = load<f64>(v + ((<usize>s) << 3));
    store<f64>(vOut + ((<usize>s) << 3), best);
    const d = best > vs ? best - vs : vs - best;
    if (d > diff) diff = d;
  }
  return soft ? softFinish(S, v, vOut, w, baseMax, m) : diff;
}

/**
 * Soft backups: V'(s) = log best(s) + max_a c(s, a) + m for the states with best(s) > 0 (the others were set by
 * their fallback), two logs at a time; returns ‖V' − V‖∞.
 */
function softFinish(S: i32, v: usize, vOut: usize, w: usize, baseMax: usize, m: f64): f64 {
  const mv = f64x2.splat(m);
  let s = 0;
  for (; s + 1 < S; s += 2) {
    const o = (<usize>s) << 3;
    const b = v128.load(w + o);
    const b0 = f64x2.extract_lane(b, 0);
    const b1 = f64x2.extract_lane(b, 1);
    // logV takes positive normal numbers; anything else (rare) goes through Math.log.
    if (b0 >= 2.2250738585072014e-308 && b1 >= 2.2250738585072014e-308 && b0 < Infinity && b1 < Infinity) {
      v128.store(vOut + o, f64x2.add(f64x2.add(logV(b), v128.load(baseMax + o)), mv));
    } else {
      if (b0 > 0) store<f64>(vOut + o, Math.log(b0) + load<f64>(baseMax + o) + m);
      if (b1 > 0) store<f64>(vOut + o, Math.log(b1) + load<f64>(baseMax + o, 8) + m, 8);
    }
  }
  for (; s < S; s++) {
    const o = (<usize>s) << 3;
    const bt = load<f64>(w + o);
    if (bt > 0) store<f64>(vOut + o, Math.log(bt) + load<f64>(baseMax + o) + m);
  }
  let diff: f64 = 0;
  for (let t = 0; t < S; t++) {
    const o = (<usize>t) << 3;
    const val = load<f64>(vOut + o);
    const vs = load<f64>(v + o);
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
  vOut: usize,
  base: usize,
  expBase: usize,
  rowStart: usize,
  next: usize,
  prob: usize,
  w: usize,
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
    if (soft) {
      store<f64>(w + ((<usize>s) << 3), best);
      if (!(best > 0)) store<f64>(vOut + ((<usize>s) << 3), softStateFromRows(s, A, gamma, v, base, rowStart, next, prob));
      continue;
    }
    const vs = load<f64>(v + ((<usize>s) << 3));
    store<f64>(vOut + ((<usize>s) << 3), best);
    const d = best > vs ? best - vs : vs - best;
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
