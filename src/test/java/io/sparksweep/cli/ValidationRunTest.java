package io.sparksweep.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparksweep.TestData;
import io.sparksweep.data.DataPreparer;
import io.sparksweep.data.DatasetKind;
import io.sparksweep.data.DatasetSpec;
import io.sparksweep.data.IdxFiles;
import io.sparksweep.data.Normalization;
import io.sparksweep.data.RawDataset;
import io.sparksweep.data.Validation;
import io.sparksweep.data.Values;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Selection on validation images, on real sweeps. The data is real Fashion-MNIST whose validation images are
 * swapped for images of the next class (labels kept): a network that learns the classes scores badly on them, so
 * the validation ranking is the opposite of the test ranking, and what the sweep chose shows which one it used.
 */
@Tag("sweep")
class ValidationRunTest {
    private static final int TRAIN = 1000;
    private static final int TEST = 500;

    @TempDir
    Path tmp;

    @Test
    void ashaAndTheWinnerAndItsRefitGoByValidationNeverByTheTestSet() throws Exception {
        Path data = invertedValidation(0.2);
        String sweep = """
                name: val-asha
                dataset: {name: fashion-mnist, validation: 0.2}
                method: grid
                scheduler: {asha: {min_epochs: 1, max_epochs: 4, eta: 2}}
                refit: true
                keep_models: all
                parameters:
                  model: mlp
                  hidden_layers: [[32]]
                  optimizer: adam
                  learning_rate: [0.01, 0.003, 0.00001, 0.000003]
                  batch_size: 50
                """;
        String out = run(sweep, data, "a");
        assertTrue(out.contains("leaderboard (by val_accuracy; test_accuracy is the held-out estimate"), out);
        // the search's trials never measure the test set after an epoch: nothing could have decided on it (the
        // refit, which nothing chooses on, has no validation images and does)
        assertEquals("0", rows("a", "SELECT count(*) AS n FROM epochs WHERE test_accuracy IS NOT NULL AND trial_id "
                + "IN (SELECT trial_id FROM trials WHERE refit_of IS NULL)").get(0).get("n"));
        List<CSVRecord> trials = rows("a", "SELECT trial_id, status, epochs_trained, val_accuracy, test_accuracy, "
                + "refit_of, learning_rate FROM trials");
        List<CSVRecord> searched = trials.stream().filter(t -> t.get("refit_of").isEmpty()).toList();
        assertEquals(4, searched.size(), trials.toString());
        searched.forEach(t -> assertTrue(!t.get("test_accuracy").isEmpty(), "a held-out estimate: " + t));

        // ASHA never prunes the best trial at a rung: the best by validation at epoch 1 trained on
        CSVRecord bestAtRung = rows("a", "SELECT trial_id FROM epochs WHERE epoch = 1 ORDER BY val_accuracy DESC "
                + "LIMIT 1").get(0);
        CSVRecord promoted = byId(searched, bestAtRung.get("trial_id"));
        assertTrue(Integer.parseInt(promoted.get("epochs_trained")) > 1, "best at rung 1 was pruned: " + promoted);

        // the winner is the best by validation, and the test set would have chosen another trial
        CSVRecord refit = trials.stream().filter(t -> !t.get("refit_of").isEmpty()).findFirst().orElseThrow();
        CSVRecord winner = byId(searched, refit.get("refit_of"));
        List<CSVRecord> completed = searched.stream().filter(t -> t.get("status").equals("COMPLETED")).toList();
        // (by value: two slow learners can tie on validation images)
        assertEquals(best(completed, "val_accuracy").get("val_accuracy"), winner.get("val_accuracy"));
        assertEquals("COMPLETED", winner.get("status"));
        assertNotEquals(best(searched, "test_accuracy").get("trial_id"), winner.get("trial_id"),
                "the rankings agree, so this sweep cannot show which one chose: " + searched);
        assertEquals(String.valueOf(TRAIN), rows("a", "SELECT train_samples FROM trials WHERE refit_of IS NOT NULL")
                .get(0).get("train_samples"), "the refit trains on every training image");
        assertKeptThroughPromotionsAndPruning(searched, refit, data);
    }

