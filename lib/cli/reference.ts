/**
 * `mnm reference`: the committed reference results (lib/report/reference.ts).
 *   mnm reference list  [--dir DIR]                 what a reference folder holds
 *   mnm reference check NAME [--dir DIR]            train run NAME again and check every number is identical
 *   mnm reference save  --from DIR --wall SECONDS [--out DIR] [--scale S] [ID...]  copy a finished run (E7–E10, or the
 *                                                   experiments named) into a reference folder
 *   mnm reference restore [--dir DIR]               put the reference's deep runs into the run cache
 */
import * as path from 'node:path';
import { type Scale, SCALES } from '../experiment';
import { checkDeepBackend, deepBackend } from '../deep/deep-backend';
import { codeHash } from '../experiments/deep-runs';
import { PROJECT_ROOT } from '../fingerprint';
import { showValue } from '../show';
import {
  BadReference,
  checkReferenceRun,
  experimentSave,
  readReferenceInfo,
  referenceDir,
  restoreRunCache,
  saveReference,
} from '../report/reference';
import { splitArgs } from './args';
import { UsageError } from './errors';
import { note, say } from './output';
import { DEFAULT_REGISTRY, loadRegistry } from './registry';

export const REFERENCE_USAGE = [
  'usage: mnm reference list [--dir DIR]',
  '       mnm reference check NAME [--dir DIR]',
  '       mnm reference save --from DIR --wall SECONDS [--out DIR] [--scale paper] [--backend tfjs|engine] [EXPERIMENT...]',
  '       mnm reference restore [--dir DIR]',
  '  list    the runs, experiments, machine and wall time of a reference folder (default data/reference/paper)',
  '  check   train the committed deep run NAME (e.g. point-maze-mnm-h1-s0) again and check that every number is identical',
  '  save    copy the finished E7–E10 run in results folder DIR (its seeds and, from results/.cache/deep-runs, its deep',
  "          runs) into the reference folder; SECONDS is the run's wall time (summed over sessions if it was resumed).",
  '          Name experiments (e.g. e7-q-value-stability e8-model-error) to save only those: the others keep their seeds.',
  '          --backend: the deep backend the run trained on (default $MNM_DEEP_BACKEND, else tfjs)',
  "  restore put the reference's deep runs into the run cache (results/.cache/deep-runs), as if trained here: a run",
  "          with more seeds then trains only the new ones, and a save of some experiments keeps the others' runs.",
  '          Refused when the reference came from other training code.',
].join('\n');

/** The experiments whose reference is committed: the deep ones, too long to run in a notebook. */
export const REFERENCE_EXPERIMENTS = ['e7-q-value-stability', 'e8-model-error', 'e9-rollout-horizon', 'e10-deep-comparison'];

/** The run cache deepRun keeps (lib/experiments/deep-runs.ts diskCacheDir), which save reads and restore fills. */
const RUN_CACHE = path.join(PROJECT_ROOT, 'results', '.cache', 'deep-runs');

const isScale = (s: string): s is Scale => (SCALES as readonly string[]).includes(s);

/** `f`, a reference file that is missing, damaged or inconsistent (BadReference) a usage error in one line. */
async function asUsage<T>(sub: string, f: () => T | Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof BadReference) throw new UsageError(`mnm reference ${sub}: ${err.message}`);
    throw err;
  }
}

/** The reference folder's run.json; a folder without one is a usage mistake, named. */
function infoOf(dir: string) {
  try {
    return readReferenceInfo(dir);
  } catch (err) {
    throw new UsageError(`mnm reference: ${(err as Error).message}`);
  }
}

