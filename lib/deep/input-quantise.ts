/**
 * A capacity-limited dynamics-model input (issue 25, Stage B): the model sees the position (x, y) only to the
 * resolution of a `cell`-wide grid (the centre of the cell it lies in), the continuous analogue of Fig. 2b's
 * 3×3 block model. On the point maze with cell 0.2 the cell just below the wall, y ∈ [−0.2, 0), holds both
 * points whose up-move the wall stops and points whose up-move is free, so a likelihood model fitted on it
 * predicts their average move: for a point just below the wall, a step into or through the wall.
 *
 * Only the model's INPUT is quantised: its predicted change is added to the exact state (s' = s + Δ̂), and its
 * targets Δ = s' − s stay exact. The dynamics model applies it (GaussianEnsemble, `inputCell`) to every input it
 * sees, in training and in rollouts, through `quantiseTensor`; `quantiseObsRows` is the same map on plain arrays
 * (its normaliser statistics, scripts). A test checks that the two agree. `quantiseRowsLikeTensor` is
 * `quantiseTensor` on plain arrays, number for number (the model on the WebAssembly engine, lib/engine).
 */
import * as tf from '@tensorflow/tfjs';

/** The arena the cells tile (the point maze's [−1, 1]²); the last cell is closed, so an edge point stays inside. */
export interface QuantiseGrid {
  cell: number;
  lo: number;
  hi: number;
}

export const MAZE_QUANTISE: QuantiseGrid = { cell: 0.2, lo: -1, hi: 1 };

function checkGrid(g: QuantiseGrid): void {
  if (!(Number.isFinite(g.cell) && g.cell > 0)) throw new Error(`quantise: cell must be a finite number > 0, got ${g.cell}`);
  if (!(Number.isFinite(g.lo) && Number.isFinite(g.hi) && g.hi > g.lo)) throw new Error(`quantise: need lo < hi, got [${g.lo}, ${g.hi}]`);
}

/** The centre of the cell of v: cells [lo + k·cell, lo + (k+1)·cell), the last one clipped at hi and closed. */
export function quantiseCoordinate(v: number, g: QuantiseGrid = MAZE_QUANTISE): number {
  if (!Number.isFinite(v)) throw new Error(`quantise: coordinate must be finite, got ${v}`);
  const n = Math.max(1, Math.ceil((g.hi - g.lo) / g.cell - 1e-9));
  // 1e-9 of a cell: a point on a boundary (up to rounding, e.g. 0.6 / 0.2 = 2.9999999999999996) goes to the cell above.
  const k = Math.min(n - 1, Math.max(0, Math.floor((v - g.lo) / g.cell + 1e-9)));
  const top = Math.min(g.hi, g.lo + (k + 1) * g.cell);
  return (g.lo + k * g.cell + top) / 2;
}

/** The model's view of a position: (x, y) to the centre of its cell (default: the maze's 0.2 grid). */
export function quantiseInput(x: number, y: number, cell = MAZE_QUANTISE.cell): [number, number] {
  const g = { ...MAZE_QUANTISE, cell };
  checkGrid(g);
  return [quantiseCoordinate(x, g), quantiseCoordinate(y, g)];
}

/**
 * A batch of observations (rows of `obsDim`) with the columns `dims` quantised, as a new array: what the
 * dynamics model would take as its observation input. Other columns are copied unchanged.
 */
export function quantiseObsRows(
  obs: Float32Array,
  obsDim: number,
  g: QuantiseGrid = MAZE_QUANTISE,
  dims: readonly number[] = [0, 1],
): Float32Array {
  checkGrid(g);
  if (!(Number.isInteger(obsDim) && obsDim > 0)) throw new Error(`quantise: obsDim must be a positive integer, got ${obsDim}`);
  if (obs.length % obsDim !== 0) throw new Error(`quantise: ${obs.length} numbers are not rows of ${obsDim}`);
  for (const d of dims)
    if (!(Number.isInteger(d) && d >= 0 && d < obsDim)) throw new Error(`quantise: column ${d} out of range [0, ${obsDim})`);
  const out = Float32Array.from(obs);
  for (let i = 0; i < obs.length; i += obsDim) for (const d of dims) out[i + d] = quantiseCoordinate(obs[i + d], g);
  return out;
}

/**
 * The same map as `quantiseCoordinate`, on the columns `dims` of a tensor [..., d] (the last axis holds the
 * columns): what the dynamics model's members see. Float32 arithmetic; a point on a cell boundary goes to the cell
 * above, as in the plain version.
 */
export function quantiseTensor(x: tf.Tensor, g: QuantiseGrid = MAZE_QUANTISE, dims: readonly number[] = [0, 1]): tf.Tensor {
  checkGrid(g);
  const d = x.shape[x.shape.length - 1] as number;
  for (const c of dims) if (!(Number.isInteger(c) && c >= 0 && c < d)) throw new Error(`quantise: column ${c} out of range [0, ${d})`);
  const n = Math.max(1, Math.ceil((g.hi - g.lo) / g.cell - 1e-9));
  return tf.tidy(() => {
    const k = tf.clipByValue(tf.floor(x.sub(g.lo).div(g.cell).add(1e-6)), 0, n - 1);
    const bottom = k.mul(g.cell).add(g.lo);
    const centre = bottom.add(tf.minimum(bottom.add(g.cell), g.hi)).div(2);
    const mask = tf.tensor1d(Array.from({ length: d }, (_, j) => (dims.includes(j) ? 1 : 0)));
    return centre.mul(mask).add(x.mul(tf.scalar(1).sub(mask)));
  });
}

/**
 * `quantiseTensor` on plain rows of `d` numbers, number for number: the same float32 operations in the same order,
 * each rounded as float32 (Math.fround), so a model evaluated outside TensorFlow.js (the engine) sees exactly the
 * inputs the TensorFlow.js one does. (quantiseObsRows, in float64, may put a point within ~1e-6 of a boundary
 * in the other cell.)
 */
export function quantiseRowsLikeTensor(
  x: Float32Array,
  d: number,
  g: QuantiseGrid = MAZE_QUANTISE,
  dims: readonly number[] = [0, 1],
): Float32Array {
  checkGrid(g);
  if (!(Number.isInteger(d) && d > 0 && x.length % d === 0)) throw new Error(`quantise: ${x.length} numbers are not rows of ${d}`);
  for (const c of dims) if (!(Number.isInteger(c) && c >= 0 && c < d)) throw new Error(`quantise: column ${c} out of range [0, ${d})`);
  const f = Math.fround;
  const n = Math.max(1, Math.ceil((g.hi - g.lo) / g.cell - 1e-9));
  const [lo, hi, cell, tiny] = [f(g.lo), f(g.hi), f(g.cell), f(1e-6)];
  const out = Float32Array.from(x);
  for (let i = 0; i < x.length; i += d)
    for (const c of dims) {
      const k = Math.min(n - 1, Math.max(0, Math.floor(f(f(f(x[i + c] - lo) / cell) + tiny))));
      const bottom = f(f(k * cell) + lo);
      out[i + c] = f(f(bottom + Math.min(f(bottom + cell), hi)) / 2);
    }
  return out;
}
