package io.sparksweep.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparksweep.TestData;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** query's formats, --sweep, its read-only rule and its errors, over two small real sweeps; and tables. */
class QueryCommandTest {
    @TempDir
    static Path tmp;
    static String out;

    @BeforeAll
    static void twoSweeps() throws Exception {
        out = tmp.resolve("results").toString();
        for (String yaml : List.of("""
                name: alpha
                dataset: {name: fashion-mnist, train_limit: 300, test_limit: 200}
                parameters: {model: mlp, hidden_layers: [[8], [16]], learning_rate: 0.05, batch_size: 50, epochs: 2}
                """, """
                name: beta
                dataset: {name: fashion-mnist, train_limit: 300, test_limit: 200}
                parameters: {model: mlp, hidden_layers: [[4]], learning_rate: 0.05, batch_size: 50, epochs: 1}
                """)) {
            Path file = Files.writeString(tmp.resolve("sweep.yaml"), yaml);
            CliRunner.Outcome run = CliRunner.run("run", file.toString(), "--master", "local[2]", "--no-ui",
                    "--output", out, "--data-dir", TestData.FASHION_DIR.toString(), "--no-download");
            assertEquals(0, run.exitCode(), run.err());
        }
    }

    private static CliRunner.Outcome query(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "query";
        all[1] = "--output";
        all[2] = out;
        System.arraycopy(args, 0, all, 3, args.length);
        return CliRunner.run(all);
    }

