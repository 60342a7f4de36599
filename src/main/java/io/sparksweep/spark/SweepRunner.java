package io.sparksweep.spark;

import io.sparksweep.SweepAbortedException;
import io.sparksweep.data.DatasetBundle;
import io.sparksweep.device.UnusableGpuException;
import io.sparksweep.grid.TrialConfig;
import io.sparksweep.grid.TrialGroup;
import io.sparksweep.results.ResultStore;
import io.sparksweep.results.SweepRun;
import io.sparksweep.train.Placement;
import io.sparksweep.train.TrialResult;
import io.sparksweep.train.TrialTrainer;
import org.apache.spark.api.java.JavaFutureAction;
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
 * Runs trials on Spark, one Spark job of one task per trial group (trials that differ only in epochs share one
 * training run), submitted from a driver-side pool with a thread per slot (the design of Hyperopt's SparkTrials),
 * plus one job queued ahead when the slots take all of Spark's (see {@link #inFlight}). When a group finishes, the
 * next group starts in the freed slot and its rows are written by a {@link BackgroundWriter}: no barrier between
 * waves, no write in the way of the next trial, and a slow trial holds up only itself. The dataset is broadcast once; executors decode
 * it once per JVM.
 */
public final class SweepRunner {
    private final SparkSession spark;
    private final ResultStore store;
    private final int slots;
    private final TaskSettings settings;

    public SweepRunner(SparkSession spark, ResultStore store, int slots, TaskSettings settings) {
        this.spark = spark;
        this.store = store;
        this.slots = slots;
        this.settings = settings;
    }

    /** Executor slots: total cores Spark reports (defaultParallelism) divided by {@code spark.task.cpus}. */
    public static int defaultSlots(SparkSession spark) {
        int taskCpus = Integer.parseInt(spark.conf().get("spark.task.cpus", "1"));
        return Math.max(1, spark.sparkContext().defaultParallelism() / Math.max(1, taskCpus));
    }

    /**
     * Jobs to keep in flight for {@code slots} trials at once: one more, queued in Spark to start the moment a
     * trial ends, but only when {@code slots} takes every task slot Spark has; with fewer, Spark would start the
     * extra job at once, and {@code --slots N} would train N + 1 trials.
     */
    public static int inFlight(SparkSession spark, int slots) {
        return slots >= defaultSlots(spark) ? slots + 1 : slots;
    }

    /** Runs every trial, writing each one's rows as it finishes; returns the results in the given order. */
    public List<TrialResult> run(SweepRun run, List<TrialConfig> trials, DatasetBundle dataset,
            SweepListener listener) {
        List<TrialGroup> groups = TrialGroup.of(trials);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<DatasetBundle> shipped = jsc.broadcast(dataset);
        // Where Spark's slots are all used, one more trial in flight than there are slots: when a trial ends, the
        // next one's task is already queued in Spark and starts in the freed slot at once. Rows are written on a
        // background thread, never by the threads that submit trials.
        int threads = Math.max(1, Math.min(inFlight(spark, slots), groups.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sparksweep-trial");
            t.setDaemon(true);
            return t;
        });
        BackgroundWriter writer = new BackgroundWriter();
        try {
            ExecutorCompletionService<List<TrialResult>> done = new ExecutorCompletionService<>(pool);
            for (TrialGroup group : groups) {
                done.submit(() -> runGroup(jsc, run, group, shipped, listener));
            }
            Map<String, TrialResult> byId = new HashMap<>();
            for (int g = 0; g < groups.size(); g++) {
                for (TrialResult result : take(done)) {
                    byId.put(result.trialId(), result);
                    int count = byId.size();
                    writer.submit(() -> {
                        store.writeTrial(run, result);
                        synchronized (listener) {
                            listener.trialFinished(result, count, trials.size());
                        }
                    });
                }
            }
            writer.finish();
            return trials.stream().map(t -> byId.get(t.trialId())).toList();
        } catch (RuntimeException e) {
            // a GPU that cannot be used, or rows that cannot be written: the trials still running would end the
            // same way, or their rows would be lost
            jsc.cancelAllJobs();
            throw e;
        } finally {
            pool.shutdownNow();
            writer.close();
            shipped.destroy();
        }
    }

    private List<TrialResult> runGroup(JavaSparkContext jsc, SweepRun run, TrialGroup group,
            Broadcast<DatasetBundle> shipped, SweepListener listener) {
        TrialConfig longest = group.longest();
        synchronized (listener) {
            for (TrialConfig trial : group.trials()) {
                listener.trialStarted(trial);
            }
        }
        String description = run.spec().name() + " " + longest.trialId() + ": " + longest.label()
                + (group.trials().size() > 1 ? " (shared by " + group.trials().size() + " epoch counts)" : "");
        TrialWork work = TrialWork.whole(group);
        return outcome(run, work, Instant.now(), submitAsync(jsc, run, settings, work, shipped, description)).stream()
                .map(TrialTrainer.Segment::result).toList();
    }

    /** Submits the job now, from the calling thread (so jobs submitted one after another queue in that order). */
    static JavaFutureAction<List<List<TrialTrainer.Segment>>> submitAsync(JavaSparkContext jsc, SweepRun run,
            TaskSettings settings, TrialWork work, Broadcast<DatasetBundle> shipped, String description) {
        jsc.setJobGroup("sparksweep-" + run.runId() + "-" + work.group().longest().trialId(), description, true);
        return jsc.parallelize(List.of(work), 1).map(new RunTrial(shipped, run.spec(), settings)).collectAsync();
    }

    /** The submitted job's segments, FAILED ones when the job failed; a GPU that cannot be used stops the sweep. */
    static List<TrialTrainer.Segment> outcome(SweepRun run, TrialWork work, Instant started,
            JavaFutureAction<List<List<TrialTrainer.Segment>>> job) {
        List<TrialTrainer.Segment> segments;
        try {
            segments = job.get().get(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for trials", e);
        } catch (Exception e) { // the job failed (e.g. its task failed on every retry): still result rows
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            String error = "Spark job failed: " + firstLine(cause);
            segments = work.group().trials().stream().map(t -> new TrialTrainer.Segment(TrialResult.notStarted(t,
                    error, started, new Placement("cpu", "cpu", null, 0, "unknown", "unknown", 0)), null)).toList();
        }
        for (TrialTrainer.Segment segment : segments) {
            String unusableGpu = UnusableGpuException.find(segment.result().error());
            if (unusableGpu != null) {
                // Not this trial's fault, and the same for the trials after it: stop the sweep, record nothing.
                throw new SweepAbortedException(unusableGpu);
            }
        }
        return segments;
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static List<TrialResult> take(ExecutorCompletionService<List<TrialResult>> done) {
        try {
            return done.take().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for trials", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SweepAbortedException aborted) {
                throw aborted;
            }
            throw new IllegalStateException("scheduling a trial failed: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
