import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Rng } from '../../lib/rng';
import { makeGridworld, openGridMap } from '../../lib/tabular/gridworld';
import { loadGridMap, dataMap } from '../../lib/tabular/map-files';
import { randomMDP } from '../../lib/tabular/random-mdp';
import { BACKUPS, backupBase, prepareBackup, sweepValues, valueIteration, type PreparedBackup } from '../../lib/tabular/solve';
import { SweepPool } from '../../lib/tabular/sweep-pool';

// Small chunks, so that these small MDPs are split into many chunks over the threads.
const pools = [new SweepPool(2, { minChunkStates: 7 }), new SweepPool(3, { minChunkStates: 16 })];
after(() => Promise.all(pools.map((p) => p.close())));

const identical = (x: Float64Array, y: Float64Array) => x.length === y.length && x.every((v, i) => Object.is(v, y[i]));

test('a sweep split over 2 or 3 threads gives the very same values, Q and sweep count as one thread', () => {
  const rng = new Rng('sweep-pool');
  const cases = [
    makeGridworld(openGridMap(30, 21), { noise: 0.2, gamma: 0.95 }).mdp,
    makeGridworld(loadGridMap(dataMap('e2-fine-walls-12x12.txt'))).mdp,
    // Other action counts and shapes, forced onto the blocks layout (the one the pool splits).
    randomMDP(rng, { S: 97, A: 3, gamma: 0.9, successors: 4 }),
    randomMDP(rng, { S: 64, A: 5, gamma: 0.8, successors: 2 }),
  ];
  for (const mdp of cases) {
    for (const b of BACKUPS) {
      const one = valueIteration(mdp, b, { layout: 'blocks' });
      for (const pool of pools) {
        const many = valueIteration(mdp, b, { layout: 'blocks', runner: pool });
        assert.equal(many.iterations, one.iterations);
        assert.ok(identical(many.V, one.V), `${b}, S = ${mdp.S}, ${pool.threads} threads: V differs`);
        assert.ok(identical(many.Q, one.Q), `${b}, S = ${mdp.S}, ${pool.threads} threads: Q differs`);
      }
    }
  }
  // The worker threads did take part (how much depends on the machine's load).
  for (const pool of pools) assert.ok(pool.workerChunks > 0, `${pool.threads} threads: the workers ran no chunk`);
});

test('one pool serves many solves in turn, and a closed pool says so', async () => {
  const mdp = makeGridworld(openGridMap(12, 9)).mdp;
  const first = valueIteration(mdp, 'mnm', { runner: pools[0] });
  valueIteration(mdp, 'return', { runner: pools[0] });
  assert.ok(identical(valueIteration(mdp, 'mnm', { runner: pools[0] }).V, first.V));
  const p = new SweepPool(2);
  await p.close();
  assert.throws(() => valueIteration(mdp, 'mnm', { runner: p }), /SweepPool: used after close\(\)/);
  assert.throws(() => new SweepPool(0), /threads must be an integer in \[1, 64\], got 0/);
  assert.throws(() => new SweepPool(2, { minChunkStates: 0 }), /minChunkStates must be a positive integer, got 0/);
});

test('identical per-state blocks are stored once: an open gridworld has a handful, whatever its size', () => {
  for (const n of [10, 60]) {
    const blocks = prepareBackup(makeGridworld(openGridMap(n, n)).mdp, 'mnm').blocks;
    assert.ok(blocks);
    // Interior, 4 edges, 4 corners, the goal, and the goal's neighbours' edge cases: at most a dozen.
    assert.ok(blocks.patterns <= 12, `${n}×${n}: ${blocks.patterns} patterns`);
    assert.ok(blocks.table.length <= 12 * 4 * 4);
  }
});

test('a reward that depends on the state only (max of the sums, then + c(s)) gives the same bits as per-action constants', () => {
  const mdp = makeGridworld(loadGridMap(dataMap('e2-fine-walls-12x12.txt'))).mdp;
  const { S, A } = mdp;
  for (const b of BACKUPS) {
    const uniform = prepareBackup(mdp, b, 'blocks');
    assert.equal(uniform.uniform, true);
    // The same backup run as if c varied with the action: c(s, a) added to (or exp(c − max c) times) every sum.
    const base = backupBase(mdp, b);
    const expBase = new Float64Array(S * A).map((_, i) => Math.exp(base[i] - uniform.baseMax[Math.floor(i / A)]));
    const perAction: PreparedBackup = { ...uniform, uniform: false, base, expBase: b === 'return' ? new Float64Array(0) : expBase };
    let [V1, V2] = [new Float64Array(S), new Float64Array(S)];
    let [W1, W2] = [new Float64Array(S), new Float64Array(S)];
    const e = new Float64Array(S);
    for (let it = 0; it < 200; it++) {
      assert.equal(sweepValues(mdp, uniform, V1, V2, e), sweepValues(mdp, perAction, W1, W2, e));
      assert.ok(identical(V2, W2), `${b}, sweep ${it}: values differ`);
      [V1, V2, W1, W2] = [V2, V1, W2, W1];
    }
  }
});
