package io.sparksweep.cli;

import io.sparksweep.BadInputException;
import io.sparksweep.results.ResultTables;
import io.sparksweep.spark.SparkSessions;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code query "SQL"}: Spark SQL over the result tables, registered as views named after the tables. */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Run Spark SQL over the result tables (trials, epochs, class_metrics, confusion, sweeps).")
final class QueryCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SQL", description = "the query, e.g. \"SELECT * FROM trials\"")
    String sql;

    @Mixin
    ResultsOptions results;

    @Option(names = "--limit", defaultValue = "100", description = "rows to print at most (default: ${DEFAULT-VALUE})")
    int limit;


    @Override
    public Integer call() {
        OutputDirectory.requireResults(results.output);
        try (SparkSessions.Handle handle = SparkSessions.open("sparksweep query", "local[*]", false)) {
            SparkSession spark = handle.session();
            ResultTables.registerViews(spark, results.output);
            String table;
            try {
                Dataset<Row> result = spark.sql(sql);
                table = TablePrinter.render(result, limit);
            } catch (Exception e) {
                // Scala does not declare AnalysisException (bad SQL, unknown table or column), so catch broadly.
                if (e instanceof AnalysisException) {
                    throw new BadInputException("query failed: " + e.getMessage().replace('\n', ' '), e);
                }
                throw e;
            }
            System.out.print(table);
            return Main.OK;
        }
    }
}
