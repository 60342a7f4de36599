package io.sparksweep.cluster;

import io.sparksweep.TestData;
import io.sparksweep.TestSessions;
import io.sparksweep.cli.CliRunner;
import io.sparksweep.data.DataPreparer;
import io.sparksweep.data.ImageTreeWriter;
import io.sparksweep.data.InputShape;
import io.sparksweep.data.RawDataset;
import io.sparksweep.data.TestSplit;
import io.sparksweep.data.Tinted;
import io.sparksweep.spark.TableWriter;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sweep whose output is on a real HDFS (a NameNode and a DataNode in their own JVMs): a halving sweep's driver
 * killed after its first promotion and resumed, its checkpoints on HDFS while it pauses and gone when it ends, then
 * {@code query}, {@code report} and {@code export} of the kept model, all reading {@code hdfs://} paths.
 */
@Tag("cluster")
class HdfsSweepTest {
    static final String SWEEP = """
            name: halving-hdfs
            method: halving
            halving: {min_epochs: 1, max_epochs: 4, eta: 2}
            dataset: {name: fashion-mnist, train_limit: 10000, test_limit: 300}
            keep_models: {top: 2}
            parameters:
              model: mlp
              optimizer: sgd
              batch_size: 50
              hidden_layers: [[8], [32]]
              learning_rate: [0.002, 0.02, 0.1, 0.3]
            """;

    @TempDir
    java.nio.file.Path tmp;

    private static List<String> args(java.nio.file.Path sweep, String out) {
        return List.of("run", sweep.toString(), "--master", "local[1]", "--slots", "1", "--no-ui", "--output", out,
                "--data-dir", TestData.FASHION_DIR.toString(), "--no-download");
    }

    @Test
    void killedAndResumedSweepQueriedReportedAndExportedOnHdfs() throws Exception {
        java.nio.file.Path sweep = Files.writeString(tmp.resolve("halving.yaml"), SWEEP);
        try (HdfsCluster hdfs = HdfsCluster.start(tmp.resolve("hdfs")); FileSystem fs = hdfs.fileSystem()) {
            String out = hdfs.uri() + "/sweeps";
            try (ChildJvm driver = ChildJvm.sparksweep(args(sweep, out), List.of(), tmp.resolve("killed.log"))) {
                long deadline = System.nanoTime() + 240_000_000_000L;
                // printed once the first promoted trial's rows are committed (its checkpoint is written before)
                while (!driver.output().contains("\npromoted ") && driver.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(driver.output().contains("\npromoted "), driver.output());
                driver.kill();
            }
            SparkSession spark = TestSessions.local(1).getOrCreate();
            Map<String, Timestamp> promoted = new TreeMap<>();
            spark.read().format("delta").load(out + "/trials").where("status = 'PROMOTED'")
                    .selectExpr("trial_id", "started_at").collectAsList()
                    .forEach(r -> promoted.put(r.getString(0), r.getTimestamp(1)));
            assertFalse(promoted.isEmpty(), "the kill should leave a promoted trial to continue");
            List<String> checkpoints = files(fs, new Path("/sweeps/_checkpoints"));
            for (String id : promoted.keySet()) {
                assertTrue(checkpoints.stream().anyMatch(f -> f.endsWith("/" + id + "-1.ckpt")),
                        id + " has no checkpoint on HDFS: " + checkpoints);
            }

            CliRunner.Outcome resume = CliRunner.run(args(sweep, out).toArray(String[]::new));
            assertEquals(0, resume.exitCode(), resume.err());
            List<Row> trials = spark.read().format("delta").load(out + "/trials")
                    .selectExpr("trial_id", "status", "epochs_trained", "started_at").collectAsList();
            assertEquals(8, trials.size(), trials.toString());
            for (Row r : trials) {
                String status = r.getString(1);
                assertTrue(status.equals("COMPLETED") ? r.getInt(2) == 4 : status.equals("PRUNED"), r.toString());
                if (promoted.containsKey(r.getString(0))) { // went on from its checkpoint, keeping its start
                    assertEquals(promoted.get(r.getString(0)), r.getTimestamp(3), r.toString());
                }
            }
            assertEquals(List.of(), files(fs, new Path("/sweeps/_checkpoints")), "checkpoints of final trials");

            CliRunner.Outcome query = CliRunner.run("query", "--output", out, "--format", "csv",
                    "SELECT count(*) AS n, sum(CASE WHEN status = 'COMPLETED' THEN 1 ELSE 0 END) AS done FROM trials");
            assertEquals(0, query.exitCode(), query.err());
            long completed = trials.stream().filter(r -> r.getString(1).equals("COMPLETED")).count();
            assertTrue(query.out().contains("8," + completed), query.out());

            CliRunner.Outcome report = CliRunner.run("report", "--output", out, "--to", tmp.resolve("report").toString());
            assertEquals(0, report.exitCode(), report.err());
            assertTrue(Files.size(tmp.resolve("report/index.html")) > 0);

            List<Row> models = spark.read().format("delta").load(out + "/models").selectExpr("path", "bytes")
                    .collectAsList();
            assertEquals(2, models.size(), models.toString());
            for (Row model : models) {
                Path file = new Path(model.getString(0));
                assertEquals("hdfs", file.toUri().getScheme(), model.toString());
                assertEquals(model.getLong(1), fs.getFileStatus(file).getLen(), model.toString());
            }
            java.nio.file.Path exported = tmp.resolve("best.zip");
            CliRunner.Outcome export = CliRunner.run("export", "--output", out, "--best", "--sweep", "halving-hdfs",
                    "--to", exported.toString());
            assertEquals(0, export.exitCode(), export.err());
            assertTrue(models.stream().anyMatch(m -> m.getLong(1) == sizeOf(exported)), models.toString());
            spark.stop();
        }
    }

    /**
     * The user's own data on HDFS: a class-per-folder tree of colour PNGs and a Parquet table, read by Spark from
     * {@code hdfs://} paths into sweeps whose results go to HDFS too; the rerun reads the prepared arrays from the
     * output's cache.
     */
    @Test
    void ownImagesAndTableReadFromHdfs() throws Exception {
        RawDataset fashion = TestData.fashion();
        RawDataset.Split train = TestSplit.take(fashion.train(), DataPreparer.selected(fashion.train(), 10, 400), 784);
        RawDataset.Split test = TestSplit.take(fashion.test(), DataPreparer.selected(fashion.test(), 10, 100), 784);
        List<String> folders = IntStream.range(0, 10).mapToObj(c -> "class" + c).toList();
        java.nio.file.Path local = tmp.resolve("own");
        ImageTreeWriter.write(local.resolve("tree/train"), Tinted.of(train, 784), InputShape.image(3, 28, 28),
                folders);
        ImageTreeWriter.write(local.resolve("tree/test"), Tinted.of(test, 784), InputShape.image(3, 28, 28),
                folders);
        try (HdfsCluster hdfs = HdfsCluster.start(tmp.resolve("hdfs")); FileSystem fs = hdfs.fileSystem()) {
            SparkSession spark = TestSessions.local(1).getOrCreate();
            TableWriter.write(spark, hdfs.uri() + "/own/table/train", train, 784, folders, TableWriter.Layout.VECTOR);
            spark.stop();
            fs.copyFromLocalFile(new Path(local.resolve("tree").toUri()), new Path("/own/tree"));
            String data = hdfs.uri() + "/own";
            Map<String, String> sources = Map.of(
                    "images", "{images: {train: " + data + "/tree/train, test: " + data + "/tree/test}}",
                    "table", "{table: {train: " + data + "/table/train, label: label, image_shape: [1, 28, 28]}}");
            for (Map.Entry<String, String> source : sources.entrySet()) {
                java.nio.file.Path sweep = Files.writeString(tmp.resolve(source.getKey() + ".yaml"), "name: own-"
                        + source.getKey() + "\ndataset: " + source.getValue() + "\nparameters: {model: [mlp, cnn], "
                        + "hidden_layers: [[16]], conv_channels: [[4]], kernel_size: 3, padding: 1, epochs: 1}\n");
                String out = hdfs.uri() + "/results-" + source.getKey();
                String[] args = {"run", sweep.toString(), "--master", "local[1]", "--no-ui", "--output", out,
                        "--fail-on-error"};
                CliRunner.Outcome run = CliRunner.run(args);
                assertEquals(0, run.exitCode(), run.err());
                assertTrue(run.out().contains("data: " + source.getKey() + " from " + data), run.out());
                assertTrue(run.out().contains(source.getKey().equals("images") ? ": 3x28x28, 10 classes"
                        : ": 1x28x28, 10 classes"), run.out());
                assertFalse(files(fs, new Path("/results-" + source.getKey() + "/_data")).isEmpty(), "cached");
                CliRunner.Outcome again = CliRunner.run(args);
                assertEquals(0, again.exitCode(), again.err());
                assertTrue(again.out().contains("from the output's cache"), again.out());
                assertTrue(again.out().contains("2 of 2 trials are already finished"), again.out());
            }
        }
    }

    private static long sizeOf(java.nio.file.Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Every file under {@code dir} (none when it does not exist). */
    private static List<String> files(FileSystem fs, Path dir) throws IOException {
        List<String> files = new ArrayList<>();
        if (!fs.exists(dir)) {
            return files;
        }
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
        while (it.hasNext()) {
            files.add(it.next().getPath().toUri().getPath());
        }
        return files;
    }
}
