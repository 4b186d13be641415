/**
 * Every mistake in flags or a config file gets one clear message and a non-zero exit before any work
 * starts: no seed is computed and no results folder is created.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { UsageError } from '../../lib/cli/errors';
import { parseNotebooksArgs } from '../../lib/cli/args';
import { main } from '../../lib/cli/main';
import { computedSeeds, FIXTURES, mnm, mnmHere, tmpDir } from './helpers';

const base = tmpDir('validation');
const log = path.join(base, 'computed.log');
process.env.MNM_FIXTURE_LOG = log;
after(() => fs.rmSync(base, { recursive: true, force: true }));

function config(name: string, value: unknown): string {
  const file = path.join(base, name);
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}
const aFile = path.join(base, 'a-file');
fs.writeFileSync(aFile, 'not a folder');

const cases: { name: string; args: string[]; message: RegExp }[] = [
  { name: 'unknown experiment', args: ['run', 'fx-coin', 'nope'], message: /^unknown experiment 'nope' \(known: fx-coin, fx-slow/ },
  {
    name: 'bad scale',
    args: ['run', '--scale', 'huge'],
    message: /^--scale: unknown scale "huge" \(expected one of smoke, quick, paper\)$/,
  },
  { name: 'zero seeds', args: ['run', '--seeds', '0'], message: /^--seeds must be a positive integer of at most 10000, got "0"$/ },
  { name: 'negative seeds', args: ['run', '--seeds=-3'], message: /^--seeds must be a positive integer of at most 10000, got "-3"$/ },
  { name: 'fractional seeds', args: ['run', '--seeds', '1.5'], message: /^--seeds must be a positive integer/ },
  { name: 'seeds without a value', args: ['run', '--seeds'], message: /^--seeds needs a value$/ },
  // Issue 15, crash 1: every (experiment, seed) unit is planned, so a huge count exhausted the heap or threw a RangeError.
  {
    name: 'a billion seeds',
    args: ['run', '--seeds', '1000000000'],
    message: /^--seeds must be a positive integer of at most 10000, got "1000000000"$/,
  },
  {
    name: 'seeds beyond any integer',
    args: ['run', '--seeds', '99999999999999999999'],
    message: /^--seeds must be a positive integer of at most 10000, got "99999999999999999999"$/,
  },
  {
    name: 'workers beyond any integer',
    args: ['run', '--workers', '99999999999999999999'],
    message: /^--workers must be a non-negative integer of at most 9007199254740991, got "99999999999999999999"$/,
  },
  { name: 'seeds in exponent notation', args: ['run', '--seeds', '1e3'], message: /^--seeds must be a positive integer/ },
  {
    name: 'config with too many seeds',
    args: ['run', '--config', config('many.json', { seeds: 1e20 })],
    message: /^--config .*many\.json 'seeds' must be a positive integer of at most 10000, got 100000000000000000000$/,
  },
  {
    name: 'shard count beyond any integer',
    args: ['run', '--shard', '1/99999999999999999999'],
    message: /^--shard 1\/9+: N is too large$/,
  },
  // An empty value is no value: `--out ""` wrote into the current folder.
  { name: 'empty --out', args: ['run', '--out', ''], message: /^--out needs a value, got an empty one$/ },
  { name: 'empty --out=', args: ['run', '--out='], message: /^--out needs a value, got an empty one$/ },
  { name: 'empty --config', args: ['run', '--config', ''], message: /^--config needs a value, got an empty one$/ },
  { name: 'empty merge --out', args: ['merge', base, '--out', ''], message: /^--out needs a value, got an empty one$/ },
  { name: 'empty notebooks --out', args: ['notebooks', '--out', ''], message: /^--out needs a value, got an empty one$/ },
  // A registry that is not a module gave a stack trace.
  {
    name: 'registry that is not a module',
    args: ['run', '--registry', 'README.md'],
    message: /^--registry README\.md: the module does not load: SyntaxError: /,
  },
  {
    name: 'registry whose import throws',
    args: ['run', '--registry', config('throws.ts', "throw new Error('broken at import');\nexport const EXPERIMENTS = [];\n")],
    message: /^--registry .*throws\.ts: the module does not load: broken at import \(at .*throws\.ts:1\)$/,
  },
  { name: 'registry that is a folder', args: ['run', '--registry', 'lib'], message: /^--registry: no such file lib$/ },
  {
    name: 'list with a registry that is not a module',
    args: ['list', '--registry', 'README.md'],
    message: /^--registry README\.md: the module does not load: SyntaxError: /,
  },
  { name: 'negative workers', args: ['run', '--workers', '-1'], message: /^--workers must be a non-negative integer/ },
  { name: 'unknown flag', args: ['run', '--frobnicate'], message: /^unknown option --frobnicate \(expected --scale, / },
  { name: 'bad shard', args: ['run', '--shard', '3/2'], message: /^--shard 3\/2: need 1 <= I <= N$/ },
  { name: 'malformed shard', args: ['run', '--shard', 'half'], message: /^--shard must look like I\/N/ },
  {
    name: 'unwritable folder',
    args: ['run', '--out', path.join(aFile, 'results')],
    message: /^--out .*a-file\/results: cannot write there \(a file stands where a folder is needed\)$/,
  },
  // Node's recursive mkdir never returns here; the check must still answer at once.
  {
    name: 'folder on a read-only pseudo file system',
    args: ['run', '--out', '/proc/mnm-results/x'],
    message: /^--out \/proc\/mnm-results\/x: cannot write there \(ENOENT: no such file or directory, mkdir '\/proc\/mnm-results'\)$/,
  },
  {
    name: 'missing config',
    args: ['run', '--config', path.join(base, 'none.json')],
    message: /^--config: cannot read .*none\.json: no such file$/,
  },
  {
    name: 'config not JSON',
    args: ['run', '--config', config('broken.json', '{scale: quick')],
    message: /^--config: .*broken\.json is not valid JSON/,
  },
  {
    name: 'config unknown key',
    args: ['run', '--config', config('key.json', { scale: 'smoke', sedes: 3 })],
    message: /^--config .*key\.json: unknown key sedes \(expected experiments, /,
  },
  {
    name: 'config bad seeds',
    args: ['run', '--config', config('seeds.json', { seeds: 0 })],
    message: /^--config .*seeds\.json 'seeds' must be a positive integer of at most 10000, got 0$/,
  },
  {
    name: 'config bad scale',
    args: ['run', '--config', config('scale.json', { scale: 'big' })],
    message: /^--config .*scale\.json 'scale': unknown scale "big"/,
  },
  {
    name: 'config unknown experiment',
    args: ['run', '--config', config('exp.json', { experiments: ['fx-coin', 'nope'] })],
    message: /^unknown experiment 'nope'/,
  },
  { name: 'unknown command', args: ['frobnicate'], message: /^unknown command 'frobnicate'/ },
  { name: 'merge without --out', args: ['merge', base], message: /^merge needs --out DIR/ },
  {
    name: 'merge of a missing folder',
    args: ['merge', path.join(base, 'nothing'), '--out', path.join(base, 'm')],
    message: /^merge: no such results folder/,
  },
  {
    name: 'missing notebook',
    args: ['notebooks', 'notebooks/none.ipynb'],
    message: /^notebooks: no such notebook notebooks\/none\.ipynb$/,
  },
];

for (const c of cases) {
  test(`rejected before any work: ${c.name}`, async () => {
    const out = path.join(base, `out-${c.name.replace(/\W+/g, '-')}`);
    const has = (flag: string) => c.args.some((a) => a === flag || a.startsWith(`${flag}=`));
    const args =
      c.args[0] === 'run'
        ? [...c.args, ...(has('--registry') ? [] : ['--registry', FIXTURES]), ...(has('--out') ? [] : ['--out', out])]
        : c.args;
    await assert.rejects(main(args), (err: Error) => {
      assert.ok(err instanceof UsageError, `expected a usage error, got ${err.stack}`);
      assert.match(err.message, c.message);
      assert.ok(!err.message.includes('\n'), 'one line');
      return true;
    });
    assert.deepEqual(computedSeeds(log), [], 'no seed may run');
    assert.ok(!fs.existsSync(out), 'no results folder may be created');
  });
}

test('the command prints one message and exits with 2 on a usage error', () => {
  const r = mnm(['run', 'nope', '--registry', FIXTURES, '--out', path.join(base, 'x')]);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^mnm: unknown experiment 'nope' \(known: fx-coin, fx-slow; see 'mnm list'\)\n\(run 'mnm help' for usage\)\n$/);
});

test('run --help and -h show the run usage and exit 0; so do merge, notebooks, list and submit', async () => {
  for (const args of [
    ['run', '--help'],
    ['run', '-h'],
    ['run', 'fx-coin', '--seeds', '2', '-h'],
  ]) {
    const r = await mnmHere(args);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^usage: mnm run \[EXPERIMENT\.\.\.\] /);
    assert.match(r.stdout, /--workers/);
    assert.equal(r.stderr, '');
  }
  for (const cmd of ['merge', 'notebooks', 'list', 'submit']) {
    const r = await mnmHere([cmd, '--help']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^usage: mnm ${cmd}`));
  }
  assert.deepEqual(computedSeeds(log), []);
});

test('MNM_SCALE=bogus is refused by mnm notebooks without --scale, as the notebooks refuse it; a good one is used', () => {
  const saved = process.env.MNM_SCALE;
  try {
    process.env.MNM_SCALE = 'bogus';
    assert.throws(
      () => parseNotebooksArgs([]),
      (err: Error) =>
        err instanceof UsageError && /^MNM_SCALE: unknown scale "bogus" \(expected one of smoke, quick, paper\)$/.test(err.message),
    );
    assert.equal(parseNotebooksArgs(['--scale', 'smoke']).scale, 'smoke', '--scale wins over the variable');
    process.env.MNM_SCALE = 'smoke';
    assert.equal(parseNotebooksArgs([]).scale, 'smoke');
    assert.equal(parseNotebooksArgs([]).out, path.join('results', 'smoke'));
    // --commit always executes at the committed scale, whatever the variable says, and takes no --scale.
    assert.equal(parseNotebooksArgs(['--commit']).scale, 'quick');
    assert.throws(
      () => parseNotebooksArgs(['--commit', '--scale', 'smoke']),
      (err: Error) =>
        err instanceof UsageError &&
        /^notebooks --commit executes at quick scale into notebooks\/: drop --scale and --out$/.test(err.message),
    );
  } finally {
    if (saved === undefined) delete process.env.MNM_SCALE;
    else process.env.MNM_SCALE = saved;
  }
});

test('mnm list shows each experiment with what it reproduces and its seeds per scale', () => {
  const r = mnm(['list', '--registry', FIXTURES]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stdout,
    /^fx-coin {2}— {2}Fixture: a fair coin \(Fixture 1\)\n {4}The running fraction .*\n {4}seeds: smoke 3, quick 4, paper 8; notebook notebooks\/00-primer\.ipynb\n/,
  );
  assert.match(r.stdout, /fx-slow/);
});
