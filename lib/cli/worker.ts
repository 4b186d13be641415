/**
 * Body of one worker thread: loads the registry once, then runs the units the main thread sends,
 * one at a time, answering with progress, then the result or the error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Scale } from '../experiment';
import { type SweepSpec, withSweep } from '../sweep';
import { loadRegistry } from './registry';
import { runUnit } from './unit-runner';

export interface WorkerInit {
  registry: string;
  scale: Scale;
  /** A config sweep whose variants the units may name. */
  sweep?: SweepSpec;
}
export interface RunMessage {
  type: 'run';
  experiment: string;
  seed: number;
  /** The experiment's complete, checked config. */
  config: object;
}
export type WorkerReply =
  | { type: 'progress'; done: number; total: number; note?: string }
  | { type: 'done'; result: unknown; seconds: number }
  | { type: 'error'; message: string; stack?: string };

const port = parentPort;
if (!port) throw new Error('lib/cli/worker.ts runs inside a worker thread');
const init = workerData as WorkerInit;
const experiments = withSweep(loadRegistry(init.registry), init.sweep);

port.on('message', (msg: RunMessage) => {
  const exp = experiments.find((e) => e.id === msg.experiment);
  const reply = (r: WorkerReply) => port.postMessage(r);
  if (!exp) {
    reply({ type: 'error', message: `worker: unknown experiment ${msg.experiment}` });
    return;
  }
  runUnit(exp, init.scale, msg.config, msg.seed, (done, total, note) => reply({ type: 'progress', done, total, note })).then(
    ({ result, seconds }) => reply({ type: 'done', result, seconds }),
    (err: Error) => reply({ type: 'error', message: err?.message ?? String(err), stack: err?.stack }),
  );
});
