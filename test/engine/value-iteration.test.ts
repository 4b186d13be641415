/**
 * Value iteration on the engine (lib/engine/value-iteration.ts) against the JS kernels (lib/tabular/solve.ts):
 * every backup, both layouts (StateBlocks with the four-action SIMD path or the general one, compressed rows),
 * gridworlds and random MDPs. Stated tolerance: the same number of sweeps, V within 1e-12 relative (the only
 * difference is the exp/log implementation) and the same greedy policy; the return backup uses no exp or log, so
 * its V is the same bits.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { engineValueIteration } from '../../lib/engine/value-iteration';
import { Rng } from '../../lib/rng';
import { makeGridworld, openGridMap } from '../../lib/tabular/gridworld';
import type { TabularMDP } from '../../lib/tabular/mdp';
import { randomMDP } from '../../lib/tabular/random-mdp';
import { BACKUPS, valueIteration, type SweepLayout } from '../../lib/tabular/solve';

const REL = 1e-12;

function compare(mdp: TabularMDP, what: string, layouts: SweepLayout[]): void {
  for (const backup of BACKUPS) {
    for (const layout of layouts) {
      const js = valueIteration(mdp, backup, { layout });
      const en = engineValueIteration(mdp, backup, { layout });
      const where = `${what}, ${backup}, layout ${layout}`;
      assert.equal(en.iterations, js.iterations, `${where}: sweeps`);
      let worst = 0;
      for (let s = 0; s < mdp.S; s++) worst = Math.max(worst, Math.abs(en.V[s] - js.V[s]) / Math.max(Math.abs(js.V[s]), 1e-300));
      assert.ok(worst <= REL, `${where}: V differs by ${worst.toExponential(2)} relative (> ${REL})`);
      if (backup === 'return')
        assert.ok(
          en.V.every((v, s) => Object.is(v, js.V[s])),
          `${where}: V is not the same bits`,
        );
      assert.deepEqual(en.policy, js.policy, `${where}: greedy policy`);
    }
  }
}

test('gridworld (four actions: the f64x2 StateBlocks path, uniform reward) agrees with the JS solve', () => {
  compare(makeGridworld(openGridMap(12, 9), { noise: 0.2, gamma: 0.95 }).mdp, 'open 12×9 grid', ['auto', 'csr']);
});

test('random MDPs (action-dependent reward, 3 actions: the general blocks path and compressed rows) agree with the JS solve', () => {
  const rng = new Rng('engine/vi');
  compare(randomMDP(rng.fork('a'), { S: 40, A: 3, gamma: 0.9, successors: 4 }), 'random S=40 A=3 K=4', ['blocks', 'csr']);
  compare(randomMDP(rng.fork('b'), { S: 25, A: 4, gamma: 0.8, successors: 3 }), 'random S=25 A=4 K=3', ['blocks', 'csr']);
  // Rewards over six orders of magnitude: exp(γV − γ max V) underflows for some states (the per-action fallback).
  compare(randomMDP(rng.fork('c'), { S: 30, A: 2, gamma: 0.95, successors: 3, rewardRange: [1e-3, 1e3] }), 'wide rewards', [
    'blocks',
    'csr',
  ]);
});

test('bad input: a wrong-length V0 and a bad tol are named errors', () => {
  const mdp = makeGridworld(openGridMap(3, 3)).mdp;
  assert.throws(() => engineValueIteration(mdp, 'mnm', { V0: [1, 2] }), /V0 has 2 entries, expected 9/);
  assert.throws(() => engineValueIteration(mdp, 'mnm', { tol: 0 }), /tol must be > 0/);
  assert.throws(() => engineValueIteration(mdp, 'nope' as 'mnm'), /unknown backup 'nope'/);
});
