package io.sparksweep.device;

import java.util.List;
import java.util.Map;
import java.util.Optional;
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
     * @param missingCuda the CUDA libraries the dynamic linker cannot find, asked only for a supported GPU (see
     *                    {@link CudaLibraries})
     * @throws UnusableGpuException when the GPU cannot run the backend and {@code fallback} is FAIL
     */
    public static DevicePlan decide(String gpuAddress, boolean cudaInBuild, Supplier<Map<String, GpuProbe.GpuInfo>> gpus,
            Supplier<List<String>> missingCuda, GpuFallback fallback) {
        if (gpuAddress == null) {
            return new DevicePlan(false, null, CPU, null);
        }
        if (!cudaInBuild) {
            return new DevicePlan(false, gpuAddress, CPU, "GPU " + gpuAddress + " is assigned but this is the CPU "
                    + "build of SparkSweep; build with mvn -Pcuda package to train on GPUs");
        }
        GpuProbe.GpuInfo info = gpus.get().get(gpuAddress);
        GpuSupport.Decision decision = info == null
                ? GpuSupport.check(gpuAddress, null, Optional.empty())
                : GpuSupport.check(gpuAddress, info.name(), info.capability());
        String problem = decision.message();
        if (decision.supported()) {
            List<String> missing = missingCuda.get();
            if (missing.isEmpty()) {
                return new DevicePlan(true, gpuAddress, "cuda:" + gpuAddress, null);
            }
            problem = "GPU " + gpuAddress + (info == null ? "" : " (" + info.name() + ")") + ": the CUDA 11.6 "
                    + "libraries " + String.join(", ", missing) + " are not found (install CUDA 11.6 and put its "
                    + "lib64 directory on LD_LIBRARY_PATH)";
        }
        if (fallback == GpuFallback.FAIL) {
            throw new UnusableGpuException(problem);
        }
        return new DevicePlan(false, gpuAddress, CPU_FALLBACK, problem + "; training on CPU");
    }
}