    /**
     * Every trial keeps its network, pruned at a rung or promoted to the end, and the refit its own: each kept file
     * is the network of the trial's last stretch, since it evaluates to the test accuracy of the trial's row.
     */
    private void assertKeptThroughPromotionsAndPruning(List<CSVRecord> searched, CSVRecord refit, Path data)
            throws Exception {
        List<CSVRecord> models = rows("a", "SELECT trial_id, refit_of FROM models");
        assertEquals(searched.stream().map(t -> t.get("trial_id")).collect(Collectors.toSet()),
                models.stream().filter(m -> m.get("refit_of").isEmpty()).map(m -> m.get("trial_id"))
                        .collect(Collectors.toSet()));
        assertEquals(List.of(refit.get("refit_of")), models.stream().filter(m -> !m.get("refit_of").isEmpty())
                .map(m -> m.get("refit_of")).toList(), "the refit keeps its network");
        assertTrue(searched.stream().anyMatch(t -> t.get("status").equals("COMPLETED")
                && Integer.parseInt(t.get("epochs_trained")) == 4), "a trial promoted to the end: " + searched);
        List<CSVRecord> all = new ArrayList<>(searched);
        all.add(refit);
        for (CSVRecord trial : all) {
            Path model = tmp.resolve(trial.get("trial_id") + ".zip");
            CliRunner.Outcome export = CliRunner.run("export", "--output", tmp.resolve("a").toString(), "--trial",
                    trial.get("trial_id"), "--to", model.toString());
            assertEquals(0, export.exitCode(), export.err());
            CliRunner.Outcome eval = CliRunner.run("evaluate", "--model", model.toString(), "--data-dir",
                    data.toString(), "--no-download", "--format", "json");
            assertEquals(0, eval.exitCode(), eval.err());
            assertEquals(Double.parseDouble(trial.get("test_accuracy")), new ObjectMapper().readTree(eval.out()).get("test_accuracy").asDouble(), trial.toString());
        }
        Path best = tmp.resolve("best.zip");
        assertEquals(0, CliRunner.run("export", "--output", tmp.resolve("a").toString(), "--best", "--to",
                best.toString()).exitCode());
        assertTrue(CliRunner.run("evaluate", "--model", best.toString(), "--data-dir", data.toString(),
                "--no-download").out().contains("(the refit of " + refit.get("refit_of") + ")"), "--best is the refit");
    }

    @Test
    void ashaOverFoldsPromotesOnTheFoldsMeanAndEachFoldContinuesItsOwnRun() throws Exception {
        String sweep = """
                name: cv-asha
                dataset: {name: fashion-mnist, train_limit: 1500, test_limit: 300, validation: {folds: 3}}
                scheduler: {asha: {min_epochs: 1, max_epochs: 4, eta: 2}}
                parameters:
                  model: mlp
                  hidden_layers: [[16], [32]]
                  optimizer: adam
                  learning_rate: [0.0001, 0.003]
                  batch_size: 50
                """;
        run(sweep, TestData.FASHION_DIR, "cv");
        List<CSVRecord> trials = rows("cv", "SELECT trial_id, status, epochs_trained, val_accuracy FROM trials");
        assertEquals(4, trials.size());
        assertTrue(trials.stream().anyMatch(t -> t.get("status").equals("COMPLETED") && t.get("epochs_trained")
                .equals("4")), "a trial promoted to the end: " + trials);
        for (CSVRecord t : trials) {
            List<CSVRecord> folds = rows("cv", "SELECT fold, epochs_trained, size(epoch_val_accuracy) AS curve, "
                    + "val_accuracy FROM folds WHERE trial_id = '" + t.get("trial_id") + "' ORDER BY fold");
            assertEquals(3, folds.size(), t.toString());
            for (CSVRecord f : folds) {
                // every fold trained as far as its trial, its curve holding every epoch across the stretches
                assertEquals(t.get("epochs_trained"), f.get("epochs_trained"), f.toString());
                assertEquals(t.get("epochs_trained"), f.get("curve"), f.toString());
            }
            double mean = folds.stream().mapToDouble(f -> Double.parseDouble(f.get("val_accuracy"))).average()
                    .orElseThrow();
            assertEquals(mean, Double.parseDouble(t.get("val_accuracy")), 1e-9, "the trial's value is its folds' mean");
        }
        assertTrue(!Files.exists(tmp.resolve("cv/_checkpoints")) || Files.walk(tmp.resolve("cv/_checkpoints"))
                .noneMatch(Files::isRegularFile), "fold checkpoints of final trials are deleted");
    }

