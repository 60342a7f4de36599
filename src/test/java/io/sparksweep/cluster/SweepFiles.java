package io.sparksweep.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparksweep.TestData;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Helpers for the multi-process tests: sweep files, CLI arguments, and what the output folders hold. */
final class SweepFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SweepFiles() {
    }

    /** A sweep of 10 small MLP trials on real Fashion-MNIST (2 hidden sizes x 5 learning rates, 2 epochs each). */
    static Path tenTrials(Path dir, String name, int trainLimit) throws IOException {
        return Files.writeString(dir.resolve(name + ".yaml"), """
                name: %s
                dataset: {name: fashion-mnist, train_limit: %d, test_limit: 500}
                parameters:
                  hidden_layers: [[16], [32]]
                  optimizer: sgd
                  learning_rate: [0.01, 0.03, 0.1, 0.2, 0.3]
                  batch_size: 32
                  epochs: 2
                """.formatted(name, trainLimit));
    }

    /**
     * Ten small CNN trials (2 kernel sizes x 5 learning rates, 2 epochs of 40,000 images each): about 5 s per trial
     * on a 2-core Zen 5 with the direct CNN step, long enough for a test's kill to land while trials are still to
     * come, though trials that finish while a group is committed are committed together. (MLP trials of this size
     * take 0.1 s: a whole sweep could finish between a test's check and its kill.)
     */
    static Path tenSlowTrials(Path dir, String name) throws IOException {
        return Files.writeString(dir.resolve(name + ".yaml"), """
                name: %s
                dataset: {name: fashion-mnist, train_limit: 40000, test_limit: 500}
                keep_models: {top: 2}
                parameters:
                  model: cnn
                  hidden_layers: [[16]]
                  conv_channels: [[8, 12]]
                  kernel_size: [3, 5]
                  optimizer: sgd
                  learning_rate: [0.01, 0.03, 0.1, 0.2, 0.3]
                  batch_size: 32
                  epochs: 2
                """.formatted(name));
    }

    /** Four small CNN trials under 3-fold cross-validation: twelve fold jobs of about 3 s each. */
    static Path fourCrossValidatedTrials(Path dir, String name) throws IOException {
        return Files.writeString(dir.resolve(name + ".yaml"), """
                name: %s
                dataset: {name: fashion-mnist, train_limit: 15000, test_limit: 500, validation: {folds: 3}}
                parameters:
                  model: cnn
                  hidden_layers: [[16]]
                  conv_channels: [[8, 12]]
                  kernel_size: [3, 5]
                  optimizer: sgd
                  learning_rate: [0.03, 0.1]
                  batch_size: 32
                  epochs: 2
                """.formatted(name));
    }

    /**
     * Rows committed to a result table: its Delta log replayed (every commit file: the tests' tables never reach a
     * log checkpoint), each live file's row count from the statistics Delta records with it.
     */
    static long rows(Path out, String table) throws IOException {
        Path log = out.resolve(table).resolve("_delta_log");
        if (!Files.isDirectory(log)) {
            return 0;
        }
        List<Path> commits;
        try (Stream<Path> files = Files.list(log)) {
            commits = files.filter(f -> f.getFileName().toString().matches("\\d+\\.json")).sorted().toList();
        }
        Map<String, Long> live = new HashMap<>();
        for (Path commit : commits) {
            for (String line : Files.readAllLines(commit)) {
                JsonNode action = JSON.readTree(line);
                if (action.has("add")) {
                    JsonNode add = action.get("add");
                    live.put(add.get("path").asText(), JSON.readTree(add.get("stats").asText()).get("numRecords")
                            .asLong());
                } else if (action.has("remove")) {
                    live.remove(action.get("remove").get("path").asText());
                }
            }
        }
        return live.values().stream().mapToLong(Long::longValue).sum();
    }

    static List<String> runArgs(Path sweep, Path out, String master) {
        return new ArrayList<>(List.of("run", sweep.toString(), "--master", master, "--output", out.toString(),
                "--data-dir", TestData.FASHION_DIR.toString(), "--no-download"));
    }

    /** Trials whose rows are durable: the Parquet files in the trials folder. */
    static long durableTrials(Path out) throws IOException {
        return rows(out, "trials");
    }

    static void awaitDurable(Path out, long count, ChildJvm driver, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (durableTrials(out) < count) {
            if (!driver.isAlive()) {
                throw new AssertionError("driver exited before " + count + " trials:\n" + driver.output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + count + " trials after " + seconds + " s:\n" + driver.output());
            }
            Thread.sleep(50);
        }
    }
}
