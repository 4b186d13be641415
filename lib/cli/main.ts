/**
 * The `mnm` command (run it as `npm run mnm -- ...`; `npm start` is `mnm run`):
 *   mnm list                      the experiments, what each reproduces, their seeds per scale
 *   mnm run [EXPERIMENT...] ...   run them into a results folder (workers, resume, shards)
 *   mnm merge DIR... --out DIR    combine results folders, claims recomputed from all seeds
 *   mnm notebooks ...             execute the notebooks and export them to HTML next to the report
 * A usage mistake prints one message and exits with 2; an experiment that fails exits with 1;
 * Ctrl-C exits with 130 and keeps the finished seeds.
 */
import { parseMergeArgs, parseNotebooksArgs, parseRunArgs, USAGE } from './args';
import { Interrupted, UsageError } from './errors';
import { DEFAULT_REGISTRY, loadRegistry } from './registry';

function list(argv: string[]): number {
  let registry = DEFAULT_REGISTRY;
  if (argv[0] === '--registry' && argv[1]) registry = argv[1];
  else if (argv.length) throw new UsageError(`list takes no arguments, got ${argv.join(' ')}`);
  const exps = loadRegistry(registry);
  if (exps.length === 0) console.log('no experiments registered yet (lib/experiments/index.ts)');
  for (const e of exps) {
    console.log(`${e.id}  —  ${e.title} (${e.paper})`);
    console.log(`    ${e.reproduces}`);
    console.log(`    seeds: smoke ${e.seeds.smoke}, quick ${e.seeds.quick}, paper ${e.seeds.paper}; notebook ${e.notebook}`);
  }
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
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
    case 'notebooks': {
      const { notebooksCommand } = await import('./notebooks');
      return notebooksCommand(parseNotebooksArgs(rest));
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
    default:
      throw new UsageError(`unknown command '${cmd}' (expected list, run, merge or notebooks)`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      if (err instanceof Interrupted) {
        console.error(`mnm: ${err.message}`);
        process.exit(130);
      }
      if (err instanceof UsageError) {
        console.error(`mnm: ${err.message}\n(run 'mnm help' for usage)`);
        process.exit(2);
      }
      console.error(`mnm: ${err.stack ?? err.message}`);
      process.exit(1);
    },
  );
}
