package io.sparksweep.cluster;

import io.sparksweep.TestSessions;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sweeps on a real standalone cluster (a master and two workers, each its own JVM on 127.0.0.1; executors in
 * JVMs the workers launch), with an executor killed mid-sweep and a driver killed and resumed.
 */
@Tag("cluster")
class StandaloneClusterTest {
    @TempDir
    static Path tmp;
    static StandaloneCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = StandaloneCluster.start(tmp.resolve("cluster"), 2, 1, "2g");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    /** Driver JVM options: executors get our classes (same machine, same paths) and stay on loopback. */
    static List<String> driverOptions() {
        return List.of("-Dspark.executor.extraClassPath=" + ChildJvm.testClasspath(),
                "-Dspark.executor.memory=1500m", "-Dspark.driver.host=127.0.0.1",
                "-Dspark.driver.bindAddress=127.0.0.1", "-Dspark.ui.enabled=false");
    }

    static List<Row> trials(Path out, String... columns) {
        SparkSession spark = TestSessions.local(1).getOrCreate();
        try {
            return TestSessions.table(spark, out.resolve("trials")).selectExpr(columns).collectAsList();
        } finally {
            spark.stop();
        }
    }

    @Test
    void anExecutorKilledMidSweepIsReplacedAndEveryTrialLandsOnce() throws Exception {
        Path sweep = SweepFiles.tenSlowTrials(tmp, "executor-loss");
        Path out = tmp.resolve("executor-loss");
        try (ChildJvm driver = ChildJvm.sparksweep(SweepFiles.runArgs(sweep, out, cluster.masterUrl()),
                driverOptions(), tmp.resolve("executor-loss.log"))) {
            SweepFiles.awaitDurable(out, 2, driver, 240);
            ProcessHandle victim = cluster.anyExecutor().orElseThrow(() -> new AssertionError("no executor JVM"));
            victim.destroyForcibly();
            assertEquals(0, driver.await(400), driver.output());
            assertTrue(driver.output().contains("finished 10 trials, 0 did not complete"), driver.output());
        }
        List<Row> summary = trials(out, "count(*)", "count(DISTINCT trial_id)", "count(DISTINCT executor_id)",
                "min(status)", "max(status)", "min(host)");
        Row r = summary.get(0);
        assertEquals(10L, r.getLong(0));
        assertEquals(10L, r.getLong(1));
        // two executors at first, then the replacement the worker launched after the kill
        assertTrue(r.getLong(2) >= 2, "executors used: " + r.getLong(2));
        assertEquals("COMPLETED", r.getString(3));
        assertEquals("COMPLETED", r.getString(4));
        assertTrue(!r.getString(5).equals("driver"));
        // each executor JVM decoded the shipped dataset once, however many trials it ran
        for (Row e : trials(out, "executor_id", "max(dataset_decodes) OVER (PARTITION BY executor_id)",
                "count(*) OVER (PARTITION BY executor_id)")) {
            assertEquals(1, e.getInt(1), "decodes on executor " + e.getString(0));
        }
        assertTrue(trials(out, "count(*) AS n").get(0).getLong(0) > trials(out, "count(DISTINCT executor_id)").get(0)
                .getLong(0), "some executor ran several trials");
    }

    @Test
    void aKilledDriverResumesOnTheClusterRunningOnlyTheMissingTrials() throws Exception {
        Path sweep = SweepFiles.tenSlowTrials(tmp, "driver-loss");
        Path out = tmp.resolve("driver-loss");
        List<String> args = SweepFiles.runArgs(sweep, out, cluster.masterUrl());
        try (ChildJvm driver = ChildJvm.sparksweep(args, driverOptions(), tmp.resolve("driver-loss-1.log"))) {
            // killed once the first group commit is durable: on a cluster whose every slot trains, the commits
            // take the next free slot, so the trials that finish meanwhile land together in the next group
            SweepFiles.awaitDurable(out, 1, driver, 240);
            driver.kill();
        }
        long done = SweepFiles.durableTrials(out);
        assertTrue(done >= 1 && done < 10, "durable after the kill: " + done);
        try (ChildJvm driver = ChildJvm.sparksweep(args, driverOptions(), tmp.resolve("driver-loss-2.log"))) {
            assertEquals(0, driver.await(400), driver.output());
            assertTrue(driver.output().contains("resuming: " + done + " of 10 trials are already finished"),
                    driver.output());
            assertTrue(driver.output().contains("finished " + (10 - done) + " trials"), driver.output());
        }
        Row r = trials(out, "count(*)", "count(DISTINCT trial_id)").get(0);
        assertEquals(10L, r.getLong(0));
        assertEquals(10L, r.getLong(1));
    }

