package io.sparksweep.cli;

import io.sparksweep.BadInputException;
import io.sparksweep.BuildInfo;
import io.sparksweep.data.DataPreparer;
import io.sparksweep.data.Leakage;
import io.sparksweep.data.DatasetLocator;
import io.sparksweep.device.DeviceBinding;
import io.sparksweep.device.GpuFallback;
import io.sparksweep.data.RawDataset;
import io.sparksweep.grid.GridExpander;
import io.sparksweep.grid.TrialConfig;
import io.sparksweep.grid.TrialGroup;
import io.sparksweep.data.Validation;
import io.sparksweep.results.HeldOut;
import io.sparksweep.results.KeptModels;
import io.sparksweep.results.ParameterImportance;
import io.sparksweep.results.ResultStore;
import io.sparksweep.results.ResultTables;
import io.sparksweep.results.RunClaim;
import io.sparksweep.results.StoredTrial;
import io.sparksweep.results.SweepRun;
import io.sparksweep.spark.ExecutorState;
import io.sparksweep.spark.LoopRunner;
import io.sparksweep.spark.OwnData;
import io.sparksweep.spark.SparkSessions;
import io.sparksweep.spark.SweepData;
import io.sparksweep.spark.Tally;
import io.sparksweep.spark.TaskSettings;
import io.sparksweep.spec.MetricSpec;
import io.sparksweep.spec.SearchMethod;
import io.sparksweep.spec.SweepFileLoader;
import io.sparksweep.spec.SweepSpec;
import io.sparksweep.train.TrainLoop;
import io.sparksweep.train.TrialResult;
import io.sparksweep.train.TrialStatus;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code run SWEEP.yaml}: validate, plan, skip what the output already holds, train the rest on Spark, store the
 * results trial by trial, print the leaderboard.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a sweep: every trial of SWEEP.yaml as a Spark task, results as Parquet under --output. "
                + "Trials already finished in --output are skipped (resume) unless --fresh.")
final class RunCommand implements Callable<Integer> {
    /** Exit code when trials did not complete and --fail-on-error was given. */
    static final int TRIALS_FAILED = 3;
    /** More trials at once than any cluster SparkSweep has met; the bound keeps scheduling arithmetic small. */
    static final int MAX_SLOTS = 100_000;

    @Parameters(paramLabel = "SWEEP.yaml", description = "the sweep file")
    Path sweepFile;

