package io.sparksweep.spark;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs a sweep's result writes on one background thread, in the order they are handed over, so the thread that
 * schedules trials never waits for Parquet: a freed slot gets its next trial at once, not after the previous
 * trial's four files are written. A failed write is not lost: every later write is skipped (nothing is written
 * out of order) and {@link #check} or {@link #finish} rethrows it, which stops the sweep.
 */
final class BackgroundWriter implements AutoCloseable {
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sparksweep-writer");
        t.setDaemon(true);
        return t;
    });
    private volatile Throwable failure;

    /** Queues {@code write} behind the writes handed over before it. */
    void submit(Runnable write) {
        check();
        thread.execute(() -> {
            if (failure == null) {
                try {
                    write.run();
                } catch (RuntimeException | Error e) {
                    failure = e;
                }
            }
        });
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
