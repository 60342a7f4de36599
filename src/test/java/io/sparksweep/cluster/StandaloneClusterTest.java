package io.sparksweep.cluster;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
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
        SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                .getOrCreate();
        try {
            return spark.read().parquet(out.resolve("trials").toString()).selectExpr(columns).collectAsList();
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
            SweepFiles.awaitDurable(out, 3, driver, 240);
            driver.kill();
        }
        long done = SweepFiles.durableTrials(out);
        assertTrue(done >= 3 && done < 10, "durable after the kill: " + done);
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
}
