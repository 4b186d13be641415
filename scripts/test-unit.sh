#!/usr/bin/env bash
# The fast test command: type check, then every test except those that need Jupyter (the notebooks),
# Chromium (the report and the playground opened in a browser) or Slurm. Installs no Debian package: npm packages only.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[test:unit] installing npm packages (npm ci)..." >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
bash scripts/build-engine.sh
export PATH="$PWD/node_modules/.bin:$PATH"
echo "[test:unit] type check (tsc --noEmit)" >&2
tsc --noEmit -p .
# Tests that need Jupyter, Chromium or Slurm (Debian packages), and the load test (minutes of repeated smoke
# runs): scripts/test.sh runs them.
needs_apt='^test/(notebooks\.test\.ts|cli/notebooks\.test\.ts|report/browser\.test\.ts|playground/playground\.test\.ts|cli/slurm\.test\.ts)$'
slow='^test/cli/load\.test\.ts$'
mapfile -t files < <(find test -name '*.test.ts' | sort | grep -Ev "$needs_apt" | grep -Ev "$slow")
if [ "$#" -gt 0 ]; then files=("$@"); fi
exec node --import tsx --test --test-reporter=spec --test-concurrency=1 "${files[@]}"
