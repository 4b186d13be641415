/**
 * Reference results: a finished run committed to the repository (`data/reference/<scale>/`), so that a
 * reader sees the paper-scale deep experiments (about two hours on two cores) without running them.
 *
 *   run.json            what ran: the command, seeds per experiment, code fingerprints, backend, machine, wall time
 *   seeds/<scale>/…     the per-seed results, exactly as `mnm run` saved them (checksummed; lib/seed-store)
 *   runs/<name>.json    each deep training run's evaluation rows, one file per (task, agent, horizon, seed)
 *
 * `mnm reference check NAME` trains one of those runs again and checks that every number is identical
 * (runs are deterministic given their seed key); notebooks and the report show the reference next to, or
 * instead of, the reader's own results (`resultsFor`).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkConfig, resolveConfig } from '../config';
import {
  type Experiment,
  type Report,
  type RunOptions,
  runExperiment,
  type Scale,
  SCALES,
  type SeedResult,
  type Tables,
} from '../experiment';
import { PROJECT_ROOT } from '../fingerprint';
import { readJson, writeJsonAtomic } from '../io';
import { listSeeds, saveSeed, type SeedRecord, typedResults } from '../seed-store';
import { DEEP_BACKENDS, type DeepBackend } from '../deep/deep-backend';
import {
  ALGO_LABEL,
  codeHash,
  DEEP_SETTINGS_RULES,
  type DeepSettings,
  deepRun,
  modelBasedConfig,
  type RunRow,
  runName,
  runSeedKey,
  type RunSpec,
  taskSettings,
} from '../experiments/deep-runs';

export { runName };
import { ENV_NAMES } from '../envs';
import { showValue } from '../show';

export const REFERENCE_ROOT = path.join(PROJECT_ROOT, 'data', 'reference');

export function referenceDir(scale: Scale, root = REFERENCE_ROOT): string {
  return path.join(root, scale);
}

/** One experiment of a reference folder. */
export interface ReferenceExperiment {
  seeds: number[];
  fingerprint: string;
  command?: string;
  wallSeconds?: number;
  saved?: string;
  trainingCode?: string;
  backend?: string;
}

/** `run.json` of a reference folder. */
export interface ReferenceInfo {
  format: 'mnm-reference-1';
  scale: Scale;
  /** The command that computed it (and recomputes it). */
  command: string;
  /**
   * Per experiment: its seeds and the fingerprint of the code that computed them; and, since references are saved
   * experiment by experiment (`mnm reference save ... IDS`), the save it came from. Absent in older folders: the
   * top-level fields then describe it.
   */
  experiments: Record<string, ReferenceExperiment>;
  /** The fingerprint of the deep training code (lib/deep, lib/envs, rng, deep-runs) the runs came from. */
  trainingCode: string;
  backend: string;
  machine: { cores: number; cpu: string; memoryGiB: number; platform: string; node: string };
  /** Wall time of the whole run, summed over its sessions when it was resumed. */
  wallSeconds: number;
  /** When it was saved (ISO date). */
  saved: string;
  /** The deep runs in runs/, by name. */
  runs: string[];
}

/** One deep run as committed: its spec and evaluation rows. */
export interface ReferenceRun {
  format: 'mnm-reference-run-1';
  spec: RunSpec;
  seedKey: string;
  rows: RunRow[];
}

/** A reference file that is missing, damaged or does not agree with its folder: bad input, named in one line. */
export class BadReference extends Error {
  override name = 'BadReference';
}

/** readJson, a file that cannot be read or parsed a BadReference naming it. */
function readReferenceJson<T>(file: string): T {
  try {
    return readJson<T>(file);
  } catch (err) {
    throw new BadReference((err as Error).message.split('\n')[0]);
  }
}