    @Test
    void csvCarriesEveryRowAndQuotesArrays() throws Exception {
        CliRunner.Outcome csv = query("--format", "csv",
                "SELECT sweep_name, hidden_layers, epochs, test_accuracy FROM trials ORDER BY sweep_name, epochs");
        assertEquals(0, csv.exitCode(), csv.err());
        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(csv.out())).getRecords();
        assertEquals(List.of("alpha", "alpha", "beta"), rows.stream().map(r -> r.get("sweep_name")).toList());
        assertEquals(Set.of("[8]", "[16]"), rows.subList(0, 2).stream().map(r -> r.get("hidden_layers"))
                .collect(Collectors.toSet()));
        for (CSVRecord row : rows) {
            double accuracy = Double.parseDouble(row.get("test_accuracy"));
            assertTrue(accuracy > 0 && accuracy <= 1, row.toString());
        }
    }

    @Test
    void jsonIsOneObjectPerRowWithNullsKept() throws Exception {
        CliRunner.Outcome json = query("--format", "json",
                "SELECT trial_id, epoch, test_accuracy, CAST(NULL AS STRING) AS note FROM epochs ORDER BY trial_id, epoch");
        assertEquals(0, json.exitCode(), json.err());
        List<String> lines = json.out().lines().toList();
        assertEquals(5, lines.size(), json.out()); // 2 + 2 epochs of alpha, 1 of beta
        ObjectMapper mapper = new ObjectMapper();
        for (String line : lines) {
            JsonNode row = mapper.readTree(line);
            assertTrue(row.get("epoch").asInt() >= 1, line);
            assertTrue(row.has("note") && row.get("note").isNull(), line);
        }
    }

    @Test
    void markdownIsAPipeTable() {
        CliRunner.Outcome md = query("--format", "markdown", "--limit", "1",
                "SELECT sweep_name, hidden_layers FROM trials ORDER BY sweep_name, hidden_layers[0]");
        assertEquals(List.of("| sweep_name | hidden_layers |", "| --- | --- |", "| alpha | [8] |"),
                md.out().lines().toList(), md.out());
    }

    @Test
    void sweepLimitsEveryTableToOneSweep() {
        CliRunner.Outcome beta = query("--sweep", "beta", "--format", "csv",
                "SELECT (SELECT count(*) FROM trials) AS t, (SELECT count(*) FROM epochs) AS e, "
                        + "(SELECT count(*) FROM sweeps) AS s");
        assertEquals(List.of("t,e,s", "1,1,1"), beta.out().lines().toList(), beta.err());
        CliRunner.Outcome unknown = query("--sweep", "gamma", "SELECT * FROM trials");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("no sweep named gamma in " + out + "; sweeps there: alpha, beta"),
                unknown.err());
    }

    @Test
    void statementsThatWriteAreRefusedBeforeTheyRun() {
        for (String sql : List.of("DROP VIEW trials", "INSERT INTO trials SELECT * FROM trials",
                "CREATE TABLE copy AS SELECT * FROM trials", "CACHE TABLE trials",
                "WITH t AS (SELECT * FROM trials) INSERT OVERWRITE DIRECTORY '" + tmp + "/x' SELECT * FROM t",
                "CREATE OR REPLACE TEMPORARY VIEW trials AS SELECT 1", "SET spark.sql.shuffle.partitions=1")) {
            CliRunner.Outcome refused = query(sql);
            assertEquals(2, refused.exitCode(), sql);
            assertTrue(refused.err().startsWith("error: query only reads result tables; this statement is a command"),
                    sql + " -> " + refused.err());
        }
        assertEquals(false, Files.exists(tmp.resolve("x")));
        CliRunner.Outcome after = query("--format", "csv", "SELECT count(*) AS n FROM trials");
        assertEquals(List.of("n", "3"), after.out().lines().toList(), after.err());
        CliRunner.Outcome describe = query("DESCRIBE trials");
        assertEquals(0, describe.exitCode(), describe.err());
        assertTrue(describe.out().contains("hidden_layers"), describe.out());
    }

    @Test
    void unknownTablesAndColumnsListWhatExists() {
        CliRunner.Outcome table = query("SELECT * FROM trial");
        assertEquals(2, table.exitCode());
        assertTrue(table.err().contains("no table `trial`; the tables are trials, epochs, class_metrics, confusion, "
                + "folds, sweeps, importance, models, configs"), table.err());
        CliRunner.Outcome column = query("SELECT accuracy FROM trials");
        assertEquals(2, column.exitCode());
        assertTrue(column.err().contains("no column `accuracy`; columns: trials(sweep_id, sweep_name"), column.err());
        assertTrue(column.err().contains("test_accuracy"), column.err());
        assertEquals(1, column.err().lines().count(), column.err());
    }

    @Test
    void badOptionsAreOneLineBeforeAnyWork() throws Exception {
        CliRunner.Outcome limit = query("--limit", "-1", "SELECT 1");
        assertEquals(List.of(2, "error: --limit must be 0 or more, got -1"), List.of(limit.exitCode(),
                limit.err().strip()));
        List<Path> tableFiles = files(Path.of(out, "trials"));
        CliRunner.Outcome inside = CliRunner.run("report", "--output", out, "--to", out + "/trials");
        assertEquals(2, inside.exitCode());
        assertTrue(inside.err().startsWith("error: --to " + out + "/trials is inside the results folder"),
                inside.err());
        CliRunner.Outcome unwritable = CliRunner.run("report", "--output", out, "--to", "/proc/sparksweep-report");
        assertEquals(2, unwritable.exitCode());
        assertTrue(unwritable.err().startsWith("error: --to /proc/sparksweep-report cannot be written"),
                unwritable.err());
        assertEquals(tableFiles, files(Path.of(out, "trials")), "report wrote into trials");
        CliRunner.Outcome badOption = CliRunner.run("query", "--format");
        assertEquals(2, badOption.exitCode());
        assertEquals(1, badOption.err().strip().lines().count(), badOption.err());
        assertTrue(badOption.err().contains("(see 'sparksweep query --help')"), badOption.err());
    }

    @Test
    void tablesListsEveryTableAndItsColumns() {
        CliRunner.Outcome tables = CliRunner.run("tables");
        assertEquals(0, tables.exitCode());
        List<String> names = tables.out().lines().filter(l -> !l.startsWith(" ")).map(l -> l.split(" ")[0]).toList();
        assertEquals(List.of("trials", "epochs", "class_metrics", "confusion", "folds", "sweeps", "importance",
                "models", "configs"), names);
        assertTrue(tables.out().contains("  test_accuracy          double"), tables.out());
        assertTrue(tables.out().contains("  metric_ci_low\n"), "the configs view's columns: " + tables.out());
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.sorted().toList();
        }
    }

    @Test
    void aQueryReadsOnlyTheTablesItNames() throws Exception {
        // a copy of the output whose confusion table's log is damaged: only statements naming it fail
        Path copy = tmp.resolve("damaged");
        try (Stream<Path> files = Files.walk(Path.of(out))) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(Path.of(out).relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        try (Stream<Path> log = Files.list(copy.resolve("confusion/_delta_log"))) {
            for (Path file : log.filter(f -> f.toString().endsWith(".json")).toList()) {
                Files.writeString(file, "not a commit");
            }
        }
        String output = copy.toString();
        CliRunner.Outcome trials = CliRunner.run("query", "--output", output, "--format", "csv",
                "SELECT count(*) AS n FROM trials JOIN epochs USING (sweep_id, trial_id)");
        assertEquals(0, trials.exitCode(), trials.err());
        assertEquals("n\n5\n", trials.out().replace("\r\n", "\n"));
        CliRunner.Outcome configs = CliRunner.run("query", "--output", output, "SELECT count(*) FROM configs");
        assertEquals(0, configs.exitCode(), configs.err());
        CliRunner.Outcome confusion = CliRunner.run("query", "--output", output, "SELECT count(*) FROM confusion");
        assertTrue(confusion.exitCode() != 0, confusion.out());
    }
}
