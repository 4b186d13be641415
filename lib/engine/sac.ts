/**
 * SAC's update as ONE call into the WebAssembly engine (lib/engine/assembly/sac.ts): twin critics and their
 * targets, the tanh-Gaussian actor with its log-density, Adam on both, Polyak averaging, with the losses and the
 * order of lib/deep/sac.ts's TensorFlow.js update (which drives this one when the deep backend is 'engine').
 * The temperature's own Adam step stays in Sac (one number).
 *
 * Every buffer is allocated once: the weights, Adam moments and targets in two copies (current and next),
 * gradients, the batch and a workspace sized for the largest batch seen. An update writes only the next copies;
 * commit() makes them current, so an update whose statistics come out non-finite is dropped by not committing.
 *
 * Weights come in and go out in the tfjs parameter order of lib/deep/mlp.ts (per layer w [in×out], then b;
 * the two critics one after the other), so the two backends exchange them without reshaping.
 * No Node import (./wasm's Engine): the playground's worker runs it on the module its page embeds; in Node,
 * pass ./engine's engineModule().
 */
import { ADAM, adamCorrections, Engine, type WasmModule } from './wasm';

/** Slots of the descriptor the kernel reads (lib/engine/assembly/sac.ts S_*: same order). */
const SLOT = {
  obsDim: 0,
  actDim: 1,
  hidden: 2,
  layers: 3,
  nMax: 4,
  obs: 5,
  act: 6,
  rew: 7,
  nextObs: 8,
  done: 9,
  epsNext: 10,
  epsNow: 11,
  actor: 12,
  critic: 18,
  target: 24,
  gActor: 26,
  gCritic: 27,
  work: 28,
  stats: 29,
} as const;
const SLOTS = 30;

export interface EngineSacShape {
  obsDim: number;
  actDim: number;
  hidden: number;
  layers: number;
}

export interface EngineSacHyper {
  gamma: number;
  tau: number;
  actorLr: number;
  criticLr: number;
  logStdMin: number;
  logStdMax: number;
}

/** One batch as the kernel takes it: actions already in [−1, 1], and the two noise draws. */
export interface EngineSacBatch {
  n: number;
  obs: Float32Array;
  act: Float32Array;
  rew: Float32Array;
  nextObs: Float32Array;
  done: Float32Array;
  epsNext: Float32Array;
  epsNow: Float32Array;
}

export interface EngineAdamState {
  t: number;
  m: Float32Array;
  v: Float32Array;
}

export class EngineSac {
  readonly eng: Engine;
  readonly nActor: number;
  readonly nCritic: number;
  /** Which copy (0 or 1) holds the current weights, moments and targets. */
  private cur = 0;
  private tActor = 0;
  private tCritic = 0;
  private nMax = 0;
  private readonly desc: number;
  /** Per-layer [in, out] shapes of the actor and of one critic (the tfjs parameter order). */
  private readonly actorShapes: number[][];
  private readonly criticShapes: number[][];

  constructor(
    readonly shape: EngineSacShape,
    readonly hyper: EngineSacHyper,
    module: WasmModule,
  ) {
    this.eng = new Engine(module);
    const { obsDim: O, actDim: A, hidden: H, layers: L } = shape;
    const x = this.eng.exports;
    this.nActor = x.mlpParamCount(O, H, L, 2 * A);
    this.nCritic = x.mlpParamCount(O + A, H, L, 1);
    const layerShapes = (nIn: number, nOut: number) => {
      const dims = [nIn, ...Array.from({ length: L }, () => H), nOut];
      return dims.slice(1).flatMap((d, l) => [[dims[l], d], [d]]);
    };
    this.actorShapes = layerShapes(O, 2 * A);
    this.criticShapes = layerShapes(O + A, 1);
    this.desc = this.eng.alloc(SLOTS);
    const d = this.eng.i32(this.desc, SLOTS);
    d[SLOT.obsDim] = O;
    d[SLOT.actDim] = A;
    d[SLOT.hidden] = H;
    d[SLOT.layers] = L;
    // (alloc may grow the memory, which detaches earlier views: slot() takes a fresh one after it.)
    for (let k = 0; k < 6; k++) this.slot(SLOT.actor + k, this.eng.alloc(this.nActor)); // weights ×2, m ×2, v ×2
    for (let k = 0; k < 6; k++) this.slot(SLOT.critic + k, this.eng.alloc(2 * this.nCritic));
    for (let k = 0; k < 2; k++) this.slot(SLOT.target + k, this.eng.alloc(2 * this.nCritic));
    this.slot(SLOT.gActor, this.eng.alloc(this.nActor));
    this.slot(SLOT.gCritic, this.eng.alloc(2 * this.nCritic));
    this.slot(SLOT.stats, this.eng.alloc(4, 8));
    this.ensureBatch(1);
  }

