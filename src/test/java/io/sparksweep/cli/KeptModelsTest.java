package io.sparksweep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparksweep.TestData;
import io.sparksweep.data.RawDataset;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kept models on real sweeps: which networks a sweep keeps as trials finish and after a rerun, and that a kept
 * model, exported, evaluates to its trial's stored numbers exactly and predicts from PNG, JPEG and IDX files what
 * its evaluation does. Halving and refit keep theirs in {@code ValidationRunTest}, a killed driver in
 * {@code DriverKillTest}.
 */
@Tag("sweep")
class KeptModelsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One sweep whose every network is kept (an MLP, trained by the direct step, and a CNN, by DL4J's fit). */
    @TempDir
    static Path shared;
    static Path sharedOut;

    @TempDir
    Path tmp;

    @BeforeAll
    static void keepEveryNetworkOfASmallSweep() throws IOException {
        sharedOut = shared.resolve("out");
        run(shared, "all", """
                name: all
                dataset: {name: fashion-mnist, train_limit: 2000, validation: 0.1}
                keep_models: all
                parameters: {optimizer: adam, learning_rate: 0.003, epochs: 1, hidden_layers: [[32]]}
                grids:
                  - {model: mlp}
                  - {model: cnn, conv_channels: [[4]], kernel_size: 5}
                """, sharedOut);
    }

    @Test
    void topTwoKeepsTheTwoBestAsBetterTrialsFinishAndFreshReplacesThem() throws Exception {
        Path out = tmp.resolve("out");
        String sweep = """
                name: top2
                dataset: {name: fashion-mnist, train_limit: 1000, test_limit: 500, validation: 0.1}
                keep_models: {top: 2}
                parameters: {model: mlp, hidden_layers: [[16]], epochs: 1, learning_rate: [%s]}
                """;
        run(tmp, "top2", sweep.formatted("0.00001, 0.00003, 0.0001"), out);
        Set<String> firstKept = assertTopKept(out, "top2", 2);

        // better trials finish in a rerun of the edited file: they push the earlier two out, files and rows
        run(tmp, "top2", sweep.formatted("0.00001, 0.00003, 0.0001, 0.003, 0.01"), out);
        Set<String> kept = assertTopKept(out, "top2", 2);
        assertTrue(kept.stream().noneMatch(firstKept::contains), "the better trials replaced " + firstKept);

        String savedBefore = rows(out, "SELECT max(saved_at) AS t FROM models").get(0).get("t");
        CliRunner.Outcome fresh = CliRunner.run(runArgs(tmp.resolve("top2.yaml"), out, "--fresh"));
        assertEquals(0, fresh.exitCode(), fresh.err());
        assertEquals(kept, assertTopKept(out, "top2", 2));
        assertTrue(rows(out, "SELECT min(saved_at) AS t FROM models").get(0).get("t").compareTo(savedBefore) > 0,
                "--fresh writes the models again");
    }

    @Test
    void anExportedModelEvaluatesToItsTrialsStoredNumbersExactly() throws Exception {
        List<CSVRecord> trials = rows(sharedOut, "SELECT trial_id, model, train_loop, test_accuracy, test_loss "
                + "FROM trials");
        // an MLP and a CNN, each through its direct step's forward pass
        assertEquals(Set.of("mlp", "cnn"), trials.stream().map(t -> t.get("model")).collect(Collectors.toSet()));
        assertEquals(Set.of("direct"), trials.stream().map(t -> t.get("train_loop")).collect(Collectors.toSet()));
        for (CSVRecord trial : trials) {
            Path model = export(sharedOut, trial.get("trial_id"));
            JsonNode eval = evaluate(model);
            assertTrue(eval.get("same_data").asBoolean());
            assertEquals(Double.parseDouble(trial.get("test_accuracy")), eval.get("test_accuracy").asDouble(),
                    trial.get("model"));
            assertEquals(Double.parseDouble(trial.get("test_loss")), eval.get("test_loss").asDouble(), trial.get("model"));
            assertArrayEquals(storedConfusion(sharedOut, trial.get("trial_id")), confusion(eval.get("confusion")),
                    trial.get("model"));
        }
    }

    @Test
    void predictGivesTheClassesOfTheModelsEvaluationForIdxAndPngInputAndReadsJpeg() throws Exception {
        RawDataset raw = TestData.fashion();
        for (CSVRecord trial : rows(sharedOut, "SELECT trial_id FROM trials")) {
            Path model = export(sharedOut, trial.get("trial_id"));
            // the whole test set as its IDX file: the predictions' confusion matrix is the stored one
            Path idx = TestData.FASHION_DIR.resolve("t10k-images-idx3-ubyte.gz");
            List<CSVRecord> all = predictions(model, List.of(idx.toString()), "1");
            assertEquals(raw.test().count(), all.size());
            long[][] counts = new long[10][10];
            for (int i = 0; i < all.size(); i++) {
                assertEquals(idx + "#" + i, all.get(i).get("input"));
                counts[raw.test().labels()[i]][Integer.parseInt(all.get(i).get("class_index"))]++;
            }
            assertArrayEquals(storedConfusion(sharedOut, trial.get("trial_id")), counts);

            // PNGs of 20 test images (gray; colour; twice the size) and a JPEG: the classes those images got
            List<String> files = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                byte[] pixels = image(raw, i);
                files.add(png(gray(pixels, 1), "gray-" + i + ".png").toString());
                files.add(png(colour(pixels), "rgb-" + i + ".png").toString());
                files.add(png(gray(pixels, 2), "big-" + i + ".png").toString());
            }
            Path jpeg = tmp.resolve("images").resolve("photo.jpg");
            ImageIO.write(colour(image(raw, 0)), "jpg", jpeg.toFile());
            files.add(jpeg.toString()); // lossy: read and predicted, its pixels (so its classes) not exactly the same
            List<CSVRecord> top = predictions(model, files, "3");
            assertEquals(3 * 3 * 20 + 3, top.size());
            assertEquals(jpeg.toString(), top.get(top.size() - 1).get("input"));
            for (int i = 0; i < 20; i++) {
                String expected = all.get(i).get("class_name");
                for (int k = 0; k < 3; k++) {
                    CSVRecord first = top.get((3 * i + k) * 3);
                    assertEquals("1", first.get("rank"));
                    assertEquals(expected, first.get("class_name"), first.get("input"));
                    // the same network on the same pixels; only the batch (60 images, not 2000) may round differently
                    assertEquals(Double.parseDouble(all.get(i).get("probability")),
                            Double.parseDouble(first.get("probability")), 1e-5, first.get("input"));
                }
            }
        }
    }

    @Test
    void badModelsImagesAndTrialsExitWithTwoAndWriteNothing() throws Exception {
        Path model = export(sharedOut, rows(sharedOut, "SELECT trial_id FROM trials").get(0).get("trial_id"));
        Path text = Files.writeString(tmp.resolve("notes.zip"), "not a zip");
        Path foreign = tmp.resolve("foreign.zip");
        try (var zip = new ZipOutputStream(Files.newOutputStream(foreign))) {
            zip.putNextEntry(new ZipEntry("readme.txt"));
            zip.write("from another tool".getBytes());
        }
        Path dl4jOnly = tmp.resolve("dl4j.zip");
        try (var in = new ZipInputStream(Files.newInputStream(model));
             var out = new ZipOutputStream(Files.newOutputStream(dl4jOnly))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (!e.getName().equals("sparksweep-model.yaml")) {
                    out.putNextEntry(new ZipEntry(e.getName()));
                    in.transferTo(out);
                }
            }
        }
        Path image = png(gray(image(TestData.fashion(), 0), 1), "ok.png");
        byte[] png = Files.readAllBytes(image);
        Path broken = Files.write(tmp.resolve("broken.png"), Arrays.copyOf(png, png.length / 2));
        Path smallIdx = tmp.resolve("small-idx3-ubyte");
        Files.write(smallIdx, new byte[] {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 10, 0, 0, 0, 10});
        Files.write(smallIdx, new byte[100], StandardOpenOption.APPEND);
        Path target = tmp.resolve("exported.zip");
        Set<Path> before = listing(tmp);
        assertBad("not a model zip", List.of("predict", "--model", text.toString(), image.toString()));
        assertBad("a zip file, but not a model", List.of("evaluate", "--model", foreign.toString()));
        assertBad("a DL4J model, but not one a sweep kept", List.of("predict", "--model", dl4jOnly.toString(),
                image.toString()));
        assertBad("is not a readable PNG, JPEG, BMP or GIF image", List.of("predict", "--model", model.toString(),
                image.toString(), broken.toString()));
        assertBad("its images are 1x10x10, the model takes 1x28x28", List.of("predict", "--model", model.toString(),
                smallIdx.toString()));
        String kept = rows(sharedOut, "SELECT trial_id FROM models").get(0).get("trial_id");
        assertBad("--trial 0123456789abcdef: no kept model; kept: " , List.of("export", "--output",
                sharedOut.toString(), "--trial", "0123456789abcdef", "--to", target.toString()));
        assertTrue(CliRunner.run("export", "--output", sharedOut.toString(), "--trial", "0123456789abcdef", "--to",
                target.toString()).err().contains(kept), "the message lists the kept models");
        assertEquals(before, listing(tmp), "nothing written");
    }

    @Test
    void aModelFileChangedAfterItWasKeptIsNotExported() throws Exception {
        Path out = tmp.resolve("copy");
        copyTree(sharedOut, out);
        Path file;
        try (Stream<Path> files = Files.walk(out.resolve("model_files"))) {
            file = files.filter(p -> p.toString().endsWith(".zip")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
        String trial = file.getFileName().toString().replace(".zip", "");
        Path target = tmp.resolve("exported.zip");
        assertBad("the file changed after it was kept", List.of("export", "--output", out.toString(), "--trial", trial,
                "--to", target.toString()));
        assertFalse(Files.exists(target));
    }

    /** The kept models are the top {@code k} trials by the sweep's metric: rows, files and checksums agree. */
    private static Set<String> assertTopKept(Path out, String sweep, int k) throws Exception {
        List<String> best = rows(out, "SELECT trial_id FROM trials WHERE sweep_name = '" + sweep + "' ORDER BY "
                + "metric_value DESC, trial_id LIMIT " + k).stream().map(r -> r.get("trial_id")).toList();
        List<CSVRecord> models = rows(out, "SELECT trial_id, path, bytes, sha256 FROM models WHERE sweep_name = '"
                + sweep + "'");
        Set<String> kept = models.stream().map(r -> r.get("trial_id")).collect(Collectors.toSet());
        assertEquals(new HashSet<>(best), kept);
        Path folder = Path.of(URI.create(models.get(0).get("path"))).getParent();
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(kept.stream().map(id -> id + ".zip").collect(Collectors.toSet()), files
                    .map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".zip")).collect(Collectors.toSet()),
                    "exactly the kept models' files");
        }
        for (CSVRecord m : models) {
            byte[] bytes = Files.readAllBytes(Path.of(URI.create(m.get("path"))));
            assertEquals(Long.parseLong(m.get("bytes")), bytes.length);
            assertEquals(m.get("sha256"), io.sparksweep.results.ModelStore.sha256(bytes));
        }
        return kept;
    }

    private static long[][] storedConfusion(Path out, String trialId) throws Exception {
        long[][] counts = new long[10][10];
        for (CSVRecord r : rows(out, "SELECT actual, predicted, count FROM confusion WHERE trial_id = '" + trialId
                + "'")) {
            counts[Integer.parseInt(r.get("actual"))][Integer.parseInt(r.get("predicted"))] = Long.parseLong(
                    r.get("count"));
        }
        return counts;
    }

    private static long[][] confusion(JsonNode matrix) {
        long[][] counts = new long[matrix.size()][];
        for (int i = 0; i < matrix.size(); i++) {
            counts[i] = new long[matrix.get(i).size()];
            for (int j = 0; j < counts[i].length; j++) {
                counts[i][j] = matrix.get(i).get(j).asLong();
            }
        }
        return counts;
    }

    private Path export(Path out, String trialId) {
        Path target = tmp.resolve(trialId + ".zip");
        if (!Files.exists(target)) {
            CliRunner.Outcome export = CliRunner.run("export", "--output", out.toString(), "--trial", trialId, "--to",
                    target.toString());
            assertEquals(0, export.exitCode(), export.err());
            assertTrue(export.out().contains("verified"), export.out());
        }
        return target;
    }

    private static JsonNode evaluate(Path model) throws IOException {
        CliRunner.Outcome eval = CliRunner.run("evaluate", "--model", model.toString(), "--data-dir",
                TestData.FASHION_DIR.toString(), "--no-download", "--format", "json");
        assertEquals(0, eval.exitCode(), eval.err());
        return JSON.readTree(eval.out());
    }

    private static List<CSVRecord> predictions(Path model, List<String> images, String top) throws IOException {
        List<String> args = new ArrayList<>(List.of("predict", "--model", model.toString(), "--format", "csv", "--top",
                top));
        args.addAll(images);
        CliRunner.Outcome predict = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, predict.exitCode(), predict.err());
        return csv(predict.out());
    }

    private static void assertBad(String expected, List<String> args) {
        CliRunner.Outcome outcome = CliRunner.run(args.toArray(String[]::new));
        assertEquals(2, outcome.exitCode(), outcome.out() + outcome.err());
        assertTrue(outcome.err().contains(expected), outcome.err());
        assertEquals(1, outcome.err().strip().lines().count(), "one line: " + outcome.err());
        assertEquals("", outcome.out());
    }

    private static byte[] image(RawDataset raw, int i) {
        int size = raw.shape().size();
        return Arrays.copyOfRange(raw.test().pixels(), i * size, (i + 1) * size);
    }

    /** A gray image, each pixel repeated {@code scale} times in both directions. */
    private static BufferedImage gray(byte[] pixels, int scale) {
        BufferedImage image = new BufferedImage(28 * scale, 28 * scale, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28 * scale; y++) {
            for (int x = 0; x < 28 * scale; x++) {
                image.getRaster().setSample(x, y, 0, pixels[(y / scale) * 28 + x / scale] & 0xff);
            }
        }
        return image;
    }

    /** The same gray in colour: equal red, green and blue, so its luma is the gray value. */
    private static BufferedImage colour(byte[] pixels) {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < pixels.length; i++) {
            int v = pixels[i] & 0xff;
            image.setRGB(i % 28, i / 28, (v << 16) | (v << 8) | v);
        }
        return image;
    }

    private Path png(BufferedImage image, String name) throws IOException {
        Path file = tmp.resolve("images").resolve(name);
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    private static Set<Path> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.collect(Collectors.toSet());
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static String[] runArgs(Path sweep, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", sweep.toString(), "--master", "local[2]", "--no-ui",
                "--output", out.toString(), "--data-dir", TestData.FASHION_DIR.toString(), "--no-download"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static void run(Path dir, String name, String sweep, Path out) throws IOException {
        Path file = Files.writeString(dir.resolve(name + ".yaml"), sweep);
        CliRunner.Outcome run = CliRunner.run(runArgs(file, out));
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("best model: "), run.out());
    }

    private static List<CSVRecord> rows(Path out, String sql) throws IOException {
        CliRunner.Outcome query = CliRunner.run("query", "--output", out.toString(), "--format", "csv", sql);
        assertEquals(0, query.exitCode(), query.err());
        return csv(query.out());
    }

    private static List<CSVRecord> csv(String text) throws IOException {
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(text)).getRecords();
    }
}
