/**
 * The model-based loop (MBPO / MnM-approx / SAC) at smoke size: tensor hygiene, NaN stops, determinism,
 * checkpoint and resume, config errors.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/deep/backend';
import { ModelBasedRun, type ModelBasedConfig } from '../../lib/deep/model-based';
import { assertNoTensorLeak } from '../../lib/deep/train-guard';
import { runConfig } from '../../lib/experiments/deep-runs';

before(async () => {
  await initBackend({ quiet: true });
});

/** Smoke-size maze config with a model round every 40 steps (episodes last ≤ 100 steps). */
function cfg(algo: 'sac' | 'mbpo' | 'mnm', totalSteps = 300): ModelBasedConfig {
  const c = runConfig('point-maze', algo, 'smoke');
  return { ...c, totalSteps, startSteps: 40, evalEvery: 100, model: { ...c.model, every: 40, steps: 3, rolloutBatch: 16, horizon: 2 } };
}

for (const algo of ['mbpo', 'mnm'] as const) {
  test(`${algo}: the tensor count stays flat over training episodes (model rounds, rollouts, updates, evaluation)`, async () => {
    const run = new ModelBasedRun(cfg(algo, 10_000), `leak/${algo}`);
    // Each call runs one more episode (100 steps: 2–3 model rounds, 100 updates, one evaluation).
    await assertNoTensorLeak(() => run.run({ stopAfter: run.step + 1 }), { iterations: 2, where: `${algo} loop` });
    assert.ok(run.step >= 300 && run.rows.length >= 3, `ran ${run.step} steps with ${run.rows.length} evaluations`);
    run.dispose();
  });
}

test('the same seed key gives the same evaluation rows; another key gives others', async () => {
  const rowsOf = async (key: string) => {
    const run = new ModelBasedRun(cfg('mnm', 200), key);
    const rows = await run.run();
    run.dispose();
    return rows;
  };
  const a = await rowsOf('det/0');
  assert.deepEqual(await rowsOf('det/0'), a);
  assert.notDeepEqual(await rowsOf('det/1'), a);
  assert.equal(a.length, 2);
  // model_epochs is NaN by design for MnM-approx (fixed steps per round, no plateau).
  for (const r of a) for (const [k, v] of Object.entries(r)) if (k !== 'model_epochs') assert.ok(Number.isFinite(v), `${k} = ${v}`);
});

test('a NaN in the model stops the run with the step and the quantity named', async () => {
  const run = new ModelBasedRun(cfg('mbpo'), 'nan/model');
  await run.run({ stopAfter: 1 }); // one episode: the model exists and has trained
  const w = (run.model as NonNullable<typeof run.model>).trainableVariables()[0];
  tf.tidy(() => w.assign(tf.fill(w.shape, NaN)));
  await assert.rejects(() => run.run(), /MBPO model round at env step \d+: likelihood loss is NaN at model step 0/);
  run.dispose();
});

test('a NaN in the critics stops the run (in the SAC update, or at the first NaN action), naming the step', async () => {
  const run = new ModelBasedRun(cfg('mnm'), 'nan/critic');
  await run.run({ stopAfter: 1 });
  const w = run.sac.critics.params[0];
  tf.tidy(() => w.assign(tf.fill(w.shape, NaN)));
  await assert.rejects(() => run.run(), /(SAC update: \w+ is NaN at step \d+)|(action\[0\] is NaN at env step \d+)/);
  run.dispose();
});

