#!/usr/bin/env bash
# Spark GPU discovery script: prints the resource JSON Spark expects for the GPUs nvidia-smi sees, e.g.
#   {"name": "gpu", "addresses": ["0", "1"]}
# Point workers or executors at it:
#   spark.worker.resource.gpu.discoveryScript   /path/to/jobs/gpu-discovery.sh   (standalone)
#   spark.executor.resource.gpu.discoveryScript /path/to/jobs/gpu-discovery.sh   (YARN, Kubernetes)
# Exits 1 with a message on stderr when nvidia-smi is missing or lists no GPU.
set -euo pipefail
if [[ "${1:-}" == "--help" || "${1:-}" == "-h" ]]; then
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi
if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "gpu-discovery.sh: nvidia-smi not found: no NVIDIA driver on this machine" >&2
  exit 1
fi
mapfile -t ids < <(nvidia-smi --query-gpu=index --format=csv,noheader | tr -d ' \r' | grep -E '^[0-9]+$' || true)
if [[ ${#ids[@]} -eq 0 ]]; then
  echo "gpu-discovery.sh: nvidia-smi lists no GPU" >&2
  exit 1
fi
printf '{"name": "gpu", "addresses": ['
for i in "${!ids[@]}"; do
  [[ $i -gt 0 ]] && printf ', '
  printf '"%s"' "${ids[$i]}"
done
printf ']}\n'
