import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runExperiment } from '../../lib/experiment';
import { findExperiment } from '../../lib/experiments';

// The tabular experiments at smoke scale: they run, are deterministic, and their exact claims hold.
for (const id of ['e3-risk-mdp', 'e4-bound-along-vi', 'e5-bound-properties']) {
  test(`${id} runs at smoke scale and its claims hold`, async () => {
    const exp = findExperiment(id);
    const r = await runExperiment(exp, { scale: 'smoke' });
    assert.ok(r.claims.length >= 3);
    for (const c of r.claims) {
      assert.equal(c.experiment, id);
      assert.ok(c.holds, `${c.id}: ${c.measured}`);
    }
    assert.ok(Object.keys(r.figures).length >= 1);
    const again = await exp.runSeed({
      scale: 'smoke',
      config: r.config,
      seed: 0,
      rng: (await import('../../lib/experiment')).seedRng(id, 0),
      progress: () => {},
    });
    assert.deepEqual(again, r.results[0], 'same seed, same rows');
  });
}
