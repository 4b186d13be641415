/**
 * The WebAssembly SIMD engine (issue 24): kernels written in AssemblyScript (lib/engine/assembly), compiled by
 * scripts/build-engine.sh (run by setup) into lib/engine/build/engine.wasm, which is not committed.
 *
 *   const eng = new Engine();                    // one instance = one linear memory of its own
 *   const x = eng.alloc(n * d);                  // a Float32 buffer, allocated once (byte offset into memory)
 *   eng.f32(x, n * d).set(values);               // a view (re-take it after any alloc: memory may grow)
 *   eng.exports.denseForward(x, w, b, z, y, n, d, h, ACT.relu);
 *
 * Each Engine owns its memory and hands out buffers by bumping a pointer; nothing is ever freed inside it, so
 * an owner (an agent) allocates everything in its constructor and the memory stays flat while it trains.
 * Dropping the Engine frees the memory (garbage collected with the instance).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * What the loader uses of WebAssembly's JavaScript API. TypeScript types it only in its DOM lib, which this Node
 * project leaves out (the playground, a page, brings it in for its own files); declared here, module-local, so every
 * program that reaches this file (the notebooks' kernel among them) type-checks it alike.
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

export const ENGINE_WASM = path.join(__dirname, 'build', 'engine.wasm');
/** The same kernels built with relaxed SIMD: fused multiply-adds in the matrix products (about 1.25× faster). */
export const ENGINE_RELAXED_WASM = path.join(__dirname, 'build', 'engine-relaxed.wasm');
export const ENGINE_REBUILD = 'bash scripts/build-engine.sh (run by `npm run setup`)';

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

let compiled: WasmModule | null = null;

/** Compiles a module file. A missing or broken file gets one error naming it and how to rebuild it. */
export function compileEngine(file: string): WasmModule {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new Error(
      `engine: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); build it with ${ENGINE_REBUILD}`,
    );
  }
  try {
    return new WebAssembly.Module(bytes);
  } catch (err) {
    throw new Error(`engine: ${file} is not a loadable WebAssembly module (${(err as Error).message}); rebuild it with ${ENGINE_REBUILD}`);
  }
}

/**
 * Whether this runtime takes relaxed SIMD. Node 20's V8 has it behind a flag, which is turned on here (it is
 * process-wide, so every worker thread sees the same answer); newer runtimes have it on. A module probe decides.
 */
function relaxedSimd(): boolean {
  // (module (func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 f32x4.relaxed_madd))
  const probe = Uint8Array.from([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0, 32, 0, 32, 1, 32, 2, 253, 133, 2, 11,
  ]);
  if (WebAssembly.validate(probe)) return true;
  try {
    require('node:v8').setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  return WebAssembly.validate(probe);
}

/** Which build runs: 'relaxed' where the runtime has relaxed SIMD (unless $MNM_ENGINE_SIMD=plain), else 'plain'. */
export function engineVariant(): 'relaxed' | 'plain' {
  const forced = process.env.MNM_ENGINE_SIMD;
  if (forced !== undefined && forced !== '' && forced !== 'plain' && forced !== 'relaxed')
    throw new Error(`MNM_ENGINE_SIMD must be plain or relaxed, got '${forced}'`);
  if (forced === 'plain') return 'plain';
  if (relaxedSimd()) return 'relaxed';
  if (forced === 'relaxed') throw new Error('MNM_ENGINE_SIMD=relaxed: this runtime does not take relaxed SIMD');
  return 'plain';
}

/** The compiled engine (once per process). */
export function engineModule(): WasmModule {
  compiled ??= compileEngine(engineVariant() === 'relaxed' ? ENGINE_RELAXED_WASM : ENGINE_WASM);
  return compiled;
}

const ALIGN = 16;
const PAGE = 65536;

export class Engine {
  readonly exports: EngineExports;
  private top: number;

  constructor() {
    this.exports = new WebAssembly.Instance(engineModule(), {}).exports as unknown as EngineExports;
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
