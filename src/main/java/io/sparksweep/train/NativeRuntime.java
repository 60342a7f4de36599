package io.sparksweep.train;

import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Per-JVM settings of the ND4J native runtime, applied before the first network is built in a JVM (driver or
 * executor): oneDNN helpers on, and the thread count each trial may use.
 */
public final class NativeRuntime {
    /** DL4J 1.0.0-M2.1 reads this before creating each layer helper; its default ("true") keeps oneDNN off. */
    static final String HELPERS_DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private static int configuredThreads = -1;

    private NativeRuntime() {
    }

    /**
     * Enables oneDNN helpers and sets ND4J's and OpenBLAS's thread pools to {@code threads} for this JVM. Every
     * concurrent trial in a JVM shares these process-wide pools, so the count is the per-task CPU budget
     * ({@code spark.task.cpus}), and OpenMP's for the calling thread. Call it on the thread that trains.
     */
    public static synchronized void configure(int threads) {
        System.setProperty(HELPERS_DISABLE_PROPERTY, "false");
        // JavaCPP checks every allocation against these limits, reading /proc/self/statm under a global lock each
        // time: 15-25% of a small MLP's training time. ND4J's workspaces keep training memory flat without them.
        // (Read once, when JavaCPP first loads: set here, before this JVM's first ND4J call, unless set already.)
        setIfAbsent("org.bytedeco.javacpp.maxPhysicalBytes", "0");
        setIfAbsent("org.bytedeco.javacpp.maxBytes", "0");
        if (configuredThreads != threads) {
            Nd4j.getEnvironment().allowHelpers(true);
            Nd4j.getEnvironment().setMaxThreads(threads);
            Nd4j.getEnvironment().setMaxMasterThreads(threads);
            Nd4j.factory().blas().setMaxThreads(threads);
            configuredThreads = threads;
        }
        // OpenMP keeps its thread count per calling thread, so every task thread sets its own: without this, the
        // oneDNN convolutions of a trial ran on every core (libgomp's default) whatever spark.task.cpus said, and
        // two trials on two cores ran four threads. One libgomp serves ND4J and the dnnl binding alike.
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** True on ND4J's CPU backend, where the direct steps' buffers (host memory) are the network's own. */
    static boolean cpuBackend() {
        return Nd4j.getBackend().getClass().getSimpleName().equals("CpuBackend");
    }

    /** True when DL4J will use oneDNN kernels for conv, pooling and batch-norm layers in this JVM. */
    public static boolean oneDnnActive() {
        return BaseMKLDNNHelper.mklDnnEnabled();
    }
}
