package io.sparksweep.results;

import io.sparksweep.BadInputException;
import io.sparksweep.train.TrialResult;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Writes results as Parquet under the output directory, one folder per {@link ResultTable}. Each trial is
 * written as soon as it finishes, one file per table named after the sweep and the trial: Spark writes it into a
 * staging folder that readers never look at, then it is renamed into place. So a reader sees a trial's file
 * whole or not at all, rewriting a trial replaces its file instead of duplicating its rows, and the {@code trials}
 * row, written last, marks a trial whose other rows are all in place. Works on any Hadoop file system.
 */
public final class ResultStore {
    private static final String STAGING = "_staging";

    private final SparkSession spark;
    private final Path root;
    private final FileSystem fs;

    public ResultStore(SparkSession spark, String outputDir) {
        this.spark = spark;
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        this.root = new Path(outputDir);
        try {
            this.fs = root.getFileSystem(conf);
        } catch (IOException e) {
            throw new BadInputException("output " + outputDir + ": " + e.getMessage(), e);
        }
    }

    public String root() {
        return root.toString();
    }

    /** Writes every table's rows of one finished trial; the {@code trials} row last. */
    public void writeTrial(SweepRun run, TrialResult result) {
        String file = "part-" + run.sweepId() + "-" + result.trialId() + ".parquet";
        write(ResultTable.EPOCHS, ResultRows.epochs(run, result), file);
        write(ResultTable.CLASS_METRICS, ResultRows.classMetrics(run, result), file);
        write(ResultTable.CONFUSION, ResultRows.confusion(run, result), file);
        write(ResultTable.TRIALS, List.of(ResultRows.trial(run, result)), file);
    }

    /** Writes (or, when it finishes, replaces) the {@code sweeps} row of a run. */
    public void writeSweep(SweepRun run, int trialsPlanned, Instant finishedAt, String versions) {
        write(ResultTable.SWEEPS, List.of(ResultRows.sweep(run, trialsPlanned, finishedAt, versions)),
                "part-" + run.sweepId() + "-" + run.runId() + ".parquet");
    }

    private void write(ResultTable table, List<Row> rows, String fileName) {
        if (rows.isEmpty()) {
            return;
        }
        Path staging = new Path(new Path(root, STAGING), UUID.randomUUID().toString());
        try {
            Dataset<Row> frame = spark.createDataFrame(rows, table.schema());
            frame.coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(staging.toString());
            FileStatus[] parts = fs.globStatus(new Path(staging, "part-*.parquet"));
            if (parts == null || parts.length != 1) {
                throw new IOException("expected one Parquet file in " + staging + ", found "
                        + (parts == null ? 0 : parts.length));
            }
            Path tableDir = new Path(root, table.tableName());
            fs.mkdirs(tableDir);
            Path target = new Path(tableDir, fileName);
            if (fs.exists(target)) {
                fs.delete(target, false);
            }
            if (!fs.rename(parts[0].getPath(), target)) {
                throw new IOException("could not move " + parts[0].getPath() + " to " + target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + table.tableName() + " to " + root + ": " + e.getMessage(), e);
        } finally {
            try {
                fs.delete(staging, true);
            } catch (IOException ignored) {
                // a leftover staging folder is invisible to readers
            }
        }
    }
}
