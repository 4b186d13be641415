#!/usr/bin/env bash
# Compiles the WebAssembly engine (lib/engine/assembly, AssemblyScript from npm: no system compiler) into
# lib/engine/build/engine.wasm. Quick when the .wasm is newer than every source. --force rebuilds.
set -euo pipefail
cd "$(dirname "$0")/.."
out=lib/engine/build/engine.wasm
if [ "${1:-}" != "--force" ] && [ -f "$out" ] && [ -z "$(find lib/engine/assembly scripts/build-engine.sh -newer "$out" -print -quit)" ]; then
  exit 0
fi
mkdir -p lib/engine/build
echo "[engine] building $out (AssemblyScript)" >&2
# --runtime stub: no garbage collector (the kernels use raw pointers only); --use abort=: no host imports.
node_modules/.bin/asc lib/engine/assembly/index.ts -o "$out.tmp" -O3 --noAssert --runtime stub --use abort= \
  --enable simd --initialMemory 16 >&2
mv "$out.tmp" "$out"
