package io.sparksweep.cli;

import io.sparksweep.TestData;
import io.sparksweep.TestSessions;
import io.sparksweep.data.DataPreparer;
import io.sparksweep.data.ImageTreeWriter;
import io.sparksweep.data.InputShape;
import io.sparksweep.data.RawDataset;
import io.sparksweep.data.TestSplit;
import io.sparksweep.data.Tinted;
import io.sparksweep.spark.TableWriter;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A colour folder tree of the user's, end to end: a 3-channel CNN trained by the direct step, recorded (the
 * {@code sweeps} row, the model card), kept, exported, evaluated on its own data and asked about colour PNGs;
 * then a rerun that reads no image again.
 */
@Tag("sweep")
class OwnDataRunTest {
    private static final List<String> FOLDERS = TestData.fashion().schema().classNames().stream()
            .map(n -> n.replace('/', '-')).toList();

    @TempDir
    Path tmp;

    @Test
    void aColourTreeTrainsAColourCnnWhoseKeptModelPredictsColourImages() throws Exception {
        Path tree = colourTree(1500, 300);
        Path sweep = Files.writeString(tmp.resolve("colour.yaml"), """
                name: colour
                dataset: {images: {train: %s, test: %s}}
                method: grid
                parameters:
                  model: cnn
                  conv_channels: [[8]]
                  kernel_size: 3
                  padding: 1
                  hidden_layers: [[32]]
                  optimizer: adam
                  learning_rate: 0.003
                  batch_size: 32
                  epochs: 2
                """.formatted(tree.resolve("train"), tree.resolve("test")));
        Path out = tmp.resolve("out");
        CliRunner.Outcome run = CliRunner.run("run", sweep.toString(), "--output", out.toString(), "--master",
                "local[2]", "--no-ui", "--fail-on-error");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains(": 3x28x28, 10 classes"), run.out());
        assertTrue(run.out().contains("validation: holdout of 10%"), "the default split: " + run.out());

        CSVRecord trial = rows(out, "SELECT train_loop, test_accuracy, val_accuracy FROM trials").get(0);
        assertEquals("direct", trial.get("train_loop"), "the direct CNN step with three input channels");
        assertTrue(Double.parseDouble(trial.get("test_accuracy")) > 0.6, trial.toString());
        CSVRecord recorded = rows(out, "SELECT data_source, input_shape, array_join(class_names, '|') AS names, "
                + "class_counts FROM sweeps").get(0);
        assertEquals("images", recorded.get("data_source"));
        assertEquals("3x28x28", recorded.get("input_shape"));
        // the classes are the folders, sorted: Ankle boot is class 0 here, not 9 as in Fashion-MNIST's files
        assertEquals(String.join("|", FOLDERS.stream().sorted().toList()), recorded.get("names"));
        assertTrue(recorded.get("class_counts").startsWith("Ankle boot 150/30, Bag 150/30"), recorded.toString());

        Path model = tmp.resolve("best.zip");
        CliRunner.Outcome export = CliRunner.run("export", "--output", out.toString(), "--best", "--sweep", "colour",
                "--to", model.toString());
        assertEquals(0, export.exitCode(), export.err());
        CliRunner.Outcome evaluate = CliRunner.run("evaluate", "--model", model.toString());
        assertEquals(0, evaluate.exitCode(), evaluate.err());
        assertTrue(evaluate.out().contains("(the data the model trained on)")
                && evaluate.out().contains("stored with the model: " + trial.get("test_accuracy") + " (the same)"),
                evaluate.out());

        // a colour image of each of three classes: the model names its class first
        for (String folder : List.of("Trouser", "Bag", "Sandal")) {
            Path image;
            try (Stream<Path> files = Files.list(tree.resolve("test").resolve(folder))) {
                image = files.sorted().findFirst().orElseThrow();
            }
            CliRunner.Outcome predict = CliRunner.run("predict", "--model", model.toString(), "--format", "csv",
                    "--top", "1", image.toString());
            assertEquals(0, predict.exitCode(), predict.err());
            assertTrue(predict.out().contains("," + folder + ","), folder + ": " + predict.out());
        }

