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
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GPU scheduling through Spark's own resource handling, on a machine without GPUs: a standalone worker announces
 * GPUs "0" and "1" through a discovery script that prints test addresses, tasks ask for
 * {@code spark.task.resource.gpu.amount}, and every trial records the address Spark gave its task while the CPU
 * backend trains.
 */
@Tag("cluster")
class GpuSchedulingTest {
    @TempDir
    static Path tmp;
    static StandaloneCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        Path script = tmp.resolve("test-gpus.sh");
        Files.writeString(script, "#!/usr/bin/env bash\necho '{\"name\": \"gpu\", \"addresses\": [\"0\", \"1\"]}'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        cluster = StandaloneCluster.start(tmp.resolve("cluster"), 1, 2, "3g", Map.of(
                "spark.worker.resource.gpu.amount", "2",
                "spark.worker.resource.gpu.discoveryScript", script.toString()));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    static List<Row> runSweep(String name, String taskGpuAmount) throws Exception {
        Path sweep = SweepFiles.tenSlowTrials(tmp, name); // trials long enough to overlap
        Path out = tmp.resolve(name);
        List<String> options = new ArrayList<>(StandaloneClusterTest.driverOptions());
        options.addAll(List.of("-Dspark.executor.cores=2", "-Dspark.executor.resource.gpu.amount=2",
                "-Dspark.task.resource.gpu.amount=" + taskGpuAmount));
        try (ChildJvm driver = ChildJvm.sparksweep(SweepFiles.runArgs(sweep, out, cluster.masterUrl()), options,
                tmp.resolve(name + ".log"))) {
            assertEquals(0, driver.await(400), driver.output());
        }
        SparkSession spark = TestSessions.local(1).getOrCreate();
        try {
            return TestSessions.table(spark, out.resolve("trials"))
                    .selectExpr("gpu_address", "executor_id", "started_at", "finished_at", "status", "device")
                    .collectAsList();
        } finally {
            spark.stop();
        }
    }

    static boolean overlap(Row a, Row b) {
        Timestamp aStart = a.getTimestamp(2);
        Timestamp aEnd = a.getTimestamp(3);
        return aStart.before(b.getTimestamp(3)) && b.getTimestamp(2).before(aEnd);
    }

    @Test
    void eachTrialRecordsItsGpuAndConcurrentTrialsNeverShareOne() throws Exception {
        List<Row> rows = runSweep("one-gpu-per-task", "1");
        assertEquals(10, rows.size());
        int overlapping = 0;
        for (Row r : rows) {
            assertTrue(Set.of("0", "1").contains(r.getString(0)), "address " + r.getString(0));
            assertEquals("COMPLETED", r.getString(4));
            assertEquals("cpu", r.getString(5)); // the CPU backend trained it
        }
        for (int i = 0; i < rows.size(); i++) {
            for (int j = i + 1; j < rows.size(); j++) {
                if (rows.get(i).getString(1).equals(rows.get(j).getString(1)) && overlap(rows.get(i), rows.get(j))) {
                    overlapping++;
                    assertNotEquals(rows.get(i).getString(0), rows.get(j).getString(0), "two running trials on one GPU");
                }
            }
        }
        assertTrue(overlapping > 0, "no trials ran at the same time, so nothing was checked");
    }

    @Test
    void aFractionalAmountLetsTrialsShareAGpu() throws Exception {
        List<Row> rows = runSweep("half-gpu-per-task", "0.5");
        assertEquals(10, rows.size());
        boolean shared = false;
        for (int i = 0; i < rows.size(); i++) {
            assertTrue(Set.of("0", "1").contains(rows.get(i).getString(0)), "address " + rows.get(i).getString(0));
            for (int j = i + 1; j < rows.size(); j++) {
                shared |= overlap(rows.get(i), rows.get(j)) && rows.get(i).getString(0).equals(rows.get(j).getString(0));
            }
        }
        assertTrue(shared, "with 0.5 GPU per task, two running trials should have shared a GPU");
    }
}
