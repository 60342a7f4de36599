package io.sparksweep.cli;

import io.sparksweep.TestData;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A random search with early stopping, run through the CLI on real data, and what it records. */
class RandomSearchRunTest {
    static final String SWEEP = """
            name: random-small
            method: random
            trials: 4
            sampler_seed: 3
            dataset: {name: fashion-mnist, train_limit: 400, test_limit: 200}
            early_stopping: {patience: 1, min_delta: 0.9}
            parameters:
              model: mlp
              hidden_layers: {int_uniform: [8, 32]}
              learning_rate: {log_uniform: [0.01, 0.1]}
              batch_size: {q_log_uniform: [16, 64]}
              epochs: 4
            """;

    @TempDir
    Path tmp;

    @Test
    void everyDrawIsATrialRowWithItsMethodEpochsAndBestEpoch() throws Exception {
        Path file = Files.writeString(tmp.resolve("random.yaml"), SWEEP);
        String out = tmp.resolve("results").toString();
        CliRunner.Outcome dry = CliRunner.run("run", file.toString(), "--dry-run");
        assertEquals(0, dry.exitCode(), dry.err());
        CliRunner.Outcome run = CliRunner.run("run", file.toString(), "--master", "local[2]", "--no-ui", "--output",
                out, "--data-dir", TestData.FASHION_DIR.toString(), "--no-download");
        assertEquals(0, run.exitCode(), run.err());
        CliRunner.Outcome rows = CliRunner.run("query", "--output", out, "--format", "csv", """
                SELECT t.trial_id, t.method, t.status, t.epochs_trained, t.best_epoch, count(e.epoch) AS epoch_rows,
                       max_by(e.epoch, e.test_accuracy) AS best_by_epochs
                FROM trials t JOIN epochs e USING (sweep_id, trial_id)
                GROUP BY t.trial_id, t.method, t.status, t.epochs_trained, t.best_epoch""");
        List<CSVRecord> trials = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(rows.out())).getRecords();
        assertEquals(4, trials.size(), rows.out() + rows.err());
        for (CSVRecord t : trials) {
            assertEquals("random", t.get("method"));
            // no epoch can gain 0.9 accuracy over the first: every trial stops after epoch 2
            assertEquals("STOPPED_EARLY", t.get("status"), t.toString());
            assertEquals("2", t.get("epochs_trained"));
            assertEquals(t.get("epoch_rows"), t.get("epochs_trained"));
            assertTrue(t.get("best_epoch").equals("1") || t.get("best_epoch").equals("2"), t.toString());
        }
        // the dry run listed the same four trials the run recorded
        for (CSVRecord t : trials) {
            assertTrue(dry.out().contains(t.get("trial_id")), dry.out());
        }
        // resume: nothing left to run
        CliRunner.Outcome again = CliRunner.run("run", file.toString(), "--master", "local[2]", "--no-ui", "--output",
                out, "--data-dir", TestData.FASHION_DIR.toString(), "--no-download");
        assertTrue(again.out().contains("resuming: 4 of 4 trials are already finished"), again.out());
    }
}
