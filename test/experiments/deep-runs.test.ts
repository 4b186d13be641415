/**
 * The deep runs' settings and seeds (lib/experiments/deep-runs.ts): common random numbers across agents, and
 * settings checked by their rules.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { checkConfig } from '../../lib/config';
import { initBackend } from '../../lib/deep/backend';
import { ModelBasedRun } from '../../lib/deep/model-based';
import { prepareEnv } from '../../lib/envs';
import { budgetTau, DEEP_SETTINGS_RULES, taskSettings, modelBasedConfig, runSeedKey } from '../../lib/experiments/deep-runs';

before(async () => {
  await initBackend({ quiet: true });
  await prepareEnv('pendulum');
});

test('common random numbers: MBPO and MnM-approx of seed k collect the same random-phase data and start from the same weights', async () => {
  const settings = taskSettings('pendulum', 'smoke');
  const runOf = (algo: 'mbpo' | 'mnm' | 'sac', seed: number) =>
    new ModelBasedRun(modelBasedConfig('pendulum', algo, settings), runSeedKey({ task: 'pendulum', seed }));
  const [mbpo, mnm, sac, other] = [runOf('mbpo', 0), runOf('mnm', 0), runOf('sac', 0), runOf('mbpo', 1)];
  try {
    // Initial weights: SAC's actor and critics for all three agents, the dynamics ensemble for both model-based ones.
    assert.deepEqual(mnm.sac.actor.getWeights(), mbpo.sac.actor.getWeights());
    assert.deepEqual(mnm.sac.critics.getWeights(), mbpo.sac.critics.getWeights());
    assert.deepEqual(sac.sac.critics.getWeights(), mbpo.sac.critics.getWeights());
    assert.deepEqual(mnm.model!.net.getWeights(), mbpo.model!.net.getWeights());
    assert.notDeepEqual(other.sac.critics.getWeights(), mbpo.sac.critics.getWeights(), 'another seed starts elsewhere');
    // The random phase (resets and uniform actions), up to the first model round.
    const n = settings.randomSteps - 1;
    for (const r of [mbpo, mnm, sac, other]) await r.run({ stopAfter: n });
    const phase = (r: ModelBasedRun) => {
      const j = r.real.toJSON();
      return { obs: j.obs.slice(0, n * 3), act: j.act.slice(0, n), rew: j.rew.slice(0, n) };
    };
    assert.deepEqual(phase(mnm), phase(mbpo));
    assert.deepEqual(phase(sac), phase(mbpo));
    assert.notDeepEqual(phase(other), phase(mbpo));
  } finally {
    for (const r of [mbpo, mnm, sac, other]) r.dispose();
  }
});

test('deep settings are checked by their rules: one line naming the field', () => {
  const s = taskSettings('pendulum', 'paper');
  assert.doesNotThrow(() => checkConfig('s', s, DEEP_SETTINGS_RULES));
  assert.throws(() => checkConfig('s', { ...s, tau: 0 }, DEEP_SETTINGS_RULES), /^Error: s: tau must be in \(0, 1\], got 0$/);
  assert.throws(
    () => checkConfig('s', { ...s, elites: 8 }, DEEP_SETTINGS_RULES),
    /^Error: s: elites must be at most members \(7\), got 8$/,
  );
  assert.throws(
    () => checkConfig('s', { ...s, randomSteps: 2500 }, DEEP_SETTINGS_RULES),
    /^Error: s: randomSteps must be below envSteps \(2500\), got 2500$/,
  );
});

test('paper scale: τ is chosen from the budget, so the target lag left at the end is under 2% (τ(1 − γ)·updates ≥ 4)', () => {
  for (const task of ['pendulum', 'point-maze', 'inverted-pendulum'] as const) {
    const s = taskSettings(task, 'paper');
    const updates = (s.envSteps - s.randomSteps) * s.updatesPerStep;
    assert.ok(s.tau * (1 - s.gamma) * updates >= 4, `${task}: τ(1 − γ)·U = ${s.tau * (1 - s.gamma) * updates}`);
    assert.ok(s.tau >= budgetTau(s));
  }
});
