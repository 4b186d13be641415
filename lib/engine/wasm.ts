/**
 * The WebAssembly SIMD engine (issue 24) over a compiled module, with no Node import, so that a page's worker runs
 * it too (the playground's deep panel). ./engine loads the module in Node (from lib/engine/build/, with the relaxed
 * SIMD choice); a page compiles the bytes it embeds with compileEngineBytes.
 *
 *   const eng = new Engine(module);              // one instance = one linear memory of its own
 *   const x = eng.alloc(n * d);                  // a Float32 buffer, allocated once (byte offset into memory)
 *   eng.f32(x, n * d).set(values);               // a view (re-take it after any alloc: memory may grow)
 *   eng.exports.denseForward(x, w, b, z, y, n, d, h, ACT.relu);
 *
 * Each Engine owns its memory and hands out buffers by bumping a pointer; nothing is ever freed inside it, so
 * an owner (an agent) allocates everything in its constructor and the memory stays flat while it trains.
 * Dropping the Engine frees the memory (garbage collected with the instance).
 */
/**
 * What the engine uses of WebAssembly's JavaScript API. TypeScript types it only in its DOM lib, which this Node
 * project leaves out (the playground, a page, brings it in for its own files); declared here, module-local, so every
 * program that reaches this file (the notebooks' kernel, the playground's worker) type-checks it alike.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export type WasmModule = object;
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: object };
  validate(bytes: Uint8Array): boolean;
};

/** Whether this runtime takes the module `bytes` (a feature probe). */
export function wasmValidates(bytes: Uint8Array): boolean {
  return WebAssembly.validate(bytes);
}

/**
 * Compiles engine bytes; bytes that are not a loadable module get one error naming `what` (the file or the page's
 * embedded copy), why, and `rebuild` (how to make them again).
 */
export function compileEngineBytes(bytes: Uint8Array, what: string, rebuild: string): WasmModule {
  try {
    return new WebAssembly.Module(bytes);
  } catch (err) {
    throw new Error(`engine: ${what} is not a loadable WebAssembly module (${(err as Error).message}); ${rebuild}`);
  }
}

/** Activation codes of the kernels (lib/engine/assembly/dense.ts). */
export const ACT = { linear: 0, relu: 1, tanh: 2, silu: 3 } as const;
export type ActName = keyof typeof ACT;

/** The kernels the module exports (pointers are byte offsets into `memory`). */
export interface EngineExports {
  memory: WasmMemory;
  heapBase(): number;
  gemm(a: number, b: number, c: number, n: number, k: number, m: number, acc: number): void;
  transpose(src: number, dst: number, rows: number, cols: number): void;
  colsum(x: number, out: number, n: number, m: number, acc: number): void;
  denseForward(x: number, w: number, b: number, z: number, y: number, n: number, nIn: number, nOut: number, act: number): void;
  denseBackward(
    x: number,
    w: number,
    z: number,
    y: number,
    dy: number,
    dx: number,
    dw: number,
    db: number,
    n: number,
    nIn: number,
    nOut: number,
    act: number,
    wT: number,
    acc: number,
  ): void;
  adam(
    w: number,
    g: number,
    m: number,
    v: number,
    wOut: number,
    mOut: number,
    vOut: number,
    n: number,
    b1: number,
    b2: number,
    eps: number,
    stepSize: number,
    vScale: number,
  ): void;
  polyak(target: number, src: number, out: number, n: number, tau: number): void;
  viSweep(
    S: number,
    A: number,
    gamma: number,
    soft: number,
    uniform: number,
    v: number,
    vOut: number,
    e: number,
    base: number,
    expBase: number,
    baseMax: number,
    start: number,
    succ: number,
    pattern: number,
    table: number,
    rowStart: number,
    next: number,
    prob: number,
    acc: number,
    w: number,
  ): number;
  sacWorkspaceBytes(obsDim: number, actDim: number, hidden: number, layers: number, n: number): number;
  mlpParamCount(nIn: number, hidden: number, layers: number, nOut: number): number;
  sacUpdate(
    d: number,
    n: number,
    cur: number,
    gamma: number,
    alpha: number,
    tau: number,
    logStdMin: number,
    logStdMax: number,
    b1: number,
    b2: number,
    adamEps: number,
    stepActor: number,
    vScaleActor: number,
    stepCritic: number,
    vScaleCritic: number,
  ): void;
  ensembleWorkspaceBytes(d: number, B: number): number;
  ensembleNllStep(
    d: number,
    B: number,
    minLogStd: number,
    maxLogStd: number,
    b1: number,
    b2: number,
    eps: number,
    stepSize: number,
    vScale: number,
  ): number;
  /** The sampled member's Gaussian for each of n rows (only that member is evaluated): mean and std in raw units. */
  ensemblePredict(
    d: number,
    k: number,
    n: number,
    x: number,
    work: number,
    mu: number,
    sd: number,
    minLogStd: number,
    maxLogStd: number,
  ): void;
  mnmWorkspaceBytes(m: number, E: number, B: number): number;
  mnmModelStep(
    d: number,
    m: number,
    B: number,
    valueWeight: number,
    likelihoodWeight: number,
    logitClip: number,
    minLogStd: number,
    maxLogStd: number,
    actLogStdMin: number,
    actLogStdMax: number,
    b1: number,
    b2: number,
    eps: number,
    stepSize: number,
    vScale: number,
  ): void;
  mnmClassifierStep(m: number, E: number, B: number, b1: number, b2: number, eps: number, stepSize: number, vScale: number): void;
  sacAct(
    d: number,
    n: number,
    cur: number,
    obs: number,
    eps: number,
    act: number,
    deterministic: number,
    logStdMin: number,
    logStdMax: number,
  ): void;
}

