#!/usr/bin/env bash
# Writes example data of your own kind from the installed Fashion-MNIST, for the shipped sweeps
# conf/sweeps/own-images.yaml and conf/sweeps/own-table.yaml:
#
#   example-data/images/{train,test}/<class>/00042.png   a folder per class, colour PNGs (each class tinted)
#   example-data/table/{train,test}.parquet              784 pixel columns p0..p783 and a label column
#
#   jobs/make-example-data.sh                 # into ./example-data (3,000 training and 1,000 test images)
#   jobs/make-example-data.sh DIR --train 6000 --test 1000
#
# Fashion-MNIST comes from Debian's package (apt-get install dataset-fashion-mnist) or --data-dir.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
to="example-data"
if [[ $# -gt 0 && "$1" != -* ]]; then
  to="$1"
  shift
fi
exec "$root/jobs/run-local.sh" example-data --to "$to" "$@"
