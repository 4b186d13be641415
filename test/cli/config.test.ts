/**
 * `mnm run --config FILE` with a `config` section: the experiment runs with those parameters, each saved seed
 * records its config, and a seed saved under another config is recomputed, never reused.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { UsageError } from '../../lib/cli/errors';
import { main } from '../../lib/cli/main';
import { computedSeeds, FIXTURES, read, runFixtures, tmpDir } from './helpers';

const base = tmpDir('config');
after(() => fs.rmSync(base, { recursive: true, force: true }));

function configFile(name: string, value: unknown): string {
  const file = path.join(base, name);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}

const seedFile = (out: string, seed: number) => path.join(out, 'seeds', 'smoke', 'fx-coin', `seed-000${seed}.json`);

test('parameters from --config reach runSeed, are saved with each seed, and a changed config recomputes', async () => {
  const out = path.join(base, 'run');
  const log = path.join(base, 'computed.log');
  const env = { MNM_FIXTURE_LOG: log };
  let r = await runFixtures(out, ['fx-coin', '--workers', '0'], env);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(read(seedFile(out, 0))).config, { flips: 60 });

  const cfg = configFile('flips.json', { config: { 'fx-coin': { flips: 100 } } });
  r = await runFixtures(out, ['fx-coin', '--workers', '0', '--config', cfg], env);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /3 saved by different code, data or config \(recomputed\)/);
  const saved = JSON.parse(read(seedFile(out, 0)));
  assert.deepEqual(saved.config, { flips: 100 });
  assert.equal(saved.result.tables.running.at(-1).flips, 100);

  // The same config again: every seed is reused.
  r = await runFixtures(out, ['fx-coin', '--workers', '2', '--config', cfg], env);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /3 already saved/);
  assert.equal(computedSeeds(log).length, 6, 'the default run and the changed config; nothing for the third run');
});

test('seeds saved under different configs are not merged', async () => {
  const a = path.join(base, 'a');
  const b = path.join(base, 'b');
  assert.equal((await runFixtures(a, ['fx-coin', '--workers', '0', '--shard', '1/2'])).status, 0);
  const cfg = configFile('b.json', { config: { 'fx-coin': { flips: 80 } } });
  assert.equal((await runFixtures(b, ['fx-coin', '--workers', '0', '--shard', '2/2', '--config', cfg])).status, 0);
  await assert.rejects(
    main(['merge', a, b, '--out', path.join(base, 'm'), '--registry', FIXTURES]),
    (err: Error) => err instanceof UsageError && /^merge: the seeds of fx-coin were computed with different configs/.test(err.message),
  );
});

const bad: [string, unknown, RegExp][] = [
  ['a bad parameter', { config: { 'fx-coin': { flips: 5 } } }, /^fx-coin: config\.flips must be an integer >= 10, got 5$/],
  [
    'an unknown parameter',
    { config: { 'fx-coin': { flops: 5 } } },
    /^fx-coin: config\.flops is not a parameter \(expected one of flips\)$/,
  ],
  ['an unknown experiment', { config: { 'fx-nope': {} } }, /^--config: 'config' names unknown experiment\(s\) fx-nope$/],
  [
    'a config that is not an object',
    { config: { 'fx-coin': 3 } },
    /'config' must map experiment ids to objects of parameters; 'fx-coin' is 3$/,
  ],
];
for (const [name, value, message] of bad) {
  test(`--config with ${name} is rejected before any work`, async () => {
    const out = path.join(base, `bad-${name.replace(/\W+/g, '-')}`);
    const file = configFile(`${name.replace(/\W+/g, '-')}.json`, value);
    await assert.rejects(main(['run', '--registry', FIXTURES, '--scale', 'smoke', '--out', out, '--config', file]), (err: Error) => {
      assert.ok(err instanceof UsageError, err.stack);
      assert.match(err.message, message);
      return true;
    });
    assert.ok(!fs.existsSync(out), 'no results folder');
  });
}
