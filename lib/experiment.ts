/**
 * The contract every experiment follows. One experiment = one folder in lib/experiments/ (run.ts computes a seed,
 * report.ts reads all seeds, index.ts is the object below), driven from both its notebook and the command line:
 *
 *   config.defaults(scale) → Config      its parameters at each scale (callers override some; resolveConfig checks them)
 *   runSeed(ctx) → SeedResult            plain JSON rows for one seed and config (sent between worker threads, saved for resume)
 *   report(results, ctx) → Report         tidy Polars tables, Vega-Lite figures and checked claims over all seeds
 */
import pl from 'nodejs-polars';
import type { TopLevelSpec } from 'vega-lite';
import { type ConfigSpec, resolveConfig } from './config';
import { Rng } from './rng';
import { type Scale, scaleFromEnv } from './scale';

export { type Scale, SCALES, parseScale, scaleFromEnv } from './scale';

export type Cell = number | string | boolean | null;
export type Row = Record<string, Cell>;
export type VegaLiteSpec = TopLevelSpec;

/** The tables of one seed: name → plain rows. */
export type Tables = Record<string, Row[]>;

/** What one seed produces: named tables of plain rows. Must be JSON-serialisable. */
export interface SeedResult<T extends Tables = Tables> {
  tables: T;
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
  /**
   * Set when what ran cannot decide the claim (too few seeds, a failed sanity bar, every agent at random-policy
   * level): the reason. The verdict is then `inconclusive`, whatever `holds` says (lib/claims.ts verdict()).
   */
  inconclusive?: string;
  /** The measured numbers behind the verdict (mean ± std over seeds where random). */
  measured: string;
}

/**
 * What report() gives. `F` names the figures the experiment draws (each experiment's `EnFigure`, inferred from the
 * object its figures function returns through `namedFigures`), so `rep.figures.typo` fails the type check in a
 * notebook. A figure whose part did not run (a `setting` not chosen, a seed that draws it not run) may be absent.
 */
export interface Report<F extends string = string> {
  /** Tidy data, one row per observation. */
  tables: Record<string, pl.DataFrame>;
  /** Figures as Vega-Lite specs with their data inlined. */
  figures: Record<F, VegaLiteSpec>;
  claims: Claim[];
}

/** The figures of a report, named once: their keys become the report's figure type (`keyof ReturnType<typeof eNFigures>`). */
export function namedFigures<F extends string>(figures: Record<F, VegaLiteSpec>): Record<F, VegaLiteSpec> {
  return figures;
}

/** The figure keys of a report function, e.g. `export type E1Figure = FigureOf<typeof report>` (what a notebook may ask for). */
export type FigureOf<R extends (...args: never[]) => Report<string> | Promise<Report<string>>> = keyof Awaited<ReturnType<R>>['figures'] &
  string;

/** The figures of two parts, `a`'s first; either may be absent (a setting that did not run), typed by every key both can give. */
export function joinedFigures<A extends string, B extends string>(
  a: Partial<Record<A, VegaLiteSpec>>,
  b: Partial<Record<B, VegaLiteSpec>>,
): Record<A | B, VegaLiteSpec> {
  return { ...a, ...b } as Record<A | B, VegaLiteSpec>;
}

/** The same figures under `prefix` + key (a paper setting's `fig3a_returns` as `paper_fig3a_returns`). */
export function prefixedFigures<P extends string, F extends string>(
  prefix: P,
  figures: Record<F, VegaLiteSpec>,
): Record<`${P}${F}`, VegaLiteSpec> {
  return Object.fromEntries(Object.entries<VegaLiteSpec>(figures).map(([k, v]) => [prefix + k, v])) as Record<`${P}${F}`, VegaLiteSpec>;
}

export interface SeedContext<C extends object = object> {
  scale: Scale;
  /** The experiment's complete, checked config (its defaults for the scale, with the caller's overrides). */
  config: C;
  seed: number;
  /** The generator for this experiment and seed; fork it for independent streams. */
  rng: Rng;
  /** Report progress within this seed (done out of total units). */
  progress: (done: number, total: number, note?: string) => void;
}

/** What report() knows besides the seeds' results: the scale and config they were computed at. */
export interface ReportContext<C extends object = object> {
  scale: Scale;
  config: C;
}

export interface Experiment<C extends object = object, T extends Tables = Tables, F extends string = string> {
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
  /** Its parameters: defaults at each scale and the rules they must follow. */
  config: ConfigSpec<C>;
  runSeed(ctx: SeedContext<C>): SeedResult<T> | Promise<SeedResult<T>>;
  report(results: SeedResult<T>[], ctx: ReportContext<C>): Report<F> | Promise<Report<F>>;
}

