package io.sparksweep.spark;

import io.sparksweep.TestSessions;
import io.sparksweep.TestData;
import io.sparksweep.cli.CliRunner;
import io.sparksweep.cli.Main;
import io.sparksweep.results.ResultTable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small real sweep through the CLI on local[2] (MLP and CNN trials on a Fashion-MNIST subset, two of them
 * diverging), then every table read back with plain Spark SQL.
 */
class SweepIntegrationTest {
    static final String SWEEP = """
            name: integration
            dataset: {name: fashion-mnist, train_limit: 2000, test_limit: 500, validation: none}
            parameters:
              model: [mlp, cnn]
              hidden_layers: [[32]]
              conv_channels: [[4, 8]]
              kernel_size: 3
              optimizer: sgd
              learning_rate: [0.05, 1.0e12]
              batch_size: 32
              epochs: 2
            """;

    @TempDir
    static Path tmp;
    static Path out;
    static CliRunner.Outcome run;
    static SparkSession spark;

    @BeforeAll
    static void runSweep() throws Exception {
        Path file = Files.writeString(tmp.resolve("integration.yaml"), SWEEP);
        out = tmp.resolve("results");
        run = CliRunner.run("run", file.toString(), "--master", "local[2]", "--output", out.toString(),
                "--data-dir", TestData.FASHION_DIR.toString(), "--no-download");
        spark = TestSessions.local(2).appName("read-back")
                .config("spark.ui.enabled", "false").getOrCreate();
        for (ResultTable table : ResultTable.values()) {
            if (!Files.isDirectory(out.resolve(table.tableName()))) {
                continue; // folds: this sweep has no cross-validation
            }
            TestSessions.table(spark, out.resolve(table.tableName()))
                    .createOrReplaceTempView(table.tableName());
        }
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static List<Row> sql(String query) {
        return spark.sql(query).collectAsList();
    }

    @Test
    void sweepSucceedsAndPrintsALeaderboard() {
        assertEquals(Main.OK, run.exitCode(), run.err());
        assertTrue(run.out().contains("[4/4]"), run.out());
        assertTrue(run.out().contains("finished 4 trials, 2 did not complete"), run.out());
        assertTrue(run.out().contains("leaderboard (by test_accuracy)"), run.out());
    }

    @Test
    void trialsTableHasOneRowPerTrialWithStatusesAndProvenance() {
        List<Row> rows = sql("SELECT model, learning_rate, status, error, test_accuracy, executor_id, device, threads,"
                + " dataset, test_samples, parameter_count, train_loop FROM trials ORDER BY model, learning_rate");
        assertEquals(4, rows.size());
        assertEquals(4L, sql("SELECT count(DISTINCT trial_id) FROM trials").get(0).getLong(0));
        for (Row r : rows) {
            boolean diverging = r.getDouble(1) > 1;
            assertEquals(diverging ? "DIVERGED" : "COMPLETED", r.getString(2), r.toString());
            if (diverging) {
                assertTrue(r.getString(3).contains("loss became"), r.getString(3));
                assertTrue(r.isNullAt(4));
            } else {
                assertTrue(r.getDouble(4) > 0.3, "accuracy " + r.getDouble(4));
            }
            assertEquals("driver", r.getString(5));
            assertEquals("cpu", r.getString(6));
            assertEquals(1, r.getInt(7));
            assertEquals("fashion-mnist[train_limit=2000][test_limit=500]", r.getString(8));
            assertEquals(500, r.getInt(9));
            // MLPs and CNNs alike train with SparkSweep's direct steps on the CPU backend
            assertEquals("direct", r.getString(11));
        }
        assertEquals(784 * 32 + 32 + 330, rows.get(2).getLong(10)); // the MLP
    }

    @Test
    void epochClassAndConfusionTablesMatchTheCompletedTrials() {
        assertEquals(4L, sql("SELECT count(*) FROM epochs JOIN trials USING (sweep_id, trial_id) "
                + "WHERE status = 'COMPLETED'").get(0).getLong(0));
        assertEquals(20L, sql("SELECT count(*) FROM class_metrics").get(0).getLong(0));
        assertEquals(200L, sql("SELECT count(*) FROM confusion").get(0).getLong(0));
        // every completed trial's confusion matrix counts each test image once, and agrees with its accuracy
        List<Row> perTrial = sql("SELECT t.test_accuracy, sum(c.count), sum(CASE WHEN actual = predicted "
                + "THEN c.count ELSE 0 END) FROM confusion c JOIN trials t USING (trial_id) GROUP BY t.trial_id, "
                + "t.test_accuracy");
        assertEquals(2, perTrial.size());
        for (Row r : perTrial) {
            assertEquals(500L, r.getLong(1));
            assertEquals(r.getDouble(0), r.getLong(2) / 500.0, 1e-9);
        }
        // the final epoch's accuracy is the trial's accuracy
        assertEquals(0L, sql("SELECT count(*) FROM trials t JOIN epochs e USING (trial_id) "
                + "WHERE e.epoch = t.epochs AND abs(e.test_accuracy - t.test_accuracy) > 1e-12").get(0).getLong(0));
    }

    @Test
    void sweepsTableRecordsTheRunAndItsSpec() {
        List<Row> rows = sql("SELECT name, spec, master, trials_planned, finished_at, versions FROM sweeps");
        assertEquals(1, rows.size());
        Row r = rows.get(0);
        assertEquals("integration", r.getString(0));
        assertEquals(SWEEP, r.getString(1));
        assertEquals("local[2]", r.getString(2));
        assertEquals(4, r.getInt(3));
        assertNotNull(r.getTimestamp(4));
        assertTrue(r.getString(5).contains("dl4j=1.0.0-M2.1"), r.getString(5));
    }

    @Test
    void reportReferencesEveryChartAndEveryChartIsARealImage() throws Exception {
        Path dir = tmp.resolve("report");
        CliRunner.Outcome r = CliRunner.run("report", "--output", out.toString(), "--to", dir.toString());
        assertEquals(Main.OK, r.exitCode(), r.err());
        String html = Files.readString(dir.resolve("index.html"));
        Set<String> referenced = new TreeSet<>();
        Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            referenced.add(m.group(1));
        }
        Set<String> written = new TreeSet<>();
        try (var files = Files.list(dir)) {
            files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".png")).forEach(written::add);
        }
        assertEquals(written, referenced);
        for (String chart : List.of("learning-curves.png", "confusion.png", "class-f1.png", "accuracy-vs-time.png",
                "accuracy-by-model.png", "accuracy-by-learning-rate.png", "parallel-coordinates.png")) {
            assertTrue(referenced.contains(chart), chart + " missing from " + referenced);
        }
        for (String chart : written) {
            BufferedImage image = ImageIO.read(dir.resolve(chart).toFile());
            assertNotNull(image, chart + " is not a readable image");
            assertTrue(image.getWidth() >= 400 && image.getHeight() >= 300, chart);
            Set<Integer> colours = new HashSet<>();
            for (int x = 0; x < image.getWidth(); x += 7) {
                for (int y = 0; y < image.getHeight(); y += 7) {
                    colours.add(image.getRGB(x, y));
                }
            }
            assertTrue(colours.size() > 5, chart + " looks blank");
        }
        // one real kernel size (MLPs have none): no chart pretends kernel size was swept
        assertTrue(!referenced.contains("accuracy-by-kernel-size.png"), referenced.toString());
        assertTrue(html.contains("Leaderboard") && html.contains("DIVERGED"), html);
        assertTrue(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"),
                "the report must open offline");

        CliRunner.Outcome unknown = CliRunner.run("report", "--output", out.toString(), "--sweep", "nope",
                "--to", tmp.resolve("r2").toString());
        assertEquals(Main.BAD_INPUT, unknown.exitCode());
        assertTrue(unknown.err().contains("no sweep named 'nope'") && unknown.err().contains("integration"),
                unknown.err());
    }

    @Test
    void queryCommandPrintsTrialsOverTheSameTables() {
        CliRunner.Outcome q = CliRunner.run("query", "SELECT model, hidden_layers, learning_rate, test_accuracy "
                + "FROM trials ORDER BY test_accuracy DESC", "--output", out.toString());
        assertEquals(Main.OK, q.exitCode(), q.err());
        List<String> lines = q.out().lines().toList();
        assertTrue(lines.get(0).matches("model\\s+hidden_layers\\s+learning_rate\\s+test_accuracy"), lines.get(0));
        assertEquals(4 + 3, lines.size(), q.out()); // header, rule, 4 rows, count
        assertTrue(lines.get(2).contains("[32]"), q.out());
        assertTrue(lines.get(lines.size() - 2).contains("NULL"), q.out());

        CliRunner.Outcome bad = CliRunner.run("query", "SELECT nope FROM trials", "--output", out.toString());
        assertEquals(Main.BAD_INPUT, bad.exitCode());
        assertTrue(bad.err().startsWith("error: query failed:"), bad.err());
    }
}
