package io.sparksweep.cli;

import io.sparksweep.results.KeptModels;
import io.sparksweep.results.ResultTables;
import io.sparksweep.spark.SparkSessions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code models}: the networks sweeps kept, best first within each sweep, with their metrics and files. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the models sweeps kept (keep_models in the sweep file), best first within each sweep: "
                + "rank 1 is what 'export --best' takes (a refit, when the sweep has one).")
final class ModelsCommand implements Callable<Integer> {
    @Mixin
    ResultsOptions results;

    @Option(names = "--sweep", paramLabel = "NAME", description = "only this sweep's models")
    String sweep;

    @Option(names = "--format", paramLabel = "table|csv|json|markdown", defaultValue = "table",
            converter = QueryCommand.FormatConverter.class, description = "as for query (default: table)")
    QueryFormat format;

    @Override
    public Integer call() {
        OutputDirectory.requireResults(results.output);
        try (SparkSessions.Handle handle = SparkSessions.open("sparksweep models", "local[*]", false)) {
            SparkSession spark = handle.session();
            if (sweep != null) {
                ResultTables.requireSweep(spark, results.output, sweep);
            }
            Dataset<Row> models = KeptModels.ranked(spark, results.output, sweep);
            models = models.drop("sweep_id");
            if (format == QueryFormat.TABLE) {
                models = models.selectExpr("sweep_name", "rank", "trial_id", "refit_of", "metric",
                        "round(metric_value, 4) AS metric_value", "round(test_accuracy, 4) AS test_accuracy", "bytes",
                        "path");
            }
            System.out.print(format.render(models, 1_000_000));
            return Main.OK;
        }
    }
}
