#!/usr/bin/env bash
# SparkSweep's benchmark, all in one run on this machine (not part of the tests; it takes about 10 minutes):
#  1. the seed models' training speed on one thread, side by side with PyTorch (Debian's python3-torch);
#  2. resident memory over a 20-epoch MLP trial;
#  3. slot utilization of 8 equal trials on local[2];
#  4. a 500-trial sweep of tiny trials with a 1 GiB driver heap.
# Output: target/benchmark/benchmark.log (and the 500-trial sweep's results beside it).
#   jobs/benchmark/run.sh [--epochs N] [--models a,b]     (options go to `sparksweep bench`)
set -euo pipefail
if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  sed -n '2,8p' "$0"; exit 0
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
out="$root/target/benchmark"
mkdir -p "$out"
log="$out/benchmark.log"
if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  echo "run.sh: PyTorch missing for /usr/bin/python3 (apt-get install python3-torch libopenblas0-pthread)" >&2
  exit 1
fi
{
  echo "== sparksweep bench $(date -u +%FT%TZ)"
  jobs/run-local.sh bench --memory --utilization "$@"
  echo
  echo "== 500 tiny trials with a 1 GiB driver heap"
  rm -rf "$out/tiny-500"
  start=$(date +%s)
  SPARKSWEEP_JAVA_OPTS=-Xmx1g jobs/run-local.sh run jobs/benchmark/tiny-500.yaml --output "$out/tiny-500" \
    | grep -E '^(sweep|master|finished)'
  echo "wall seconds: $(( $(date +%s) - start ))"
} 2>&1 | tee "$log"
