/**
 * `mnm submit`: a run as a Slurm job array, one array task per shard, plus a merge job that starts when every
 * task has succeeded (afterok). Each task is `mnm run … --shard I/N --out DIR/shards/shard-I`; the merge job is
 * `mnm merge DIR/shards/shard-* --out DIR`. The two batch scripts are written to DIR/slurm/ (and printed with
 * --dry-run). Submitting the same command again submits only the shards that still lack units (a task that was
 * cancelled or failed resumes from the units it saved), then the merge.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { writeFileAtomic } from '../io';
import { showValue } from '../show';
import { parseRunArgs, parseShard, type RunOptions } from './args';
import { UsageError } from './errors';
import { planUnits, shardUnits } from './run';
import { planExperiments, readSweep } from './sweep';
import { openResultsFolder } from './folder-lock';
import { codeFingerprints, loadSeed } from '../seed-store';
import { deepBackend } from '../deep/deep-backend';
import { note, say } from './output';

export interface SlurmOptions {
  /** Array tasks, one shard each. */
  shards: number;
  partition?: string;
  /** Slurm time limit per task, e.g. `30`, `2:00:00`, `1-12`. */
  time?: string;
  cpusPerTask: number;
  /** Memory per task, e.g. `4G`. */
  mem?: string;
}

export interface SubmitOptions {
  run: RunOptions;
  slurm: SlurmOptions;
  dryRun: boolean;
}

const SUBMIT_VALUED = ['--shards', '--partition', '--time', '--cpus-per-task', '--mem'] as const;

export const SUBMIT_USAGE = [
  'submit: the run flags above (not --shard), plus',
  '      --shards N          array tasks, one shard of the (experiment, seed) units each (required)',
  '      --partition P       Slurm partition (default: the cluster default)',
  '      --time T            time limit per task: MIN, MIN:SEC, H:MM:SS, D-H, D-H:MM or D-H:MM:SS',
  '      --cpus-per-task C   CPUs per task (default 1); each task runs C worker threads unless --workers is given',
  '      --mem M             memory per task: a number with an optional unit K, M, G or T (e.g. 4G)',
  '      --dry-run           write the batch scripts to DIR/slurm/ and print them, submit nothing',
].join('\n');

// Slurm's own time formats (sbatch --time).
const TIME = /^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+|\d+-\d+:\d{1,2}|\d+-\d+:\d{1,2}:\d{1,2}|UNLIMITED|INFINITE)$/;

function positive(v: string, flag: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got ${showValue(v)}`);
  return n;
}

/** Splits the submit flags from the run flags, and checks both. */
export function parseSubmitArgs(argv: string[]): SubmitOptions {
  const flags = new Map<string, string>();
  const rest: string[] = [];
  let dryRun = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (name === '--dry-run') {
      if (eq > 0) throw new UsageError('--dry-run takes no value');
      dryRun = true;
    } else if ((SUBMIT_VALUED as readonly string[]).includes(name)) {
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined || (eq < 0 && v.startsWith('--'))) throw new UsageError(`${name} needs a value`);
      if (flags.has(name)) throw new UsageError(`${name} given twice`);
      flags.set(name, v);
    } else rest.push(a);
  }
  const run = parseRunArgs(rest);
  if (run.shard) throw new UsageError(`--shard: mnm submit gives every array task its own shard; say how many with --shards N`);
  const shardsV = flags.get('--shards');
  if (shardsV === undefined) throw new UsageError('submit needs --shards N (how many array tasks to split the run into)');
  const partition = flags.get('--partition');
  if (partition !== undefined && !/^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$/.test(partition)) {
    throw new UsageError(`--partition must be a Slurm partition name (letters, digits, '.', '_', '-'), got ${showValue(partition)}`);
  }
  const time = flags.get('--time');
  if (time !== undefined && !TIME.test(time)) {
    throw new UsageError(`--time must be a Slurm time limit (MIN, MIN:SEC, H:MM:SS, D-H, D-H:MM or D-H:MM:SS), got ${showValue(time)}`);
  }
  const mem = flags.get('--mem');
  if (mem !== undefined && !/^[1-9]\d*[KMGT]?$/.test(mem)) {
    throw new UsageError(`--mem must be a positive number with an optional unit K, M, G or T (e.g. 4G), got ${showValue(mem)}`);
  }
  const cpusPerTask = flags.has('--cpus-per-task') ? positive(flags.get('--cpus-per-task')!, '--cpus-per-task') : 1;
  const workersGiven = rest.some((a) => a === '--workers' || a.startsWith('--workers='));
  return {
    run: workersGiven ? run : { ...run, workers: cpusPerTask },
    slurm: { shards: positive(shardsV, '--shards'), partition, time, cpusPerTask, mem },
    dryRun,
  };
}

/** Quotes one word for bash. */
export function shq(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface SlurmPlan {
  /** The project root the tasks run in (the same checkout on every node). */
  root: string;
  /** The results folder (absolute). */
  out: string;
  run: RunOptions;
  slurm: SlurmOptions;
}

/** The experiment parameters of the run (the `config` section of --config), frozen at submission for every task. */
export function configFile(out: string): string {
  return path.join(out, 'slurm', 'config.json');
}

/** The sweep of the run (--sweep), frozen at submission for every task. */
export function sweepFile(out: string): string {
  return path.join(out, 'slurm', 'sweep.json');
}

/** The folder each array task saves its shard in. */
export function shardDir(out: string, index: number | string): string {
  return path.join(out, 'shards', `shard-${index}`);
}

function directives(plan: SlurmPlan, name: string, output: string, extra: string[]): string[] {
  const s = plan.slurm;
  return [
    `#SBATCH --job-name=${name}`,
    ...extra,
    `#SBATCH --chdir=${plan.root}`,
    `#SBATCH --output=${output}`,
    ...(s.partition ? [`#SBATCH --partition=${s.partition}`] : []),
    ...(s.time ? [`#SBATCH --time=${s.time}`] : []),
    `#SBATCH --cpus-per-task=${s.cpusPerTask}`,
    ...(s.mem ? [`#SBATCH --mem=${s.mem}`] : []),
  ];
}

