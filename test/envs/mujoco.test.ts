/**
 * The MuJoCo tasks (lib/envs/mujoco): Gymnasium v5 semantics, the rules of Gymnasium's env checker, bad
 * input, memory, and the module in a worker thread.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { checkEnvName, makeEnv, MUJOCO_ENVS, prepareEnv } from '../../lib/envs';
import { HalfCheetah, HALF_CHEETAH } from '../../lib/envs/mujoco/half-cheetah';
import { Hopper, HOPPER } from '../../lib/envs/mujoco/hopper';
import { InvertedPendulum, INVERTED_PENDULUM } from '../../lib/envs/mujoco/inverted-pendulum';
import type { MujocoEnv } from '../../lib/envs/mujoco/env';
import { compileModel, heapBytes, loadMujoco, MUJOCO_PACKAGE, requireFactory } from '../../lib/envs/mujoco/module';
import { Rng } from '../../lib/rng';
import { startTsWorker } from '../../lib/ts-worker';
import { trainModelBased } from '../../lib/deep/model-based';
import { runConfig } from '../../lib/experiments/deep-runs';
import { e11Hopper, type HopperConfig } from '../../lib/experiments/e11-hopper';
import { resolveConfig } from '../../lib/config';

test.before(async () => {
  await loadMujoco();
});

/** Runs `f` on a fresh env and closes it. */
function withEnv<T>(make: () => MujocoEnv, f: (env: MujocoEnv) => T): T {
  const env = make();
  try {
    return f(env);
  } finally {
    env.close();
  }
}

function randomAction(env: MujocoEnv, rng: Rng): number[] {
  return Array.from(env.actLow, (lo, i) => rng.range(lo, env.actHigh[i]));
}

/** One episode (at most `limit` steps) under `policy`: observations, rewards and how it ended. */
function episode(env: MujocoEnv, seed: number, policy: (t: number) => number[], limit = Infinity) {
  const obs = [Array.from(env.reset(seed))];
  const rewards: number[] = [];
  for (let t = 0; t < limit; t++) {
    const s = env.step(policy(t));
    obs.push(Array.from(s.obs));
    rewards.push(s.reward);
    if (s.terminated || s.truncated) return { obs, rewards, terminated: s.terminated, truncated: s.truncated, steps: t + 1 };
  }
  return { obs, rewards, terminated: false, truncated: false, steps: limit };
}

test('shapes, bounds and time step of InvertedPendulum-v5 and Hopper-v5', () => {
  withEnv(
    () => new InvertedPendulum(),
    (env) => {
      assert.deepEqual([env.obsDim, env.actDim, env.nq, env.nv, env.maxSteps], [4, 1, 2, 2, 1000]);
      assert.deepEqual([Array.from(env.actLow), Array.from(env.actHigh)], [[-3], [3]]);
      assert.ok(Math.abs(env.dt - 0.04) < 1e-12, `dt ${env.dt}`);
      assert.equal(env.reset(0).length, 4);
    },
  );
  withEnv(
    () => new Hopper(),
    (env) => {
      assert.deepEqual([env.obsDim, env.actDim, env.nq, env.nv, env.maxSteps], [11, 3, 6, 6, 1000]);
      assert.deepEqual(
        [Array.from(env.actLow), Array.from(env.actHigh)],
        [
          [-1, -1, -1],
          [1, 1, 1],
        ],
      );
      assert.ok(Math.abs(env.dt - 0.008) < 1e-12, `dt ${env.dt}`);
      assert.equal(env.step.length, 1);
      assert.equal(env.reset(0).length, 11);
    },
  );
});

test("initial states lie within the reset-noise range around Gymnasium's start state", () => {
  const cases: [() => MujocoEnv, number[], number][] = [
    [() => new InvertedPendulum(), [0, 0, 0, 0], INVERTED_PENDULUM.resetNoise],
    [() => new Hopper(), [1.25, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], HOPPER.resetNoise],
  ];
  for (const [make, start, noise] of cases) {
    withEnv(make, (env) => {
      let widest = 0;
      for (let seed = 0; seed < 200; seed++) {
        const obs = env.reset(seed);
        obs.forEach((x, i) => (widest = Math.max(widest, Math.abs(x - start[i]))));
        const { qpos } = env.state();
        assert.ok(
          Math.abs(qpos[0] - (env.name === 'hopper' ? 0 : obs[0])) <= noise + 1e-9,
          `${env.name} seed ${seed}: qpos[0] = ${qpos[0]}`,
        );
      }
      assert.ok(widest <= noise * (1 + 1e-6), `${env.name}: an entry is ${widest} from the start state (noise ${noise})`);
      assert.ok(widest > noise * 0.9, `${env.name}: the noise is drawn (widest deviation ${widest} over 200 seeds)`);
    });
  }
});

