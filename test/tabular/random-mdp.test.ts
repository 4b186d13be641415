import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../lib/rng';
import { randomMDP, randomModel, randomPolicy, randomTriple } from '../../lib/tabular/random-mdp';

test('random MDPs: same seed, same MDP; sizes, sparsity and reward range as asked', () => {
  const a = randomTriple(new Rng('same'));
  const b = randomTriple(new Rng('same'));
  assert.deepEqual(a.mdp.prob, b.mdp.prob);
  assert.deepEqual(a.pi, b.pi);
  assert.deepEqual(a.q.prob, b.q.prob);
  const m = randomMDP(new Rng(1), { S: 9, A: 3, gamma: 0.7, successors: 2, rewardRange: [0.5, 2] });
  assert.equal(m.next.length, 9 * 3 * 2);
  assert.ok(m.reward.every((r) => r >= 0.5 && r <= 2));
  const sizes = new Set<string>();
  const rng = new Rng('vary');
  for (let i = 0; i < 200; i++) {
    const t = randomTriple(rng);
    sizes.add(`${t.mdp.S}x${t.mdp.A}`);
    assert.ok(t.mdp.gamma >= 0.5 && t.mdp.gamma < 0.99);
  }
  assert.ok(sizes.size >= 15, `only ${sizes.size} sizes`);
  const pi = randomPolicy(new Rng(2), 4, 3, 1);
  assert.ok(pi.every((x) => x === 0 || x === 1));
  const q = randomModel(new Rng(3), m, 'true');
  assert.deepEqual(q.prob, m.prob);
});

test('bad generator options get clear errors', () => {
  const rng = new Rng(0);
  assert.throws(() => randomMDP(rng, { S: 0, A: 1, gamma: 0.9 }), /S must be a positive integer, got 0/);
  assert.throws(() => randomMDP(rng, { S: 3, A: 1, gamma: 0.9, successors: 4 }), /successors must be an integer in \[1, 3\], got 4/);
  assert.throws(() => randomMDP(rng, { S: 3, A: 1, gamma: 0.9, rewardRange: [0, 1] }), /rewardRange must satisfy 0 < min/);
  assert.throws(() => randomMDP(rng, { S: 3, A: 1, gamma: 1.2 }), /gamma must be in \(0, 1\), got 1.2/);
});
