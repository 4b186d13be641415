/**
 * Body of one sweep-pool.ts worker thread: waits for a solve (a 'bind' message with the shared arrays),
 * then, at each phase the pool opens, claims chunks of states until none is left; when released, it waits
 * for the next solve.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CTRL, PHASE, SLOT, chunkRange, readPhase, runChunks, type BindMessage } from './sweep-pool';
import { expShifted, maxOf, sweepStates } from './sweep-kernels';

const port = parentPort;
if (!port) throw new Error('lib/tabular/sweep-worker.ts runs inside a worker thread');
const { ctrl, slots } = workerData as { ctrl: Int32Array; slots: Float64Array };
const SPINS = 2000;

function ready(): void {
  Atomics.add(ctrl, CTRL.ready, 1);
  Atomics.notify(ctrl, CTRL.ready);
}

port.on('message', (msg: BindMessage) => {
  const { S, A, gamma, prep, values, e } = msg;
  // Only A is read from the kernel: the pool sends work only when the prepared backup has its blocks.
  const kernel = { S, A, rowStart: new Int32Array(0), next: new Int32Array(0), prob: new Float64Array(0) };
  const acc = new Float64Array(A);
  let seen = Atomics.load(ctrl, CTRL.generation);
  ready();
  for (;;) {
    let spins = 0;
    for (let g = Atomics.load(ctrl, CTRL.generation); g === seen; g = Atomics.load(ctrl, CTRL.generation)) {
      if (++spins > SPINS) Atomics.wait(ctrl, CTRL.generation, g, 20);
    }
    const { generation, phase, source, chunk: size, shift: m, first, end } = readPhase(ctrl, slots);
    seen = generation;
    if (phase === PHASE.release) return ready();
    const V = values[source];
    const Vout = values[1 - source];
    runChunks(ctrl, first, end, (c) => {
      const [s0, s1] = chunkRange(S, size, c);
      if (phase === PHASE.exp) expShifted(V, gamma, m, e, s0, s1);
      else {
        slots[SLOT.change(c)] = sweepStates(kernel, gamma, prep, V, prep.soft ? e : V, prep.soft ? m : 0, Vout, s0, s1, acc);
        slots[SLOT.max(c)] = maxOf(Vout, s0, s1);
      }
    });
  }
});

// Loaded: the pool's constructor waits for every worker to say so.
ready();
