/**
 * The poses of a MuJoCo task over one episode under zero action (no control), for pictures of what the task
 * looks like: the model's capsules (MujocoEnv.capsules()) at `frames` evenly spaced steps.
 */
import { makeEnv, prepareEnv } from '../index';
import { MujocoEnv } from './env';

/** One capsule of the model (MujocoEnv.capsules()) at one step of the episode. */
export type PoseAtStep = ReturnType<MujocoEnv['capsules']>[number] & { step: number };

export async function zeroActionPoses(
  task: 'inverted-pendulum' | 'hopper' | 'half-cheetah',
  opts: { frames?: number; without?: string[] } = {},
): Promise<PoseAtStep[]> {
  const frames = opts.frames ?? 6;
  const without = new Set(opts.without ?? []);
  await prepareEnv(task);
  const mj = makeEnv(task);
  if (!(mj instanceof MujocoEnv)) throw new Error(`zeroActionPoses: ${task} is not a MuJoCo task`);
  mj.reset(0);
  const shots = [mj.capsules()];
  for (let done = false; !done;) {
    const s = mj.step(new Array(mj.actDim).fill(0));
    shots.push(mj.capsules());
    done = s.terminated || s.truncated;
  }
  mj.close();
  const n = shots.length - 1;
  return Array.from({ length: frames }, (_, i) => Math.round((i * n) / (frames - 1))).flatMap((step) =>
    shots[step].filter((c) => !without.has(c.geom)).map((c) => ({ ...c, step })),
  );
}
