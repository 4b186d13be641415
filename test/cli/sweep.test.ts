/**
 * Config sweeps (`mnm run --sweep FILE`): the (config, seed) units run, resume, shard and merge like seeds; the
 * claims carry each config's label and the folder gets the claim × config table; a bad sweep file is one message
 * before any work.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { expandSweep, parseSweep, runSweep } from '../../lib/sweep';
import { EXPERIMENTS } from '../fixtures/cli/experiments';
import { FIXTURES, mnmHere, read, runFixtures, savedResults, tmpDir } from './helpers';

const base = tmpDir('sweep');
after(() => fs.rmSync(base, { recursive: true, force: true }));

function file(name: string, value: unknown): string {
  const f = path.join(base, name);
  fs.writeFileSync(f, typeof value === 'string' ? value : JSON.stringify(value));
  return f;
}

test('a grid expands to every combination, the last key fastest; a list to its entries', () => {
  const grid = expandSweep(parseSweep({ experiment: 'x', fixed: { c: 1 }, grid: { a: [1, 2], b: ['u', 'v'] } }, 'test'));
  assert.deepEqual(
    grid.map((v) => v.id),
    ['x@a=1,b=u', 'x@a=1,b=v', 'x@a=2,b=u', 'x@a=2,b=v'],
  );
  assert.deepEqual(grid[1].overrides, { c: 1, a: 1, b: 'v' });
  const list = expandSweep(parseSweep({ experiment: 'x', list: [{ a: [1, 2] }, {}] }, 'test'));
  // A label that cannot name a folder gives the config's number as its id.
  assert.deepEqual(
    list.map((v) => [v.id, v.label]),
    [
      ['x@config-1', 'a=[1,2]'],
      ['x@config-2', 'defaults'],
    ],
  );
});

test('a sweep runs each config as its own experiment; shards merged give the same folder', async () => {
  const sweep = file('flips.json', { experiment: 'fx-coin', grid: { flips: [40, 60, 80] } });
  const full = path.join(base, 'full');
  const r = await runFixtures(full, ['--sweep', sweep, '--workers', '2']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /3 experiment\(s\), 9 seed\(s\)/);
  const claims = JSON.parse(read(path.join(full, 'claims.json'))) as { id: string; experiment: string; holds: boolean; measured: string }[];
  assert.deepEqual(
    claims.map((c) => `${c.experiment} ${c.id}`),
    ['40', '60', '80'].flatMap((n) => [`fx-coin@flips=${n} FX.coin-half@flips=${n}`, `fx-coin@flips=${n} FX.coin-biased@flips=${n}`]),
  );
  for (const n of [40, 60, 80]) {
    const seed = JSON.parse(read(path.join(full, `seeds/smoke/fx-coin@flips=${n}/seed-0002.json`)));
    assert.deepEqual(seed.config, { flips: n });
    assert.equal(seed.result.tables.running.at(-1).flips, n);
  }
  // Common random numbers: seed k of every config draws the same flips, so the shorter runs are prefixes.
  const rows = (n: number) => JSON.parse(read(path.join(full, `seeds/smoke/fx-coin@flips=${n}/seed-0001.json`))).result.tables.running;
  assert.deepEqual(rows(80).slice(0, 4), rows(40));
  const table = JSON.parse(read(path.join(full, 'sweep.json')));
  assert.deepEqual(table.configs, ['flips=40', 'flips=60', 'flips=80']);
  assert.deepEqual(
    table.rows.map((row: { claim: string; verdicts: string[] }) => [row.claim, row.verdicts.length]),
    [
      ['FX.coin-half', 3],
      ['FX.coin-biased', 3],
    ],
  );
  assert.deepEqual(
    table.rows[1].verdicts,
    ['does not hold', 'does not hold', 'does not hold'],
    'the fixture claim that is false everywhere',
  );
  assert.match(
    read(path.join(full, 'claims.md')),
    /## Sweep of fx-coin: claims × configs[^]*\| claim \| flips=40 \| flips=60 \| flips=80 \|/,
  );
  assert.match(read(path.join(full, 'index.html')), /<section id="sweep">/);

  // Resumed: every unit saved.
  const again = await runFixtures(full, ['--sweep', sweep, '--workers', '0']);
  assert.match(again.stderr, /9 already saved .*running 0/);

  // Shards (the sweep is recorded in each shard's run.json, so the merge needs no flag).
  const shards = ['1/2', '2/2'].map((_, i) => path.join(base, `shard-${i + 1}`));
  for (const [i, dir] of shards.entries()) {
    const s = await runFixtures(dir, ['--sweep', sweep, '--shard', `${i + 1}/2`, '--workers', '1']);
    assert.equal(s.status, 0, s.stderr);
  }
  const merged = path.join(base, 'merged');
  const m = await mnmHere(['merge', ...shards, '--out', merged, '--registry', FIXTURES]);
  assert.equal(m.status, 0, m.stderr);
  for (const f of ['claims.json', 'claims.md', 'sweep.json']) assert.equal(read(path.join(merged, f)), read(path.join(full, f)), f);
  assert.deepEqual(savedResults(merged), savedResults(full));

  // The same sweep in a notebook (runSweep, in this process): the same table and claims.
  const { runs, table: here } = await runSweep(
    EXPERIMENTS.find((e) => e.id === 'fx-coin')!,
    { grid: { flips: [40, 60, 80] } },
    { scale: 'smoke' },
  );
  assert.deepEqual(here, table);
  const key = (c: { id: string; experiment: string; holds: boolean; measured: string }) => [c.id, c.experiment, c.holds, c.measured];
  assert.deepEqual(runs.flatMap((r) => r.report.claims).map(key), claims.map(key));
  assert.deepEqual(
    runs.map((r) => r.config),
    [{ flips: 40 }, { flips: 60 }, { flips: 80 }],
  );
});

test('a bad sweep is one message naming the file and the config, before any work', async () => {
  const out = path.join(base, 'never');
  const cases: [unknown, RegExp, string[]?][] = [
    ['{"experiment": ', /^mnm: --sweep: .*bad-0\.json is not valid JSON/],
    [{ experiment: 'fx-coin' }, /^mnm: --sweep \S+: give exactly one of 'grid' \(values to combine\) or 'list' \(configs\)$/m],
    [
      { experiment: 'fx-coin', grid: { flips: [] } },
      /^mnm: --sweep \S+: grid\.flips must be a non-empty array of values, got an array \[\]$/m,
    ],
    [{ experiment: 'fx-coin', fixed: { flips: 40 }, grid: { flips: [50] } }, /^mnm: --sweep \S+: flips is both fixed and varied$/m],
    [
      { experiment: 'fx-coin', grid: { flips: [40] }, seeds: 3 },
      /^mnm: --sweep \S+: unknown key seeds \(expected experiment, fixed, grid or list\)$/m,
    ],
    [{ experiment: 'nope', grid: { flips: [40] } }, /^mnm: unknown experiment 'nope' \(known: fx-coin, fx-slow/],
    [
      { experiment: 'fx-coin', grid: { flops: [40] } },
      /^mnm: --sweep \S+: config 1 \(flops=40\): fx-coin: config\.flops is not a parameter \(expected one of flips\)$/m,
    ],
    [
      { experiment: 'fx-coin', grid: { flips: [40, 5] } },
      /^mnm: --sweep \S+: config 2 \(flips=5\): fx-coin: config\.flips must be an integer >= 10, got 5$/m,
    ],
    [
      { experiment: 'fx-coin', list: [{ flips: 40 }, { flips: 40 }] },
      /^mnm: --sweep \S+: sweep configs 1 and 2 are the same \(flips=40\)$/m,
    ],
    [
      { experiment: 'fx-coin', grid: { flips: [40] } },
      /^mnm: --sweep \S+ names its experiment \(fx-coin\); give no experiment ids with it$/m,
      ['fx-coin'],
    ],
  ];
  // Issue 22: own keys only (__proto__, constructor, toString are parameters like any other: here unknown ones); the
  // same config with its keys in another order is the same config; a sweep larger than the limit is refused before
  // it is expanded (1000 × 1000 took minutes of planning, silently).
  for (const k of ['__proto__', 'constructor', 'toString']) {
    cases.push([
      JSON.parse(`{"experiment": "fx-coin", "fixed": {"flips": 40}, "grid": {"${k}": [1]}}`),
      new RegExp(`^mnm: --sweep \\S+: config 1 \\(${k}=1\\): fx-coin: config\\.${k} is not a parameter \\(expected one of flips\\)$`, 'm'),
    ]);
  }
  cases.push(
    [
      {
        experiment: 'fx-coin',
        list: [
          { flips: 40, x: { a: 1, b: 2 } },
          { x: { b: 2, a: 1 }, flips: 40 },
        ],
      },
      /^mnm: --sweep \S+: sweep configs 1 and 2 are the same \(x=\{"b":2,"a":1\},flips=40\)$/m,
    ],
    [
      { experiment: 'fx-coin', list: [{ flips: 40 }, { flips: '40' }] },
      /^mnm: --sweep \S+: sweep configs 1 and 2 differ but show as the same label \(flips=40\)/m,
    ],
    [
      {
        experiment: 'fx-coin',
        grid: { flips: Array.from({ length: 1000 }, (_, i) => 10 + i), x: Array.from({ length: 1000 }, (_, i) => i) },
      },
      /^mnm: --sweep \S+: the grid makes 1000000 configs \(1000 flips × 1000 x\); a sweep has at most 1000$/m,
    ],
    [
      { experiment: 'fx-coin', list: Array.from({ length: 1001 }, (_, i) => ({ flips: 10 + i })) },
      /^mnm: --sweep \S+: the list has 1001 configs; a sweep has at most 1000$/m,
    ],
  );
  for (const [i, [content, message, extra]] of cases.entries()) {
    const f = file(`bad-${i}.json`, content);
    const r = await runFixtures(out, ['--sweep', f, ...(extra ?? [])]);
    assert.equal(r.status, 2, `case ${i}: ${r.stderr}`);
    assert.match(r.stderr, message, `case ${i}`);
    assert.ok(!fs.existsSync(out), `case ${i}: nothing written`);
  }
});

test('a sweep says its size before any work, and plans 1000 configs without a scan per config (issue 22)', async () => {
  const sweep = file('thousand.json', { experiment: 'fx-coin', grid: { flips: Array.from({ length: 1000 }, (_, i) => 10 + i) } });
  const out = path.join(base, 'thousand');
  // One shard of a thousand: every config is planned, fingerprinted and checked; one seed is computed.
  const r = await runFixtures(out, ['--sweep', sweep, '--seeds', '1', '--shard', '1/1000', '--workers', '0']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stderr.split('\n');
  assert.match(lines[0], /^mnm: --sweep \S+thousand\.json: 1000 config\(s\) of fx-coin$/);
  assert.match(r.stderr, /1000 experiment\(s\), 1 seed\(s\) at scale smoke \(shard 1\/1000\)/);
});

test('merge refuses a recorded sweep that is not a sweep, and sweep configs that were never run (issue 22)', async () => {
  const sweep = file('merge-two.json', { experiment: 'fx-coin', grid: { flips: [40, 60] } });
  const shard = path.join(base, 'merge-shard');
  const s = await runFixtures(shard, ['--sweep', sweep, '--shard', '1/1', '--workers', '0']);
  assert.equal(s.status, 0, s.stderr);
  const runJson = path.join(shard, 'run.json');
  const summary = JSON.parse(read(runJson));
  const out = path.join(base, 'merge-out');
  const merge = () => mnmHere(['merge', shard, '--out', out, '--registry', FIXTURES]);
  // A grid that is not a list of values.
  fs.writeFileSync(runJson, JSON.stringify({ ...summary, sweep: { ...summary.sweep, grid: { flips: 40 } } }));
  let m = await merge();
  assert.equal(m.status, 2, m.stderr);
  assert.match(m.stderr, /^mnm: merge: \S+run\.json: sweep: grid\.flips must be a non-empty array of values, got 40$/m);
  assert.doesNotMatch(m.stderr, /is not a function|\n\s+at /);
  // A config listed in the sweep (and not in seedCounts) whose seeds were never computed.
  const { 'fx-coin@flips=60': _dropped, ...counts } = summary.seedCounts;
  fs.writeFileSync(runJson, JSON.stringify({ ...summary, seedCounts: counts, sweep: { ...summary.sweep, grid: { flips: [40, 60, 80] } } }));
  m = await merge();
  assert.equal(m.status, 2, m.stderr);
  assert.match(m.stderr, /units missing from .*fx-coin@flips=80 \(sweep config 'flips=80': no seeds\)/);
  assert.ok(!fs.existsSync(out), 'no report written');
});
