package io.sparksweep.device;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * GPUs for trials in local mode, where Spark does no GPU scheduling: the addresses given with {@code --gpus},
 * handed to concurrent trials of this JVM one each and taken back when a trial ends.
 */
public final class LocalGpuPool {
    private static BlockingQueue<String> free;
    private static String configured;

    private LocalGpuPool() {
    }

    /** Sets the pool for this JVM (idempotent for the same list). */
    public static synchronized void configure(String addresses) {
        if (!addresses.equals(configured)) {
            free = new LinkedBlockingQueue<>(List.of(addresses.split(",")));
            configured = addresses;
        }
    }

    /** Takes a free GPU, waiting while every one is in use. */
    public static String acquire() throws InterruptedException {
        BlockingQueue<String> pool;
        synchronized (LocalGpuPool.class) {
            pool = free;
        }
        return pool.take();
    }

    public static synchronized void release(String address) {
        free.add(address);
    }
}
