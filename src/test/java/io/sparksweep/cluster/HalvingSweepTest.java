package io.sparksweep.cluster;

import io.sparksweep.TestSessions;
import io.sparksweep.TestData;
import io.sparksweep.cli.CliRunner;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A halving sweep on real data, run once uninterrupted and once with its driver (a separate JVM) killed after the
 * first promotions and then resumed: both end with the same trials promoted and pruned at the same epochs, with
 * the same accuracies (promoted trials continue from their checkpoints exactly).
 */
@Tag("cluster")
class HalvingSweepTest {
    static final String SWEEP = """
            name: halving-small
            method: halving
            halving: {min_epochs: 1, max_epochs: 4, eta: 2}
            dataset: {name: fashion-mnist, train_limit: 20000, test_limit: 300}
            parameters:
              model: mlp
              optimizer: sgd
              batch_size: 50
              hidden_layers: [[8], [32]]
              learning_rate: [0.002, 0.02, 0.1, 0.3]
            """;

    @TempDir
    Path tmp;

    private List<String> args(Path sweep, Path out) {
        return List.of("run", sweep.toString(), "--master", "local[1]", "--slots", "1", "--no-ui", "--output",
                out.toString(), "--data-dir", TestData.FASHION_DIR.toString(), "--no-download");
    }

