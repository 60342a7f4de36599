package io.sparksweep.cli;

import io.sparksweep.BuildInfo;
import io.sparksweep.data.DatasetBundle;
import io.sparksweep.data.DatasetLocator;
import io.sparksweep.data.RawDataset;
import io.sparksweep.grid.GridExpander;
import io.sparksweep.grid.TrialConfig;
import io.sparksweep.results.ResultStore;
import io.sparksweep.results.ResultTables;
import io.sparksweep.results.SweepRun;
import io.sparksweep.spark.ExecutorState;
import io.sparksweep.spark.SparkSessions;
import io.sparksweep.spark.SweepRunner;
import io.sparksweep.spec.MetricSpec;
import io.sparksweep.spec.SweepFileLoader;
import io.sparksweep.spec.SweepSpec;
import io.sparksweep.BadInputException;
import io.sparksweep.train.TrialResult;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code run SWEEP.yaml}: validate, plan, train every trial on Spark, store the results, print the leaderboard. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a sweep: every trial of SWEEP.yaml as a Spark task, results as Parquet under --output.")
final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SWEEP.yaml", description = "the sweep file")
    Path sweepFile;

    @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[*])")
    String master;

    @Option(names = "--output", defaultValue = "results", description = "results directory (default: ${DEFAULT-VALUE})")
    String output;

    @Option(names = "--data-dir", description = "directory with the dataset's IDX files (default: $"
            + DatasetLocator.DATA_DIR_ENV + ", then the user cache, /usr/share/datasets, a download)")
    Path dataDir;

    @Option(names = "--no-download", description = "never download datasets")
    boolean noDownload;

    @Option(names = "--dry-run", description = "print the planned trials and their count, run nothing")
    boolean dryRun;

    @Option(names = "--slots", description = "trials to run at once (default: Spark's cores / spark.task.cpus)")
    Integer slots;

    @Option(names = "--ui", description = "keep the Spark UI on for local runs")
    boolean ui;

    @Option(names = "--verbose", description = "stack traces on errors")
    boolean verbose;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        SweepSpec spec = SweepFileLoader.load(sweepFile);
        List<TrialConfig> trials = GridExpander.expand(spec);
        if (dryRun) {
            printPlan(out, spec, trials);
            return Main.OK;
        }
        if (slots != null && slots < 1) {
            throw new BadInputException("--slots must be at least 1, got " + slots);
        }
        OutputDirectory.checkWritable(output);
        DatasetBundle bundle = DatasetLocator.standard(dataDir, !noDownload).load(spec.dataset().kind());
        RawDataset raw = bundle.decode(); // a corrupt file is bad input, found before Spark starts
        ExecutorState.putDecoded(bundle, raw); // local mode: executors reuse this decoded copy
        out.printf("sweep %s: %d trials on %s (%s)%n", spec.name(), trials.size(), spec.dataset().canonical(),
                bundle.source());

        try (SparkSessions.Handle handle = SparkSessions.open("sparksweep " + spec.name(), master, ui)) {
            SparkSession spark = handle.session();
            SweepRun run = SweepRun.start(spec, spark.sparkContext().master());
            ResultStore store = new ResultStore(spark, output);
            String versions = BuildInfo.describe(spark.version());
            store.writeSweep(run, trials.size(), null, versions);
            int slotCount = slots != null ? slots : SweepRunner.defaultSlots(spark);
            out.printf("master %s, %d slot(s), run %s, results in %s%n", run.master(), slotCount, run.runId(),
                    store.root());
            ProgressPrinter progress = new ProgressPrinter(out, spec.metric());
            List<TrialResult> results = new SweepRunner(spark, store, slotCount).run(run, trials, bundle, progress);
            store.writeSweep(run, trials.size(), Instant.now(), versions);
            out.printf("%nfinished %d trials, %d did not complete%n", results.size(), progress.failed());
            printLeaderboard(spark, out, run, spec.metric());
            return Main.OK;
        }
    }

    private static void printPlan(PrintStream out, SweepSpec spec, List<TrialConfig> trials) {
        out.printf("sweep %s on %s: %d trials%n", spec.name(), spec.dataset().canonical(), trials.size());
        for (int i = 0; i < trials.size(); i++) {
            out.printf("%4d  %s  %s%n", i + 1, trials.get(i).trialId(), trials.get(i).label());
        }
    }

    private void printLeaderboard(SparkSession spark, PrintStream out, SweepRun run, MetricSpec metric) {
        ResultTables.registerViews(spark, output);
        String order = metric.goal() == MetricSpec.Goal.MAXIMIZE ? "DESC" : "ASC";
        out.println("leaderboard (by " + metric.name().key() + "):");
        out.print(TablePrinter.render(spark.sql("SELECT trial_id, model, hidden_layers, conv_channels, kernel_size, optimizer, "
                + "learning_rate, batch_size, epochs, round(test_accuracy, 4) AS test_accuracy, "
                + "round(macro_f1, 4) AS macro_f1, round(train_seconds, 1) AS train_s, status FROM trials "
                + "WHERE sweep_id = '" + run.sweepId() + "' ORDER BY " + metric.name().key() + " " + order
                + " NULLS LAST"), 10));
    }
}
