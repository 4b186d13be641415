/** The environment registry: `makeEnv(name)`; names in ENV_NAMES. See ./types for the interface. */
import { Pendulum } from './pendulum';
import { PointMaze } from './point-maze';
import type { Env } from './types';

export type { Env, StepResult } from './types';
export { Pendulum } from './pendulum';
export { PointMaze } from './point-maze';

const FACTORIES = {
  pendulum: () => new Pendulum(),
  'point-maze': () => new PointMaze(),
} satisfies Record<string, () => Env>;

export type EnvName = keyof typeof FACTORIES;
export const ENV_NAMES = Object.keys(FACTORIES) as EnvName[];

export function makeEnv(name: string): Env {
  const f = (FACTORIES as Record<string, () => Env>)[name];
  if (!f) throw new Error(`unknown env '${name}' (known: ${ENV_NAMES.join(', ')})`);
  return f();
}
