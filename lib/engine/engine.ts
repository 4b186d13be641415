/**
 * The engine's Node loader: compiles lib/engine/build/engine.wasm (or its relaxed-SIMD build), which
 * scripts/build-engine.sh (run by setup) makes from lib/engine/assembly and which is not committed. The Engine
 * itself and the kernels' types are ./wasm's (no Node import there, so a page runs them too).
 *
 *   const eng = new Engine(engineModule());
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileEngineBytes, type WasmModule, wasmValidates } from './wasm';

export { ACT, type ActName, Engine, type EngineExports, type WasmMemory, type WasmModule } from './wasm';

// @compiled-from ./assembly/index.ts (lib/fingerprint.ts follows the kernels' sources from here)
export const ENGINE_WASM = path.join(__dirname, 'build', 'engine.wasm');
/** The same kernels built with relaxed SIMD: fused multiply-adds in the matrix products (about 1.25× faster). */
export const ENGINE_RELAXED_WASM = path.join(__dirname, 'build', 'engine-relaxed.wasm');
export const ENGINE_REBUILD = 'bash scripts/build-engine.sh (run by `npm run setup`)';

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
  return compileEngineBytes(bytes, file, `rebuild it with ${ENGINE_REBUILD}`);
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
  if (wasmValidates(probe)) return true;
  try {
    require('node:v8').setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  return wasmValidates(probe);
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