    /**
     * The search methods on the cluster: TPE with ASHA under a trials budget (promoted trials continue on whichever
     * executor gets their next stretch, from the checkpoint the driver ships), Hyperband over a grid, and median
     * stopping, whose rule runs inside the executors' tasks. Tagged slow (two and a half minutes on 2 cores): the
     * methods themselves are checked in local mode by {@code SearchMethodsRunTest}, the cluster's scheduling by the
     * other tests here; {@code mvn -Pslow verify} runs it.
     */
    @Test
    @Tag("slow")
    void tpeWithAshaHyperbandAndMedianStoppingRunOnTheCluster() throws Exception {
        String data = "dataset: {name: fashion-mnist, train_limit: 1000, test_limit: 300}\n";
        Path tpe = Files.writeString(tmp.resolve("tpe-asha.yaml"), "name: tpe-asha\nmethod: tpe\n"
                + "tpe: {startup_trials: 3}\nbudget: {trials: 6}\nscheduler: {asha: {min_epochs: 1, max_epochs: 4, "
                + "eta: 2}}\n" + data + "parameters: {hidden_layers: {int_uniform: [8, 48]}, learning_rate: "
                + "{log_uniform: [0.00001, 0.3]}, optimizer: sgd}\n");
        String grid = "parameters: {learning_rate: [0.3, 0.1, 0.00001, 0.00002], optimizer: sgd}\n";
        Path hyperband = Files.writeString(tmp.resolve("hb.yaml"), "name: hb\n"
                + "scheduler: {hyperband: {min_epochs: 1, max_epochs: 4, eta: 3}}\n" + data + grid);
        Path median = Files.writeString(tmp.resolve("median.yaml"), "name: med\n"
                + "scheduler: {median: {grace_epochs: 1, min_trials: 2}}\n" + data
                + grid.replace("optimizer: sgd", "optimizer: sgd, epochs: 3"));
        Path out = tmp.resolve("methods");
        for (Path sweep : List.of(tpe, hyperband, median)) {
            List<String> args = SweepFiles.runArgs(sweep, out, cluster.masterUrl());
            args.addAll(List.of("--slots", "1", "--fail-on-error")); // exit 3 if a trial failed
            try (ChildJvm driver = ChildJvm.sparksweep(args, driverOptions(), tmp.resolve(sweep.getFileName()
                    + ".log"))) {
                assertEquals(0, driver.await(400), driver.output());
            }
        }
        List<Row> rows = trials(out, "sweep_name", "method", "status", "epochs_trained", "learning_rate");
        List<Row> tpeRows = rows.stream().filter(r -> r.getString(0).equals("tpe-asha")).toList();
        assertEquals(6, tpeRows.size(), "the trials budget: " + tpeRows);
        tpeRows.forEach(r -> assertEquals("tpe+asha", r.getString(1)));
        assertTrue(tpeRows.stream().anyMatch(r -> r.getString(2).equals("COMPLETED") && r.getInt(3) == 4),
                "a trial promoted twice and trained to 4 epochs: " + tpeRows);
        List<Row> hbRows = rows.stream().filter(r -> r.getString(0).equals("hb")).toList();
        assertEquals(4, hbRows.size());
        hbRows.forEach(r -> assertEquals("grid+hyperband", r.getString(1)));
        // the grid's order: the two good learning rates complete, then the tiny ones fall below their median
        List<String> medianStatus = rows.stream().filter(r -> r.getString(0).equals("med"))
                .sorted(Comparator.comparingDouble((Row r) -> r.getDouble(4)).reversed())
                .map(r -> r.getString(2) + " " + r.getInt(3)).toList();
        assertEquals(List.of("COMPLETED 3", "COMPLETED 3", "PRUNED 2", "PRUNED 2"), medianStatus);
    }

    /**
     * Five-fold cross-validation on the whole of Fashion-MNIST: each fold is its own Spark task, so the two
     * executors train folds of one trial at the same time. The folds train for seconds each, longer than a task's
     * start-up (data and split on the executor): with folds of a fraction of a second the second executor's first
     * fold may start only as the first one's ends, and the overlap would be luck.
     */
    @Test
    void fiveFoldsOfATrialTrainInParallelOnTheExecutors() throws Exception {
        Path sweep = Files.writeString(tmp.resolve("cv5.yaml"), """
                name: cv5
                dataset: {name: fashion-mnist, validation: {folds: 5}}
                parameters: {hidden_layers: [[512]], optimizer: adam, learning_rate: 0.003, batch_size: 256, epochs: 2}
                """);
        Path out = tmp.resolve("cv5");
        try (ChildJvm driver = ChildJvm.sparksweep(SweepFiles.runArgs(sweep, out, cluster.masterUrl()),
                driverOptions(), tmp.resolve("cv5.log"))) {
            assertEquals(0, driver.await(400), driver.output());
        }
        SparkSession spark = TestSessions.local(1).getOrCreate();
        try {
            List<Row> folds = TestSessions.table(spark, out.resolve("folds"))
                    .select("fold", "executor_id", "started_at", "finished_at", "train_samples", "status")
                    .orderBy("fold").collectAsList();
            assertEquals(5, folds.size());
            folds.forEach(f -> assertEquals(48_000, f.getInt(4), "four fifths of 60,000 images: " + f));
            folds.forEach(f -> assertEquals("COMPLETED", f.getString(5)));
            assertEquals(2, folds.stream().map(f -> f.getString(1)).distinct().count(), "executors: " + folds);
            boolean overlapped = false;
            for (Row a : folds) {
                for (Row b : folds) {
                    overlapped |= !a.getString(1).equals(b.getString(1))
                            && a.getTimestamp(2).before(b.getTimestamp(3)) && b.getTimestamp(2).before(a.getTimestamp(3));
                }
            }
            assertTrue(overlapped, "no two folds trained at the same time on different executors: " + folds);
            Row trial = TestSessions.table(spark, out.resolve("trials"))
                    .selectExpr("count(*)", "first(val_accuracy)", "first(val_accuracy_std)").collectAsList().get(0);
            assertEquals(1L, trial.getLong(0));
            assertTrue(trial.getDouble(1) > 0.75 && trial.getDouble(2) > 0, "mean and spread over folds: " + trial);
        } finally {
            spark.stop();
        }
    }
}
