import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../lib/rng';
import { fullKeys, gridKeys, TabularClassifier } from '../../lib/tabular/classifier';
import { makeGridworld, parseGridMap } from '../../lib/tabular/gridworld';
import { obstacleBlindTarget } from '../../lib/tabular/learned-model';

test('Eq. 4 SGD drives the full-capacity logit to log p/q (Bayes-optimal classifier)', () => {
  const rng = new Rng('bayes');
  const p = [0.6, 0.3, 0.1];
  const q = [0.2, 0.3, 0.5];
  const c = new TabularClassifier(fullKeys(3, 1));
  // Constant steps, then the average of the iterates (Polyak averaging) to remove the SGD jitter.
  const avg = [0, 0, 0];
  const T = 200000;
  for (let t = 0; t < 2 * T; t++) {
    c.update(0, 0, rng.categorical(p), rng.categorical(q), 0.05);
    if (t >= T) for (let j = 0; j < 3; j++) avg[j] += c.logit(0, 0, j) / T;
  }
  for (let j = 0; j < 3; j++) {
    const want = Math.log(p[j] / q[j]);
    assert.ok(Math.abs(avg[j] - want) < 0.03, `successor ${j}: averaged logit ${avg[j]} vs log p/q ${want}`);
  }
});

test('a transition the real data never shows gets an ever lower logit, clipped where used', () => {
  const c = new TabularClassifier(fullKeys(2, 1));
  for (let t = 0; t < 1000; t++) c.update(0, 0, 0, 1, 0.5);
  assert.ok(c.logit(0, 0, 1) < -4);
  assert.ok(c.logit(0, 0, 0) > 4);
  for (let t = 0; t < 1e5; t++) c.update(0, 0, 0, 1, 50);
  assert.equal(c.clippedLogit(0, 0, 1, 10), -10);
});

test("the 'block-move' classifier sees the block and the relative move, not the exact state", () => {
  const g = makeGridworld(parseGridMap(['S.....', '......', '#####.', '......', '......', '.....G'].join('\n'), 'wall'), { noise: 0.2 });
  const k = gridKeys(g, 'block-move');
  const a = g.stateAt(3, 0);
  const b = g.stateAt(4, 1);
  // Same block, same action, same relative move (right): one logit.
  assert.equal(k.key(a, 3, g.stateAt(3, 1)), k.key(b, 3, g.stateAt(4, 2)));
  // A move of one cell and a jump over the wall are told apart.
  assert.notEqual(k.key(a, 0, obstacleBlindTarget(g, a, 0)), k.key(b, 0, g.stateAt(3, 1)));
  // 'block-next' sees the exact s' instead.
  const kn = gridKeys(g, 'block-next');
  assert.notEqual(kn.key(a, 3, g.stateAt(3, 1)), kn.key(b, 3, g.stateAt(4, 2)));
  assert.equal(kn.key(a, 3, g.stateAt(4, 1)), kn.key(b, 3, g.stateAt(4, 1)));
  // Full capacity tells the two states apart.
  const kf = gridKeys(g, 'full');
  assert.notEqual(kf.key(a, 3, g.stateAt(3, 1)), kf.key(b, 3, g.stateAt(4, 2)));
  assert.throws(() => gridKeys(g, 'tiny' as never), /unknown classifier capacity 'tiny'/);
});
