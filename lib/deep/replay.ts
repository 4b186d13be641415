/**
 * Replay buffer on flat typed arrays (a ring: the oldest transition is overwritten when full).
 *
 *   const buf = new ReplayBuffer(100_000, obsDim, actDim);
 *   buf.add(obs, act, reward, nextObs, terminated);     // act in the env's units; terminated → no bootstrap
 *   const batch = buf.sample(256, rng);                  // uniform with replacement, draws from `rng` only
 *
 * A `Batch` is row-major Float32Arrays: obs [n·obsDim], act [n·actDim], rew [n], nextObs [n·obsDim],
 * done [n] (1 where the transition terminated the task; time-limit truncation is NOT done).
 * `add` rejects non-finite numbers and wrong lengths with an error naming the field.
 * `toJSON()` / `ReplayBuffer.fromJSON()` save and restore the whole ring (a wrapped one too) as plain JSON.
 */
import { Rng } from '../rng';

export interface Batch {
  n: number;
  obs: Float32Array;
  act: Float32Array;
  rew: Float32Array;
  nextObs: Float32Array;
  done: Float32Array;
}

export interface SavedReplay {
  format: 'mnm-replay-1';
  capacity: number;
  obsDim: number;
  actDim: number;
  next: number;
  count: number;
  obs: number[];
  act: number[];
  rew: number[];
  nextObs: number[];
  done: number[];
}

export class ReplayBuffer {
  readonly obs: Float32Array;
  readonly act: Float32Array;
  readonly rew: Float32Array;
  readonly nextObs: Float32Array;
  readonly done: Float32Array;
  private next = 0;
  private count = 0;

  constructor(
    readonly capacity: number,
    readonly obsDim: number,
    readonly actDim: number,
  ) {
    for (const [k, v] of Object.entries({ capacity, obsDim, actDim })) {
      if (!(Number.isInteger(v) && v > 0)) throw new Error(`ReplayBuffer: ${k} must be a positive integer, got ${v}`);
    }
    this.obs = new Float32Array(capacity * obsDim);
    this.act = new Float32Array(capacity * actDim);
    this.rew = new Float32Array(capacity);
    this.nextObs = new Float32Array(capacity * obsDim);
    this.done = new Float32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  add(obs: ArrayLike<number>, act: ArrayLike<number>, reward: number, nextObs: ArrayLike<number>, terminated: boolean): void {
    check('obs', obs, this.obsDim);
    check('act', act, this.actDim);
    check('nextObs', nextObs, this.obsDim);
    if (!Number.isFinite(reward)) throw new Error(`ReplayBuffer.add: reward must be finite, got ${reward}`);
    const i = this.next;
    this.obs.set(obs, i * this.obsDim);
    this.act.set(act, i * this.actDim);
    this.rew[i] = reward;
    this.nextObs.set(nextObs, i * this.obsDim);
    this.done[i] = terminated ? 1 : 0;
    this.next = (i + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** Adds every row of a batch (e.g. model rollouts). */
  addBatch(b: Batch): void {
    const { obsDim: o, actDim: a } = this;
    for (let r = 0; r < b.n; r++) {
      this.add(
        b.obs.subarray(r * o, (r + 1) * o),
        b.act.subarray(r * a, (r + 1) * a),
        b.rew[r],
        b.nextObs.subarray(r * o, (r + 1) * o),
        b.done[r] > 0.5,
      );
    }
  }

  /** `n` rows drawn uniformly with replacement. */
  sample(n: number, rng: Rng): Batch {
    if (this.count === 0) throw new Error('ReplayBuffer.sample: the buffer is empty');
    if (!(Number.isInteger(n) && n > 0)) throw new Error(`ReplayBuffer.sample: n must be a positive integer, got ${n}`);
    const idx = new Int32Array(n);
    for (let r = 0; r < n; r++) idx[r] = rng.int(this.count);
    return this.gather(idx);
  }

  /** The rows at the given indices (0 ≤ i < size). */
  gather(idx: ArrayLike<number>): Batch {
    const { obsDim: o, actDim: a } = this;
    const n = idx.length;
    const out: Batch = {
      n,
      obs: new Float32Array(n * o),
      act: new Float32Array(n * a),
      rew: new Float32Array(n),
      nextObs: new Float32Array(n * o),
      done: new Float32Array(n),
    };
    for (let r = 0; r < n; r++) {
      const i = idx[r];
      if (!(i >= 0 && i < this.count)) throw new Error(`ReplayBuffer.gather: index ${i} out of range [0, ${this.count})`);
      out.obs.set(this.obs.subarray(i * o, (i + 1) * o), r * o);
      out.act.set(this.act.subarray(i * a, (i + 1) * a), r * a);
      out.rew[r] = this.rew[i];
      out.nextObs.set(this.nextObs.subarray(i * o, (i + 1) * o), r * o);
      out.done[r] = this.done[i];
    }
    return out;
  }

  /** The ring as plain JSON: arrays of the filled rows in storage order, plus the write position. */
  toJSON(): SavedReplay {
    const rows = this.count;
    const { obsDim: o, actDim: a } = this;
    return {
      format: 'mnm-replay-1',
      capacity: this.capacity,
      obsDim: o,
      actDim: a,
      next: this.next,
      count: rows,
      obs: Array.from(this.obs.subarray(0, rows * o)),
      act: Array.from(this.act.subarray(0, rows * a)),
      rew: Array.from(this.rew.subarray(0, rows)),
      nextObs: Array.from(this.nextObs.subarray(0, rows * o)),
      done: Array.from(this.done.subarray(0, rows)),
    };
  }

  static fromJSON(s: SavedReplay): ReplayBuffer {
    if (!s || s.format !== 'mnm-replay-1') throw new Error(`ReplayBuffer.fromJSON: not a saved replay buffer (format ${s?.format})`);
    const buf = new ReplayBuffer(s.capacity, s.obsDim, s.actDim);
    const n = s.count;
    if (!(Number.isInteger(n) && n >= 0 && n <= s.capacity && Number.isInteger(s.next) && s.next >= 0 && s.next < s.capacity)) {
      throw new Error(`ReplayBuffer.fromJSON: count ${n} / next ${s.next} do not fit capacity ${s.capacity}`);
    }
    const lens: [keyof SavedReplay, number][] = [
      ['obs', n * s.obsDim],
      ['act', n * s.actDim],
      ['rew', n],
      ['nextObs', n * s.obsDim],
      ['done', n],
    ];
    for (const [k, len] of lens) {
      const arr = s[k] as number[];
      if (!Array.isArray(arr) || arr.length !== len) throw new Error(`ReplayBuffer.fromJSON: ${k} must have ${len} numbers`);
      if (!arr.every(Number.isFinite)) throw new Error(`ReplayBuffer.fromJSON: ${k} has a non-finite entry`);
    }
    buf.obs.set(s.obs);
    buf.act.set(s.act);
    buf.rew.set(s.rew);
    buf.nextObs.set(s.nextObs);
    buf.done.set(s.done);
    buf.count = n;
    buf.next = s.next;
    return buf;
  }

  clear(): void {
    this.next = 0;
    this.count = 0;
  }
}

function check(name: string, x: ArrayLike<number>, dim: number): void {
  if (x.length !== dim) throw new Error(`ReplayBuffer.add: ${name} must have length ${dim}, got ${x.length}`);
  for (let i = 0; i < dim; i++) if (!Number.isFinite(x[i])) throw new Error(`ReplayBuffer.add: ${name}[${i}] is ${x[i]}`);
}
