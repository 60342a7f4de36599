package io.sparksweep.spark;

import io.sparksweep.results.KeptModel;
import io.sparksweep.results.ResultStore;
import io.sparksweep.train.TrialResult;
import org.apache.spark.SparkContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs a sweep's result writes on one background thread, in the order they are handed over, so the thread that
 * schedules trials never waits for a commit: a freed slot gets its next trial at once. Trials' rows are committed in
 * groups: while one group commits, the trials that finish queue up and are committed together next (at most
 * {@link #MAX_GROUP}), so a commit's fixed cost is shared by however many trials finished during the last one. A
 * failed write is not lost: every later write is skipped (nothing is written out of order) and {@link #check} or
 * {@link #finish} rethrows it, which stops the sweep.
 */
final class BackgroundWriter implements AutoCloseable {
    /** The most trials one group commit takes. */
    static final int MAX_GROUP = 500;

    /**
     * A trial's rows, with what must happen before they are committed (a checkpoint; {@code model} writes the kept
     * network's file and returns its row, or null) and after (retiring what they replace, telling the listener).
     *
     * @param replacing     the trial may have rows already, which these replace
     * @param evictedModels the kept models this trial's pushes out: their rows are deleted in the same commit
     */
    record Rows(TrialResult result, boolean replacing, Runnable before, Supplier<KeptModel> model,
            List<String> evictedModels, Runnable after) {
    }

    /**
     * The Spark scheduler pool of the writer's jobs. Each commit is a few Spark jobs that need a free task slot, and
     * the sweep keeps every slot busy with trials (and one trial queued behind them): in a pool of their own, under
     * Spark's FAIR scheduling (SparkSessions sets it), the next slot to free up goes to the commit, not to the
     * queued trial, so on a cluster a commit's jobs wait for the next trial to end, not behind the queued ones. On a
     * local master they never wait: SparkSessions gives it a slot that trials do not use.
     */
    static final String POOL = "sparksweep-commits";

    private final ExecutorService thread;
    private final Consumer<ResultStore.TrialGroup> committer;
    /** Rows handed over and not yet taken by a group commit. */
    private final List<Rows> queued = new ArrayList<>();
    private volatile Throwable failure;

    /** @param committer commits a group of trials' rows ({@link ResultStore#writeTrials}) */
    BackgroundWriter(SparkContext sc, Consumer<ResultStore.TrialGroup> committer) {
        this.committer = committer;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(() -> {
                sc.setLocalProperty("spark.scheduler.pool", POOL);
                r.run();
            }, "sparksweep-writer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues {@code write} behind the writes handed over before it. */
    void submit(Runnable write) {
        check();
        thread.execute(() -> guarded(write));
    }

    /** Queues a trial's rows for the next group commit. */
    void submit(Rows rows) {
        check();
        synchronized (queued) {
            queued.add(rows);
        }
        thread.execute(() -> guarded(this::commitQueued));
    }

    private void guarded(Runnable write) {
        if (failure == null) {
            try {
                write.run();
            } catch (RuntimeException | Error e) {
                failure = e;
            }
        }
    }

    /** Takes what is queued (nothing, when an earlier run took it): befores, one commit per table, afters. */
    private void commitQueued() {
        List<Rows> group;
        synchronized (queued) {
            group = new ArrayList<>(queued.subList(0, Math.min(MAX_GROUP, queued.size())));
            queued.subList(0, group.size()).clear();
        }
        if (group.isEmpty()) {
            return;
        }
        // in order: a model kept by one trial of the group may be pushed out by a later one
        Map<String, KeptModel> models = new LinkedHashMap<>();
        Set<String> evicted = new TreeSet<>();
        for (Rows rows : group) {
            rows.before().run();
            KeptModel model = rows.model().get();
            if (model != null) {
                models.put(model.trialId(), model);
                evicted.remove(model.trialId());
            }
            rows.evictedModels().forEach(id -> {
                models.remove(id);
                evicted.add(id);
            });
        }
        // a trial that went through a rung and finished within one group: its latest rows are the ones to keep
        Map<String, TrialResult> latest = new LinkedHashMap<>();
        group.forEach(rows -> latest.put(rows.result().trialId(), rows.result()));
        committer.accept(new ResultStore.TrialGroup(List.copyOf(latest.values()),
                group.stream().anyMatch(Rows::replacing), List.copyOf(models.values()), List.copyOf(evicted)));
        group.forEach(rows -> rows.after().run());
    }

    /** Throws the first failed write's error, if a write failed. */
    void check() {
        Throwable e = failure;
        if (e != null) {
            throw new IllegalStateException("a trial's results could not be stored: " + e.getMessage(), e);
        }
    }

    /** Waits for every queued write, then {@link #check}s. */
    void finish() {
        close();
        check();
    }

    /** Waits for every queued write: rows of trials that finished are kept even when the sweep stops. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            while (!thread.awaitTermination(1, TimeUnit.MINUTES)) {
                // a slow file system: keep waiting, the rows are what the sweep is for
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