        CliRunner.Outcome again = CliRunner.run("run", sweep.toString(), "--output", out.toString(), "--master",
                "local[2]", "--no-ui");
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("from the output's cache"), "no image read again: " + again.out());
        assertTrue(again.out().contains("1 of 1 trials are already finished"), again.out());
    }

    /**
     * A table model, standardized per feature: {@code predict --table} on its test table names the right class for
     * exactly the share of rows its trial's test accuracy says, and {@code evaluate --test} on that table gives the
     * stored numbers: both apply the fitted normalisation from the model's card.
     */
    @Test
    void aTableModelPredictsAndEvaluatesTableRowsAsItsSweepMeasuredThem() throws Exception {
        RawDataset fashion = TestData.fashion();
        RawDataset.Split train = TestSplit.take(fashion.train(), DataPreparer.selected(fashion.train(), 10, 1000),
                784);
        RawDataset.Split test = TestSplit.take(fashion.test(), DataPreparer.selected(fashion.test(), 10, 200), 784);
        String trainTable = tmp.resolve("train.parquet").toString();
        String testTable = tmp.resolve("test.parquet").toString();
        try (SparkSession spark = TestSessions.local(1).getOrCreate()) {
            TableWriter.write(spark, trainTable, train, 784, FOLDERS, TableWriter.Layout.COLUMNS);
            TableWriter.write(spark, testTable, test, 784, FOLDERS, TableWriter.Layout.COLUMNS);
        }
        Path sweep = Files.writeString(tmp.resolve("table.yaml"), """
                name: table
                dataset: {table: {train: %s, test: %s, label: label}, normalize: standardize}
                parameters: {model: mlp, hidden_layers: [[32]], optimizer: adam, learning_rate: 0.003, epochs: 2}
                """.formatted(trainTable, testTable));
        Path out = tmp.resolve("out");
        CliRunner.Outcome run = CliRunner.run("run", sweep.toString(), "--output", out.toString(), "--master",
                "local[2]", "--no-ui", "--fail-on-error");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains(": 784 features, 10 classes"), run.out());
        String accuracy = rows(out, "SELECT test_accuracy FROM trials").get(0).get("test_accuracy");
        Path model = tmp.resolve("table.zip");
        assertEquals(0, CliRunner.run("export", "--output", out.toString(), "--best", "--sweep", "table", "--to",
                model.toString()).exitCode());

        CliRunner.Outcome predict = CliRunner.run("predict", "--model", model.toString(), "--table", testTable,
                "--top", "1", "--format", "csv");
        assertEquals(0, predict.exitCode(), predict.err());
        List<CSVRecord> predicted = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(predict.out())).getRecords();
        assertEquals(test.count(), predicted.size());
        List<String> sorted = FOLDERS.stream().sorted().toList();
        int right = 0;
        for (int i = 0; i < predicted.size(); i++) {
            assertEquals(testTable + "#" + i, predicted.get(i).get("input"));
            right += predicted.get(i).get("class_name").equals(FOLDERS.get(test.labels()[i])) ? 1 : 0;
        }
        assertEquals(Double.parseDouble(accuracy), (double) right / test.count(), 1e-12, "predict --table against "
                + "the trial's test accuracy (classes " + sorted + ")");

        CliRunner.Outcome evaluate = CliRunner.run("evaluate", "--model", model.toString(), "--test", testTable);
        assertEquals(0, evaluate.exitCode(), evaluate.err());
        assertTrue(evaluate.out().contains("test_accuracy " + accuracy + " "), evaluate.out());
    }

    /** A stratified subset of Fashion-MNIST, each class tinted its own colour, as a folder tree of RGB PNGs. */
    private Path colourTree(int train, int test) {
        RawDataset fashion = TestData.fashion();
        RawDataset.Split trainSplit = TestSplit.take(fashion.train(), DataPreparer.selected(fashion.train(), 10,
                train), 784);
        RawDataset.Split testSplit = TestSplit.take(fashion.test(), DataPreparer.selected(fashion.test(), 10, test),
                784);
        Path tree = tmp.resolve("tree");
        InputShape colour = InputShape.image(3, 28, 28);
        ImageTreeWriter.write(tree.resolve("train"), Tinted.of(trainSplit, 784), colour, FOLDERS);
        ImageTreeWriter.write(tree.resolve("test"), Tinted.of(testSplit, 784), colour, FOLDERS);
        return tree;
    }

    private static List<CSVRecord> rows(Path output, String sql) throws Exception {
        CliRunner.Outcome query = CliRunner.run("query", "--output", output.toString(), "--format", "csv", sql);
        assertEquals(0, query.exitCode(), query.err());
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(query.out())).getRecords();
    }
}
