import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../lib/rng';
import { randomMDP, randomTriple } from '../../lib/tabular/random-mdp';
import { logReturn, mnmObjective, valueIteration } from '../../lib/tabular/solve';
import { tightBound, tightBoundTerms } from '../../lib/tabular/tight-bound';

// Eq. 10 sits between Eq. 2 and log J on the same 10,000 seeded random triples as Theorem 3.1's test.
test('Eq. 10 on 10,000 random (MDP, π, q): L_Eq2 ≤ L_tight ≤ log J', () => {
  const rng = new Rng('theorem-3.1');
  let worstAbove = -Infinity;
  let worstBelowEq2 = Infinity;
  let tight = 0;
  for (let t = 0; t < 10_000; t++) {
    const { mdp, pi, q } = randomTriple(rng);
    const logJ = logReturn(mdp, pi);
    const L2 = mnmObjective(mdp, pi, q);
    const Lt = tightBound(mdp, pi, q);
    assert.ok(Number.isFinite(Lt), `triple ${t}: L_tight ${Lt}`);
    assert.ok(Lt <= logJ + 1e-10, `triple ${t}: L_tight ${Lt} > log J ${logJ}`);
    assert.ok(Lt >= L2 - 1e-10, `triple ${t}: L_tight ${Lt} < Eq. 2 ${L2}`);
    worstAbove = Math.max(worstAbove, Lt - logJ);
    worstBelowEq2 = Math.min(worstBelowEq2, Lt - L2);
    // Where it is tight: exactly the triples whose trajectory is deterministic (one start state, one successor
    // per (s, a) and a deterministic policy, so any q on p's support is p); wherever the path is random it is
    // strictly below.
    let deterministic = pi.every((x) => x === 0 || x === 1) && mdp.p0.some((x) => x === 1);
    for (let i = 0; i < mdp.S * mdp.A; i++) if (mdp.rowStart[i + 1] - mdp.rowStart[i] > 1) deterministic = false;
    const isTight = logJ - Lt < 1e-9;
    if (isTight) tight++;
    assert.equal(isTight, deterministic, `triple ${t}: gap ${logJ - Lt}, deterministic trajectory ${deterministic}`);
  }
  assert.ok(worstAbove <= 1e-10 && worstBelowEq2 >= -1e-10, `${worstAbove} ${worstBelowEq2}`);
  assert.ok(tight > 100 && tight < 2000, `${tight} tight triples`);
});

// Where it is tight: deterministic dynamics, a deterministic policy and q = p make every step's
// expectation a single path, so Jensen's inequality is an equality at every t.
test('Eq. 10 is tight (= log J) with deterministic dynamics, a deterministic policy and q = p, and not with stochastic dynamics', () => {
  const rng = new Rng('eq10-tight');
  for (let t = 0; t < 200; t++) {
    const S = 2 + rng.int(7);
    const A = 1 + rng.int(3);
    const det = randomMDP(rng, { S, A, gamma: rng.range(0.5, 0.95), successors: 1, start: 'single' });
    const pi = valueIteration(det, 'return').policy;
    assert.ok(Math.abs(tightBound(det, pi, det) - logReturn(det, pi)) < 1e-9);
    const sto = randomMDP(rng, { S, A, gamma: rng.range(0.5, 0.95), successors: 2 + rng.int(S - 1), start: 'single' });
    const piS = valueIteration(sto, 'return').policy;
    assert.ok(tightBound(sto, piS, sto) <= logReturn(sto, piS) + 1e-12);
  }
});

test('the series is cut where the rest is below 1e-12 of the sum', () => {
  const rng = new Rng('eq10-horizon');
  const mdp = randomMDP(rng, { S: 4, A: 2, gamma: 0.9, successors: 1, start: 'single' });
  const pi = valueIteration(mdp, 'return').policy;
  const terms = tightBoundTerms(mdp, pi, mdp);
  // Constant-free bound: γ^T / (1 − γ) · r_max / r_min ≥ 1e-12 must fail at T; 0.9^T·10 < 1e-12·(ratio) ⇒ T ≈ 260–300.
  assert.ok(terms.steps > 200 && terms.steps < 400, `${terms.steps} steps`);
  assert.throws(() => tightBound(mdp, pi, mdp, { tail: 0 }), /tail must be in \(0, 1\)/);
});
