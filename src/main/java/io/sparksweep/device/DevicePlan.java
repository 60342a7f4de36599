package io.sparksweep.device;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Where one trial will train, decided before ND4J is touched on the task thread.
 *
 * @param cuda       train on the CUDA backend, bound to {@code gpuAddress}
 * @param gpuAddress the GPU Spark (or the local pool) assigned, or null
 * @param device     what the trials table records: {@code cuda:<address>}, {@code cpu}, or {@code cpu (fallback)}
 * @param warning    why an assigned GPU goes unused, or null
 */
public record DevicePlan(boolean cuda, String gpuAddress, String device, String warning) {
    public static final String CPU = "cpu";
    public static final String CPU_FALLBACK = "cpu (fallback)";

    /**
     * @param gpuAddress  the assigned GPU or null
     * @param cudaInBuild whether this application jar carries ND4J's CUDA backend ({@code -Pcuda})
     * @param gpus        this machine's GPUs, asked only when needed (see {@link GpuProbe})
     * @throws UnusableGpuException when the GPU cannot run the backend and {@code fallback} is FAIL
     */
    public static DevicePlan decide(String gpuAddress, boolean cudaInBuild, Supplier<Map<String, GpuProbe.GpuInfo>> gpus,
            GpuFallback fallback) {
        if (gpuAddress == null) {
            return new DevicePlan(false, null, CPU, null);
        }
        if (!cudaInBuild) {
            return new DevicePlan(false, gpuAddress, CPU, "GPU " + gpuAddress + " is assigned but this is the CPU "
                    + "build of SparkSweep; build with mvn -Pcuda package to train on GPUs");
        }
        GpuProbe.GpuInfo info = gpus.get().get(gpuAddress);
        GpuSupport.Decision decision = info == null
                ? GpuSupport.check(gpuAddress, null, java.util.Optional.empty())
                : GpuSupport.check(gpuAddress, info.name(), info.capability());
        if (decision.supported()) {
            return new DevicePlan(true, gpuAddress, "cuda:" + gpuAddress, null);
        }
        if (fallback == GpuFallback.FAIL) {
            throw new UnusableGpuException(decision.message());
        }
        return new DevicePlan(false, gpuAddress, CPU_FALLBACK, decision.message() + "; training on CPU");
    }
}
