/**
 * The TensorFlow.js backend, chosen at run time: the native `@tensorflow/tfjs-node` where it is installed
 * and loads, otherwise WebAssembly (`@tensorflow/tfjs-backend-wasm`), otherwise the pure-JS `cpu` backend.
 * $MNM_TF_BACKEND=node|wasm|cpu forces one. The choice is printed once.
 */
import * as tf from '@tensorflow/tfjs';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
let chosen: Promise<BackendName> | null = null;

/** Whether the native binding loads here (it needs a libtensorflow downloaded at install time). */
export function nativeAvailable(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node');
  } catch {
    return false;
  }
  try {
    require('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

async function choose(quiet: boolean): Promise<BackendName> {
  const forced = process.env.MNM_TF_BACKEND;
  if (forced && !['node', 'wasm', 'cpu'].includes(forced)) {
    throw new Error(`MNM_TF_BACKEND must be node, wasm or cpu, got '${forced}'`);
  }
  const order: BackendName[] =
    forced === 'node' ? ['tensorflow'] : forced === 'wasm' ? ['wasm'] : forced === 'cpu' ? ['cpu'] : ['tensorflow', 'wasm', 'cpu'];
  const why: string[] = [];
  for (const name of order) {
    try {
      if (name === 'tensorflow' && !nativeAvailable()) {
        why.push('tfjs-node not installed');
        continue;
      }
      if (name === 'wasm') require('@tensorflow/tfjs-backend-wasm');
      if (await tf.setBackend(name)) {
        await tf.ready();
        if (!quiet) console.error(`[tfjs] backend: ${name}${why.length ? ` (${why.join('; ')})` : ''}`);
        return name;
      }
      why.push(`${name} failed to initialise`);
    } catch (err) {
      why.push(`${name}: ${(err as Error).message}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start: ${why.join('; ')}`);
}

/** Initialises the backend once per process and returns its name. */
export function initBackend(opts: { quiet?: boolean } = {}): Promise<BackendName> {
  chosen ??= choose(opts.quiet ?? false);
  return chosen;
}
