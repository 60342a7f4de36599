#!/usr/bin/env bash
# Submits a SparkSweep command to a cluster with spark-submit (SPARK_HOME/bin/spark-submit, or on the PATH).
#
#   jobs/submit.sh --master spark://host:7077 -- run conf/sweeps/quick.yaml --output hdfs:///sweeps
#   jobs/submit.sh --master yarn --gpu -- run conf/sweeps/cnn-kernel-size.yaml --output hdfs:///sweeps
#   jobs/submit.sh --master k8s://https://api:6443 --spark-conf spark.kubernetes.container.image=IMAGE -- run ...
#
# Options (before --; everything after -- goes to SparkSweep):
#   --master URL        spark://..., yarn or k8s://... (required)
#   --gpu               GPU executors: the CUDA jar (target/cuda/sparksweep.jar, built by mvn -Pcuda package)
#                       and conf/spark-defaults-gpu.conf instead of target/sparksweep.jar and spark-defaults-cpu.conf
#   --properties FILE   another spark-defaults file
#   --spark-conf K=V    one more Spark property (repeatable)
#   --deploy-mode MODE  client (default: the driver, which writes the results, runs here) or cluster
#   --print             print the spark-submit command instead of running it
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; }

master="" gpu=0 properties="" deploy="client" print=0
confs=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --help|-h) usage; exit 0 ;;
    --master) master="${2:?--master needs a URL}"; shift 2 ;;
    --gpu) gpu=1; shift ;;
    --properties) properties="${2:?--properties needs a file}"; shift 2 ;;
    --spark-conf) confs+=(--conf "${2:?--spark-conf needs K=V}"); shift 2 ;;
    --deploy-mode) deploy="${2:?--deploy-mode needs client or cluster}"; shift 2 ;;
    --print) print=1; shift ;;
    --) shift; break ;;
    *) echo "submit.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ -n "$master" ]] || { echo "submit.sh: --master is required (see --help)" >&2; exit 2; }
[[ $# -gt 0 ]] || { echo "submit.sh: give a SparkSweep command after --, e.g. -- run conf/sweeps/quick.yaml" >&2; exit 2; }
if [[ -z "$properties" ]]; then
  properties="$root/conf/spark-defaults-$([[ $gpu -eq 1 ]] && echo gpu || echo cpu).conf"
fi
[[ -f "$properties" ]] || { echo "submit.sh: properties file $properties not found" >&2; exit 2; }

if [[ $gpu -eq 1 ]]; then
  jar="$root/target/cuda/sparksweep.jar" build="mvn -B -Pcuda -DskipTests package"
else
  jar="$root/target/sparksweep.jar" build="mvn -B -DskipTests package"
fi
if [[ ! -f "$jar" && $print -eq 0 ]]; then
  echo "submit.sh: $jar is missing: build it with '$build' in $root" >&2
  exit 1
fi
submit="${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit"
if [[ $print -eq 0 ]] && ! command -v "$submit" >/dev/null 2>&1; then
  echo "submit.sh: spark-submit not found: install Spark 4.1 and set SPARK_HOME, or put spark-submit on the PATH" >&2
  exit 1
fi

command=("$submit" --master "$master" --deploy-mode "$deploy" --class io.sparksweep.cli.Main
  --properties-file "$properties" ${confs[@]+"${confs[@]}"}
  --driver-java-options "-Dlog4j2.configurationFile=$root/conf/log4j2.properties"
  "$jar" "$@")
if [[ $print -eq 1 ]]; then
  printf '%q ' "${command[@]}"; echo
else
  exec "${command[@]}"
fi
