/**
 * `mnm run` end to end on the fixture experiments: the results folder, identical numbers whatever the
 * worker count, resuming after a partial or interrupted run without recomputing finished seeds, and
 * experiments that fail.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import pl from 'nodejs-polars';
import { parseRunArgs } from '../../lib/cli/args';
import { BAD_FIXTURES, computedSeeds, mnmArgs, mnmHere, read, ROOT, runFixtures, savedResults, tmpDir } from './helpers';

const base = tmpDir('run');
const ref = path.join(base, 'ref');
after(() => fs.rmSync(base, { recursive: true, force: true }));

before(async () => {
  const r = await runFixtures(ref, ['--workers', '0']);
  assert.equal(r.status, 0, r.stderr);
});

test('the results folder holds Parquet tables, SVG/PNG figures, claims.json/md, index.html and the saved seeds', async () => {
  for (const f of [
    'fx-coin/running.parquet',
    'fx-coin/running.svg',
    'fx-coin/running.png',
    'fx-coin/running.vl.json',
    'fx-slow/draws.parquet',
    'fx-slow/means.parquet',
    'fx-slow/histogram.svg',
    'fx-slow/histogram.png',
    'claims.json',
    'claims.md',
    'index.html',
    'run.json',
    'seeds/smoke/fx-coin/seed-0002.json',
    'seeds/smoke/fx-slow/seed-0003.json',
  ]) {
    assert.ok(fs.existsSync(path.join(ref, f)), `missing ${f}`);
  }
  // No temporary file is left behind: everything was written under a temporary name, then renamed.
  const all = fs.readdirSync(ref, { recursive: true }) as string[];
  assert.deepEqual(
    all.filter((f) => f.includes('.tmp-')),
    [],
  );
  const df = pl.readParquet(path.join(ref, 'fx-coin', 'running.parquet'));
  assert.deepEqual(df.columns, ['seed', 'flips', 'heads_frac']);
  assert.equal(df.height, 3 * 6); // 3 seeds at smoke scale, a row every 10 of 60 flips
  const claims = JSON.parse(read(path.join(ref, 'claims.json'))) as Record<string, unknown>[];
  assert.deepEqual(
    claims.map((c) => [c.id, c.experiment, c.holds]),
    [
      ['FX.coin-half', 'fx-coin', true],
      ['FX.coin-biased', 'fx-coin', false],
      ['FX.normal-mean', 'fx-slow', true],
    ],
  );
  for (const c of claims) {
    assert.deepEqual(
      Object.keys(c).sort(),
      ['claim', 'experiment', 'holds', 'id', 'measured', 'paper', 'verdict', ...('reason' in c ? ['reason'] : [])].sort(),
    );
    assert.equal(c.verdict, 'reason' in c ? 'inconclusive' : c.holds ? 'holds' : 'does not hold');
  }
  const md = read(path.join(ref, 'claims.md'));
  assert.match(
    md,
    /\| \*\*does not hold\*\* \| The final fraction of heads exceeds 0\.9 .* \| A deliberately false statement.* \| [0-9.]+ ± [0-9.]+ \(n=3\) \| `FX\.coin-biased` \|/,
  );
  assert.match(md, /3 claims: 2 hold, 1 do not\./);
  assert.match(read(path.join(ref, 'fx-coin', 'running.svg')), /^<svg/);
});

test('numbers are identical whatever the worker count (this thread, 2 threads)', async () => {
  const claims = read(path.join(ref, 'claims.json'));
  const seeds = savedResults(ref);
  for (const w of ['2']) {
    const out = path.join(base, `w${w}`);
    const r = await runFixtures(out, ['--workers', w]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`running 7 on ${w} worker thread`));
    assert.equal(read(path.join(out, 'claims.json')), claims);
    assert.deepEqual(savedResults(out), seeds);
    assert.ok(
      pl.readParquet(path.join(out, 'fx-slow', 'draws.parquet')).frameEqual(pl.readParquet(path.join(ref, 'fx-slow', 'draws.parquet'))),
    );
  }
  // And the seeds really differ from each other (the comparison above is not between constants).
  assert.notDeepEqual(seeds['smoke/fx-slow/seed-0000.json'], seeds['smoke/fx-slow/seed-0001.json']);
});

test('a partial run resumes: saved seeds are reused, only the missing ones computed, same results', async () => {
  const out = path.join(base, 'partial');
  const log = path.join(base, 'partial.log');
  fs.cpSync(ref, out, { recursive: true });
  // Simulate a run stopped midway: two seeds never finished, and the report was never written.
  fs.rmSync(path.join(out, 'seeds/smoke/fx-coin/seed-0001.json'));
  fs.rmSync(path.join(out, 'seeds/smoke/fx-slow/seed-0003.json'));
  for (const f of ['claims.json', 'claims.md', 'index.html']) fs.rmSync(path.join(out, f));
  const r = await runFixtures(out, ['--workers', '2'], { MNM_FIXTURE_LOG: log });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /5 already saved .*; running 2 on 2 worker thread/);
  assert.deepEqual(computedSeeds(log), ['fx-coin 1', 'fx-slow 3']);
  assert.equal(read(path.join(out, 'claims.json')), read(path.join(ref, 'claims.json')));
  assert.deepEqual(savedResults(out), savedResults(ref));

  // --fresh recomputes everything.
  fs.rmSync(log);
  const again = await runFixtures(out, ['--workers', '2', '--fresh'], { MNM_FIXTURE_LOG: log });
  assert.equal(again.status, 0, again.stderr);
  assert.equal(computedSeeds(log).length, 7);
});

// SIGTERM is what Slurm (scancel, the time limit) and `timeout` send: the same lines as Ctrl-C, exit 128 + 15 (issue 22).
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  test(`${signal} keeps finished seeds, says so and how to resume; the same command resumes from them and gives the same results`, async () => {
    const out = path.join(base, `interrupted-${signal}`);
    const log = path.join(base, `interrupted-${signal}.log`);
    const args = [
      'run',
      '--registry',
      path.join(ROOT, 'test/fixtures/cli/experiments.ts'),
      '--scale',
      'smoke',
      '--out',
      out,
      '--workers',
      '2',
    ];
    const child = spawn(process.execPath, mnmArgs(args), {
      cwd: ROOT,
      env: { ...process.env, MNM_FIXTURE_SLOW_MS: '1500', MNM_FIXTURE_LOG: log },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Interrupt once the first slow seed is saved: the coin seeds are done, some slow ones are not.
    const slowDir = path.join(out, 'seeds/smoke/fx-slow');
    for (let t = 0; t < 300 && !(fs.existsSync(slowDir) && fs.readdirSync(slowDir).length > 0); t++)
      await new Promise((r) => setTimeout(r, 50));
    child.kill(signal);
    assert.equal(await exited, code, stderr);
    assert.match(stderr, /interrupted — stopping workers; finished seeds are kept/);
    assert.match(stderr, /of 7 seeds are saved in .*; run the same command again to resume/);
    assert.ok(!fs.existsSync(path.join(out, 'claims.json')), 'an interrupted run writes no claims');
    const kept = Object.keys(savedResults(out));
    assert.ok(kept.length >= 4 && kept.length < 7, `kept ${kept.length} seeds`);
    assert.deepEqual(
      (fs.readdirSync(out, { recursive: true }) as string[]).filter((f) => f.includes('.tmp-')),
      [],
    );

    fs.rmSync(log);
    const r = await mnmHere(args, { MNM_FIXTURE_LOG: log });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(computedSeeds(log).length, 7 - kept.length, 'finished seeds are not recomputed');
    assert.equal(read(path.join(out, 'claims.json')), read(path.join(ref, 'claims.json')));
  });
}

test('a failing experiment is reported, the others still are, and the exit code is 1', async () => {
  const out = path.join(base, 'bad');
  const r = await mnmHere(['run', '--registry', BAD_FIXTURES, '--scale', 'smoke', '--out', out, '--workers', '2']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /fx-throws seed 1 FAILED: .*deliberate failure in seed 1/);
  assert.match(r.stderr, /fx-nan seed 0 FAILED: .*fx-nan seed 0: table 't' row 0 column 'x' is NaN \(rows hold finite numbers/);
  assert.match(r.stdout, /\*\*Did not finish\*\* \(1 of 2 seeds done\): seed 1 failed: .*deliberate failure/);
  assert.match(r.stdout, /2 experiment\(s\) did not finish/);
  // The seed that worked is saved, so a fixed experiment resumes from it.
  assert.ok(fs.existsSync(path.join(out, 'seeds/smoke/fx-throws/seed-0000.json')));
  assert.ok(fs.existsSync(path.join(out, 'claims.json')));
});

test('--workers 1000 starts one thread per seed at most and warns above the core count', async () => {
  const out = path.join(base, 'many-workers');
  const r = await runFixtures(out, ['--workers', '1000']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /running 7 on 7 worker thread\(s\)/);
  const cores = os.availableParallelism();
  if (cores < 7)
    assert.match(r.stderr, new RegExp(`mnm: warning: 7 worker threads on ${cores} core\\(s\\); each thread loads its own copy`));
  assert.equal(read(path.join(out, 'claims.json')), read(path.join(ref, 'claims.json')));
  // At or below the core count: no warning.
  const quiet = await runFixtures(path.join(base, 'one-worker'), ['--workers', '1']);
  assert.doesNotMatch(quiet.stderr, /warning/);
});

test('a config file sets the run; flags override it', async () => {
  const cfg = path.join(base, 'run-config.json');
  fs.writeFileSync(cfg, JSON.stringify({ experiments: ['fx-slow'], scale: 'smoke', seeds: 2, workers: 1, out: 'elsewhere', shard: '1/2' }));
  assert.deepEqual(parseRunArgs(['--config', cfg]), {
    experiments: ['fx-slow'],
    scale: 'smoke',
    seeds: 2,
    out: 'elsewhere',
    workers: 1,
    shard: { index: 1, count: 2 },
    fresh: false,
    registry: undefined,
  });
  const o = parseRunArgs(['--config', cfg, 'fx-coin', '--seeds', '3', '--scale', 'paper', '--workers=0', '--fresh']);
  assert.deepEqual([o.experiments, o.seeds, o.scale, o.workers, o.fresh, o.out], [['fx-coin'], 3, 'paper', 0, true, 'elsewhere']);
  // Without a config or flags: quick scale into results/quick, one worker per core.
  const d = parseRunArgs([]);
  assert.deepEqual([d.scale, d.out, d.workers, d.seeds], ['quick', path.join('results', 'quick'), os.availableParallelism(), undefined]);
});
