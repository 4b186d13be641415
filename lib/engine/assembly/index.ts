// The engine's exports (AssemblyScript). Build: bash scripts/build-engine.sh → lib/engine/build/engine.wasm.
export { gemm, gemmTN, transpose, colsum, denseForward, denseBackward, adam, polyak } from './dense';

/** Where the module's static data ends: the host allocates its buffers from here up. */
export function heapBase(): usize {
  return __heap_base;
}
export { viSweep } from './sweep';
export { sacUpdate, sacAct, sacWorkspaceBytes, mlpParamCount } from './sac';
export { ensembleNllStep, ensemblePredict, ensembleWorkspaceBytes } from './ensemble';
export { mnmModelStep, mnmClassifierStep, mnmWorkspaceBytes } from './mnm';
