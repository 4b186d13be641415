/**
 * The engine-only SAC (lib/deep/engine-sac-agent.ts: no TensorFlow.js, what the playground's worker runs) against
 * lib/deep/sac.ts's Sac on the engine backend: same seed → the same statistics and actions, bit for bit, update by
 * update (they share the initial weights, noise, update, temperature step and statistics; this catches a drift).
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { initBackend } from '../../lib/deep/backend';
import { EngineSacAgent } from '../../lib/deep/engine-sac-agent';
import type { Batch } from '../../lib/deep/replay';
import { Sac, type SacDims } from '../../lib/deep/sac';
import { NonFiniteError } from '../../lib/deep/train-guard';
import { engineModule } from '../../lib/engine/engine';
import { Rng } from '../../lib/rng';

before(async () => {
  await initBackend({ quiet: true });
});

const DIMS: SacDims = { obsDim: 3, actDim: 2, actLow: [-2, -1], actHigh: [2, 3] };

function randomBatch(rng: Rng, n: number): Batch {
  const f = (len: number, g: () => number) => Float32Array.from({ length: len }, g);
  return {
    n,
    obs: f(DIMS.obsDim * n, () => rng.normal()),
    act: f(DIMS.actDim * n, () => rng.range(-2, 3)),
    rew: f(n, () => rng.normal()),
    nextObs: f(DIMS.obsDim * n, () => rng.normal()),
    done: f(n, () => (rng.uniform() < 0.1 ? 1 : 0)),
  };
}

test('EngineSacAgent gives the numbers of Sac on the engine backend, update by update', () => {
  const config = { hidden: 24, tau: 0.02 };
  const sac = new Sac(DIMS, config, new Rng('same'), { backend: 'engine' });
  const lite = new EngineSacAgent(DIMS, config, new Rng('same'), engineModule());
  const data = new Rng('batches');
  for (let k = 0; k < 15; k++) {
    const batch = randomBatch(data, 32);
    assert.deepEqual(lite.update(batch), sac.update(batch), `update ${k + 1}`);
  }
  assert.equal(lite.alpha, sac.alpha);
  const obs = [0.3, -0.2, 1.5];
  assert.deepEqual(lite.act(obs, new Rng('act')), sac.act(obs, { deterministic: false }, new Rng('act')));
  assert.deepEqual(lite.act(obs, null), sac.act(obs, { deterministic: true }));
  sac.dispose();
});

test('EngineSacAgent refuses a bad batch and a non-finite update with the errors Sac gives', () => {
  const lite = new EngineSacAgent(DIMS, { hidden: 8 }, new Rng('bad'), engineModule());
  const batch = randomBatch(new Rng('b'), 4);
  assert.throws(() => lite.update({ ...batch, rew: batch.rew.subarray(0, 3) }), /batch\.rew has 3 numbers, expected n = 4/);
  assert.throws(() => lite.act([1, 2], null), /obs must have 3 numbers, got 2/);
  const huge = { ...batch, rew: batch.rew.map(() => 3e38) };
  assert.throws(
    () => lite.update(huge),
    (e: unknown) => e instanceof NonFiniteError && /SAC update: \w+ is/.test(e.message),
  );
  assert.equal(lite.updates, 0);
  assert.doesNotThrow(() => lite.update(batch));
  assert.equal(lite.updates, 1);
});
