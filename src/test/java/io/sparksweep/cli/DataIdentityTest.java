package io.sparksweep.cli;

import io.sparksweep.TestSessions;
import io.sparksweep.data.IdxFiles;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data's identity is part of a trial's provenance: a trial stored from other files under the same dataset name
 * does not satisfy a resume; the same files do.
 */
class DataIdentityTest {
    @TempDir
    Path tmp;

    @Test
    void otherDataUnderTheSameNameRunsTheTrialAgain() throws Exception {
        Path data = tmp.resolve("data");
        Path out = tmp.resolve("out");
        Path sweep = Files.writeString(tmp.resolve("sweep.yaml"), """
                name: identity
                dataset: {name: fashion-mnist, validation: none}
                parameters: {model: mlp, hidden_layers: [[8]], learning_rate: 0.05, batch_size: 10, epochs: 1}
                """);
        String[] run = {"run", sweep.toString(), "--master", "local[1]", "--no-ui", "--output", out.toString(),
                "--data-dir", data.toString(), "--no-download"};
        IdxFiles.writeDataset(data, 5, 1);
        assertEquals(0, CliRunner.run(run).exitCode());
        String first = checksum(out);

        CliRunner.Outcome same = CliRunner.run(run);
        assertTrue(same.out().contains("1 of 1 trials are already finished"), same.out());

        IdxFiles.writeDataset(data, 5, 2); // same name, same shape, other pixels
        CliRunner.Outcome other = CliRunner.run(run);
        assertEquals(0, other.exitCode(), other.err());
        assertTrue(other.out().contains("1 stored trial(s) were trained on other data"), other.out());
        assertTrue(other.out().contains("sweep identity: 1 trials"), other.out());
        String second = checksum(out);
        assertNotEquals(first, second);
        assertEquals(64, second.length());
    }

    private static String checksum(Path out) {
        SparkSession spark = TestSessions.local(1).getOrCreate();
        try {
            List<Row> rows = TestSessions.table(spark, out.resolve("trials")).select("data_sha256")
                    .collectAsList();
            assertEquals(1, rows.size());
            return rows.get(0).getString(0);
        } finally {
            spark.stop();
        }
    }
}
