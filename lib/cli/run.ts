/**
 * `mnm run`: plans the (experiment, seed) units, reuses those already saved in the results folder,
 * runs the rest on worker threads (saving each as it finishes), then builds each experiment's report
 * from all its seeds and writes the results folder. `--shard I/N` runs only share I of the units and
 * saves them for `mnm merge`.
 */
import * as os from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { countVerdicts, verdictsText } from '../claims';
import type { Experiment, Scale } from '../experiment';
import { describe, type ExperimentSummary, type RunSummary, writeSummary } from '../report/summary';
import { referenceFolder, writeExperimentFiles } from '../report/experiment-files';
import { referenceReport } from '../report/reference';
import { writeRunFolder } from './results-folder';
import { verdictCounts } from '../report/claims-markdown';
import { deepBackend, DEFAULT_DEEP_BACKEND } from '../deep/deep-backend';
import { WriteError } from '../io';
import type { RunOptions, Shard } from './args';
import { Interrupted } from './errors';
import { openResultsFolder } from './folder-lock';
import { type PoolEvents, UnitPool } from './pool';
import { planExperiments } from './sweep';
import { Progress } from './progress';
import { BadSeedFile, codeFingerprints, loadSeed, saveSeed, type SeedRecord, typedResults, type WorkUnit } from '../seed-store';
import { note, output, say } from './output';

/** Every unit in a fixed order (registry order, then seed), so that shards are the same on every machine. */
export function planUnits(exps: Experiment[], seedCount: (e: Experiment) => number): WorkUnit[] {
  return exps.flatMap((e) => Array.from({ length: seedCount(e) }, (_, seed) => ({ experiment: e.id, seed })));
}

/** Share I of N: every N-th unit starting at I-1, which spreads each experiment's seeds over the shards. */
export function shardUnits(units: WorkUnit[], shard?: Shard): WorkUnit[] {
  return shard ? units.filter((_, j) => j % shard.count === shard.index - 1) : units;
}

/** Builds one experiment's report from its saved seeds and writes its files; an error is recorded, not thrown. */
export async function reportExperiment(
  dir: string,
  exp: Experiment,
  scale: Scale,
  config: object,
  records: SeedRecord[],
  expected: number[],
): Promise<ExperimentSummary> {
  const sorted = [...records].sort((a, b) => a.seed - b.seed);
  const seeds = sorted.map((r) => r.seed);
  const base = { ...describe(exp), seeds, missingSeeds: expected.filter((s) => !seeds.includes(s)), tables: [], figures: [], claims: [] };
  try {
    if (sorted.length === 0) throw new Error('no seeds finished');
    const rep = await exp.report(typedResults(sorted, dir), { scale, config });
    const files = await writeExperimentFiles(dir, exp.id, rep);
    // Reference results committed for this experiment are reported beside this run's (their files in <id>/reference/).
    const ref = await referenceReport(exp);
    const reference = ref
      ? {
          label: ref.label,
          scale: ref.scale,
          seeds: ref.seeds,
          claims: ref.report.claims,
          ...(await writeExperimentFiles(dir, referenceFolder(exp.id), ref.report)),
        }
      : undefined;
    return { ...base, ...files, claims: rep.claims, ...(reference ? { reference } : {}) };
  } catch (err) {
    if (err instanceof WriteError) throw err; // the folder, not the experiment, failed: the run stops
    // A damaged seed is bad input: its one line names the file, table, row and column; anything else is a bug, with its stack.
    const why = err instanceof BadSeedFile ? err.message : ((err as Error).stack ?? String(err));
    return { ...base, error: `report failed: ${why}` };
  }
}

/** Prints the verdicts and where the results went; returns the exit code (1 when an experiment did not finish). */
export function finishReport(dir: string, summary: RunSummary): number {
  const files = writeRunFolder(dir, summary);
  say(files.markdown);
  const n = verdictCounts(summary);
  say(
    `${n.total} claims checked: ${verdictsText(n)}.` +
      (n.failedExperiments ? ` ${n.failedExperiments} experiment(s) did not finish (see above).` : ''),
  );
  say(`results written to ${dir} (report: ${files.html}, claims: ${files.claims})`);
  return n.failedExperiments ? 1 : 0;
}

