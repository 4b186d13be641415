import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../lib/rng';
import { makeGridworld, openGridMap, parseGridMap } from '../../lib/tabular/gridworld';
import {
  blockOf,
  blockStructure,
  fullStructure,
  gridMoveStructure,
  LearnedModel,
  obstacleBlindTarget,
} from '../../lib/tabular/learned-model';
import { makeMDP, type TabularMDP } from '../../lib/tabular/mdp';
import { optimisticModel } from '../../lib/tabular/solve';

/** A random MDP with 3-4 successors per row. */
function randomMDP(rng: Rng, S = 5, A = 2): TabularMDP {
  const rows = Array.from({ length: S }, () =>
    Array.from({ length: A }, () => {
      const k = 3 + rng.int(2);
      const next = rng.shuffle(Array.from({ length: S }, (_, i) => i)).slice(0, k);
      return { next, prob: Array.from(rng.simplex(k)) };
    }),
  );
  return makeMDP({ S, A, rows, reward: Array.from({ length: S * A }, () => rng.range(0.1, 1)), gamma: 0.9, p0: 0 });
}

/** E_q[f] of row (s, a) for the model's current logits. */
function expectedF(m: LearnedModel, s: number, a: number, f: ArrayLike<number>): number {
  const q = new Float64Array(m.maxRowSize);
  const n = m.rowProbs(s, a, q);
  let e = 0;
  for (let j = 0; j < n; j++) e += q[j] * f[j];
  return e;
}

test('fullStructure has one candidate per successor of the true row; rows of q sum to 1', () => {
  const mdp = randomMDP(new Rng('full'));
  const st = fullStructure(mdp);
  const m = new LearnedModel(
    st,
    Float64Array.from({ length: st.nParams }, (_, i) => Math.sin(i)),
  );
  const k = m.toKernel();
  for (let i = 0; i < mdp.S * mdp.A; i++) {
    const want = new Set(Array.from(mdp.next.subarray(mdp.rowStart[i], mdp.rowStart[i + 1])));
    const got = new Set(Array.from(k.next.subarray(k.rowStart[i], k.rowStart[i + 1])));
    assert.deepEqual(got, want);
    let sum = 0;
    for (let j = k.rowStart[i]; j < k.rowStart[i + 1]; j++) sum += k.prob[j];
    assert.ok(Math.abs(sum - 1) < 1e-12);
  }
});

test('exactStep is the gradient of E_q[f] (finite differences, shared block logits included)', () => {
  const g = makeGridworld(parseGridMap('S...\n.#..\n....\n...G', 'test'), { noise: 0.2 });
  const rng = new Rng('grad');
  for (const st of [gridMoveStructure(g), blockStructure(g, 2)]) {
    const theta = Float64Array.from({ length: st.nParams }, () => rng.normal());
    const s = 4;
    const a = 3;
    const n = st.rowStart[s * 4 + a + 1] - st.rowStart[s * 4 + a];
    const f = Float64Array.from({ length: n }, () => rng.normal());
    const m = new LearnedModel(st, theta);
    const lr = 1e-3;
    m.exactStep(s, a, f, lr);
    for (let p = 0; p < st.nParams; p++) {
      const h = 1e-6;
      const plus = new LearnedModel(st, theta);
      plus.theta[p] += h;
      const minus = new LearnedModel(st, theta);
      minus.theta[p] -= h;
      const numeric = (expectedF(plus, s, a, f) - expectedF(minus, s, a, f)) / (2 * h);
      assert.ok(Math.abs((m.theta[p] - theta[p]) / lr - numeric) < 1e-6, `${st.label}: logit ${p}`);
    }
  }
});

test('sampledStep is an unbiased estimate of the exact gradient', () => {
  const mdp = randomMDP(new Rng('unbiased'));
  const st = fullStructure(mdp);
  const rng = new Rng('draws');
  const theta = Float64Array.from({ length: st.nParams }, () => rng.normal());
  const s = 2;
  const a = 1;
  const lo = st.rowStart[s * 2 + a];
  const n = st.rowStart[s * 2 + a + 1] - lo;
  const f = Float64Array.from({ length: n }, (_, j) => j * 1.5 - 1);
  const exact = new LearnedModel(st, theta);
  exact.exactStep(s, a, f, 1);
  const draws = 100000;
  const mean = new Float64Array(n);
  for (let d = 0; d < draws; d++) {
    const m = new LearnedModel(st, theta);
    m.sampledStep(s, a, f, 1, rng);
    for (let j = 0; j < n; j++) mean[j] += (m.theta[lo + j] - theta[lo + j]) / draws;
  }
  for (let j = 0; j < n; j++)
    assert.ok(Math.abs(mean[j] - (exact.theta[lo + j] - theta[lo + j])) < 0.01, `candidate ${j}: ${mean[j]} vs exact`);
});

