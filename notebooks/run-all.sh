#!/usr/bin/env bash
# Executes every notebook here headless, the way CI does: runs the demo sweeps (conf/sweeps/demo-mlp.yaml and
# demo-cnn.yaml, about a minute on two cores) into a fresh results directory, executes each notebook against it
# with jupyter nbconvert, and fails if a cell fails or an executed notebook lacks a table or a chart.
#
#   notebooks/run-all.sh [OUT_DIR]     # executed copies go to OUT_DIR (default target/notebooks)
#
# Needs: jupyter-nbconvert python3-ipykernel python3-pandas python3-matplotlib (Debian packages), JDK 17, Maven.
set -euo pipefail
case "${1:-}" in -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(realpath -m "${1:-$root/target/notebooks}")"
command -v jupyter-nbconvert >/dev/null || {
  echo "run-all.sh: jupyter-nbconvert not found: apt-get install jupyter-nbconvert python3-ipykernel python3-pandas python3-matplotlib" >&2
  exit 1
}
results="$out/results"
rm -rf "$out" && mkdir -p "$out"
for sweep in demo-mlp demo-cnn; do
  "$root/jobs/run-local.sh" run "$root/conf/sweeps/$sweep.yaml" --output "$results" --no-ui > "$out/$sweep.log" 2>&1 \
    || { cat "$out/$sweep.log"; echo "run-all.sh: sweep $sweep failed" >&2; exit 1; }
done
export SPARKSWEEP_RESULTS="$results" SPARKSWEEP_SWEEP=demo-mlp PYDEVD_DISABLE_FILE_VALIDATION=1
for notebook in "$root"/notebooks/*.ipynb; do
  echo "executing $(basename "$notebook")"
  jupyter-nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 --output-dir "$out" "$notebook" \
    2> "$out/$(basename "$notebook" .ipynb).nbconvert.log" \
    || { cat "$out/$(basename "$notebook" .ipynb).nbconvert.log"; exit 1; }
done
python3 - "$out" <<'PY'
import json, pathlib, sys
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.ipynb")):
    outputs = [o for cell in json.loads(path.read_text())["cells"] for o in cell.get("outputs", [])]
    kinds = {k for o in outputs for k in o.get("data", {})}
    errors = [o for o in outputs if o.get("output_type") == "error"]
    if errors or "image/png" not in kinds or "text/html" not in kinds:
        sys.exit(f"{path.name}: errors={len(errors)}, output kinds={sorted(kinds)}: expected tables and a chart")
    print(f"ok: {path.name}: {sum('image/png' in o.get('data', {}) for o in outputs)} charts, "
          f"{sum('text/html' in o.get('data', {}) for o in outputs)} tables")
PY
