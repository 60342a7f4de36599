package io.sparksweep.results;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts an output written before the result tables were Delta tables (one plain Parquet file per table per
 * trial) in place: each table's rows are written as a Delta table beside it, then the old folder moves to
 * {@code _old-layout/} and the new one takes its name. Nothing is deleted; a conversion interrupted before the moves
 * leaves the old tables as they were (the half-written ones are replaced on the next attempt).
 */
public final class LayoutConversion {
    static final String CONVERTING = "_converting";
    static final String OLD = "_old-layout";

    private final SparkSession spark;
    private final Path root;
    private final FileSystem fs;

    public LayoutConversion(SparkSession spark, String outputDir) {
        this.spark = spark;
        this.root = new Path(outputDir);
        try {
            this.fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + outputDir + ": " + e.getMessage(), e);
        }
    }

    /** Converts every table still in the old layout; returns them (none: the output was converted already). */
    public List<ResultTable> convert() {
        try {
            List<ResultTable> old = new ArrayList<>();
            for (ResultTable table : ResultTable.values()) {
                Path dir = new Path(root, table.tableName());
                finishMove(table, dir);
                if (fs.exists(dir) && !fs.exists(new Path(dir, "_delta_log"))) {
                    old.add(table);
                }
            }
            for (ResultTable table : old) {
                convert(table);
            }
            fs.delete(new Path(root, CONVERTING), true);
            return old;
        } catch (IOException e) {
            throw new UncheckedIOException("converting " + root + ": " + e.getMessage(), e);
        }
    }

    /** A conversion interrupted between its two moves: the converted table takes its place now. */
    private void finishMove(ResultTable table, Path dir) throws IOException {
        Path converted = new Path(new Path(root, CONVERTING), table.tableName());
        if (!fs.exists(dir) && fs.exists(new Path(new Path(root, OLD), table.tableName()))
                && fs.exists(new Path(converted, "_delta_log")) && !fs.rename(converted, dir)) {
            throw new IOException("could not move " + converted + " to " + dir);
        }
    }

    private void convert(ResultTable table) throws IOException {
        Path dir = new Path(root, table.tableName());
        Path converted = new Path(new Path(root, CONVERTING), table.tableName());
        fs.delete(converted, true);
        Dataset<Row> rows = spark.read().schema(table.schema()).parquet(dir.toString());
        new DeltaTables(spark, converted.getParent(), fs).create(table, rows);
        Path aside = new Path(new Path(root, OLD), table.tableName());
        fs.mkdirs(aside.getParent());
        if (!fs.rename(dir, aside) || !fs.rename(converted, dir)) {
            throw new IOException("could not move " + dir + " aside for its Delta table " + converted);
        }
    }
}