export async function runCommand(opts: RunOptions): Promise<number> {
  // --backend reaches the worker threads (and every Sac) through the environment they inherit.
  if (opts.backend) process.env.MNM_DEEP_BACKEND = opts.backend;
  if (deepBackend() !== DEFAULT_DEEP_BACKEND)
    note(`deep runs train on the ${deepBackend()} backend (SAC updates, the model's training and rollouts, MnM-approx's step)`);
  // Everything the user asked for is checked, and the work planned, before the folder is touched.
  const { registry, exps, configs, sweep } = planExperiments(opts);
  const fingerprints = codeFingerprints(registry, exps, deepBackend());
  const seedCount = (e: Experiment) => opts.seeds ?? e.seeds[opts.scale];
  const units = shardUnits(planUnits(exps, seedCount), opts.shard);
  const folder = openResultsFolder(opts.out);
  try {
    const unitsOf = groupUnits(units);
    const expById = new Map(exps.map((e) => [e.id, e]));
    return await runInFolder(opts, folder.dir, { registry, exps, configs, sweep, fingerprints, seedCount, units, unitsOf, expById });
  } finally {
    folder.release();
  }
}

interface Plan {
  registry: string;
  exps: Experiment[];
  configs: ReturnType<typeof planExperiments>['configs'];
  sweep: ReturnType<typeof planExperiments>['sweep'];
  fingerprints: Map<string, string>;
  seedCount: (e: Experiment) => number;
  units: WorkUnit[];
  /**
   * Each experiment's units and each id's experiment, found once: a sweep has many experiments, and a scan of all
   * units per experiment (or of all experiments per unit) would make planning quadratic.
   */
  unitsOf: Map<string, WorkUnit[]>;
  expById: Map<string, Experiment>;
}

function groupUnits(units: WorkUnit[]): Map<string, WorkUnit[]> {
  const unitsOf = new Map<string, WorkUnit[]>();
  for (const u of units) {
    const list = unitsOf.get(u.experiment);
    if (list) list.push(u);
    else unitsOf.set(u.experiment, [u]);
  }
  return unitsOf;
}

/** One run in its folder: what it was asked (options), where it writes, and what it plans. */
interface Run {
  opts: RunOptions;
  dir: string;
  plan: Plan;
}

const key = (u: WorkUnit) => `${u.experiment}/${u.seed}`;

/**
 * Reuses the seeds already saved, runs the rest on the pool (each seed saved as it finishes, each experiment
 * reported once its last seed is in), stops cleanly on Ctrl-C or a failed write, then writes the results folder
 * (or, for a shard, its summary).
 */
async function runInFolder(opts: RunOptions, dir: string, plan: Plan): Promise<number> {
  const run: Run = { opts, dir, plan };
  if (plan.exps.length === 0) note('mnm: no experiments are registered yet (lib/experiments/index.ts)');
  const { done, stale, todo } = reuseSaved(run);
  const workers = workerThreads(opts.workers, todo.length);
  note(
    `mnm: ${plan.exps.length} experiment(s), ${plan.units.length} seed(s) at scale ${opts.scale}` +
      (opts.shard ? ` (shard ${opts.shard.index}/${opts.shard.count})` : '') +
      `; ${done.size} already saved in ${dir}/seeds` +
      (stale ? `, ${stale} saved by different code, data or config (recomputed)` : '') +
      `; running ${todo.length} on ${workers === 0 ? 'this thread' : `${workers} worker thread(s)`}`,
  );

  const progress = new Progress(todo, { lanes: Math.max(1, workers), stream: output.stderr });
  const { registry, exps, configs, sweep } = plan;
  const pool = new UnitPool({ workers, registry, scale: opts.scale, experiments: exps, configs, sweep });
  const state = new RunState(done, (why) => {
    progress.clear();
    if (why) note(why);
    void pool.stop();
  });
  const reports = new Reporter(run, state, progress);
  for (const e of exps) if (plan.unitsOf.has(e.id)) reports.whenComplete(e);

  // Running in this thread (workers 0), a seed cannot be stopped midway: Ctrl-C keeps its default effect.
  const releaseSigint = workers > 0 ? stopOnSignals(state) : () => {};
  try {
    await pool.run(todo, poolEvents(run, state, progress, reports));
  } finally {
    releaseSigint();
    progress.clear();
  }
  await reports.settled();
  throwIfStopped(run, state);
  return opts.shard ? finishShard(run, opts.shard, state) : finishRun(run, state, reports.summaries);
}

// Planning and resume.

