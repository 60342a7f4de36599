#!/usr/bin/env bash
# Scale benchmark (issue 18): a sweep of N tiny trials (train_limit 200, 1 epoch; a grid over 10 hidden sizes,
# learning rates and seeds) on local[2], then three fixed queries and `report` on its output. Reports wall time,
# driver CPU per trial, files per table, the driver's largest heap after a GC, and the query and report times.
# Run it for N and for 10 trials on the same machine to see how output size costs readers:
#   jobs/benchmark/scale.sh 3000 && jobs/benchmark/scale.sh 10
# N is 10 x learning rates (up to 50) x seeds. Environment: HEAP (driver -Xmx, default 1g), MASTER (local[2]).
# Output: target/benchmark/scale-N/ (results, logs) and its summary.txt.
#
# Driver CPU is the JVM's user+system CPU minus what Spark's task metrics count as the trials' own tasks (executor
# run and deserialisation CPU): the result commits' Spark jobs count as driver work. In local mode driver and tasks
# share one JVM, so garbage collection and JIT compilation are counted as driver time: an upper bound.
set -euo pipefail
if [[ $# -lt 1 || "$1" == "--help" || "$1" == "-h" ]]; then
  sed -n '2,8p' "$0"; exit 0
fi
trials="$1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
if ! [[ "$trials" =~ ^[0-9]+$ ]] || (( trials < 10 || trials % 10 != 0 )); then
  echo "scale.sh: N must be a multiple of 10, at least 10 (got '$trials')" >&2; exit 2
fi
rates=$(( trials / 10 < 50 ? trials / 10 : 50 ))
if (( trials % (10 * rates) != 0 )); then
  echo "scale.sh: N above 500 must be a multiple of 500 (10 hidden sizes x 50 learning rates x seeds)" >&2; exit 2
fi
seeds=$(( trials / (10 * rates) ))
out="$root/target/benchmark/scale-$trials"
rm -rf "$out"
mkdir -p "$out/events"
sweep="$out/scale-$trials.yaml"
/usr/bin/python3 - "$sweep" "$trials" "$rates" "$seeds" <<'EOF'
import sys
path, trials, rates, seeds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
lrs = ", ".join(f"{0.002 * (i + 1):.3f}" for i in range(rates))
with open(path, "w") as f:
    f.write(f"""# Written by jobs/benchmark/scale.sh: {trials} tiny trials.
name: scale-{trials}
dataset: {{name: fashion-mnist, train_limit: 200, test_limit: 500}}
seeds: [{", ".join(str(s + 1) for s in range(seeds))}]
parameters:
  model: mlp
  hidden_layers: [[8], [16], [24], [32], [40], [48], [56], [64], [72], [80]]
  optimizer: sgd
  learning_rate: [{lrs}]
  batch_size: 50
  epochs: 1
""")
EOF
results="$out/results"
summary="$out/summary.txt"
timed() { # timed LABEL COMMAND...: wall seconds of a command, its output in $out/LABEL.log
  local label="$1"; shift
  local start end
  start=$(date +%s.%N)
  "$@" > "$out/$label.log" 2>&1 || { echo "scale.sh: $label failed, see $out/$label.log" >&2; exit 1; }
  end=$(date +%s.%N)
  /usr/bin/python3 -c "print(f'{$end - $start:.1f}')"
}

# The sweep, with Spark's event log (for the tasks' CPU) and a GC log (for the heap).
export SPARKSWEEP_JAVA_OPTS="-Xmx${HEAP:-1g} -Xlog:gc:file=$out/gc.log -Dspark.eventLog.enabled=true \
-Dspark.eventLog.dir=file://$out/events -Dspark.eventLog.compress=false -Dspark.eventLog.rolling.enabled=false"
/usr/bin/time -f "%e %U %S" -o "$out/time.txt" \
  jobs/run-local.sh run "$sweep" --output "$results" --master "${MASTER:-local[2]}" --no-ui > "$out/run.log" 2>&1 \
  || { echo "scale.sh: the sweep failed, see $out/run.log" >&2; exit 1; }
unset SPARKSWEEP_JAVA_OPTS

q1=$(timed query-count jobs/run-local.sh query --output "$results" --format csv "SELECT count(*) AS n FROM trials")
q2=$(timed query-join jobs/run-local.sh query --output "$results" \
  "SELECT t.hidden_layers, max(e.test_accuracy) AS best FROM trials t JOIN epochs e ON t.trial_id = e.trial_id GROUP BY t.hidden_layers ORDER BY best DESC")
q3=$(timed query-top jobs/run-local.sh query --output "$results" \
  "SELECT trial_id, learning_rate, test_accuracy FROM trials ORDER BY test_accuracy DESC LIMIT 5")
rep=$(timed report jobs/run-local.sh report --output "$results" --to "$out/report")

/usr/bin/python3 - "$out" "$results" "$trials" "$q1" "$q2" "$q3" "$rep" > "$summary" <<'EOF'
import glob, json, os, re, sys
out, results, trials = sys.argv[1], sys.argv[2], int(sys.argv[3])
q1, q2, q3, rep = sys.argv[4:8]
wall, user, system = (float(x) for x in open(f"{out}/time.txt").read().split()[-3:])
# Only the trials' own tasks count as training: jobs of the group sparksweep-<run>-<trial id>. Every other task
# (the result commits' Spark jobs, the summary's queries) is overhead of the sweep, counted with the driver.
TRIAL_JOB = re.compile(r"^sparksweep-.+-[0-9a-f]{16}(-f\d+)?(-p\d+)?$")
task_ns = other_ns = 0
trial_stages = set()
for log in glob.glob(f"{out}/events/**/*", recursive=True):  # Spark 4 writes a folder of rolling files
    if not os.path.isfile(log):
        continue
    for line in open(log):
        if '"SparkListenerJobStart"' in line:
            event = json.loads(line)
            if TRIAL_JOB.match((event.get("Properties") or {}).get("spark.jobGroup.id", "")):
                trial_stages.update(event.get("Stage IDs", []))
        elif '"SparkListenerTaskEnd"' in line:
            event = json.loads(line)
            m = event.get("Task Metrics") or {}
            ns = m.get("Executor CPU Time", 0) + m.get("Executor Deserialize CPU Time", 0)
            if event.get("Stage ID") in trial_stages:
                task_ns += ns
            else:
                other_ns += ns
driver = user + system - task_ns / 1e9
heap = [int(h) for h in re.findall(r"->(\d+)M\(", open(f"{out}/gc.log").read())]
counted = re.findall(r"^(\d+)$", open(f"{out}/query-count.log").read(), re.M)
def live_files(path):
    """A Delta table's files in its latest version (its log replayed: Delta keeps every commit file for 30 days),
    or, for a table in the layout before Delta, every Parquet file under it."""
    log = os.path.join(path, "_delta_log")
    if not os.path.isdir(log):
        return sum(1 for _, _, names in os.walk(path) for n in names if n.endswith(".parquet"))
    live = set()
    for commit in sorted(glob.glob(f"{log}/*.json")):
        for line in open(commit):
            action = json.loads(line)
            if "add" in action:
                live.add(action["add"]["path"])
            elif "remove" in action:
                live.discard(action["remove"]["path"])
    return len(live)

files = {}
for table in sorted(os.listdir(results)):
    path = os.path.join(results, table)
    if os.path.isdir(path) and not table.startswith(("_", ".")) and table != "model_files":
        files[table] = live_files(path)
print(f"trials: {trials} (count(*) printed: {counted[-1] if counted else '?'})")
print(f"wall: {wall:.1f} s; process CPU {user + system:.1f} s; trials' tasks CPU {task_ns / 1e9:.1f} s; "
      f"other tasks' CPU (commits, summary) {other_ns / 1e9:.1f} s")
print(f"driver CPU per trial: {1000 * driver / trials:.1f} ms (all but the trials' tasks: the JVM's start-up and "
      f"the commits' tasks included)")
print(f"largest heap after a GC: {max(heap) if heap else '?'} MiB (-Xmx{os.environ.get('HEAP', '1g')})")
print("data files per table: " + ", ".join(f"{t} {n}" for t, n in files.items()))
print(f"query count(*): {q1} s; trials x epochs join: {q2} s; top 5: {q3} s; report: {rep} s")
EOF
cat "$summary"
