/**
 * Command-line flags and config files for `mnm run`, `mnm merge` and `mnm notebooks`, validated before
 * any work starts: every mistake gets one message naming the flag (or config key) and what is wrong.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Scale, SCALES } from '../experiment';
import { readJson } from '../io';
import { UsageError } from './errors';

export interface Shard {
  index: number;
  count: number;
}

export interface RunOptions {
  experiments: string[];
  scale: Scale;
  /** Seeds per experiment; each experiment's default for the scale when unset. */
  seeds?: number;
  out: string;
  workers: number;
  shard?: Shard;
  /** Recompute every seed, ignoring saved ones. */
  fresh: boolean;
  registry?: string;
  /** A sweep file (lib/sweep.ts): run its experiment under each of its configs. */
  sweep?: string;
  /** Per experiment id, the parameters to change from its defaults (checked against the experiment later). */
  config?: Record<string, Record<string, unknown>>;
}

export interface MergeOptions {
  inputs: string[];
  out: string;
  registry?: string;
}

export interface NotebooksOptions {
  notebooks: string[];
  scale: Scale;
  out: string;
}

/** Worker threads used by default: one per core the process may use. */
export function defaultWorkers(): number {
  return Math.max(1, os.availableParallelism());
}

export const USAGE = [
  'usage: mnm list',
  '       mnm run [EXPERIMENT...] [--scale smoke|quick|paper] [--seeds N] [--out DIR] [--workers N]',
  '               [--shard I/N] [--fresh] [--config FILE.json] [--registry FILE] [--sweep FILE.json]',
  '       mnm merge DIR... --out DIR',
  '       mnm submit [EXPERIMENT...] [run flags] --shards N [--partition P] [--time T] [--cpus-per-task C] [--mem M] [--dry-run]',
  '       mnm notebooks [NOTEBOOK...] [--scale smoke|quick|paper] [--out DIR]',
  '',
  "run:  --scale      smoke (seconds), quick (default), paper (the paper's sizes and seeds)",
  "      --seeds      seeds per experiment (default: the experiment's count for the scale)",
  '      --out        results folder (default results/<scale>)',
  `      --workers    worker threads (default ${defaultWorkers()}: the cores here; 0 runs in this thread)`,
  '      --shard I/N  run only share I of N of the (experiment, seed) units; combine with mnm merge',
  '      --fresh      recompute seeds already saved in the results folder',
  '      --config     a JSON file with any of {experiments, scale, seeds, out, workers, shard, config}; flags win;',
  '                   config: {"<experiment id>": {"<parameter>": value}} changes parameters from their defaults',
  '      --registry   a module exporting EXPERIMENTS (default lib/experiments)',
  '      --sweep      a JSON file {experiment, fixed, grid | list}: that experiment under each config (environment.md)',
].join('\n');

function parseScaleValue(v: unknown, source: string): Scale {
  if (typeof v === 'string' && (SCALES as readonly string[]).includes(v)) return v as Scale;
  throw new UsageError(`${source}: unknown scale ${JSON.stringify(v)} (expected one of ${SCALES.join(', ')})`);
}

function parseCount(v: unknown, source: string, min: number): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n === 'number' && Number.isInteger(n) && n >= min) return n;
  const what = min === 0 ? 'a non-negative integer' : 'a positive integer';
  throw new UsageError(`${source} must be ${what}, got ${JSON.stringify(v)}`);
}

export function parseShard(v: unknown, source = '--shard'): Shard {
  const m = typeof v === 'string' ? /^(\d+)\/(\d+)$/.exec(v.trim()) : null;
  if (!m) throw new UsageError(`${source} must look like I/N (e.g. 2/4), got ${JSON.stringify(v)}`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) throw new UsageError(`${source} ${v}: need 1 <= I <= N`);
  return { index, count };
}

