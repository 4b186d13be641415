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
import { writeResultsFolder } from '../report/results-folder';
import { verdictCounts } from '../report/claims-markdown';
import { WriteError } from '../io';
import type { RunOptions, Shard } from './args';
import { Interrupted } from './errors';
import { openResultsFolder } from './folder-lock';
import { UnitPool } from './pool';
import { planExperiments } from './sweep';
import { Progress } from './progress';
import { BadSeedFile, codeFingerprints, loadSeed, saveSeed, type SeedRecord, typedResults, type WorkUnit } from './seed-store';
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
  const files = writeResultsFolder(dir, summary);
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
  // Everything the user asked for is checked, and the work planned, before the folder is touched.
  const { registry, exps, configs, sweep } = planExperiments(opts);
  const fingerprints = codeFingerprints(registry, exps);
  const seedCount = (e: Experiment) => opts.seeds ?? e.seeds[opts.scale];
  const units = shardUnits(planUnits(exps, seedCount), opts.shard);
  const folder = openResultsFolder(opts.out);
  try {
    return await runInFolder(opts, folder.dir, { registry, exps, configs, sweep, fingerprints, seedCount, units });
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
}

async function runInFolder(
  opts: RunOptions,
  dir: string,
  { registry, exps, configs, sweep, fingerprints, seedCount, units }: Plan,
): Promise<number> {
  if (exps.length === 0) note('mnm: no experiments are registered yet (lib/experiments/index.ts)');

  const done = new Map<string, SeedRecord>();
  const key = (u: WorkUnit) => `${u.experiment}/${u.seed}`;
  let stale = 0;
  for (const u of units) {
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
    if (rec && rec.fingerprint === fingerprints.get(u.experiment) && isDeepStrictEqual(rec.config, configs.get(u.experiment))) {
      done.set(key(u), rec);
    } else if (rec) stale++;
  }
  const todo = units.filter((u) => !done.has(key(u)));
  // More threads than units would sit idle; more than cores only add memory and contention.
  const workers = Math.min(opts.workers, todo.length);
  const cores = os.availableParallelism();
  if (workers > cores) {
    note(
      `mnm: warning: ${workers} worker threads on ${cores} core(s); each thread loads its own copy of the code, so more threads than cores cost memory and add no speed`,
    );
  }
  note(
    `mnm: ${exps.length} experiment(s), ${units.length} seed(s) at scale ${opts.scale}` +
      (opts.shard ? ` (shard ${opts.shard.index}/${opts.shard.count})` : '') +
      `; ${done.size} already saved in ${dir}/seeds` +
      (stale ? `, ${stale} saved by different code, data or config (recomputed)` : '') +
      `; running ${todo.length} on ${workers === 0 ? 'this thread' : `${workers} worker thread(s)`}`,
  );

  // Reports are built as soon as an experiment's last seed is in, while other experiments still run.
  const summaries = new Map<string, ExperimentSummary>();
  const failed = new Map<string, string>();
  let reporting = Promise.resolve();
  const progress = new Progress(todo, { lanes: Math.max(1, workers), stream: output.stderr });
  const pool = new UnitPool({ workers, registry, scale: opts.scale, experiments: exps, configs, sweep });
  // A write into the folder that fails (read-only, disk full) stops the run: the remaining workers are
  // stopped, every seed saved so far is kept, and the same command resumes once the cause is fixed.
  let writeFailure: WriteError | null = null;
  let interrupted = false;
  const stopOnWriteFailure = (err: unknown) => {
    if (!(err instanceof WriteError)) throw err;
    if (writeFailure) return;
    writeFailure = err;
    progress.clear();
    void pool.stop();
  };
  const reportWhenComplete = (exp: Experiment) => {
    if (opts.shard) return;
    const mine = units.filter((u) => u.experiment === exp.id);
    if (!mine.every((u) => done.has(key(u)))) return;
    reporting = reporting.then(async () => {
      if (writeFailure || interrupted) return; // Ctrl-C: reports not yet begun are skipped, so the run stops at once
      const s = await reportExperiment(
        dir,
        exp,
        opts.scale,
        configs.get(exp.id)!,
        mine.map((u) => done.get(key(u))!),
        mine.map((u) => u.seed),
      ).catch((err: unknown) => (stopOnWriteFailure(err), null));
      if (!s) return;
      summaries.set(exp.id, s);
      progress.line(s.error ? `${exp.id}: ${s.error.split('\n')[0]}` : `${exp.id}: report written (${countVerdicts(s.claims).text})`);
    });
  };
  for (const e of exps) if (units.some((u) => u.experiment === e.id)) reportWhenComplete(e);

  let firstSigint = 0;
  const onSigint = () => {
    // A second Ctrl-C leaves at once. One within a second is the same Ctrl-C arriving twice: a terminal
    // signals the whole process group, and tsx relays the signal to its child once more.
    if (interrupted) {
      if (performance.now() - firstSigint > 1000) process.exit(130);
      return;
    }
    firstSigint = performance.now();
    interrupted = true;
    progress.clear();
    note('\nmnm: interrupted — stopping workers; finished seeds are kept.');
    void pool.stop();
  };
  // Running in this thread (workers 0), a seed cannot be stopped midway: Ctrl-C keeps its default effect.
  if (workers > 0) process.on('SIGINT', onSigint);
  try {
    await pool.run(todo, {
      shouldRun: (u) => {
        const go = !failed.has(u.experiment) && !interrupted && !writeFailure;
        if (!go) progress.skip(u);
        return go;
      },
      onStart: (u) => progress.start(u),
      onProgress: (u, d, t, note) => progress.update(u, d, t, note),
      onDone: (u, result, seconds) => {
        if (writeFailure) return;
        const rec: SeedRecord = {
          ...u,
          scale: opts.scale,
          fingerprint: fingerprints.get(u.experiment)!,
          config: configs.get(u.experiment),
          seconds,
          result,
        };
        try {
          saveSeed(dir, rec);
        } catch (err) {
          stopOnWriteFailure(err);
          return;
        }
        done.set(key(u), rec);
        progress.finish(u, seconds);
        reportWhenComplete(exps.find((e) => e.id === u.experiment)!);
      },
      onError: (u, message) => {
        failed.set(u.experiment, `seed ${u.seed} failed: ${message}`);
        progress.fail(u, message);
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
    progress.clear();
  }
  await reporting;
  const resume = `${done.size} of ${units.length} seeds are saved in ${dir}/seeds; run the same command again to resume`;
  const failure = writeFailure as WriteError | null;
  if (failure) {
    throw new WriteError(
      failure.file,
      failure.reason,
      `cannot write to ${dir}: ${failure.reason} (writing ${failure.file}). ${resume} once it is fixed.`,
    );
  }
  if (interrupted) throw new Interrupted(`${resume}.`);

  const seedCounts = Object.fromEntries(exps.map((e) => [e.id, seedCount(e)]));
  if (opts.shard) {
    const shard = `${opts.shard.index}/${opts.shard.count}`;
    writeSummary(dir, {
      kind: 'shard',
      scale: opts.scale,
      fingerprints: Object.fromEntries(fingerprints),
      shard,
      seedCounts,
      experiments: [],
      ...(sweep && { sweep }),
    });
    const bad = [...failed.entries()];
    for (const [id, msg] of bad) note(`${id}: ${msg.split('\n')[0]}`);
    say(
      `shard ${shard}: ${done.size} of ${units.length} seeds saved in ${dir}/seeds. ` +
        'When every shard is done: mnm merge DIR... --out DIR',
    );
    return bad.length ? 1 : 0;
  }
  const experiments = exps.map((e) => {
    const s = summaries.get(e.id);
    if (s) return s;
    const seeds = units.filter((u) => u.experiment === e.id && done.has(key(u))).map((u) => u.seed);
    const expected = units.filter((u) => u.experiment === e.id).map((u) => u.seed);
    return {
      ...describe(e),
      seeds,
      missingSeeds: expected.filter((x) => !seeds.includes(x)),
      tables: [],
      figures: [],
      claims: [],
      error: failed.get(e.id) ?? 'did not finish',
    };
  });
  return finishReport(dir, {
    kind: 'report',
    scale: opts.scale,
    fingerprints: Object.fromEntries(fingerprints),
    seedCounts,
    experiments,
    ...(sweep && { sweep }),
  });
}