test('zero action: the inverted pendulum falls and terminates within 100 steps', () => {
  withEnv(
    () => new InvertedPendulum(),
    (env) => {
      for (let seed = 0; seed < 10; seed++) {
        const ep = episode(env, seed, () => [0], 100);
        assert.ok(ep.terminated, `seed ${seed}: still up after 100 steps`);
        assert.ok(Math.abs(ep.obs[ep.obs.length - 1][1]) > INVERTED_PENDULUM.maxAngle);
        // v5: +1 per step that does not terminate, 0 on the terminating step.
        assert.deepEqual(ep.rewards, [...Array(ep.steps - 1).fill(1), 0]);
      }
    },
  );
});

test('untrained Hopper (zero and random actions) becomes unhealthy and terminates', () => {
  withEnv(
    () => new Hopper(),
    (env) => {
      const h = env as Hopper;
      for (let seed = 0; seed < 5; seed++) {
        const rng = new Rng(`hopper-random-${seed}`);
        for (const policy of [() => [0, 0, 0], () => randomAction(env, rng)]) {
          const ep = episode(env, seed, policy);
          assert.ok(ep.terminated && ep.steps < HOPPER.maxSteps, `seed ${seed}: ${ep.steps} steps, terminated ${ep.terminated}`);
          assert.equal(h.isHealthy(), false);
          const last = ep.obs[ep.obs.length - 1];
          assert.ok(last[0] <= 0.7 || Math.abs(last[1]) >= 0.2 || last.slice(1).some((x) => Math.abs(x) >= 100), `last obs ${last}`);
        }
      }
    },
  );
});

test('Hopper reward = healthy reward + x displacement / dt − 0.001·‖a‖²', () => {
  withEnv(
    () => new Hopper(),
    (env) => {
      env.reset(3);
      const rng = new Rng('hopper-reward');
      for (let t = 0; t < 20; t++) {
        const a = randomAction(env, rng);
        const x0 = env.state().qpos[0];
        const s = env.step(a);
        const x1 = env.state().qpos[0];
        const ctrl = a.reduce((acc, v) => acc + v * v, 0);
        const expected = (s.terminated ? 0 : 1) + (x1 - x0) / env.dt - 1e-3 * ctrl;
        assert.ok(Math.abs(s.reward - expected) < 1e-9, `step ${t}: reward ${s.reward}, expected ${expected}`);
        if (s.terminated) break;
      }
    },
  );
});

test('HalfCheetah-v5: shapes, reset noise (uniform qpos, normal qvel), reward terms, never terminates, 1,000-step limit', () => {
  withEnv(
    () => new HalfCheetah(),
    (env) => {
      assert.deepEqual([env.obsDim, env.actDim, env.nq, env.nv, env.maxSteps], [17, 6, 9, 9, 1000]);
      assert.ok(Math.abs(env.dt - 0.05) < 1e-12, `dt ${env.dt}`);
      const vel: number[] = [];
      for (let seed = 0; seed < 200; seed++) {
        const obs = env.reset(seed);
        for (let i = 0; i < 8; i++)
          assert.ok(Math.abs(obs[i]) <= HALF_CHEETAH.resetNoise * (1 + 1e-6), `seed ${seed}: qpos[${i + 1}] = ${obs[i]}`);
        vel.push(...obs.slice(8));
      }
      const m = vel.reduce((a, b) => a + b, 0) / vel.length;
      const sd = Math.sqrt(vel.reduce((a, b) => a + (b - m) ** 2, 0) / vel.length);
      assert.ok(Math.abs(m) < 0.01 && Math.abs(sd - 0.1) < 0.01, `qvel noise: mean ${m}, std ${sd} (want 0, 0.1)`);
      env.reset(2);
      const rng = new Rng('cheetah');
      let last;
      for (let t = 0; t < env.maxSteps; t++) {
        const a = randomAction(env, rng);
        const x0 = env.state().qpos[0];
        last = env.step(a);
        const expected = (env.state().qpos[0] - x0) / env.dt - 0.1 * a.reduce((acc, v) => acc + v * v, 0);
        assert.ok(Math.abs(last.reward - expected) < 1e-9, `step ${t}: reward ${last.reward}, expected ${expected}`);
        assert.equal(last.terminated, false);
        assert.equal(last.truncated, t === env.maxSteps - 1);
      }
    },
  );
});

