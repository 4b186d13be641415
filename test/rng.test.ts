import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../lib/rng';
import { mean, std } from '../lib/stats';

const draws = (r: Rng, n = 1000) => Array.from({ length: n }, () => r.uniform());

test('the same seed gives identical numbers', () => {
  assert.deepEqual(draws(new Rng(123)), draws(new Rng(123)));
  assert.deepEqual(draws(new Rng('exp/seed-0')), draws(new Rng('exp/seed-0')));
});

test('different seeds give different numbers', () => {
  const a = draws(new Rng(1));
  const b = draws(new Rng(2));
  assert.ok(a.filter((x, i) => x === b[i]).length < 5);
});

test('fork depends on the seed and label only, not on draws made before', () => {
  const r1 = new Rng(5);
  const r2 = new Rng(5);
  draws(r2, 17);
  assert.deepEqual(draws(r1.fork('x'), 50), draws(r2.fork('x'), 50));
  assert.notDeepEqual(draws(r1.fork('x'), 50), draws(r1.fork('y'), 50));
});

test('distributions have the right moments', () => {
  const r = new Rng(9);
  const u = draws(r, 20000);
  assert.ok(Math.abs(mean(u) - 0.5) < 0.01);
  const z = Array.from({ length: 20000 }, () => r.normal());
  assert.ok(Math.abs(mean(z)) < 0.03 && Math.abs(std(z) - 1) < 0.03);
  const counts = [0, 0, 0];
  for (let i = 0; i < 30000; i++) counts[r.categorical([1, 2, 3])]++;
  assert.ok(Math.abs(counts[2] / 30000 - 0.5) < 0.015 && Math.abs(counts[0] / 30000 - 1 / 6) < 0.015);
  const s = r.simplex(4);
  assert.ok(Math.abs(s.reduce((x, y) => x + y, 0) - 1) < 1e-12);
});

test('bad arguments get clear errors', () => {
  const r = new Rng(0);
  assert.throws(() => r.int(0), /positive integer/);
  assert.throws(() => r.categorical([0, 0]), /positive finite sum/);
  assert.throws(() => new Rng(NaN), /finite/);
});
