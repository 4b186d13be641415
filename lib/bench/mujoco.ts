/**
 * Speed of the MuJoCo tasks (lib/envs/mujoco) per env step: the physics alone (frameSkip mj_step calls) and
 * the full env step (action check, physics, observation, reward, termination), against the time one env
 * step of the MBPO loop takes at paper scale on the same task (SAC updates, model rounds and rollouts every
 * 250 steps, amortised; evaluation left out). Target: the env under 5% of an MBPO env step.
 * No peer program runs MuJoCo here (no native MuJoCo on the machine), so peer_ms, ratio and agree are null;
 * the ratio that matters, env / MBPO step, is measured side by side in the same run (`share_of_mbpo_step`).
 *   npm run bench -- mujoco        (MNM_BENCH_MBPO_STEPS: MBPO steps timed after the random start, default 250)
 */
import * as os from 'node:os';
import { ModelBasedRun } from '../deep/model-based';
import { initBackend } from '../deep/backend';
import { makeEnv, prepareEnv } from '../envs';
import type { MujocoEnv } from '../envs/mujoco/env';
import { type Task, runConfig } from '../experiments/deep-runs';
import { Rng } from '../rng';
import type { BenchEntry, BenchSection } from './types';

const TASKS: Task[] = ['inverted-pendulum', 'hopper'];
const ENV_STEPS = 20000;

/** Best of 3 timings of `f`, in ms, after a warm-up. */
function best(f: () => void): number {
  f();
  let ms = Infinity;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    f();
    ms = Math.min(ms, performance.now() - t0);
  }
  return ms;
}

/** Milliseconds per env step of the MBPO loop at paper scale, after its random-action start. */
async function mbpoStepMs(task: Task, steps: number): Promise<number> {
  const config = { ...runConfig(task, 'mbpo', 'paper'), evalEvery: 10 ** 9 };
  const run = new ModelBasedRun(config, `bench/mujoco/${task}`);
  let t0 = NaN;
  let at = 0;
  await run.run({
    stopAfter: config.startSteps + steps,
    progress: (done) => {
      if (Number.isNaN(t0) && done >= config.startSteps) [t0, at] = [performance.now(), done];
    },
  });
  const ms = (performance.now() - t0) / (run.step - at);
  run.dispose();
  return ms;
}

export const mujocoBench: BenchSection = {
  name: 'mujoco',
  async run(log) {
    const mbpoSteps = Number(process.env.MNM_BENCH_MBPO_STEPS ?? 250);
    if (!(Number.isInteger(mbpoSteps) && mbpoSteps > 0))
      throw new Error(`MNM_BENCH_MBPO_STEPS must be a positive integer, got ${process.env.MNM_BENCH_MBPO_STEPS}`);
    await initBackend({ quiet: true });
    const entries: BenchEntry[] = [];
    for (const task of TASKS) {
      await prepareEnv(task);
      const env = makeEnv(task) as MujocoEnv;
      const rng = new Rng(`bench-${task}`);
      const actions = Array.from({ length: 1000 }, () => Array.from(env.actLow, (lo, i) => rng.range(lo, env.actHigh[i])));
      env.reset(0);
      const physicsMs =
        best(() => {
          for (let t = 0; t < ENV_STEPS; t++) env.physics(env.frameSkip);
        }) / ENV_STEPS;
      let episodes = 0;
      const stepMs =
        best(() => {
          env.reset(episodes++);
          for (let t = 0; t < ENV_STEPS; t++) {
            const s = env.step(actions[t % actions.length]);
            if (s.terminated || s.truncated) env.reset(episodes++);
          }
        }) / ENV_STEPS;
      env.close();
      const mbpoMs = await mbpoStepMs(task, mbpoSteps);
      const load = os.loadavg()[0].toFixed(2);
      log(
        `${task}: physics ${(1000 / physicsMs).toFixed(0)} env steps/s (${env.frameSkip} mj_step each), full env step ` +
          `${(1000 / stepMs).toFixed(0)}/s, MBPO env step (paper) ${mbpoMs.toFixed(1)} ms → env = ${((100 * stepMs) / mbpoMs).toFixed(3)}% (load ${load})`,
      );
      const common = { peer_ms: null, ratio: null, agree: null, loadavg: os.loadavg()[0], frame_skip: env.frameSkip };
      entries.push(
        { name: `mujoco/${task} physics per env step`, ours_ms: physicsMs, env_steps_per_second: 1000 / physicsMs, ...common },
        {
          name: `mujoco/${task} env step (obs + reward)`,
          ours_ms: stepMs,
          env_steps_per_second: 1000 / stepMs,
          share_of_mbpo_step: stepMs / mbpoMs,
          ...common,
        },
        { name: `mujoco/${task} MBPO env step (paper)`, ours_ms: mbpoMs, measured_steps: mbpoSteps, ...common },
      );
    }
    return entries;
  },
};