export function readReferenceInfo(dir: string): ReferenceInfo {
  const file = path.join(dir, 'run.json');
  if (!fs.existsSync(file)) throw new BadReference(`${file}: no reference results here (run.json is missing)`);
  const info = readReferenceJson<ReferenceInfo>(file);
  if (info?.format !== 'mnm-reference-1' || typeof info.experiments !== 'object')
    throw new BadReference(`${file}: not a reference run.json`);
  // Every field `mnm reference list` and the reports read, checked here: a tampered run.json is one line, not a TypeError.
  const bad = (what: string, got: unknown): never => {
    throw new BadReference(`${file}: ${what}, got ${showValue(got)}`);
  };
  const isText = (v: unknown) => typeof v === 'string';
  if (!(SCALES as readonly unknown[]).includes(info.scale)) bad(`scale must be one of ${SCALES.join(', ')}`, info.scale);
  for (const k of ['command', 'trainingCode', 'backend', 'saved'] as const) if (!isText(info[k])) bad(`${k} must be a string`, info[k]);
  if (!(typeof info.wallSeconds === 'number' && info.wallSeconds > 0 && Number.isFinite(info.wallSeconds)))
    bad('wallSeconds must be a finite number > 0', info.wallSeconds);
  const m = info.machine as Partial<ReferenceInfo['machine']> | null;
  if (!(m && typeof m === 'object' && Number.isSafeInteger(m.cores) && isText(m.cpu) && isText(m.node)))
    bad('machine must be {cores, cpu, memoryGiB, platform, node}', m);
  if (!(Array.isArray(info.runs) && info.runs.every(isText))) bad('runs must be a list of run names', info.runs);
  if (info.experiments === null || Array.isArray(info.experiments))
    bad('experiments must be an object of {seeds, fingerprint}', info.experiments);
  for (const [id, e] of Object.entries(info.experiments)) {
    if (!(e && Array.isArray(e.seeds) && e.seeds.every((s) => Number.isSafeInteger(s) && s >= 0) && isText(e.fingerprint)))
      bad(`experiments.${id} must be {seeds: [integers], fingerprint}`, e);
    for (const k of ['command', 'saved', 'trainingCode', 'backend'] as const)
      if (e[k] !== undefined && !isText(e[k])) bad(`experiments.${id}.${k} must be a string`, e[k]);
    if (e.wallSeconds !== undefined && !(typeof e.wallSeconds === 'number' && e.wallSeconds > 0 && Number.isFinite(e.wallSeconds)))
      bad(`experiments.${id}.wallSeconds must be a finite number > 0`, e.wallSeconds);
  }
  return info;
}

/** Every saved seed of one experiment in a results or reference folder, in seed order; a bad file is an error naming it. */
export function seedsOf(dir: string, scale: Scale, experiment: string): SeedRecord[] {
  const { records, bad } = listSeeds(dir);
  if (bad.length) throw bad[0];
  return records.filter((r) => r.experiment === experiment && r.scale === scale).sort((a, b) => a.seed - b.seed);
}

/** The save an experiment of a reference came from: its own fields, else (older folders) the folder's. */
export function experimentSave(info: ReferenceInfo, id: string): Required<Omit<ReferenceExperiment, 'seeds' | 'fingerprint'>> {
  const e = info.experiments[id] ?? { seeds: [], fingerprint: '' };
  return {
    command: e.command ?? info.command,
    wallSeconds: e.wallSeconds ?? info.wallSeconds,
    saved: e.saved ?? info.saved,
    trainingCode: e.trainingCode ?? info.trainingCode,
    backend: e.backend ?? info.backend,
  };
}

/** What a reference is, in one line for the reader: where it is, its size and cost, and how to recompute it. */
function referenceLabel(info: ReferenceInfo, id: string, seeds: number): string {
  const e = experimentSave(info, id);
  const old = e.trainingCode !== codeHash() ? ', made by earlier training code: re-make it to see this code' : '';
  return (
    `the committed reference run (data/reference/${info.scale}: ${info.scale} scale, ${seeds} seeds, ` +
    `${(e.wallSeconds / 3600).toFixed(1)} h on ${info.machine.cores} cores, ${e.backend}, saved ${e.saved.slice(0, 10)}${old}); recompute it with \`${e.command}\``
  );
}

/** Where a notebook's or report's results come from. */
export interface ResultsSource<T extends Tables> {
  source: 'own' | 'reference';
  /** One line for the reader: what these results are and how to recompute them. */
  label: string;
  scale: Scale;
  results: SeedResult<T>[];
}

/**
 * The results of `exp` at `scale` to show: the reader's own complete run in `resultsDir` (default
 * results/<scale>) when it holds every seed of the current code, otherwise the committed reference. Null
 * when there is neither.
 */
