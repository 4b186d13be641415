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

type ViewBackend = {
  typedArrayFromHeap?: (t: tf.TensorInfo) => Float32Array;
  data?: { get(dataId: object): { values?: Float32Array } };
};

/**
 * A Float32 view of a tensor's memory on the wasm or cpu backend, without a copy; null on other backends.
 * Valid only until the next tfjs op (an op can grow the wasm heap and detach the view): read it at once.
 */
export function memoryView(t: tf.Tensor): Float32Array | null {
  if (t.dtype !== 'float32') return null;
  const b = tf.backend() as unknown as ViewBackend;
  if (b.typedArrayFromHeap) return b.typedArrayFromHeap(t);
  const values = b.data?.get(t.dataId)?.values;
  return values instanceof Float32Array && values.length === t.size ? values : null;
}

/**
 * Updates a variable's values in plain JS, with no tfjs op: `fn(old, out)` fills `out` from a copy of the
 * old values, and `out` becomes the variable's new buffer; returns `old` (to restore the variable from).
 * Never written in place: the wasm backend caches XNNPACK operators with the weights packed, keyed by
 * tensor, so a weight must get a new tensor when it changes.
 */
export function rewriteVariable(v: tf.Variable, fn: (old: Float32Array, out: Float32Array) => void): Float32Array {
  const old = Float32Array.from(readValues(v));
  const out = new Float32Array(old.length);
  fn(old, out);
  tf.tidy(() => v.assign(tf.tensor(out, v.shape, 'float32')));
  return old;
}

/** The tensor's values: a view without a copy where the backend allows it (read at once, as memoryView). */
export function readValues(t: tf.Tensor): Float32Array {
  return memoryView(t) ?? (t.dataSync() as Float32Array);
}
