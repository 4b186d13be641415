/**
 * Value-iteration sweeps split over threads (Node only): `valueIteration(mdp, b, { runner: pool })`.
 *
 * Thread t owns a contiguous range of states and runs the sweep-kernels.ts loops on it, over the same
 * shared memory (the prepared backup, V, V' and e live in SharedArrayBuffers). Every state's new value is
 * computed by the same arithmetic whichever thread owns it, and the reductions (sup-norm change, max V)
 * are maxima, which do not depend on the order: the numbers are identical for any thread count.
 *
 * A sweep is one or two phases (soft backups first compute e = exp(γV − m) for all states, and every
 * thread needs all of e). The calling thread takes part; for each phase it bumps a generation counter, runs
 * its own range, then waits (Atomics) until every worker has reported. Workers spin briefly before
 * sleeping, so that a phase of a few hundred microseconds is not dominated by wake-up latency.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Kernel } from './mdp';
import { expShifted, maxOf, sweepStates, type PreparedBackup, type SweepRunner } from './sweep-kernels';

/** Control words (Int32) and per-thread results (Float64), shared with the workers. */
export const CTRL = { generation: 0, phase: 1, source: 2, done: 3, ready: 4, words: 8 } as const;
export const PHASE = { exp: 1, sweep: 2, release: 3 } as const;
/** Float64 slots: [0] the shift m, then per thread t: change at 1 + 2t, max of V' at 2 + 2t. */
export const SLOT = { shift: 0, change: (t: number) => 1 + 2 * t, max: (t: number) => 2 + 2 * t } as const;

/** What a worker gets for one solve (posted once; the arrays are shared, not copied). */
export interface BindMessage {
  type: 'bind';
  S: number;
  A: number;
  gamma: number;
  prep: PreparedBackup;
  /** The two value buffers (which is V in a phase: CTRL.source) and e. */
  values: [Float64Array, Float64Array];
  e: Float64Array;
  s0: number;
  s1: number;
  thread: number;
}

const WORKER_FILE = path.join(__dirname, 'sweep-worker.ts');
const TSX_CJS_API = require.resolve('tsx/cjs/api');
// Registers tsx in the fresh thread, then loads the worker body (TypeScript) through it.
const BOOTSTRAP = `require(${JSON.stringify(TSX_CJS_API)}).register(); require(${JSON.stringify(WORKER_FILE)});`;
const START_TIMEOUT_MS = 60_000;

export class SweepPool implements SweepRunner {
  readonly threads: number;
  private readonly workers: Worker[] = [];
  private readonly ctrl: Int32Array;
  private readonly slots: Float64Array;
  private bound: { prep: PreparedBackup; a: Float64Array; b: Float64Array; e: Float64Array } | null = null;
  /** The max of the values last written (V' of the previous sweep), so the next shift needs no extra pass. */
  private lastOut: Float64Array | null = null;
  private closed = false;

  /** Starts `threads` − 1 worker threads (default: one per core); blocks until they are ready. */
  constructor(threads = os.availableParallelism()) {
    if (!(Number.isInteger(threads) && threads >= 1 && threads <= 64))
      throw new Error(`SweepPool: threads must be an integer in [1, 64], got ${threads}`);
    this.threads = threads;
    this.ctrl = new Int32Array(new SharedArrayBuffer(4 * CTRL.words));
    this.slots = new Float64Array(new SharedArrayBuffer(8 * (1 + 2 * threads)));
    for (let t = 1; t < threads; t++) {
      const w = new Worker(BOOTSTRAP, { eval: true, workerData: { ctrl: this.ctrl, slots: this.slots } });
      w.unref(); // an idle pool never keeps the process alive
      this.workers.push(w);
    }
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (let r = Atomics.load(this.ctrl, CTRL.ready); r < threads - 1; r = Atomics.load(this.ctrl, CTRL.ready)) {
      if (Date.now() > deadline)
        throw new Error(`SweepPool: ${threads - 1 - r} worker thread(s) did not start in ${START_TIMEOUT_MS / 1000} s`);
      Atomics.wait(this.ctrl, CTRL.ready, r, 100);
    }
  }

