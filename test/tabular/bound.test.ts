import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../lib/rng';
import { randomTriple } from '../../lib/tabular/random-mdp';
import { logReturn, mnmObjective } from '../../lib/tabular/solve';

// Theorem 3.1: L(π, q) ≤ log J(π) for every policy and model. 10,000 seeded random triples with
// 2–8 states, 1–3 actions, γ in (0.5, 0.99), sparse and dense rows, rewards over four orders of magnitude.
test('Theorem 3.1 on 10,000 random (MDP, π, q): L_Eq3 ≤ L_γ-weighted ≤ log J', () => {
  const rng = new Rng('theorem-3.1');
  let worst = -Infinity;
  let worstVariant = -Infinity;
  const kinds = { true: 0, mixture: 0, random: 0 };
  for (let t = 0; t < 10_000; t++) {
    const { mdp, pi, q, modelKind } = randomTriple(rng);
    kinds[modelKind]++;
    const logJ = logReturn(mdp, pi);
    const L = mnmObjective(mdp, pi, q);
    const Lg = mnmObjective(mdp, pi, q, { variant: 'gamma-weighted' });
    assert.ok(Number.isFinite(L) && Number.isFinite(logJ), `triple ${t}: L ${L}, log J ${logJ}`);
    assert.ok(L <= Lg + 1e-12, `triple ${t}: Eq. 3 ${L} above the γ-weighted ${Lg}`);
    assert.ok(Lg <= logJ + 1e-12, `triple ${t}: L ${Lg} > log J ${logJ} (S=${mdp.S}, A=${mdp.A}, γ=${mdp.gamma})`);
    worst = Math.max(worst, L - logJ);
    worstVariant = Math.max(worstVariant, Lg - logJ);
  }
  // Every model kind was exercised. Equality (up to rounding) is possible: deterministic dynamics, q = p
  // and a constant reward along the path make log J = log r − log(1−γ) = L.
  assert.ok(kinds.true > 500 && kinds.mixture > 3000 && kinds.random > 1500, JSON.stringify(kinds));
  assert.ok(worst <= 1e-12 && worstVariant <= 1e-12, `largest gaps ${worst}, ${worstVariant}`);
});
