/**
 * Value-iteration sweeps split over threads (Node only): `valueIteration(mdp, b, { runner: pool })`.
 *
 * A sweep is cut into chunks of states; every thread, the calling one included, claims chunks one at a
 * time (an atomic compare-and-swap on a shared ticket) and runs the sweep-kernels.ts loops on them, over
 * the same shared memory (the prepared backup, V, V' and e live in SharedArrayBuffers). A state's new value
 * is computed by the same arithmetic whichever thread claims it, and the reductions (sup-norm change, max
 * V') are maxima over per-chunk results, which do not depend on the order: the numbers are identical for
 * any thread count. Claiming, rather than fixed ranges, keeps a busy machine from stalling the sweep: a
 * worker that the scheduler has not woken yet simply claims nothing, and the calling thread does the rest.
 *
 * A soft backup's sweep has two phases (first e = exp(γV − m) for all states, which every chunk of the
 * second phase reads). Tickets only grow: phase g's chunks are tickets [first, end), so a worker still
 * looking at an old phase can never claim a chunk of the next one.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../ts-worker';
import type { Kernel } from './mdp';
import { expShifted, maxOf, sweepStates, type PreparedBackup, type SweepRunner } from './sweep-kernels';

/** Int32 control words shared with the workers. */
export const CTRL = { generation: 0, phase: 1, source: 2, ticket: 3, first: 4, end: 5, done: 6, ready: 7, chunk: 8, words: 16 } as const;
export const PHASE = { exp: 1, sweep: 2, release: 3 } as const;
/** Float64 slots: [0] the shift m, then per chunk c: its change at 1 + 2c and its max of V' at 2 + 2c. */
export const SLOT = { shift: 0, change: (c: number) => 1 + 2 * c, max: (c: number) => 2 + 2 * c } as const;
/** Chunks per sweep: enough to balance, few enough that claiming costs nothing. */
const MAX_CHUNKS = 64;

export interface SweepPoolOptions {
  /** Smallest chunk (default 1024 states; a sweep with fewer states than two chunks runs in the caller). */
  minChunkStates?: number;
}

/** What a worker gets for one solve (posted once; the arrays are shared, not copied). */
export interface BindMessage {
  type: 'bind';
  S: number;
  A: number;
  gamma: number;
  prep: PreparedBackup;
  /** The two value buffers (which one is V in a phase: CTRL.source) and e. */
  values: [Float64Array, Float64Array];
  e: Float64Array;
}

const WORKER_FILE = path.join(__dirname, 'sweep-worker.ts');
const START_TIMEOUT_MS = 60_000;

/** The states [s0, s1) of chunk c when S states are cut into chunks of `size`. */
export function chunkRange(S: number, size: number, c: number): [number, number] {
  return [c * size, Math.min(S, (c + 1) * size)];
}

/** A phase as a worker sees it: all its words from one generation (retried while the pool writes them). */
export interface PhaseView {
  generation: number;
  phase: number;
  source: number;
  chunk: number;
  shift: number;
  /** The phase's tickets: [first, end). */
  first: number;
  end: number;
}
export function readPhase(ctrl: Int32Array, slots: Float64Array): PhaseView {
  for (;;) {
    const generation = Atomics.load(ctrl, CTRL.generation);
    if (generation % 2 === 1) continue;
    const view = {
      generation,
      phase: Atomics.load(ctrl, CTRL.phase),
      source: Atomics.load(ctrl, CTRL.source),
      chunk: Atomics.load(ctrl, CTRL.chunk),
      shift: slots[SLOT.shift],
      first: Atomics.load(ctrl, CTRL.first),
      end: Atomics.load(ctrl, CTRL.end),
    };
    if (Atomics.load(ctrl, CTRL.generation) === generation) return view;
  }
}

/**
 * Claims and runs chunks of the current phase until none is left: the loop every thread runs. Returns how
 * many chunks this thread ran.
 */