  sweep(kernel: Kernel & { gamma: number }, prep: PreparedBackup, V: Float64Array, Vout: Float64Array, e: Float64Array): number {
    if (this.closed) throw new Error('SweepPool: used after close()');
    const S = kernel.S;
    // Compressed rows are not shared with the workers, and a tiny MDP is faster in one thread.
    if (this.threads === 1 || !prep.blocks || S < 4 * this.threads) return sweepHere(kernel, prep, V, Vout, e);
    this.bind(kernel, prep, V, Vout, e);
    const source = V === this.bound!.a ? 0 : 1;
    Atomics.store(this.ctrl, CTRL.source, source);
    const [s0, s1] = range(S, this.threads, 0);
    let m = 0;
    if (prep.soft) {
      let vmax = -Infinity;
      if (V === this.lastOut) for (let t = 0; t < this.threads; t++) vmax = Math.max(vmax, this.slots[SLOT.max(t)]);
      else vmax = maxOf(V, 0, S);
      m = kernel.gamma * vmax;
      this.slots[SLOT.shift] = m;
      this.phase(PHASE.exp, () => expShifted(V, kernel.gamma, m, e, s0, s1));
    }
    this.phase(PHASE.sweep, () => {
      this.slots[SLOT.change(0)] = sweepStates(kernel, kernel.gamma, prep, V, prep.soft ? e : V, m, Vout, s0, s1, prep.acc);
      this.slots[SLOT.max(0)] = maxOf(Vout, s0, s1);
    });
    this.lastOut = Vout;
    let change = 0;
    for (let t = 0; t < this.threads; t++) change = Math.max(change, this.slots[SLOT.change(t)]);
    return change;
  }

  /** Ends a solve: the workers go back to waiting for the next one. */
  finish(): void {
    if (!this.bound) return;
    this.phase(PHASE.release, () => {});
    this.bound = null;
    this.lastOut = null;
  }

  close(): Promise<number[]> {
    this.finish();
    this.closed = true;
    return Promise.all(this.workers.map((w) => w.terminate()));
  }

  private bind(kernel: Kernel & { gamma: number }, prep: PreparedBackup, V: Float64Array, Vout: Float64Array, e: Float64Array): void {
    const b = this.bound;
    if (b && b.prep === prep && b.e === e && ((b.a === V && b.b === Vout) || (b.a === Vout && b.b === V))) return;
    for (const x of [V, Vout, e]) {
      if (!(x.buffer instanceof SharedArrayBuffer)) throw new Error('SweepPool: V, V′ and e must live in SharedArrayBuffers');
    }
    this.finish();
    this.bound = { prep, a: V, b: Vout, e };
    const before = Atomics.load(this.ctrl, CTRL.ready);
    this.workers.forEach((w, i) => {
      const [s0, s1] = range(kernel.S, this.threads, i + 1);
      const msg: BindMessage = {
        type: 'bind',
        S: kernel.S,
        A: kernel.A,
        gamma: kernel.gamma,
        prep,
        values: [V, Vout],
        e,
        s0,
        s1,
        thread: i + 1,
      };
      w.postMessage(msg);
    });
    // Each worker counts itself in once bound (it then waits for phases).
    for (let r = before; r < before + this.workers.length; r = Atomics.load(this.ctrl, CTRL.ready))
      Atomics.wait(this.ctrl, CTRL.ready, r, 100);
  }

  /** Runs one phase: the workers on their ranges, `own` on ours; returns when all are done. */
  private phase(phase: number, own: () => void): void {
    Atomics.store(this.ctrl, CTRL.phase, phase);
    Atomics.store(this.ctrl, CTRL.done, 0);
    Atomics.add(this.ctrl, CTRL.generation, 1);
    Atomics.notify(this.ctrl, CTRL.generation);
    own();
    const n = this.workers.length;
    let spins = 0;
    for (let d = Atomics.load(this.ctrl, CTRL.done); d < n; d = Atomics.load(this.ctrl, CTRL.done)) {
      if (++spins > 2000) Atomics.wait(this.ctrl, CTRL.done, d, 50);
    }
  }
}

/** States [s0, s1) of thread t when S states are split into `threads` equal ranges. */
export function range(S: number, threads: number, t: number): [number, number] {
  return [Math.floor((S * t) / threads), Math.floor((S * (t + 1)) / threads)];
}

function sweepHere(kernel: Kernel & { gamma: number }, prep: PreparedBackup, V: Float64Array, Vout: Float64Array, e: Float64Array): number {
  let m = 0;
  if (prep.soft) {
    m = kernel.gamma * maxOf(V, 0, kernel.S);
    expShifted(V, kernel.gamma, m, e, 0, kernel.S);
  }
  return sweepStates(kernel, kernel.gamma, prep, V, prep.soft ? e : V, m, Vout, 0, kernel.S, prep.acc);
}
