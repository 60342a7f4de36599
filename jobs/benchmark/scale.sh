#!/usr/bin/env bash
# Scale benchmark (issue 18): a sweep of N tiny trials (train_limit 200, 1 epoch; a grid over 10 hidden sizes,
# learning rates and seeds) on local[2], then three fixed queries and `report` on its output. Reports wall time,
# driver CPU per trial, files per table, the driver's largest heap after a GC, and the query and report times.
# Run it for N and for 10 trials on the same machine to see how output size costs readers:
#   jobs/benchmark/scale.sh 3000 && jobs/benchmark/scale.sh 10
# N is 10 x learning rates (up to 50) x seeds. Environment: HEAP (driver -Xmx, default 1g), MASTER (local[2]),
# CLUSTER=1 (the driver against a Spark standalone master and a worker of 2 cores on 127.0.0.1 instead).
# Output: target/benchmark/scale-N/ (scale-N-cluster/ with CLUSTER=1): results, logs, summary.txt.
#
# Driver CPU in local mode is the JVM's user+system CPU minus what Spark's task metrics count as the trials' own
# tasks (executor run and deserialisation CPU): the result commits' Spark jobs count as driver work. Driver and
# tasks share one JVM there, so the JIT compiling the trials' code and the GC of their garbage count as driver time:
# an upper bound. With CLUSTER=1 the tasks run in an executor JVM the worker starts, and the driver's CPU is its
# JVM's, all of it (the commits' tasks run in the executor: reported beside it).
set -euo pipefail
if [[ $# -lt 1 || "$1" == "--help" || "$1" == "-h" ]]; then
  sed -n '2,/^set /{/^#/p}' "$0"; exit 0
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
out="$root/target/benchmark/scale-$trials${CLUSTER:+-cluster}"
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

free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
await_log() { # await_log FILE TEXT: up to 60 s
  for _ in $(seq 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.2; done
  echo "scale.sh: no '$2' in $1" >&2; exit 1
}

# CLUSTER=1: a standalone master and worker from the jars run-local.sh uses; the worker launches the executor from
# a Spark home of links to them.
master="${MASTER:-local[2]}" cluster_opts="" daemons=()
if [[ -n "${CLUSTER:-}" ]]; then
  [[ -f target/spark-classpath.txt ]] || jobs/run-local.sh --help > /dev/null  # builds the jar and classpath
  home="$out/spark-home"
  mkdir -p "$home/jars"
  tr ':' '\n' < target/spark-classpath.txt | while read -r jar; do ln -sf "$jar" "$home/jars/"; done
  # the application jar too: it carries some of Spark's dependencies (slf4j) because DL4J's need them as well
  daemon=(java $(cat target/jvm-options.txt) -Xmx512m -cp "$home/jars/*:$root/target/sparksweep.jar")
  port=$(free_port)
  "${daemon[@]}" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port "$(free_port)" \
    > "$out/master.log" 2>&1 &
  daemons+=($!)
  trap 'kill "${daemons[@]}" 2> /dev/null; wait' EXIT
  await_log "$out/master.log" "I have been elected leader"
  SPARK_HOME="$home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 "${daemon[@]}" \
    org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 2 --memory 4g --work-dir "$out/work" \
    --webui-port "$(free_port)" "spark://127.0.0.1:$port" > "$out/worker.log" 2>&1 &
  daemons+=($!)
  await_log "$out/worker.log" "Successfully registered with master"
  master="spark://127.0.0.1:$port"
  cluster_opts="-Dspark.executor.extraClassPath=$root/target/sparksweep.jar -Dspark.executor.memory=3g \
-Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1"
fi

# The sweep, with Spark's event log (for the tasks' CPU) and a GC log (for the heap).
export SPARKSWEEP_JAVA_OPTS="-Xmx${HEAP:-1g} -Xlog:gc:file=$out/gc.log -Dspark.eventLog.enabled=true \
-Dspark.eventLog.dir=file://$out/events -Dspark.eventLog.compress=false -Dspark.eventLog.rolling.enabled=false \
$cluster_opts"
/usr/bin/time -f "%e %U %S" -o "$out/time.txt" \
  jobs/run-local.sh run "$sweep" --output "$results" --master "$master" --no-ui > "$out/run.log" 2>&1 \
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
cluster = bool(os.environ.get("CLUSTER"))
driver = user + system - (0 if cluster else task_ns / 1e9)
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
if cluster:
    print(f"driver CPU per trial: {1000 * driver / trials:.1f} ms (the driver JVM's, all of it: its start-up "
          f"included; the commits' tasks ran in the executor: {1000 * other_ns / 1e9 / trials:.1f} ms per trial)")
else:
    print(f"driver CPU per trial: {1000 * driver / trials:.1f} ms (all but the trials' tasks: the JVM's start-up "
          f"and the commits' tasks included)")
print(f"largest heap after a GC: {max(heap) if heap else '?'} MiB (-Xmx{os.environ.get('HEAP', '1g')})")
print("data files per table: " + ", ".join(f"{t} {n}" for t, n in files.items()))
print(f"query count(*): {q1} s; trials x epochs join: {q2} s; top 5: {q3} s; report: {rep} s")
EOF
cat "$summary"
