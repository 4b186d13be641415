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

test('model rounds report the fraction of rollout steps through the wall on the maze (NaN before the first round and on tasks without a wall)', async () => {
  const { trainModelBased } = await import('../../lib/deep/model-based');
  await prepareEnv('point-maze');
  const maze = await trainModelBased(
    modelBasedConfig('point-maze', 'mbpo', { ...taskSettings('point-maze', 'smoke'), modelInputCell: 0.2 }),
    runSeedKey({ task: 'point-maze', seed: 0 }),
  );
  const withModel = maze.filter((r) => r.model_rounds > 0);
  assert.ok(withModel.length > 0);
  for (const r of withModel) assert.ok(r.model_crossing >= 0 && r.model_crossing <= 1, `crossing ${r.model_crossing} at step ${r.step}`);
  for (const r of maze.filter((x) => x.model_rounds === 0)) assert.ok(Number.isNaN(r.model_crossing));
  const pendulum = await trainModelBased(
    modelBasedConfig('pendulum', 'mbpo', taskSettings('pendulum', 'smoke')),
    runSeedKey({ task: 'pendulum', seed: 0 }),
  );
  assert.ok(
    pendulum.every((r) => Number.isNaN(r.model_crossing)),
    'Pendulum has no wall to cross',
  );
});

test('run names: a variant keeps two runs of one algorithm and seed apart; a bad variant is one line', async () => {
  const { runName } = await import('../../lib/experiments/deep-runs');
  assert.equal(runName({ task: 'point-maze', algo: 'mnm', seed: 3 }), 'point-maze-mnm-h1-s3');
  assert.equal(runName({ task: 'point-maze', algo: 'mnm', seed: 3, variant: 'coarse-eq5' }), 'point-maze-mnm-coarse-eq5-h1-s3');
  assert.throws(
    () => runName({ task: 'point-maze', algo: 'mnm', seed: 3, variant: '../x' }),
    /^Error: variant must be lower-case letters and digits joined by '-', got "..\/x"$/,
  );
});

test('a run records the deep backend it trained on, and the two backends make two runs', async () => {
  const { deepRun } = await import('../../lib/experiments/deep-runs');
  const spec = { task: 'point-maze', algo: 'mbpo', scale: 'smoke', seed: 0 } as const;
  const tfjs = await deepRun({ ...spec, backend: 'tfjs' });
  const engine = await deepRun({ ...spec, backend: 'engine' });
  assert.ok(tfjs.every((r) => r.backend.startsWith('tfjs:')));
  assert.ok(engine.every((r) => r.backend.startsWith('engine:')));
  assert.notDeepEqual(
    engine.map((r) => r.q_estimate),
    tfjs.map((r) => r.q_estimate),
    'not one cached run served twice',
  );
});
