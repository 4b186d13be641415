/**
 * Which implementation runs SAC's update, the dynamics model's likelihood training, validation and rollouts, and
 * MnM-approx's Eq. 9 and classifier steps:
 * 'tfjs' (TensorFlow.js, the reference) or 'engine' (the WebAssembly engine, lib/engine). $MNM_DEEP_BACKEND=tfjs|engine (or `mnm run --backend`) chooses; the default is
 * DEFAULT_DEEP_BACKEND (the README says why). No TensorFlow.js import here: the command line reads it cheaply.
 */
export type DeepBackend = 'tfjs' | 'engine';
export const DEEP_BACKENDS: readonly DeepBackend[] = ['tfjs', 'engine'];
export const DEFAULT_DEEP_BACKEND: DeepBackend = 'tfjs';

/** `name` as a DeepBackend, or one error naming `where` and the choices. */
export function checkDeepBackend(name: string, where: string): DeepBackend {
  if (!(DEEP_BACKENDS as readonly string[]).includes(name))
    throw new Error(`${where} must be ${DEEP_BACKENDS.join(' or ')}, got '${name}'`);
  return name as DeepBackend;
}

/** The deep backend chosen for this process ($MNM_DEEP_BACKEND, else the default). */
export function deepBackend(): DeepBackend {
  const v = process.env.MNM_DEEP_BACKEND;
  return v === undefined || v === '' ? DEFAULT_DEEP_BACKEND : checkDeepBackend(v, 'MNM_DEEP_BACKEND');
}
