/**
 * Config sweeps: one experiment under several configs. A sweep (a JSON file for `mnm run --sweep`) names the
 * experiment, the parameters every config shares and the values to vary, as a grid or a list:
 *
 *   { "experiment": "e3-risk-mdp", "fixed": { "episodes": 40 }, "grid": { "gamma": [0.9, 0.95, 0.99] } }
 *   { "experiment": "e3-risk-mdp", "list": [ { "gamma": 0.9, "wind": 0.1 }, { "gamma": 0.99 } ] }
 *
 * Each config becomes a variant: an experiment of its own, `<id>@<label>` (e.g. `e3-risk-mdp@gamma=0.9`), with that
 * config as its defaults, so its (config, seed) units shard, resume, merge and report like any experiment's. Seed k of
 * every variant draws from the base experiment's generator for seed k (common random numbers: the configs differ by
 * their parameters only). Each variant's claims carry its label (`E3.mnm-reward-side@gamma=0.9`); sweepTable()
 * gathers them into one claim × config table.
 */
import { type Verdict, verdict } from './claims';
import { type ConfigValue, ConfigError, resolveConfig } from './config';
import { type Claim, type Experiment, type Report, runExperiment, type SeedResult, seedRng } from './experiment';
import { type Scale, scaleFromEnv } from './scale';
import { showKey, showValue } from './show';

export interface SweepSpec {
  /** The experiment's id. */
  experiment: string;
  /** Parameters every config shares. */
  fixed: Record<string, ConfigValue>;
  /** Every combination of these values (keys in order, the last varying fastest) … */
  grid?: Record<string, ConfigValue[]>;
  /** … or exactly these configs. */
  list?: Record<string, ConfigValue>[];
}

export interface Variant {
  /** `<experiment>@<label>`: its id in results folders and claims. */
  id: string;
  /** The varied parameters, e.g. `gamma=0.9,wind=0.1` (`defaults` when none). */
  label: string;
  /** The parameters laid over the experiment's defaults: the fixed ones and the varied ones. */
  overrides: Record<string, ConfigValue>;
}