export function runChunks(ctrl: Int32Array, first: number, end: number, run: (c: number) => void): number {
  let ran = 0;
  for (;;) {
    const t = Atomics.load(ctrl, CTRL.ticket);
    if (t < first || t >= end) return ran;
    if (Atomics.compareExchange(ctrl, CTRL.ticket, t, t + 1) !== t) continue;
    run(t - first);
    ran++;
    Atomics.add(ctrl, CTRL.done, 1);
    Atomics.notify(ctrl, CTRL.done);
  }
}

export class SweepPool implements SweepRunner {
  readonly threads: number;
  private readonly workers: Worker[] = [];
  private readonly ctrl: Int32Array;
  private readonly slots: Float64Array;
  private bound: { prep: PreparedBackup; a: Float64Array; b: Float64Array; e: Float64Array } | null = null;
  /** V' of the last sweep, whose per-chunk maxima give the next shift without another pass. */
  private lastOut: Float64Array | null = null;
  private closed = false;
  /** Chunks run by the worker threads so far (the rest ran in the calling thread). */
  workerChunks = 0;

  /** Starts `threads` − 1 worker threads (default: one per core); blocks until they are ready. */
  private readonly minChunk: number;

  constructor(threads = os.availableParallelism(), opts: SweepPoolOptions = {}) {
    if (!(Number.isInteger(threads) && threads >= 1 && threads <= 64))
      throw new Error(`SweepPool: threads must be an integer in [1, 64], got ${threads}`);
    this.minChunk = opts.minChunkStates ?? 1024;
    if (!(Number.isInteger(this.minChunk) && this.minChunk >= 1))
      throw new Error(`SweepPool: minChunkStates must be a positive integer, got ${opts.minChunkStates}`);
    this.threads = threads;
    this.ctrl = new Int32Array(new SharedArrayBuffer(4 * CTRL.words));
    this.slots = new Float64Array(new SharedArrayBuffer(8 * (1 + 2 * MAX_CHUNKS)));
    for (let t = 1; t < threads; t++) {
      const w = startTsWorker(WORKER_FILE, { ctrl: this.ctrl, slots: this.slots });
      w.unref(); // an idle pool never keeps the process alive
      this.workers.push(w);
    }
    this.awaitReady(0);
  }

  sweep(kernel: Kernel & { gamma: number }, prep: PreparedBackup, V: Float64Array, Vout: Float64Array, e: Float64Array): number {
    if (this.closed) throw new Error('SweepPool: used after close()');
    const { S, gamma } = kernel;
    const size = Math.max(this.minChunk, Math.ceil(S / MAX_CHUNKS));
    const chunks = Math.ceil(S / size);
    // Compressed rows are not shared with the workers, and one chunk is better done here.
    if (this.threads === 1 || !prep.blocks || chunks < 2) return sweepHere(kernel, prep, V, Vout, e);
    this.bind(kernel, prep, V, Vout, e);
    const source = V === this.bound!.a ? 0 : 1;
    let m = 0;
    if (prep.soft) {
      let vmax = -Infinity;
      if (V === this.lastOut) for (let c = 0; c < chunks; c++) vmax = Math.max(vmax, this.slots[SLOT.max(c)]);
      else vmax = maxOf(V, 0, S);
      m = gamma * vmax;
      this.phase({ phase: PHASE.exp, source, chunk: size, shift: m }, chunks, (c) => {
        const [s0, s1] = chunkRange(S, size, c);
        expShifted(V, gamma, m, e, s0, s1);
      });
    }
    this.phase({ phase: PHASE.sweep, source, chunk: size, shift: m }, chunks, (c) => {
      const [s0, s1] = chunkRange(S, size, c);
      this.slots[SLOT.change(c)] = sweepStates(kernel, gamma, prep, V, prep.soft ? e : V, m, Vout, s0, s1, prep.acc);
      this.slots[SLOT.max(c)] = maxOf(Vout, s0, s1);
    });
    this.lastOut = Vout;
    let change = 0;
    for (let c = 0; c < chunks; c++) change = Math.max(change, this.slots[SLOT.change(c)]);
    return change;
  }

