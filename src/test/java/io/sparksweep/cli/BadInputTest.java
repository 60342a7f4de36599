package io.sparksweep.cli;

import io.sparksweep.TestData;
import io.sparksweep.data.IdxFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
                        "method: must be one of grid, random, halving, tpe, got 'bayes'"),
                bad("unknown scheduler", "name: a\n" + OK_DATASET + "scheduler: bohb\nparameters: {epochs: 1}\n",
                        "scheduler: must be one of asha, hyperband, median, got 'bohb'"),
                bad("tpe with nothing to learn", "name: a\n" + OK_DATASET + "method: tpe\ntrials: 5\n"
                        + "parameters: {epochs: 1, learning_rate: 0.1, hidden_layers: {int_uniform: [8, 8]}}\n",
                        "parameters: gives tpe nothing to learn"),
                bad("tpe without a limit", "name: a\n" + OK_DATASET + "method: tpe\nbudget: {target: 0.9}\n"
                        + "parameters: {learning_rate: {log_uniform: [0.001, 0.1]}}\n",
                        "trials: is required for method: tpe"),
                bad("tpe section on a grid", "name: a\n" + OK_DATASET + "tpe: {candidates: 5}\nparameters: {epochs: 1}\n",
                        "tpe: is for method: tpe"),
                bad("tpe candidates out of range", "name: a\n" + OK_DATASET + "method: tpe\ntrials: 5\n"
                        + "tpe: {candidates: 0}\nparameters: {learning_rate: {log_uniform: [0.001, 0.1]}}\n",
                        "tpe.candidates: must be a whole number"),
                bad("hyperband with one bracket", "name: a\n" + OK_DATASET
                        + "scheduler: {hyperband: {min_epochs: 1, max_epochs: 3, eta: 3}}\nparameters: {learning_rate: [0.1]}\n",
                        "scheduler.hyperband.max_epochs: gives one bracket only"),
                bad("asha without max_epochs", "name: a\n" + OK_DATASET + "scheduler: asha\nparameters: {learning_rate: [0.1]}\n",
                        "scheduler.asha.max_epochs: is required"),
                bad("epochs under a scheduler", "name: a\n" + OK_DATASET + "scheduler: {asha: {max_epochs: 4}}\n"
                        + "parameters: {epochs: 3}\n", "parameters: sets epochs, but under scheduler asha"),
                bad("grace period past the epochs", "name: a\n" + OK_DATASET + "scheduler: {median: {grace_epochs: 5}}\n"
                        + "parameters: {epochs: 3}\n", "scheduler.median.grace_epochs: must be below the trials' epochs"),
                bad("negative grace period", "name: a\n" + OK_DATASET + "scheduler: {median: {grace_epochs: -1}}\n"
                        + "parameters: {epochs: 3}\n", "scheduler.median.grace_epochs: must be a whole number >= 0"),
                bad("early stopping under a scheduler", "name: a\n" + OK_DATASET + "early_stopping: {patience: 2}\n"
                        + "scheduler: {median: {}}\nparameters: {epochs: 3}\n",
                        "early_stopping: is for sweeps without a scheduler"),
                bad("unreachable target", "name: a\n" + OK_DATASET + "budget: {target: 1.5}\nparameters: {epochs: 1}\n",
                        "budget.target: can never be reached: val_accuracy lies in [0, 1], got 1.5"),
                bad("budget time with a bad unit", "name: a\n" + OK_DATASET + "budget: {time: 2 hours}\n"
                        + "parameters: {epochs: 1}\n", "budget.time: must be a positive number of seconds or a duration"),
                bad("empty budget", "name: a\n" + OK_DATASET + "budget: {}\nparameters: {epochs: 1}\n",
                        "budget: must set trials, time or target"),
                bad("unknown budget key", "name: a\n" + OK_DATASET + "budget: {epochs: 10}\nparameters: {epochs: 1}\n",
                        "budget.epochs: unknown key"),
                bad("validation fraction above a half", "name: a\n" + dataset("validation: 0.6")
                        + "parameters: {epochs: 1}\n", "dataset.validation: a fraction of the training images must be "
                        + "in (0, 0.5], got 0.6"),
                bad("validation fraction of zero", "name: a\n" + dataset("validation: 0.0")
                        + "parameters: {epochs: 1}\n", "dataset.validation: a fraction of the training images"),
                bad("validation count of zero", "name: a\n" + dataset("validation: 0")
                        + "parameters: {epochs: 1}\n", "dataset.validation: a count of validation images must be at "
                        + "least 1, got 0"),
                bad("validation word", "name: a\n" + dataset("validation: some")
                        + "parameters: {epochs: 1}\n", "dataset.validation: must be none, a fraction such as 0.1"),
                bad("one fold", "name: a\n" + dataset("validation: {folds: 1}")
                        + "parameters: {epochs: 1}\n", "dataset.validation.folds: must be a whole number >= 2"),
                bad("more folds than images of a class", "name: a\n" + dataset("validation: {folds: 11}")
                        + "parameters: {epochs: 1}\n", "dataset.validation: 11 folds need 11 training images of every "
                        + "class, and class"),
                bad("a holdout count larger than a class allows", "name: a\n" + dataset("validation: 95")
                        + "parameters: {epochs: 1}\n", "leaves no image of class"),
                bad("a test metric with a split", "name: a\n" + dataset("validation: 0.1")
                        + "metric: test_accuracy\nparameters: {epochs: 1}\n", "metric: is measured on the test set, "
                        + "and dataset.validation holds images out"),
                bad("macro f1 with a split", "name: a\n" + dataset("validation: 0.1")
                        + "metric: macro_f1\nparameters: {epochs: 1}\n", "metric: is measured on the test set"),
                bad("a validation metric without a split", "name: a\n" + dataset("validation: none")
                        + "metric: val_accuracy\nparameters: {epochs: 1}\n", "metric: needs validation images"),
                bad("refit of one trial", "name: a\n" + dataset("validation: 0.1")
                        + "refit: true\nparameters: {epochs: 1}\n", "refit: retrains the winner of several trials, "
                        + "and this sweep has one"),
                bad("refit without a split", "name: a\n" + dataset("validation: none")
                        + "refit: true\nparameters: {epochs: [1, 2]}\n", "refit: retrains the winner on every training "
                        + "image, validation images included; without dataset.validation"),
                bad("keep_models top zero", "name: a\n" + OK_DATASET + "keep_models: {top: 0}\nparameters: {epochs: 1}\n",
                        "keep_models.top: must be a whole number >= 1, got 0"),
                bad("keep_models not a choice", "name: a\n" + OK_DATASET
                        + "keep_models: best\nparameters: {epochs: 1}\n", "keep_models: must be {top: N}, all or none"),
                bad("keep_models without top", "name: a\n" + OK_DATASET
                        + "keep_models: {best: 2}\nparameters: {epochs: 1}\n", "keep_models.best: unknown key"),
                bad("keep_models under folds", "name: a\n" + dataset("validation: {folds: 3}")
                        + "keep_models: {top: 2}\nparameters: {epochs: [1, 2]}\n", "keep_models: under "
                        + "dataset.validation.folds a trial is 3 networks, one per fold"),
                bad("refit not a boolean", "name: a\n" + dataset("validation: 0.1")
                        + "refit: yes please\nparameters: {epochs: [1, 2]}\n", "refit: must be true or false"),
                bad("median stopping with folds", "name: a\n" + dataset("validation: {folds: 3}")
                        + "scheduler: median\nparameters: {epochs: 3}\n", "scheduler: median stops a training run "
                        + "inside its task, which sees one fold"),
                bad("early stopping with folds", "name: a\n" + dataset("validation: {folds: 3}")
                        + "early_stopping: {patience: 2}\nparameters: {epochs: 3}\n", "early_stopping: stops a "
                        + "training run on its own validation images"),
                new CaseArgs("missing sweep file", null, List.of(), "nope.yaml: file: does not exist").arguments(),
                new CaseArgs("missing dataset", "name: a\n" + OK_DATASET + "parameters: {epochs: 1}\n",
                        List.of("--data-dir", "EMPTY_DIR"), "has no complete fashion-mnist dataset").arguments(),
                new CaseArgs("truncated dataset file", "name: a\n" + OK_DATASET + "parameters: {epochs: 1}\n",
                        List.of("--data-dir", "CORRUPT_DIR"), "corrupt or truncated gzip data").arguments(),
                new CaseArgs("output is a file", "name: a\n" + OK_DATASET + "parameters: {epochs: 1}\n",
                        List.of("--output", "FILE"), "is a file, not a directory").arguments(),
                new CaseArgs("unwritable output", "name: a\n" + OK_DATASET + "parameters: {epochs: 1}\n",
                        List.of("--output", "/proc/sparksweep-out"), "cannot be written").arguments(),
                new CaseArgs("zero slots", "name: a\n" + OK_DATASET + "parameters: {epochs: 1}\n",
                        List.of("--slots", "0"), "--slots must be 1 to 100000, got 0").arguments(),
                new CaseArgs("unknown train loop", "name: a\n" + OK_DATASET + "parameters: {epochs: 1}\n",
                        List.of("--train-loop", "fast"), "--train-loop: train loop must be auto or dl4j, got 'fast'")
                        .arguments());
    }

    /** Inputs from the second hardening round (issue 13): limits, overflow, options, data. */
    static Stream<Arguments> hostileCases() {
        String ok = "name: a\n" + OK_DATASET + "parameters: {epochs: 1}\n";
        return Stream.of(
                bad("aliases expanding", "name: a\n" + OK_DATASET + "parameters: {epochs: 1}\n" + laughs(),
                        "yaml: holds more than 100000 values once its aliases are expanded"),
                bad("deep nesting", "name: a\n" + OK_DATASET + "description: " + "[".repeat(3000) + "]".repeat(3000)
                        + "\n", "yaml: nests collections more than 32 levels deep"),
                bad("huge file", "name: a\ndescription: " + "x".repeat(300_000) + "\n",
                        "file: is larger than 256 KiB"),
                bad("padding at the int limit", "name: a\n" + OK_DATASET
                        + "parameters: {model: cnn, padding: 2147483647}\n",
                        "parameters.padding: must be at most 1024, got 2147483647"),
                bad("huge kernel and padding", "name: a\n" + OK_DATASET
                        + "parameters: {model: cnn, kernel_size: 2000000000, padding: 1000000000}\n",
                        "parameters.kernel_size: must be at most 1024"),
                bad("timeout past a long", "name: a\n" + OK_DATASET + "timeout: 99999999999999999999s\n"
                        + "parameters: {epochs: 1}\n", "timeout: must be at most 720h"),
                bad("timeout of 2^60 hours", "name: a\n" + OK_DATASET + "timeout: 1152921504606846976h\n"
                        + "parameters: {epochs: 1}\n", "timeout: must be at most 720h"),
                bad("epochs past the int range", "name: a\n" + OK_DATASET + "parameters: {epochs: 3000000000}\n",
                        "parameters.epochs: must be at most 100000, got 3000000000"),
                bad("10^8 grid points, max_trials raised", "name: a\n" + OK_DATASET + "max_trials: 2000000000\n"
                        + "parameters: " + hugeGrid() + "\n", "max_trials: must be at most 100000"),
                bad("10^8 grid points", "name: a\n" + OK_DATASET + "parameters: " + hugeGrid() + "\n",
                        "the grid has 100000000 points, more than max_trials (10000)"),
                bad("3x10^7 random trials", "name: a\n" + OK_DATASET + "method: random\ntrials: 30000000\n"
                        + "parameters: {learning_rate: {log_uniform: [0.001, 0.1]}}\n",
                        "trials: times 1 seed(s) is more than max_trials (10000)"),
                new CaseArgs("garbage master", ok, List.of("--master", "garbage"), "--master garbage: not a Spark "
                        + "master").arguments(),
                new CaseArgs("zero local threads", ok, List.of("--master", "local[0]"),
                        "--master local[0]: a local master needs at least one thread").arguments(),
                new CaseArgs("yarn without a cluster", ok, List.of("--master", "yarn"), "--master yarn: ")
                        .arguments(),
                new CaseArgs("unreachable master", ok, List.of("--master", "spark://127.0.0.1:1"),
                        "no Spark master answers: cannot connect to 127.0.0.1:1").arguments(),
                new CaseArgs("empty output", ok, List.of("--output", ""), "--output is empty").arguments(),
                new CaseArgs("output with a scheme Hadoop lacks", ok, List.of("--output", "a:b"), "--output a:b: ")
                        .arguments(),
                new CaseArgs("unreachable namenode", ok, List.of("--output", "hdfs://127.0.0.1:1/sweeps"),
                        "the namenode does not answer: cannot connect to 127.0.0.1:1").arguments(),
                new CaseArgs("slots at the int limit", ok, List.of("--slots", "2147483647"),
                        "--slots must be 1 to 100000, got 2147483647").arguments(),
                new CaseArgs("slots past the int range", ok, List.of("--slots", "2147483648"),
                        "'2147483648' is not an int (see 'sparksweep run --help')").arguments(),
                new CaseArgs("unknown option", ok, List.of("--colour", "red"),
                        "Unknown options: '--colour', 'red' (see 'sparksweep run --help')").arguments(),
                new CaseArgs("missing data directory", ok, List.of("--data-dir", "/nonexistent/data"),
                        "data directory /nonexistent/data does not exist").arguments(),
                new CaseArgs("images of another size", ok, List.of("--data-dir", "SMALL_IMAGES_DIR"),
                        "train images are 10x10, but fashion-mnist images are 28x28").arguments(),
                new CaseArgs("a class the data lacks", "name: a\ndataset: {name: fashion-mnist, classes: [Bag, "
                        + "Sandal]}\nparameters: {epochs: 1}\n", List.of("--data-dir", "FEW_CLASSES_DIR"),
                        "the train set has no example of class 8 (Bag), which dataset.classes needs").arguments());
    }

    /** Nine levels of nine aliases each: 9^9 values from a few hundred bytes. */
    private static String laughs() {
        StringBuilder yaml = new StringBuilder("x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i <= 9; i++) {
            yaml.append("x").append(i).append(": &a").append(i).append(" [")
                    .append(String.join(", ", Collections.nCopies(9, "*a" + (i - 1)))).append("]\n");
        }
        return yaml.append("description: *a9\n").toString();
    }

    /** The usual small dataset section with one more key. */
    private static String dataset(String extra) {
        return OK_DATASET.replace("}", ", " + extra + "}");
    }

    /** Four lists of 100 values: 10^8 grid points. */
    private static String hugeGrid() {
        List<String> lists = new ArrayList<>();
        for (String key : List.of("learning_rate", "epochs", "batch_size", "hidden_layers")) {
            List<String> values = new ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                values.add(key.equals("learning_rate") ? i + "e-3" : Integer.toString(i));
            }
            lists.add(key + ": [" + String.join(", ", values) + "]");
        }
        return "{" + String.join(", ", lists) + "}";
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
    @MethodSource({"cases", "hostileCases"})
    @Timeout(60) // a guard against hangs (an unreachable master once took 68 s), not a speed measurement
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
                case "SMALL_IMAGES_DIR" -> dataset("small", 10, 10);
                case "FEW_CLASSES_DIR" -> dataset("few", 28, 5);
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

    /**
     * The user's own data, bad in every way issue 32 lists: {@code @D@} in the dataset text is a folder of
     * fixtures ({@link #ownData}).
     */
    static Stream<Arguments> ownDataCases() {
        return Stream.of(
                own("missing path", "images: {train: @D@/nope}", "dataset.images.train: @D@/nope does not exist"),
                own("no class folders", "images: {train: @D@/flat}", "has no class folders"),
                own("class folder without images", "images: {train: @D@/empty-class}",
                        "class folder file:@D@/empty-class/b has no images"),
                own("single class", "images: {train: @D@/one-class}", "one class (a): a classifier needs two"),
                own("corrupt image", "images: {train: @D@/corrupt}", "broken.png is not a readable PNG, JPEG, BMP or GIF image"),
                own("size zero", "images: {train: @D@/good, size: [0, 8]}",
                        "dataset.images.size[0]: must be a whole number >= 1, got 0"),
                own("size too large", "images: {train: @D@/good, size: [8, 5000]}",
                        "dataset.images.size[1]: must be at most 4096, got 5000"),
                own("image over 64 megapixels", "images: {train: @D@/bomb, size: [8, 8], channels: 1}",
                        "huge.png is 9000x9000 pixels, over the 64 megapixels"),
                own("idx header promising more", "idx: {train_images: @D@/idx/short, train_labels: @D@/idx/labels, "
                        + "test_images: @D@/idx/short, test_labels: @D@/idx/labels}",
                        "@D@/idx/short: truncated: header promises 64000 bytes of data, file has 64"),
                own("label column missing", "table: {train: @D@/t/good.csv, format: csv, label: y}",
                        "dataset.table.label: no column y in @D@/t/good.csv; its columns: label, a, b"),
                own("label null", "table: {train: @D@/t/null-label.csv, format: csv, label: label}",
                        "column label of @D@/t/null-label.csv is null or NaN in 1 row(s)"),
                own("label NaN", "table: {train: @D@/t/nan-label.csv, format: csv, label: label}",
                        "column label of @D@/t/nan-label.csv is null or NaN in 1 row(s)"),
                own("label constant", "table: {train: @D@/t/constant.csv, format: csv, label: label}",
                        "holds one value (x): a classifier needs two classes or more"),
                own("non-numeric features", "table: {train: @D@/t/text.csv, format: csv, label: label}",
                        "non-numeric column(s) in @D@/t/text.csv: colour (string)"),
                own("NaN feature", "table: {train: @D@/t/nan.csv, format: csv, label: label}",
                        "column b of @D@/t/nan.csv is null or NaN in row 3"),
                own("infinite feature", "table: {train: @D@/t/inf.csv, format: csv, label: label}",
                        "column a of @D@/t/inf.csv is infinite in row 2"),
                own("train and test feature counts", "table: {train: @D@/t/good.csv, test: @D@/t/three.csv, "
                        + "format: csv, label: label}", "@D@/t/three.csv has 3 features per row, the training "
                        + "table 2"),
                own("train and test image sizes", "idx: {train_images: @D@/idx/8x8, train_labels: @D@/idx/labels, "
                        + "test_images: @D@/idx/6x6, test_labels: @D@/idx/labels}",
                        "holds 6x6 images, the training images are 8x8"),
                own("test class never seen", "images: {train: @D@/good, test: @D@/other-classes}",
                        "class(es) c never seen in training (its classes: a, b)"),
                own("image_shape against features", "table: {train: @D@/t/good.csv, format: csv, label: label, "
                        + "image_shape: [1, 2, 2]}", "1x2x2 is 4 values, and the rows of @D@/t/good.csv have 2"),
                own("over max_data_bytes", "images: {train: @D@/good}, max_data_bytes: 100",
                        "the prepared data would take 640 bytes (10 images of 1x8x8 bytes), over "
                                + "dataset.max_data_bytes (100)"),
                own("two sources", "name: mnist, images: {train: @D@/good}", "takes one source, and names name and "
                        + "images"),
                Arguments.of("kernel larger than the images", "name: a\ndataset: {images: {train: @D@/good, size: "
                        + "[6, 8]}, validation: none}\nparameters: {model: cnn, conv_channels: [[4]], kernel_size: 7}\n",
                        "parameters.kernel_size: kernel sizes [7] with padding [0] on 6x8 images: kernel 7 does not fit "
                        + "conv layer 1: its input is 6x8"));
    }

    private static Arguments own(String name, String dataset, String expected) {
        return Arguments.of(name, "name: a\ndataset: {" + dataset + "}\nparameters: {epochs: 1}\n", expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ownDataCases")
    @Timeout(120)
    void badOwnDataExitsWithTwoNamesTheProblemAndWritesNothing(String name, String yaml, String expected)
            throws IOException {
        Path data = ownData();
        Path sweep = Files.writeString(tmp.resolve("sweep.yaml"), yaml.replace("@D@", data.toString()));
        Path out = tmp.resolve("out");
        CliRunner.Outcome o = CliRunner.run("run", sweep.toString(), "--output", out.toString(), "--master",
                "local[2]", "--no-ui");
        assertEquals(Main.BAD_INPUT, o.exitCode(), name + ": " + o.err() + o.out());
        String err = o.err().strip();
        assertTrue(err.startsWith("error: ") && err.contains(expected.replace("@D@", data.toString())),
                name + ": " + err);
        assertEquals(1, err.lines().count(), name + ": " + err);
        assertFalse(Files.exists(out), name + ": output written");
    }

    /** The fixtures the own-data cases name. */
    private Path ownData() {
        Path d = tmp.resolve("own");
        OwnDataFixtures.tree(d.resolve("good"), 5, "a", "b");
        OwnDataFixtures.png(d.resolve("flat/x.png"), 8, 1);
        OwnDataFixtures.tree(d.resolve("empty-class"), 3, "a");
        OwnDataFixtures.text(d.resolve("empty-class/b/readme.txt"), "no images here");
        OwnDataFixtures.tree(d.resolve("one-class"), 3, "a");
        OwnDataFixtures.tree(d.resolve("corrupt"), 3, "a", "b");
        OwnDataFixtures.text(d.resolve("corrupt/b/broken.png"), "not a png at all");
        OwnDataFixtures.tree(d.resolve("bomb"), 3, "a", "b");
        OwnDataFixtures.write(d.resolve("bomb/b/huge.png"), OwnDataFixtures.pngHeader(9000, 9000));
        OwnDataFixtures.tree(d.resolve("other-classes"), 2, "a", "c");
        OwnDataFixtures.write(d.resolve("idx/short"), OwnDataFixtures.shortIdx(1000));
        OwnDataFixtures.write(d.resolve("idx/8x8"), IdxFiles.idx(3, new int[] {2, 8, 8}, new byte[128]));
        OwnDataFixtures.write(d.resolve("idx/6x6"), IdxFiles.idx(3, new int[] {2, 6, 6}, new byte[72]));
        OwnDataFixtures.write(d.resolve("idx/labels"), IdxFiles.idx(1, new int[] {2}, new byte[] {0, 1}));
        Path t = d.resolve("t");
        OwnDataFixtures.text(t.resolve("good.csv"), "label,a,b\nx,1,2\ny,3,4\nx,5,6\ny,7,8\n");
        OwnDataFixtures.text(t.resolve("three.csv"), "label,a,b,c\nx,1,2,3\ny,3,4,5\n");
        OwnDataFixtures.text(t.resolve("null-label.csv"), "label,a,b\nx,1,2\n,3,4\ny,5,6\n");
        OwnDataFixtures.text(t.resolve("nan-label.csv"), "label,a,b\n1.0,1,2\nNaN,3,4\n2.0,5,6\n");
        OwnDataFixtures.text(t.resolve("constant.csv"), "label,a,b\nx,1,2\nx,3,4\n");
        OwnDataFixtures.text(t.resolve("text.csv"), "label,a,colour\nx,1,red\ny,3,blue\n");
        OwnDataFixtures.text(t.resolve("nan.csv"), "label,a,b\nx,1.5,2\ny,3,4\nx,5,NaN\n");
        OwnDataFixtures.text(t.resolve("inf.csv"), "label,a,b\nx,1.5,2\ny,Inf,4\n");
        return d;
    }

    @Test
    void aSweepFileThatCannotBeReadSaysWhy() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("folder.yaml"));
        Path dangling = Files.createSymbolicLink(tmp.resolve("dangling.yaml"), tmp.resolve("gone.yaml"));
        Path latin1 = Files.write(tmp.resolve("latin1.yaml"), "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        Map<Path, String> reasons = Map.of(folder, "file: is a directory, not a file",
                dangling, "file: is a broken symbolic link (to " + tmp.resolve("gone.yaml") + ")",
                latin1, "file: is not UTF-8 text (byte 0xe9 at offset 9)",
                Path.of("/dev/zero"), "file: is not a regular file (a device, pipe or socket)");
        reasons.forEach((file, reason) -> {
            CliRunner.Outcome o = CliRunner.run("run", file.toString(), "--output", tmp.resolve("out").toString());
            assertEquals(Main.BAD_INPUT, o.exitCode(), o.err());
            assertEquals("error: " + file + ": " + reason, o.err().strip());
        });
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    private String dataset(String name, int side, int classes) {
        IdxFiles.writeDataset(tmp.resolve(name), 5, 1, side, classes);
        return tmp.resolve(name).toString();
    }

    private Path corruptDataset() throws IOException {
        Path dir = tmp.resolve("corrupt");
        IdxFiles.writeDataset(dir, 5, 1);
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] bytes = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(bytes, bytes.length / 2));
        return dir;
    }
}