    @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[*])")
    String master;

    @Mixin
    ResultsOptions results;

    @Option(names = "--data-dir", description = "directory with the dataset's IDX files (default: $"
            + DatasetLocator.DATA_DIR_ENV + ", then the user cache, /usr/share/datasets, a download)")
    Path dataDir;

    @Option(names = "--no-download", description = "never download datasets")
    boolean noDownload;

    @Option(names = "--dry-run", description = "print the planned trials and their count, run nothing")
    boolean dryRun;

    @Option(names = "--fresh", description = "run every trial, even those already finished in --output")
    boolean fresh;

    @Option(names = "--fail-on-error", description = "exit with code " + TRIALS_FAILED
            + " when any trial did not complete")
    boolean failOnError;

    @Option(names = "--slots", description = "trials to run at once (default: Spark's cores / spark.task.cpus)")
    Integer slots;

    @Option(names = "--gpus", split = ",", description = "local runs: GPU addresses to hand to concurrent trials, "
            + "one each (e.g. --gpus 0,1); sets --slots to their number unless given")
    List<String> gpus;

    @Option(names = "--gpu-fallback", paramLabel = "fail|cpu", converter = GpuFallbackConverter.class,
            description = "when a trial's GPU cannot run the CUDA backend (compute capability outside "
                    + "3.7-8.6, no CUDA runtime): fail stops the sweep before training (default), cpu trains those "
                    + "trials on CPU")
    GpuFallback gpuFallback = GpuFallback.FAIL;

    @Option(names = "--train-loop", paramLabel = "auto|dl4j", defaultValue = "auto",
            description = "auto (default): MLPs and CNNs on the CPU backend train with SparkSweep's direct step (DL4J's "
                    + "fit computed directly, several times faster; results agree up to float rounding); dl4j: "
                    + "every trial trains with DL4J's fit")
    String trainLoop;

    @Option(names = "--ui", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "serve the Spark UI while the sweep runs (default; on 127.0.0.1 only for local runs)")
    boolean ui;


    @Override
    public Integer call() {
        PrintStream out = System.out;
        boolean directStep;
        try {
            directStep = TrainLoop.directAllowed(trainLoop);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--train-loop: " + e.getMessage());
        }
        SweepSpec spec = SweepFileLoader.load(sweepFile);
        if (dryRun && spec.dataset().bound()) {
            printPlan(out, spec, plan(spec));
            return Main.OK;
        }
        if (slots != null && (slots < 1 || slots > MAX_SLOTS)) {
            throw new BadInputException("--slots must be 1 to " + MAX_SLOTS + ", got " + slots);
        }
        if (!dryRun) {
            checkPlace();
        }
        // The built-ins are read before Spark starts (a bad file costs no session); the user's data through Spark.
        SweepData data = spec.dataset().bound() ? SweepData.load(spec.dataset(), null, dataDir, !noDownload,
                null, spec.source()) : null;
        TaskSettings settings = new TaskSettings(gpuFallback, directStep, gpus == null ? List.of() : gpus);
        try (SparkSessions.Handle handle = SparkSessions.open("sparksweep " + spec.name(), master, ui)) {
            SparkSession spark = handle.session();
            if (data == null) {
                data = SweepData.load(spec.dataset(), () -> spark, dataDir, !noDownload, results.output,
                        spec.source());
            }
            spec = spec.withDataset(data.spec());
            List<TrialConfig> trials = plan(spec); // kernels checked against the data's real size
            if (dryRun) {
                out.println(data.describe());
                printLeakage(out, data, spec);
                printPlan(out, spec, trials);
                return Main.OK;
            }
            return claimAndRun(out, spark, spec, data, trials, settings);
        }
    }

    /** Claims the sweep in the output (one run at a time), caches the data read, and runs what is left. */
    private int claimAndRun(PrintStream out, SparkSession spark, SweepSpec spec, SweepData data,
            List<TrialConfig> trials, TaskSettings settings) {
        SweepRun run = SweepRun.start(spec, SparkSessions.master(spark.sparkContext()), data.checksum(),
                heldOut(data.raw(), spec), data.report());
        ResultStore store = new ResultStore(spark, results.output);
        try (RunClaim claim = RunClaim.take(spark.sparkContext().hadoopConfiguration(), results.output, run)) {
            claim.takenOver().forEach(h -> out.printf("taking over from run %s on %s (pid %d, running since %s): "
                    + "its driver is gone%n", h.runId(), h.host(), h.pid(), h.startedAt()));
            if (data.own() != null) {
                OwnData.cache(spark, results.output, data.own()).ifPresent(problem -> out.println("warning: the "
                        + "prepared data could not be cached in the output (" + problem + "): the next run reads "
                        + "the files again"));
            }
            return runClaimed(out, spark, run, store, trials, settings, data, data.checksum());
        }
    }

    /** The planned trials: TPE proposes its trials as results arrive, so none are planned. */
    private static List<TrialConfig> plan(SweepSpec spec) {
        return spec.method() == SearchMethod.TPE ? List.of() : GridExpander.expand(spec);
    }

    /** The output, the master and local GPUs are usable: checked before any data is read. */
    private void checkPlace() {
        OutputDirectory.checkWritable(results.output);
        SparkSessions.runningMaster().filter(running -> master != null && !running.equals(master)).ifPresent(running -> {
            throw new BadInputException("--master " + master + ": this JVM already has a Spark session, on " + running
                    + ", and a sweep started from it runs there; leave out --master or stop that session first");
        });
        if (gpus != null) {
            checkLocalGpus();
            // Local GPUs are this machine's: check them all before anything trains (fails fast, or warns).
            gpus.forEach(gpu -> DeviceBinding.plan(gpu, gpuFallback));
        }
        if (master != null) {
            MasterCheck.check(master);
        }
    }

    /** The sweep, once this run holds its claim on the output: resume what is stored, train the rest, summarize. */
    private int runClaimed(PrintStream out, SparkSession spark, SweepRun run, ResultStore store,
            List<TrialConfig> trials, TaskSettings settings, SweepData data, String dataChecksum) {
        SweepSpec spec = run.spec();
        Map<String, StoredTrial> stored = sameData(out, store.storedTrials(run.sweepId()), dataChecksum);
        List<TrialConfig> pending = pending(out, store, run, trials, stored);
        String versions = BuildInfo.describe(spark.version());
        int slotCount = slots != null ? slots : gpus != null ? gpus.size() : LoopRunner.defaultSlots(spark);
        store.writeSweep(run, trials.size(), null, versions, null);
        out.printf("sweep %s: %s on %s%n", spec.name(), spec.method() == SearchMethod.TPE
                ? "trials proposed as results arrive" : pending.size() + " trials (" + TrialGroup.of(pending).size()
                + " training runs)", spec.dataset().canonical());
        out.println(data.describe());
        out.println(validationLine(run));
        printLeakage(out, data, spec);
        out.printf("method %s, master %s, %d slot(s), run %s, results in %s%n", spec.search().label(),
                run.master(), slotCount, run.runId(), store.root());
        printUi(out, spark, run);
        Map<String, TrialResult> storedFolds = storedFolds(out, store, run, stored);
        LoopRunner.Outcome outcome;
        try (ProgressPrinter progress = ProgressPrinter.forOutput(out, spec.metric(),
                LoopRunner.expectedTrials(spec, fresh ? Map.of() : stored), slotCount)) {
            outcome = new LoopRunner(spark, store, slotCount, settings).run(run, data.shipment(),
                    fresh ? Map.of() : stored, storedFolds, progress);
        }
        store.writeSweep(run, trials.size(), Instant.now(), versions, outcome.stoppedBy());
        int code = summarize(out, spark, run, store, outcome);
        store.compact(run.sweepId()); // one file per table for the sweep: what readers open
        return code;
    }

    private void printUi(PrintStream out, SparkSession spark, SweepRun run) {
        if (spark.sparkContext().uiWebUrl().isDefined()) {
            out.println("Spark UI: " + spark.sparkContext().uiWebUrl().get() + " (each trial's job is named "
                    + "after its parameters)");
        } else if (ui && run.master().startsWith("local") && !SparkSessions.uiOnLoopback()) {
            out.println("Spark UI: off, since it would listen on every network interface; set SPARK_LOCAL_IP="
                    + "127.0.0.1 (jobs/run-local.sh does) to serve it on this machine only");
        }
    }

    /** The run's summary: counts, the budget, the leaderboard, importance, the refit, the best model; the exit code. */
    private int summarize(PrintStream out, SparkSession spark, SweepRun run, ResultStore store,
            LoopRunner.Outcome outcome) {
        SweepSpec spec = run.spec();
        Tally finished = outcome.finished();
        long incomplete = finished.total() - finished.count(TrialStatus.COMPLETED);
        out.printf("%nfinished %d trials, %d did not complete%s%n", finished.total(), incomplete,
                incomplete == 0 ? "" : " (" + summary(finished) + ")");
        if (outcome.stoppedBy() != null) {
            out.printf("stopped starting trials: the budget's %s limit (%s) was reached%n", outcome.stoppedBy(),
                    budgetLimit(spec, outcome.stoppedBy()));
        }
        printLeaderboard(spark, out, run, spec.metric());
        printImportance(out, spec, store.writeImportance(run));
        if (outcome.refit() != null) {
            printRefit(out, outcome.refit());
        }
        printBestModel(spark, out, spec);
        // pruned and early-stopped trials ended as planned: not failures
        return failOnError && finished.failed() > 0 ? TRIALS_FAILED : Main.OK;
    }

    /** The folds of unfinished trials an earlier run finished: taken as they are (none with --fresh). */
    private Map<String, TrialResult> storedFolds(PrintStream out, ResultStore store, SweepRun run,
            Map<String, StoredTrial> stored) {
        if (fresh || !(run.spec().dataset().validation() instanceof Validation.Folds)) {
            return Map.of();
        }
        Map<String, TrialResult> folds = store.storedFolds(run);
        long pending = folds.values().stream().filter(f -> !stored.containsKey(f.trialId())
                || !stored.get(f.trialId()).status().isFinal()).count();
        if (pending > 0) {
            out.printf("resuming: %d folds of unfinished trials are stored and are not trained again%n", pending);
        }
        return folds;
    }

    /** Which examples choose the winner, and which give the held-out estimate: the run's own words. */
    private static String validationLine(SweepRun run) {
        if (run.heldOut() == null) {
            return "validation: none (trials are ranked on the test set; dataset.validation: 0.1 holds 10% of the "
                    + "training examples out to choose on instead)";
        }
        return "validation: " + run.spec().dataset().validation().describe() + " of the training examples ("
                + run.heldOut().images() + " held out, chosen on; the test set is only reported)";
    }

    /** One warning line per part (test, validation) that repeats training examples. */
    private static void printLeakage(PrintStream out, SweepData data, SweepSpec spec) {
        Leakage.find(data.raw(), holdout(data.raw(), spec)).forEach(overlap -> out.println(overlap.describe()));
    }

    /** The examples a holdout takes out of the training set (none without one, or under folds). */
    private static int[] holdout(RawDataset raw, SweepSpec spec) {
        return spec.dataset().validation().folds() == 1 ? DataPreparer.validationFolds(raw, spec.dataset())[0]
                : new int[0];
    }

    /** The images the sweep holds out, as its {@code sweeps} row records them (null without a split). */
    private static HeldOut heldOut(RawDataset raw, SweepSpec spec) {
        if (!spec.dataset().validation().any()) {
            return null;
        }
        int[][] folds = DataPreparer.validationFolds(raw, spec.dataset());
        return new HeldOut(Arrays.stream(folds).mapToInt(f -> f.length).sum(),
                DataPreparer.validationDigest(folds));
    }

    /**
     * The stored trials that count for this run: a trial trained on other data under the same dataset name (other
     * files in --data-dir, say) is run again, as if it had never been stored.
     */
    private static Map<String, StoredTrial> sameData(PrintStream out, Map<String, StoredTrial> stored,
            String checksum) {
        Map<String, StoredTrial> same = new HashMap<>(stored);
        same.values().removeIf(trial -> !trial.trainedOn(checksum));
        if (same.size() < stored.size()) {
            out.printf("%d stored trial(s) were trained on other data (data_sha256 differs: the dataset's files "
                    + "changed) and run again%n", stored.size() - same.size());
        }
        return same;
    }

    /**
     * The trials still to run: all of them with --fresh, otherwise those without a final row (see
     * {@link TrialStatus#isFinal()}) in the output. A stored trial whose id matches but whose parameters differ is an error.
     */
    private List<TrialConfig> pending(PrintStream out, ResultStore store, SweepRun run, List<TrialConfig> trials,
            Map<String, StoredTrial> stored) {
        List<TrialConfig> pending = new ArrayList<>();
        for (TrialConfig trial : trials) {
            StoredTrial s = stored.get(trial.trialId());
            if (s != null && s.config() != null && !s.config().equals(trial.canonical())) {
                throw new BadInputException("trial id " + trial.trialId() + " of sweep " + run.spec().name()
                        + " is already in " + results.output + " with other parameters (" + s.config() + ", now "
                        + trial.canonical() + "): use another --output or sweep name");
            }
            if (fresh || s == null || !s.status().isFinal()) {
                pending.add(trial);
            }
        }
        int removed = store.removeOrphans(run.sweepId());
        if (!fresh && run.spec().method() == SearchMethod.TPE && !stored.isEmpty()) {
            out.printf("resuming: %d trials of this sweep are stored in %s; the search goes on from them (--fresh "
                    + "starts over)%n", stored.size(), results.output);
        }
        if (!fresh && pending.size() < trials.size()) {
            out.printf("resuming: %d of %d trials are already finished in %s and are skipped (--fresh reruns them)%s%n",
                    trials.size() - pending.size(), trials.size(), results.output,
                    removed > 0 ? "; removed the rows of " + removed + " interrupted trials" : "");
        }
        return pending;
    }

    private static String budgetLimit(SweepSpec spec, String limit) {
        return switch (limit) {
            case "trials" -> spec.search().budget().trials() != null ? spec.search().budget().trials() + " trials"
                    : spec.random().trials() + " configurations";
            case "time" -> spec.search().budget().time().toString().substring(2).toLowerCase(Locale.ROOT);
            default -> spec.metric().name().key() + " " + spec.search().budget().target();
        };
    }

    static final class GpuFallbackConverter implements CommandLine.ITypeConverter<GpuFallback> {
        @Override
        public GpuFallback convert(String value) {
            try {
                return GpuFallback.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** --gpus is for local runs (on a cluster Spark assigns GPUs); addresses are distinct whole numbers. */
    private void checkLocalGpus() {
        String effective = master != null ? master
                : SparkSessions.runningMaster().orElse(System.getProperty("spark.master", "local[*]"));
        if (!effective.startsWith("local")) {
            throw new BadInputException("--gpus is for local runs; on " + effective + " let Spark assign GPUs with "
                    + "spark.task.resource.gpu.amount and a discovery script (jobs/gpu-discovery.sh)");
        }
        if (gpus.isEmpty() || gpus.stream().anyMatch(g -> !g.matches("\\d+"))
                || gpus.stream().distinct().count() != gpus.size()) {
            throw new BadInputException("--gpus takes distinct GPU indices such as 0,1, got " + String.join(",", gpus));
        }
    }

    /** e.g. {@code 2 FAILED, 1 PRUNED}: the trials that did not complete, by status. */
    private static String summary(Tally finished) {
        List<String> parts = new ArrayList<>();
        finished.counts().forEach((status, n) -> {
            if (status != TrialStatus.COMPLETED) {
                parts.add(n + " " + status);
            }
        });
        return String.join(", ", parts);
    }

    private static void printPlan(PrintStream out, SweepSpec spec, List<TrialConfig> trials) {
        out.printf("sweep %s on %s: %d trials in %d training runs%n", spec.name(), spec.dataset().canonical(),
                trials.size(), TrialGroup.of(trials).size());
        for (int i = 0; i < trials.size(); i++) {
            out.printf("%4d  %s  %s%n", i + 1, trials.get(i).trialId(), trials.get(i).label());
        }
    }

    private static void printImportance(PrintStream out, SweepSpec spec,
            List<ParameterImportance.Importance> importances) {
        if (importances.isEmpty()) {
            return;
        }
        out.println("parameters that mattered for " + spec.metric().name().key() + " (random forest over "
                + importances.get(0).configurations() + " configurations): " + importances.stream()
                .map(i -> String.format(Locale.ROOT, "%s %.2f", i.parameter(), i.importance()))
                .collect(Collectors.joining(", ")));
    }

    /** Where the sweep's best kept model is, and how to use it: the summary's last line. */
    private void printBestModel(SparkSession spark, PrintStream out, SweepSpec spec) {
        List<Row> best = KeptModels.ranked(spark, results.output, spec.name()).where("rank = 1").collectAsList();
        if (best.isEmpty()) {
            out.println("no model kept (keep_models: " + spec.keepModels().describe(spec.refit()) + ")");
            return;
        }
        Row model = best.get(0);
        String refitOf = model.getAs("refit_of");
        Double value = model.getAs("metric_value");
        out.printf(Locale.ROOT, "best model: %s (%s, %,d bytes); 'export --best --sweep %s --to FILE' copies it, "
                + "'evaluate' and 'predict --model FILE' use it%n", OutputDirectory.display(model.getAs("path")),
                refitOf != null ? "the refit of " + refitOf : "trial " + model.getAs("trial_id") + (value == null ? ""
                        : String.format(Locale.ROOT, ", %s %.4f", model.<String>getAs("metric"), value)),
                model.<Long>getAs("bytes"), spec.name());
    }

    private static void printRefit(PrintStream out, TrialResult refit) {
        if (refit.status() != TrialStatus.COMPLETED) {
            out.printf("refit %s %s: %s%n", refit.trialId(), refit.status(), refit.error());
            return;
        }
        out.printf(Locale.ROOT, "refit %s (the winner on all %,d training images, %d epochs): "
                + "test_accuracy %.4f, test_loss %.4f: the sweep's final result%n", refit.trialId(),
                refit.trainSamples(), refit.config().epochs(), refit.testAccuracy(), refit.testLoss());
    }

    private void printLeaderboard(SparkSession spark, PrintStream out, SweepRun run, MetricSpec metric) {
        ResultTables.registerViews(spark, results.output, null, Set.of(ResultTables.CONFIGS));
        String order = metric.goal() == MetricSpec.Goal.MAXIMIZE ? "DESC" : "ASC";
        String key = metric.name().key();
        String sweep = "sweep_id = '" + run.sweepId() + "'";
        boolean heldOut = run.spec().dataset().validation().any();
        out.println("leaderboard (by " + key + (heldOut ? "; test_accuracy is the held-out estimate, never "
                + "used to choose" : "") + "):");
        if (run.spec().seeds().size() > 1) {
            out.print(TablePrinter.render(spark.sql("SELECT config_id, model, hidden_layers, conv_channels, "
                    + "kernel_size, optimizer, learning_rate, batch_size, epochs, n, round(metric_mean, 4) AS "
                    + key + "_mean, round((metric_ci_high - metric_ci_low) / 2, 4) AS ci95"
                    + (key.equals("test_accuracy") ? "" : ", round(test_accuracy_mean, 4) AS test_accuracy_mean")
                    + " FROM configs WHERE " + sweep
                    + " ORDER BY metric_mean " + order + " NULLS LAST"), 10));
        } else {
            String shown = heldOut ? "round(" + key + ", 4) AS " + key + ", " : "";
            out.print(TablePrinter.render(spark.sql("SELECT trial_id, model, hidden_layers, conv_channels, "
                    + "kernel_size, optimizer, learning_rate, batch_size, epochs, " + shown
                    + "round(test_accuracy, 4) AS test_accuracy, round(macro_f1, 4) AS macro_f1, "
                    + "round(train_seconds, 1) AS train_s, status FROM trials WHERE " + sweep
                    + " AND refit_of IS NULL ORDER BY " + key + " " + order + " NULLS LAST"), 10));
        }
    }
}
