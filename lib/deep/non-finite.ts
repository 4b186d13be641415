/**
 * The guard of training loops against non-finite numbers, with no TensorFlow.js import (./train-guard re-exports
 * it beside its tensor-leak checks; the engine-only SAC of the playground uses it directly).
 *   checkFinite({ qLoss, actorLoss }, { step: 1234, where: 'SAC update' })
 *     → throws NonFiniteError "SAC update: qLoss is NaN at step 1234" (the run stops, naming the step and quantity).
 */
export class NonFiniteError extends Error {
  constructor(
    readonly quantity: string,
    readonly value: number,
    readonly step: number,
    where: string,
  ) {
    super(`${where}: ${quantity} is ${value} at step ${step}`);
    this.name = 'NonFiniteError';
  }
}

export function checkFinite(values: Record<string, number>, ctx: { step: number; where: string }): void {
  for (const [k, v] of Object.entries(values)) {
    if (!Number.isFinite(v)) throw new NonFiniteError(k, v, ctx.step, ctx.where);
  }
}
