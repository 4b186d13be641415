/**
 * Command-line flags and config files for `mnm run`, `mnm merge` and `mnm notebooks`, validated before
 * any work starts: every mistake gets one message naming the flag (or config key) and what is wrong.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkDeepBackend, DEFAULT_DEEP_BACKEND, type DeepBackend } from '../deep/deep-backend';
import { type Scale, SCALES } from '../experiment';
import { readJson } from '../io';
import { COMMIT_SCALE } from '../notebook/freshness';
import { showKey, showText, showValue } from '../show';
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
  /** Which implementation runs SAC's updates (lib/deep/backend deepBackend); unset: $MNM_DEEP_BACKEND, else the default. */
  backend?: DeepBackend;
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
  /** Execute at the committed scale and write the slimmed, executed notebooks back into notebooks/. */
  commit: boolean;
}

/** Seeds per experiment at most: every (experiment, seed) unit is planned, saved and reported one by one. */
export const MAX_SEEDS = 10_000;

/** Worker threads used by default: one per core the process may use. */
export function defaultWorkers(): number {
  return Math.max(1, os.availableParallelism());
}

const RUN_USAGE = [
  'usage: mnm run [EXPERIMENT...] [--scale smoke|quick|paper] [--seeds N] [--out DIR] [--workers N]',
  '               [--shard I/N] [--fresh] [--config FILE.json] [--registry FILE] [--backend tfjs|engine]',
  "  --scale      smoke (seconds), quick (default), paper (the paper's sizes and seeds)",
  `  --seeds      seeds per experiment, at most ${MAX_SEEDS} (default: the experiment's count for the scale)`,
  '  --out        results folder (default results/<scale>); one run at a time writes to it (a lock file)',
  `  --workers    worker threads (default ${defaultWorkers()}: the cores here; 0 runs in this thread; at most one per seed)`,
  '  --shard I/N  run only share I of N of the (experiment, seed) units; combine with mnm merge',
  '  --fresh      recompute seeds already saved in the results folder',
  '  --config     a JSON file with any of {experiments, scale, seeds, out, workers, shard, config}; flags win;',
  '               config: {"<experiment id>": {"<parameter>": value}} changes parameters from their defaults',
  '  --registry   a module exporting EXPERIMENTS (default lib/experiments)',
  `  --backend    what runs the SAC updates: tfjs (TensorFlow.js, the reference) or engine (WebAssembly);`,
  `               default $MNM_DEEP_BACKEND, else ${DEFAULT_DEEP_BACKEND}`,
].join('\n');
const MERGE_USAGE = [
  'usage: mnm merge DIR... --out DIR [--registry FILE]',
  '  combines the saved seeds of results folders (shards) and recomputes every report and claim from them',
].join('\n');
const NOTEBOOKS_USAGE = [
  'usage: mnm notebooks [NOTEBOOK...] [--scale smoke|quick|paper] [--out DIR]',
  '       mnm notebooks [NOTEBOOK...] --commit',
  '  executes the notebooks (all when none is named) and exports them to HTML in DIR/notebooks',
  '  --scale      as for run; default $MNM_SCALE, else quick',
  '  --commit     execute at quick scale and write them back into notebooks/ with their outputs (slimmed,',
  '               each under 1 MB), as committed; the test suite checks that these outputs are current',
].join('\n');
const LIST_USAGE = ['usage: mnm list [--registry FILE]', '  the experiments, what each reproduces, their seeds per scale'].join('\n');

/** Usage of one command (`mnm COMMAND --help`). */
export const COMMAND_USAGE: Record<string, string> = { run: RUN_USAGE, merge: MERGE_USAGE, notebooks: NOTEBOOKS_USAGE, list: LIST_USAGE };

export const USAGE = [
  'usage: mnm list',
  '       mnm run [EXPERIMENT...] [--scale smoke|quick|paper] [--seeds N] [--out DIR] [--workers N]',
  '               [--shard I/N] [--fresh] [--config FILE.json] [--registry FILE] [--sweep FILE.json] [--backend tfjs|engine]',
  '       mnm merge DIR... --out DIR',
  '       mnm submit [EXPERIMENT...] [run flags] --shards N [--partition P] [--time T] [--cpus-per-task C] [--mem M] [--dry-run]',
  '       mnm notebooks [NOTEBOOK...] [--scale smoke|quick|paper] [--out DIR] | --commit',
  '       mnm reference list|check NAME|save --from DIR --wall SECONDS    (committed reference results)',
  '       mnm COMMAND --help    (the options of one command)',
  '',
  'run:',
  ...RUN_USAGE.split('\n').slice(2),
].join('\n');

