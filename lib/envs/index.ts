/**
 * The environment registry: `makeEnv(name)`; names in ENV_NAMES, typed EnvName (the one task-name type: the deep
 * experiments' tasks are EnvNames too). See ./types for the interface.
 * MuJoCo tasks need the MuJoCo module loaded first (asynchronously, once per process): `await prepareEnv(name)`
 * does that for any name, so callers that may get a MuJoCo task call it before makeEnv.
 */
import { Pendulum } from './pendulum';
import { PointMaze } from './point-maze';
import { HalfCheetah } from './mujoco/half-cheetah';
import { Hopper } from './mujoco/hopper';
import { InvertedPendulum } from './mujoco/inverted-pendulum';
import { loadMujoco } from './mujoco/module';
import type { Env } from './types';

export type { Env, StepResult } from './types';
export { Pendulum } from './pendulum';
export { PointMaze } from './point-maze';
export { HalfCheetah, Hopper, InvertedPendulum };

const FACTORIES = {
  pendulum: () => new Pendulum(),
  'point-maze': () => new PointMaze(),
  'inverted-pendulum': () => new InvertedPendulum(),
  hopper: () => new Hopper(),
  'half-cheetah': () => new HalfCheetah(),
} satisfies Record<string, () => Env>;

export type EnvName = keyof typeof FACTORIES;
export const ENV_NAMES = Object.keys(FACTORIES) as EnvName[];
/** The tasks simulated by MuJoCo (they need `await prepareEnv(name)` before makeEnv). */
export const MUJOCO_ENVS: readonly EnvName[] = ['inverted-pendulum', 'hopper', 'half-cheetah'];

/** `name` as a task name, or the registry's error naming the known ones. */
export function envName(name: string): EnvName {
  checkEnvName(name);
  return name as EnvName;
}

/** Throws the registry's error on an unknown env name (without making the env). */
export function checkEnvName(name: string): () => Env {
  const f = (FACTORIES as Record<string, () => Env>)[name];
  if (!f) throw new Error(`unknown env '${name}' (known: ${ENV_NAMES.join(', ')})`);
  return f;
}

/** Loads what env `name` needs before makeEnv (the MuJoCo module for MuJoCo tasks); throws on an unknown name. */
export async function prepareEnv(name: string): Promise<void> {
  checkEnvName(name);
  if ((MUJOCO_ENVS as readonly string[]).includes(name)) await loadMujoco();
}

export function makeEnv(name: string): Env {
  return checkEnvName(name)();
}
