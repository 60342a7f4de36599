package io.sparksweep.cli;

import io.sparksweep.TestData;
import io.sparksweep.data.IdxFiles;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input of every kind through {@code run}: exit code 2, one line on stderr that names the problem, no stack
 * trace, and no output directory.
 */
class BadInputTest {
    private static final String OK_DATASET = "dataset: {name: fashion-mnist, train_limit: 100, test_limit: 50}\n";

    @TempDir
    Path tmp;

    /** A case: the sweep file text (null: no file written), extra arguments, and the expected message part. */
    static Stream<Arguments> cases() {
        return Stream.of(
                bad("malformed yaml", "name: a\n" + OK_DATASET + "parameters: {epochs: [1, 2}\n", "not valid YAML"),
                bad("tab indentation", "name: a\n" + OK_DATASET + "parameters:\n\tepochs: 1\n", "not valid YAML"),
                bad("yaml list at top", "- name: a\n", "(top level): must be a mapping"),
                bad("empty file", "", "file: is empty"),
                bad("unknown top-level key", "name: a\n" + OK_DATASET + "parameter: {epochs: 1}\n",
                        "parameter: unknown key (did you mean 'parameters'?)"),
                bad("unknown parameter", "name: a\n" + OK_DATASET + "parameters: {hidden_layer: [[8]]}\n",
                        "parameters.hidden_layer: unknown key (did you mean 'hidden_layers'?)"),
                bad("unknown dataset key", "name: a\ndataset: {name: mnist, normalise: unit}\nparameters: {epochs: 1}\n",
                        "dataset.normalise: unknown key (did you mean 'normalize'?)"),
                bad("duplicate parameter", "name: a\n" + OK_DATASET + "parameters:\n  epochs: 1\n  epochs: 2\n",
                        "not valid YAML"),
                bad("empty grid", "name: a\n" + OK_DATASET + "parameters: {learning_rate: []}\n",
                        "parameters.learning_rate: has no candidate values"),
                bad("no parameters", "name: a\n" + OK_DATASET + "parameters: {}\n",
                        "parameters: must name at least one parameter"),
                bad("empty grids list", "name: a\n" + OK_DATASET + "grids: []\n", "grids: must list at least one grid"),
                bad("wrong type", "name: a\n" + OK_DATASET + "parameters: {epochs: ten}\n",
                        "parameters.epochs: must be a whole number, got 'ten'"),
                bad("list where a map is due", "name: a\ndataset: [fashion-mnist]\nparameters: {epochs: 1}\n",
                        "dataset: must be a mapping"),
                bad("negative learning rate", "name: a\n" + OK_DATASET + "parameters: {learning_rate: -0.1}\n",
                        "parameters.learning_rate: must be > 0, got -0.1"),
                bad("zero batch size", "name: a\n" + OK_DATASET + "parameters: {batch_size: 0}\n",
                        "parameters.batch_size: must be a whole number >= 1, got 0"),
                bad("zero epochs", "name: a\n" + OK_DATASET + "parameters: {epochs: 0}\n",
                        "parameters.epochs: must be a whole number >= 1, got 0"),
                bad("negative hidden size", "name: a\n" + OK_DATASET + "parameters: {hidden_layers: [[-4]]}\n",
                        "parameters.hidden_layers[0][0]: must be a whole number >= 1, got -4"),
                bad("kernel too large", "name: a\n" + OK_DATASET
                        + "parameters: {model: cnn, conv_channels: [[8]], kernel_size: 29}\n",
                        "kernel 29 does not fit conv layer 1: its input is 28x28"),
                bad("huge grid", "name: a\n" + OK_DATASET + "max_trials: 100\nparameters: {epochs: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],"
                        + " learning_rate: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1]}\n",
                        "the grid has 110 points, more than max_trials (100)"),
                bad("class outside dataset", "name: a\ndataset: {name: fashion-mnist, classes: [2, 11]}\n"
                        + "parameters: {epochs: 1}\n", "dataset.classes[1]: must be a class index 0-9"),
                bad("bad timeout", "name: a\n" + OK_DATASET + "timeout: soon\nparameters: {epochs: 1}\n",
                        "timeout: must be a positive number of seconds"),
                bad("name escaping the output", "name: ../../etc\n" + OK_DATASET + "parameters: {epochs: 1}\n",
                        "name: must be 1-100 letters"),
                bad("java type tag", "name: a\n" + OK_DATASET
                        + "parameters: !!java.util.HashMap {epochs: 1}\n", "not valid YAML"),
                bad("python type tag", "name: a\n" + OK_DATASET
                        + "parameters: {epochs: !!python/object:os.system 1}\n", "not valid YAML"),
                bad("unknown method", "name: a\n" + OK_DATASET + "method: bayes\nparameters: {epochs: 1}\n",
                        "method: must be one of grid, random, halving, got 'bayes'"),
                new CaseArgs("missing sweep file", null, List.of(), "nope.yaml: file: cannot be read").arguments(),
                new CaseArgs("missing dataset", "name: a\n" + OK_DATASET + "parameters: {epochs: 1}\n",
                        List.of("--data-dir", "EMPTY_DIR"), "has no complete fashion-mnist dataset").arguments(),
                new CaseArgs("truncated dataset file", "name: a\n" + OK_DATASET + "parameters: {epochs: 1}\n",
                        List.of("--data-dir", "CORRUPT_DIR"), "corrupt or truncated gzip data").arguments(),
                new CaseArgs("output is a file", "name: a\n" + OK_DATASET + "parameters: {epochs: 1}\n",
                        List.of("--output", "FILE"), "is a file, not a directory").arguments(),
                new CaseArgs("unwritable output", "name: a\n" + OK_DATASET + "parameters: {epochs: 1}\n",
                        List.of("--output", "/proc/sparksweep-out"), "cannot be written").arguments(),
                new CaseArgs("zero slots", "name: a\n" + OK_DATASET + "parameters: {epochs: 1}\n",
                        List.of("--slots", "0"), "--slots must be at least 1").arguments(),
                new CaseArgs("unknown train loop", "name: a\n" + OK_DATASET + "parameters: {epochs: 1}\n",
                        List.of("--train-loop", "fast"), "--train-loop: train loop must be auto or dl4j, got 'fast'")
                        .arguments());
    }

