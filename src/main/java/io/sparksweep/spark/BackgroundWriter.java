package io.sparksweep.spark;

import io.sparksweep.train.TrialResult;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

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

    /** Commits the rows of a group of trials (see {@link io.sparksweep.results.ResultStore#writeTrials}). */
    interface Committer {
        void commit(List<TrialResult> results, boolean replacing);
    }

    /**
     * A trial's rows, with what must happen before they are committed (a kept model's file and row, a checkpoint)
     * and after (retiring what they replace, telling the listener).
     *
     * @param replacing the trial may have rows already, which these replace
     */
    record Rows(TrialResult result, boolean replacing, Runnable before, Runnable after) {
    }

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sparksweep-writer");
        t.setDaemon(true);
        return t;
    });
    private final Committer committer;
    /** Rows handed over and not yet taken by a group commit. */
    private final List<Rows> queued = new ArrayList<>();
    private volatile Throwable failure;

    BackgroundWriter(Committer committer) {
        this.committer = committer;
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
        group.forEach(rows -> rows.before().run());
        committer.commit(group.stream().map(Rows::result).toList(), group.stream().anyMatch(Rows::replacing));
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