test('Eq. 9 ascent with the exact log p/q converges to the optimistic model q* ∝ p·exp(γV)', () => {
  const rng = new Rng('qstar');
  const mdp = randomMDP(rng);
  const V = Float64Array.from({ length: mdp.S }, () => rng.range(-3, 3));
  const st = fullStructure(mdp);
  const m = new LearnedModel(st);
  const q = new Float64Array(m.maxRowSize);
  const f = new Float64Array(m.maxRowSize);
  for (let it = 0; it < 20000; it++) {
    for (let s = 0; s < mdp.S; s++) {
      for (let a = 0; a < mdp.A; a++) {
        const i = s * mdp.A + a;
        const n = m.rowProbs(s, a, q);
        for (let j = 0; j < n; j++) {
          const t = m.targetOf(s, a, j);
          let p = 0;
          for (let k = mdp.rowStart[i]; k < mdp.rowStart[i + 1]; k++) if (mdp.next[k] === t) p += mdp.prob[k];
          f[j] = mdp.gamma * V[t] + Math.log(p) - Math.log(q[j]);
        }
        m.exactStep(s, a, f, 1);
      }
    }
  }
  const want = optimisticModel(mdp, V);
  const got = m.toKernel();
  for (let i = 0; i < mdp.S * mdp.A; i++) {
    for (let k = want.rowStart[i]; k < want.rowStart[i + 1]; k++) {
      let gp = 0;
      for (let j = got.rowStart[i]; j < got.rowStart[i + 1]; j++) if (got.next[j] === want.next[k]) gp += got.prob[j];
      assert.ok(Math.abs(gp - want.prob[k]) < 1e-5, `row ${i}, successor ${want.next[k]}: ${gp} vs ${want.prob[k]}`);
    }
  }
});

test('the block model shares logits within a 3×3 block and moves through obstacles', () => {
  const map = parseGridMap(['S.....', '......', '#####.', '......', '......', '.....G'].join('\n'), 'wall');
  const g = makeGridworld(map, { noise: 0.2 });
  const st = blockStructure(g);
  const up = 0;
  const s1 = g.stateAt(3, 0);
  const s2 = g.stateAt(4, 1);
  assert.equal(blockOf(g, s1), blockOf(g, s2));
  const rowParams = (s: number) => Array.from(st.param.subarray(st.rowStart[s * 4 + up], st.rowStart[s * 4 + up + 1]));
  assert.deepEqual(rowParams(s1), rowParams(s2));
  // Up from (3,0) crosses the wall row 2 and lands on (1,0): a transition p never makes.
  assert.equal(obstacleBlindTarget(g, s1, up), g.stateAt(1, 0));
  assert.equal(g.moveTarget(s1, up), s1);
  // Off the grid it stays; stay is move 4.
  assert.equal(obstacleBlindTarget(g, g.stateAt(0, 0), up), g.stateAt(0, 0));
  assert.equal(obstacleBlindTarget(g, s2, 4), s2);
  // Different blocks have different logits.
  assert.notDeepEqual(rowParams(g.stateAt(0, 0)), rowParams(g.stateAt(0, 3)));
});

test('gridMoveStructure has the same logits for every goal of a grid (transfer)', () => {
  const a = gridMoveStructure(makeGridworld(openGridMap(4, 4, [0, 0], [3, 3])));
  const b = gridMoveStructure(makeGridworld(openGridMap(4, 4, [0, 0], [0, 3])));
  assert.equal(a.nParams, b.nParams);
  assert.deepEqual(Array.from(a.target), Array.from(b.target));
});

test('LearnedModel rejects logits of the wrong size', () => {
  const st = fullStructure(randomMDP(new Rng('size')));
  assert.throws(() => new LearnedModel(st, new Float64Array(3)), /theta has 3 entries/);
});