/** Splits argv into positionals and `--flag value` pairs; flags outside `known` are an error. */
function splitArgs(argv: string[], valued: string[], bare: string[]): { positional: string[]; flags: Map<string, string> } {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    let inline: string | undefined;
    const eq = a.indexOf('=');
    if (eq > 0) {
      inline = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    if (bare.includes(a)) {
      if (inline !== undefined) throw new UsageError(`${a} takes no value`);
      flags.set(a, 'true');
    } else if (valued.includes(a)) {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${a} needs a value`);
      if (flags.has(a)) throw new UsageError(`${a} given twice`);
      flags.set(a, v);
    } else {
      throw new UsageError(`unknown option ${a} (expected ${[...valued, ...bare].join(', ')})`);
    }
  }
  return { positional, flags };
}

const CONFIG_KEYS = ['experiments', 'scale', 'seeds', 'out', 'workers', 'shard', 'config'] as const;

/** Reads a run config file: a JSON object with only known keys, each checked like its flag. */
function readConfig(file: string): Partial<Record<(typeof CONFIG_KEYS)[number], unknown>> {
  let cfg: unknown;
  try {
    cfg = readJson(file);
  } catch (err) {
    throw new UsageError(`--config: ${(err as Error).message}`);
  }
  if (cfg === null || typeof cfg !== 'object' || Array.isArray(cfg)) throw new UsageError(`--config ${file}: must be a JSON object`);
  const unknown = Object.keys(cfg).filter((k) => !(CONFIG_KEYS as readonly string[]).includes(k));
  if (unknown.length)
    throw new UsageError(
      `--config ${file}: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (expected ${CONFIG_KEYS.join(', ')})`,
    );
  const c = cfg as Record<string, unknown>;
  if (c.experiments !== undefined && !(Array.isArray(c.experiments) && c.experiments.every((e) => typeof e === 'string'))) {
    throw new UsageError(`--config ${file}: 'experiments' must be an array of experiment ids`);
  }
  if (c.out !== undefined && (typeof c.out !== 'string' || c.out === ''))
    throw new UsageError(`--config ${file}: 'out' must be a folder path`);
  if (c.config !== undefined) {
    const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
    const bad = isObject(c.config) ? Object.entries(c.config as object).find(([, v]) => !isObject(v)) : ['', c.config];
    if (bad) {
      throw new UsageError(
        `--config ${file}: 'config' must map experiment ids to objects of parameters` +
          (bad[0] ? `; '${bad[0]}' is ${JSON.stringify(bad[1])}` : ''),
      );
    }
  }
  return c;
}

export function parseRunArgs(argv: string[]): RunOptions {
  const { positional, flags } = splitArgs(
    argv,
    ['--scale', '--seeds', '--out', '--workers', '--shard', '--config', '--registry', '--sweep'],
    ['--fresh'],
  );
  const cfgFile = flags.get('--config');
  const cfg = cfgFile ? readConfig(cfgFile) : {};
  const src = (flag: string, key: string) => (flags.has(flag) ? flag : `--config ${cfgFile} '${key}'`);
  const pick = (flag: string, key: keyof typeof cfg) => (flags.has(flag) ? flags.get(flag) : cfg[key]);

  const scaleV = pick('--scale', 'scale');
  const scale = scaleV === undefined ? 'quick' : parseScaleValue(scaleV, src('--scale', 'scale'));
  const seedsV = pick('--seeds', 'seeds');
  const workersV = pick('--workers', 'workers');
  const shardV = pick('--shard', 'shard');
  const outV = pick('--out', 'out') as string | undefined;
  return {
    experiments: positional.length ? positional : ((cfg.experiments as string[] | undefined) ?? []),
    scale,
    seeds: seedsV === undefined ? undefined : parseCount(seedsV, src('--seeds', 'seeds'), 1),
    out: outV ?? path.join('results', scale),
    workers: workersV === undefined ? defaultWorkers() : parseCount(workersV, src('--workers', 'workers'), 0),
    shard: shardV === undefined ? undefined : parseShard(shardV, src('--shard', 'shard')),
    fresh: flags.has('--fresh'),
    registry: flags.get('--registry'),
    ...(flags.has('--sweep') && { sweep: flags.get('--sweep') }),
    ...(cfg.config === undefined ? {} : { config: cfg.config as RunOptions['config'] }),
  };
}

export function parseMergeArgs(argv: string[]): MergeOptions {
  const { positional, flags } = splitArgs(argv, ['--out', '--registry'], []);
  const out = flags.get('--out');
  if (!out) throw new UsageError('merge needs --out DIR (the folder to write the combined results to)');
  if (positional.length === 0) throw new UsageError('merge needs at least one results folder to read');
  for (const dir of positional) {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UsageError(`merge: no such results folder ${dir}`);
  }
  return { inputs: positional, out, registry: flags.get('--registry') };
}

export function parseNotebooksArgs(argv: string[]): NotebooksOptions {
  const { positional, flags } = splitArgs(argv, ['--scale', '--out'], []);
  const scale = flags.has('--scale') ? parseScaleValue(flags.get('--scale'), '--scale') : 'quick';
  for (const nb of positional) {
    if (!nb.endsWith('.ipynb') || !fs.existsSync(nb)) throw new UsageError(`notebooks: no such notebook ${nb}`);
  }
  return { notebooks: positional, scale, out: flags.get('--out') ?? path.join('results', scale) };
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdirSync never returns for a path under a read-only
 * pseudo file system such as /proc (it loops), where a plain mkdir fails at once with a clear code.
 */
function mkdirParents(abs: string): void {
  const parent = path.dirname(abs);
  if (parent !== abs && !fs.existsSync(parent)) mkdirParents(parent);
  try {
    fs.mkdirSync(abs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/** Creates the folder if needed and proves we can write there (a probe file), before any work starts. */
export function ensureWritableDir(dir: string, flag = '--out'): string {
  const abs = path.resolve(dir);
  try {
    mkdirParents(abs);
    const probe = path.join(abs, `.write-probe-${process.pid}`);
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`${flag} ${dir}: cannot write there (${e.code ?? e.message})`);
  }
  return abs;
}
