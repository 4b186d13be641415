/**
 * Which experiments a run (or a submission) computes, with their checked configs: the ones named on the command
 * line, or with `--sweep FILE` the variants of one experiment (lib/sweep.ts). Every mistake in the sweep file is
 * one usage error naming the file and what is wrong, before any work starts.
 */
import { ConfigError } from '../config';
import type { Experiment } from '../experiment';
import { readJson } from '../io';
import { parseSweep, type SweepSpec, sweepExperiments, sweepSize, type VariantExperiment } from '../sweep';
import { note } from './output';
import type { RunOptions } from './args';
import { UsageError } from './errors';
import { DEFAULT_REGISTRY, loadRegistry, pickExperiments } from './registry';
import { runConfigs } from './configs';

/** Reads and checks a sweep file's shape (not yet its configs, which need the experiment and the scale). */
export function readSweep(file: string): SweepSpec {
  try {
    return parseSweep(readJson(file), `--sweep ${file}`);
  } catch (err) {
    throw new UsageError(err instanceof ConfigError ? err.message : `--sweep: ${(err as Error).message}`);
  }
}

export interface RunPlan {
  registry: string;
  all: Experiment[];
  /** What the run computes, in report order: the named experiments, or the sweep's variants. */
  exps: Experiment[];
  configs: Map<string, object>;
  sweep?: SweepSpec;
}

export function planExperiments(opts: RunOptions): RunPlan {
  const registry = opts.registry ?? DEFAULT_REGISTRY;
  const all = loadRegistry(registry);
  if (!opts.sweep) {
    const exps = pickExperiments(all, opts.experiments);
    return { registry, all, exps, configs: runConfigs(all, exps, opts.scale, opts.config) };
  }
  const spec = readSweep(opts.sweep);
  const [base] = pickExperiments(all, [spec.experiment]);
  // Said before any work: a large sweep then shows at once what it will cost (its size is limited in parseSweep).
  note(`mnm: --sweep ${opts.sweep}: ${sweepSize(spec)} config(s) of ${spec.experiment}`);
  if (opts.experiments.length) {
    throw new UsageError(`--sweep ${opts.sweep} names its experiment (${base.id}); give no experiment ids with it`);
  }
  // Parameters of the base experiment from --config apply to every config of the sweep (the sweep's own win).
  const fromRun = (opts.config?.[base.id] ?? {}) as SweepSpec['fixed'];
  const sweep = { ...spec, fixed: { ...fromRun, ...spec.fixed } };
  let exps: VariantExperiment[];
  try {
    exps = sweepExperiments(base, sweep, opts.scale);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(`--sweep ${opts.sweep}: ${err.message}`);
    throw err;
  }
  return { registry, all, exps, configs: runConfigs(all, exps, opts.scale, opts.config), sweep };
}
