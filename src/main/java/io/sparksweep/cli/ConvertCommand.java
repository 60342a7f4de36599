package io.sparksweep.cli;

import io.sparksweep.results.LayoutConversion;
import io.sparksweep.results.ResultTable;
import io.sparksweep.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code convert}: an output of the layout before Delta tables, converted in place. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert an output written before the result tables were Delta tables (plain Parquet files) "
                + "in place; the old folders move to _old-layout/ under --output.")
final class ConvertCommand implements Callable<Integer> {
    @Mixin
    ResultsOptions results;

    @Override
    public Integer call() {
        OutputDirectory.requireResults(results.output);
        List<ResultTable> converted;
        try (SparkSessions.Handle spark = SparkSessions.open("sparksweep convert", "local[*]", false)) {
            converted = new LayoutConversion(spark.session(), results.output).convert();
        }
        System.out.println(converted.isEmpty() ? "every result table in " + results.output + " is a Delta table already"
                : "converted " + converted.size() + " table(s) to Delta tables: " + String.join(", ",
                converted.stream().map(ResultTable::tableName).toList()) + "; the old files are in "
                + results.output + "/_old-layout");
        return Main.OK;
    }
}
