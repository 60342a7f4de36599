"""Spark SQL over SparkSweep's result tables, into pandas, for the notebooks in this folder.

Each call runs the project's own `query` command (jobs/run-local.sh query --format json): Spark SQL over the
Delta tables, one JSON object per row, read into a pandas DataFrame. Nothing but Python, pandas and a JDK is
needed on the notebook's side. Where PySpark is installed (for example on a cluster's notebook server), set
SPARKSWEEP_PYSPARK=1 to run the same SQL in the notebook's own Spark session instead; that session needs Delta
Lake's jar (e.g. spark.jars.packages=io.delta:delta-spark_2.13:4.1.0).

Settings (environment variables, or the arguments of `sql`):
  SPARKSWEEP_RESULTS  the results directory (default: results/ in the repository)
  SPARKSWEEP_HOME     the repository, for jobs/run-local.sh (default: this folder's parent)
"""
import io
import json
import os
import subprocess
from pathlib import Path

import pandas as pd

HOME = Path(os.environ.get("SPARKSWEEP_HOME", Path(__file__).resolve().parent.parent))
RESULTS = os.environ.get("SPARKSWEEP_RESULTS", str(HOME / "results"))
TABLES = ["trials", "epochs", "class_metrics", "confusion", "sweeps"]


class QueryError(RuntimeError):
    """The query command refused or failed the statement; the message is its one-line error."""


def sql(statement, results=None, sweep=None):
    """Runs one Spark SQL statement over the result tables and returns its rows as a pandas DataFrame."""
    results = results or RESULTS
    if os.environ.get("SPARKSWEEP_PYSPARK") == "1":
        return _pyspark_sql(statement, results, sweep)
    command = [str(HOME / "jobs" / "run-local.sh"), "query", "--output", results, "--format", "json", statement]
    if sweep:
        command[2:2] = ["--sweep", sweep]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
        raise QueryError(errors[-1] if errors else done.stderr.strip()[-2000:])
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return pd.DataFrame(rows)


def _pyspark_sql(statement, results, sweep):
    from pyspark.sql import SparkSession  # only on this path

    spark = SparkSession.builder.getOrCreate()
    trials = spark.read.format("delta").load(f"{results}/trials")
    if sweep:
        trials = trials.where(trials.sweep_name == sweep)
    trials.createOrReplaceTempView("trials")
    keys = trials.select("sweep_id", "trial_id")
    for table in TABLES[1:]:
        frame = spark.read.format("delta").load(f"{results}/{table}")
        if table == "sweeps":
            frame = frame.where(frame.name == sweep) if sweep else frame
        else:
            frame = frame.join(keys, ["sweep_id", "trial_id"], "left_semi")
        frame.createOrReplaceTempView(table)
    return spark.sql(statement).toPandas()
