/**
 * The model-based loop on the engine backend (SAC updates, and the dynamics model's likelihood training, validation
 * and rollouts on the WebAssembly engine) against the TensorFlow.js reference: short MBPO runs at smoke size on the
 * point maze (also with the capacity-limited model input of E7 Stage B) and on Pendulum, and MnM-approx (its Eq. 9
 * and classifier steps on the engine too, lib/engine/mnm.ts) on the maze and on Pendulum.
 * Stated tolerance: every number of every evaluation row within 1e-4 relative (of max(1, |x|)); ~3e-6 was seen
 * (float32 sums in another order). The engine path repeats itself bit for bit.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { initBackend } from '../../lib/deep/backend';
import type { DeepBackend } from '../../lib/deep/deep-backend';
import { type EvalRow, type ModelBasedConfig, ModelBasedRun } from '../../lib/deep/model-based';
import { runConfig } from '../../lib/experiments/deep-runs';

before(async () => {
  await initBackend({ quiet: true });
});

async function rowsOf(config: ModelBasedConfig, backend: DeepBackend): Promise<EvalRow[]> {
  const run = new ModelBasedRun(config, 'engine-loop/0', { backend });
  assert.equal(run.model?.backend, backend);
  assert.equal(run.sac.backend, backend);
  try {
    return await run.run();
  } finally {
    run.dispose();
  }
}

function assertClose(a: EvalRow[], b: EvalRow[], what: string): void {
  assert.equal(b.length, a.length, `${what}: ${b.length} rows on the engine, ${a.length} on tfjs`);
  a.forEach((row, i) => {
    for (const key of Object.keys(row) as (keyof EvalRow)[]) {
      const [x, y] = [row[key], b[i][key]];
      if (Number.isNaN(x) && Number.isNaN(y)) continue;
      assert.ok(
        Math.abs(x - y) <= 1e-4 * Math.max(1, Math.abs(x)),
        `${what}, row ${i} (step ${row.step}): ${key} ${y} on the engine, ${x} on tfjs`,
      );
    }
  });
}

const maze = runConfig('point-maze', 'mbpo', 'smoke');
const CASES: [string, ModelBasedConfig][] = [
  ['point-maze MBPO', maze],
  [
    'point-maze MBPO, model input to a 0.2 cell',
    { ...maze, model: { ...maze.model, ensemble: { ...maze.model.ensemble, inputCell: 0.2 } } },
  ],
  ['pendulum MBPO', runConfig('pendulum', 'mbpo', 'smoke')],
  ['point-maze MnM-approx', runConfig('point-maze', 'mnm', 'smoke')],
  ['pendulum MnM-approx', runConfig('pendulum', 'mnm', 'smoke')],
];

for (const [what, config] of CASES) {
  test(`${what} at smoke size: the engine's rows agree with TensorFlow.js's (≤ 1e-4 relative) and repeat bit for bit`, async () => {
    const ref = await rowsOf(config, 'tfjs');
    const eng = await rowsOf(config, 'engine');
    assert.ok(ref.length >= 2 && ref.every((r) => r.model_rounds >= 1 && Number.isFinite(r.model_val_mse)), `${what}: model rounds ran`);
    assertClose(ref, eng, what);
    assert.deepEqual(await rowsOf(config, 'engine'), eng, `${what}: a second engine run differs`);
  });
}
