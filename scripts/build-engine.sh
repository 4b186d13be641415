#!/usr/bin/env bash
# Compiles the WebAssembly engine (lib/engine/assembly, AssemblyScript from npm: no system compiler) into
# lib/engine/build/engine.wasm (128-bit SIMD) and engine-relaxed.wasm (also relaxed SIMD: fused multiply-adds in
# the matrix products, used where the runtime accepts it). Quick when both are newer than every source; --force
# rebuilds.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=lib/engine/build
if [ "${1:-}" != "--force" ] && [ -f "$dir/engine.wasm" ] && [ -f "$dir/engine-relaxed.wasm" ] &&
  [ -z "$(find lib/engine/assembly scripts/build-engine.sh -newer "$dir/engine.wasm" -print -quit)" ] &&
  [ -z "$(find lib/engine/assembly scripts/build-engine.sh -newer "$dir/engine-relaxed.wasm" -print -quit)" ]; then
  exit 0
fi
mkdir -p "$dir"
echo "[engine] building $dir/engine.wasm and engine-relaxed.wasm (AssemblyScript)" >&2
# --runtime stub: no garbage collector (the kernels use raw pointers only); --use abort=: no host imports.
flags=(-O3 --noAssert --runtime stub --use abort= --enable simd --initialMemory 16)
node_modules/.bin/asc lib/engine/assembly/index.ts -o "$dir/engine.wasm.tmp" "${flags[@]}" >&2
node_modules/.bin/asc lib/engine/assembly/index.ts -o "$dir/engine-relaxed.wasm.tmp" "${flags[@]}" --enable relaxed-simd >&2
mv "$dir/engine.wasm.tmp" "$dir/engine.wasm"
mv "$dir/engine-relaxed.wasm.tmp" "$dir/engine-relaxed.wasm"
