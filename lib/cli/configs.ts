/** Experiment configs for a run: each experiment's defaults with the run's overrides, checked, a mistake a usage error. */
import { ConfigError, resolveConfig } from '../config';
import { showKey } from '../show';
import type { Experiment, Scale } from '../experiment';
import { UsageError } from './errors';

/**
 * Each experiment's complete config at `scale`: its defaults with the run's overrides (`config` section of
 * --config, keyed by experiment id) laid over them. A bad id or parameter is a usage error naming it.
 */
export function runConfigs(
  all: Experiment[],
  exps: Experiment[],
  scale: Scale,
  overrides: Record<string, unknown> = {},
): Map<string, object> {
  const unknown = Object.keys(overrides).filter((id) => !all.some((e) => e.id === id));
  if (unknown.length) throw new UsageError(`--config: 'config' names unknown experiment(s) ${unknown.map(showKey).join(', ')}`);
  return new Map(exps.map((e) => [e.id, checkedConfig(e, scale, overrides[e.id])]));
}

/** resolveConfig, with a bad parameter reported as a usage error (one line, no stack). */
export function checkedConfig(exp: Experiment, scale: Scale, overrides: unknown): object {
  try {
    return resolveConfig(exp.id, exp.config, scale, overrides);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}