/** The saved seeds of the planned units computed by the same code and config are reused (unless --fresh); the rest are to do. */
function reuseSaved({ opts, dir, plan }: Run): { done: Map<string, SeedRecord>; stale: number; todo: WorkUnit[] } {
  const done = new Map<string, SeedRecord>();
  let stale = 0;
  for (const u of plan.units) {
    let rec: SeedRecord | null = null;
    try {
      rec = opts.fresh ? null : loadSeed(dir, opts.scale, u);
    } catch (err) {
      if (!(err instanceof BadSeedFile)) throw err;
      note(
        err.kind === 'edited'
          ? `mnm: recomputing a saved seed that was changed after it was saved: ${err.message}`
          : `mnm: ignoring a saved seed that cannot be read (it will be recomputed): ${err.message}`,
      );
    }
    if (rec && rec.fingerprint === plan.fingerprints.get(u.experiment) && isDeepStrictEqual(rec.config, plan.configs.get(u.experiment))) {
      done.set(key(u), rec);
    } else if (rec) stale++;
  }
  return { done, stale, todo: plan.units.filter((u) => !done.has(key(u))) };
}

/** More threads than units would sit idle; more than cores only add memory and contention (a warning says so). */
function workerThreads(asked: number, units: number): number {
  const workers = Math.min(asked, units);
  const cores = os.availableParallelism();
  if (workers > cores) {
    note(
      `mnm: warning: ${workers} worker threads on ${cores} core(s); each thread loads its own copy of the code, so more threads than cores cost memory and add no speed`,
    );
  }
  return workers;
}

/**
 * What a run knows while its seeds finish: the seeds saved (reused or fresh), the experiments with a failed seed
 * (their other seeds are skipped), and whether it is stopping. A write into the folder that fails (read-only,
 * disk full) or Ctrl-C stops it: the remaining workers are stopped, every seed saved so far is kept, and the same
 * command resumes.
 */
class RunState {
  readonly failed = new Map<string, string>();
  writeFailure: WriteError | null = null;
  interrupted = false;
  /** The signal that interrupted the run: the exit code says which (130 for SIGINT, 143 for SIGTERM). */
  signal: NodeJS.Signals = 'SIGINT';

  constructor(
    readonly done: Map<string, SeedRecord>,
    /** Clears the progress line, notes why (when given) and stops the workers. */
    private readonly halt: (why?: string) => void,
  ) {}

  get stopping(): boolean {
    return this.interrupted || this.writeFailure !== null;
  }

  /** A failed write stops the run (once); any other error is a bug, thrown on. */
  stopOnWriteFailure(err: unknown): void {
    if (!(err instanceof WriteError)) throw err;
    if (this.writeFailure) return;
    this.writeFailure = err;
    this.halt();
  }

  interrupt(signal: NodeJS.Signals): void {
    this.interrupted = true;
    this.signal = signal;
    this.halt('\nmnm: interrupted — stopping workers; finished seeds are kept.');
  }
}

// Pool events: each finished seed is saved at once, then its experiment reported if it was the last.

function poolEvents({ opts, dir, plan }: Run, state: RunState, progress: Progress, reports: Reporter): PoolEvents {
  return {
    shouldRun: (u) => {
      const go = !state.failed.has(u.experiment) && !state.stopping;
      if (!go) progress.skip(u);
      return go;
    },
    onStart: (u) => progress.start(u),
    onProgress: (u, d, t, note) => progress.update(u, d, t, note),
    onDone: (u, result, seconds) => {
      if (state.writeFailure) return;
      const rec: SeedRecord = {
        ...u,
        scale: opts.scale,
        fingerprint: plan.fingerprints.get(u.experiment)!,
        config: plan.configs.get(u.experiment),
        seconds,
        result,
      };
      try {
        saveSeed(dir, rec);
      } catch (err) {
        state.stopOnWriteFailure(err);
        return;
      }
      state.done.set(key(u), rec);
      progress.finish(u, seconds);
      reports.whenComplete(plan.expById.get(u.experiment)!);
    },
    onError: (u, message) => {
      state.failed.set(u.experiment, `seed ${u.seed} failed: ${message}`);
      progress.fail(u, message);
    },
  };
}

// SIGINT and SIGTERM.

/**
 * Ctrl-C, and SIGTERM (Slurm's scancel and time limit, `timeout`) alike, stop the run (finished seeds are kept,
 * the same lines printed); a second one leaves at once. Returns what removes the handlers.
 */
function stopOnSignals(state: RunState): () => void {
  let firstSigint = 0;
  const onSigint = (signal: NodeJS.Signals) => {
    // One within a second is the same Ctrl-C arriving twice: a terminal signals the whole process group, and
    // tsx relays the signal to its child once more.
    if (state.interrupted) {
      if (performance.now() - firstSigint > 1000) process.exit(130);
      return;
    }
    firstSigint = performance.now();
    state.interrupt(signal);
  };
  const signals = ['SIGINT', 'SIGTERM'] as const;
  for (const s of signals) process.on(s, onSigint);
  return () => {
    for (const s of signals) process.off(s, onSigint);
  };
}