/** A variant as an experiment; `sweep.base` is the experiment it comes from (its code, notebook and generator). */
export interface VariantExperiment extends Experiment {
  sweep: { base: Experiment; label: string; overrides: Record<string, ConfigValue> };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The most configs a sweep may have (as --seeds has a most): a larger grid is refused before it is expanded. */
export const MAX_SWEEP_CONFIGS = 1000;

/** How many configs a sweep has, counted without expanding it (a grid's is the product of its lists' lengths). */
export function sweepSize(spec: Pick<SweepSpec, 'grid' | 'list'>): number {
  if (spec.grid) return Object.values(spec.grid).reduce((n, vs) => n * vs.length, 1);
  return spec.list?.length ?? 0;
}

/** Checks the shape of a sweep (parsed JSON); every problem is one ConfigError naming `source` and the key. */
export function parseSweep(raw: unknown, source: string): SweepSpec {
  const fail = (what: string): never => {
    throw new ConfigError(`${source}: ${what}`);
  };
  if (!isObject(raw)) fail('must be a JSON object {experiment, fixed, grid or list}');
  const r = raw as Record<string, unknown>;
  const unknown = Object.keys(r).filter((k) => !['experiment', 'fixed', 'grid', 'list'].includes(k));
  if (unknown.length)
    fail(`unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map(showKey).join(', ')} (expected experiment, fixed, grid or list)`);
  if (typeof r.experiment !== 'string' || r.experiment === '')
    fail(`'experiment' must be an experiment id, got ${showValue(r.experiment)}`);
  if (r.fixed !== undefined && !isObject(r.fixed)) fail("'fixed' must be an object of parameters");
  if ((r.grid === undefined) === (r.list === undefined)) fail("give exactly one of 'grid' (values to combine) or 'list' (configs)");
  const fixed = (r.fixed ?? {}) as Record<string, ConfigValue>;
  if (r.grid !== undefined) {
    if (!isObject(r.grid) || Object.keys(r.grid).length === 0) fail("'grid' must be an object of parameter: [values]");
    for (const [k, vs] of Object.entries(r.grid as object)) {
      if (!Array.isArray(vs) || vs.length === 0) fail(`grid.${showKey(k)} must be a non-empty array of values, got ${showValue(vs)}`);
      // Own keys only: 'constructor' or 'toString' is not "in" every object as far as a sweep is concerned.
      if (Object.hasOwn(fixed, k)) fail(`${showKey(k)} is both fixed and varied`);
    }
    const size = sweepSize({ grid: r.grid as Record<string, ConfigValue[]> });
    if (size > MAX_SWEEP_CONFIGS) {
      const dims = Object.entries(r.grid as Record<string, unknown[]>).map(([k, vs]) => `${vs.length} ${showKey(k)}`);
      fail(`the grid makes ${size} configs (${dims.join(' × ')}); a sweep has at most ${MAX_SWEEP_CONFIGS}`);
    }
    return { experiment: r.experiment as string, fixed, grid: r.grid as Record<string, ConfigValue[]> };
  }
  if (!Array.isArray(r.list) || r.list.length === 0) fail(`'list' must be a non-empty array of configs, got ${showValue(r.list)}`);
  if ((r.list as unknown[]).length > MAX_SWEEP_CONFIGS)
    fail(`the list has ${(r.list as unknown[]).length} configs; a sweep has at most ${MAX_SWEEP_CONFIGS}`);
  for (const [i, c] of (r.list as unknown[]).entries()) {
    if (!isObject(c)) fail(`list[${i}] must be an object of parameters, got ${showValue(c)}`);
    const both = Object.keys(c as object).filter((k) => Object.hasOwn(fixed, k));
    if (both.length) fail(`list[${i}]: ${both.map(showKey).join(', ')} both fixed and varied`);
  }
  return { experiment: r.experiment as string, fixed, list: r.list as Record<string, ConfigValue>[] };
}

function show(v: ConfigValue): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** A config as text that does not depend on the order of its keys (at any depth): two configs are the same when it is. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** The configs of a sweep, in order, each with its label and id. */
export function expandSweep(spec: SweepSpec): Variant[] {
  let varied: Record<string, ConfigValue>[];
  if (spec.grid) {
    varied = [{}];
    for (const [k, vs] of Object.entries(spec.grid)) varied = varied.flatMap((c) => vs.map((v) => ({ ...c, [k]: v })));
  } else varied = spec.list ?? [];
  const seen = new Map<string, number>();
  const labels = new Map<string, number>();
  return varied.map((v, i) => {
    const label = Object.entries(v)
      .map(([k, x]) => `${k}=${show(x)}`)
      .join(',');
    // The same config with its keys in another order is the same config: it would run twice under two labels.
    const same = canonical(v);
    const prev = seen.get(same);
    if (prev !== undefined) throw new ConfigError(`sweep configs ${prev + 1} and ${i + 1} are the same (${label || 'defaults'})`);
    seen.set(same, i);
    const clash = labels.get(label);
    if (clash !== undefined)
      throw new ConfigError(`sweep configs ${clash + 1} and ${i + 1} differ but show as the same label (${label}), e.g. 1 and "1"`);
    labels.set(label, i);
    // The label names the folder of the variant's files: other characters (or a long label) fall back to its number.
    const safe = label !== '' && label.length <= 80 && /^[A-Za-z0-9._=,+-]+$/.test(label);
    return { id: `${spec.experiment}@${safe ? label : `config-${i + 1}`}`, label: label || 'defaults', overrides: { ...spec.fixed, ...v } };
  });
}

/** The variant as an experiment: its config's defaults are the sweep's config; its claims carry its label. */
export function variantExperiment(base: Experiment, v: Variant): VariantExperiment {
  const relabel = (c: Claim): Claim => ({ ...c, id: `${c.id}@${v.label}`, experiment: v.id });
  return {
    ...base,
    id: v.id,
    title: `${base.title} [${v.label}]`,
    config: { ...base.config, defaults: (scale) => resolveConfig(base.id, base.config, scale, v.overrides) },
    runSeed: (ctx) => base.runSeed({ ...ctx, rng: seedRng(base.id, ctx.seed) }),
    report: async (results, ctx) => {
      const rep = await base.report(results, ctx);
      return { ...rep, claims: rep.claims.map(relabel) };
    },
    sweep: { base, label: v.label, overrides: v.overrides },
  };
}

/**
 * The variants of a sweep over `base`, each config resolved at `scale` and checked: a bad one is a ConfigError naming
 * the config (`config 2 (gamma=2): e3-risk-mdp: config.gamma must be in (0, 1), got 2`).
 */
export function sweepExperiments(base: Experiment, spec: SweepSpec, scale: Scale): VariantExperiment[] {
  return expandSweep(spec).map((v, i) => {
    const exp = variantExperiment(base, v);
    try {
      exp.config.defaults(scale);
    } catch (err) {
      if (err instanceof ConfigError) throw new ConfigError(`config ${i + 1} (${v.label}): ${err.message}`);
      throw err;
    }
    return exp;
  });
}

/** The registry with the sweep's variants after it (unchecked: each config is checked where it is used). */
export function withSweep(all: Experiment[], spec: SweepSpec | undefined): Experiment[] {
  if (!spec) return all;
  const base = all.find((e) => e.id === spec.experiment);
  if (!base) throw new ConfigError(`sweep: unknown experiment '${spec.experiment}' (known: ${all.map((e) => e.id).join(', ')})`);
  return [...all, ...expandSweep(spec).map((v) => variantExperiment(base, v))];
}

export interface SweepTable {
  experiment: string;
  /** The configs' labels, the table's columns. */
  configs: string[];
  /** One row per claim (its id without the label): the verdict under each config, null where it was not checked. */
  rows: { claim: string; text: string; verdicts: (Verdict | null)[] }[];
}

/** Claim × config: the verdicts of every variant's claims side by side. */
export function sweepTable(experiment: string, variants: { label: string; claims: Claim[] }[]): SweepTable {
  const rows: SweepTable['rows'] = [];
  variants.forEach((v, j) => {
    for (const c of v.claims) {
      const id = c.id.endsWith(`@${v.label}`) ? c.id.slice(0, -v.label.length - 1) : c.id;
      let row = rows.find((r) => r.claim === id);
      if (!row) rows.push((row = { claim: id, text: c.claim, verdicts: variants.map(() => null) }));
      row.verdicts[j] = verdict(c);
    }
  });
  return { experiment, configs: variants.map((v) => v.label), rows };
}

/**
 * Every config of a sweep over `base`, run in this process one after another (notebooks; the command line adds
 * workers, resume and shards): each config's report, and the claim × config table.
 */
export async function runSweep(
  base: Experiment,
  sweep: Partial<Omit<SweepSpec, 'experiment'>>,
  opts: { scale?: Scale; seeds?: number } = {},
): Promise<{ runs: { label: string; config: object; report: Report; results: SeedResult[] }[]; table: SweepTable }> {
  const scale = opts.scale ?? scaleFromEnv();
  const spec = parseSweep({ ...sweep, experiment: base.id }, `sweep of ${base.id}`);
  const runs = [];
  for (const exp of sweepExperiments(base, spec, scale)) {
    const { results, config, ...report } = await runExperiment(exp, { scale, seeds: opts.seeds });
    runs.push({ label: exp.sweep.label, config, report, results });
  }
  const table = sweepTable(
    base.id,
    runs.map((r) => ({ label: r.label, claims: r.report.claims })),
  );
  return { runs, table };
}
