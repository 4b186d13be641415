/**
 * The engine's dense layer and Adam (lib/engine): forward and backward against TensorFlow.js autodiff and
 * against central finite differences of a float64 reference, on random shapes (odd sizes exercise the SIMD
 * tails); Adam bit for bit against FlatAdam. Errors are norm-wise: ‖got − want‖∞ / ‖want‖∞ ≤ 1e-4.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/deep/backend';
import { FlatAdam } from '../../lib/deep/flat-adam';
import { ACT, compileEngine, Engine, engineModule, type ActName } from '../../lib/engine/engine';
import { Rng } from '../../lib/rng';
import { relErr } from './rel-err';

before(async () => {
  await initBackend({ quiet: true });
});

const TOL = 1e-4;

function randn(rng: Rng, n: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => scale * rng.normal());
}

interface Layer {
  eng: Engine;
  n: number;
  nIn: number;
  nOut: number;
  act: ActName;
  x: Float32Array;
  w: Float32Array;
  b: Float32Array;
  r: Float32Array;
}

/** Engine forward then backward with dy = r (the gradient of Σ y ⊙ r). */
function engineGrads(l: Layer) {
  const { eng, n, nIn, nOut } = l;
  const p = {
    x: eng.alloc(n * nIn),
    w: eng.alloc(nIn * nOut),
    b: eng.alloc(nOut),
    z: eng.alloc(n * nOut),
    y: eng.alloc(n * nOut),
    dy: eng.alloc(n * nOut),
    dx: eng.alloc(n * nIn),
    dw: eng.alloc(nIn * nOut),
    db: eng.alloc(nOut),
    wT: eng.alloc(nOut * nIn),
  };
  eng.f32(p.x, n * nIn).set(l.x);
  eng.f32(p.w, nIn * nOut).set(l.w);
  eng.f32(p.b, nOut).set(l.b);
  eng.f32(p.dy, n * nOut).set(l.r);
  const e = eng.exports;
  e.denseForward(p.x, p.w, p.b, p.z, p.y, n, nIn, nOut, ACT[l.act]);
  e.denseBackward(p.x, p.w, p.z, p.y, p.dy, p.dx, p.dw, p.db, n, nIn, nOut, ACT[l.act], p.wT, 0);
  const copy = (ptr: number, len: number) => Float32Array.from(eng.f32(ptr, len));
  return { y: copy(p.y, n * nOut), dx: copy(p.dx, n * nIn), dw: copy(p.dw, nIn * nOut), db: copy(p.db, nOut) };
}

function tfAct(z: tf.Tensor, act: ActName): tf.Tensor {
  return act === 'relu' ? tf.relu(z) : act === 'tanh' ? tf.tanh(z) : act === 'silu' ? tf.mul(z, tf.sigmoid(z)) : z;
}

/** The loss Σ act(x·w + b) ⊙ r in float64, for finite differences. */
function loss64(l: Layer, x: Float64Array, w: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < l.n; i++) {
    for (let j = 0; j < l.nOut; j++) {
      let z = b[j];
      for (let k = 0; k < l.nIn; k++) z += x[i * l.nIn + k] * w[k * l.nOut + j];
      const y = l.act === 'relu' ? Math.max(z, 0) : l.act === 'tanh' ? Math.tanh(z) : l.act === 'silu' ? z / (1 + Math.exp(-z)) : z;
      s += y * l.r[i * l.nOut + j];
    }
  }
  return s;
}

function randomLayer(rng: Rng, act: ActName): Layer {
  const n = 1 + rng.int(37);
  const nIn = 1 + rng.int(41);
  const nOut = 1 + rng.int(45);
  return {
    eng: new Engine(engineModule()),
    n,
    nIn,
    nOut,
    act,
    x: randn(rng, n * nIn),
    w: randn(rng, nIn * nOut, 1 / Math.sqrt(nIn)),
    b: randn(rng, nOut, 0.3),
    r: randn(rng, n * nOut),
  };
}

const ACTS: ActName[] = ['linear', 'relu', 'tanh', 'silu'];

test('dense forward and backward agree with TensorFlow.js autodiff on random shapes (≤ 1e-4 relative)', () => {
  const rng = new Rng('engine/dense/tfjs');
  for (let trial = 0; trial < 24; trial++) {
    const l = randomLayer(rng, ACTS[trial % 4]);
    const got = engineGrads(l);
    const want = tf.tidy(() => {
      const x = tf.tensor2d(l.x, [l.n, l.nIn]);
      const w = tf.tensor2d(l.w, [l.nIn, l.nOut]);
      const b = tf.tensor1d(l.b);
      const r = tf.tensor2d(l.r, [l.n, l.nOut]);
      const f = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tfAct(tf.add(tf.matMul(xx as tf.Tensor2D, ww as tf.Tensor2D), bb), l.act);
      const [dx, dw, db] = tf.grads((xx, ww, bb) => tf.sum(tf.mul(f(xx, ww, bb), r)))([x, w, b]);
      return [f(x, w, b), dx, dw, db].map((t) => t.dataSync() as Float32Array).map((d) => Float32Array.from(d));
    });
    const what = `trial ${trial}: ${l.act}, n ${l.n}, ${l.nIn} → ${l.nOut}`;
    for (const [name, g, w] of [
      ['y', got.y, want[0]],
      ['dx', got.dx, want[1]],
      ['dw', got.dw, want[2]],
      ['db', got.db, want[3]],
    ] as const) {
      const e = relErr(g, w);
      assert.ok(e <= TOL, `${what}: ${name} relative error ${e.toExponential(2)} > ${TOL}`);
    }
  }
});