// Reporting as seeds finish.

/**
 * Builds an experiment's report as soon as its last seed is in, while other experiments still run, one report
 * at a time. A shard reports nothing (mnm merge does).
 */
class Reporter {
  readonly summaries = new Map<string, ExperimentSummary>();
  private queue = Promise.resolve();

  constructor(
    private readonly run: Run,
    private readonly state: RunState,
    private readonly progress: Progress,
  ) {}

  whenComplete(exp: Experiment): void {
    const { opts, dir, plan } = this.run;
    if (opts.shard) return;
    const mine = plan.unitsOf.get(exp.id) ?? [];
    if (!mine.every((u) => this.state.done.has(key(u)))) return;
    this.queue = this.queue.then(async () => {
      if (this.state.stopping) return; // Ctrl-C: reports not yet begun are skipped, so the run stops at once
      const s = await reportExperiment(
        dir,
        exp,
        opts.scale,
        plan.configs.get(exp.id)!,
        mine.map((u) => this.state.done.get(key(u))!),
        mine.map((u) => u.seed),
      ).catch((err: unknown) => (this.state.stopOnWriteFailure(err), null));
      if (!s) return;
      this.summaries.set(exp.id, s);
      this.progress.line(s.error ? `${exp.id}: ${s.error.split('\n')[0]}` : `${exp.id}: report written (${countVerdicts(s.claims).text})`);
    });
  }

  /** Resolves when every report begun has been written. */
  settled(): Promise<void> {
    return this.queue;
  }
}

// The end of a run.

/** A run stopped by a failed write or Ctrl-C ends in one error saying how to resume. */
function throwIfStopped({ dir, plan }: Run, state: RunState): void {
  const resume = `${state.done.size} of ${plan.units.length} seeds are saved in ${dir}/seeds; run the same command again to resume`;
  const failure = state.writeFailure;
  if (failure) {
    throw new WriteError(
      failure.file,
      failure.reason,
      `cannot write to ${dir}: ${failure.reason} (writing ${failure.file}). ${resume} once it is fixed.`,
    );
  }
  if (state.interrupted) throw new Interrupted(`${resume}.`, state.signal === 'SIGTERM' ? 143 : 130);
}

const seedCounts = (plan: Plan) => Object.fromEntries(plan.exps.map((e) => [e.id, plan.seedCount(e)]));

/** A shard saves its seeds and a summary for mnm merge; returns 1 when a seed failed. */
function finishShard({ opts, dir, plan }: Run, shardOpt: Shard, state: RunState): number {
  const shard = `${shardOpt.index}/${shardOpt.count}`;
  writeSummary(dir, {
    kind: 'shard',
    scale: opts.scale,
    fingerprints: Object.fromEntries(plan.fingerprints),
    shard,
    seedCounts: seedCounts(plan),
    experiments: [],
    ...(plan.sweep && { sweep: plan.sweep }),
  });
  const bad = [...state.failed.entries()];
  for (const [id, msg] of bad) note(`${id}: ${msg.split('\n')[0]}`);
  say(
    `shard ${shard}: ${state.done.size} of ${plan.units.length} seeds saved in ${dir}/seeds. ` +
      'When every shard is done: mnm merge DIR... --out DIR',
  );
  return bad.length ? 1 : 0;
}

/** Every experiment's summary (those whose seeds did not all finish say why) into the results folder. */
function finishRun({ opts, dir, plan }: Run, state: RunState, summaries: Map<string, ExperimentSummary>): number {
  const experiments = plan.exps.map((e) => {
    const s = summaries.get(e.id);
    if (s) return s;
    const expected = (plan.unitsOf.get(e.id) ?? []).map((u) => u.seed);
    const seeds = expected.filter((seed) => state.done.has(key({ experiment: e.id, seed })));
    return {
      ...describe(e),
      seeds,
      missingSeeds: expected.filter((x) => !seeds.includes(x)),
      tables: [],
      figures: [],
      claims: [],
      error: state.failed.get(e.id) ?? 'did not finish',
    };
  });
  return finishReport(dir, {
    kind: 'report',
    scale: opts.scale,
    fingerprints: Object.fromEntries(plan.fingerprints),
    seedCounts: seedCounts(plan),
    experiments,
    ...(plan.sweep && { sweep: plan.sweep }),
  });
}