test('the same seed gives the same trajectory; another seed another one', () => {
  for (const make of [() => new InvertedPendulum(), () => new Hopper(), () => new HalfCheetah()]) {
    const run = (seed: number) =>
      withEnv(make, (env) => {
        const rng = new Rng(`actions-${seed}`);
        return episode(env, seed, () => randomAction(env, rng), 50);
      });
    assert.deepEqual(run(7), run(7));
    assert.notDeepEqual(run(7).obs[0], run(8).obs[0]);
  }
});

test("Gymnasium's env checker rules: spaces, reset, step's fields, seeding, determinism", () => {
  for (const name of MUJOCO_ENVS) {
    const env = makeEnv(name) as MujocoEnv;
    try {
      // Action space: finite bounds, low < high, one per actuator.
      assert.equal(env.actLow.length, env.actDim);
      env.actLow.forEach((lo, i) => assert.ok(Number.isFinite(lo) && lo < env.actHigh[i]));
      // reset returns an observation in the observation space (Box(−∞, ∞, obsDim)): right length, finite.
      const o = env.reset(11);
      assert.ok(o instanceof Float32Array && o.length === env.obsDim && o.every(Number.isFinite));
      // Seeding: reset(seed) twice gives the same observation, also after steps; a new seed another one.
      env.step(Array.from(env.actHigh));
      assert.deepEqual(env.reset(11), o);
      assert.notDeepEqual(env.reset(12), o);
      // step returns the fields with their types (Gymnasium's info dict has no counterpart here).
      env.reset(11);
      const s = env.step(Array.from(env.actLow));
      assert.deepEqual(Object.keys(s).sort(), ['obs', 'reward', 'terminated', 'truncated']);
      assert.ok(s.obs instanceof Float32Array && s.obs.length === env.obsDim && s.obs.every(Number.isFinite));
      assert.equal(typeof s.reward, 'number');
      assert.ok(Number.isFinite(s.reward));
      assert.equal(typeof s.terminated, 'boolean');
      assert.equal(typeof s.truncated, 'boolean');
      // Step determinism: the same state and action give the same result.
      env.reset(11);
      const again = env.step(Array.from(env.actLow));
      assert.deepEqual(again, s);
      // Observations are copies: stepping does not change one already returned.
      const kept = Float32Array.from(again.obs);
      env.step(Array.from(env.actHigh));
      assert.deepEqual(again.obs, kept);
      // The reward and termination functions of observations agree with the env on a real step.
      env.reset(5);
      const before = env.reset(5);
      const r = env.step([...env.actHigh].map((x) => x / 2));
      assert.equal(env.terminal(before, [], r.obs), r.terminated);
      if (name === 'inverted-pendulum') assert.equal(env.reward(before, [0.5], r.obs), r.reward);
      // Time limit: a balancing controller (linear in the state) keeps the pole up; truncated on the 1000th step.
      if (name === 'inverted-pendulum') {
        const ep = episode(env, 1, () => {
          const { qpos, qvel } = env.state();
          return [10 * qpos[1] + qvel[1] + qpos[0] + qvel[0]];
        });
        assert.deepEqual([ep.steps, ep.truncated, ep.terminated], [1000, true, false]);
        assert.equal(
          ep.rewards.reduce((a, b) => a + b, 0),
          1000,
          'return 1000: the maximum of InvertedPendulum-v5',
        );
      }
    } finally {
      env.close();
    }
  }
});

test('bad actions get the errors the other envs give; out-of-range actions are clipped', () => {
  withEnv(
    () => new Hopper(),
    (env) => {
      assert.throws(() => env.step([0, 0, 0]), /hopper\.step: episode is over; call reset\(\) first/);
      env.reset(0);
      assert.throws(
        () => env.step([0, NaN, 0]),
        /^TypeError: hopper\.step: action\[1\] must be a finite number, got NaN \(not a number\)$/,
      );
      assert.throws(() => env.step([0, 0]), /^TypeError: hopper\.step: action must have length 3, got length 2: an array \[0, 0\]$/);
      assert.throws(() => env.step([Infinity, 0, 0]), /action\[0\] must be a finite number, got Infinity/);
      const a = new Hopper();
      const b = new Hopper();
      a.reset(1);
      b.reset(1);
      assert.deepEqual(a.step([5, -7, 1]), b.step([1, -1, 1]));
      a.close();
      b.close();
    },
  );
  const p = new InvertedPendulum();
  p.close();
  assert.throws(() => p.reset(0), /inverted-pendulum\.setState: the env is closed/);
  p.close(); // idempotent
});

