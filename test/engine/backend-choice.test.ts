/**
 * Choosing the deep backend: `mnm run --backend`, $MNM_DEEP_BACKEND, and the engine's numbers being the same
 * bits in a worker thread as in this one (a run's seeds are computed on whichever worker is free).
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { parseRunArgs } from '../../lib/cli/args';
import { checkDeepBackend, deepBackend, DEFAULT_DEEP_BACKEND } from '../../lib/deep/deep-backend';

test('--backend tfjs|engine is parsed and checked; $MNM_DEEP_BACKEND is read and checked', () => {
  assert.equal(parseRunArgs(['--backend', 'engine']).backend, 'engine');
  assert.equal(parseRunArgs(['--backend', 'tfjs']).backend, 'tfjs');
  assert.equal(parseRunArgs([]).backend, undefined);
  assert.throws(() => parseRunArgs(['--backend', 'gpu']), /--backend must be tfjs or engine, got 'gpu'/);
  const keep = process.env.MNM_DEEP_BACKEND;
  try {
    delete process.env.MNM_DEEP_BACKEND;
    assert.equal(deepBackend(), DEFAULT_DEEP_BACKEND);
    process.env.MNM_DEEP_BACKEND = 'engine';
    assert.equal(deepBackend(), 'engine');
    process.env.MNM_DEEP_BACKEND = 'wasm';
    assert.throws(() => deepBackend(), /MNM_DEEP_BACKEND must be tfjs or engine, got 'wasm'/);
  } finally {
    if (keep === undefined) delete process.env.MNM_DEEP_BACKEND;
    else process.env.MNM_DEEP_BACKEND = keep;
  }
  assert.throws(() => checkDeepBackend('', 'x'), /x must be tfjs or engine/);
});

/** Six SAC updates on the engine from a fixed seed, as JSON (statistics and every saved number). */
const RUN = `
  const { Sac } = require(${JSON.stringify(path.resolve(__dirname, '../../lib/deep/sac.ts'))});
  const { Rng } = require(${JSON.stringify(path.resolve(__dirname, '../../lib/rng.ts'))});
  const { initBackend } = require(${JSON.stringify(path.resolve(__dirname, '../../lib/deep/backend.ts'))});
  module.exports = async () => {
    await initBackend({ quiet: true });
    const dims = { obsDim: 3, actDim: 1, actLow: [-2], actHigh: [2] };
    const agent = new Sac(dims, { hidden: 24 }, new Rng('threads'), { backend: 'engine' });
    const data = new Rng('threads/data');
    const f = (len, g) => Float32Array.from({ length: len }, g);
    const stats = [];
    for (let k = 0; k < 6; k++) {
      const n = 32;
      stats.push(agent.update({ n, obs: f(3 * n, () => data.normal()), act: f(n, () => data.range(-2, 2)), rew: f(n, () => data.normal()),
        nextObs: f(3 * n, () => data.normal()), done: f(n, () => (data.uniform() < 0.1 ? 1 : 0)) }));
    }
    return JSON.stringify({ stats, saved: await agent.save() });
  };`;

test('same seed → same bits on the engine in this thread and in a worker thread', async () => {
  const tsx = require.resolve('tsx/cjs/api');
  const inWorker = await new Promise<string>((resolve, reject) => {
    const code = `require(${JSON.stringify(tsx)}).register();
      const { parentPort } = require('node:worker_threads');
      const m = new module.constructor(); m.paths = module.paths; m._compile(${JSON.stringify(RUN)}, ${JSON.stringify(__filename)});
      m.exports().then((s) => parentPort.postMessage(s), (e) => parentPort.postMessage('ERROR ' + e.message));`;
    const w = new Worker(code, { eval: true });
    w.once('message', (m: string) => {
      void w.terminate();
      if (m.startsWith('ERROR')) reject(new Error(m));
      else resolve(m);
    });
    w.once('error', reject);
  });
  const m = new (module.constructor as new () => NodeJS.Module & { _compile(code: string, file: string): void })();
  m.paths = module.paths;
  m._compile(RUN, __filename);
  const here = await (m.exports as () => Promise<string>)();
  assert.equal(inWorker, here);
});