/** The two batch scripts: the array of shards and the merge. Pure text, the same for the same plan. */
export function slurmScripts(plan: SlurmPlan): { run: string; merge: string } {
  const { root, out, run, slurm } = plan;
  const mnm = `${shq(path.join(root, 'node_modules', '.bin', 'tsx'))} ${shq(path.join(root, 'lib', 'cli', 'main.ts'))}`;
  const registry = run.registry ? ['--registry', path.resolve(run.registry)] : [];
  const runArgs = [
    ...run.experiments,
    '--scale',
    run.scale,
    ...(run.seeds !== undefined ? ['--seeds', String(run.seeds)] : []),
    ...(run.fresh ? ['--fresh'] : []),
    ...registry,
    ...(run.config ? ['--config', configFile(out)] : []),
    ...(run.sweep ? ['--sweep', sweepFile(out)] : []),
    ...(run.backend ? ['--backend', run.backend] : []),
    '--workers',
    String(run.workers),
  ].map(shq);
  const logs = path.join(out, 'slurm', 'logs');
  const N = slurm.shards;
  const runScript = [
    '#!/bin/bash',
    ...directives(plan, 'mnm-run', path.join(logs, 'run-%A_%a.out'), [`#SBATCH --array=1-${N}`]),
    `# Written by mnm submit: array task I runs shard I of ${N} of the (experiment, seed) units and saves them for the merge job.`,
    '# Submitting it again resumes: units already saved in the shard folder are not recomputed.',
    'set -euo pipefail',
    `exec ${mnm} run ${runArgs.join(' ')} --shard "$SLURM_ARRAY_TASK_ID/${N}" --out ${shq(path.join(out, 'shards', 'shard-'))}"$SLURM_ARRAY_TASK_ID"`,
    '',
  ].join('\n');
  const shards = Array.from({ length: N }, (_, i) => shq(shardDir(out, i + 1)));
  const mergeScript = [
    '#!/bin/bash',
    ...directives(plan, 'mnm-merge', path.join(logs, 'merge-%j.out'), []),
    '# Written by mnm submit: runs once every array task has succeeded (afterok); claims are recomputed from all shards.',
    'set -euo pipefail',
    `exec ${mnm} merge ${shards.join(' ')} --out ${shq(out)}${registry.length ? ` --registry ${shq(registry[1])}` : ''}`,
    '',
  ].join('\n');
  return { run: runScript, merge: mergeScript };
}

