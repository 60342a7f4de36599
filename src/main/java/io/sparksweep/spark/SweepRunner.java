package io.sparksweep.spark;

import io.sparksweep.data.DatasetBundle;
import io.sparksweep.grid.TrialConfig;
import io.sparksweep.results.ResultStore;
import io.sparksweep.results.SweepRun;
import io.sparksweep.train.Placement;
import io.sparksweep.train.TrialResult;
import io.sparksweep.train.TrialStatus;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs trials on Spark, one Spark job of one task per trial, submitted from a driver-side pool with one thread
 * per executor slot (the design of Hyperopt's SparkTrials). When a trial finishes, its rows are written and the
 * next trial starts in the freed slot: no barrier between waves, and a slow trial holds up only itself. The
 * dataset is broadcast once; executors decode it once per JVM.
 */
public final class SweepRunner {
    private final SparkSession spark;
    private final ResultStore store;
    private final int slots;

    public SweepRunner(SparkSession spark, ResultStore store, int slots) {
        this.spark = spark;
        this.store = store;
        this.slots = slots;
    }

    /** Executor slots: total cores Spark reports (defaultParallelism) divided by {@code spark.task.cpus}. */
    public static int defaultSlots(SparkSession spark) {
        int taskCpus = Integer.parseInt(spark.conf().get("spark.task.cpus", "1"));
        return Math.max(1, spark.sparkContext().defaultParallelism() / Math.max(1, taskCpus));
    }

    /** Runs every trial, writing each one's rows as it finishes; returns the results in grid order. */
    public List<TrialResult> run(SweepRun run, List<TrialConfig> trials, DatasetBundle dataset,
            SweepListener listener) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<DatasetBundle> shipped = jsc.broadcast(dataset);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(slots, trials.size())), r -> {
            Thread t = new Thread(r, "sparksweep-trial");
            t.setDaemon(true);
            return t;
        });
        try {
            ExecutorCompletionService<TrialResult> done = new ExecutorCompletionService<>(pool);
            for (TrialConfig trial : trials) {
                done.submit(() -> runOne(jsc, run, trial, shipped, listener));
            }
            Map<String, TrialResult> byId = new HashMap<>();
            for (int finished = 1; finished <= trials.size(); finished++) {
                TrialResult result = take(done);
                byId.put(result.trialId(), result);
                synchronized (listener) {
                    listener.trialFinished(result, finished, trials.size());
                }
            }
            return trials.stream().map(t -> byId.get(t.trialId())).toList();
        } finally {
            pool.shutdownNow();
            shipped.destroy();
        }
    }

    private TrialResult runOne(JavaSparkContext jsc, SweepRun run, TrialConfig trial,
            Broadcast<DatasetBundle> shipped, SweepListener listener) {
        synchronized (listener) {
            listener.trialStarted(trial);
        }
        Instant started = Instant.now();
        jsc.setJobGroup("sparksweep-" + run.runId() + "-" + trial.trialId(),
                run.spec().name() + " " + trial.trialId() + ": " + trial.label(), true);
        TrialResult result;
        try {
            result = jsc.parallelize(List.of(trial), 1).map(new RunTrial(shipped)).collect().get(0);
        } catch (RuntimeException e) {
            // The job itself failed (e.g. its task failed on every retry): still a result row, not an abort.
            result = failed(trial, "Spark job failed: " + firstLine(e), started);
        }
        store.writeTrial(run, result);
        return result;
    }

    private static TrialResult failed(TrialConfig trial, String error, Instant started) {
        return new TrialResult(trial, TrialStatus.FAILED, error, null, null, null, null, null, 0, 0, 0, 0, 0, 0,
                List.of(), List.of(), null, new Placement("cpu", "cpu", 0, "unknown", "unknown"), started,
                Instant.now());
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static TrialResult take(ExecutorCompletionService<TrialResult> done) {
        try {
            return done.take().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for trials", e);
        } catch (ExecutionException e) {
            // Writing results failed: stop the sweep rather than lose rows silently.
            throw new IllegalStateException("a trial's results could not be stored: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }
}
