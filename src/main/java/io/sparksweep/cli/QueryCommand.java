package io.sparksweep.cli;

import io.sparksweep.BadInputException;
import io.sparksweep.results.QuerySandbox;
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

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code query "SQL"}: Spark SQL over the result tables, registered as views named after the tables. Reads only. */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Run Spark SQL over the result tables (trials, epochs, class_metrics, confusion, sweeps; "
                + "'tables' lists their columns). It only reads these tables: statements that would write, read "
                + "files or call Java are refused.")
final class QueryCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SQL", description = "the query, e.g. \"SELECT * FROM trials\"")
    String sql;

    @Mixin
    ResultsOptions results;

    @Option(names = "--format", paramLabel = "table|csv|json|markdown", defaultValue = "table",
            converter = FormatConverter.class,
            description = "table (aligned, default), csv, json (one object per line) or markdown")
    QueryFormat format;

    @Option(names = "--sweep", paramLabel = "NAME", description = "only this sweep's rows, in every table")
    String sweep;

    @Option(names = "--limit", description = "rows to print at most (default: 100 for table, all otherwise)")
    Integer limit;

    @Override
    public Integer call() throws Exception {
        OutputDirectory.requireResults(results.output);
        if (limit != null && limit < 0) {
            throw new BadInputException("--limit must be 0 or more, got " + limit);
        }
        try (SparkSessions.Handle handle = SparkSessions.open("sparksweep query", "local[*]", false)) {
            SparkSession spark = handle.session();
            if (sweep != null) {
                ResultTables.requireSweep(spark, results.output, sweep);
            }
            QuerySandbox sandbox = QuerySandbox.over(spark, results.output, sweep);
            String text;
            try {
                Dataset<Row> result = sandbox.run(sql);
                text = format.render(result, limit != null ? limit : format.defaultLimit());
            } catch (StackOverflowError e) {
                throw new BadInputException("query is nested too deeply for Spark to parse and plan; simplify it", e);
            } catch (Exception e) {
                // Scala does not declare AnalysisException (bad SQL, unknown table or column), so catch broadly.
                if (e instanceof AnalysisException analysis) {
                    throw new BadInputException(QueryErrors.explain(analysis), e);
                }
                throw e;
            }
            System.out.print(text);
            return Main.OK;
        }
    }

    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<QueryFormat> {
        @Override
        public QueryFormat convert(String value) {
            try {
                return QueryFormat.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(
                        "--format must be table, csv, json or markdown, got '" + value + "'");
            }
        }
    }
}
