/**
 * The contract every experiment follows. One experiment = one module in lib/experiments/, driven from
 * both its notebook and the command line:
 *
 *   runSeed(ctx) → SeedResult      plain JSON rows for one seed (sent between worker threads, saved for resume)
 *   report(results, scale) → Report  tidy Polars tables, Vega-Lite figures and checked claims over all seeds
 */
import pl from 'nodejs-polars';
import type { TopLevelSpec } from 'vega-lite';
import { Rng } from './rng';

export type Scale = 'smoke' | 'quick' | 'paper';
export const SCALES: readonly Scale[] = ['smoke', 'quick', 'paper'];

/** `smoke`: seconds (unit tests); `quick`: the default run and notebooks; `paper`: full sizes and seeds. */
export function parseScale(value: string, source = 'scale'): Scale {
  if ((SCALES as readonly string[]).includes(value)) return value as Scale;
  throw new Error(`${source}: unknown scale '${value}' (expected one of ${SCALES.join(', ')})`);
}

/** The scale notebooks run at: $MNM_SCALE, `quick` when unset (the test suite sets `smoke`). */
export function scaleFromEnv(): Scale {
  const v = process.env.MNM_SCALE;
  return v === undefined || v === '' ? 'quick' : parseScale(v, 'MNM_SCALE');
}

export type Cell = number | string | boolean | null;
export type Row = Record<string, Cell>;
export type VegaLiteSpec = TopLevelSpec;

/** What one seed produces: named tables of plain rows. Must be JSON-serialisable. */
export interface SeedResult {
  tables: Record<string, Row[]>;
}

export interface Claim {
  /** Stable id, e.g. `E3.mnm-reward-side`. */
  id: string;
  /** Experiment id, e.g. `e3-risk-mdp`. */
  experiment: string;
  /** What is checked here, one sentence. */
  claim: string;
  /** The paper's statement or figure it comes from. */
  paper: string;
  holds: boolean;
  /** The measured numbers behind the verdict (mean ± std over seeds where random). */
  measured: string;
}

export interface Report {
  /** Tidy data, one row per observation. */
  tables: Record<string, pl.DataFrame>;
  /** Figures as Vega-Lite specs with their data inlined. */
  figures: Record<string, VegaLiteSpec>;
  claims: Claim[];
}

export interface SeedContext {
  scale: Scale;
  seed: number;
  /** The generator for this experiment and seed; fork it for independent streams. */
  rng: Rng;
  /** Report progress within this seed (done out of total units). */
  progress: (done: number, total: number, note?: string) => void;
}

export interface Experiment {
  /** Short id used on the command line, e.g. `e3-risk-mdp`. */
  id: string;
  title: string;
  /** Where in the paper, e.g. `Fig. 3a`. */
  paper: string;
  /** One line: what it reproduces. */
  reproduces: string;
  /** Path of its notebook from the project root. */
  notebook: string;
  /** Default number of seeds at each scale. */
  seeds: Record<Scale, number>;
  runSeed(ctx: SeedContext): SeedResult | Promise<SeedResult>;
  report(results: SeedResult[], scale: Scale): Report | Promise<Report>;
}

/** The generator for one (experiment, seed): identical wherever and in whichever order it runs. */
export function seedRng(experimentId: string, seed: number): Rng {
  return new Rng(`${experimentId}/seed-${seed}`);
}

export interface RunOptions {
  scale?: Scale;
  seeds?: number;
  /** Called after each seed and inside seeds; the default prints nothing. */
  progress?: (info: { seed: number; seeds: number; done: number; total: number; note?: string }) => void;
}

/** Runs every seed in this process, then the report. Notebooks call this; the CLI adds workers and resume. */
export async function runExperiment(exp: Experiment, opts: RunOptions = {}): Promise<Report & { results: SeedResult[] }> {
  const scale = opts.scale ?? scaleFromEnv();
  const seeds = opts.seeds ?? exp.seeds[scale];
  if (!(Number.isInteger(seeds) && seeds > 0)) throw new Error(`${exp.id}: seeds must be a positive integer, got ${seeds}`);
  const results: SeedResult[] = [];
  for (let seed = 0; seed < seeds; seed++) {
    const progress = (done: number, total: number, note?: string) => opts.progress?.({ seed, seeds, done, total, note });
    results.push(await exp.runSeed({ scale, seed, rng: seedRng(exp.id, seed), progress }));
  }
  return { ...(await exp.report(results, scale)), results };
}

/** Concatenates table `name` of every seed into one DataFrame (rows keep their own `seed` column if they have one). */
export function gatherTable(results: SeedResult[], name: string): pl.DataFrame {
  const rows = results.flatMap((r) => r.tables[name] ?? []);
  if (rows.length === 0) throw new Error(`no rows in table '${name}'`);
  return pl.DataFrame(rows);
}
