package io.sparksweep.cli;

import io.sparksweep.TestSessions;
import io.sparksweep.TestData;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --gpus} in local mode: concurrent trials get the listed GPUs from a per-JVM pool, one each. */
class LocalGpuPoolTest {
    @TempDir
    Path tmp;

    @Test
    void concurrentLocalTrialsEachHoldTheirOwnGpu() throws Exception {
        Path sweep = Files.writeString(tmp.resolve("gpus.yaml"), """
                name: local-gpus
                dataset: {name: fashion-mnist, train_limit: 2000, test_limit: 500}
                parameters: {hidden_layers: [[16], [32]], learning_rate: [0.01, 0.03, 0.1], optimizer: sgd,
                             batch_size: 32, epochs: 2}
                """);
        Path out = tmp.resolve("out");
        CliRunner.Outcome run = CliRunner.run("run", sweep.toString(), "--master", "local[2]", "--gpus", "3,5",
                "--output", out.toString(), "--data-dir", TestData.FASHION_DIR.toString(), "--no-download");
        assertEquals(Main.OK, run.exitCode(), run.err());
        assertTrue(run.out().contains("2 slot(s)"), run.out());
        SparkSession spark = TestSessions.local(1).getOrCreate();
        List<Row> rows;
        try {
            rows = TestSessions.table(spark, out.resolve("trials"))
                    .selectExpr("gpu_address", "started_at", "finished_at").collectAsList();
        } finally {
            spark.stop();
        }
        assertEquals(6, rows.size());
        int overlapping = 0;
        for (int i = 0; i < rows.size(); i++) {
            assertTrue(List.of("3", "5").contains(rows.get(i).getString(0)), rows.get(i).toString());
            for (int j = i + 1; j < rows.size(); j++) {
                Row a = rows.get(i);
                Row b = rows.get(j);
                if (a.getTimestamp(1).before(b.getTimestamp(2)) && b.getTimestamp(1).before(a.getTimestamp(2))) {
                    overlapping++;
                    assertNotEquals(a.getString(0), b.getString(0), "two running trials on one GPU");
                }
            }
        }
        assertTrue(overlapping > 0, "no trials overlapped, nothing was checked");
    }

    @Test
    void gpusAreForLocalRunsAndMustBeIndices() throws Exception {
        Path sweep = Files.writeString(tmp.resolve("s.yaml"), "name: a\ndataset: fashion-mnist\nparameters: {epochs: 1}\n");
        CliRunner.Outcome cluster = CliRunner.run("run", sweep.toString(), "--master", "spark://127.0.0.1:7077",
                "--gpus", "0", "--output", tmp.resolve("o1").toString());
        assertEquals(Main.BAD_INPUT, cluster.exitCode());
        assertTrue(cluster.err().contains("--gpus is for local runs"), cluster.err());
        CliRunner.Outcome bad = CliRunner.run("run", sweep.toString(), "--gpus", "0,0", "--output",
                tmp.resolve("o2").toString());
        assertEquals(Main.BAD_INPUT, bad.exitCode());
        assertTrue(bad.err().contains("--gpus takes distinct GPU indices"), bad.err());
        assertTrue(!Files.exists(tmp.resolve("o1")) && !Files.exists(tmp.resolve("o2")));
    }
}
