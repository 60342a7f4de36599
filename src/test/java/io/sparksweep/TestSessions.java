package io.sparksweep;

import io.sparksweep.spark.SparkSessions;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;

/**
 * Spark sessions for tests that read result tables back: local, no UI, with the settings SparkSweep's own sessions
 * get for the result tables ({@link SparkSessions#resultSettings}).
 */
public final class TestSessions {
    public static final String WAREHOUSE = "spark.sql.warehouse.dir";

    private TestSessions() {
    }

    public static SparkSession.Builder local(int cores) {
        return SparkSession.builder()
                .config(SparkSessions.resultSettings(new SparkConf()))
                .master("local[" + cores + "]").config("spark.ui.enabled", "false")
                .config("spark.scheduler.mode", "FAIR").config(WAREHOUSE, SparkSessions.emptyWarehouse());
    }

    /** A result table as it is now (its Delta table's latest version). */
    public static Dataset<Row> table(SparkSession spark, Path table) {
        return spark.read().format("delta").load(table.toString());
    }
}
