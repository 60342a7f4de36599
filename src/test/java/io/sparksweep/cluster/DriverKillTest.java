package io.sparksweep.cluster;

import io.sparksweep.TestSessions;
import io.sparksweep.results.ModelStore;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.asc;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.desc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver, a separate JVM, is SIGKILLed at several moments; each rerun resumes. In the end every trial is in
 * every table exactly once, and the last run trained only what was missing.
 */
@Tag("cluster")
class DriverKillTest {
    @TempDir
    Path tmp;

    @Test
    void killedDriversLoseOnlyTrialsInFlightAndResumeRunsTheRest() throws Exception {
        Path sweep = SweepFiles.tenSlowTrials(tmp, "killed");
        Path out = tmp.resolve("results");
        List<String> args = SweepFiles.runArgs(sweep, out, "local[2]");

        // 1. killed as soon as the first trial is durable
        try (ChildJvm driver = ChildJvm.sparksweep(args, List.of(), tmp.resolve("run1.log"))) {
            SweepFiles.awaitDurable(out, 1, driver, 180);
            driver.kill();
        }
        long afterFirst = SweepFiles.durableTrials(out);
        assertTrue(afterFirst >= 1 && afterFirst < 10, "durable after the first kill: " + afterFirst);

        // 2. resumed, and killed again three trials later
        try (ChildJvm driver = ChildJvm.sparksweep(args, List.of(), tmp.resolve("run2.log"))) {
            SweepFiles.awaitDurable(out, afterFirst + 3, driver, 180);
            driver.kill();
            assertTrue(driver.output().contains("resuming: " + afterFirst + " of 10 trials"), driver.output());
        }

        // 3. resumed, and killed at an arbitrary moment: 400 ms after the next trial starts
        long beforeThird = SweepFiles.durableTrials(out);
        try (ChildJvm driver = ChildJvm.sparksweep(args, List.of(), tmp.resolve("run3.log"))) {
            long deadline = System.nanoTime() + 180_000_000_000L;
            while (!driver.output().contains("\nstarted  ") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(400);
            driver.kill();
        }
        long beforeLast = SweepFiles.durableTrials(out);
        assertTrue(beforeLast >= beforeThird && beforeLast < 10, "durable before the last run: " + beforeLast);

        // 4. the last run completes the sweep, training only the missing trials
        try (ChildJvm driver = ChildJvm.sparksweep(args, List.of(), tmp.resolve("run4.log"))) {
            assertEquals(0, driver.await(300), driver.output());
            assertTrue(driver.output().contains("resuming: " + beforeLast + " of 10 trials are already finished"),
                    driver.output());
            assertTrue(driver.output().contains("finished " + (10 - beforeLast) + " trials, 0 did not complete"),
                    driver.output());
        }

        SparkSession spark = TestSessions.local(1).getOrCreate();
        try {
            // raw folder reads, not the semi-joined views: files of interrupted trials must be gone too
            List<Row> trials = TestSessions.table(spark, out.resolve("trials"))
                    .selectExpr("count(*)", "count(DISTINCT trial_id)", "min(status)", "max(status)").collectAsList();
            assertEquals(10L, trials.get(0).getLong(0));
            assertEquals(10L, trials.get(0).getLong(1));
            assertEquals("COMPLETED", trials.get(0).getString(2));
            assertEquals("COMPLETED", trials.get(0).getString(3));
            assertEquals(20L, TestSessions.table(spark, out.resolve("epochs")).count());
            assertEquals(20L, TestSessions.table(spark, out.resolve("epochs"))
                    .select("trial_id", "epoch").distinct().count());
            assertEquals(100L, TestSessions.table(spark, out.resolve("class_metrics")).count());
            assertEquals(1000L, TestSessions.table(spark, out.resolve("confusion")).count());
            assertEquals(4L, TestSessions.table(spark, out.resolve("sweeps")).count());
            assertTopTwoKept(spark, out);
        } finally {
            spark.stop();
        }
    }

    /**
     * After three kills (one of them at an arbitrary moment, between a model's file, its row and its trial's rows
     * perhaps), the two best trials' models (by the sweep's metric: validation accuracy, as the sweep holds 10% out
     * by default) and nothing else: two rows, two files, each file the one its row hashed.
     */
    private static void assertTopTwoKept(SparkSession spark, Path out) throws Exception {
        List<String> best = TestSessions.table(spark, out.resolve("trials"))
                .orderBy(desc("metric_value"), asc("trial_id")).limit(2).select("trial_id").as(Encoders.STRING())
                .collectAsList();
        List<Row> models = TestSessions.table(spark, out.resolve("models"))
                .select("trial_id", "sha256", "sweep_id").collectAsList();
        assertEquals(Set.copyOf(best), models.stream().map(m -> m.getString(0)).collect(Collectors.toSet()),
                "rows: " + models);
        assertEquals(2, models.size());
        Path folder = out.resolve("model_files").resolve(models.get(0).getString(2));
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(Set.copyOf(best.stream().map(id -> id + ".zip").toList()), files
                    .map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".zip")).collect(Collectors.toSet()),
                    "files");
        }
        for (Row m : models) {
            byte[] bytes = Files.readAllBytes(folder.resolve(m.getString(0) + ".zip"));
            assertEquals(m.getString(1), ModelStore.sha256(bytes));
        }
    }

    @Test
    void aDriverKilledMidCrossValidationResumesWithOnlyTheMissingFolds() throws Exception {
        Path sweep = SweepFiles.fourCrossValidatedTrials(tmp, "cv-killed");
        Path out = tmp.resolve("cv");
        List<String> args = SweepFiles.runArgs(sweep, out, "local[2]");
        try (ChildJvm driver = ChildJvm.sparksweep(args, List.of(), tmp.resolve("cv1.log"))) {
            long deadline = System.nanoTime() + 180_000_000_000L;
            while (SweepFiles.rows(out, "folds") < 2 && driver.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            driver.kill();
        }
        long foldsBefore = SweepFiles.rows(out, "folds");
        assertTrue(foldsBefore >= 2 && SweepFiles.durableTrials(out) < 4,
                foldsBefore + " folds, " + SweepFiles.durableTrials(out) + " trials after the kill");
        SparkSession spark = TestSessions.local(1).getOrCreate();
        try {
            List<Row> kept = TestSessions.table(spark, out.resolve("folds"))
                    .select("trial_id", "fold", "started_at").orderBy("trial_id", "fold").collectAsList();
            try (ChildJvm driver = ChildJvm.sparksweep(args, List.of(), tmp.resolve("cv2.log"))) {
                assertEquals(0, driver.await(300), driver.output());
                assertTrue(driver.output().contains("folds of unfinished trials are stored and are not trained "
                        + "again"), driver.output());
            }
            // raw folder reads: every fold and every trial exactly once
            List<Row> folds = TestSessions.table(spark, out.resolve("folds"))
                    .selectExpr("count(*)", "count(DISTINCT trial_id, fold)", "min(status)", "max(status)")
                    .collectAsList();
            assertEquals(List.of(12L, 12L, "COMPLETED", "COMPLETED"), List.of(folds.get(0).getLong(0),
                    folds.get(0).getLong(1), folds.get(0).getString(2), folds.get(0).getString(3)));
            List<Row> trials = TestSessions.table(spark, out.resolve("trials"))
                    .selectExpr("count(*)", "count(DISTINCT trial_id)", "min(val_accuracy_std)").collectAsList();
            assertEquals(4L, trials.get(0).getLong(0));
            assertEquals(4L, trials.get(0).getLong(1));
            assertTrue(trials.get(0).getDouble(2) >= 0, "each trial's row holds the folds' spread");
            assertEquals(8L, TestSessions.table(spark, out.resolve("epochs")).count());
            assertEquals(40L, TestSessions.table(spark, out.resolve("class_metrics")).count());
            assertEquals(400L, TestSessions.table(spark, out.resolve("confusion")).count());
            // the folds finished before the kill were taken as they were, not trained again
            List<Row> after = TestSessions.table(spark, out.resolve("folds"))
                    .select("trial_id", "fold", "started_at").collectAsList();
            for (Row fold : kept) {
                assertTrue(after.contains(fold), "fold trained again: " + fold);
            }
        } finally {
            spark.stop();
        }
    }

    /**
     * The same sweep started twice into one output: the second is refused at once, naming the first; once the first
     * is killed, the next run takes its claim over without a flag and finishes the sweep, every trial once.
     */
    @Test
    void theSameSweepTwiceAtOnceIsRefusedThenTakenOverWhenTheFirstDies() throws Exception {
        Path sweep = SweepFiles.tenSlowTrials(tmp, "twice");
        Path out = tmp.resolve("twice-out");
        List<String> args = SweepFiles.runArgs(sweep, out, "local[2]");
        try (ChildJvm first = ChildJvm.sparksweep(args, List.of(), tmp.resolve("first.log"))) {
            SweepFiles.awaitDurable(out, 1, first, 180);
            String runId = runId(first.output());
            try (ChildJvm second = ChildJvm.sparksweep(args, List.of(), tmp.resolve("second.log"))) {
                assertEquals(2, second.await(120), second.output());
                List<String> errors = second.output().lines().filter(l -> l.startsWith("error: ")).toList();
                assertEquals(1, errors.size(), second.output());
                assertTrue(errors.get(0).contains("sweep twice is already running into " + out + ": run " + runId
                        + " on ") && errors.get(0).contains("(pid " + first.pid() + ")"), errors.get(0));
            }
            assertTrue(first.isAlive(), "the refused run left the first alone");
            first.kill();
        }
        long durable = SweepFiles.durableTrials(out);
        try (ChildJvm third = ChildJvm.sparksweep(args, List.of(), tmp.resolve("third.log"))) {
            assertEquals(0, third.await(300), third.output());
            assertTrue(third.output().contains("taking over from run "), third.output());
            assertTrue(third.output().contains("finished " + (10 - durable) + " trials, 0 did not complete"),
                    third.output());
        }
        SparkSession spark = TestSessions.local(1).getOrCreate();
        try {
            Row counts = TestSessions.table(spark, out.resolve("trials"))
                    .selectExpr("count(*)", "count(DISTINCT trial_id)").first();
            assertEquals(List.of(10L, 10L), List.of(counts.getLong(0), counts.getLong(1)));
            assertEquals(20L, TestSessions.table(spark, out.resolve("epochs")).count());
        } finally {
            spark.stop();
        }
        assertTrue(Files.notExists(out.resolve("_runs")), "the last run withdrew its claim");
    }

    /** The run id a driver printed in its header line ({@code ..., run 20261206-101500-ab12, results in ...}). */
    private static String runId(String output) {
        Matcher m = Pattern.compile(", run (\\S+), results in ").matcher(output);
        assertTrue(m.find(), output);
        return m.group(1);
    }

    @Test
    void twoSweepsWritingIntoOneOutputAtOnceDoNotDisturbEachOther() throws Exception {
        Path out = tmp.resolve("shared");
        Path a = SweepFiles.tenTrials(tmp, "concurrent-a", 1500);
        Path b = SweepFiles.tenTrials(tmp, "concurrent-b", 1000);
        try (ChildJvm first = ChildJvm.sparksweep(SweepFiles.runArgs(a, out, "local[1]"), List.of(),
                tmp.resolve("a.log"));
                ChildJvm second = ChildJvm.sparksweep(SweepFiles.runArgs(b, out, "local[1]"), List.of(),
                        tmp.resolve("b.log"))) {
            assertEquals(0, first.await(300), first.output());
            assertEquals(0, second.await(300), second.output());
        }
        SparkSession spark = TestSessions.local(1).getOrCreate();
        try {
            List<Row> perSweep = TestSessions.table(spark, out.resolve("trials")).groupBy("sweep_name")
                    .agg(count("*"), countDistinct("trial_id"))
                    .orderBy("sweep_name").collectAsList();
            assertEquals(2, perSweep.size());
            for (Row r : perSweep) {
                assertEquals(10L, r.getLong(1), r.toString());
                assertEquals(10L, r.getLong(2), r.toString());
            }
            assertEquals(40L, TestSessions.table(spark, out.resolve("epochs")).count());
            assertEquals(2L, TestSessions.table(spark, out.resolve("sweeps")).where("finished_at IS NOT NULL")
                    .count());
        } finally {
            spark.stop();
        }
    }
}
