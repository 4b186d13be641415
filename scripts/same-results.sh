#!/usr/bin/env bash
# Proves that a change left the results alone: runs every experiment at smoke scale at REV (in a temporary
# git worktree) and in the working tree, then compares claims.json and every Parquet table byte for byte.
#   bash scripts/same-results.sh REV [EXPERIMENT...]
# Exit 0 when every file is identical, 1 when one differs or is missing on either side.
# MNM_SAME_BASELINE=DIR uses DIR as REV's results instead of running REV again.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: scripts/same-results.sh REV [EXPERIMENT...]}
shift
root=$PWD
tmp=$(mktemp -d)
cleanup() {
  git -C "$root" worktree remove --force "$tmp/rev" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

run_smoke() { # FOLDER OUT
  (cd "$1" && npx tsx lib/cli/main.ts run "${@:3}" --scale smoke --out "$2" --workers 2 --fresh >"$2.log" 2>&1) || {
    echo "same-results: the smoke run in $1 failed (log: $2.log)" >&2
    tail -20 "$2.log" >&2
    return 1
  }
}

if [ -n "${MNM_SAME_BASELINE:-}" ]; then
  before=$MNM_SAME_BASELINE
  echo "[same-results] baseline: $before (given)"
else
  git worktree add --detach "$tmp/rev" "$rev" >/dev/null 2>&1
  ln -s "$root/node_modules" "$tmp/rev/node_modules"
  before=$tmp/before
  echo "[same-results] smoke run at $(git rev-parse --short "$rev")"
  run_smoke "$tmp/rev" "$before" "$@"
fi
after=$tmp/after
echo "[same-results] smoke run of the working tree"
run_smoke "$root" "$after" "$@"

status=0
same=0
mapfile -t files < <(cd "$before" && find . \( -name claims.json -o -name '*.parquet' \) | sort)
mapfile -t files_after < <(cd "$after" && find . \( -name claims.json -o -name '*.parquet' \) | sort)
for f in $(printf '%s\n' "${files[@]}" "${files_after[@]}" | sort -u); do
  if [ ! -f "$before/$f" ]; then
    echo "only after:  $f"
    status=1
  elif [ ! -f "$after/$f" ]; then
    echo "only before: $f"
    status=1
  elif cmp -s "$before/$f" "$after/$f"; then
    same=$((same + 1))
  else
    echo "DIFFERS:     $f"
    status=1
  fi
done
if [ "$status" = 0 ]; then
  echo "[same-results] identical at smoke scale: $same files (claims.json and every Parquet table)"
else
  echo "[same-results] results differ ($same files identical)"
fi
exit $status
