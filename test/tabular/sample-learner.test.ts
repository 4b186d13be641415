import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../lib/rng';
import { makeGridworld } from '../../lib/tabular/gridworld';
import { dataMap, loadGridMap } from '../../lib/tabular/map-files';
import type { TabularMDP } from '../../lib/tabular/mdp';
import { AUTHORS_SAMPLE_LEARNER, runSampleLearner, type SampleMethod } from '../../lib/tabular/sample-learner';
import { policyReturn } from '../../lib/tabular/solve';

/** The learner with a literal buffer of transitions (the authors' description), drawing the same random numbers. */
function naive(mdp: TabularMDP, method: SampleMethod, iterations: number, rng: Rng): number[] {
  const { S, A, rowStart, next, prob, reward, gamma } = mdp;
  const cfg = AUTHORS_SAMPLE_LEARNER;
  const Q = new Float64Array(S * A);
  let behaviour = new Float64Array(S * A).fill(1 / A);
  const buf: { i: number; r: number; sn: number }[] = [];
  const out: number[] = [];
  for (let it = 0; it < iterations; it++) {
    const V = Array.from({ length: S }, (_, s) => Math.max(...Q.subarray(s * A, s * A + A)));
    const q = Float64Array.from(prob);
    const rTilde = Float64Array.from(reward);
    if (method === 'q-learning-log') for (let i = 0; i < S * A; i++) rTilde[i] = (1 - gamma) * Math.log(reward[i]);
    else if (method !== 'q-learning') {
      for (let i = 0; i < S * A; i++) {
        let z = 0;
        for (let k = rowStart[i]; k < rowStart[i + 1]; k++) z += q[k] = prob[k] * Math.exp(V[next[k]]);
        let kl = 0;
        for (let k = rowStart[i]; k < rowStart[i + 1]; k++) {
          q[k] /= z;
          if (q[k] > 0) kl += q[k] * Math.log(q[k] / prob[k]);
        }
        rTilde[i] = (method === 'mnm' ? (1 - gamma) * Math.log(reward[i]) : reward[i]) - Math.max(0, kl);
      }
    }
    let u0 = rng.uniform();
    let s = 0;
    for (; s < S - 1; s++) if ((u0 -= mdp.p0[s]) < 0) break;
    for (let t = 0; t < cfg.episodeLength; t++) {
      let u = rng.uniform();
      let a = A - 1;
      for (let b = 0; b < A; b++)
        if ((u -= behaviour[s * A + b]) < 0) {
          a = b;
          break;
        }
      const i = s * A + a;
      let v = rng.uniform();
      let k = rowStart[i + 1] - 1;
      for (let j = rowStart[i]; j < rowStart[i + 1]; j++)
        if ((v -= q[j]) < 0) {
          k = j;
          break;
        }
      buf.push({ i, r: rTilde[i], sn: next[k] });
      s = next[k];
    }
    const old = Float64Array.from(Q);
    for (const e of buf) Q[e.i] += (cfg.lr / cfg.episodeLength) * (e.r + gamma * V[e.sn] - old[e.i]);
    const greedy = new Float64Array(S * A);
    behaviour = new Float64Array(S * A);
    for (let s2 = 0; s2 < S; s2++) {
      let best = 0;
      for (let a = 1; a < A; a++) if (Q[s2 * A + a] > Q[s2 * A + best]) best = a;
      greedy[s2 * A + best] = 1;
      for (let a = 0; a < A; a++) behaviour[s2 * A + a] = cfg.epsilon / A + (a === best ? 1 - cfg.epsilon : 0);
    }
    if (it % cfg.evalEvery === 0) out.push(policyReturn(mdp, greedy));
  }
  return out;
}

test("the authors' learner: sufficient statistics of the buffer give the same curve as the literal buffer", () => {
  const g = makeGridworld(loadGridMap(dataMap('paper-fig2a-10x10.txt')));
  for (const method of ['mnm', 'vmbpo', 'q-learning', 'q-learning-log'] as const) {
    const fast = runSampleLearner(g.mdp, method, { ...AUTHORS_SAMPLE_LEARNER, iterations: 101 }, new Rng(`sl/${method}`));
    const slow = naive(g.mdp, method, 101, new Rng(`sl/${method}`));
    assert.equal(fast.length, slow.length);
    fast.forEach((p, j) => assert.ok(Math.abs(p.ret - slow[j]) < 1e-9, `${method} at ${p.iteration}: ${p.ret} vs ${slow[j]}`));
  }
  assert.throws(
    () => runSampleLearner(g.mdp, 'mnm', { ...AUTHORS_SAMPLE_LEARNER, iterations: 0 }, new Rng('x')),
    /iterations must be a positive integer/,
  );
});