function parseBackend(v: string): DeepBackend {
  try {
    return checkDeepBackend(v, '--backend');
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function parseScaleValue(v: unknown, source: string): Scale {
  if (typeof v === 'string' && (SCALES as readonly string[]).includes(v)) return v as Scale;
  throw new UsageError(`${source}: unknown scale ${showValue(v)} (expected one of ${SCALES.join(', ')})`);
}

/** A count written in decimal digits (no 1e3, 0x10 or 1.0), between min and max. */
function parseCount(v: unknown, source: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = typeof v === 'string' ? (/^\s*\d+\s*$/.test(v) ? Number(v) : NaN) : v;
  if (typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max) return n;
  const what = min === 0 ? 'a non-negative integer' : 'a positive integer';
  const tooBig = typeof n === 'number' && Number.isInteger(n) && n > max;
  const limit = max < Number.MAX_SAFE_INTEGER || tooBig ? ` of at most ${max}` : '';
  throw new UsageError(`${source} must be ${what}${limit}, got ${showValue(v)}`);
}

export function parseShard(v: unknown, source = '--shard'): Shard {
  const m = typeof v === 'string' ? /^(\d+)\/(\d+)$/.exec(v.trim()) : null;
  if (!m) throw new UsageError(`${source} must look like I/N (e.g. 2/4), got ${showValue(v)}`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!Number.isSafeInteger(count)) throw new UsageError(`${source} ${v}: N is too large`);
  if (count < 1 || index < 1 || index > count) throw new UsageError(`${source} ${v}: need 1 <= I <= N`);
  return { index, count };
}

/** Splits argv into positionals and `--flag value` pairs; flags outside `known` are an error. */
export function splitArgs(argv: string[], valued: string[], bare: string[]): { positional: string[]; flags: Map<string, string> } {
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
      if (v.trim() === '') throw new UsageError(`${a} needs a value, got an empty one`);
      if (flags.has(a)) throw new UsageError(`${a} given twice`);
      flags.set(a, v);
    } else {
      throw new UsageError(`unknown option ${showKey(a)} (expected ${[...valued, ...bare].join(', ')})`);
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
      `--config ${file}: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map(showKey).join(', ')} (expected ${CONFIG_KEYS.join(', ')})`,
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
          (bad[0] ? `; ${showText(String(bad[0]))} is ${showValue(bad[1])}` : ''),
      );
    }
  }
  return c;
}

export function parseRunArgs(argv: string[]): RunOptions {
  const { positional, flags } = splitArgs(
    argv,
    ['--scale', '--seeds', '--out', '--workers', '--shard', '--config', '--registry', '--sweep', '--backend'],
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
    seeds: seedsV === undefined ? undefined : parseCount(seedsV, src('--seeds', 'seeds'), 1, MAX_SEEDS),
    out: outV ?? path.join('results', scale),
    workers: workersV === undefined ? defaultWorkers() : parseCount(workersV, src('--workers', 'workers'), 0),
    shard: shardV === undefined ? undefined : parseShard(shardV, src('--shard', 'shard')),
    fresh: flags.has('--fresh'),
    registry: flags.get('--registry'),
    ...(flags.has('--sweep') && { sweep: flags.get('--sweep') }),
    ...(flags.has('--backend') && { backend: parseBackend(flags.get('--backend') as string) }),
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
  const { positional, flags } = splitArgs(argv, ['--scale', '--out'], ['--commit']);
  const commit = flags.has('--commit');
  if (commit && (flags.has('--scale') || flags.has('--out')))
    throw new UsageError(`notebooks --commit executes at ${COMMIT_SCALE} scale into notebooks/: drop --scale and --out`);
  if (commit) return { notebooks: positional.map(checkNotebookPath), scale: COMMIT_SCALE, out: 'notebooks', commit };
  // The notebooks read $MNM_SCALE themselves: without --scale, the command honours it too (and refuses a bad one).
  const env = process.env.MNM_SCALE;
  const scale = flags.has('--scale')
    ? parseScaleValue(flags.get('--scale'), '--scale')
    : env !== undefined && env !== ''
      ? parseScaleValue(env, 'MNM_SCALE')
      : 'quick';
  return { notebooks: positional.map(checkNotebookPath), scale, out: flags.get('--out') ?? path.join('results', scale), commit };
}

function checkNotebookPath(nb: string): string {
  if (!nb.endsWith('.ipynb') || !fs.existsSync(nb)) throw new UsageError(`notebooks: no such notebook ${nb}`);
  return nb;
}
