package io.sparksweep.cli;

import io.sparksweep.TestSessions;
import io.sparksweep.TestData;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One sweep whose trials complete, diverge, run out of memory and time out, run through the CLI; then resumed,
 * extended and checked for exactly-once rows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResumeAndFailuresTest {
    static final String SWEEP = """
            name: failures
            dataset: {name: fashion-mnist, train_limit: 500, test_limit: 200}
            timeout: 4s
            parameters: {model: mlp, optimizer: sgd, batch_size: 32}
            grids:
              - {hidden_layers: [[32]], learning_rate: 0.05, epochs: [1, 2]}  # completes (two rows, one run)
              - {hidden_layers: [[32]], learning_rate: 1.0e12, epochs: 2}     # diverges
              - {hidden_layers: [[65536, 65536]], learning_rate: 0.05, epochs: 1}  # 17 GB of weights: out of memory
              - {hidden_layers: [[512]], learning_rate: 0.01, batch_size: 1, epochs: 5000}  # times out
            """;

    @TempDir
    static Path tmp;
    static Path out;
    static SparkSession spark;

    @BeforeAll
    static void paths() {
        out = tmp.resolve("results");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    static CliRunner.Outcome run(String yaml, String... extra) throws Exception {
        Path file = Files.writeString(tmp.resolve("sweep.yaml"), yaml);
        List<String> args = new ArrayList<>(List.of("run", file.toString(), "--master", "local[2]",
                "--output", out.toString(), "--data-dir", TestData.FASHION_DIR.toString(), "--no-download"));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    static Map<String, Long> statusCounts() {
        if (spark == null) {
            spark = TestSessions.local(2).getOrCreate();
        }
        return TestSessions.table(spark, out.resolve("trials")).groupBy("status").count().collectAsList()
                .stream().collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
    }

    static long rows(String table, String where) {
        return TestSessions.table(spark, out.resolve(table)).where(where).count();
    }

    @Test
    @Order(1)
    void everyKindOfFailureIsARowAndTheSweepGoesOn() throws Exception {
        CliRunner.Outcome first = run(SWEEP, "--fail-on-error");
        assertEquals(RunCommand.TRIALS_FAILED, first.exitCode(), first.err());
        assertTrue(first.out().contains("finished 5 trials, 3 did not complete (1 FAILED, 1 DIVERGED, 1 TIMED_OUT)"),
                first.out());
        assertEquals(Map.of("COMPLETED", 2L, "DIVERGED", 1L, "FAILED", 1L, "TIMED_OUT", 1L), statusCounts());
        List<Row> failed = TestSessions.table(spark, out.resolve("trials"))
                .where("status IN ('FAILED', 'TIMED_OUT')").orderBy("status").select("error").collectAsList();
        assertTrue(failed.get(0).getString(0).startsWith("out of memory: the network (4,347,133,962 parameters)"),
                failed.get(0).getString(0));
        assertTrue(failed.get(1).getString(0).startsWith("exceeded the timeout of 4s"), failed.get(1).getString(0));
        progressLinesAddUp(first.out(), 5, 2);
    }

    /** Not a terminal here: one line per trial started and finished, with counts that add up. */
    static void progressLinesAddUp(String out, int total, int slots) {
        Pattern finished = Pattern.compile(
                "^\\[(\\d+)/(\\d+)\\] (\\S+)\\s+\\S+  .* \\| running (\\d+) \\| failed (\\d+) \\| best .*left ~.*$");
        List<String> lines = out.lines().toList();
        assertEquals(total, lines.stream().filter(l -> l.startsWith("started  ")).count(), out);
        int done = 0;
        int failures = 0;
        int started = 0;
        for (String line : lines) {
            if (line.startsWith("started  ")) {
                started++;
                continue;
            }
            Matcher m = finished.matcher(line);
            if (!m.matches()) {
                continue;
            }
            done++;
            failures += m.group(3).equals("completed") ? 0 : 1;
            assertEquals(done, Integer.parseInt(m.group(1)), line);
            assertEquals(total, Integer.parseInt(m.group(2)), line);
            assertEquals(Math.min(started - done, slots), Integer.parseInt(m.group(4)), line);
            assertEquals(failures, Integer.parseInt(m.group(5)), line);
        }
        assertEquals(total, done, out);
    }

    @Test
    @Order(2)
    void rerunSkipsFinishedTrialsAndRetriesTheRestWithoutDuplicates() throws Exception {
        CliRunner.Outcome again = run(SWEEP);
        assertEquals(Main.OK, again.exitCode(), again.err());
        assertTrue(again.out().contains("resuming: 3 of 5 trials are already finished"), again.out());
        assertTrue(again.out().contains("sweep failures: 2 trials (2 training runs)"), again.out());
        assertEquals(5L, rows("trials", "true"));
        assertEquals(5L, TestSessions.table(spark, out.resolve("trials")).select("trial_id").distinct().count());
        assertEquals(2L, rows("sweeps", "true"));
    }

    @Test
    @Order(3)
    void anEditedSweepRunsOnlyWhatIsNew() throws Exception {
        String edited = SWEEP.replace("learning_rate: 0.05, epochs: [1, 2]}", "learning_rate: [0.05, 0.1], epochs: [1, 2]}");
        CliRunner.Outcome run = run(edited);
        assertEquals(Main.OK, run.exitCode(), run.err());
        assertTrue(run.out().contains("resuming: 3 of 7 trials are already finished"), run.out());
        assertTrue(run.out().contains("sweep failures: 4 trials (3 training runs)"), run.out());
        assertEquals(4L, statusCounts().get("COMPLETED"));
        assertEquals(7L, rows("trials", "true"));
        assertEquals(4L * 10, rows("class_metrics", "true"));
    }

    @Test
    @Order(4)
    void aStoredTrialWithTheSameIdButOtherParametersIsAnError() throws Exception {
        // Rewrite one stored row's config, as if an incompatible version had written it: a Delta transaction
        // over the table's own rows.
        String trials = out.resolve("trials").toString();
        Dataset<Row> stored = spark.read().format("delta").load(trials);
        String first = stored.orderBy("trial_id").first().getAs("trial_id");
        stored.withColumn("config", functions.when(functions.col("trial_id").equalTo(first),
                functions.lit("model=rnn")).otherwise(functions.col("config")))
                .write().format("delta").mode(SaveMode.Overwrite).save(trials);
        CliRunner.Outcome run = run(SWEEP);
        assertEquals(Main.BAD_INPUT, run.exitCode(), run.out());
        assertTrue(run.err().contains("with other parameters (model=rnn, now model=mlp;"), run.err());
    }
}
