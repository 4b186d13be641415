/**
 * The official MuJoCo WebAssembly module (npm package `mujoco-js`), loaded once per process (per worker
 * thread: each has its own module), and MJCF text compiled into models.
 *
 *   await loadMujoco();                       // once; later calls return the same module
 *   const sim = compileModel('hopper', xml);  // → { model, data }: free both with sim.close()
 *
 * The package is an ES module whose default export is an async factory; Node ≥ 20.19 can require() it
 * from CommonJS (the CLI, worker threads and tslab notebooks all load it this way).
 *
 * MuJoCo prints parse warnings and some errors to stdout; they are captured (never printed) and become
 * part of the error message when a model does not compile.
 */
import type { MainModule, MjData, MjModel } from 'mujoco-js';

export type Mujoco = MainModule;
export const MUJOCO_PACKAGE = 'mujoco-js';

let loading: Promise<Mujoco> | null = null;
let loaded: Mujoco | null = null;
/** What the module printed since the last model compile (MuJoCo's own messages). */
let printed: string[] = [];

/** The module's async factory from the package `name`; a missing package gets an error saying what to install. */
export function requireFactory(name: string): (opts: object) => Promise<Mujoco> {
  let mod: { default?: unknown };
  try {
    mod = require(name) as { default?: unknown };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'MODULE_NOT_FOUND' || e.code === 'ERR_MODULE_NOT_FOUND')
      throw new Error(`MuJoCo tasks need the npm package '${name}', which is not installed: run npm ci (or npm install ${name})`);
    throw new Error(`MuJoCo: the package '${name}' did not load: ${e.message}`);
  }
  if (typeof mod.default !== 'function') throw new Error(`MuJoCo: the package '${name}' has no default export to load the module`);
  return mod.default as (opts: object) => Promise<Mujoco>;
}

/** Loads the MuJoCo module (once per process; concurrent callers share the one load). */
export function loadMujoco(): Promise<Mujoco> {
  if (!loading) {
    const capture = (line: string) => {
      printed.push(line);
      if (printed.length > 50) printed.shift();
    };
    loading = requireFactory(MUJOCO_PACKAGE)({ print: capture, printErr: capture }).then((m) => {
      m.FS.mkdir('/mjcf');
      loaded = m;
      return m;
    });
    loading.catch(() => (loading = null));
  }
  return loading;
}

/** The loaded module; throws when loadMujoco() has not finished (envs are made synchronously). */
export function mujoco(): Mujoco {
  if (!loaded) throw new Error('MuJoCo module not loaded yet: await loadMujoco() (or prepareEnv(name)) before making a MuJoCo env');
  return loaded;
}

/** A compiled model and its data; `close()` frees both (native memory of the WebAssembly heap). */
export interface Simulation {
  readonly model: MjModel;
  readonly data: MjData;
  close(): void;
}

/** The heap bytes of the module (for reading C++ exception objects, and to watch memory in tests). */
function heap(mj: Mujoco): ArrayBuffer {
  const probe = new mj.DoubleBuffer(1);
  try {
    return (probe.GetView() as Float64Array).buffer as ArrayBuffer;
  } finally {
    probe.delete();
  }
}

/** Bytes of the module's WebAssembly memory: grows when native allocations outgrow it, never shrinks. */
export function heapBytes(): number {
  return heap(mujoco()).byteLength;
}

/**
 * MuJoCo's message in a thrown C++ exception. The compiler throws mjXError (XML) / mjCError (model), whose
 * first member is `char message[...]`: the text is the NUL-terminated string at the exception's address.
 */
function exceptionText(mj: Mujoco, err: unknown): string {
  const e = err as { name?: string; excPtr?: number };
  if (typeof e?.excPtr !== 'number') return String((err as Error)?.message ?? err);
  const bytes = new Uint8Array(heap(mj), e.excPtr, 1000);
  const end = bytes.indexOf(0);
  const text = new TextDecoder().decode(bytes.subarray(0, end < 0 ? bytes.length : end)).trim();
  try {
    (mj as unknown as { decrementExceptionRefcount(e: unknown): void }).decrementExceptionRefcount(err);
  } catch {
    // the exception may already be released: nothing to free
  }
  return text ? `${e.name}: ${text}` : String(e.name);
}

/** Simulations compiled and not yet closed in this process (named when the module's memory runs out). */
let openSimulations = 0;

/** The compile error of model `name`: MuJoCo's own message, or, out of memory, how many envs are left open. */
function compileError(name: string, why: string): Error {
  if (/allocate memory|out of memory|bad_alloc/i.test(why))
    return new Error(
      `MuJoCo model '${name}': out of memory for another env, with ${openSimulations} env(s) open in this process; close() the envs no longer needed (MuJoCo: ${why})`,
    );
  return new Error(`MuJoCo model '${name}' does not compile: ${why}`);
}

/** Compiles MJCF text (model `name` in messages). A model that does not compile gets MuJoCo's own message. */
export function compileModel(name: string, xml: string): Simulation {
  const mj = mujoco();
  const file = `/mjcf/${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.xml`;
  mj.FS.writeFile(file, xml);
  printed = [];
  let model: MjModel | null | undefined;
  try {
    model = mj.MjModel.loadFromXML(file);
  } catch (err) {
    throw compileError(name, exceptionText(mj, err));
  } finally {
    mj.FS.unlink(file);
  }
  if (!model) throw compileError(name, printed.join(' ').trim() || 'no model returned');
  const compiled = model;
  let data: MjData;
  try {
    data = new mj.MjData(compiled);
  } catch (err) {
    compiled.delete();
    throw compileError(name, exceptionText(mj, err));
  }
  openSimulations++;
  let open = true;
  return {
    model: compiled,
    data,
    close() {
      if (!open) return;
      open = false;
      openSimulations--;
      data.delete();
      compiled.delete();
    },
  };
}
