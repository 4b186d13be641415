/**
 * The finished (experiment, seed) units of a results folder: one JSON file each under
 * `DIR/seeds/<scale>/<experiment>/seed-<k>.json`, written atomically the moment the seed finishes.
 * They are what makes a run resumable after Ctrl-C, and what `mnm merge` combines.
 *
 * Each file records a fingerprint of the library code that computed it and the experiment's config; a
 * saved seed whose fingerprint or config differs from the current run's is recomputed, never reused.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Cell, Scale, SeedResult } from '../experiment';
import { readJson, writeJsonAtomic } from '../io';

export interface WorkUnit {
  experiment: string;
  seed: number;
}

export interface SeedRecord extends WorkUnit {
  scale: Scale;
  fingerprint: string;
  /** The experiment's complete config the seed was computed with (absent in seeds saved before configs existed). */
  config?: unknown;
  seconds: number;
  result: SeedResult;
}

export function seedFile(dir: string, scale: Scale, unit: WorkUnit): string {
  return path.join(dir, 'seeds', scale, unit.experiment, `seed-${String(unit.seed).padStart(4, '0')}.json`);
}

export function saveSeed(dir: string, rec: SeedRecord): void {
  writeJsonAtomic(seedFile(dir, rec.scale, rec), rec);
}

export function loadSeed(dir: string, scale: Scale, unit: WorkUnit): SeedRecord | null {
  const file = seedFile(dir, scale, unit);
  if (!fs.existsSync(file)) return null;
  const rec = readJson<SeedRecord>(file);
  if (rec.experiment !== unit.experiment || rec.seed !== unit.seed || rec.scale !== scale || !rec.result?.tables) {
    throw new Error(`${file}: not the saved result of ${unit.experiment} seed ${unit.seed} at scale ${scale}`);
  }
  return rec;
}

/** Every saved seed in a results folder (all scales), in a stable order. */
export function listSeeds(dir: string): SeedRecord[] {
  const root = path.join(dir, 'seeds');
  if (!fs.existsSync(root)) return [];
  const out: SeedRecord[] = [];
  for (const scale of fs.readdirSync(root).sort()) {
    for (const exp of fs.readdirSync(path.join(root, scale)).sort()) {
      for (const f of fs.readdirSync(path.join(root, scale, exp)).sort()) {
        if (/^seed-\d+\.json$/.test(f)) out.push(readJson<SeedRecord>(path.join(root, scale, exp, f)));
      }
    }
  }
  return out;
}

/**
 * Checks that a seed's result is plain JSON data as the contract asks: a NaN or Infinity would turn
 * into null when saved, so a resumed run would differ from a fresh one. Returns the problem or null.
 */
export function checkSeedResult(result: unknown): string | null {
  if (result === null || typeof result !== 'object' || typeof (result as SeedResult).tables !== 'object') {
    return 'runSeed must return {tables: {name: rows[]}}';
  }
  for (const [name, rows] of Object.entries((result as SeedResult).tables)) {
    if (!Array.isArray(rows)) return `table '${name}' is not an array of rows`;
    for (let i = 0; i < rows.length; i++) {
      for (const [col, v] of Object.entries(rows[i] as Record<string, Cell>)) {
        const ok = v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
        if (!ok)
          return `table '${name}' row ${i} column '${col}' is ${typeof v === 'number' ? String(v) : typeof v} (rows hold finite numbers, strings, booleans or null)`;
      }
    }
  }
  return null;
}

// Code that cannot change a seed's numbers: the front door, the report and plotting, benchmarks.
const NOT_SEED_CODE = ['cli', 'report', 'plot', 'bench'];
const LIB = path.resolve(__dirname, '..');

function isSeedCode(file: string): boolean {
  if (!file.endsWith('.ts') || file.split(path.sep).includes('node_modules')) return false;
  return !(file.startsWith(LIB + path.sep) && NOT_SEED_CODE.includes(path.relative(LIB, file).split(path.sep)[0]));
}

/** The module and every project module it loads, directly or not (npm packages left out). */
function moduleClosure(root: NodeJS.Module): string[] {
  const seen = new Set<string>();
  const stack = [root];
  while (stack.length) {
    const m = stack.pop()!;
    if (seen.has(m.filename)) continue;
    seen.add(m.filename);
    stack.push(...m.children);
  }
  return [...seen].filter(isSeedCode).sort();
}

/**
 * A fingerprint per experiment of the code that computes its seeds: a hash of the module that exports it and
 * every project module that module loads (outside NOT_SEED_CODE), read from require's module graph. Fixing
 * one experiment then recomputes only that experiment's saved seeds. Call it after loadRegistry(registryFile).
 */
export function codeFingerprints(registryFile: string, experiments: { id: string }[]): Map<string, string> {
  const reg = require.cache[path.resolve(registryFile)];
  if (!reg) throw new Error(`codeFingerprints: ${registryFile} has not been loaded`);
  const exportsOf = (m: NodeJS.Module) => Object.values((m.exports ?? {}) as Record<string, unknown>);
  const out = new Map<string, string>();
  for (const exp of experiments) {
    // The registry's direct imports are the experiment modules; an experiment defined in the registry itself hashes it all.
    // A sweep's variant is computed by the code of the experiment it varies.
    const code = (exp as { sweep?: { base: unknown } }).sweep?.base ?? exp;
    const home = reg.children.find((m) => exportsOf(m).includes(code)) ?? reg;
    const h = createHash('sha256');
    for (const f of moduleClosure(home)) h.update(path.relative(LIB, f)).update('\0').update(fs.readFileSync(f)).update('\0');
    out.set(exp.id, h.digest('hex').slice(0, 16));
  }
  return out;
}
