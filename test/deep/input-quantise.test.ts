import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quantiseCoordinate, quantiseInput, quantiseObsRows } from '../../lib/deep/input-quantise';
import { crossesWall, insideWall, moveWithWalls, POINT_MAZE } from '../../lib/envs/point-maze';
import { Rng } from '../../lib/rng';

test('quantiseInput: every point of a 0.2 cell maps to its centre, inside the cell, and the map is idempotent', () => {
  const rng = new Rng('quantise');
  for (let i = 0; i < 2000; i++) {
    const [x, y] = [rng.range(-1, 1), rng.range(-1, 1)];
    const [qx, qy] = quantiseInput(x, y);
    assert.ok(Math.abs(qx - x) <= 0.1 + 1e-12 && Math.abs(qy - y) <= 0.1 + 1e-12, `(${x}, ${y}) → (${qx}, ${qy})`);
    assert.deepEqual(quantiseInput(qx, qy), [qx, qy]);
    // Same cell ⇔ same centre.
    assert.equal(qx, quantiseInput(Math.floor((x + 1) / 0.2) * 0.2 - 1 + 0.1, y)[0]);
  }
  // 10 cells per axis, the arena's edges inside the first and last.
  const centres = new Set<number>();
  for (let v = -1; v <= 1; v += 0.01) centres.add(Math.round(quantiseCoordinate(v) * 1e9) / 1e9);
  assert.equal(centres.size, 10);
  assert.ok(Math.abs(quantiseCoordinate(1) - 0.9) < 1e-12 && Math.abs(quantiseCoordinate(-1) + 0.9) < 1e-12);
  // A boundary goes to the cell above, whatever the rounding of v / cell.
  assert.ok(Math.abs(quantiseCoordinate(0.6) - 0.7) < 1e-12);
  assert.ok(Math.abs(quantiseCoordinate(-0.2) + 0.1) < 1e-12);
  // Just below the wall and a cell's width lower look the same to the model.
  assert.deepEqual(quantiseInput(-0.3, -0.06), quantiseInput(-0.3, -0.19));
  // A coarser cell: the arena in 4.
  assert.ok(Math.abs(quantiseInput(0.3, 0.3, 0.5)[0] - 0.25) < 1e-12);
});

test('quantiseObsRows: quantises the chosen columns of each row into a new array', () => {
  const obs = Float32Array.of(-0.06, -0.19, 7, 0.95, 0.31, -3);
  const q = quantiseObsRows(obs, 3);
  assert.deepEqual(Array.from(obs), Array.from(Float32Array.of(-0.06, -0.19, 7, 0.95, 0.31, -3)), 'input unchanged');
  assert.deepEqual(Array.from(q), Array.from(Float32Array.of(-0.1, -0.1, 7, 0.9, 0.3, -3)));
});

test('the mechanism: a likelihood model of the move on the quantised input steps through the wall; at full resolution it does not', () => {
  // A Gaussian likelihood model's mean is the average target over the states it cannot tell apart: here the
  // up-moves (action (0, 1)) of the free points of the cell x ∈ [−0.4, −0.2), y ∈ [−0.2, 0) below the wall.
  const up = (x: number, y: number) => moveWithWalls(x, y, 0, POINT_MAZE.stepSize)[1] - y;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < 40; i++) {
    for (let j = 0; j < 40; j++) {
      const [x, y] = [-0.4 + (i + 0.5) * 0.005, -0.2 + (j + 0.5) * 0.005];
      if (insideWall(x, y)) continue;
      sum += up(x, y);
      n++;
    }
  }
  const meanDy = sum / n;
  const s = [-0.3, -0.06];
  assert.ok(crossesWall(s, [s[0], s[1] + meanDy]), `quantised model: ${s[1]} + ${meanDy}`);
  assert.equal(crossesWall(s, [s[0], s[1] + up(s[0], s[1])]), false, 'full resolution: the true move');
});

test('quantise: bad input is one line', () => {
  assert.throws(() => quantiseInput(0, 0, 0), /quantise: cell must be a finite number > 0, got 0/);
  assert.throws(() => quantiseInput(NaN, 0), /quantise: coordinate must be finite, got NaN/);
  assert.throws(() => quantiseObsRows(Float32Array.of(1, 2, 3), 2), /3 numbers are not rows of 2/);
  assert.throws(() => quantiseObsRows(Float32Array.of(1, 2), 2, undefined, [2]), /column 2 out of range \[0, 2\)/);
});