    @Test
    void earlyStoppingWatchesTheValidationImages() throws Exception {
        Path data = invertedValidation(0.2);
        String sweep = """
                name: val-stop
                dataset: {name: fashion-mnist, validation: 0.2}
                early_stopping: {patience: 1, min_delta: 0.0}
                parameters:
                  model: mlp
                  hidden_layers: [[32]]
                  optimizer: adam
                  learning_rate: 0.003
                  batch_size: 50
                  epochs: 8
                """;
        run(sweep, data, "s");
        CSVRecord trial = rows("s", "SELECT status, epochs_trained, best_epoch FROM trials").get(0);
        List<Double> val = rows("s", "SELECT val_accuracy FROM epochs ORDER BY epoch").stream()
                .map(r -> Double.parseDouble(r.get("val_accuracy"))).toList();
        assertEquals("STOPPED_EARLY", trial.get("status"), val.toString());
        int stopped = Integer.parseInt(trial.get("epochs_trained"));
        assertTrue(stopped < 8);
        assertEquals(stopped, val.size());
        // patience 1: the last epoch did not beat the best validation value before it
        double before = val.subList(0, stopped - 1).stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertTrue(val.get(stopped - 1) <= before, val.toString());
    }

    @Test
    void configsOverSeedsTheImportanceTableAndTheReportsCharts() throws Exception {
        String sweep = """
                name: seeds-report
                dataset: {name: fashion-mnist, train_limit: 800, test_limit: 300, validation: 0.25}
                seeds: [1, 2, 3]
                parameters:
                  model: mlp
                  hidden_layers: [[16], [48]]
                  optimizer: [sgd, adam]
                  learning_rate: [0.001, 0.03]
                  batch_size: 50
                  epochs: 1
                """;
        Path file = Files.writeString(tmp.resolve("seeds.yaml"), sweep);
        CliRunner.Outcome run = CliRunner.run("run", file.toString(), "--master", "local[2]", "--no-ui", "--output",
                tmp.resolve("r").toString(), "--data-dir", TestData.FASHION_DIR.toString(), "--no-download");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("val_accuracy_mean") && run.out().contains("ci95"), run.out());
        assertTrue(run.out().contains("parameters that mattered for val_accuracy (random forest over 8 "
                + "configurations)"), run.out());

        // the configs view: 8 configurations of 3 seeds, mean and interval from the trials themselves
        List<CSVRecord> configs = rows("r", "SELECT config_id, n, metric_mean, metric_ci_low, metric_ci_high, "
                + "trial_ids FROM configs");
        assertEquals(8, configs.size());
        for (CSVRecord c : configs) {
            assertEquals("3", c.get("n"));
            List<Double> values = rows("r", "SELECT val_accuracy FROM trials WHERE config_id = '"
                    + c.get("config_id") + "'").stream().map(r -> Double.parseDouble(r.get("val_accuracy"))).toList();
            double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double sd = Math.sqrt(values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / 2);
            double half = 4.302653 * sd / Math.sqrt(3); // t(0.975, 2)
            assertEquals(mean, Double.parseDouble(c.get("metric_mean")), 1e-9);
            assertEquals(mean - half, Double.parseDouble(c.get("metric_ci_low")), 1e-5);
            assertEquals(mean + half, Double.parseDouble(c.get("metric_ci_high")), 1e-5);
        }
        List<CSVRecord> importance = rows("r", "SELECT parameter, importance, rank FROM importance ORDER BY rank");
        assertEquals(List.of("hidden_layers", "learning_rate", "optimizer"),
                importance.stream().map(r -> r.get("parameter")).sorted().toList());
        assertEquals(1.0, importance.stream().mapToDouble(r -> Double.parseDouble(r.get("importance"))).sum(), 1e-9);