/** The generator for one (experiment, seed): identical wherever and in whichever order it runs. */
export function seedRng(experimentId: string, seed: number): Rng {
  return new Rng(`${experimentId}/seed-${seed}`);
}

export interface RunOptions<C extends object = object> {
  scale?: Scale;
  seeds?: number;
  /** Parameters to change from the scale's defaults (checked; a bad one is an error naming it). */
  config?: Partial<C>;
  /** Called after each seed and inside seeds; the default prints nothing. */
  progress?: (info: { seed: number; seeds: number; done: number; total: number; note?: string }) => void;
}

/** Runs every seed in this process, then the report. Notebooks call this; the CLI adds workers and resume. */
export async function runExperiment<C extends object, T extends Tables, F extends string>(
  exp: Experiment<C, T, F>,
  opts: RunOptions<C> = {},
): Promise<Report<F> & { results: SeedResult<T>[]; config: C }> {
  const scale = opts.scale ?? scaleFromEnv();
  const config = resolveConfig(exp.id, exp.config, scale, opts.config);
  const seeds = opts.seeds ?? exp.seeds[scale];
  if (!(Number.isInteger(seeds) && seeds > 0)) throw new Error(`${exp.id}: seeds must be a positive integer, got ${seeds}`);
  const results: SeedResult<T>[] = [];
  for (let seed = 0; seed < seeds; seed++) {
    const progress = (done: number, total: number, note?: string) => opts.progress?.({ seed, seeds, done, total, note });
    results.push(await exp.runSeed({ scale, config, seed, rng: seedRng(exp.id, seed), progress }));
  }
  return { ...(await exp.report(results, { scale, config })), results, config };
}

/** The rows of table `name` of every seed, in seed order, typed by the experiment's tables (rows keep their own `seed` column if they have one). */
export function gather<T extends Tables, K extends keyof T>(results: SeedResult<T>[], name: K): T[K][number][] {
  return results.flatMap((r) => r.tables[name]);
}

/** The one row of `rows` (e.g. a method's row of a per-method table); an error naming `what` when there is none or several. */
export function only<R>(rows: R[], what: string): R {
  if (rows.length !== 1) throw new Error(`${what}: expected one row, found ${rows.length}`);
  return rows[0];
}

/** Table `name` of every seed as one DataFrame. */
export function gatherFrame<T extends Tables, K extends keyof T>(results: SeedResult<T>[], name: K): pl.DataFrame {
  const rows = gather(results, name);
  if (rows.length === 0) throw new Error(`no rows in table '${String(name)}'`);
  return pl.DataFrame(rows);
}

/**
 * The one row of a report table whose columns equal `match` (e.g. `{ method: 'MnM' }`), for code that reads a report
 * back (describe functions, exercises); an error naming `what` when there is none or several.
 */
export function rowWhere(table: pl.DataFrame | undefined, match: Record<string, Cell>, what: string): Record<string, unknown> {
  if (!table) throw new Error(`${what}: the report has no such table`);
  const rows: Record<string, unknown>[] = table.toRecords();
  return only(
    rows.filter((r) => Object.entries(match).every(([k, v]) => r[k] === v)),
    `${what} (${JSON.stringify(match)})`,
  );
}

/** Column `column` of a row read back from a table, checked to be a number (null reads as NaN). */
export function numberIn(row: Record<string, unknown>, column: string): number {
  const v = row[column];
  if (v === null) return NaN;
  if (typeof v !== 'number') throw new Error(`column ${column} is ${JSON.stringify(v)}, not a number`);
  return v;
}

/** One entry per item under its key, e.g. a summary per method id: `recordOf(VARIANTS, (v) => v.key, summaryOf)`. */
export function recordOf<T, K extends string, V>(items: readonly T[], key: (item: T) => K, value: (item: T) => V): Record<K, V> {
  return Object.fromEntries(items.map((t) => [key(t), value(t)])) as Record<K, V>;
}

/** The row of method `id` in a report's `by_method` table, found by the method's label (how the table names it). */
export function methodRow<K extends string>(
  table: pl.DataFrame | undefined,
  variants: readonly { key: K; label: string }[],
  id: K,
  what: string,
): Record<string, unknown> {
  return rowWhere(
    table,
    {
      method: only(
        variants.filter((v) => v.key === id),
        id,
      ).label,
    },
    what,
  );
}
