import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crossesWall, crossingFraction, moveWithWalls, POINT_MAZE, PointMaze, roundTheWallAction } from '../../lib/envs/point-maze';
import { Rng } from '../../lib/rng';

const insideOrThrough = [
  { s: [-0.6, -0.5], n: [-0.6, 0.5], why: 'straight through the wall' },
  { s: [-0.6, -0.06], n: [-0.6, 0.0], why: 'from just below to the middle of the wall' },
  { s: [-0.5, 0.0], n: [-0.4, 0.0], why: 'a step inside the wall' },
  { s: [0.05, -0.1], n: [-0.05, 0.1], why: 'diagonally across the wall end' },
];
const clear = [
  { s: [0.2, -0.5], n: [0.2, 0.5], why: 'past the open end' },
  { s: [-0.6, -0.2], n: [-0.6, -0.05], why: 'up to the lower face, touching it' },
  { s: [-0.6, -0.06], n: [-0.6, -0.001], why: 'into the wall, short of its middle' },
  { s: [-0.3, 0.2], n: [-0.3, 0.001], why: 'down into the wall from above, short of its middle' },
  { s: [-0.8, -0.05], n: [-0.2, -0.05], why: 'sliding along the lower face' },
  { s: [-0.6, 0.06], n: [-0.6, 0.3], why: 'away from the upper face' },
  // A real move found by the random walk below: right past the wall's end, then up. Its straight segment cuts the corner.
  { s: [-0.001946792472153902, -0.05000099912285805], n: [0.07074502110481262, 0.04999899864196777], why: 'round the corner, x first' },
  { s: [-0.05, -0.1], n: [0.05, 0.1], why: 'right past the end, then up' },
];

test('crossesWall: a step that reaches the middle of the wall or goes through, and not one that touches, enters a little or avoids it', () => {
  for (const c of insideOrThrough) assert.equal(crossesWall(c.s, c.n), true, c.why);
  for (const c of clear) assert.equal(crossesWall(c.s, c.n), false, c.why);
  // The mass moves x first: back from above the wall's end to below it, the L passes right of the wall.
  assert.equal(crossesWall([-0.05, 0.1], [0.05, -0.1]), false);
  // Observations (Float32Array) work as points.
  assert.equal(crossesWall(Float32Array.of(-0.6, -0.5), Float32Array.of(-0.6, 0.5)), true);
});

test('crossesWall: no real transition crosses the wall (random walks, also pushing into the wall)', () => {
  const rng = new Rng('crosses-wall');
  const env = new PointMaze();
  let steps = 0;
  for (let ep = 0; ep < 60; ep++) {
    let obs = env.reset(rng.fork(`reset-${ep}`));
    for (let t = 0; t < 100; t++) {
      const a = rng.uniform() < 0.5 ? [rng.range(-1, 1), 1] : [rng.range(-1, 1), rng.range(-1, 1)];
      const res = env.step(a);
      assert.equal(crossesWall(obs, res.obs), false, `(${obs[0]}, ${obs[1]}) → (${res.obs[0]}, ${res.obs[1]})`);
      steps++;
      if (res.terminated || res.truncated) break;
      obs = res.obs;
    }
  }
  assert.ok(steps > 1000);
});

test('crossesWall: bad input is one line', () => {
  assert.throws(() => crossesWall([0], [0, 1]), /crossesWall: s and s' must be points \[x, y\], got lengths 1 and 2/);
  assert.throws(() => crossesWall([0, NaN], [0, 1]), /crossesWall: s and s' must be finite/);
});

test('roundTheWallAction: reaches the goal round the open end, never pushing into the wall', () => {
  const env = new PointMaze();
  for (let ep = 0; ep < 20; ep++) {
    let obs = env.reset(new Rng(`round-${ep}`));
    let done = false;
    let t = 0;
    while (!done) {
      const [x0, y0] = env.state;
      const a = roundTheWallAction(obs[0], obs[1]);
      const res = env.step(a);
      // Each move is the one commanded: the wall never stops it.
      const [x1, y1] = env.state;
      const [ex, ey] = moveWithWalls(x0, y0, POINT_MAZE.stepSize * a[0], POINT_MAZE.stepSize * a[1], []);
      assert.ok(Math.abs(x1 - ex) < 1e-9 && Math.abs(y1 - ey) < 1e-9, `step ${t} of episode ${ep} was stopped by the wall`);
      assert.equal(res.truncated, false, `episode ${ep} ran out of time`);
      done = res.terminated;
      obs = res.obs;
      t++;
    }
    assert.ok(t <= 20, `episode ${ep} took ${t} steps`);
  }
});

test('crossingFraction: the share of a batch whose step crosses the wall', () => {
  const rows = [...insideOrThrough, ...clear];
  const obs = rows.flatMap((c) => [...c.s, 9]);
  const next = rows.flatMap((c) => [...c.n, 9]);
  assert.equal(crossingFraction(obs, next, 3), insideOrThrough.length / rows.length);
  assert.equal(crossingFraction([], []), 0);
  assert.throws(() => crossingFraction([0, 0], [0, 0, 1, 1]), /crossingFraction: obs \(2\) and next \(4\) must hold the same rows of 2/);
});
