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

test('quantiseTensor (what the model sees) agrees with quantiseCoordinate, and leaves the other columns alone', async () => {
  const tf = await import('@tensorflow/tfjs');
  const { quantiseTensor } = await import('../../lib/deep/input-quantise');
  const rng = new Rng('quantise-tensor');
  const rows = Array.from({ length: 500 }, () => [rng.range(-1, 1), rng.range(-1, 1), rng.range(-1, 1), rng.range(-1, 1)]);
  // Points within 1e-5 of a cell boundary are left out: float32 and float64 may put them on either side.
  const clear = rows.filter((r) => r.slice(0, 2).every((v) => Math.abs((v + 1) / 0.2 - Math.round((v + 1) / 0.2)) > 1e-4));
  const out = tf.tidy(() => quantiseTensor(tf.tensor2d(clear)).arraySync() as number[][]);
  clear.forEach((r, i) => {
    assert.ok(Math.abs(out[i][0] - quantiseCoordinate(r[0])) < 1e-6, `x of row ${i}`);
    assert.ok(Math.abs(out[i][1] - quantiseCoordinate(r[1])) < 1e-6, `y of row ${i}`);
    assert.ok(Math.abs(out[i][2] - r[2]) < 1e-6 && Math.abs(out[i][3] - r[3]) < 1e-6, `other columns of row ${i}`);
  });
});

test('GaussianEnsemble with inputCell: two states of one cell get the same prediction of their move, states of two cells do not', async () => {
  const { GaussianEnsemble, DEFAULT_ENSEMBLE } = await import('../../lib/deep/dynamics');
  const { initBackend } = await import('../../lib/deep/backend');
  await initBackend({ quiet: true });
  const make = (inputCell: number) =>
    new GaussianEnsemble({ ...DEFAULT_ENSEMBLE, obsDim: 2, actDim: 2, members: 1, elites: 1, inputCell }, new Rng('ens'));
  const [coarse, full] = [make(0.2), make(0)];
  // States (−0.55, −0.15) and (−0.45, −0.05) share the cell centred at (−0.5, −0.1); (−0.35, −0.15) is in the next one.
  const obs = Float32Array.from([-0.55, -0.15, -0.45, -0.05, -0.35, -0.15]);
  const act = Float32Array.from([0, 1, 0, 1, 0, 1]);
  const tf = await import('@tensorflow/tfjs');
  // The member's predicted mean move (no sampling noise) for each state.
  const move = (m: InstanceType<typeof GaussianEnsemble>) =>
    tf.tidy(() => {
      const x = tf.concat([tf.tensor2d(obs, [3, 2]), tf.tensor2d(act, [3, 2])], 1);
      return m.forwardMember(0, x).mean.arraySync();
    });
  const [c, f] = [move(coarse), move(full)];
  assert.ok(Math.abs(c[0][0] - c[1][0]) < 1e-6 && Math.abs(c[0][1] - c[1][1]) < 1e-6, 'same cell, same move');
  assert.ok(Math.abs(c[0][0] - c[2][0]) + Math.abs(c[0][1] - c[2][1]) > 1e-6, 'another cell, another move');
  assert.ok(Math.abs(f[0][0] - f[1][0]) + Math.abs(f[0][1] - f[1][1]) > 1e-6, 'at full resolution every state has its own move');
  assert.throws(() => make(-0.1), /^Error: GaussianEnsemble: inputCell must be 0 or > 0/);
  coarse.dispose();
  full.dispose();
});

test('quantiseRowsLikeTensor is quantiseTensor number for number (the engine sees what TensorFlow.js sees), boundaries included', async () => {
  const tf = await import('@tensorflow/tfjs');
  const { quantiseRowsLikeTensor, quantiseTensor } = await import('../../lib/deep/input-quantise');
  const { initBackend } = await import('../../lib/deep/backend');
  await initBackend({ quiet: true });
  const rng = new Rng('quantise-like-tensor');
  const d = 5;
  const values: number[] = [];
  for (let i = 0; i < 400; i++) values.push(rng.range(-1.2, 1.2));
  // Cell boundaries and their float32 neighbours, where float32 and float64 arithmetic part ways.
  for (let k = 0; k <= 10; k++) {
    const b = Math.fround(-1 + 0.2 * k);
    const up = new Float32Array([b]);
    const bits = new Int32Array(up.buffer);
    for (const step of [-2, -1, 0, 1, 2]) {
      const v = new Float32Array(new Int32Array([bits[0] + (b >= 0 ? step : -step)]).buffer)[0];
      values.push(v, -1 + 0.2 * k, v + 1e-7, v - 1e-7);
    }
  }
  const x = Float32Array.from({ length: values.length * d }, (_, i) => (i % d < 2 ? values[Math.floor(i / d)] : rng.normal()));
  for (const [cell, dims] of [
    [0.2, [0, 1]],
    [0.3, [1, 3]],
  ] as const) {
    const g = { cell, lo: -1, hi: 1 };
    const want = tf.tidy(() => quantiseTensor(tf.tensor2d(x, [values.length, d]), g, dims).dataSync() as Float32Array);
    const got = quantiseRowsLikeTensor(x, d, g, dims);
    const diff = Array.from(got).findIndex((v, i) => !Object.is(v, want[i]));
    assert.equal(diff, -1, `cell ${cell}: entry ${diff} is ${got[diff]}, quantiseTensor gives ${want[diff]} (input ${x[diff]})`);
  }
  assert.throws(() => quantiseRowsLikeTensor(new Float32Array(7), 3), /7 numbers are not rows of 3/);
});
