#!/usr/bin/env bash
# Reading your own data, measured (not part of the tests; about 10 minutes on 2 cores):
#  1. Fashion-MNIST's 70,000 images written as a class-per-folder tree of grey PNGs (example-data --grey);
#  2. a sweep on the tree: the data step (listing, reading and decoding every PNG on local[2]) as the run reports
#     it ("read in N s"), then the same sweep again, whose data comes from the output's _data/ cache;
#  3. the same two trials (an MLP, a CNN; one epoch) on the built-in IDX files: seconds per epoch side by side;
#  4. with --million: a tree of 1,000,000 small PNGs (hard links to 1,000 files) listed and decoded at 8x8 by a
#     driver with a 1 GiB heap (--dry-run: the data step and the plan, no training).
# Output: target/benchmark/own-data.log.
#   jobs/benchmark/own-data.sh [--million]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
out="$root/target/benchmark/own-data"
rm -rf "$out"
mkdir -p "$out"
log="$root/target/benchmark/own-data.log"
parameters='method: grid
keep_models: none
parameters: {model: [mlp, cnn], hidden_layers: [[128]], conv_channels: [[8, 16]], kernel_size: 3, padding: 1,
             optimizer: adam, learning_rate: 0.001, batch_size: 128, epochs: 1}'
printf 'name: tree\ndataset: {images: {train: %s, test: %s}, validation: none}\n%s\n' \
  "$out/data/images/train" "$out/data/images/test" "$parameters" > "$out/tree.yaml"
printf 'name: idx\ndataset: {name: fashion-mnist, validation: none}\n%s\n' "$parameters" > "$out/idx.yaml"
{
  echo "== own data $(date -u +%FT%TZ) on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
  start=$(date +%s.%N)
  jobs/run-local.sh example-data --to "$out/data" --train 60000 --test 10000 --grey
  echo "wrote the tree in $(echo "$(date +%s.%N) - $start" | bc) s"
  for run in first cached; do
    echo "-- tree, $run run"
    jobs/run-local.sh run "$out/tree.yaml" --output "$out/results" --master 'local[2]' --fresh | grep -E '^data: '
  done
  echo "-- built-in IDX files"
  jobs/run-local.sh run "$out/idx.yaml" --output "$out/results" --master 'local[2]' | grep -E '^data: '
  echo "-- seconds per epoch (train_seconds of one epoch), tree against IDX"
  jobs/run-local.sh query --output "$out/results" "SELECT sweep_name, model, round(train_seconds, 2) AS s_per_epoch,
    test_accuracy FROM trials ORDER BY model, sweep_name"
  if [[ "${1:-}" == "--million" ]]; then
    echo "-- 1,000,000 files, a 1 GiB driver heap"
    /usr/bin/python3 - "$out/data/images/train" "$out/million" <<'PY'
import os, sys
src, dst = sys.argv[1], sys.argv[2]
classes = sorted(os.listdir(src))
for c in classes:
    os.makedirs(os.path.join(dst, c))
    some = sorted(os.listdir(os.path.join(src, c)))[:100]  # a file takes at most 65,000 links
    for i in range(100_000):
        os.link(os.path.join(src, c, some[i % 100]), os.path.join(dst, c, "%06d.png" % i))
PY
    printf 'name: million\ndataset: {images: {train: %s, size: [8, 8], channels: 1}, validation: none}\n%s\n' \
      "$out/million" "$parameters" > "$out/million.yaml"
    /usr/bin/time -f 'peak resident %M KB, %e s' env SPARKSWEEP_JAVA_OPTS=-Xmx1g \
      jobs/run-local.sh run "$out/million.yaml" --output "$out/results" --master 'local[2]' --dry-run | head -1
  fi
} 2>&1 | tee "$log"