  /** Ends a solve: the workers go back to waiting for the next one (its arrays come by message). */
  finish(): void {
    if (!this.bound) return;
    const before = Atomics.load(this.ctrl, CTRL.ready);
    this.signal({ phase: PHASE.release, source: 0, chunk: 0, shift: 0 }, 0);
    this.awaitReady(before);
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
    // Only shared arrays go to the workers (a plain one would be copied): `base` is read only when not uniform.
    const shared: PreparedBackup = { ...prep, base: prep.uniform ? new Float64Array(0) : prep.base, acc: new Float64Array(0) };
    const before = Atomics.load(this.ctrl, CTRL.ready);
    const msg: BindMessage = { type: 'bind', S: kernel.S, A: kernel.A, gamma: kernel.gamma, prep: shared, values: [V, Vout], e };
    for (const w of this.workers) w.postMessage(msg);
    this.awaitReady(before);
  }

  /** Each worker adds one to CTRL.ready when it has started, and when it is bound or released. */
  private awaitReady(before: number): void {
    const deadline = Date.now() + START_TIMEOUT_MS;
    const want = before + this.workers.length;
    for (let r = Atomics.load(this.ctrl, CTRL.ready); r < want; r = Atomics.load(this.ctrl, CTRL.ready)) {
      if (Date.now() > deadline) throw new Error(`SweepPool: ${want - r} worker thread(s) did not answer in ${START_TIMEOUT_MS / 1000} s`);
      Atomics.wait(this.ctrl, CTRL.ready, r, 100);
    }
  }

  /**
   * Opens a phase of `chunks` tickets and wakes the workers. The generation is odd while the phase's words
   * are written and even once they are all set, so that a worker never reads half of one phase and half of
   * the next (see readPhase).
   */
  private signal(p: Omit<PhaseView, 'generation' | 'first' | 'end'>, chunks: number): number {
    const first = Atomics.load(this.ctrl, CTRL.ticket);
    Atomics.add(this.ctrl, CTRL.generation, 1);
    Atomics.store(this.ctrl, CTRL.done, 0);
    Atomics.store(this.ctrl, CTRL.phase, p.phase);
    Atomics.store(this.ctrl, CTRL.source, p.source);
    Atomics.store(this.ctrl, CTRL.chunk, p.chunk);
    this.slots[SLOT.shift] = p.shift;
    Atomics.store(this.ctrl, CTRL.first, first);
    Atomics.store(this.ctrl, CTRL.end, first + chunks);
    Atomics.add(this.ctrl, CTRL.generation, 1);
    Atomics.notify(this.ctrl, CTRL.generation);
    return first;
  }

  /** Runs one phase: claims chunks here too, then waits for the chunks other threads claimed. */
  private phase(p: Omit<PhaseView, 'generation' | 'first' | 'end'>, chunks: number, run: (c: number) => void): void {
    const first = this.signal(p, chunks);
    this.workerChunks += chunks - runChunks(this.ctrl, first, first + chunks, run);
    let spins = 0;
    for (let d = Atomics.load(this.ctrl, CTRL.done); d < chunks; d = Atomics.load(this.ctrl, CTRL.done)) {
      if (++spins > 1000) Atomics.wait(this.ctrl, CTRL.done, d, 1);
    }
  }
}

function sweepHere(kernel: Kernel & { gamma: number }, prep: PreparedBackup, V: Float64Array, Vout: Float64Array, e: Float64Array): number {
  let m = 0;
  if (prep.soft) {
    m = kernel.gamma * maxOf(V, 0, kernel.S);
    expShifted(V, kernel.gamma, m, e, 0, kernel.S);
  }
  return sweepStates(kernel, kernel.gamma, prep, V, prep.soft ? e : V, m, Vout, 0, kernel.S, prep.acc);
}