  private slot(k: number, value?: number): number {
    const d = this.eng.i32(this.desc, SLOTS);
    if (value !== undefined) d[k] = value;
    return d[k];
  }

  /** Batch buffers and workspace for n rows (allocated again only when a larger batch than before arrives). */
  private ensureBatch(n: number): void {
    if (n <= this.nMax) return;
    const { obsDim: O, actDim: A, hidden: H, layers: L } = this.shape;
    const sizes: [number, number][] = [
      [SLOT.obs, n * O],
      [SLOT.act, n * A],
      [SLOT.rew, n],
      [SLOT.nextObs, n * O],
      [SLOT.done, n],
      [SLOT.epsNext, n * A],
      [SLOT.epsNow, n * A],
    ];
    for (const [k, size] of sizes) this.slot(k, this.eng.alloc(size));
    const work = this.eng.exports.sacWorkspaceBytes(O, A, H, L, n);
    this.slot(SLOT.work, this.eng.alloc(work, 1));
    this.slot(SLOT.nMax, n);
    this.nMax = n;
  }

  /** Bytes of engine memory in use (flat once the largest batch has been seen). */
  get memoryBytes(): number {
    return this.eng.memory.buffer.byteLength;
  }

  private split(ptr: number, shapes: number[][], members: number): Float32Array[] {
    const out: Float32Array[] = [];
    let off = ptr;
    for (let m = 0; m < members; m++)
      for (const s of shapes) {
        const size = s.reduce((a, b) => a * b, 1);
        out.push(Float32Array.from(this.eng.f32(off, size)));
        off += size * 4;
      }
    return out;
  }

  private join(ptr: number, arrays: ArrayLike<number>[], shapes: number[][], members: number, what: string): void {
    if (arrays.length !== shapes.length * members)
      throw new Error(`EngineSac: ${what} needs ${shapes.length * members} arrays, got ${arrays.length}`);
    let off = ptr;
    arrays.forEach((a, i) => {
      const size = shapes[i % shapes.length].reduce((x, y) => x * y, 1);
      if (a.length !== size) throw new Error(`EngineSac: ${what} array ${i} needs ${size} numbers, got ${a.length}`);
      this.eng.f32(off, size).set(a);
      off += size * 4;
    });
  }

  /** The current weights in tfjs parameter order. */
  getWeights(): { actor: Float32Array[]; critics: Float32Array[]; targets: Float32Array[] } {
    return {
      actor: this.split(this.slot(SLOT.actor + this.cur), this.actorShapes, 1),
      critics: this.split(this.slot(SLOT.critic + this.cur), this.criticShapes, 2),
      targets: this.split(this.slot(SLOT.target + this.cur), this.criticShapes, 2),
    };
  }

  setWeights(w: { actor: ArrayLike<number>[]; critics: ArrayLike<number>[]; targets: ArrayLike<number>[] }): void {
    this.join(this.slot(SLOT.actor + this.cur), w.actor, this.actorShapes, 1, 'actor');
    this.join(this.slot(SLOT.critic + this.cur), w.critics, this.criticShapes, 2, 'critics');
    this.join(this.slot(SLOT.target + this.cur), w.targets, this.criticShapes, 2, 'targets');
  }

