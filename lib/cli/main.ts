/**
 * The `mnm` command: `mnm list`, `mnm run [EXPERIMENT...] --scale S --seeds N --out DIR`.
 * Writes, per experiment, tidy tables (Parquet) and figures (SVG, PNG), and for the run `claims.json`
 * and `claims.md`, then prints the claims table and where everything went.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { claimsMarkdown } from '../claims';
import { type Claim, type Scale, parseScale, runExperiment } from '../experiment';
import { EXPERIMENTS, findExperiment } from '../experiments';
import { writeFileAtomic, writeJsonAtomic } from '../io';
import { writeFigure } from '../plot/render';

interface RunArgs { experiments: string[]; scale: Scale; seeds?: number; out: string }

function usage(): string {
  return [
    'usage: mnm list',
    '       mnm run [EXPERIMENT...] [--scale smoke|quick|paper] [--seeds N] [--out DIR]',
  ].join('\n');
}

class UsageError extends Error {}

function parseRun(argv: string[]): RunArgs {
  const args: RunArgs = { experiments: [], scale: 'quick', out: '' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--scale') args.scale = parseScale(value(), '--scale');
    else if (a === '--seeds') {
      const v = value();
      const n = Number(v);
      if (!(Number.isInteger(n) && n > 0)) throw new UsageError(`--seeds must be a positive integer, got '${v}'`);
      args.seeds = n;
    } else if (a === '--out') args.out = value();
    else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else args.experiments.push(a);
  }
  for (const id of args.experiments) findExperiment(id);
  if (!args.out) args.out = path.join('results', args.scale);
  return args;
}

async function run(args: RunArgs): Promise<void> {
  const exps = args.experiments.length ? args.experiments.map(findExperiment) : EXPERIMENTS;
  const out = path.resolve(args.out);
  fs.mkdirSync(out, { recursive: true });
  fs.accessSync(out, fs.constants.W_OK);
  const claims: Claim[] = [];
  for (const exp of exps) {
    const t0 = performance.now();
    process.stderr.write(`[${exp.id}] running at scale ${args.scale}...\n`);
    const rep = await runExperiment(exp, { scale: args.scale, seeds: args.seeds });
    const dir = path.join(out, exp.id);
    for (const [name, df] of Object.entries(rep.tables)) writeFileAtomic(path.join(dir, `${name}.parquet`), df.writeParquet());
    for (const [name, spec] of Object.entries(rep.figures)) await writeFigure(spec, path.join(dir, name));
    claims.push(...rep.claims);
    process.stderr.write(`[${exp.id}] done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  writeJsonAtomic(path.join(out, 'claims.json'), claims);
  writeFileAtomic(path.join(out, 'claims.md'), claimsMarkdown(claims));
  console.log(claimsMarkdown(claims));
  const failed = claims.filter((c) => !c.holds).length;
  console.log(`${claims.length} claims checked, ${claims.length - failed} hold, ${failed} do not.`);
  console.log(`results written to ${out}`);
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === 'list') {
    if (EXPERIMENTS.length === 0) console.log('no experiments yet');
    for (const e of EXPERIMENTS) {
      console.log(`${e.id.padEnd(24)} ${e.paper.padEnd(14)} ${e.reproduces}`);
      console.log(`${''.padEnd(24)} seeds: smoke ${e.seeds.smoke}, quick ${e.seeds.quick}, paper ${e.seeds.paper}; notebook ${e.notebook}`);
    }
    return 0;
  }
  if (cmd === 'run') {
    await run(parseRun(rest));
    return 0;
  }
  console.error(usage());
  return cmd === undefined || cmd === '--help' || cmd === '-h' ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`mnm: ${err.message}`);
    if (err instanceof UsageError) console.error(usage());
    process.exit(2);
  },
);
