package io.sparksweep.results;

import io.sparksweep.BadInputException;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The result tables as Delta tables under the output, one per {@link ResultTable}, partitioned by sweep. Every
 * change is one Delta transaction through Spark's DataFrame writer (so a user's own session needs no Delta
 * extension): rows of new trials are appended, rows that may already be there replace the rows their keys select
 * ({@code replaceWhere}). A reader sees a transaction whole or not at all, and since each sweep's rows live in
 * their own partition, two sweeps writing into one output at once never conflict.
 */
public final class DeltaTables {
    /** Partition column of every table: a sweep's transactions touch only its own files. */
    static final String PARTITION = "sweep_id";
    /**
     * Table properties, set when a table is created. Delta writes a log checkpoint (a Spark job of seconds) every
     * 100 commits instead of every 10. It keeps no column statistics (min, max, nulls) of any column, only row
     * counts: they serve to skip files, a result table's sweep has a handful of files and its partition already
     * selects them, and collecting them for every row written was the largest part of a commit's task CPU.
     */
    private static final Map<String, String> PROPERTIES = Map.of("delta.checkpointInterval", "100",
            "delta.dataSkippingNumIndexedCols", "0");
    private static final int ATTEMPTS = 5;
    public static final String CATALOG = "spark.sql.catalog.spark_catalog";
    public static final String DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";
    public static final String EXTENSIONS = "spark.sql.extensions";
    public static final String DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";

    private final SparkSession spark;
    private final Path root;
    private final FileSystem fs;
    /** Files this process added to each table's sweep partition since it was last compacted, by table/sweep. */
    private final Map<String, Integer> added = new ConcurrentHashMap<>();

    DeltaTables(SparkSession spark, Path root, FileSystem fs) {
        this.spark = spark;
        this.root = root;
        this.fs = fs;
    }

    /**
     * Whether the session was started with Delta's SQL extension (SparkSessions sets it and the catalog; the catalog
     * alone can be set on a running session, the extension cannot).
     */
    static boolean deltaSession(SparkSession spark) {
        return spark.conf().get(EXTENSIONS, "").contains(DELTA_EXTENSION);
    }

    /**
     * Delta refuses to open a table in a session without its catalog, though a path-based read does not use it: a
     * session SparkSweep did not create (a notebook's) may read the result tables all the same.
     */
    static void allowReads(SparkSession spark) {
        if (!deltaSession(spark)) {
            spark.conf().set("spark.databricks.delta.requiredSparkConfsCheck.enabled", "false");
        }
    }

    /**
     * Writes replace rows by a condition (Delta's replaceWhere), which needs Delta's SQL extension in the session.
     *
     * @throws BadInputException for a session SparkSweep did not create and that was started without it
     */
    static void requireWrites(SparkSession spark) {
        if (!deltaSession(spark)) {
            throw new BadInputException("the result tables are Delta tables, and this Spark session was started "
                    + "without Delta Lake: start it with spark.sql.extensions=" + DELTA_EXTENSION
                    + " and " + CATALOG + "=" + DELTA_CATALOG + " (and the io.delta:delta-spark_2.13 jar)");
        }
    }

    String path(ResultTable table) {
        return new Path(root, table.tableName()).toString();
    }

    /** Appends a sweep's rows whose keys are new to the table. */
    void append(ResultTable table, String sweepId, List<Row> rows) {
        if (!rows.isEmpty()) {
            commit(table, writer(spark.createDataFrame(rows, table.schema())).mode("append"));
            added(table, sweepId, 1);
        }
    }

    /**
     * Replaces the sweep's rows that {@code where} selects (null: all of them) with {@code rows} (none: deletes
     * them), in one transaction.
     */
    void replace(ResultTable table, String sweepId, List<Row> rows, String where) {
        if (rows.isEmpty() && !exists(table)) {
            return;
        }
        replace(table, sweepId, spark.createDataFrame(rows, table.schema()), where);
        added(table, sweepId, rows.isEmpty() ? 0 : 1);
    }