/** Shards (1..N) that still lack a unit saved by the current code: what a (re)submission must run. */
export function shardsToRun(plan: SlurmPlan): number[] {
  const { run, slurm } = plan;
  const { registry, exps, configs } = planExperiments(run);
  const units = planUnits(exps, (e) => run.seeds ?? e.seeds[run.scale]);
  // A shard without units would save nothing, and the merge would refuse its empty folder.
  if (slurm.shards > units.length) {
    throw new UsageError(
      `--shards ${slurm.shards}: the run has only ${units.length} (experiment, seed) units; use at most that many shards`,
    );
  }
  if (run.fresh) return Array.from({ length: slurm.shards }, (_, i) => i + 1);
  const fingerprints = codeFingerprints(registry, exps, run.backend ?? deepBackend());
  const todo: number[] = [];
  for (let i = 1; i <= slurm.shards; i++) {
    const dir = shardDir(plan.out, i);
    const complete = shardUnits(units, parseShard(`${i}/${slurm.shards}`)).every((u) => {
      try {
        const rec = loadSeed(dir, run.scale, u);
        return (
          rec !== null && rec.fingerprint === fingerprints.get(u.experiment) && isDeepStrictEqual(rec.config, configs.get(u.experiment))
        );
      } catch {
        return false;
      }
    });
    if (!complete) todo.push(i);
  }
  return todo;
}

/** `1-3,5`: Slurm's array syntax for a list of indices. */
export function arraySpec(indices: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < indices.length;) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j] + 1) j++;
    parts.push(i === j ? `${indices[i]}` : `${indices[i]}-${indices[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

function onPath(cmd: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((d) => d !== '' && fs.existsSync(path.join(d, cmd)));
}

function sbatch(args: string[]): string {
  const r = spawnSync('sbatch', ['--parsable', ...args], { encoding: 'utf8' });
  if (r.error) throw new UsageError(`submit: could not start sbatch: ${r.error.message}`);
  if (r.status !== 0) throw new UsageError(`submit: sbatch ${args.join(' ')} failed (exit ${r.status}): ${r.stderr.trim()}`);
  // --parsable prints "jobid" or "jobid;cluster".
  return r.stdout.trim().split(';')[0];
}

export async function submitCommand(opts: SubmitOptions): Promise<number> {
  // Checked before anything is written: the scheduler's client is there, the experiments exist, the folder is writable.
  if (!opts.dryRun && !onPath('sbatch')) {
    throw new UsageError(
      "submit: Slurm's sbatch is not on PATH. Run this on a cluster's login node (e.g. after 'module load slurm'), " +
        'or install the Slurm client (Debian/Ubuntu: apt-get install slurm-client); --dry-run writes the scripts without it',
    );
  }
  const out = path.resolve(opts.run.out);
  const plan: SlurmPlan = { root: path.resolve(__dirname, '..', '..'), out, run: opts.run, slurm: opts.slurm };
  const todo = shardsToRun(plan);
  openResultsFolder(out).release(); // writable, and no other mnm is writing there
  const scripts = slurmScripts(plan);
  const dir = path.join(out, 'slurm');
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  const runFile = path.join(dir, 'run.sbatch');
  const mergeFile = path.join(dir, 'merge.sbatch');
  writeFileAtomic(runFile, scripts.run);
  writeFileAtomic(mergeFile, scripts.merge);
  if (opts.run.config) writeFileAtomic(configFile(out), JSON.stringify({ config: opts.run.config }, null, 2) + '\n');
  if (opts.run.sweep) writeFileAtomic(sweepFile(out), JSON.stringify(readSweep(opts.run.sweep), null, 2) + '\n');
  const array = arraySpec(todo);
  const runCmd = `sbatch --array=${array} ${runFile}`;
  const mergeCmd = `sbatch --dependency=afterok:JOBID --kill-on-invalid-dep=yes ${mergeFile}`;
  if (opts.dryRun) {
    say(`# ${runFile}\n${scripts.run}\n# ${mergeFile}\n${scripts.merge}`);
    say(
      todo.length
        ? `# to submit (shards ${array} of ${opts.slurm.shards} lack units):\n${runCmd}\n${mergeCmd}   # JOBID: the first job's id`
        : `# every shard is complete; to submit the merge:\nsbatch ${mergeFile}`,
    );
    return 0;
  }
  let mergeId: string;
  if (todo.length) {
    const runId = sbatch([`--array=${array}`, runFile]);
    // Without --kill-on-invalid-dep the merge would wait forever once a task has failed or been cancelled.
    mergeId = sbatch([`--dependency=afterok:${runId}`, '--kill-on-invalid-dep=yes', mergeFile]);
    say(`submitted array job ${runId} (shards ${array} of ${opts.slurm.shards}) and merge job ${mergeId} (after the array succeeds)`);
  } else {
    mergeId = sbatch([mergeFile]);
    say(`every shard is complete; submitted merge job ${mergeId}`);
  }
  note(`mnm submit: scripts and logs in ${dir}; results will be in ${out}. Follow with: squeue -j ${mergeId}`);
  note('If a task fails or is cancelled, submit the same command again: only the shards that lack units run, then the merge.');
  return 0;
}
