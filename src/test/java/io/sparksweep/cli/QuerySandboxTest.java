package io.sparksweep.cli;

import io.sparksweep.TestData;
import io.sparksweep.results.QuerySandbox;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code query} cannot escape the results: no writes through indirection, no Java calls, no files outside the
 * result tables, no warehouse folder, no stack overflow. Each refusal is exit 2 with one line, and the results
 * are unchanged afterwards.
 */
class QuerySandboxTest {
    private static final String SECRET = "sparksweep-secret-4711";

    @TempDir
    static Path tmp;
    static String out;
    static Path secretFile;

    @BeforeAll
    static void oneSweep() throws Exception {
        out = tmp.resolve("results").toString();
        secretFile = Files.writeString(tmp.resolve("secret.txt"), SECRET + "\n");
        Path file = Files.writeString(tmp.resolve("sweep.yaml"), """
                name: sandbox
                dataset: {name: fashion-mnist, train_limit: 200, test_limit: 100}
                parameters: {model: mlp, hidden_layers: [[8], [4]], learning_rate: 0.05, batch_size: 50, epochs: 1}
                """);
        CliRunner.Outcome run = CliRunner.run("run", file.toString(), "--master", "local[2]", "--no-ui",
                "--output", out, "--data-dir", TestData.FASHION_DIR.toString(), "--no-download");
        assertEquals(0, run.exitCode(), run.err());
    }

    private static CliRunner.Outcome query(String sql) {
        return CliRunner.run("query", "--output", out, "--format", "csv", sql);
    }

    private static void assertRefused(String sql, String expected) {
        CliRunner.Outcome refused = query(sql);
        String err = refused.err().strip();
        assertEquals(2, refused.exitCode(), sql + " -> " + refused.out() + err);
        assertTrue(err.startsWith("error: ") && err.contains(expected), sql + " -> " + err);
        assertEquals(1, err.lines().count(), sql + " -> " + err);
        assertFalse(refused.out().contains(SECRET) || err.contains(SECRET), sql + " leaked the file");
    }

    private static void assertResultsIntact() {
        CliRunner.Outcome count = query("SELECT count(*) AS n FROM trials");
        assertEquals(List.of("n", "2"), count.out().lines().toList(), count.err());
    }

    @Test
    void executeImmediateIsRefusedWhateverItWraps() {
        String overwrite = "INSERT OVERWRITE DIRECTORY ''" + out + "/trials'' USING parquet SELECT 1 AS x";
        assertRefused("EXECUTE IMMEDIATE '" + overwrite + "'", "does not run EXECUTE IMMEDIATE");
        assertRefused("EXECUTE IMMEDIATE 'SELECT 1'", "does not run EXECUTE IMMEDIATE");
        assertResultsIntact();
    }

    @Test
    void javaCannotBeCalledFromAnyPartOfAStatement() {
        String set = "'java.lang.System', 'setProperty', 'sparksweep.sandbox', 'escaped'";
        for (String sql : List.of("SELECT reflect(" + set + ")", "SELECT JAVA_METHOD(" + set + ")",
                "SELECT try_reflect(" + set + ")",
                "SELECT trial_id FROM trials WHERE trial_id IN (SELECT reflect(" + set + "))",
                "WITH t AS (SELECT java_method(" + set + ") AS v) SELECT * FROM t",
                "EXPLAIN SELECT reflect(" + set + ")")) {
            assertRefused(sql, "functions that run Java code");
        }
        assertNull(System.getProperty("sparksweep.sandbox"), "a reflective call ran");
        assertRefused("CREATE TEMPORARY FUNCTION f AS 'java.lang.String'", "is a command");
        assertRefused("ADD JAR " + secretFile, "is a command");
    }

    @Test
    void filesAndOtherSourcesCannotBeRead() {
        for (String source : List.of("text", "binaryFile", "csv", "json", "parquet")) {
            assertRefused("SELECT * FROM " + source + ".`" + secretFile + "`", "names a file or another catalog");
        }
        assertRefused("SELECT * FROM parquet.`" + out + "/trials`", "names a file or another catalog");
        assertRefused("SELECT * FROM IDENTIFIER('text.`" + secretFile + "`')", "names a file or another catalog");
        assertRefused("SELECT (SELECT first(value) FROM text.`" + secretFile + "`) AS v FROM trials",
                "names a file or another catalog");
        assertRefused("EXPLAIN SELECT * FROM text.`" + secretFile + "`", "names a file or another catalog");
        assertRefused("SELECT * FROM trial", "no table `trial`; the tables are trials");
    }

    @Test
    void describingAndQueryingTheTablesStillWorks() {
        CliRunner.Outcome joined = query("WITH best AS (SELECT trial_id FROM trials ORDER BY test_accuracy DESC "
                + "LIMIT 1) SELECT count(*) AS n FROM epochs WHERE trial_id IN (SELECT trial_id FROM best)");
        assertEquals(List.of("n", "1"), joined.out().lines().toList(), joined.err());
        CliRunner.Outcome range = query("SELECT sum(id) AS s FROM range(4)");
        assertEquals(List.of("s", "6"), range.out().lines().toList(), range.err());
        for (String sql : List.of("SHOW TABLES", "DESCRIBE trials", "SHOW COLUMNS FROM epochs",
                "EXPLAIN SELECT * FROM trials")) {
            assertEquals(0, query(sql).exitCode(), sql);
        }
    }

    @Test
    void noWarehouseFolderIsLeftInTheWorkingDirectory() {
        query("SHOW TABLES");
        query("SELECT * FROM nope");
        assertFalse(Files.exists(Path.of("spark-warehouse")), "spark-warehouse created in the working directory");
    }

    @Test
    void deepNestingIsBadInputNotAStackOverflow() {
        String parens = "(".repeat(1500) + "1" + ")".repeat(1500);
        assertRefused("SELECT " + parens, "nests parentheses 1500 deep; at most " + QuerySandbox.MAX_NESTING);
        assertRefused("SELECT " + "CASE WHEN true THEN ".repeat(3000) + "1" + " END".repeat(3000),
                "nested too deeply");
        assertRefused("SELECT " + String.join("+", Collections.nCopies(20000, "1")), "too complex");
        // parentheses inside strings and comments do not count
        CliRunner.Outcome quoted = query("SELECT '" + "(".repeat(500) + "' AS s -- " + "(".repeat(500));
        assertEquals(0, quoted.exitCode(), quoted.err());
    }
}
