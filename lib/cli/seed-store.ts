/**
 * The finished (experiment, seed) units of a results folder: one JSON file each under
 * `DIR/seeds/<scale>/<experiment>/seed-<k>.json`, written atomically the moment the seed finishes.
 * They are what makes a run resumable after Ctrl-C, and what `mnm merge` combines.
 *
 * Each file records a fingerprint of the library code that computed it; a saved seed whose
 * fingerprint differs from the current code is recomputed rather than silently reused.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Cell, Scale, SeedResult } from '../experiment';
import { readJson, writeJsonAtomic } from '../io';

export interface WorkUnit { experiment: string; seed: number }

export interface SeedRecord extends WorkUnit {
  scale: Scale;
  fingerprint: string;
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
        if (!ok) return `table '${name}' row ${i} column '${col}' is ${typeof v === 'number' ? String(v) : typeof v} (rows hold finite numbers, strings, booleans or null)`;
      }
    }
  }
  return null;
}

// Code that cannot change a seed's numbers: the front door, the report and plotting, benchmarks.
const NOT_SEED_CODE = ['cli', 'report', 'plot', 'bench'];

/**
 * A hash of the code that computes seeds: the registry module and every file of lib/ it loaded
 * (minus NOT_SEED_CODE), read from require's module cache. Call it after loadRegistry(registryFile).
 */
export function codeFingerprint(registryFile: string): string {
  const lib = path.resolve(__dirname, '..');
  const reg = path.resolve(registryFile);
  const files = Object.keys(require.cache).filter((f) => {
    if (f === reg) return true;
    if (!f.startsWith(lib + path.sep) || !f.endsWith('.ts')) return false;
    return !NOT_SEED_CODE.includes(path.relative(lib, f).split(path.sep)[0]);
  });
  if (!files.includes(reg)) throw new Error(`codeFingerprint: ${registryFile} has not been loaded`);
  const h = createHash('sha256');
  for (const f of files.sort()) h.update(path.relative(lib, f)).update('\0').update(fs.readFileSync(f)).update('\0');
  return h.digest('hex').slice(0, 16);
}