export function resultsFor<C extends object, T extends Tables>(
  exp: Experiment<C, T>,
  opts: { scale?: Scale; resultsDir?: string; referenceRoot?: string; fingerprint?: string } = {},
): ResultsSource<T> | null {
  const scale = opts.scale ?? 'paper';
  const want = exp.seeds[scale];
  const ownDir = opts.resultsDir ?? path.join(PROJECT_ROOT, 'results', scale);
  const own = fs.existsSync(ownDir) ? seedsOf(ownDir, scale, exp.id) : [];
  const current = opts.fingerprint ? own.filter((r) => r.fingerprint === opts.fingerprint) : own;
  if (current.length >= want) {
    return {
      source: 'own',
      label: `your own ${scale}-scale run in ${path.relative(PROJECT_ROOT, ownDir) || '.'} (${current.length} seeds)`,
      scale,
      results: typedResults<T>(current, ownDir),
    };
  }
  const dir = referenceDir(scale, opts.referenceRoot);
  if (!fs.existsSync(path.join(dir, 'run.json'))) return null;
  const info = readReferenceInfo(dir);
  const seeds = seedsOf(dir, scale, exp.id);
  if (seeds.length === 0) return null;
  return {
    source: 'reference',
    label: referenceLabel(info, exp.id, seeds.length),
    scale,
    results: typedResults<T>(seeds, dir),
  };
}