    record CaseArgs(String name, String yaml, List<String> args, String expected) {
        Arguments arguments() {
            return Arguments.of(name, yaml, args, expected);
        }
    }

    static Arguments bad(String name, String yaml, String expected) {
        return new CaseArgs(name, yaml, List.of(), expected).arguments();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputExitsWithTwoNamesTheProblemAndWritesNothing(String name, String yaml, List<String> extra,
            String expected) throws IOException {
        Path sweep = tmp.resolve(yaml == null ? "nope.yaml" : "sweep.yaml");
        if (yaml != null) {
            Files.writeString(sweep, yaml);
        }
        Path out = tmp.resolve("out");
        List<String> args = new ArrayList<>(List.of("run", sweep.toString(), "--output", out.toString(),
                "--data-dir", TestData.FASHION_DIR.toString(), "--no-download", "--master", "local[1]"));
        for (int i = 0; i < extra.size(); i += 2) {
            String value = switch (extra.get(i + 1)) {
                case "EMPTY_DIR" -> Files.createDirectories(tmp.resolve("empty")).toString();
                case "CORRUPT_DIR" -> corruptDataset().toString();
                case "FILE" -> Files.writeString(tmp.resolve("a-file"), "x").toString();
                default -> extra.get(i + 1);
            };
            int at = args.indexOf(extra.get(i));
            if (at >= 0) {
                args.set(at + 1, value);
            } else {
                args.addAll(List.of(extra.get(i), value));
            }
        }
        CliRunner.Outcome o = CliRunner.run(args.toArray(String[]::new));
        assertEquals(Main.BAD_INPUT, o.exitCode(), name + ": " + o.err() + o.out());
        String err = o.err().strip();
        assertTrue(err.startsWith("error: ") && err.contains(expected), name + ": " + err);
        assertEquals(1, err.lines().count(), name + ": " + err);
        assertFalse(err.contains("\tat "), name + ": stack trace printed");
        assertFalse(Files.exists(out), name + ": output written");
    }

    private Path corruptDataset() throws IOException {
        Path dir = tmp.resolve("corrupt");
        IdxFiles.writeDataset(dir, 5, 1);
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] bytes = Files.readAllBytes(images);
        Files.write(images, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        return dir;
    }
}
