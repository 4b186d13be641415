/**
 * Body of one sweep-pool.ts worker thread: waits for a solve (a 'bind' message with the shared arrays),
 * then runs phases on its range of states until released, then waits for the next solve.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CTRL, PHASE, SLOT, type BindMessage } from './sweep-pool';
import { expShifted, maxOf, sweepStates } from './sweep-kernels';

const port = parentPort;
if (!port) throw new Error('lib/tabular/sweep-worker.ts runs inside a worker thread');
const { ctrl, slots } = workerData as { ctrl: Int32Array; slots: Float64Array };

port.on('message', (msg: BindMessage) => {
  const { S, A, gamma, prep, values, e, s0, s1, thread } = msg;
  // Only A is read from the kernel: the pool sends work only when the prepared backup has its blocks.
  const kernel = { S, A, rowStart: new Int32Array(0), next: new Int32Array(0), prob: new Float64Array(0) };
  const acc = new Float64Array(A);
  let seen = Atomics.load(ctrl, CTRL.generation);
  Atomics.add(ctrl, CTRL.ready, 1);
  Atomics.notify(ctrl, CTRL.ready);
  for (;;) {
    let spins = 0;
    for (let g = Atomics.load(ctrl, CTRL.generation); g === seen; g = Atomics.load(ctrl, CTRL.generation)) {
      if (++spins > 2000) Atomics.wait(ctrl, CTRL.generation, g, 50);
    }
    seen = Atomics.load(ctrl, CTRL.generation);
    const phase = Atomics.load(ctrl, CTRL.phase);
    if (phase === PHASE.release) {
      Atomics.add(ctrl, CTRL.done, 1);
      Atomics.notify(ctrl, CTRL.done);
      return;
    }
    const V = values[Atomics.load(ctrl, CTRL.source)];
    const Vout = values[1 - Atomics.load(ctrl, CTRL.source)];
    const m = slots[SLOT.shift];
    if (phase === PHASE.exp) expShifted(V, gamma, m, e, s0, s1);
    else {
      slots[SLOT.change(thread)] = sweepStates(kernel, gamma, prep, V, prep.soft ? e : V, prep.soft ? m : 0, Vout, s0, s1, acc);
      slots[SLOT.max(thread)] = maxOf(Vout, s0, s1);
    }
    Atomics.add(ctrl, CTRL.done, 1);
    Atomics.notify(ctrl, CTRL.done);
  }
});

// Loaded: the pool's constructor waits for every worker to say so.
Atomics.add(ctrl, CTRL.ready, 1);
Atomics.notify(ctrl, CTRL.ready);
