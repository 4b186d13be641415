/**
 * The finished (experiment, seed) units of a results folder: one JSON file each under
 * `DIR/seeds/<scale>/<experiment>/seed-<k>.json`, written atomically the moment the seed finishes.
 * They are what makes a run resumable after Ctrl-C, and what `mnm merge` combines.
 *
 * Each file records the fingerprint of the code and data that computed it (lib/fingerprint) and the
 * experiment's config; a saved seed whose fingerprint or config differs from the current run's is
 * recomputed, never reused. It also ends with a checksum of its own content, so that a seed edited by
 * hand is never taken for a computed one.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Scale, SeedResult, Tables } from './experiment';
import { fingerprint, PROJECT_ROOT } from './fingerprint';
import { readJson, writeJsonAtomic } from './io';

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

/** A saved seed file: the record and, last, a checksum of the record's JSON (an edit by hand shows). */
type SavedSeed = SeedRecord & { checksum?: string };

/** Why a saved seed cannot be used: `edited` (checksum mismatch or none), `unreadable` (not JSON, wrong shape). */
export class BadSeedFile extends Error {
  override name = 'BadSeedFile';
  constructor(
    readonly file: string,
    readonly kind: 'edited' | 'unreadable',
    reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

export function seedChecksum(rec: SeedRecord): string {
  return createHash('sha256').update(JSON.stringify(rec)).digest('hex');
}

export function seedFile(dir: string, scale: Scale, unit: WorkUnit): string {
  return path.join(dir, 'seeds', scale, unit.experiment, `seed-${String(unit.seed).padStart(4, '0')}.json`);
}

/** Saves atomically; a failed write throws io's WriteError. */
export function saveSeed(dir: string, rec: SeedRecord): void {
  const { checksum: _old, ...clean } = rec as SavedSeed;
  writeJsonAtomic(seedFile(dir, rec.scale, rec), { ...clean, checksum: seedChecksum(clean) });
}

/**
 * The one reader of saved seeds: parses the file, checks its shape and its checksum, and throws BadSeedFile
 * naming the file otherwise. `unit` (when given) must match what the file holds.
 */
export function readSeedFile(file: string, expect?: WorkUnit & { scale: Scale }): SeedRecord {
  let saved: SavedSeed;
  try {
    saved = readJson<SavedSeed>(file);
  } catch (err) {
    throw new BadSeedFile(file, 'unreadable', (err as Error).message.split(file).join('it'));
  }
  const ok =
    saved !== null &&
    typeof saved === 'object' &&
    typeof saved.experiment === 'string' &&
    Number.isSafeInteger(saved.seed) &&
    typeof saved.scale === 'string' &&
    typeof saved.fingerprint === 'string' &&
    typeof saved.result?.tables === 'object' &&
    saved.result.tables !== null;
  if (!ok) throw new BadSeedFile(file, 'unreadable', 'not a saved seed (fields experiment, seed, scale, fingerprint, result.tables)');
  if (expect && (saved.experiment !== expect.experiment || saved.seed !== expect.seed || saved.scale !== expect.scale)) {
    throw new BadSeedFile(file, 'unreadable', `not the saved result of ${expect.experiment} seed ${expect.seed} at scale ${expect.scale}`);
  }
  const { checksum, ...rec } = saved;
  if (checksum === undefined) throw new BadSeedFile(file, 'edited', 'it has no checksum (saved by an older mnm), so it cannot be trusted');
  if (checksum !== seedChecksum(rec))
    throw new BadSeedFile(file, 'edited', 'its content does not match its checksum (edited after it was saved)');
  const problem = checkSeedResult(rec.result);
  if (problem) throw new BadSeedFile(file, 'unreadable', problem);
  return rec;
}

/** The saved seed of a unit, or null when there is none; a bad file throws BadSeedFile. */
export function loadSeed(dir: string, scale: Scale, unit: WorkUnit): SeedRecord | null {
  const file = seedFile(dir, scale, unit);
  if (!fs.existsSync(file)) return null;
  return readSeedFile(file, { ...unit, scale });
}

const SEED_NAME = /^seed-(\d+)\.json$/;

/**
 * Every saved seed in a results folder (all scales), in a stable order, and the seed files that cannot be
 * used (named, with why). Anything that is not a seed file (notes, temporary files, stray folders) is ignored.
 */
export function listSeeds(dir: string): { records: SeedRecord[]; bad: BadSeedFile[] } {
  const root = path.join(dir, 'seeds');
  const records: SeedRecord[] = [];
  const bad: BadSeedFile[] = [];
  const subdirs = (d: string) => {
    try {
      return fs
        .readdirSync(d, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort();
    } catch {
      return [];
    }
  };
  for (const scale of subdirs(root)) {
    for (const exp of subdirs(path.join(root, scale))) {
      const folder = path.join(root, scale, exp);
      for (const e of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const m = SEED_NAME.exec(e.name);
        if (m && e.isSymbolicLink()) {
          // Named, not skipped: a seed that is a link is not a result this folder saved (merge would say it holds none).
          bad.push(
            new BadSeedFile(path.join(folder, e.name), 'unreadable', 'is a symbolic link, not a saved seed file (copy the file itself)'),
          );
          continue;
        }
        if (!m || !e.isFile()) continue;
        try {
          records.push(readSeedFile(path.join(folder, e.name), { experiment: exp, seed: Number(m[1]), scale: scale as Scale }));
        } catch (err) {
          if (!(err instanceof BadSeedFile)) throw err;
          bad.push(err);
        }
      }
    }
  }
  return { records, bad };
}

type CellType = 'number' | 'string' | 'boolean';
/** Per table, per column, the type of its cells: what the first rows seen declared. */
export type TableColumns = Map<string, Map<string, CellType | 'null'>>;

/**
 * Checks that a seed's result is tables of plain JSON rows as the contract asks, column by column: every cell
 * a finite number, a string, a boolean or null (a NaN or Infinity would turn into null when saved, so a
 * resumed run would differ from a fresh one); every row of a table with the columns of the table's first row;
 * each column of one type (null may stand in any). `columns` carries what the seeds checked before it held,
 * so a table is also checked against the same table of other seeds. Returns the problem, naming the table,
 * row and column, or null.
 */
export function checkSeedResult(result: unknown, columns: TableColumns = new Map()): string | null {
  if (result === null || typeof result !== 'object' || !('tables' in result) || typeof result.tables !== 'object' || !result.tables) {
    return 'runSeed must return {tables: {name: rows[]}}';
  }
  for (const [name, rows] of Object.entries(result.tables)) {
    if (!Array.isArray(rows)) return `table '${name}' is not an array of rows`;
    const known = columns.get(name);
    const cols = known ?? new Map<string, CellType | 'null'>();
    for (let i = 0; i < rows.length; i++) {
      const row: unknown = rows[i];
      if (row === null || typeof row !== 'object' || Array.isArray(row)) return `table '${name}' row ${i} is not an object of cells`;
      const cells = Object.entries(row);
      for (const [col, v] of cells) {
        const ok = v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
        if (!ok)
          return `table '${name}' row ${i} column '${col}' is ${typeof v === 'number' ? String(v) : typeof v} (rows hold finite numbers, strings, booleans or null)`;
        const type = v === null ? 'null' : typeof v === 'number' ? 'number' : typeof v === 'string' ? 'string' : 'boolean';
        const want = cols.get(col);
        const first = i === 0 && !known;
        if (want === undefined && !first)
          return `table '${name}' row ${i} has a column '${col}' that ${known ? 'the table has not in other seeds' : 'its first row has not'}`;
        if (want === undefined || want === 'null') cols.set(col, type);
        else if (type !== 'null' && type !== want)
          return `table '${name}' row ${i} column '${col}' is a ${type}, where the column holds ${want}s`;
      }
      if (cells.length !== cols.size) {
        const missing = [...cols.keys()].filter((c) => !Object.hasOwn(row, c));
        return `table '${name}' row ${i} has no column '${missing[0]}'`;
      }
    }
    if (rows.length > 0) columns.set(name, cols);
  }
  return null;
}

/**
 * The JSON boundary: the saved results of one experiment (every seed of a run, a merge or a reference), checked
 * column by column across all its seeds (checkSeedResult), as that experiment's typed results. That the columns
 * are the ones its code declares is vouched for by the fingerprint each seed records (the same code computed
 * them); the check catches a seed file that is damaged or was edited, naming the file, table, row and column.
 */
export function typedResults<T extends Tables>(records: SeedRecord[], dir?: string): SeedResult<T>[] {
  const columns: TableColumns = new Map();
  return records.map((rec) => {
    const problem = checkSeedResult(rec.result, columns);
    if (problem) {
      const where = dir ? seedFile(dir, rec.scale, rec) : `${rec.experiment} seed ${rec.seed}`;
      throw new BadSeedFile(where, 'unreadable', problem);
    }
    // Checked above, table by table, row by row and column by column.
    return rec.result as SeedResult<T>;
  });
}

// Code that cannot change a seed's numbers: the front door, the report and plotting, benchmarks.
const NOT_SEED_CODE = ['cli', 'report', 'plot', 'bench'].map((d) => path.join(PROJECT_ROOT, 'lib', d) + path.sep);

/**
 * The module whose closure computes an experiment's seeds: for an experiment folder (lib/experiments/eN-name/),
 * its run.ts, so that editing the report, a caption or a claim's wording (report.ts) or the experiment's title
 * (index.ts) keeps its saved seeds; otherwise the module that exports the experiment.
 */
export function seedCodeEntry(moduleFile: string): string {
  const run = path.join(path.dirname(moduleFile), 'run.ts');
  return path.basename(moduleFile) === 'index.ts' && fs.existsSync(run) ? run : moduleFile;
}

/**
 * A fingerprint per experiment of what computes its seeds (lib/fingerprint): its seed code (seedCodeEntry),
 * every project module that imports outside NOT_SEED_CODE, and the data files that code names.
 * Fixing one experiment, or editing one map, then recomputes only the seeds that depend on it.
 * The deep backend is part of it (suffix `+engine`; none for TensorFlow.js): seeds computed on the engine are
 * other numbers, so the two never stand in for each other. Call it after loadRegistry(registryFile).
 */
export function codeFingerprints(
  registryFile: string,
  experiments: { id: string }[],
  /** The deep backend the seeds are computed on (`deepBackend()` in lib/deep, which this layer may not import). */
  backend: string,
): Map<string, string> {
  const reg = require.cache[path.resolve(registryFile)];
  if (!reg) throw new Error(`codeFingerprints: ${registryFile} has not been loaded`);
  const exportsOf = (m: NodeJS.Module) => Object.values((m.exports ?? {}) as Record<string, unknown>);
  const skip = (f: string) => NOT_SEED_CODE.some((d) => f.startsWith(d));
  const out = new Map<string, string>();
  // One hash per module: the variants of a sweep share their base's, which is computed once, not once per config.
  const byModule = new Map<unknown, string>();
  for (const exp of experiments) {
    // The registry's direct imports are the experiment modules; an experiment defined in the registry itself hashes it all.
    // A sweep's variant is computed by the code of the experiment it varies.
    const code = (exp as { sweep?: { base: unknown } }).sweep?.base ?? exp;
    let hash = byModule.get(code);
    if (hash === undefined) {
      const home = reg.children.find((m) => exportsOf(m).includes(code)) ?? reg;
      byModule.set(code, (hash = fingerprint(seedCodeEntry(home.filename), skip).hash));
    }
    out.set(exp.id, backend === 'tfjs' ? hash : `${hash}+${backend}`);
  }
  return out;
}
