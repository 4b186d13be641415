// E6's report parts and describeE6 read one summary by target key and start id; a hand-made run pins what they say.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SeedResult } from '../../lib/experiment';
import { describeE6, type E6Tables, e6Config, e6Transfer } from '../../lib/experiments/e6-transfer';

type Updates = Record<string, Record<string, [number, number, number]>>;
const updates: Updates = {
  // per target and start: updates to 0.9 J* of seeds 0, 1, 2
  similar: { transfer: [1000, 1200, 1100], scratch: [3000, 3200, 3100], 'true-p': [900, 950, 1000] },
  dissimilar: { transfer: [4000, 4100, 4200], scratch: [4000, 4050, 4150], 'true-p': [3900, 4000, 4100] },
};

function results(updates: Updates): SeedResult<E6Tables>[] {
  return [0, 1, 2].map((seed) => ({
    tables: {
      curves: [{ seed, target: 'similar', start: 'transfer', method: 'transferred model', update: 0, norm_return: 0 }],
      summary: Object.entries(updates).flatMap(([target, starts]) =>
        Object.entries(starts).map(([start, u]) => ({
          seed,
          target,
          start: start === 'transfer' ? 'transfer' : start === 'scratch' ? 'scratch' : 'true-p',
          updates_to_good: u[seed],
          reached_good: true,
          mean_norm_return: 0.5,
          final_norm_return: 0.9,
        })),
      ),
      source: [{ seed, source_final_norm_return: 1 }],
    },
  }));
}

test('E6: the claims read paired updates by target and start; describeE6 gives their means and the control', async () => {
  const config = e6Config('smoke');
  const rep = await e6Transfer.report(results(updates), { scale: 'smoke', config });
  const byId = Object.fromEntries(rep.claims.map((c) => [c.id, c]));
  assert.equal(byId['E6.transfer-faster-on-similar-goal'].holds, true); // 2000 fewer updates on every seed, beyond the margin (5% of the 15000-update budget: 750)
  assert.equal(byId['E6.transfer-not-slower-on-dissimilar-goal'].holds, true); // 0, +50, +50: the 95% interval lies below the non-inferiority margin +750
  assert.match(byId['E6.transfer-faster-on-similar-goal'].measured, /transfer 3\/3, scratch 3\/3/);
  const text = describeE6({ ...rep, results: results(updates), config }, 'quick');
  assert.match(text, /mean updates to 0\.9 J\*: transfer 1100, scratch 3100/);
  assert.match(text, /Control, model = true p: 950 updates on the similar goal, 4000 on the dissimilar one/);
  assert.match(text, /no slower than the transferred model/);
});

test('E6: a transfer 1000 updates slower on every seed of the dissimilar goal (beyond the margin) fails the not-slower claim', async () => {
  const slower: Updates = { ...updates, dissimilar: { ...updates.dissimilar, transfer: [5000, 5050, 5150] } };
  const rep = await e6Transfer.report(results(slower), { scale: 'smoke', config: e6Config('smoke') });
  const c = rep.claims.find((x) => x.id === 'E6.transfer-not-slower-on-dissimilar-goal');
  assert.equal(c?.holds, false);
  assert.equal(c?.inconclusive, undefined); // decided: the interval lies wholly above the margin
});
