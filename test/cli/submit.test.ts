/**
 * `mnm submit` without a scheduler: its flags are checked before any work, a missing sbatch gets one message
 * saying what to install, and the scripts of --dry-run are correct: run by hand (bash, with the array index Slurm
 * would set), the shards and the merge give a local run's claims. test/cli/slurm.test.ts submits to a real Slurm.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { arraySpec } from '../../lib/cli/submit';
import { FIXTURES, mnm, mnmHere, read, runFixtures, tmpDir } from './helpers';

const base = tmpDir('submit');
after(() => fs.rmSync(base, { recursive: true, force: true }));

test('submit flags are checked before anything is written', async () => {
  const out = path.join(base, 'never');
  const cases: [string[], RegExp][] = [
    [[], /^mnm: submit needs --shards N /],
    [['--shards', '0'], /^mnm: --shards must be a positive integer, got "0"/],
    [['--shards', '2', '--shard', '1/2'], /^mnm: --shard: mnm submit gives every array task its own shard; say how many with --shards N/],
    [
      ['--shards', '2', '--time', '1:2:3:4'],
      /^mnm: --time must be a Slurm time limit \(MIN, MIN:SEC, H:MM:SS, D-H, D-H:MM or D-H:MM:SS\), got "1:2:3:4"/,
    ],
    [
      ['--shards', '2', '--mem', '4GB'],
      /^mnm: --mem must be a positive number with an optional unit K, M, G or T \(e\.g\. 4G\), got "4GB"/,
    ],
    [['--shards', '2', '--partition', 'a b'], /^mnm: --partition must be a Slurm partition name/],
    [['--shards', '2', '--cpus-per-task', '1.5'], /^mnm: --cpus-per-task must be a positive integer, got "1\.5"/],
    [['--shards', '2', '--scale', 'huge'], /^mnm: --scale: unknown scale "huge"/],
    [['--shards', '2', 'nope'], /^mnm: unknown experiment 'nope'/],
    [
      ['--shards', '8', 'fx-coin', '--scale', 'smoke'],
      /^mnm: --shards 8: the run has only 3 \(experiment, seed\) units; use at most that many shards/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = await mnmHere(['submit', '--registry', FIXTURES, '--out', out, '--dry-run', ...args]);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, message);
    assert.equal(r.stderr.split('\n').filter((l) => l.startsWith('mnm:')).length, 1, 'one message');
  }
  // Without Slurm's client on PATH (a folder holding only node): what to install, before anything is written.
  const bin = path.join(base, 'bin');
  fs.mkdirSync(bin);
  fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  const r = mnm(['submit', '--registry', FIXTURES, '--out', out, '--shards', '2'], { PATH: bin });
  assert.equal(r.status, 2);
  assert.match(
    r.stderr,
    /^mnm: submit: Slurm's sbatch is not on PATH\. .*install the Slurm client \(Debian\/Ubuntu: apt-get install slurm-client\)/,
  );
  assert.ok(!fs.existsSync(out), 'nothing written');
});

test('array syntax for the shards to run', () => {
  assert.equal(arraySpec([1, 2, 3, 4]), '1-4');
  assert.equal(arraySpec([2]), '2');
  assert.equal(arraySpec([1, 2, 4, 6, 7, 8]), '1-2,4,6-8');
});

test('--dry-run writes and prints scripts that, run as Slurm would, give a local run', async () => {
  const out = path.join(base, 'dry');
  // Experiment parameters too: the tasks get them from a copy frozen at submission.
  const cfg = path.join(base, 'flips.json');
  fs.writeFileSync(cfg, JSON.stringify({ config: { 'fx-coin': { flips: 80 } } }));
  const r = await mnmHere([
    'submit',
    '--config',
    cfg,
    '--registry',
    FIXTURES,
    '--scale',
    'smoke',
    '--out',
    out,
    '--shards',
    '2',
    '--partition',
    'short',
    '--time',
    '0-01:30',
    '--cpus-per-task',
    '2',
    '--mem',
    '2G',
    '--dry-run',
  ]);
  assert.equal(r.status, 0, r.stderr);
  const runScript = read(path.join(out, 'slurm', 'run.sbatch'));
  const mergeScript = read(path.join(out, 'slurm', 'merge.sbatch'));
  assert.ok(r.stdout.includes(runScript) && r.stdout.includes(mergeScript), 'printed as written');
  for (const line of [
    '#SBATCH --array=1-2',
    '#SBATCH --partition=short',
    '#SBATCH --time=0-01:30',
    '#SBATCH --cpus-per-task=2',
    '#SBATCH --mem=2G',
  ]) {
    assert.ok(runScript.split('\n').includes(line), line);
  }
  assert.match(
    runScript,
    /main\.ts run --scale smoke --registry \S+experiments\.ts --config \S+\/slurm\/config\.json --workers 2 --shard "\$SLURM_ARRAY_TASK_ID\/2" --out \S+\/shards\/shard-"\$SLURM_ARRAY_TASK_ID"\n/,
  );
  assert.match(mergeScript, /main\.ts merge \S+\/shards\/shard-1 \S+\/shards\/shard-2 --out \S+\/dry --registry \S+\n/);
  assert.match(r.stdout, /sbatch --array=1-2 \S+run\.sbatch\nsbatch --dependency=afterok:JOBID --kill-on-invalid-dep=yes \S+merge\.sbatch/);
  assert.ok(!fs.existsSync(path.join(out, 'shards')), 'nothing run');

  // The scripts by hand: each array index, then the merge.
  for (const i of ['1', '2']) {
    const t = spawnSync('bash', [path.join(out, 'slurm', 'run.sbatch')], {
      encoding: 'utf8',
      env: { ...process.env, SLURM_ARRAY_TASK_ID: i },
    });
    assert.equal(t.status, 0, t.stderr);
  }
  const m = spawnSync('bash', [path.join(out, 'slurm', 'merge.sbatch')], { encoding: 'utf8' });
  assert.equal(m.status, 0, m.stderr);
  const local = path.join(base, 'local');
  assert.equal((await runFixtures(local, ['--workers', '1', '--config', cfg])).status, 0);
  assert.deepEqual(JSON.parse(read(path.join(out, 'seeds/smoke/fx-coin/seed-0000.json'))).config, { flips: 80 });
  assert.equal(read(path.join(out, 'claims.json')), read(path.join(local, 'claims.json')));

  // Every shard is complete now: a dry run says only the merge is left.
  const again = await mnmHere([
    'submit',
    '--registry',
    FIXTURES,
    '--config',
    cfg,
    '--scale',
    'smoke',
    '--out',
    out,
    '--shards',
    '2',
    '--dry-run',
  ]);
  assert.match(again.stdout, /# every shard is complete; to submit the merge:\nsbatch \S+merge\.sbatch/);
});
