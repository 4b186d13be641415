import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { Rng } from '../../lib/rng';
import { exportExchange, importExchange } from '../../lib/tabular/exchange';
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
    assert.throws(() => importExchange(dir), /'actions' must be a positive integer, got 0/);
    fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ states: 2, actions: 1, successors: 1, gamma: 0.9 }));
    fs.writeFileSync(path.join(dir, 'next.i32'), Buffer.alloc(4));
    assert.throws(() => importExchange(dir), /next.i32: has 4 bytes, expected 8 from meta.json/);
    fs.writeFileSync(path.join(dir, 'next.i32'), Buffer.from(new Int32Array([0, 5]).buffer));
    fs.writeFileSync(path.join(dir, 'prob.f64'), Buffer.from(new Float64Array([1, 1]).buffer));
    fs.writeFileSync(path.join(dir, 'reward.f64'), Buffer.from(new Float64Array([1, 1]).buffer));
    assert.throws(() => importExchange(dir), /state 1, action 0: successor index 5 out of range \[0, 2\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
