import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../lib/rng';
import { makeGridworld } from '../../lib/tabular/gridworld';
import { loadGridMap } from '../../lib/tabular/map-files';
import { deterministicPolicy, makeKernel, makeMDP } from '../../lib/tabular/mdp';
import { randomMDP, randomModel, randomPolicy } from '../../lib/tabular/random-mdp';
import {
  BACKUPS,
  bestModelValue,
  evaluatePolicy,
  greedyPolicy,
  mnmObjective,
  modelKL,
  optimisticModel,
  policyReturn,
  returnMoments,
  valueIteration,
  vmbpoObjective,
} from '../../lib/tabular/solve';

const e1 = () => makeGridworld(loadGridMap('data/e1-open-10x10.txt'));
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
};

test('policy evaluation: one state gives r/(1−γ); direct and iterative solves agree', () => {
  const one = makeMDP({ S: 1, A: 1, rows: [[{ next: [0], prob: [1] }]], reward: [2], gamma: 0.9, p0: 0 });
  assert.ok(Math.abs(evaluatePolicy(one, new Float64Array([1]))[0] - 20) < 1e-12);
  const rng = new Rng('eval');
  for (let t = 0; t < 20; t++) {
    const mdp = randomMDP(rng, { S: 2 + rng.int(30), A: 1 + rng.int(3), gamma: rng.range(0.5, 0.99), successors: 2 });
    const pi = randomPolicy(rng, mdp.S, mdp.A);
    const d = evaluatePolicy(mdp, pi, { method: 'direct' });
    const it = evaluatePolicy(mdp, pi, { method: 'iterative' });
    assert.ok(maxAbsDiff(d, it) < 1e-9 * Math.max(1, ...d), `case ${t}`);
  }
});

test('return moments match a Monte Carlo estimate (3 seeds, within 4 standard errors)', () => {
  for (let seed = 0; seed < 3; seed++) {
    const rng = new Rng(`moments-${seed}`);
    const mdp = randomMDP(rng, { S: 4, A: 2, gamma: 0.8, start: 'single' });
    const pi = randomPolicy(rng, 4, 2, 0);
    const { mean, variance } = returnMoments(mdp, pi);
    const n = 20000;
    const G: number[] = [];
    for (let e = 0; e < n; e++) {
      let s = 0;
      let g = 0;
      let disc = 1;
      for (let t = 0; t < 120; t++) {
        const a = rng.categorical(pi, s * 2, 2);
        const i = s * 2 + a;
        g += disc * mdp.reward[i];
        disc *= mdp.gamma;
        const lo = mdp.rowStart[i];
        s = mdp.next[lo + rng.categorical(mdp.prob, lo, mdp.rowStart[i + 1] - lo)];
      }
      G.push(g);
    }
    const m = G.reduce((x, y) => x + y, 0) / n;
    const v = G.reduce((x, y) => x + (y - m) ** 2, 0) / (n - 1);
    assert.ok(Math.abs(m - mean) < 4 * Math.sqrt(variance / n), `seed ${seed}: MC mean ${m} vs exact ${mean}`);
    assert.ok(Math.abs(v - variance) < 0.08 * variance, `seed ${seed}: MC variance ${v} vs exact ${variance}`);
  }
});

test('each backup converges to the same fixed point from any start', () => {
  const g = e1();
  const rng = new Rng('starts');
  for (const b of BACKUPS) {
    const ref = valueIteration(g.mdp, b);
    for (let t = 0; t < 3; t++) {
      const V0 = Array.from({ length: g.mdp.S }, () => rng.range(-200, 200));
      const r = valueIteration(g.mdp, b, { V0 });
      assert.ok(maxAbsDiff(r.V, ref.V) < 1e-8, `${b} from start ${t}: ${maxAbsDiff(r.V, ref.V)}`);
    }
    // The fixed point: one more sweep changes nothing.
    assert.ok(ref.change < 1e-10);
  }
});

test('the return backup finds the optimal policy: its J equals p0·V* and no random policy beats it', () => {
  const rng = new Rng('opt');
  for (let t = 0; t < 30; t++) {
    const mdp = randomMDP(rng, { S: 2 + rng.int(6), A: 1 + rng.int(3), gamma: rng.range(0.5, 0.95) });
    const r = valueIteration(mdp, 'return');
    const Jstar = policyReturn(mdp, r.policy);
    assert.ok(Math.abs(Jstar - mdp.p0.reduce((x, p, s) => x + p * r.V[s], 0)) < 1e-8);
    for (let k = 0; k < 10; k++) assert.ok(policyReturn(mdp, randomPolicy(rng, mdp.S, mdp.A)) <= Jstar + 1e-9);
  }
});

