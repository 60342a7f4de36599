package io.sparksweep.cli;

import io.sparksweep.results.ResultDoctor;
import io.sparksweep.spark.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code doctor}: finds result files that cannot be read and stale staging files, and moves them aside. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check every result file; move unreadable ones (and staging files older than 15 minutes) to "
                + "_quarantine/ under --output and repair the tables from what is left, so that query, report and "
                + "run work again and a rerun of the sweep trains the affected trials again.")
final class DoctorCommand implements Callable<Integer> {
    @Mixin
    ResultsOptions results;

    @Option(names = "--dry-run", description = "only list what would be moved")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        OutputDirectory.requireResults(results.output);
        ResultDoctor.Report report;
        try (SparkSessions.Handle spark = SparkSessions.open("sparksweep doctor", "local[1]", false)) {
            report = new ResultDoctor(spark.session(), results.output)
                    .examine(dryRun, Instant.now());
        }
        PrintStream out = System.out;
        if (report.clean()) {
            out.println("every result file in " + results.output + " can be read; no stale staging files");
            return Main.OK;
        }
        String verb = dryRun ? "would move" : "moved";
        print(out, verb, "unreadable", report.unreadable());
        print(out, verb, "stale staging file", report.staleStaging());
        out.printf("%s %d file(s)%s%s%n", verb, report.unreadable().size() + report.staleStaging().size(),
                report.movedTo() == null ? "" : " to " + report.movedTo() + " and repaired the tables",
                report.trialIds().isEmpty() ? "" : "; rerunning their sweeps trains these trials again: "
                        + String.join(", ", report.trialIds()));
        return Main.OK;
    }

    private static void print(PrintStream out, String verb, String what, List<ResultDoctor.Finding> findings) {
        for (ResultDoctor.Finding finding : findings) {
            out.printf("%s %s: %s (%s)%n", verb, what, finding.file(), finding.problem());
        }
    }
}
