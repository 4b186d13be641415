import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { Rng } from '../../lib/rng';
import { exportExchange, importExchange } from '../../lib/bench/exchange';
import { makeGridworld, openGridMap } from '../../lib/tabular/gridworld';
import { randomMDP } from '../../lib/tabular/random-mdp';
import { valueIteration } from '../../lib/tabular/solve';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mnm-exchange-test-'));

test('export then import gives the same MDP and the same values; files have the documented sizes', () => {
  const dir = tmp();
  try {
    const g = makeGridworld(openGridMap(7, 5), { noise: 0.3, gamma: 0.9 });
    const meta = exportExchange(g.mdp, dir);
    assert.deepEqual(meta, { states: 35, actions: 4, successors: 4, gamma: 0.9 });
    assert.equal(fs.statSync(path.join(dir, 'next.i32')).size, 35 * 4 * 4 * 4);
    assert.equal(fs.statSync(path.join(dir, 'prob.f64')).size, 35 * 4 * 4 * 8);
    assert.equal(fs.statSync(path.join(dir, 'reward.f64')).size, 35 * 4 * 8);
    // Little-endian, as the format says: the first reward read byte by byte.
    assert.equal(fs.readFileSync(path.join(dir, 'reward.f64')).readDoubleLE(0), g.mdp.reward[0]);
    const back = importExchange(dir, g.start);
    assert.deepEqual(back.rowStart, g.mdp.rowStart);
    assert.deepEqual(back.next, g.mdp.next);
    assert.deepEqual(back.prob, g.mdp.prob);
    assert.deepEqual(back.reward, g.mdp.reward);
    for (const b of ['return', 'mnm', 'vmbpo'] as const) assert.deepEqual(valueIteration(back, b).V, valueIteration(g.mdp, b).V);
    // Rows of different lengths are padded with probability 0.
    const rnd = randomMDP(new Rng('x'), { S: 6, A: 2, gamma: 0.8, successors: 3 });
    exportExchange(rnd, dir);
    assert.deepEqual(importExchange(dir).prob, rnd.prob);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('malformed exchange folders get clear errors', () => {
  const dir = tmp();
  try {
    assert.throws(() => importExchange(dir), /meta.json: cannot read/);
    fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ states: 2, actions: 0, successors: 1, gamma: 0.9 }));
    assert.throws(() => importExchange(dir), /meta.json: 'actions' must be a positive integer, got 0/);
    fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ states: 2, actions: 1, successors: 1, gamma: 0.9 }));
    fs.writeFileSync(path.join(dir, 'next.i32'), Buffer.alloc(4));
    assert.throws(
      () => importExchange(dir),
      /next.i32: has 4 bytes, but .*meta.json gives states × actions × successors = 2×1×1 = 2 entries of 4 bytes \(8\)/,
    );
    fs.writeFileSync(path.join(dir, 'next.i32'), Buffer.from(new Int32Array([0, 5]).buffer));
    fs.writeFileSync(path.join(dir, 'prob.f64'), Buffer.from(new Float64Array([1, 1]).buffer));
    fs.writeFileSync(path.join(dir, 'reward.f64'), Buffer.from(new Float64Array([1, 1]).buffer));
    assert.throws(() => importExchange(dir), /state 1, action 0: successor index 5 out of range \[0, 2\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A folder with valid arrays for a 2-state, 1-action MDP and the given meta.json; `check` runs on it. */
function withFolder(meta: unknown, check: (dir: string, metaFile: string) => void): void {
  const dir = tmp();
  try {
    fs.writeFileSync(path.join(dir, 'next.i32'), Buffer.from(new Int32Array([1, 1]).buffer));
    fs.writeFileSync(path.join(dir, 'prob.f64'), Buffer.from(new Float64Array([1, 1]).buffer));
    fs.writeFileSync(path.join(dir, 'reward.f64'), Buffer.from(new Float64Array([1, 2]).buffer));
    fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify(meta));
    check(dir, path.join(dir, 'meta.json'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
const good = { states: 2, actions: 1, successors: 1, gamma: 0.9 };
/** importExchange fails with an error that starts with the meta.json path and matches `re`. */
const metaError = (meta: unknown, re: RegExp) =>
  withFolder(meta, (dir, metaFile) =>
    assert.throws(
      () => importExchange(dir),
      (err: Error) => err.message.startsWith(`${metaFile}: `) && re.test(err.message),
    ),
  );

test('meta.json that is null (or not an object) is refused, naming the file', () => {
  metaError(null, /must be a JSON object .*, got null/);
  metaError([2, 1, 1, 0.9], /must be a JSON object/);
});

test('meta.json without gamma is refused, naming the file and the key', () => {
  metaError({ states: 2, actions: 1, successors: 1 }, /'gamma' is missing \(a number in \(0, 1\)\)/);
});

test('meta.json with numbers given as strings is refused, not stored as a string', () => {
  metaError({ ...good, gamma: '0.9' }, /'gamma' must be a number in \(0, 1\), got "0.9"/);
  metaError({ ...good, states: '2' }, /'states' must be a positive integer, got "2"/);
});

test('meta.json sizes that disagree with the arrays: the error names the array file and meta.json', () => {
  withFolder({ ...good, states: 3 }, (dir, metaFile) =>
    assert.throws(
      () => importExchange(dir),
      (err: Error) => err.message.startsWith(path.join(dir, 'next.i32')) && err.message.includes(metaFile) && /3×1×1/.test(err.message),
    ),
  );
});

test('one schema: unknown keys and out-of-range values are refused; bad array contents name the folder', () => {
  metaError({ ...good, gamma: 1 }, /'gamma' must be a number in \(0, 1\), got 1/);
  metaError({ ...good, gammma: 0.9 }, /unknown key\(s\) 'gammma'/);
  withFolder(good, (dir) => {
    assert.equal(importExchange(dir).gamma, 0.9);
    fs.writeFileSync(path.join(dir, 'next.i32'), Buffer.from(new Int32Array([0, 7]).buffer));
    assert.throws(
      () => importExchange(dir),
      (err: Error) => err.message.startsWith(`${dir} (next.i32, prob.f64, reward.f64): `) && /successor index 7/.test(err.message),
    );
  });
});
