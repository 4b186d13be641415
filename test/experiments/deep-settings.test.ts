// The deep runs' settings as the notebooks show them: per run only what differs, the rest once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deepSettings, splitSettings } from '../../lib/experiments/deep-settings';

test('settings that do not apply to an agent are left out: SAC has no model, only MnM-approx a value weight', () => {
  const rows = deepSettings(['pendulum'], ['sac', 'mbpo', 'mnm'], 'paper');
  const sac = rows.find((r) => r.agent === 'SAC (model-free)')!;
  assert.equal(sac.value_weight, null);
  assert.equal(sac.rollout_starts, null);
  assert.equal(sac.ensemble, null);
  assert.equal(rows.find((r) => r.agent === 'MBPO')!.value_weight, null);
  assert.equal(typeof rows.find((r) => r.agent === 'MnM-approx')!.value_weight, 'number');
});

test('splitSettings: a setting with one value wherever it applies is shared, with the agents it applies to', () => {
  const split = splitSettings(deepSettings(['pendulum', 'point-maze'], ['sac', 'mbpo', 'mnm'], 'paper'));
  const shared = new Map(split.shared.map((r) => [r.setting, r]));
  assert.equal(shared.get('value_weight')?.applies_to, 'MnM-approx');
  assert.equal(shared.get('rollout_starts')?.applies_to, 'MBPO, MnM-approx');
  // The objective differs between agents: it stays in the per-run table, and nothing appears in both.
  assert.ok(split.differing.every((r) => 'objective' in r && 'task' in r && !('value_weight' in r)));
  for (const r of split.differing) for (const k of Object.keys(r)) assert.ok(!shared.has(k), k);
  // One task: no task column.
  assert.ok(splitSettings(deepSettings(['point-maze'], ['mbpo', 'mnm'], 'paper')).differing.every((r) => !('task' in r)));
});
