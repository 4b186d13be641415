/**
 * Seeded randomness. Every random draw in the library goes through an `Rng` passed in explicitly,
 * so the same seed gives the same numbers on every machine and worker count.
 */
import seedrandom from 'seedrandom';
import { mustBe } from './show';

export class Rng {
  readonly seed: string;
  private readonly next: () => number;
  private spareNormal: number | null = null;

  constructor(seed: string | number) {
    // Any other value would become a string seed: {} and {x: 1} would name the same stream.
    if (!(typeof seed === 'string' || (typeof seed === 'number' && Number.isFinite(seed))))
      throw mustBe('Rng: seed', 'a finite number or a string', seed);
    this.seed = String(seed);
    // alea: fast, well-tested, and its output depends only on the seed string.
    this.next = seedrandom.alea(this.seed);
  }

  /** An independent stream named by `label`, derived from this seed only (not from draws made so far). */
  fork(label: string | number): Rng {
    return new Rng(`${this.seed}/${label}`);
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.next();
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!(Number.isInteger(n) && n > 0)) throw new Error(`Rng.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box-Muller, caching the second draw). */
  normal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Index drawn with probability proportional to `weights[i]` (non-negative, not all zero). */
  categorical(weights: ArrayLike<number>, offset = 0, length = weights.length - offset): number {
    let total = 0;
    for (let i = 0; i < length; i++) total += weights[offset + i];
    if (!(total > 0) || !Number.isFinite(total)) {
      throw new Error(`Rng.categorical: weights must be non-negative with a positive finite sum, got sum ${total}`);
    }
    let u = this.next() * total;
    for (let i = 0; i < length; i++) {
      u -= weights[offset + i];
      if (u < 0) return i;
    }
    // Rounding can leave u at ~0: return the last index with positive weight.
    for (let i = length - 1; i >= 0; i--) if (weights[offset + i] > 0) return i;
    return length - 1;
  }

  /** A point on the probability simplex: Dirichlet(1, ..., 1). */
  simplex(n: number): Float64Array {
    const out = new Float64Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      let u = 0;
      while (u === 0) u = this.next();
      out[i] = -Math.log(u);
      total += out[i];
    }
    for (let i = 0; i < n; i++) out[i] /= total;
    return out;
  }

  /** Fisher-Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}