        Path dir = tmp.resolve("report");
        CliRunner.Outcome report = CliRunner.run("report", "--output", tmp.resolve("r").toString(), "--to",
                dir.toString());
        assertEquals(0, report.exitCode(), report.err());
        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("Ranked by <b>val_accuracy</b>") && html.contains("Configurations over seeds"),
                html);
        for (String chart : List.of("importance-seeds-report.png", "parallel-coordinates.png")) {
            assertTrue(html.contains("<img src=\"" + chart + "\""), chart + " not referenced");
            BufferedImage image = ImageIO.read(dir.resolve(chart).toFile());
            assertTrue(image != null && image.getWidth() >= 400, chart + " is not a readable image");
            Set<Integer> colours = new HashSet<>();
            for (int x = 0; x < image.getWidth(); x += 5) {
                for (int y = 0; y < image.getHeight(); y += 5) {
                    colours.add(image.getRGB(x, y));
                }
            }
            assertTrue(colours.size() > 5, chart + " looks blank");
        }
    }

    /**
     * The first {@link #TRAIN} training and {@link #TEST} test images of Fashion-MNIST, with each image the
     * sweep's split holds out replaced by an image of the next class (its label kept). The split depends on the
     * labels alone, so the sweep holds out exactly these images.
     */
    private Path invertedValidation(double fraction) throws IOException {
        RawDataset fashion = TestData.fashion();
        byte[] images = Arrays.copyOf(fashion.train().pixels(), TRAIN * 784);
        int[] labelIndices = Arrays.copyOf(fashion.train().labels(), TRAIN);
        byte[] labels = new byte[TRAIN];
        for (int i = 0; i < TRAIN; i++) {
            labels[i] = (byte) labelIndices[i];
        }
        RawDataset.Split train = new RawDataset.Split(new Values.Pixels(images), labelIndices);
        RawDataset subset = new RawDataset(fashion.schema(), train,
                new RawDataset.Split(new Values.Pixels(Arrays.copyOf(fashion.test().pixels(), TEST * 784)),
                        Arrays.copyOf(fashion.test().labels(), TEST)));
        int[] held = DataPreparer.validationFolds(subset, new DatasetSpec(DatasetKind.FASHION_MNIST,
                Normalization.UNIT, List.of(), 0, 0, new Validation.Fraction(fraction)))[0];
        byte[] swapped = images.clone();
        for (int index : held) {
            int next = ((labels[index] & 0xff) + 1) % 10;
            int donor = 0;
            while ((labels[donor] & 0xff) != next || Arrays.binarySearch(held, donor) >= 0) {
                donor++;
            }
            System.arraycopy(images, donor * 784, swapped, index * 784, 784);
        }
        Path dir = tmp.resolve("data");
        Files.createDirectories(dir);
        write(dir, "train", swapped, labels);
        byte[] testLabels = new byte[TEST];
        for (int i = 0; i < TEST; i++) {
            testLabels[i] = (byte) subset.test().labels()[i];
        }
        write(dir, "t10k", subset.test().pixels(), testLabels);
        return dir;
    }

    private static void write(Path dir, String prefix, byte[] images, byte[] labels) throws IOException {
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte.gz"),
                IdxFiles.gzip(IdxFiles.idx(3, new int[] {labels.length, 28, 28}, images)));
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte.gz"),
                IdxFiles.gzip(IdxFiles.idx(1, new int[] {labels.length}, labels)));
    }

    private static CSVRecord byId(List<CSVRecord> trials, String id) {
        return trials.stream().filter(t -> t.get("trial_id").equals(id)).findFirst().orElseThrow();
    }

    private static CSVRecord best(List<CSVRecord> trials, String column) {
        return trials.stream().max(Comparator.comparingDouble(t -> Double.parseDouble(t.get(column)))).orElseThrow();
    }

    private String run(String sweep, Path data, String output) throws Exception {
        Path file = Files.writeString(tmp.resolve(output + ".yaml"), sweep);
        List<String> args = new ArrayList<>(List.of("run", file.toString(), "--master", "local[2]", "--no-ui",
                "--output", tmp.resolve(output).toString(), "--data-dir", data.toString(), "--no-download"));
        CliRunner.Outcome run = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.out() + run.err());
        return run.out();
    }

    private List<CSVRecord> rows(String output, String sql) throws Exception {
        CliRunner.Outcome query = CliRunner.run("query", "--output", tmp.resolve(output).toString(), "--format", "csv",
                sql);
        assertEquals(0, query.exitCode(), query.err());
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(query.out())).getRecords();
    }
}
