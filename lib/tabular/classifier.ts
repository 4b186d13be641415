/**
 * A tabular classifier C(s, a, s') = σ(φ[key(s, a, s')]) that tells real transitions from model ones,
 * trained by the cross-entropy of the paper's Eq. 4: for a real (s, a) it sees the real successor
 * (label 1) and a model successor from the same (s, a) (label 0). With full capacity its Bayes-optimal
 * logit is log p(s'|s,a)/q(s'|s,a), which is what the augmented reward (Eq. 5) uses.
 *
 * Capacity is set by what the key can tell apart:
 *   - 'full': every (s, a, s') has its own logit.
 *   - 'block-move' (the capacity-limited classifier of E2): it sees the 3×3 block of s, the action and the
 *     relative move s' − s (as a row/column offset), not the exact s. So it has the model's resolution
 *     in s, but it can see when a transition jumps over an obstacle (an offset of 2 never happens for real).
 *   - 'block-next': the block of s, the action and the exact s' (the option docs/MATH.md mentions).
 */
import { blockCount, blockOf, type GridGeometry } from './learned-model';

export type ClassifierCapacity = 'full' | 'block-move' | 'block-next';
export const CLASSIFIER_CAPACITIES: readonly ClassifierCapacity[] = ['full', 'block-move', 'block-next'];

/** Maps a transition to the index of its logit. */
export interface ClassifierKeys {
  readonly nKeys: number;
  readonly label: string;
  key(s: number, a: number, sNext: number): number;
}

/** One logit per (s, a, s') of an S-state, A-action problem. */
export function fullKeys(S: number, A: number): ClassifierKeys {
  return { nKeys: S * A * S, label: 'full', key: (s, a, sn) => (s * A + a) * S + sn };
}

/** Keys of a gridworld classifier of the given capacity (blocks of `block`×`block` cells). */
export function gridKeys(grid: GridGeometry, capacity: ClassifierCapacity, block = 3): ClassifierKeys {
  const { S, A } = grid.mdp;
  if (capacity === 'full') return fullKeys(S, A);
  const blocks = new Int32Array(S);
  for (let s = 0; s < S; s++) blocks[s] = blockOf(grid, s, block);
  const nb = blockCount(grid, block);
  if (capacity === 'block-next') {
    return { nKeys: nb * A * S, label: 'block-next', key: (s, a, sn) => (blocks[s] * A + a) * S + sn };
  }
  if (capacity === 'block-move') {
    const R = grid.rows - 1;
    const C = grid.cols - 1;
    const W = 2 * C + 1;
    const H = 2 * R + 1;
    const rowOf = new Int32Array(S);
    const colOf = new Int32Array(S);
    for (let s = 0; s < S; s++) [rowOf[s], colOf[s]] = grid.cellOf(s);
    return {
      nKeys: nb * A * H * W,
      label: 'block-move',
      key: (s, a, sn) => ((blocks[s] * A + a) * H + (rowOf[sn] - rowOf[s] + R)) * W + (colOf[sn] - colOf[s] + C),
    };
  }
  throw new Error(`unknown classifier capacity '${capacity as string}' (expected one of ${CLASSIFIER_CAPACITIES.join(', ')})`);
}

export function logistic(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

export class TabularClassifier {
  readonly phi: Float64Array;

  constructor(
    readonly keys: ClassifierKeys,
    phi?: Float64Array,
  ) {
    if (phi !== undefined && phi.length !== keys.nKeys) {
      throw new Error(`TabularClassifier: phi has ${phi.length} entries, the ${keys.label} classifier has ${keys.nKeys}`);
    }
    this.phi = phi ? Float64Array.from(phi) : new Float64Array(keys.nKeys);
  }

  clone(): TabularClassifier {
    return new TabularClassifier(this.keys, this.phi);
  }

  /** logit C(s, a, s'), the estimate of log p/q. */
  logit(s: number, a: number, sNext: number): number {
    return this.phi[this.keys.key(s, a, sNext)];
  }

  /** The logit clipped to [−clip, clip] (the form the augmented reward and the model update use). */
  clippedLogit(s: number, a: number, sNext: number, clip: number): number {
    const x = this.phi[this.keys.key(s, a, sNext)];
    return x > clip ? clip : x < -clip ? -clip : x;
  }

  /**
   * One SGD step on Eq. 4 for a real (s, a): ascend log C(s,a,s'_real) + log(1 − C(s,a,s'_model)).
   * ∂/∂φ log σ(φ) = 1 − σ(φ);  ∂/∂φ log(1 − σ(φ)) = −σ(φ).
   */
  update(s: number, a: number, sReal: number, sModel: number, lr: number): void {
    const kr = this.keys.key(s, a, sReal);
    const km = this.keys.key(s, a, sModel);
    const gr = 1 - logistic(this.phi[kr]);
    const gm = -logistic(this.phi[km]);
    this.phi[kr] += lr * gr;
    this.phi[km] += lr * gm;
  }
}
