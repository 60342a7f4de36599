package io.sparksweep.cli;

import io.sparksweep.BadInputException;
import io.sparksweep.results.ReadOnlySql;
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
                + "'tables' lists their columns). Statements that would write or drop are refused.")
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
        try (SparkSessions.Handle handle = SparkSessions.open("sparksweep query", "local[*]", false)) {
            SparkSession spark = handle.session();
            // (also when the session existed before this command, e.g. in a notebook's JVM)
            spark.conf().set("spark.sql.jsonGenerator.ignoreNullFields", "false");
            if (sweep != null) {
                ResultTables.requireSweep(spark, results.output, sweep);
            }
            ResultTables.registerViews(spark, results.output, sweep);
            String text;
            try {
                ReadOnlySql.check(spark, sql);
                Dataset<Row> result = spark.sql(sql);
                text = format.render(result, limit != null ? limit : format.defaultLimit());
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
