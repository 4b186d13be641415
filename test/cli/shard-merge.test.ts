/** `--shard I/N` splits the (experiment, seed) units; `mnm merge` recomputes the claims from the union of seeds. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { planUnits, shardUnits } from '../../lib/cli/run';
import { seedChecksum } from '../../lib/seed-store';
import type { Experiment } from '../../lib/experiment';
import { mnmHere, read, runFixtures, savedResults, tmpDir } from './helpers';

const base = tmpDir('shard');
after(() => fs.rmSync(base, { recursive: true, force: true }));

test('shards partition the units: every unit in exactly one shard, each experiment spread over shards', async () => {
  const exps = [{ id: 'a' }, { id: 'b' }] as Experiment[];
  const units = planUnits(exps, (e) => (e.id === 'a' ? 5 : 3));
  for (const count of [1, 2, 3, 8]) {
    const parts = Array.from({ length: count }, (_, i) => shardUnits(units, { index: i + 1, count }));
    assert.deepEqual(
      parts
        .flat()
        .map((u) => `${u.experiment}/${u.seed}`)
        .sort(),
      units.map((u) => `${u.experiment}/${u.seed}`).sort(),
    );
    assert.ok(Math.max(...parts.map((p) => p.length)) - Math.min(...parts.map((p) => p.length)) <= 1, 'balanced');
  }
  assert.deepEqual(
    shardUnits(units, { index: 2, count: 3 }).map((u) => `${u.experiment}/${u.seed}`),
    ['a/1', 'a/4', 'b/2'],
  );
});

test('two shards merged give the same claims and seeds as one full run', async () => {
  const full = path.join(base, 'full');
  assert.equal((await runFixtures(full, ['--workers', '2'])).status, 0);
  const a = path.join(base, 'shard-1');
  const b = path.join(base, 'shard-2');
  const ra = await runFixtures(a, ['--shard', '1/2', '--workers', '1']);
  assert.equal(ra.status, 0, ra.stderr);
  assert.match(ra.stdout, /^shard 1\/2: 4 of 4 seeds saved in .*When every shard is done: mnm merge DIR\.\.\. --out DIR/);
  assert.ok(!fs.existsSync(path.join(a, 'claims.json')), 'a shard alone writes no claims');
  assert.equal((await runFixtures(b, ['--shard', '2/2', '--workers', '1'])).status, 0);
  assert.deepEqual(Object.keys(savedResults(b)).sort(), [
    'smoke/fx-coin/seed-0001.json',
    'smoke/fx-slow/seed-0000.json',
    'smoke/fx-slow/seed-0002.json',
  ]);

  const merged = path.join(base, 'merged');
  const m = await mnmHere(['merge', a, b, '--out', merged, '--registry', 'test/fixtures/cli/experiments.ts']);
  assert.equal(m.status, 0, m.stderr);
  assert.equal(read(path.join(merged, 'claims.json')), read(path.join(full, 'claims.json')));
  assert.deepEqual(savedResults(merged), savedResults(full));
  assert.ok(fs.existsSync(path.join(merged, 'index.html')) && fs.existsSync(path.join(merged, 'fx-coin', 'running.png')));

  // One shard alone lacks units: the merge names them, fails and writes nothing.
  const half = path.join(base, 'half');
  const h = await mnmHere(['merge', a, '--out', half, '--registry', 'test/fixtures/cli/experiments.ts']);
  assert.equal(h.status, 2);
  assert.match(h.stderr, /^mnm: merge: units missing from .*shard-1: fx-coin seed 1; fx-slow seeds 0, 2\. .*no report written\.\n/);
  assert.ok(!fs.existsSync(half), 'nothing written');

  // Seeds of different scales do not mix: a folder holding a seed saved at scale quick.
  const quick = path.join(base, 'quick');
  const { checksum: _, ...rest } = JSON.parse(read(path.join(b, 'seeds/smoke/fx-slow/seed-0000.json')));
  fs.mkdirSync(path.join(quick, 'seeds/quick/fx-slow'), { recursive: true });
  fs.writeFileSync(
    path.join(quick, 'seeds/quick/fx-slow/seed-0000.json'),
    JSON.stringify({ ...rest, scale: 'quick', checksum: seedChecksum({ ...rest, scale: 'quick' }) }),
  );
  const bad = await mnmHere(['merge', a, quick, '--out', path.join(base, 'bad'), '--registry', 'test/fixtures/cli/experiments.ts']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^mnm: merge: the folders hold seeds of different scales \(smoke, quick\); merge one scale at a time\n/);
});