test('dense gradients agree with central finite differences of a float64 reference (≤ 1e-4 relative)', () => {
  const rng = new Rng('engine/dense/fd');
  for (let trial = 0; trial < 12; trial++) {
    const l = randomLayer(rng, ACTS[trial % 4]);
    const got = engineGrads(l);
    const x = Float64Array.from(l.x);
    const w = Float64Array.from(l.w);
    const b = Float64Array.from(l.b);
    const h = 1e-6;
    const fd = (arr: Float64Array, idx: number[]) =>
      idx.map((i) => {
        const keep = arr[i];
        arr[i] = keep + h;
        const up = loss64(l, x, w, b);
        arr[i] = keep - h;
        const down = loss64(l, x, w, b);
        arr[i] = keep;
        return (up - down) / (2 * h);
      });
    const pick = (len: number) => Array.from({ length: Math.min(len, 16) }, () => rng.int(len));
    for (const [name, arr, grad] of [
      ['dx', x, got.dx],
      ['dw', w, got.dw],
      ['db', b, got.db],
    ] as const) {
      const idx = pick(arr.length);
      const want = fd(arr, idx);
      const e = relErr(
        idx.map((i) => grad[i]),
        want,
      );
      // The scale of the whole gradient (not just the sampled entries) guards against tiny sampled values.
      const scale = Math.max(...Array.from(grad, Math.abs));
      const abs = Math.max(...idx.map((i, j) => Math.abs(grad[i] - want[j])));
      assert.ok(
        e <= TOL || abs <= TOL * scale,
        `trial ${trial} (${l.act}, n ${l.n}, ${l.nIn} → ${l.nOut}): ${name} error ${e.toExponential(2)}`,
      );
    }
  }
});

test('gemm with accumulate adds to C; odd sizes on every tail', () => {
  const rng = new Rng('engine/gemm');
  const eng = new Engine(engineModule());
  for (const [n, k, m] of [
    [5, 3, 9],
    [8, 16, 8],
    [1, 1, 1],
    [7, 13, 6],
  ]) {
    const [a, b, c] = [randn(rng, n * k), randn(rng, k * m), randn(rng, n * m)];
    const [pa, pb, pc] = [eng.alloc(n * k), eng.alloc(k * m), eng.alloc(n * m)];
    eng.f32(pa, n * k).set(a);
    eng.f32(pb, k * m).set(b);
    eng.f32(pc, n * m).set(c);
    eng.exports.gemm(pa, pb, pc, n, k, m, 1);
    const want = new Float64Array(n * m);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < m; j++) {
        let s = c[i * m + j];
        for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * m + j];
        want[i * m + j] = s;
      }
    const e = relErr(eng.f32(pc, n * m), want);
    assert.ok(e <= 1e-5, `gemm ${n}×${k}×${m}: relative error ${e}`);
  }
});

test('Adam on the engine gives the same bits as FlatAdam, three steps; reading (w, m, v) into new buffers leaves the old ones', () => {
  const rng = new Rng('engine/adam');
  const shapes = [[7, 5], [5], [5, 3]];
  const init = shapes.map((s) =>
    randn(
      rng,
      s.reduce((a, b) => a * b, 1),
    ),
  );
  const vars = shapes.map((s, i) => tf.variable(tf.tensor(init[i], s)));
  const opt = new FlatAdam(vars, { lr: 3e-3 });
  const total = init.reduce((a, w) => a + w.length, 0);
  const eng = new Engine(engineModule());
  const [w, g, m, v, w2, m2, v2] = Array.from({ length: 7 }, () => eng.alloc(total));
  eng.f32(w, total).set(init.flatMap((a) => Array.from(a)));
  for (let t = 1; t <= 3; t++) {
    const grads = shapes.map((s) =>
      randn(
        rng,
        s.reduce((a, b) => a * b, 1),
      ),
    );
    tf.tidy(() => opt.apply(Object.fromEntries(vars.map((vv, i) => [vv.name, tf.tensor(grads[i], shapes[i])]))));
    eng.f32(g, total).set(grads.flatMap((a) => Array.from(a)));
    const before = Float32Array.from(eng.f32(w, total));
    eng.exports.adam(w, g, m, v, w2, m2, v2, total, 0.9, 0.999, 1e-8, 3e-3 / (1 - 0.9 ** t), 1 / Math.sqrt(1 - 0.999 ** t));
    assert.deepEqual(eng.f32(w, total), before, 'the source weights are unchanged');
    for (const [from, to] of [
      [w2, w],
      [m2, m],
      [v2, v],
    ])
      eng.f32(to, total).set(eng.f32(from, total));
    const want = vars.flatMap((vv) => Array.from(vv.dataSync()));
    const got = Array.from(eng.f32(w, total));
    assert.ok(
      got.every((x, i) => Object.is(x, want[i])),
      `step ${t}: weights differ from FlatAdam's`,
    );
    const st = opt.getState();
    assert.deepEqual(Array.from(eng.f32(m, total)), st.m);
    assert.deepEqual(Array.from(eng.f32(v, total)), st.v);
  }
  vars.forEach((vv) => vv.dispose());
});

test('a missing or broken engine file is one error naming the file and how to rebuild it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mnm-engine-'));
  const missing = path.join(dir, 'none.wasm');
  assert.throws(
    () => compileEngine(missing),
    (e: Error) => e.message.includes(missing) && e.message.includes('scripts/build-engine.sh'),
  );
  const broken = path.join(dir, 'broken.wasm');
  fs.writeFileSync(broken, 'not wasm');
  assert.throws(
    () => compileEngine(broken),
    (e: Error) => e.message.includes(broken) && e.message.includes('scripts/build-engine.sh'),
  );
  fs.rmSync(dir, { recursive: true, force: true });
});