  getAdam(): { actor: EngineAdamState; critic: EngineAdamState } {
    const st = (base: number, size: number, t: number) => ({
      t,
      m: Float32Array.from(this.eng.f32(this.slot(base + 2 + this.cur), size)),
      v: Float32Array.from(this.eng.f32(this.slot(base + 4 + this.cur), size)),
    });
    return { actor: st(SLOT.actor, this.nActor, this.tActor), critic: st(SLOT.critic, 2 * this.nCritic, this.tCritic) };
  }

  setAdam(s: {
    actor: { t: number; m: ArrayLike<number>; v: ArrayLike<number> };
    critic: { t: number; m: ArrayLike<number>; v: ArrayLike<number> };
  }): void {
    const put = (base: number, size: number, x: { m: ArrayLike<number>; v: ArrayLike<number> }, what: string) => {
      if (x.m.length !== size || x.v.length !== size) throw new Error(`EngineSac: ${what} Adam moments need ${size} numbers each`);
      this.eng.f32(this.slot(base + 2 + this.cur), size).set(x.m);
      this.eng.f32(this.slot(base + 4 + this.cur), size).set(x.v);
    };
    put(SLOT.actor, this.nActor, s.actor, 'actor');
    put(SLOT.critic, 2 * this.nCritic, s.critic, 'critic');
    this.tActor = s.actor.t;
    this.tCritic = s.critic.t;
  }

  /**
   * One update into the next copies; returns [qLoss, actorLoss, mean log π, mean Q1]. Call commit() to keep it
   * (otherwise the next update starts again from the current copies).
   */
  update(b: EngineSacBatch, alpha: number): Float64Array {
    const { n } = b;
    this.ensureBatch(n);
    const put = (k: number, a: Float32Array) => this.eng.f32(this.slot(k), a.length).set(a);
    put(SLOT.obs, b.obs);
    put(SLOT.act, b.act);
    put(SLOT.rew, b.rew);
    put(SLOT.nextObs, b.nextObs);
    put(SLOT.done, b.done);
    put(SLOT.epsNext, b.epsNext);
    put(SLOT.epsNow, b.epsNow);
    const h = this.hyper;
    // FlatAdam's bias corrections, computed the same way (so the steps are the same numbers).
    const a = adamCorrections(h.actorLr, this.tActor + 1);
    const c = adamCorrections(h.criticLr, this.tCritic + 1);
    this.eng.exports.sacUpdate(
      this.desc,
      n,
      this.cur,
      h.gamma,
      alpha,
      h.tau,
      h.logStdMin,
      h.logStdMax,
      ADAM.b1,
      ADAM.b2,
      ADAM.eps,
      a.stepSize,
      a.vScale,
      c.stepSize,
      c.vScale,
    );
    return Float64Array.from(this.eng.f64(this.slot(SLOT.stats), 4));
  }

  /** Keeps the last update: its copies become the current ones. */
  commit(): void {
    this.cur = 1 - this.cur;
    this.tActor++;
    this.tCritic++;
  }

  /**
   * Actions in [−1, 1] for n observations (row-major [n·obsDim]): tanh(μ) when eps is null, else the squashed
   * Gaussian sample with noise eps [n·actDim].
   */
  act(obs: Float32Array, n: number, eps: Float32Array | null): Float32Array {
    const { obsDim: O, actDim: A } = this.shape;
    this.ensureBatch(n);
    this.eng.f32(this.slot(SLOT.obs), n * O).set(obs);
    if (eps) this.eng.f32(this.slot(SLOT.epsNow), n * A).set(eps);
    const h = this.hyper;
    this.eng.exports.sacAct(
      this.desc,
      n,
      this.cur,
      this.slot(SLOT.obs),
      this.slot(SLOT.epsNow),
      this.slot(SLOT.act),
      eps ? 0 : 1,
      h.logStdMin,
      h.logStdMax,
    );
    return Float32Array.from(this.eng.f32(this.slot(SLOT.act), n * A));
  }
}
