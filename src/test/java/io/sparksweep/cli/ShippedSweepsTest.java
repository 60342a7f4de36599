package io.sparksweep.cli;

import io.sparksweep.TestData;
import io.sparksweep.TestSessions;
import io.sparksweep.data.IdxFiles;
import io.sparksweep.grid.GridExpander;
import io.sparksweep.grid.TrialConfig;
import io.sparksweep.grid.TrialGroup;
import io.sparksweep.search.SearchSpace;
import io.sparksweep.spec.SweepFileLoader;
import io.sparksweep.spec.SweepSpec;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sweep files in conf/sweeps: each one parses and plans as documented, and mnist-mlp runs. */
class ShippedSweepsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "quick, 8, 8",
        "shallow-mlp, 30, 12",           // (3 hidden sizes x 3 epoch counts + 784-16-16-10) x 3 seeds
        "batch-size, 9, 8",              // full batch at 300 and 1200 epochs share a run
        "cnn-kernel-size, 8, 8",         // 6 kernel sizes, the wide CNN, the MLP
        "dress-vs-pullover, 2, 1",
        "mnist-mlp, 2, 1",
        "demo-mlp, 6, 6",
        "demo-cnn, 4, 4",
        "mlp-space-grid, 24, 24",
        "mlp-space-halving, 24, 24",     // every grid point, trained rung by rung to 20 epochs at most
        "mlp-space-350, 350, 350",       // the grid simulate replays: 5 x 2 x 7 x 5
        "random-mlp, 12, 12"})
    void shippedSweepPlansTheDocumentedTrials(String name, int trials, int runs) {
        SweepSpec spec = SweepFileLoader.load(Path.of("conf/sweeps", name + ".yaml"));
        assertEquals(name, spec.name());
        List<TrialConfig> planned = GridExpander.expand(spec);
        assertEquals(trials, planned.size());
        assertEquals(runs, TrialGroup.of(planned).size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"tpe-mlp, 50, tpe", "tpe-asha-mlp, 80, tpe+asha"})
    void shippedTpeSweepsProposeOverTheRecordedSpace(String name, int trials, String method) {
        SweepSpec spec = SweepFileLoader.load(Path.of("conf/sweeps", name + ".yaml"));
        assertEquals(method, spec.search().label());
        assertEquals(trials, spec.random().trials());
        // the space of the recorded grid, mlp-space-350: 5 x 2 x 7 x 5 configurations
        assertEquals(350, SearchSpace.of(spec.random().distributions()).size());
    }

    @Test
    void everySweepFileInConfIsCoveredAbove() throws Exception {
        try (var files = Files.list(Path.of("conf/sweeps"))) {
            List<String> names = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yaml"))
                    .map(f -> f.substring(0, f.length() - 5)).sorted().toList();
            assertEquals(List.of("batch-size", "cnn-kernel-size", "demo-cnn", "demo-mlp", "dress-vs-pullover",
                    "mlp-space-350", "mlp-space-grid", "mlp-space-halving", "mnist-mlp", "own-images", "own-table",
                    "quick", "random-mlp", "shallow-mlp", "tpe-asha-mlp", "tpe-mlp"), names);
        }
    }

    @Test
    void mnistSweepRunsOnMnistFormatFiles() {
        Path data = tmp.resolve("data");
        IdxFiles.writeDataset(data.resolve("mnist"), 40, 11);
        Path out = tmp.resolve("out");
        CliRunner.Outcome run = CliRunner.run("run", "conf/sweeps/mnist-mlp.yaml", "--master", "local[1]",
                "--output", out.toString(), "--data-dir", data.toString(), "--no-download");
        assertEquals(Main.OK, run.exitCode(), run.err());
        SparkSession spark = TestSessions.local(1).getOrCreate();
        try {
            List<Row> rows = TestSessions.table(spark, out.resolve("trials"))
                    .selectExpr("dataset", "epochs", "status", "test_accuracy", "train_samples").orderBy("epochs")
                    .collectAsList();
            assertEquals(2, rows.size());
            for (Row r : rows) {
                assertEquals("mnist", r.getString(0));
                assertEquals("COMPLETED", r.getString(2));
                assertEquals(400, r.getInt(4));
            }
            assertTrue(rows.get(1).getDouble(3) > 0.5, "accuracy " + rows.get(1).getDouble(3));
        } finally {
            spark.stop();
        }
    }

    /**
     * The two sweeps of the user's own data, on example data the shipped command writes (smaller, and one epoch):
     * each reads its source, plans its four trials and trains them.
     */
    @Test
    void ownDataSweepsRunOnTheExampleData() throws Exception {
        Path data = tmp.resolve("example-data");
        CliRunner.Outcome written = CliRunner.run("example-data", "--to", data.toString(), "--train", "300", "--test",
                "100", "--data-dir", TestData.FASHION_DIR.toString());
        assertEquals(0, written.exitCode(), written.err());
        for (String name : List.of("own-images", "own-table")) {
            String text = Files.readString(Path.of("conf/sweeps", name + ".yaml"))
                    .replace("example-data/", data + "/").replace("epochs: 3", "epochs: 1");
            Path sweep = Files.writeString(tmp.resolve(name + ".yaml"), text);
            CliRunner.Outcome run = CliRunner.run("run", sweep.toString(), "--output", tmp.resolve("out").toString(),
                    "--master", "local[2]", "--no-ui", "--fail-on-error");
            assertEquals(0, run.exitCode(), name + ": " + run.err());
            assertTrue(run.out().contains("sweep " + name + ": 4 trials"), run.out());
            assertTrue(run.out().contains(name.equals("own-images") ? ": 3x28x28, 10 classes" : ": 1x28x28, 10 classes"),
                    run.out());
        }
    }
}