test("an MJCF that does not compile gets MuJoCo's own message with the model's name", () => {
  assert.throws(
    () =>
      compileModel(
        'broken-joint',
        '<mujoco model="x"><worldbody><body><joint type="spring"/><geom size=".1"/></body></worldbody></mujoco>',
      ),
    /^Error: MuJoCo model 'broken-joint' does not compile: mjXError: XML Error: invalid keyword: 'spring'/,
  );
  assert.throws(
    () =>
      compileModel(
        'no-target',
        '<mujoco><worldbody><body><joint/><geom size=".1"/></body></worldbody><actuator><motor joint="nope"/></actuator></mujoco>',
      ),
    /MuJoCo model 'no-target' does not compile: mjCError: Error: unknown transmission target 'nope'/,
  );
  assert.throws(() => compileModel('cut-short', '<mujoco model="x"><worldbody>'), /MuJoCo model 'cut-short' does not compile: .*XML/);
  // The module still works after the errors.
  withEnv(
    () => new InvertedPendulum(),
    (env) => assert.equal(env.reset(0).length, 4),
  );
});

test('a missing module gets an error naming the package to install', () => {
  assert.equal(MUJOCO_PACKAGE, 'mujoco-js');
  assert.throws(() => requireFactory('mujoco-js-not-installed'), {
    message:
      "MuJoCo tasks need the npm package 'mujoco-js-not-installed', which is not installed: run npm ci (or npm install mujoco-js-not-installed)",
  });
  assert.throws(() => checkEnvName('walker'), /unknown env 'walker' \(known: .*inverted-pendulum, hopper, half-cheetah\)/);
});

test('native memory stays flat over many envs and resets when envs are closed', async () => {
  await prepareEnv('hopper');
  const cycle = (n: number) => {
    for (let k = 0; k < n; k++) {
      const env = new Hopper();
      for (let r = 0; r < 10; r++) {
        env.reset(r);
        env.step([0.1, 0.2, 0.3]);
      }
      env.close();
    }
  };
  cycle(20); // warm-up: the heap settles at its working size
  const before = heapBytes();
  cycle(300);
  assert.equal(heapBytes(), before, 'closing every env: the heap does not grow over 300 envs and 3,000 resets');
  // The check can fail: envs left open grow the heap.
  const keep = new Hopper();
  const first = keep.reset(9);
  const open = Array.from({ length: 20 }, () => new Hopper());
  assert.ok(heapBytes() > before, `unclosed envs grow the heap (${before} → ${heapBytes()} bytes)`);
  // An env made before the heap grew still reads and writes its state (its views are re-taken).
  const ref = new Hopper();
  assert.deepEqual(ref.reset(9), first);
  assert.deepEqual(keep.step([0.3, -0.2, 0.1]), ref.step([0.3, -0.2, 0.1]));
  for (const env of [...open, keep, ref]) env.close();
});

test('the module loads in a worker thread and gives the same trajectory there', async () => {
  const here = withEnv(
    () => new Hopper(),
    (env) => episode(env, 4, (t) => [Math.sin(t), Math.cos(t), 0.5], 30).obs,
  );
  const there = await new Promise<number[][]>((resolve, reject) => {
    const w = startTsWorker(path.join(__dirname, 'mujoco-worker.ts'), undefined);
    w.once('message', resolve);
    w.once('error', reject);
  });
  assert.deepEqual(there, here);
});

test('Hopper and InvertedPendulum train through the model-based loop at smoke size; the same seed gives the same rows', async () => {
  for (const task of ['hopper', 'inverted-pendulum'] as const) {
    const config = runConfig(task, 'mbpo', 'smoke');
    const a = await trainModelBased(config, `test/${task}`);
    const b = await trainModelBased(config, `test/${task}`);
    assert.equal(a.length, config.totalSteps / config.evalEvery);
    assert.ok(a.every((r) => Number.isFinite(r.eval_return) && Number.isFinite(r.model_val_mse)));
    assert.deepEqual(a, b);
  }
});

test('E11 Hopper config: the cluster size is MBPO-sized, configs/hopper-cluster.json asks for it, a bad size is refused', () => {
  const file = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'configs', 'hopper-cluster.json'), 'utf8')) as {
    experiments: string[];
    config: Record<string, Partial<HopperConfig>>;
  };
  assert.deepEqual(file.experiments, ['e11-hopper']);
  const c = resolveConfig('e11-hopper', e11Hopper.config, 'paper', file.config['e11-hopper']);
  assert.equal(c.size, 'cluster');
  assert.equal(runConfig('hopper', 'mbpo', 'paper', 1, c.size).totalSteps, 125000);
  assert.equal(runConfig('hopper', 'mbpo', 'smoke').totalSteps, 200);
  assert.throws(() => runConfig('pendulum', 'mbpo', 'paper', 1, 'cluster'), /cluster size is defined for hopper only/);
  assert.throws(() => resolveConfig('e11-hopper', e11Hopper.config, 'smoke', { size: 'huge' as never }), /size/);
});