    @Test
    void promotesAndPrunesByRungAndAnInterruptedSweepResumesToTheSameDecisions() throws Exception {
        Path sweep = Files.writeString(tmp.resolve("halving.yaml"), SWEEP);
        Path whole = tmp.resolve("whole");
        CliRunner.Outcome uninterrupted = CliRunner.run(args(sweep, whole).toArray(String[]::new));
        assertEquals(0, uninterrupted.exitCode(), uninterrupted.err());

        Path resumed = tmp.resolve("resumed");
        try (ChildJvm driver = ChildJvm.sparksweep(args(sweep, resumed), List.of(), tmp.resolve("killed.log"))) {
            long deadline = System.nanoTime() + 180_000_000_000L;
            // the first "promoted" line is printed once the first group commit (that one trial's rows) is durable;
            // the next group takes seconds to commit, so at the kill the trial's PROMOTED row is in the table
            while (!driver.output().contains("\npromoted ") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            driver.kill();
        }
        SparkSession spark = TestSessions.local(1).getOrCreate();
        long promotedAtKill = TestSessions.table(spark, resumed.resolve("trials"))
                .where("status = 'PROMOTED'").count();
        assertTrue(promotedAtKill >= 1, "the kill should leave promoted trials to continue from checkpoints");
        Map<String, Timestamp> startedAtKill = new TreeMap<>();
        TestSessions.table(spark, resumed.resolve("trials")).where("status = 'PROMOTED'")
                .selectExpr("trial_id", "started_at").collectAsList()
                .forEach(r -> startedAtKill.put(r.getString(0), r.getTimestamp(1)));
        String lost = damageCheckpoints(spark, resumed);
        CliRunner.Outcome resume = CliRunner.run(args(sweep, resumed).toArray(String[]::new));
        assertEquals(0, resume.exitCode(), resume.err());

        Map<String, String> a = outcomes(spark, whole);
        Map<String, String> b = outcomes(spark, resumed);
        assertEquals(8, a.size(), a.toString());
        assertEquals(a, b);
        // trials promoted before the kill went on from their checkpoints (keeping their start), the lost one anew
        TestSessions.table(spark, resumed.resolve("trials")).selectExpr("trial_id", "started_at")
                .collectAsList().stream().filter(r -> startedAtKill.containsKey(r.getString(0))).forEach(r -> {
                    Timestamp before = startedAtKill.get(r.getString(0));
                    assertEquals(!r.getString(0).equals(lost), before.equals(r.getTimestamp(1)), r.toString());
                });

        List<Row> rows = TestSessions.table(spark, whole.resolve("trials"))
                .selectExpr("status", "epochs_trained", "rung", "method").collectAsList();
        long pruned = rows.stream().filter(r -> r.getString(0).equals("PRUNED")).count();
        long completed = rows.stream().filter(r -> r.getString(0).equals("COMPLETED")).count();
        assertTrue(pruned >= 1 && completed >= 1 && pruned + completed == 8, rows.toString());
        for (Row r : rows) {
            assertEquals("halving", r.getString(3));
            int trained = r.getInt(1);
            assertTrue(r.getString(0).equals("COMPLETED") ? trained == 4 : trained == 1 || trained == 2, r.toString());
            assertEquals(trained == 4 ? 2 : trained, r.getInt(2), r.toString()); // rungs at 1 and 2 epochs
        }
        long trialEpochs = rows.stream().mapToLong(r -> r.getInt(1)).sum();
        assertEquals(trialEpochs, TestSessions.table(spark, whole.resolve("epochs")).count(),
                "every evaluated epoch is a row, pruned trials' included");
        assertTrue(trialEpochs < 8 * 4, "halving trained " + trialEpochs + " trial-epochs");
        // the report draws every pruned trial's curve (faded) up to the epoch where it stopped
        io.sparksweep.report.ReportData report = io.sparksweep.report.ReportLoader.load(spark, whole.toString(),
                List.of());
        assertEquals(pruned, report.prunedCurves().size());
        for (Row r : TestSessions.table(spark, whole.resolve("trials")).where("status = 'PRUNED'")
                .selectExpr("trial_id", "epochs_trained").collectAsList()) {
            assertEquals(r.getInt(1), report.prunedCurves().get(r.getString(0)).size(), r.toString());
        }
        CliRunner.Outcome html = CliRunner.run("report", "--output", whole.toString(), "--to",
                tmp.resolve("report").toString());
        assertEquals(0, html.exitCode(), html.err());
        assertTrue(Files.size(tmp.resolve("report/learning-curves.png")) > 0);
        try (var left = Files.walk(resumed.resolve("_checkpoints"))) {
            assertEquals(List.of(), left.filter(Files::isRegularFile).toList(), "checkpoints of final trials are deleted");
        }
        spark.stop();
    }

    /**
     * Leaves the checkpoints as a worse interruption would: the first promoted trial's checkpoint lost (it must
     * train again from scratch to its next rung, without a second decision at the rung it passed), a newer
     * unreadable checkpoint beside every promoted trial's (a driver killed between a checkpoint and its row) and
     * one of a finished trial (killed before deleting it). Resume must not read the stale ones. Returns the trial
     * whose checkpoint is lost.
     */
    private static String damageCheckpoints(SparkSession spark, Path out) throws IOException {
        Path dir;
        try (var dirs = Files.list(out.resolve("_checkpoints"))) {
            dir = dirs.findFirst().orElseThrow();
        }
        List<Row> rows = TestSessions.table(spark, out.resolve("trials"))
                .selectExpr("trial_id", "status", "epochs_trained").orderBy("trial_id").collectAsList();
        String lost = null;
        for (Row r : rows) {
            Path current = dir.resolve(r.getString(0) + "-" + r.getInt(2) + ".ckpt");
            if (r.getString(1).equals("PROMOTED")) {
                assertTrue(Files.isRegularFile(current), current + " should be the promoted trial's checkpoint");
                if (lost == null) {
                    Files.delete(current);
                    Files.deleteIfExists(current.resolveSibling("." + current.getFileName() + ".crc"));
                    lost = r.getString(0);
                }
                Files.write(dir.resolve(r.getString(0) + "-" + (r.getInt(2) + 1) + ".ckpt"), new byte[] {0, 0, 0, 9});
            } else {
                Files.write(current, new byte[] {0, 0, 0, 1});
            }
        }
        return lost;
    }

    /** trial id -> status, epochs trained and final test accuracy */
    private static Map<String, String> outcomes(SparkSession spark, Path out) {
        Map<String, String> outcomes = new TreeMap<>();
        for (Row r : TestSessions.table(spark, out.resolve("trials"))
                .selectExpr("trial_id", "status", "epochs_trained", "test_accuracy").collectAsList()) {
            outcomes.put(r.getString(0), r.getString(1) + " after " + r.getInt(2) + " epochs at " + r.getDouble(3));
        }
        return outcomes;
    }
}
