import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runExperiment, type Experiment } from '../../lib/experiment';
import { e1GridworldOptimism, e1Grid } from '../../lib/experiments/e1-gridworld-optimism';
import { e2CapacityLimited } from '../../lib/experiments/e2-capacity-limited';
import { e6Transfer } from '../../lib/experiments/e6-transfer';
import { EXPERIMENTS } from '../../lib/experiments';
import { specToSvg } from '../../lib/plot/render';
import { arrowCosine, eq5OptimisticModel, fractionTowardGoal, modelShift } from '../../lib/tabular/model-shift';
import { seedRng } from '../../lib/experiment';

test('q − p arrows: zero for q = p; the exact Eq. 5 q* tilts the noise toward the goal', () => {
  const g = e1Grid();
  const none = modelShift(g, g.mdp, g.mdp);
  assert.ok(none.every((a) => a.dRow === 0 && a.dCol === 0));
  const { V, q } = eq5OptimisticModel(g.mdp);
  // Fixed point of V = log r + log E_p exp(γV) at the start state, checked directly.
  const s = g.start;
  let best = -Infinity;
  for (let a = 0; a < 4; a++) {
    let acc = 0;
    for (let k = g.mdp.rowStart[s * 4 + a]; k < g.mdp.rowStart[s * 4 + a + 1]; k++)
      acc += g.mdp.prob[k] * Math.exp(g.mdp.gamma * V[g.mdp.next[k]]);
    best = Math.max(best, Math.log(g.mdp.reward[s * 4 + a]) + Math.log(acc));
  }
  assert.ok(Math.abs(best - V[s]) < 1e-8);
  const arrows = modelShift(g, q, g.mdp);
  assert.equal(fractionTowardGoal(arrows, g.cellOf(g.goal)).fraction, 1);
  assert.ok(Math.abs(arrowCosine(arrows, arrows) - 1) < 1e-12);
});

for (const exp of [e1GridworldOptimism, e2CapacityLimited, e6Transfer] as Experiment[]) {
  test(`${exp.id} runs at smoke scale: tables, figures that render, checked claims; same seed → same rows`, async () => {
    assert.ok(EXPERIMENTS.includes(exp), 'registered');
    const rep = await runExperiment(exp, { scale: 'smoke' });
    assert.equal(rep.results.length, exp.seeds.smoke);
    assert.ok(Object.keys(rep.tables).length > 0);
    for (const [name, df] of Object.entries(rep.tables)) assert.ok(df.height > 0, `table ${name} is empty`);
    for (const [name, spec] of Object.entries(rep.figures)) assert.match(await specToSvg(spec), /<svg/, `figure ${name}`);
    assert.ok(rep.claims.length >= 2);
    for (const c of rep.claims) assert.equal(c.experiment, exp.id);
    const again = await exp.runSeed({ scale: 'smoke', config: rep.config, seed: 0, rng: seedRng(exp.id, 0), progress: () => {} });
    assert.deepEqual(JSON.parse(JSON.stringify(again)), JSON.parse(JSON.stringify(rep.results[0])));
  });
}
