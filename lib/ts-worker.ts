/**
 * The one way a worker thread is started: the thread registers tsx's require hook, then loads its body, a
 * TypeScript file, through it. So it works however the main thread was started (tsx, node --import tsx, the
 * test runner), and the thread inherits no loader flags (execArgv: []), which it does not need.
 */
import { Worker } from 'node:worker_threads';

const TSX_CJS_API = require.resolve('tsx/cjs/api');

/** Starts a worker thread running the TypeScript file `file` (an absolute path), which reads `workerData`. */
export function startTsWorker(file: string, workerData: unknown): Worker {
  const bootstrap = `require(${JSON.stringify(TSX_CJS_API)}).register(); require(${JSON.stringify(file)});`;
  return new Worker(bootstrap, { eval: true, workerData, execArgv: [] });
}