test('save and resume: the checkpoint restores weights, buffers, step and rows, and the resumed run equals an uninterrupted one', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mnm-ckpt-'));
  try {
    const config = cfg('mnm', 300);
    const first = new ModelBasedRun(config, 'resume/0');
    await first.run({ stopAfter: 120, checkpointDir: dir });
    assert.equal(first.step, 200, 'stops at the first episode end after stopAfter');
    assert.ok(fs.existsSync(path.join(dir, 'state.json')));
    assert.ok(!fs.readdirSync(path.dirname(dir)).some((f) => f.startsWith(`${path.basename(dir)}.tmp`)), 'no temporary folder left behind');
    const resumed = await ModelBasedRun.resume(dir);
    assert.equal(resumed.step, first.step);
    assert.deepEqual(resumed.rows, first.rows);
    assert.equal(resumed.real.size, first.real.size);
    assert.deepEqual(resumed.real.toJSON(), first.real.toJSON());
    assert.deepEqual(resumed.modelBuffer!.toJSON(), first.modelBuffer!.toJSON());
    assert.deepEqual(resumed.sac.critics.getWeights(), first.sac.critics.getWeights());
    // Variable names are unique per process, so compare shapes and values only.
    const values = (s: { vars: { shape: number[]; data: number[] }[]; optimizer: unknown }) => ({
      vars: s.vars.map((t) => ({ shape: t.shape, data: t.data })),
      optimizer: s.optimizer,
    });
    assert.deepEqual(values(await resumed.model!.getState()), values(await first.model!.getState()));
    assert.deepEqual(values(await resumed.classifier!.getState()), values(await first.classifier!.getState()));
    const rows = await resumed.run();
    assert.equal(resumed.step, 300);
    assert.deepEqual(
      rows.map((r) => r.step),
      [100, 200, 300],
    );
    // Every random stream is keyed by env step and the optimisers restore exactly, so the resumed run
    // repeats the uninterrupted one number for number.
    const whole = new ModelBasedRun(config, 'resume/0');
    assert.deepEqual(rows, await whole.run());
    for (const r of [first, resumed, whole]) r.dispose();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("Eq. 5's classifier term as an option: model rewards change by w·logit C (clipped), nothing else before it acts", async () => {
  const buffers = async (w: number) => {
    const c = cfg('mnm', 10_000);
    const run = new ModelBasedRun({ ...c, model: { ...c.model, classifierRewardWeight: w } }, 'eq5');
    await run.run({ stopAfter: 1 });
    const out = { model: run.modelBuffer!.toJSON().rew, real: run.real.toJSON().rew };
    run.dispose();
    return out;
  };
  const plain = await buffers(0);
  const augmented = await buffers(1);
  // Up to the first model round (step 40) both runs are identical; its first 16 rollout rewards then differ
  // only by the classifier term (afterwards the policies diverge too).
  assert.deepEqual(augmented.real.slice(0, 40), plain.real.slice(0, 40));
  const diff = augmented.model.slice(0, 16).map((r, i) => r - plain.model[i]);
  assert.ok(
    diff.some((d) => Math.abs(d) > 1e-6),
    'the classifier term changes the model rewards',
  );
  assert.ok(
    diff.every((d) => Math.abs(d) <= 10 + 1e-4),
    'by at most the logit clip',
  );
});

test('bad configs get one clear error naming the field (lib/config.ts rules), before anything is built', () => {
  const bad = (c: ModelBasedConfig, message: string) =>
    assert.throws(
      () => new ModelBasedRun(c, 'bad'),
      (err: Error) => err.message === message,
      message,
    );
  const mbpo = cfg('mbpo');
  bad(
    { ...mbpo, model: { ...mbpo.model, classifierRewardWeight: 1 } },
    `model-based config: objective must be 'mnm' when model.classifierRewardWeight > 0 (only MnM trains the classifier), got "likelihood"`,
  );
  bad({ ...mbpo, totalSteps: 0 }, 'model-based config: totalSteps must be an integer >= 1, got 0');
  bad({ ...mbpo, objective: 'gan' as never }, 'model-based config: objective must be one of none, likelihood, mnm, got "gan"');
  bad({ ...mbpo, realRatio: 2 }, 'model-based config: realRatio must be in [0, 1], got 2');
  bad(
    { ...mbpo, env: 'cartpole' as never },
    `model-based config: env must be one of pendulum, point-maze, inverted-pendulum, hopper, half-cheetah, got "cartpole"`,
  );
  bad({ ...mbpo, model: { ...mbpo.model, horizon: 1.5 } }, 'model-based config: model.horizon must be an integer >= 1, got 1.5');
  bad(
    { ...mbpo, model: { ...mbpo.model, ensemble: { ...mbpo.model.ensemble, elites: 9 } } },
    'model-based config: model.ensemble.elites must be at most members (3), got 9',
  );
});
