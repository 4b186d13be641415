/**
 * Every mistake in flags or a config file gets one clear message and a non-zero exit before any work
 * starts: no seed is computed and no results folder is created.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { UsageError } from '../../lib/cli/errors';
import { main } from '../../lib/cli/main';
import { computedSeeds, FIXTURES, mnm, tmpDir } from './helpers';

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
  { name: 'zero seeds', args: ['run', '--seeds', '0'], message: /^--seeds must be a positive integer, got "0"$/ },
  { name: 'negative seeds', args: ['run', '--seeds=-3'], message: /^--seeds must be a positive integer, got "-3"$/ },
  { name: 'fractional seeds', args: ['run', '--seeds', '1.5'], message: /^--seeds must be a positive integer/ },
  { name: 'seeds without a value', args: ['run', '--seeds'], message: /^--seeds needs a value$/ },
  { name: 'negative workers', args: ['run', '--workers', '-1'], message: /^--workers must be a non-negative integer/ },
  { name: 'unknown flag', args: ['run', '--frobnicate'], message: /^unknown option --frobnicate \(expected --scale, / },
  { name: 'bad shard', args: ['run', '--shard', '3/2'], message: /^--shard 3\/2: need 1 <= I <= N$/ },
  { name: 'malformed shard', args: ['run', '--shard', 'half'], message: /^--shard must look like I\/N/ },
  {
    name: 'unwritable folder',
    args: ['run', '--out', path.join(aFile, 'results')],
    message: /^--out .*a-file\/results: cannot write there \(ENOTDIR\)$/,
  },
  // Node's recursive mkdir never returns here; the check must still answer at once.
  {
    name: 'folder on a read-only pseudo file system',
    args: ['run', '--out', '/proc/mnm-results/x'],
    message: /^--out \/proc\/mnm-results\/x: cannot write there \(ENOENT\)$/,
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
    message: /^--config .*seeds\.json 'seeds' must be a positive integer, got 0$/,
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
    const args = c.args[0] === 'run' ? [...c.args, '--registry', FIXTURES, ...(c.args.includes('--out') ? [] : ['--out', out])] : c.args;
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

test('mnm list shows each experiment with what it reproduces and its seeds per scale', () => {
  const r = mnm(['list', '--registry', FIXTURES]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stdout,
    /^fx-coin {2}— {2}Fixture: a fair coin \(Fixture 1\)\n {4}The running fraction .*\n {4}seeds: smoke 3, quick 4, paper 8; notebook notebooks\/00-tour\.ipynb\n/,
  );
  assert.match(r.stdout, /fx-slow/);
});
