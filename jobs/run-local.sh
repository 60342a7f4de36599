#!/usr/bin/env bash
# Runs SparkSweep on this machine (Spark local mode) without a Spark installation: the application jar plus
# the Spark jars Maven resolved. Builds the jar first when it is missing or older than the sources.
#
#   jobs/run-local.sh run conf/sweeps/quick.yaml         # a sweep, results in ./results
#   jobs/run-local.sh query "SELECT * FROM trials"       # Spark SQL over the results
#   jobs/run-local.sh --help                             # every command and option
#   jobs/run-local.sh --cuda run conf/sweeps/quick.yaml --gpus 0,1   # the CUDA build (mvn -Pcuda package)
#
# Environment: SPARKSWEEP_JAVA_OPTS (default -Xmx6g) adds JVM options; JAVA (default java) picks the JVM.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="$root/target" profile=()
if [[ "${1:-}" == "--cuda" ]]; then
  build_dir="$root/target/cuda" profile=(-Pcuda)
  shift
fi
jar="$build_dir/sparksweep.jar"
spark_cp="$build_dir/spark-classpath.txt"
jvm_opts="$build_dir/jvm-options.txt"

stale() {
  [[ ! -f "$jar" || ! -f "$spark_cp" || ! -f "$jvm_opts" ]] && return 0
  [[ -n "$(find "$root/src" "$root/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]]
}

if stale; then
  command -v mvn >/dev/null || { echo "run-local.sh: Maven (mvn) is needed to build $jar" >&2; exit 1; }
  echo "building $jar (mvn package) ..." >&2
  (cd "$root" && mvn -B -q ${profile[@]+"${profile[@]}"} -DskipTests package) >&2
fi

export SPARKSWEEP_HOME="$root"
# Local runs serve the Spark UI on loopback only (Spark's UI listens where SPARK_LOCAL_IP says, else everywhere).
remote=0
for arg in "$@"; do
  [[ "$arg" == spark://* || "$arg" == yarn || "$arg" == k8s://* || "$arg" == --master=spark://* ]] && remote=1
done
[[ $remote -eq 1 ]] || export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
# --gpus takes nvidia-smi's indices; make CUDA number the devices the same way (PCI bus order).
export CUDA_DEVICE_ORDER="${CUDA_DEVICE_ORDER:-PCI_BUS_ID}"
# The JIT's top tier (C2) waits for 10x the usual calls: in one local JVM it compiled Spark's, Delta's and
# Catalyst's code paths that run a few thousand times per sweep (half the process's CPU on a sweep of tiny trials),
# competing with the trials for the cores; the training loops are hot enough to reach C2 as before. Measured on
# 2 cores (docs/benchmarks.md): less CPU, and trials no slower.
jit=(-XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=20000 -XX:Tier4CompileThreshold=60000
  -XX:Tier4BackEdgeThreshold=400000)
# shellcheck disable=SC2046 # the options file is a space-separated list of flags
exec "${JAVA:-java}" $(cat "$jvm_opts") "${jit[@]}" ${SPARKSWEEP_JAVA_OPTS:--Xmx6g} \
  -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
  -cp "$jar:$(cat "$spark_cp")" io.sparksweep.cli.Main "$@"