test('q* closed form: q* ∝ p·exp(γV) attains log E_p exp(γV), and random models do no better', () => {
  const rng = new Rng('qstar');
  const mdp = randomMDP(rng, { S: 6, A: 2, gamma: 0.9, successors: 4 });
  const V = Array.from({ length: 6 }, () => rng.range(-3, 3));
  const q = optimisticModel(mdp, V);
  const value = (model: typeof q, i: number) => {
    let acc = 0;
    for (let k = model.rowStart[i]; k < model.rowStart[i + 1]; k++) {
      const qk = model.prob[k];
      if (qk > 0) acc += qk * (mdp.gamma * V[model.next[k]] + Math.log(mdp.prob[k] / qk));
    }
    return acc;
  };
  for (let i = 0; i < 12; i++) {
    let lse = 0;
    for (let k = mdp.rowStart[i]; k < mdp.rowStart[i + 1]; k++) lse += mdp.prob[k] * Math.exp(mdp.gamma * V[mdp.next[k]]);
    lse = Math.log(lse);
    assert.ok(Math.abs(value(q, i) - lse) < 1e-12);
    let z = 0;
    for (let k = mdp.rowStart[i]; k < mdp.rowStart[i + 1]; k++) z += mdp.prob[k] * Math.exp(mdp.gamma * V[mdp.next[k]]);
    for (let k = mdp.rowStart[i]; k < mdp.rowStart[i + 1]; k++) {
      assert.ok(Math.abs(q.prob[k] - (mdp.prob[k] * Math.exp(mdp.gamma * V[mdp.next[k]])) / z) < 1e-12);
    }
    for (let t = 0; t < 20; t++) assert.ok(value(randomModel(rng, mdp, 'random'), i) <= lse + 1e-12);
  }
});

test('at the MnM optimum, L(π*, q*) = p0·V*, and both MnM variants stay below log J there', () => {
  const g = e1();
  const r = valueIteration(g.mdp, 'mnm');
  const q = optimisticModel(g.mdp, r.V);
  const L = mnmObjective(g.mdp, r.policy, q);
  assert.ok(Math.abs(L - r.V[g.start]) < 1e-8, `L ${L} vs p0·V* ${r.V[g.start]}`);
  const logJ = Math.log(policyReturn(g.mdp, r.policy));
  assert.ok(L <= logJ);
  assert.ok(mnmObjective(g.mdp, r.policy, q, { variant: 'gamma-weighted' }) <= logJ);
  const rng = new Rng('mnm-opt');
  for (let t = 0; t < 50; t++) {
    const mdp = randomMDP(rng, { S: 2 + rng.int(7), A: 1 + rng.int(3), gamma: rng.range(0.5, 0.99), successors: 1 + rng.int(2) });
    const res = valueIteration(mdp, 'mnm');
    const Ls = mnmObjective(mdp, res.policy, optimisticModel(mdp, res.V));
    const pV = mdp.p0.reduce((x, p, s) => x + p * res.V[s], 0);
    assert.ok(Math.abs(Ls - pV) < 1e-7 * Math.max(1, Math.abs(pV)), `case ${t}: ${Ls} vs ${pV}`);
    // And V* is the best bound: no random (π, q) exceeds it.
    for (let k = 0; k < 5; k++) {
      const pi = randomPolicy(rng, mdp.S, mdp.A);
      assert.ok(mnmObjective(mdp, pi, randomModel(rng, mdp)) <= pV + 1e-9);
    }
  }
});

test('VMBPO: optimal value ≥ the best J; with q = p its objective is J; the VI value is its policy’s best-model value', () => {
  const rng = new Rng('vmbpo');
  for (let t = 0; t < 50; t++) {
    const mdp = randomMDP(rng, { S: 2 + rng.int(7), A: 1 + rng.int(3), gamma: rng.range(0.5, 0.95), successors: 1 + rng.int(3) });
    const v = valueIteration(mdp, 'vmbpo');
    const pV = mdp.p0.reduce((x, p, s) => x + p * v.V[s], 0);
    const Jstar = policyReturn(mdp, valueIteration(mdp, 'return').policy);
    assert.ok(pV >= Jstar - 1e-8 * Math.max(1, Jstar), `case ${t}: VMBPO ${pV} < J* ${Jstar}`);
    const pi = randomPolicy(rng, mdp.S, mdp.A);
    assert.ok(Math.abs(vmbpoObjective(mdp, pi, mdp) - policyReturn(mdp, pi)) < 1e-9 * Math.max(1, policyReturn(mdp, pi)));
    assert.ok(maxAbsDiff(bestModelValue(mdp, v.policy, 'vmbpo'), v.V) < 1e-8);
  }
});