    /** The same with rows computed by Spark (e.g. read from the table itself: its version before this commit). */
    void replace(ResultTable table, String sweepId, Dataset<Row> rows, String where) {
        commit(table, writer(rows).mode("overwrite").option("replaceWhere", inSweep(sweepId)
                + (where == null ? "" : " AND " + where)));
    }

    /** Writes all of a table's rows as a new table (one file per sweep). */
    void create(ResultTable table, Dataset<Row> rows) {
        commit(table, rows.repartition(functions.col(PARTITION)).write().format("delta").partitionBy(PARTITION)
                .options(PROPERTIES).mode("overwrite"));
    }

    /**
     * Rewrites the sweep's rows of the table into one file (no data change: readers and concurrent writers of
     * other sweeps are unaffected) when this process has added at least {@code minFiles} files to them since the
     * last compaction: the table's per-sweep file count is what readers pay for.
     */
    void compact(ResultTable table, String sweepId, int minFiles) {
        String key = table + "/" + sweepId;
        if (added.getOrDefault(key, 0) < Math.max(2, minFiles)) {
            return;
        }
        Dataset<Row> rows = spark.read().format("delta").load(path(table)).where(inSweep(sweepId));
        commit(table, writer(rows).mode("overwrite").option("replaceWhere", inSweep(sweepId))
                .option("dataChange", "false"));
        added.put(key, 1);
    }

    private void added(ResultTable table, String sweepId, int files) {
        added.merge(table + "/" + sweepId, files, Integer::sum);
    }

    /** The files of the rows {@code where} selects. */
    int files(ResultTable table, String where) {
        return exists(table) ? (int) spark.read().format("delta").load(path(table)).where(where)
                .select(functions.input_file_name()).distinct().count() : 0;
    }

    boolean exists(ResultTable table) {
        try {
            return fs.exists(new Path(path(table), "_delta_log"));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * A table folder with Parquet files and no Delta log was written by SparkSweep before its tables were Delta
     * tables: never read as an empty table, never written into.
     *
     * @throws BadInputException with the command that converts the output
     */
    static void requireDelta(FileSystem fs, Path root, ResultTable table) {
        Path dir = new Path(root, table.tableName());
        try {
            if (!fs.exists(dir) || fs.exists(new Path(dir, "_delta_log"))) {
                return;
            }
            for (FileStatus f : fs.listStatus(dir)) {
                if (f.getPath().getName().endsWith(".parquet")) {
                    throw new BadInputException("output " + root + " holds result tables in SparkSweep's older "
                            + "layout (Parquet files without a Delta log, e.g. " + dir + "); convert it once with: "
                            + "sparksweep convert --output " + root);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + root + ": " + e.getMessage(), e);
        }
    }

    /** {@code trial_id IN ('a', 'b')} */
    static String in(String column, Collection<String> values) {
        return column + " IN (" + values.stream().map(DeltaTables::quote).collect(Collectors.joining(", ")) + ")";
    }

    static String inSweep(String sweepId) {
        return PARTITION + " = " + quote(sweepId);
    }

    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** One file per commit (rows of one sweep: one partition). */
    private static DataFrameWriter<Row> writer(Dataset<Row> rows) {
        return rows.coalesce(1).write().format("delta").partitionBy(PARTITION).options(PROPERTIES);
    }

    /**
     * Saves, retrying when another writer committed first in a way Delta cannot reconcile by itself: two sweeps
     * creating a table in a new output at the same instant.
     */
    private void commit(ResultTable table, DataFrameWriter<Row> writer) {
        requireWrites(spark);
        for (int attempt = 1; ; attempt++) {
            try {
                writer.save(path(table));
                return;
            } catch (ConcurrentModificationException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            } catch (FSError e) {
                throw ResultStore.writeFailure("writing " + table.tableName() + " to " + root, e);
            }
        }
    }
}
