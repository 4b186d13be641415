/**
 * The `mnm` command (run it as `npm run mnm -- ...`; `npm start` is `mnm run`):
 *   mnm list                      the experiments, what each reproduces, their seeds per scale
 *   mnm run [EXPERIMENT...] ...   run them into a results folder (workers, resume, shards)
 *   mnm merge DIR... --out DIR    combine results folders, claims recomputed from all seeds
 *   mnm submit ... --shards N     the run as a Slurm job array plus a merge job (lib/cli/submit)
 *   mnm notebooks ...             execute the notebooks and export them to HTML next to the report
 *   mnm reference list|check|save the committed reference results (lib/cli/reference)
 * A usage mistake prints one message and exits with 2; an experiment that fails, or a results folder that
 * cannot be written (read-only, disk full), exits with 1;
 * Ctrl-C exits with 130 (SIGTERM, as Slurm and `timeout` send: 143) and keeps the finished seeds.
 */
import { WriteError } from '../io';
import { showText } from '../show';
import { COMMAND_USAGE, parseMergeArgs, parseNotebooksArgs, parseRunArgs, USAGE } from './args';
import { Interrupted, UsageError } from './errors';
import { setLockCommand } from './folder-lock';
import { DEFAULT_REGISTRY, loadRegistry } from './registry';
import { note, say } from './output';

function list(argv: string[]): number {
  let registry = DEFAULT_REGISTRY;
  if (argv[0] === '--registry' && argv[1]) registry = argv[1];
  else if (argv.length) throw new UsageError(`list takes no arguments, got ${showText(argv.join(' '))}`);
  const exps = loadRegistry(registry);
  if (exps.length === 0) say('no experiments registered yet (lib/experiments/index.ts)');
  for (const e of exps) {
    say(`${e.id}  —  ${e.title} (${e.paper})`);
    say(`    ${e.reproduces}`);
    say(`    seeds: smoke ${e.seeds.smoke}, quick ${e.seeds.quick}, paper ${e.seeds.paper}; notebook ${e.notebook}`);
  }
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  // `mnm run --help` (or -h) anywhere among a command's arguments shows that command's usage.
  if (cmd && rest.some((a) => a === '--help' || a === '-h')) {
    const submitLine = USAGE.split('\n')
      .find((l) => l.includes('mnm submit'))!
      .trim();
    const usage =
      cmd === 'submit'
        ? `usage: ${submitLine}\nrun flags:\n${COMMAND_USAGE.run.split('\n').slice(2).join('\n')}\n${(await import('./submit')).SUBMIT_USAGE}`
        : cmd === 'reference'
          ? (await import('./reference')).REFERENCE_USAGE
          : COMMAND_USAGE[cmd];
    if (usage) {
      say(usage);
      return 0;
    }
  }
  switch (cmd) {
    case 'list':
      return list(rest);
    case 'run': {
      const { runCommand } = await import('./run');
      return runCommand(parseRunArgs(rest));
    }
    case 'merge': {
      const { mergeCommand } = await import('./merge');
      return mergeCommand(parseMergeArgs(rest));
    }
    case 'submit': {
      const { parseSubmitArgs, submitCommand } = await import('./submit');
      return submitCommand(parseSubmitArgs(rest));
    }
    case 'notebooks': {
      const { notebooksCommand } = await import('./notebooks');
      return notebooksCommand(parseNotebooksArgs(rest));
    }
    case 'reference': {
      const { referenceCommand } = await import('./reference');
      return referenceCommand(rest);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      say(`${USAGE}\n${(await import('./submit')).SUBMIT_USAGE}`);
      return 0;
    default:
      throw new UsageError(`unknown command ${showText(cmd)} (expected list, run, merge, submit, notebooks or reference)`);
  }
}

/** Runs the command and turns every error into its message and exit code (2 usage, 130/143 interrupted, 1 otherwise). */
export async function cli(argv: string[]): Promise<number> {
  setLockCommand(argv);
  try {
    return await main(argv);
  } catch (e) {
    const err = e as Error;
    if (err instanceof Interrupted) {
      note(`mnm: ${err.message}`);
      return err.exitCode;
    }
    if (err instanceof WriteError) {
      note(`mnm: ${err.message}`);
      return 1;
    }
    if (err instanceof UsageError) {
      note(`mnm: ${err.message}\n(run 'mnm help' for usage)`);
      return 2;
    }
    note(`mnm: ${err.stack ?? err.message}`);
    return 1;
  }
}

if (require.main === module) {
  cli(process.argv.slice(2)).then((code) => process.exit(code));
}
