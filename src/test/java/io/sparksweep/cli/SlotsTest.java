package io.sparksweep.cli;

import io.sparksweep.TestSessions;
import io.sparksweep.TestData;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@code --slots N} trains at most N trials at once, also when Spark has more task slots than N: the job queued
 * ahead for a quick start in a freed slot is only queued when Spark's own slots are all taken (two cores,
 * {@code --slots 1}: one trial at a time).
 */
class SlotsTest {
    @TempDir
    Path tmp;

    @Test
    void oneSlotOnTwoCoresTrainsOneTrialAtATime() throws Exception {
        Path sweep = Files.writeString(tmp.resolve("slots.yaml"), """
                name: slots
                dataset: {name: fashion-mnist, train_limit: 3000, test_limit: 500}
                parameters: {model: mlp, hidden_layers: [[64]], optimizer: sgd, batch_size: 10, epochs: 1,
                             learning_rate: [0.01, 0.02, 0.03, 0.04]}
                """);
        Path out = tmp.resolve("out");
        CliRunner.Outcome run = CliRunner.run("run", sweep.toString(), "--master", "local[2]", "--slots", "1",
                "--no-ui", "--output", out.toString(), "--data-dir", TestData.FASHION_DIR.toString(),
                "--no-download");
        assertEquals(0, run.exitCode(), run.err());

        SparkSession spark = TestSessions.local(1).getOrCreate();
        try {
            List<Row> trials = TestSessions.table(spark, out.resolve("trials"))
                    .select("trial_id", "started_at", "finished_at").collectAsList().stream()
                    .sorted(Comparator.comparing(r -> r.getTimestamp(1))).toList();
            assertEquals(4, trials.size());
            for (int i = 1; i < trials.size(); i++) {
                Timestamp previousEnd = trials.get(i - 1).getTimestamp(2);
                Timestamp start = trials.get(i).getTimestamp(1);
                assertFalse(start.before(previousEnd), trials.get(i).getString(0) + " started at " + start
                        + ", before " + trials.get(i - 1).getString(0) + " ended at " + previousEnd);
            }
        } finally {
            spark.stop();
        }
    }
}
