/**
 * Where the command line finds its experiments: the project's registry (lib/experiments) or, with
 * `--registry FILE`, any module exporting `EXPERIMENTS: Experiment[]` (your own experiments, test fixtures).
 * Worker threads load the same module by path, so both ends see the same experiments.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Experiment } from '../experiment';
import { showText } from '../show';
import { UsageError } from './errors';

export const DEFAULT_REGISTRY = path.resolve(__dirname, '..', 'experiments', 'index.ts');

/** Loads and checks a registry module; every problem is named with the module it came from. */
export function loadRegistry(file: string = DEFAULT_REGISTRY): Experiment[] {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isFile()) throw new UsageError(`--registry: no such file ${file}`);
  let mod: { EXPERIMENTS?: unknown };
  try {
    mod = require(abs) as { EXPERIMENTS?: unknown };
  } catch (err) {
    throw new UsageError(`--registry ${file}: the module does not load: ${loadFailure(err)}`);
  }
  const list = mod?.EXPERIMENTS;
  if (!Array.isArray(list)) throw new UsageError(`--registry ${file} does not export an EXPERIMENTS array`);
  const seen = new Set<string>();
  for (const [i, e] of (list as Partial<Experiment>[]).entries()) {
    const where = `${path.relative(process.cwd(), abs)}: EXPERIMENTS[${i}]${e?.id ? ` ('${e.id}')` : ''}`;
    if (e === null || typeof e !== 'object') throw new UsageError(`${where} is ${e} (an import that does not export that name?)`);
    if (typeof e?.id !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(e.id)) {
      throw new UsageError(`${where}: id must be letters, digits, '.', '_' or '-'`);
    }
    if (seen.has(e.id)) throw new UsageError(`${where}: id registered twice`);
    seen.add(e.id);
    if (typeof e.runSeed !== 'function' || typeof e.report !== 'function') throw new UsageError(`${where}: needs runSeed() and report()`);
    if (typeof e.config?.defaults !== 'function')
      throw new UsageError(`${where}: needs config.defaults(scale) (NO_CONFIG when it has no parameters)`);
    for (const s of ['smoke', 'quick', 'paper'] as const) {
      const n = e.seeds?.[s];
      if (!(Number.isInteger(n) && (n as number) > 0)) throw new UsageError(`${where}: seeds.${s} must be a positive integer, got ${n}`);
    }
  }
  return list as Experiment[];
}

/** One line saying why a module did not load, and where (the first project file in its stack). */
function loadFailure(err: unknown): string {
  const e = err as Error;
  const lines = String(e?.message ?? err)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  // esbuild's "Transform failed with 1 error:" says what failed on the next line.
  const first = (lines[0]?.endsWith(':') && lines[1] ? `${lines[0]} ${lines[1]}` : lines[0]) ?? String(err);
  const frame = (e?.stack ?? '')
    .split('\n')
    .map((l) => /^at (?:.*\()?(\/[^():]+):(\d+)(?::\d+)?\)?$/.exec(l.trim()))
    .find((m) => m && !m[1].includes('node_modules') && !m[1].startsWith(__dirname + path.sep));
  const where = frame && !first.includes(frame[1]) ? ` (at ${path.relative(process.cwd(), frame[1])}:${frame[2]})` : '';
  return `${e?.name && e.name !== 'Error' ? `${e.name}: ` : ''}${first}${where}`;
}

export function pickExperiments(all: Experiment[], ids: string[]): Experiment[] {
  if (ids.length === 0) return all;
  const unknown = ids.filter((id) => !all.some((e) => e.id === id));
  if (unknown.length) {
    throw new UsageError(
      `unknown experiment${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => showText(u)).join(', ')} ` +
        `(known: ${all.map((e) => e.id).join(', ') || 'none yet'}; see 'mnm list')`,
    );
  }
  // Registry order, each once: the report reads the same whatever order they were named in.
  return all.filter((e) => ids.includes(e.id));
}
