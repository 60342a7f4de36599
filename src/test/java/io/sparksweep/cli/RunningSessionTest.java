package io.sparksweep.cli;

import io.sparksweep.TestData;
import io.sparksweep.TestSessions;
import io.sparksweep.spark.SparkSessions;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code run} inside a program that already has a Spark session (a notebook, a test): the sweep runs on that
 * session, with every command-line setting reaching its trials, and leaves the session running; asking for
 * another master is refused before anything is written.
 */
class RunningSessionTest {
    static final String SWEEP = """
            name: in-session
            dataset: {name: fashion-mnist, train_limit: 500, test_limit: 200}
            parameters: {model: mlp, hidden_layers: [[8]], learning_rate: 0.05, batch_size: 50, epochs: 1}
            """;

    @TempDir
    Path tmp;

    @Test
    void aSweepRunsOnTheSessionAlreadyRunningWithItsSettingsAndRefusesAnotherMaster() throws Exception {
        Path file = Files.writeString(tmp.resolve("sweep.yaml"), SWEEP);
        SparkSession spark = TestSessions.local(1).appName("the user's session")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            Path refused = tmp.resolve("refused");
            CliRunner.Outcome other = CliRunner.run("run", file.toString(), "--master", "local[2]", "--no-ui",
                    "--output", refused.toString(), "--data-dir", TestData.FASHION_DIR.toString(), "--no-download");
            assertEquals(2, other.exitCode(), other.err());
            assertEquals("error: --master local[2]: this JVM already has a Spark session, on local[1], and a sweep "
                    + "started from it runs there; leave out --master or stop that session first", other.err().strip());
            assertFalse(Files.exists(refused), "nothing is written");

            Path out = tmp.resolve("out");
            CliRunner.Outcome run = CliRunner.run("run", file.toString(), "--no-ui", "--output", out.toString(),
                    "--data-dir", TestData.FASHION_DIR.toString(), "--no-download", "--train-loop", "dl4j");
            assertEquals(0, run.exitCode(), run.err());
            // --train-loop reached the trial although the session's configuration was fixed before the command ran
            List<Row> rows = TestSessions.table(spark, out.resolve("trials"))
                    .selectExpr("train_loop", "status").collectAsList();
            assertEquals(1, rows.size());
            assertEquals("dl4j", rows.get(0).getString(0));
            assertEquals("COMPLETED", rows.get(0).getString(1));
            assertEquals("local[1]", TestSessions.table(spark, out.resolve("sweeps")).selectExpr("master")
                    .first().getString(0));
            assertTrue(!spark.sparkContext().isStopped(), "the user's session keeps running");
            assertEquals("the user's session", spark.sparkContext().appName());
        } finally {
            spark.stop();
        }
    }

    @Test
    void aSessionStartedWithoutDeltaLakeIsToldHowToStartOneBeforeAnythingIsWritten() throws Exception {
        Path file = Files.writeString(tmp.resolve("sweep.yaml"), SWEEP);
        SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                .config(TestSessions.WAREHOUSE, SparkSessions.emptyWarehouse()).getOrCreate();
        try {
            Path out = tmp.resolve("out");
            CliRunner.Outcome run = CliRunner.run("run", file.toString(), "--no-ui", "--output", out.toString(),
                    "--data-dir", TestData.FASHION_DIR.toString(), "--no-download");
            assertEquals(2, run.exitCode(), run.err());
            assertEquals(1, run.err().strip().lines().count(), run.err());
            assertTrue(run.err().startsWith("error: the result tables are Delta tables, and this Spark session was "
                    + "started without Delta Lake: start it with spark.sql.extensions=io.delta.sql."
                    + "DeltaSparkSessionExtension and spark.sql.catalog.spark_catalog="), run.err());
            for (String table : List.of("trials", "sweeps", "_runs")) {
                assertFalse(Files.exists(out.resolve(table)), table + " was written");
            }
        } finally {
            spark.stop();
        }
    }
}
