package io.sparksweep.cli;

import io.sparksweep.report.HtmlReport;
import io.sparksweep.report.ReportData;
import io.sparksweep.report.ReportLoader;
import io.sparksweep.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code report}: an HTML page with charts for one or several sweeps, readable offline. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write an HTML report (leaderboard and PNG charts) of one or more sweeps.")
final class ReportCommand implements Callable<Integer> {
    @Option(names = "--sweep", description = "sweep name to include (repeatable; default: every sweep)")
    List<String> sweeps = List.of();

    @Mixin
    ResultsOptions results;

    @Option(names = "--to", defaultValue = "report", description = "report folder to write (default: ${DEFAULT-VALUE})")
    Path to;


    @Override
    public Integer call() throws Exception {
        OutputDirectory.requireResults(results.output);
        OutputDirectory.checkReportFolder(to, results.output);
        ReportData data;
        try (SparkSessions.Handle spark = SparkSessions.open("sparksweep report", "local[*]", false)) {
            data = ReportLoader.load(spark.session(), results.output, sweeps);
        }
        Path index = HtmlReport.write(data, to);
        System.out.println("report of " + String.join(", ", data.sweeps()) + " (" + data.trials().size()
                + " trials): " + index.toAbsolutePath());
        return Main.OK;
    }
}