/** Adam's constants, as lib/deep/flat-adam.ts FlatAdam's defaults (every engine optimiser uses them). */
export const ADAM = { b1: 0.9, b2: 0.999, eps: 1e-8 } as const;

/** Step t's bias corrections folded into two numbers, as FlatAdam does: stepSize = lr/(1−β1^t), vScale = 1/√(1−β2^t). */
export function adamCorrections(lr: number, t: number): { stepSize: number; vScale: number } {
  return { stepSize: lr / (1 - ADAM.b1 ** t), vScale: 1 / Math.sqrt(1 - ADAM.b2 ** t) };
}

const ALIGN = 16;
const PAGE = 65536;

export class Engine {
  readonly exports: EngineExports;
  private top: number;

  /** `module`: the compiled engine (in Node engineModule() of ./engine; in a page, compileEngineBytes of the embedded file). */
  constructor(module: WasmModule) {
    this.exports = new WebAssembly.Instance(module, {}).exports as unknown as EngineExports;
    this.top = Math.ceil(this.exports.heapBase() / ALIGN) * ALIGN;
  }

  get memory(): WasmMemory {
    return this.exports.memory;
  }

  /** Bytes handed out so far (the high-water mark: it never goes down). */
  get used(): number {
    return this.top;
  }

  /** A buffer of `count` 4-byte numbers (16-byte aligned, zeroed); returns its byte offset. */
  alloc(count: number, bytesEach = 4): number {
    if (!(Number.isInteger(count) && count >= 0)) throw new Error(`Engine.alloc: count must be a non-negative integer, got ${count}`);
    const ptr = this.top;
    this.top = Math.ceil((ptr + count * bytesEach) / ALIGN) * ALIGN;
    const need = this.top - this.memory.buffer.byteLength;
    if (need > 0) this.memory.grow(Math.ceil(need / PAGE));
    return ptr;
  }

  /** A copy of `values` in the engine's memory (Float64Array → 8-byte numbers, Int32Array → 4-byte). */
  put(values: Float64Array | Int32Array | Float32Array): number {
    const ptr = this.alloc(values.length, values.BYTES_PER_ELEMENT);
    const View = values.constructor as new (b: ArrayBuffer, o: number, n: number) => typeof values;
    new View(this.memory.buffer as ArrayBuffer, ptr, values.length).set(values as never);
    return ptr;
  }

  f32(ptr: number, count: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, count);
  }

  f64(ptr: number, count: number): Float64Array {
    return new Float64Array(this.memory.buffer, ptr, count);
  }

  i32(ptr: number, count: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, count);
  }
}
