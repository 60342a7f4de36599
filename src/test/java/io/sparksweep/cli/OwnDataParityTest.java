package io.sparksweep.cli;

import io.sparksweep.TestData;
import io.sparksweep.TestSessions;
import io.sparksweep.data.DataPreparer;
import io.sparksweep.data.IdxFiles;
import io.sparksweep.data.ImageTreeWriter;
import io.sparksweep.data.InputShape;
import io.sparksweep.data.RawDataset;
import io.sparksweep.data.TestSplit;
import io.sparksweep.spark.TableWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The user's own data is the same data however it comes: a stratified 6,000 / 1,000 subset of Fashion-MNIST
 * written as a PNG folder tree, as IDX files at a path of its own, as Parquet with a column per pixel, with one
 * array column and with one MLlib vector column trains an MLP and a CNN to the very test accuracy and loss of the built-in source with the
 * same limits (same examples in the same order, same seeds, same arithmetic).
 */
@Tag("sweep")
class OwnDataParityTest {
    private static final int TRAIN = 6000;
    private static final int TEST = 1000;
    private static final List<String> FOLDERS = IntStream.range(0, 10).mapToObj(String::valueOf).toList();
    private static final String PARAMETERS = """
            method: grid
            keep_models: none
            parameters:
              model: [mlp, cnn]
              hidden_layers: [[32]]
              conv_channels: [[4]]
              kernel_size: 5
              padding: 2
              optimizer: adam
              learning_rate: 0.003
              batch_size: 64
              epochs: 1
            """;

    @TempDir
    static Path tmp;
    private static Path data;
    /** One session for the whole test: every run and read goes through it (a session per run costs seconds). */
    private static SparkSession spark;

    /** The subset the built-in source's limits select, written in each of the forms. */
    @BeforeAll
    static void writeSources() throws Exception {
        RawDataset fashion = TestData.fashion();
        RawDataset.Split train = TestSplit.take(fashion.train(), DataPreparer.selected(fashion.train(), 10, TRAIN), 784);
        RawDataset.Split test = TestSplit.take(fashion.test(), DataPreparer.selected(fashion.test(), 10, TEST), 784);
        data = tmp.resolve("data");
        InputShape grey = InputShape.image(1, 28, 28);
        ImageTreeWriter.write(data.resolve("tree/train"), train, grey, FOLDERS);
        ImageTreeWriter.write(data.resolve("tree/test"), test, grey, FOLDERS);
        writeIdx(data.resolve("idx"), "train", train);
        writeIdx(data.resolve("idx"), "test", test);
        spark = TestSessions.local(2).getOrCreate();
        for (TableWriter.Layout layout : TableWriter.Layout.values()) {
            String kind = layout.name().toLowerCase(Locale.ROOT);
            TableWriter.write(spark, data.resolve(kind + "/train").toString(), train, 784, FOLDERS, layout);
            TableWriter.write(spark, data.resolve(kind + "/test").toString(), test, 784, FOLDERS, layout);
        }
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static void writeIdx(Path dir, String name, RawDataset.Split split) throws Exception {
        Files.createDirectories(dir);
        byte[] labels = new byte[split.count()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) split.labels()[i];
        }
        Files.write(dir.resolve(name + "-pixels.gz"), IdxFiles.gzip(IdxFiles.idx(3, new int[] {labels.length, 28, 28},
                split.pixels())));
        Files.write(dir.resolve(name + "-classes"), IdxFiles.idx(1, new int[] {labels.length}, labels));
    }

    @Test
    void everySourceTrainsToTheBuiltInSourcesAccuracyToTheLastDigit() throws Exception {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("builtin", "{name: fashion-mnist, train_limit: " + TRAIN + ", test_limit: " + TEST
                + ", validation: none}");
        sources.put("tree", "{images: {train: " + data.resolve("tree/train") + ", test: " + data.resolve("tree/test")
                + "}, validation: none}");
        sources.put("idx", "{idx: {train_images: " + data.resolve("idx/train-pixels.gz") + ", train_labels: "
                + data.resolve("idx/train-classes") + ", test_images: " + data.resolve("idx/test-pixels.gz")
                + ", test_labels: " + data.resolve("idx/test-classes") + "}, validation: none}");
        for (String kind : List.of("columns", "array", "vector")) {
            sources.put(kind, "{table: {train: " + data.resolve(kind + "/train") + ", test: "
                    + data.resolve(kind + "/test") + ", label: label, image_shape: [1, 28, 28]}, validation: none}");
        }
        Map<String, String> reference = null;
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Map<String, String> results = run(source.getKey(), source.getValue());
            if (reference == null) {
                reference = results;
                assertEquals(2, reference.size(), reference.toString());
            } else {
                assertEquals(reference, results, source.getKey() + " against the built-in source");
            }
        }
    }

    /** The sweep on one source: model to "test_accuracy test_loss train_samples test_samples". */
    private static Map<String, String> run(String name, String dataset) throws Exception {
        Path sweep = tmp.resolve(name + ".yaml");
        Files.writeString(sweep, "name: parity-" + name + "\ndataset: " + dataset + "\n" + PARAMETERS);
        Path output = tmp.resolve("out-" + name);
        CliRunner.Outcome outcome = CliRunner.run("run", sweep.toString(), "--output", output.toString(), "--no-ui",
                "--fail-on-error");
        assertEquals(0, outcome.exitCode(), outcome.err());
        assertTrue(outcome.out().contains("validation: none"), outcome.out());
        Map<String, String> results = new LinkedHashMap<>();
        for (Row r : TestSessions.table(spark, output.resolve("trials")).selectExpr("model", "test_accuracy",
                "test_loss", "train_samples", "test_samples").collectAsList()) {
            results.put(r.getString(0), r.getDouble(1) + " " + r.getDouble(2) + " " + r.getInt(3) + " " + r.getInt(4));
        }
        return results;
    }
}
