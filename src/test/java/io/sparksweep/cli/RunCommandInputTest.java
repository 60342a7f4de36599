package io.sparksweep.cli;

import io.sparksweep.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the CLI does with bad input and dry runs: exit codes, one-line messages, nothing written. */
class RunCommandInputTest {
    @TempDir
    Path tmp;

    private Path sweep(String yaml) throws IOException {
        Path file = tmp.resolve("sweep.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void badSweepFileExitsWithTwoAndWritesNothing() throws IOException {
        Path file = sweep("name: a\ndataset: fashion-mnist\nparameters: {learning_rate: -1}\n");
        Path out = tmp.resolve("out");
        CliRunner.Outcome o = CliRunner.run("run", file.toString(), "--output", out.toString());
        assertEquals(Main.BAD_INPUT, o.exitCode());
        assertEquals("error: " + file + ": parameters.learning_rate: must be > 0, got -1", o.err().strip());
        assertFalse(Files.exists(out));
    }

    @Test
    void missingSweepFileAndMissingDatasetAreBadInput() throws IOException {
        CliRunner.Outcome missing = CliRunner.run("run", tmp.resolve("nope.yaml").toString());
        assertEquals(Main.BAD_INPUT, missing.exitCode());
        assertTrue(missing.err().contains("nope.yaml: file: does not exist"), missing.err());

        Path file = sweep("name: a\ndataset: fashion-mnist\nparameters: {epochs: 1}\n");
        Path out = tmp.resolve("out");
        CliRunner.Outcome noData = CliRunner.run("run", file.toString(), "--output", out.toString(), "--data-dir",
                Files.createDirectories(tmp.resolve("empty")).toString(), "--no-download");
        assertEquals(Main.BAD_INPUT, noData.exitCode());
        assertTrue(noData.err().contains("has no complete fashion-mnist dataset"), noData.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void outputThatIsAFileIsBadInput() throws IOException {
        Path file = sweep("name: a\ndataset: fashion-mnist\nparameters: {epochs: 1}\n");
        Path out = Files.writeString(tmp.resolve("taken"), "x");
        CliRunner.Outcome o = CliRunner.run("run", file.toString(), "--output", out.toString(), "--data-dir",
                TestData.FASHION_DIR.toString());
        assertEquals(Main.BAD_INPUT, o.exitCode());
        assertTrue(o.err().contains("is a file, not a directory"), o.err());
    }

    @Test
    void dryRunPrintsThePlanAndRunsNothing() throws IOException {
        Path file = sweep("""
                name: plan
                dataset: fashion-mnist
                parameters:
                  model: [mlp, cnn]
                  kernel_size: [3, 5]
                  learning_rate: [0.1, 0.01]
                """);
        Path out = tmp.resolve("out");
        CliRunner.Outcome o = CliRunner.run("run", file.toString(), "--dry-run", "--output", out.toString());
        assertEquals(Main.OK, o.exitCode(), o.err());
        assertTrue(o.out().contains("sweep plan on fashion-mnist[validation=0.1]: 6 trials"), o.out());
        assertEquals(6, o.out().lines().filter(l -> l.matches("\\s+\\d+  [0-9a-f]{16}  .*")).count(), o.out());
        assertFalse(Files.exists(out));
    }

    @Test
    void benchReportsEachSelectedModel() {
        CliRunner.Outcome o = CliRunner.run("bench", "--epochs", "1", "--models", "mlp-784-16-10", "--python", "none",
                "--data-dir", TestData.FASHION_DIR.toString());
        assertEquals(Main.OK, o.exitCode(), o.err());
        List<String> rows = o.out().lines().filter(l -> l.startsWith("mlp-784-16-10 ")).toList();
        assertEquals(1, rows.size(), o.out());
        // trained with the direct step, and with DL4J's fit beside it; no PyTorch column
        assertTrue(rows.get(0).matches("mlp-784-16-10\\s+direct\\s+[0-9.]+\\s+[0-9.]+\\s+-\\s+-\\s+\\d+\\s+[0-9.]+"
                + "\\s+[0-9.]+%\\s+0\\.\\d+\\s+-"), rows.get(0));
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertEquals(Main.BAD_INPUT, CliRunner.run("run", "x.yaml", "--colour").exitCode());
    }
}
