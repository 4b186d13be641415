/** The disk cache with its lock file: computed once, reused, waits for a live holder, takes over a dead one's lock. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { cachedInFile } from '../lib/disk-cache';
import { writeJsonAtomic } from '../lib/io';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mnm-disk-cache-'));
after(() => fs.rmSync(base, { recursive: true, force: true }));

test('the first call computes and saves; the next reads the file; no file means no cache', async () => {
  const file = path.join(base, 'a.json');
  let calls = 0;
  const compute = async () => [++calls, 2];
  assert.deepEqual(await cachedInFile(file, 'rows', compute, { extra: { spec: 'x' } }), [1, 2]);
  let hit = false;
  assert.deepEqual(await cachedInFile(file, 'rows', compute, { onHit: () => (hit = true) }), [1, 2]);
  assert.equal(calls, 1);
  assert.ok(hit);
  assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { spec: 'x', rows: [1, 2] });
  assert.ok(!fs.existsSync(`${file}.lock`), 'lock released');
  assert.deepEqual(await cachedInFile(null, 'rows', compute), [2, 2]);
});

test("a lock left by a dead process is taken over; a live holder's result is waited for, not recomputed", async () => {
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
  const stale = path.join(base, 'stale.json');
  fs.writeFileSync(`${stale}.lock`, String(dead));
  assert.equal(await cachedInFile(stale, 'v', async () => 7), 7);

  const held = path.join(base, 'held.json');
  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
  try {
    fs.writeFileSync(`${held}.lock`, String(holder.pid));
    setTimeout(() => writeJsonAtomic(held, { v: 42 }), 300);
    assert.equal(await cachedInFile(held, 'v', async () => -1), 42);
  } finally {
    holder.kill();
  }
});
