package io.sparksweep.cluster;

import io.sparksweep.TestSessions;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A TPE sweep's driver, a separate JVM, is SIGKILLed mid-sweep and resumed: every trial ends up in the tables
 * exactly once, and the resumed search proposes exactly what an uninterrupted one does (the stored rows are the
 * sampler's history; one slot, so the completion order is the same).
 */
@Tag("cluster")
class TpeKillTest {
    @TempDir
    Path tmp;

    @Test
    void aKilledTpeSweepResumesWithTheSameHistoryAndEveryTrialOnce() throws Exception {
        Path sweep = Files.writeString(tmp.resolve("tpe.yaml"), """
                name: tpe-killed
                method: tpe
                trials: 8
                sampler_seed: 4
                tpe: {startup_trials: 3}
                dataset: {name: fashion-mnist, train_limit: 30000, test_limit: 500}
                parameters:
                  model: cnn
                  hidden_layers: [[16]]
                  conv_channels: [[8, 12]]
                  kernel_size: [3, 5]
                  learning_rate: {log_uniform: [0.003, 0.3]}
                  optimizer: sgd
                  batch_size: 32
                  epochs: 2
                """);
        Path whole = tmp.resolve("whole");
        try (ChildJvm driver = ChildJvm.sparksweep(args(sweep, whole), List.of(), tmp.resolve("whole.log"))) {
            assertEquals(0, driver.await(300), driver.output());
        }
        Path killed = tmp.resolve("killed");
        try (ChildJvm driver = ChildJvm.sparksweep(args(sweep, killed), List.of(), tmp.resolve("run1.log"))) {
            // killed once some trials are durable and the 7th has started: the 8th is then still to train (trials
            // that finish during a group commit are committed together, so durable counts jump)
            SweepFiles.awaitDurable(killed, 1, driver, 180);
            long deadline = System.nanoTime() + 180_000_000_000L;
            while (driver.output().split("\nstarted ", -1).length <= 7 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            driver.kill();
        }
        long stored = SweepFiles.durableTrials(killed);
        assertTrue(stored >= 1 && stored < 8, "durable after the kill: " + stored);
        try (ChildJvm driver = ChildJvm.sparksweep(args(sweep, killed), List.of(), tmp.resolve("run2.log"))) {
            assertEquals(0, driver.await(300), driver.output());
            assertTrue(driver.output().contains("resuming: " + stored + " trials of this sweep are stored"),
                    driver.output());
            assertTrue(driver.output().contains("finished " + (8 - stored) + " trials, 0 did not complete"),
                    driver.output());
        }

        SparkSession spark = TestSessions.local(1).getOrCreate();
        try {
            List<Row> counts = TestSessions.table(spark, killed.resolve("trials"))
                    .selectExpr("count(*)", "count(DISTINCT trial_id)").collectAsList();
            assertEquals(8L, counts.get(0).getLong(0));
            assertEquals(8L, counts.get(0).getLong(1));
            assertEquals(16L, TestSessions.table(spark, killed.resolve("epochs")).count());
            assertEquals(proposals(spark, whole), proposals(spark, killed));
        } finally {
            spark.stop();
        }
    }

    private static List<String> args(Path sweep, Path out) {
        List<String> args = SweepFiles.runArgs(sweep, out, "local[2]");
        args.addAll(List.of("--slots", "1"));
        return args;
    }

    /** The trials in the order they started, with the learning rate TPE proposed. */
    private static List<String> proposals(SparkSession spark, Path out) {
        return TestSessions.table(spark, out.resolve("trials")).orderBy("started_at")
                .selectExpr("concat(trial_id, ' ', cast(kernel_size AS STRING), ' ', learning_rate)").collectAsList().stream()
                .map(r -> r.getString(0)).toList();
    }
}