export async function referenceCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { positional, flags } = splitArgs(rest, ['--dir', '--from', '--out', '--wall', '--scale', '--backend'], []);
  const scale = flags.get('--scale') ?? 'paper';
  if (!isScale(scale)) throw new UsageError(`mnm reference: --scale must be one of ${SCALES.join(', ')}, got ${showValue(scale)}`);
  const dir = path.resolve(flags.get('--dir') ?? referenceDir(scale));
  switch (sub) {
    case 'list': {
      const info = infoOf(dir);
      say(`${path.relative(PROJECT_ROOT, dir)}: ${info.scale} scale, saved ${info.saved}`);
      say(`  command: ${info.command}`);
      say(
        `  wall time ${(info.wallSeconds / 3600).toFixed(2)} h on ${info.machine.cores} cores (${info.machine.cpu}), ${info.backend}, node ${info.machine.node}`,
      );
      for (const [id, e] of Object.entries(info.experiments)) {
        const from = experimentSave(info, id);
        const old = from.trainingCode !== codeHash() ? ', earlier training code' : '';
        say(
          `  ${id}: seeds ${e.seeds.join(', ')} (code ${e.fingerprint}; saved ${from.saved.slice(0, 10)}, ${(from.wallSeconds / 3600).toFixed(2)} h${old})`,
        );
      }
      say(`  deep runs (mnm reference check NAME): ${info.runs.join(' ')}`);
      return 0;
    }
    case 'check': {
      if (positional.length !== 1)
        throw new UsageError('mnm reference check: name one run, e.g. point-maze-mnm-h1-s0 (mnm reference list shows them)');
      const info = infoOf(dir);
      if (!info.runs.includes(positional[0]))
        throw new UsageError(
          `mnm reference check: no run '${positional[0]}' in ${path.relative(PROJECT_ROOT, dir) || dir} (there are: ${info.runs.join(', ')})`,
        );
      if (info.trainingCode !== codeHash()) {
        note(`note: the training code changed since this reference was made (${info.trainingCode} → ${codeHash()}); the numbers decide.`);
      }
      let last = -1;
      const { run, difference, seconds } = await asUsage('check', () =>
        checkReferenceRun(dir, positional[0], (done, total) => {
          const pct = Math.floor((100 * done) / total / 10) * 10;
          if (pct !== last) note(`  ${positional[0]}: ${(last = pct)}%`);
        }),
      );
      if (difference) {
        say(`${positional[0]}: DIFFERENT from the reference (${seconds.toFixed(0)} s): ${difference}`);
        return 1;
      }
      const cols = Object.keys(run.rows[0] ?? {}).length;
      say(
        `${positional[0]}: identical to the reference: ${run.rows.length} evaluation rows × ${cols} columns, recomputed in ${seconds.toFixed(0)} s`,
      );
      return 0;
    }
    case 'restore': {
      if (positional.length) throw new UsageError(`mnm reference restore: takes no names, got ${showValue(positional.join(' '))}`);
      const { written, cached } = await asUsage('restore', () => restoreRunCache(dir, RUN_CACHE));
      say(`${path.relative(PROJECT_ROOT, RUN_CACHE)}: ${written} reference run(s) written, ${cached} already there`);
      return 0;
    }
    case 'save': {
      const from = flags.get('--from');
      const wall = Number(flags.get('--wall'));
      if (!from) throw new UsageError('mnm reference save: --from DIR (the finished results folder) is required');
      if (!(wall > 0 && Number.isFinite(wall)))
        throw new UsageError(`mnm reference save: --wall must be the run's wall time in seconds, got ${showValue(flags.get('--wall'))}`);
      const out = path.resolve(flags.get('--out') ?? referenceDir(scale));
      const registry = loadRegistry(DEFAULT_REGISTRY);
      for (const id of positional)
        if (!REFERENCE_EXPERIMENTS.includes(id))
          throw new UsageError(
            `mnm reference save: ${showValue(id)} is not one of the reference's experiments (${REFERENCE_EXPERIMENTS.join(', ')})`,
          );
      const ids = positional.length ? REFERENCE_EXPERIMENTS.filter((id) => positional.includes(id)) : REFERENCE_EXPERIMENTS;
      const experiments = ids.map((id) => {
        const e = registry.find((x) => x.id === id);
        if (!e) throw new Error(`experiment ${id} is not registered`);
        return e;
      });
      const backend = checkDeepBackend(flags.get('--backend') ?? deepBackend(), 'mnm reference save: --backend');
      const info = await asUsage('save', () =>
        saveReference({
          from: path.resolve(from),
          out,
          scale,
          experiments,
          cacheDir: RUN_CACHE,
          command: `npm run mnm -- run ${ids.join(' ')} --scale ${scale} --workers 2${backend === 'tfjs' ? '' : ` --backend ${backend}`}`,
          wallSeconds: wall,
          keep: positional.length > 0,
          backend,
        }),
      );
      say(
        `saved ${Object.keys(info.experiments).length} experiments and ${info.runs.length} deep runs into ${path.relative(PROJECT_ROOT, out)}`,
      );
      return 0;
    }
    default:
      throw new UsageError(`mnm reference: expected list, check, save or restore, got ${showValue(sub ?? '')}\n${REFERENCE_USAGE}`);
  }
}
