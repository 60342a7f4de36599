package io.sparksweep.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparksweep.TestData;
import io.sparksweep.TestSessions;
import io.sparksweep.cli.CliRunner;
import io.sparksweep.cli.Main;
import io.sparksweep.search.GridSampler;
import io.sparksweep.search.SearchSpace;
import io.sparksweep.search.TpeSampler;
import io.sparksweep.spec.TpeSettings;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Short trials share Spark jobs ({@link Packing}), and every trial still gets its rows exactly once. */
class PackingTest {
    /** 40 trials of a few milliseconds each: a grid, so their order cannot change what is tried. */
    static final String SWEEP = """
            name: packed
            dataset: {name: fashion-mnist, train_limit: 100, test_limit: 100}
            seeds: [1, 2, 3, 4]
            parameters:
              model: mlp
              hidden_layers: [[4], [8], [12], [16], [20], [24], [28], [32], [36], [40]]
              optimizer: sgd
              learning_rate: 0.01
              batch_size: 50
              epochs: 1
            """;

    @TempDir
    Path tmp;

    @Test
    void onePerJobUntilTimesAreKnownThenAsManyAsFillAboutASecond() {
        Packing packing = new Packing(true);
        assertEquals(1, packing.size(), "nothing known yet");
        packing.observed(0.25);
        assertEquals(4, packing.size());
        for (int i = 0; i < 50; i++) {
            packing.observed(0.001);
        }
        assertEquals(Packing.MOST, packing.size());
        for (int i = 0; i < 50; i++) {
            packing.observed(30);
        }
        assertEquals(1, packing.size(), "long trials go one per job again");
    }

    @Test
    void neverWhereNotAllowed() {
        Packing packing = new Packing(false);
        packing.observed(0.001);
        assertEquals(1, packing.size());
        // only samplers whose points do not depend on results allow it
        assertFalse(new GridSampler(List.of()).learns());
        assertTrue(new TpeSampler(new SearchSpace(List.of()), 1, TpeSettings.DEFAULT).learns());
    }

    @Test
    void shortTrialsShareJobsAndEachHasItsRowsOnce() throws IOException {
        Path sweep = Files.writeString(tmp.resolve("packed.yaml"), SWEEP);
        Path out = tmp.resolve("out");
        Path events = Files.createDirectories(tmp.resolve("events"));
        System.setProperty("spark.eventLog.enabled", "true");
        System.setProperty("spark.eventLog.dir", events.toUri().toString());
        System.setProperty("spark.eventLog.compress", "false");
        CliRunner.Outcome run;
        try {
            run = CliRunner.run("run", sweep.toString(), "--master", "local[2]", "--no-ui", "--output",
                    out.toString(), "--data-dir", TestData.FASHION_DIR.toString(), "--no-download");
        } finally {
            System.clearProperty("spark.eventLog.enabled");
            System.clearProperty("spark.eventLog.dir");
            System.clearProperty("spark.eventLog.compress");
        }
        assertEquals(Main.OK, run.exitCode(), run.err());

        List<String> groups = trialJobGroups(events);
        assertTrue(groups.stream().anyMatch(g -> g.matches(".*-p\\d+")), "no job trained several trials: " + groups);
        assertTrue(groups.size() < 40, groups.size() + " jobs for 40 trials: " + groups);

        SparkSession spark = TestSessions.local(1).getOrCreate();
        List<Row> trials = TestSessions.table(spark, out.resolve("trials"))
                .selectExpr("trial_id", "status").collectAsList();
        assertEquals(40, trials.size());
        assertEquals(40, trials.stream().map(r -> r.getString(0)).distinct().count());
        assertTrue(trials.stream().allMatch(r -> r.getString(1).equals("COMPLETED")), trials.toString());
        assertEquals(40, TestSessions.table(spark, out.resolve("epochs")).count(), "one epoch row per trial");
        assertEquals(40, TestSessions.table(spark, out.resolve("epochs")).select("trial_id").distinct().count());
    }

    /** The job group of every trial job in the sweep's Spark event log. */
    private static List<String> trialJobGroups(Path events) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> groups = new ArrayList<>();
        try (Stream<Path> files = Files.walk(events)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (!line.contains("\"SparkListenerJobStart\"")) {
                        continue;
                    }
                    JsonNode group = json.readTree(line).path("Properties").path("spark.jobGroup.id");
                    if (group.asText().matches("sparksweep-.+-[0-9a-f]{16}(-p\\d+)?")) {
                        groups.add(group.asText());
                    }
                }
            }
        }
        return groups;
    }
}
