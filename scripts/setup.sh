#!/usr/bin/env bash
# Brings this clone to a runnable state; quick when everything is already there.
#   scripts/setup.sh            npm packages (npm ci when node_modules is missing or older than the lock file)
#   scripts/setup.sh --jupyter  also Jupyter (Debian packages) and the tslab kernel, for notebooks and tests
#   scripts/setup.sh --browser  also Debian's Chromium, which the report test opens index.html in
#   scripts/setup.sh --slurm    also Slurm and munge, which the test of `mnm submit` starts a one-node cluster with
set -euo pipefail
cd "$(dirname "$0")/.."

want_jupyter=0
want_browser=0
want_slurm=0
for arg in "$@"; do
  case "$arg" in
    --jupyter) want_jupyter=1 ;;
    --browser) want_browser=1 ;;
    --slurm) want_slurm=1 ;;
    *) echo "setup.sh: unknown option '$arg' (expected --jupyter, --browser or --slurm)" >&2; exit 2 ;;
  esac
done

say() { echo "[setup] $*" >&2; }

# Node.js 20.19+ is needed (require() of ES modules, used by some dependencies).
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' || {
  say "Node.js $(node --version) is too old: install Node.js 20.19 or newer."; exit 1; }

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm ci)..."
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
# The notebooks import the library by name ('mnm-workbench/lib/...'): node_modules/mnm-workbench, a plain folder.
node_modules/.bin/tsx lib/notebook/package.ts
# The WebAssembly engine (lib/engine): compiled from AssemblyScript, an npm package (no system compiler).
bash scripts/build-engine.sh

apt_packages=()
# Figures are rasterised with system fonts; without any, PNGs lose their text.
if ! ls /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf >/dev/null 2>&1; then apt_packages+=(fonts-dejavu-core); fi
if [ "$want_jupyter" = 1 ]; then
  if ! /usr/bin/python3 -c 'import nbconvert, nbclient, jupyter_client, notebook' >/dev/null 2>&1 || [ ! -x /usr/bin/jupyter ]; then
    apt_packages+=(jupyter-notebook jupyter-nbconvert python3-nbclient jupyter-client)
  fi
fi

# The report test drives this browser through playwright-core (never a downloaded one).
if [ "$want_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then apt_packages+=(chromium); fi

# The submit test runs munged, slurmctld and slurmd on this machine (test/cli/slurm-cluster.ts).
if [ "$want_slurm" = 1 ]; then
  for bin in /usr/sbin/slurmctld /usr/sbin/slurmd /usr/bin/sbatch /usr/sbin/munged /usr/sbin/mungekey; do
    if [ ! -x "$bin" ]; then apt_packages+=(slurm-wlm munge); break; fi
  done
fi

if [ "${#apt_packages[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian packages: ${apt_packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Waits for another apt (e.g. a second checkout's setup) instead of failing on its lock.
    apt-get update -qq -o DPkg::Lock::Timeout=300 >&2
    apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends "${apt_packages[@]}" >&2
  else
    say "missing Debian packages: ${apt_packages[*]}"
    say "run:  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${apt_packages[*]}"
    say "then run this command again."
    exit 1
  fi
fi

if [ "$want_jupyter" = 1 ]; then
  if ! /usr/bin/jupyter kernelspec list 2>/dev/null | grep -q '^ *tslab '; then
    say "registering the tslab kernel with Jupyter"
    node_modules/.bin/tslab install --python=/usr/bin/python3 >&2
  fi
fi
