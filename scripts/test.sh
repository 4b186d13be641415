#!/usr/bin/env bash
# The test command: setup (including Jupyter, Chromium and Slurm), type check, then every test under test/ with node's test runner.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --jupyter --browser --slurm
export PATH="$PWD/node_modules/.bin:$PATH"
echo "[test] type check (tsc --noEmit)" >&2
tsc --noEmit -p .
mapfile -t files < <(find test -name '*.test.ts' | sort)
if [ "$#" -gt 0 ]; then files=("$@"); fi
exec node --import tsx --test --test-reporter=spec --test-concurrency=1 "${files[@]}"
