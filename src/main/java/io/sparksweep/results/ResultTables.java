package io.sparksweep.results;

import io.sparksweep.BadInputException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the result tables back with Spark and registers them as SQL views named after the tables. */
public final class ResultTables {
    /** The view of configurations (trials that differ only in their seed), read through {@code trials}. */
    public static final String CONFIGS = ConfigsView.NAME;

    private ResultTables() {
    }

    /**
     * The table as a DataFrame (its Delta table's latest version); an empty one with the right schema when nothing
     * has been written yet.
     *
     * @throws BadInputException for a table in the layout before Delta tables, with the command that converts it
     */
    public static Dataset<Row> read(SparkSession spark, String outputDir, ResultTable table) {
        Path root = new Path(outputDir);
        try {
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            DeltaTables.requireDelta(fs, root, table);
            Path dir = new Path(root, table.tableName());
            if (fs.exists(new Path(dir, "_delta_log"))) {
                DeltaTables.allowReads(spark);
                return spark.read().format("delta").load(dir.toString()).select(columns(table));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return spark.createDataFrame(List.<Row>of(), table.schema());
    }

    /** The table's columns in their declared order (a Delta table keeps its partition column where it was). */
    private static Column[] columns(ResultTable table) {
        return Arrays.stream(table.schema().fieldNames()).map(functions::col).toArray(Column[]::new);
    }

    /**
     * Registers every table as a temporary view: {@code SELECT ... FROM trials JOIN epochs USING (trial_id)}. The
     * per-trial tables show only rows of trials whose {@code trials} row is written (it is written last), so a
     * trial interrupted between its files is invisible until it is run again. A {@code configs} view puts the
     * trials that differ only in their seed together (see {@link ConfigsView}).
     */
    public static void registerViews(SparkSession spark, String outputDir) {
        registerViews(spark, outputDir, null);
    }

    /** The same, limited to one sweep's rows in every view when {@code sweepName} is not null. */
    public static void registerViews(SparkSession spark, String outputDir, String sweepName) {
        registerViews(spark, outputDir, sweepName, Set.copyOf(viewNames()));
    }

    /**
     * The same for the views in {@code views} only (and {@code trials}, which the others are read through): each
     * table's view reads its Delta log when it is registered, so a query names what it pays for.
     */
    public static void registerViews(SparkSession spark, String outputDir, String sweepName, Set<String> views) {
        Dataset<Row> trials = read(spark, outputDir, ResultTable.TRIALS);
        if (sweepName != null) {
            trials = trials.where(functions.col("sweep_name").equalTo(sweepName));
        }
        Dataset<Row> keys = trials.select("sweep_id", "trial_id");
        Seq<String> on = CollectionConverters.asScala(List.of("sweep_id", "trial_id")).toList();
        for (ResultTable table : ResultTable.values()) {
            if (table != ResultTable.TRIALS && !views.contains(table.tableName())) {
                continue;
            }
            Dataset<Row> frame = switch (table) {
                case TRIALS -> trials;
                case SWEEPS -> sweepName == null ? read(spark, outputDir, table)
                        : read(spark, outputDir, table).where(functions.col("name").equalTo(sweepName));
                case IMPORTANCE -> sweepName == null ? read(spark, outputDir, table)
                        : read(spark, outputDir, table).where(functions.col("sweep_name").equalTo(sweepName));
                default -> read(spark, outputDir, table).join(keys, on, "left_semi");
            };
            frame.createOrReplaceTempView(table.tableName());
        }
        if (views.contains(ConfigsView.NAME)) {
            ConfigsView.register(spark);
        }
    }

    /** What SQL over the results may name: the tables, then the views derived from them. */
    public static List<String> viewNames() {
        List<String> names = new ArrayList<>();
        for (ResultTable table : ResultTable.values()) {
            names.add(table.tableName());
        }
        names.add(ConfigsView.NAME);
        return names;
    }

    /** The derived views and their columns, e.g. {@code configs -> [sweep_id, ...]}. */
    public static Map<String, List<String>> derivedViews() {
        return Map.of(ConfigsView.NAME, ConfigsView.columns());
    }

    /** @throws BadInputException naming the sweeps there when none is called {@code sweepName} */
    public static void requireSweep(SparkSession spark, String outputDir, String sweepName) {
        List<String> names = read(spark, outputDir, ResultTable.SWEEPS).select("name").distinct().orderBy("name")
                .as(Encoders.STRING()).collectAsList();
        if (!names.contains(sweepName)) {
            throw new BadInputException("no sweep named " + sweepName + " in " + outputDir + "; sweeps there: "
                    + (names.isEmpty() ? "none" : String.join(", ", names)));
        }
    }

    /** True when the directory holds at least one result table. */
    public static boolean looksLikeOutput(File dir) {
        for (ResultTable table : ResultTable.values()) {
            if (new File(dir, table.tableName()).isDirectory()) {
                return true;
            }
        }
        return false;
    }
}