test('a model with mass where p has none: KL = ∞ and the objective is −∞ only if that row is visited', () => {
  // State 0 → 1 surely; state 2 is unreachable from the start.
  const rows = [[{ next: [1], prob: [1] }], [{ next: [1], prob: [1] }], [{ next: [2], prob: [1] }]];
  const mdp = makeMDP({ S: 3, A: 1, rows, reward: [1, 1, 1], gamma: 0.9, p0: 0 });
  const pi = new Float64Array([1, 1, 1]);
  const offVisited = makeKernel(3, 1, [[{ next: [1, 2], prob: [0.5, 0.5] }], rows[1], rows[2]], 'q');
  const offUnvisited = makeKernel(3, 1, [rows[0], rows[1], [{ next: [0, 2], prob: [0.5, 0.5] }]], 'q');
  assert.equal(modelKL(mdp, offVisited)[0], Infinity);
  assert.equal(mnmObjective(mdp, pi, offVisited), -Infinity);
  assert.equal(vmbpoObjective(mdp, pi, offVisited), -Infinity);
  assert.ok(Math.abs(vmbpoObjective(mdp, pi, offUnvisited) - 10) < 1e-9);
});

test('malformed solver inputs get clear errors', () => {
  const g = e1();
  const { S, A } = g.mdp;
  assert.throws(() => valueIteration(g.mdp, 'soft' as never), /unknown backup 'soft' \(expected one of return, mnm, vmbpo\)/);
  assert.throws(() => valueIteration(g.mdp, 'mnm', { V0: [1, 2] }), /V0 has 2 entries, expected 100/);
  assert.throws(() => valueIteration(g.mdp, 'mnm', { V0: new Array(S).fill(NaN) }), /V0\[0\] is NaN; must be finite/);
  assert.throws(() => valueIteration(g.mdp, 'mnm', { tol: 0 }), /tol must be > 0/);
  assert.throws(() => valueIteration(g.mdp, 'return', { maxIter: 3 }), /no convergence to 1e-10 in 3 sweeps/);
  assert.throws(() => evaluatePolicy(g.mdp, new Float64Array(3)), /policy: has 3 entries, expected 100×4 = 400/);
  const half = new Float64Array(S * A).fill(0.25);
  half[7] = 0.5;
  assert.throws(() => evaluatePolicy(g.mdp, half), /probabilities of state 1 sum to 1.25, not 1/);
  const neg = new Float64Array(S * A).fill(0.25);
  neg[0] = -0.25;
  neg[1] = 0.75;
  assert.throws(() => policyReturn(g.mdp, neg), /π\(0\|0\) is -0.25; must be finite and ≥ 0/);
  assert.throws(() => greedyPolicy([1, 2, 3], 2, 2), /Q has 3 entries, expected 2×2 = 4/);
  assert.throws(() => optimisticModel(g.mdp, [0]), /V has 1 entries, expected 100/);
  const small = makeKernel(1, 1, [[{ next: [0], prob: [1] }]]);
  const pi = deterministicPolicy(S, A, new Array(S).fill(0));
  assert.throws(() => mnmObjective(g.mdp, pi, small), /model: has 1 states × 1 actions, the MDP has 100 × 4/);
  assert.throws(() => mnmObjective(g.mdp, pi, g.mdp, { variant: 'loose' as never }), /unknown variant 'loose'/);
  const zero = makeMDP({ S: 1, A: 1, rows: [[{ next: [0], prob: [1] }]], reward: [0], gamma: 0.9, p0: 0, positiveRewards: false });
  assert.throws(() => valueIteration(zero, 'mnm'), /mnm backup: reward of state 0, action 0 is 0; must be > 0/);
  assert.throws(() => mnmObjective(zero, new Float64Array([1]), zero), /mnmObjective: reward of state 0, action 0 is 0; must be > 0/);
});

test('the two sweep layouts (CSR rows, per-state blocks) give the same values', () => {
  const rng = new Rng('layouts');
  const cases = [
    e1().mdp,
    ...Array.from({ length: 10 }, () => randomMDP(rng, { S: 3 + rng.int(20), A: 1 + rng.int(3), gamma: 0.9, successors: 1 + rng.int(3) })),
  ];
  for (const mdp of cases) {
    for (const b of BACKUPS) {
      const csr = valueIteration(mdp, b, { layout: 'csr' });
      const blocks = valueIteration(mdp, b, { layout: 'blocks' });
      assert.equal(csr.iterations, blocks.iterations);
      assert.ok(maxAbsDiff(csr.V, blocks.V) < 1e-12 * Math.max(1, ...csr.V.map(Math.abs)), `${b}: ${maxAbsDiff(csr.V, blocks.V)}`);
    }
  }
  assert.throws(() => valueIteration(cases[0], 'mnm', { layout: 'diagonal' as never }), /unknown sweep layout 'diagonal'/);
});
