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
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code run --train-loop} reaches the executors: the same sweep run with the direct MLP step (default) and with
 * DL4J's fit records which loop trained each trial, and both get the same results.
 */
class TrainLoopRunTest {
    static final String SWEEP = """
            name: loops
            dataset: {name: fashion-mnist, train_limit: 1000, test_limit: 500}
            parameters:
              model: mlp
              hidden_layers: [[16], [32, 16]]
              optimizer: sgd
              learning_rate: 0.05
              batch_size: 50
              epochs: 2
            """;

    @TempDir
    Path tmp;

    @Test
    void theChosenLoopIsRecordedAndGivesTheSameResults() throws Exception {
        Path file = Files.writeString(tmp.resolve("loops.yaml"), SWEEP);
        Map<String, CSVRecord> direct = run(file, "direct-out", "auto");
        Map<String, CSVRecord> fit = run(file, "fit-out", "dl4j");
        assertEquals(direct.keySet(), fit.keySet());
        assertEquals(2, direct.size());
        for (String trial : direct.keySet()) {
            assertEquals("direct", direct.get(trial).get("train_loop"));
            assertEquals("dl4j", fit.get(trial).get("train_loop"));
            assertEquals(Double.parseDouble(fit.get(trial).get("test_loss")),
                    Double.parseDouble(direct.get(trial).get("test_loss")), 1e-3, trial);
            assertEquals(Double.parseDouble(fit.get(trial).get("test_accuracy")),
                    Double.parseDouble(direct.get(trial).get("test_accuracy")), 0.005, trial);
        }
    }

    private Map<String, CSVRecord> run(Path file, String dir, String loop) throws Exception {
        String out = tmp.resolve(dir).toString();
        CliRunner.Outcome run = CliRunner.run("run", file.toString(), "--master", "local[2]", "--no-ui", "--output",
                out, "--data-dir", TestData.FASHION_DIR.toString(), "--no-download", "--train-loop", loop);
        assertEquals(0, run.exitCode(), run.err());
        CliRunner.Outcome rows = CliRunner.run("query", "--output", out, "--format", "csv",
                "SELECT trial_id, train_loop, test_loss, test_accuracy FROM trials");
        List<CSVRecord> records = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(rows.out())).getRecords();
        return records.stream().collect(Collectors.toMap(r -> r.get("trial_id"), r -> r));
    }
}
