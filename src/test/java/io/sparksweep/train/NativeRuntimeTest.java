package io.sparksweep.train;

import org.junit.jupiter.api.Test;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * OpenMP keeps its thread count per thread: each thread that trains (a Spark task's) gets the count it asked for,
 * also after another thread configured the JVM first, which is what ran a trial's oneDNN convolutions on every
 * core before.
 */
class NativeRuntimeTest {
    @Test
    void everyTrainingThreadGetsItsOwnOpenMpThreadCount() throws Exception {
        NativeRuntime.configure(1);
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(1, onNewThread(1), "a second thread asking for one thread");
        assertEquals(Math.min(2, cores), onNewThread(Math.min(2, cores)), "a thread asking for two");
        assertEquals(1, onNewThread(1), "and one again");
    }

    private static int onNewThread(int threads) throws InterruptedException {
        AtomicInteger seen = new AtomicInteger();
        Thread t = new Thread(() -> {
            NativeRuntime.configure(threads);
            seen.set(NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads());
        });
        t.start();
        t.join();
        return seen.get();
    }
}
