/**
 * What every env does with a bad seed or action at its edge (issue 22): one error naming the env, the argument and
 * what it got (lib/show), never a value turned silently into a seed or a number.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { ENV_NAMES, makeEnv, MUJOCO_ENVS, prepareEnv } from '../../lib/envs';
import type { MujocoEnv } from '../../lib/envs/mujoco/env';
import { Rng } from '../../lib/rng';

test.before(async () => {
  for (const name of MUJOCO_ENVS) await prepareEnv(name);
});

for (const name of ENV_NAMES) {
  test(`${name}: reset takes an integer or an Rng; {} , [1, 2], true, 1.5, '3' and a first reset without one are refused`, () => {
    const env = makeEnv(name);
    try {
      assert.throws(() => env.reset(), new RegExp(`^TypeError: ${name}\\.reset: the first reset needs a seed`));
      const bad: [unknown, string][] = [
        [{}, 'an object {}'],
        [{ x: 1 }, 'an object {"x": 1}'],
        [[1, 2], 'an array [1, 2]'],
        [true, 'true'],
        [1.5, '1.5'],
        ['3', '"3"'],
        [Infinity, 'Infinity (not finite)'],
        [null, 'null'],
      ];
      for (const [seed, shown] of bad) {
        assert.throws(
          () => env.reset(seed as number),
          (err: Error) =>
            err.message.startsWith(`${name}.reset: seed must be an integer or an Rng`) && err.message.endsWith(`, got ${shown}`),
          String(shown),
        );
      }
      // The same integer seed or the same Rng state gives the same start; reset() continues that stream.
      const a = env.reset(7);
      const b = env.reset();
      assert.deepEqual(env.reset(7), a);
      assert.deepEqual(env.reset(), b);
      assert.notDeepEqual(a, b);
      assert.deepEqual(env.reset(new Rng(7)), a);
      // Actions: a string or an array inside is named as what it is; a non-finite number as itself.
      const act = (x: unknown) => Array.from({ length: env.actDim }, (_, i) => (i === 0 ? x : 0));
      assert.throws(() => env.step(act('1') as number[]), new RegExp(`${name}\\.step: action\\[0\\] must be a finite number, got "1"$`));
      assert.throws(
        () => env.step(act([1]) as number[]),
        new RegExp(`${name}\\.step: action\\[0\\] must be a finite number, got an array \\[1\\]$`),
      );
      assert.throws(
        () => env.step(act(JSON.parse('1e999')) as number[]),
        /action\[0\] must be a finite number, got Infinity \(not finite\)$/,
      );
      assert.throws(() => env.step(['1'] as unknown as number[]), env.actDim === 1 ? /got "1"$/ : /must have length/);
      assert.throws(
        () => env.step(7 as unknown as number[]),
        new RegExp(`${name}\\.step: action must be an array of ${env.actDim} number\\(s\\), got 7$`),
      );
    } finally {
      env.close?.();
    }
  });
}

for (const name of MUJOCO_ENVS) {
  test(`${name}: a state MuJoCo would reset (qvel 1e200) is refused, and a step that blew up is never reported healthy`, () => {
    const env = makeEnv(name) as MujocoEnv;
    try {
      env.reset(0);
      const qpos = Array.from(env.state().qpos);
      const qvel = Array.from(env.state().qvel);
      qvel[0] = 1e200;
      assert.throws(
        () => env.setState(qpos, qvel),
        new RegExp(`^TypeError: ${name}\\.setState: qvel\\[0\\] must be a finite number within ±1e10 .*, got 1e\\+200$`),
      );
      // A state written past setState's check (through the live views): the step says the physics blew up instead of
      // returning the state MuJoCo reset to as a healthy step.
      env.reset(0);
      env.state().qvel[0] = 1e200;
      assert.throws(() => env.step(new Array(env.actDim).fill(0)), new RegExp(`^Error: ${name}\\.step: the simulation became unstable`));
      assert.throws(() => env.step(new Array(env.actDim).fill(0)), /episode is over/);
    } finally {
      env.close();
    }
  });
}

test('MuJoCo out of memory after many envs left open says how many are open and to close them', () => {
  // In a child process: the WebAssembly heap it fills is never given back.
  const script = `
    const { prepareEnv, makeEnv } = require('./lib/envs');
    prepareEnv('hopper').then(() => {
      const envs = [];
      try { for (let i = 0; i < 1000; i++) envs.push(makeEnv('hopper')); console.log('no error'); }
      catch (err) { console.log(err.message); }
    });`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: path.join(__dirname, '..', '..'), encoding: 'utf8' });
  assert.match(
    r.stdout,
    /^MuJoCo model 'hopper': out of memory for another env, with \d+ env\(s\) open in this process; close\(\) the envs no longer needed/,
  );
});