/** The machine a run is on, for run.json. */
export function machineInfo(): ReferenceInfo['machine'] {
  return {
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.arch()}`,
    node: process.version,
  };
}

/**
 * Copies a finished run into a reference folder: the seeds of `experiments` from results folder `from`, and
 * the deep runs of the current training code from the run cache `cacheDir`. Checks that every seed is there.
 * With `keep`, the experiments of the folder's present reference that are not saved now stay as they were (their
 * seeds and the save they came from); its deep runs do not (they are re-made by the experiments saved now, or came
 * from earlier training code, which `reference check` could not reproduce).
 */
export function saveReference(opts: {
  from: string;
  out: string;
  scale: Scale;
  experiments: Experiment[];
  cacheDir: string;
  command: string;
  wallSeconds: number;
  keep?: boolean;
  /** The deep backend the run trained on: only its runs are taken from the cache. */
  backend?: DeepBackend;
}): ReferenceInfo {
  const { from, out, scale } = opts;
  const saved = new Date().toISOString();
  const hash = codeHash();
  const records: SeedRecord[] = [];
  const fresh: { id: string; seeds: SeedRecord[] }[] = [];
  for (const exp of opts.experiments) {
    let seeds: SeedRecord[];
    try {
      seeds = seedsOf(from, scale, exp.id);
    } catch (err) {
      throw new BadReference(`--from ${from}: ${(err as Error).message}`);
    }
    const want = exp.seeds[scale];
    if (seeds.length < want)
      throw new BadReference(`--from ${from}: ${exp.id} has ${seeds.length} of its ${want} seeds at ${scale} scale; finish the run first`);
    const prints = new Set(seeds.map((s) => s.fingerprint));
    if (prints.size !== 1)
      throw new BadReference(`--from ${from}: the seeds of ${exp.id} come from different code (${[...prints].join(', ')})`);
    fresh.push({ id: exp.id, seeds });
    records.push(...seeds);
  }
  const runs: ReferenceRun[] = [];
  for (const f of fs.existsSync(opts.cacheDir) ? fs.readdirSync(opts.cacheDir).sort() : []) {
    if (!f.endsWith(`-${hash}.json`)) continue;
    const run = readReferenceJson<{ spec: RunSpec; seedKey: string; rows: RunRow[] }>(path.join(opts.cacheDir, f));
    if (run.spec.scale !== scale || (run.spec.backend ?? 'tfjs') !== (opts.backend ?? 'tfjs')) continue;
    runs.push({ format: 'mnm-reference-run-1', spec: run.spec, seedKey: run.seedKey, rows: run.rows });
  }
  // Runs that share a runName (the same agent, task and seed at other settings) are told apart by their keys.
  const shared = new Map<string, number>();
  for (const r of runs) shared.set(runName(r.spec), (shared.get(runName(r.spec)) ?? 0) + 1);
  const names = runs.map((r) => referenceRunName(r.spec, (shared.get(runName(r.spec)) ?? 0) > 1));
  if (runs.length === 0)
    throw new BadReference(
      `${opts.cacheDir}: no ${scale}-scale deep runs of the current training code (${hash}) on the ${opts.backend ?? 'tfjs'} backend`,
    );
  const backend = [...new Set(runs.flatMap((r) => r.rows.map((x) => x.backend)))].join(', ');
  const experiments: ReferenceInfo['experiments'] = {};
  // Kept from the present reference: what is not saved now, with the save it came from written into its entry.
  const old = opts.keep && fs.existsSync(path.join(out, 'run.json')) ? readReferenceInfo(out) : null;
  for (const id of Object.keys(old?.experiments ?? {})) {
    if (!old || fresh.some((x) => x.id === id)) continue;
    experiments[id] = { ...old.experiments[id], ...experimentSave(old, id) };
    records.push(...seedsOf(out, scale, id));
  }
  for (const { id, seeds } of fresh)
    experiments[id] = {
      seeds: seeds.map((s) => s.seed),
      fingerprint: seeds[0].fingerprint,
      command: opts.command,
      wallSeconds: opts.wallSeconds,
      saved,
      trainingCode: hash,
      backend,
    };
  // Written beside the folder, then put in its place: a save that fails half-way leaves the old reference whole.
  const tmp = `${out}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  try {
    for (const r of records) saveSeed(tmp, r);
    for (const [i, r] of runs.entries()) writeJsonAtomic(path.join(tmp, 'runs', `${names[i]}.json`), r);
    const info: ReferenceInfo = {
      format: 'mnm-reference-1',
      scale,
      command: opts.command,
      experiments,
      trainingCode: hash,
      backend,
      machine: machineInfo(),
      wallSeconds: opts.wallSeconds,
      saved,
      runs: names,
    };
    writeJsonAtomic(path.join(tmp, 'run.json'), info);
    fs.rmSync(out, { recursive: true, force: true });
    fs.renameSync(tmp, out);
    return info;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * A committed run's file before anything is trained from it: its spec names a known task and algorithm, an integer
 * seed and horizon, the folder's scale, and agrees with the file's name and its seed key (a tampered spec would
 * otherwise start hours of training, or fail deep inside it).
 */
function checkReferenceRunFile(file: string, name: string, run: ReferenceRun, info: ReferenceInfo): void {
  const bad = (what: string): never => {
    throw new BadReference(`${file}: ${what}`);
  };
  if (run?.format !== 'mnm-reference-run-1' || !Array.isArray(run.rows)) bad('not a reference run');
  const spec = run.spec as Partial<Record<keyof RunSpec, unknown>> | undefined;
  if (spec === null || typeof spec !== 'object') return bad(`spec must be an object, got ${showValue(spec)}`);
  if (!(ENV_NAMES as readonly unknown[]).includes(spec.task))
    bad(`spec.task must be one of ${ENV_NAMES.join(', ')}, got ${showValue(spec.task)}`);
  if (!Object.hasOwn(ALGO_LABEL, String(spec.algo)))
    bad(`spec.algo must be one of ${Object.keys(ALGO_LABEL).join(', ')}, got ${showValue(spec.algo)}`);
  if (spec.scale !== info.scale) bad(`spec.scale must be the folder's scale (${info.scale}), got ${showValue(spec.scale)}`);
  if (!(Number.isSafeInteger(spec.seed) && (spec.seed as number) >= 0))
    bad(`spec.seed must be an integer >= 0, got ${showValue(spec.seed)}`);
  if (spec.backend !== undefined && !(DEEP_BACKENDS as readonly unknown[]).includes(spec.backend))
    bad(`spec.backend must be one of ${DEEP_BACKENDS.join(', ')}, got ${showValue(spec.backend)}`);
  if (spec.horizon !== undefined && !(Number.isSafeInteger(spec.horizon) && (spec.horizon as number) >= 1))
    bad(`spec.horizon must be an integer >= 1, got ${showValue(spec.horizon)}`);
  if (spec.variant !== undefined && typeof spec.variant !== 'string') bad(`spec.variant must be a string, got ${showValue(spec.variant)}`);
  if (spec.settings !== undefined) {
    try {
      checkConfig('spec.settings', run.spec.settings as DeepSettings, DEEP_SETTINGS_RULES);
    } catch (err) {
      bad((err as Error).message);
    }
  }
  let own = '';
  try {
    own = runName(run.spec);
  } catch (err) {
    bad(`spec.${(err as Error).message}`);
  }
  if (own !== name && referenceRunName(run.spec, true) !== name)
    bad(`its spec is the run ${showValue(own)}, not ${showValue(name)} as its file name says`);
  if (run.seedKey !== runSeedKey(run.spec))
    bad(
      `its seed key ${showValue(run.seedKey)} is not the one this code derives from its spec (${runSeedKey(run.spec)})` +
        (info.trainingCode !== codeHash()
          ? `: the reference was made by other training code (${info.trainingCode}), which drew its random numbers differently; re-make it (README, "Reference results")`
          : ''),
    );
}

/** The first cell where two runs' rows differ, or null when every number is identical. */
export function firstDifference(reference: RunRow[], recomputed: RunRow[]): string | null {
  if (reference.length !== recomputed.length)
    return `${reference.length} evaluation rows in the reference, ${recomputed.length} recomputed`;
  for (let i = 0; i < reference.length; i++) {
    const a = reference[i];
    const b = recomputed[i];
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const x = JSON.stringify(a[k as keyof RunRow]);
      const y = JSON.stringify(b[k as keyof RunRow]);
      if (x !== y) return `row ${i} (step ${a.step}), column ${k}: reference ${x}, recomputed ${y}`;
    }
  }
  return null;
}

/** The settings a run trained with: its spec's, or its scale's defaults where it has none (as deepRun does). */
function settingsOf(spec: RunSpec): DeepSettings {
  return spec.settings ?? taskSettings(spec.task, spec.scale, spec.size ?? 'scale');
}

/**
 * A run's config and key, as deepRun (lib/experiments/deep-runs.ts) computes them for its cache file name
 * `<runName>-<key>-<codeHash>.json`. Kept here rather than in deep-runs.ts, whose source is part of the training
 * code's fingerprint; test/report/reference-input.test.ts checks the two agree on a run deepRun trains.
 */
export function runKey(spec: RunSpec, seedKey: string): { key: string; config: ReturnType<typeof modelBasedConfig> } {
  const s = settingsOf(spec);
  const config = modelBasedConfig(spec.task, spec.algo, { ...s, horizon: spec.horizon ?? s.horizon });
  const key = createHash('sha256')
    .update(JSON.stringify({ config, seedKey, backend: spec.backend ?? 'tfjs' }))
    .digest('hex')
    .slice(0, 16);
  return { key, config };
}

/**
 * A run's name in a reference folder (`mnm reference check NAME`): its runName, or with `keyed` the runName and the
 * first 8 digits of its key, which the save gives every run whose runName another run of the folder shares (E10's
 * 5,000-step Pendulum runs beside E9's at 2,500), so that two different runs never share a file.
 */
export function referenceRunName(spec: RunSpec, keyed = false): string {
  const base = runName(spec);
  return keyed ? `${base}-${runKey(spec, runSeedKey(spec)).key.slice(0, 8)}` : base;
}

/**
 * Puts the reference's deep runs into the run cache `cacheDir`, as if this machine had trained them: a run that
 * extends the reference (more seeds) or re-saves part of it then trains only what is new, and `reference save`
 * of some experiments keeps the others' runs. Refused when the reference came from other training code (its runs
 * are not what this code trains). Returns how many runs were written (runs already cached are left as they are).
 */
export function restoreRunCache(dir: string, cacheDir: string): { written: number; cached: number } {
  const info = readReferenceInfo(dir);
  if (info.trainingCode !== codeHash())
    throw new BadReference(
      `${path.join(dir, 'run.json')}: made by other training code (${info.trainingCode}, this code is ${codeHash()}); its runs are not what this code would train`,
    );
  // Every file is checked before any is written: a damaged reference leaves the cache as it was.
  const todo = info.runs.map((name) => {
    const file = path.join(dir, 'runs', `${name}.json`);
    const run = readReferenceJson<ReferenceRun>(file);
    checkReferenceRunFile(file, name, run, info);
    const { key, config } = runKey(run.spec, run.seedKey);
    return { run, config, out: path.join(cacheDir, `${runName(run.spec)}-${key}-${codeHash()}.json`) };
  });
  const fresh = todo.filter((t) => !fs.existsSync(t.out));
  for (const { run, config, out } of fresh) writeJsonAtomic(out, { spec: run.spec, seedKey: run.seedKey, config, rows: run.rows });
  return { written: fresh.length, cached: todo.length - fresh.length };
}

/** Trains the committed run `name` again (no cache) and compares; `progress` gets (done, total). */
export async function checkReferenceRun(
  dir: string,
  name: string,
  progress?: (done: number, total: number) => void,
): Promise<{ run: ReferenceRun; difference: string | null; seconds: number }> {
  const file = path.join(dir, 'runs', `${name}.json`);
  if (!fs.existsSync(file)) {
    const have = fs.existsSync(path.join(dir, 'runs')) ? fs.readdirSync(path.join(dir, 'runs')).map((f) => f.replace(/\.json$/, '')) : [];
    throw new Error(`${file}: no such reference run${have.length ? ` (there are: ${have.join(', ')})` : ''}`);
  }
  const run = readReferenceJson<ReferenceRun>(file);
  checkReferenceRunFile(file, name, run, readReferenceInfo(dir));
  const before = process.env.MNM_RUN_CACHE;
  process.env.MNM_RUN_CACHE = 'off';
  const t0 = performance.now();
  try {
    const rows = await deepRun(run.spec, progress);
    return { run, difference: firstDifference(run.rows, rows), seconds: (performance.now() - t0) / 1000 };
  } finally {
    if (before === undefined) delete process.env.MNM_RUN_CACHE;
    else process.env.MNM_RUN_CACHE = before;
  }
}

/** What a notebook shows: where the results come from, and the report computed from them. */
export interface Shown<C extends object, T extends Tables, F extends string = string> {
  source: 'own' | 'reference' | 'computed';
  label: string;
  scale: Scale;
  results: SeedResult<T>[];
  config: C;
  report: Report<F>;
}

/**
 * The results a deep notebook shows: with `trainNow` null, the reader's own paper-scale run if there is one,
 * else the committed reference; with a scale, a run made here and now at that scale (minutes at quick).
 */
export async function referenceOrRun<C extends object, T extends Tables, F extends string>(
  exp: Experiment<C, T, F>,
  opts: { trainNow: Scale | null; progress?: RunOptions<C>['progress'] },
): Promise<Shown<C, T, F>> {
  if (opts.trainNow !== null) {
    const run = await runExperiment(exp, { scale: opts.trainNow, progress: opts.progress });
    const { results, config, ...report } = run;
    return {
      source: 'computed',
      label: `computed here and now at ${opts.trainNow} scale (${results.length} seed${results.length === 1 ? '' : 's'})`,
      scale: opts.trainNow,
      results,
      config,
      report,
    };
  }
  const src = resultsFor(exp, { scale: 'paper' });
  if (!src)
    throw new Error(
      `${exp.id}: no reference results in data/reference/paper and no own run in results/paper; set trainNow to 'quick' to train here`,
    );
  const config = resolveConfig(exp.id, exp.config, src.scale);
  const report = await exp.report(src.results, { scale: src.scale, config });
  return { ...src, config, report };
}

/** One line of Markdown saying what the results shown are. */
export function sourceMarkdown(s: Pick<Shown<object, Tables>, 'source' | 'label'>): string {
  const what = s.source === 'reference' ? 'Reference results' : s.source === 'own' ? 'Your results' : 'Results';
  return `**${what}:** ${s.label}.`;
}

/**
 * The report of the committed reference of `exp` at `scale` (null when there is none): what the HTML report
 * shows next to a run's own results.
 */
export async function referenceReport(
  exp: Experiment,
  scale: Scale = 'paper',
  root = REFERENCE_ROOT,
): Promise<{ label: string; scale: Scale; seeds: number[]; report: Report } | null> {
  const dir = referenceDir(scale, root);
  if (!fs.existsSync(path.join(dir, 'run.json'))) return null;
  const info = readReferenceInfo(dir);
  if (!info.experiments[exp.id]) return null;
  const seeds = seedsOf(dir, scale, exp.id);
  const report = await exp.report(typedResults(seeds, dir), { scale, config: resolveConfig(exp.id, exp.config, scale) });
  return { label: referenceLabel(info, exp.id, seeds.length), scale, seeds: seeds.map((r) => r.seed), report };
}
