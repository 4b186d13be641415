/**
 * Guards for training loops.
 *   checkFinite({ qLoss, actorLoss }, { step: 1234, where: 'SAC update' })
 *     → throws NonFiniteError "SAC update: qLoss is NaN at step 1234" (the run stops, naming the step and quantity).
 *   tensorDelta(() => { ...one iteration... })  → how many tensors the iteration left behind (0 = no leak).
 *   assertNoTensorLeak(fn, { iterations, where })  → runs fn repeatedly (after one warm-up call, which may
 *     create lazily-allocated state such as optimizer moments) and throws if the tensor count grows.
 */
import * as tf from '@tensorflow/tfjs';

export { checkFinite, NonFiniteError } from './non-finite';

/** Tensors alive after `fn` minus before (awaits fn if it returns a promise). */
export async function tensorDelta(fn: () => unknown): Promise<number> {
  const before = tf.memory().numTensors;
  await fn();
  return tf.memory().numTensors - before;
}

export async function assertNoTensorLeak(fn: () => unknown, opts: { iterations?: number; where?: string } = {}): Promise<void> {
  const iterations = opts.iterations ?? 5;
  await fn(); // warm-up: optimizers create their moment variables on the first step
  const before = tf.memory().numTensors;
  for (let i = 0; i < iterations; i++) await fn();
  const after = tf.memory().numTensors;
  if (after !== before) {
    throw new Error(
      `${opts.where ?? 'tensor leak check'}: ${after - before} tensors leaked over ${iterations} iterations (${before} → ${after})`,
    );
  }
}
