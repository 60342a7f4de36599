package io.sparksweep.device;

import org.slf4j.LoggerFactory;
import org.slf4j.Logger;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Puts a trial's task thread on its device, in two steps around ND4J's first use in the JVM: {@link #plan} before
 * (decides, and hides the CUDA backend when the JVM must train on CPU), {@link #bind} after (binds ND4J to the GPU
 * on this thread and reports the backend actually in use).
 */
public final class DeviceBinding {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceBinding.class);
    private static Map<String, GpuProbe.GpuInfo> probed;
    private static final Set<String> WARNED = new HashSet<>();

    private DeviceBinding() {
    }

    /** Decides where a trial with this GPU (or null) trains; call before any ND4J use on an executor. */
    public static synchronized DevicePlan plan(String gpuAddress, GpuFallback fallback) {
        boolean cudaInBuild = Nd4jBackends.cudaInBuild();
        DevicePlan plan = DevicePlan.decide(gpuAddress, cudaInBuild, DeviceBinding::gpus, CudaLibraries::missing,
                fallback);
        if (cudaInBuild && !plan.cuda()) {
            Nd4jBackends.restrictToCpu();
        }
        if (plan.warning() != null && WARNED.add(plan.warning())) {
            LOG.warn(plan.warning());
        }
        return plan;
    }

    /**
     * Binds ND4J to the planned GPU on the calling thread; returns the plan as it really is: a CUDA plan becomes a
     * CPU fallback (or an {@link UnusableGpuException}) when ND4J could not load its CUDA backend here.
     */
    public static DevicePlan bind(DevicePlan plan, GpuFallback fallback) {
        if (!plan.cuda()) {
            return plan;
        }
        if (!"cuda".equals(Nd4jBackends.active())) {
            String message = "GPU " + plan.gpuAddress() + ": ND4J could not load its CUDA backend (is the CUDA 11.6 "
                    + "runtime installed and on the library path?)";
            if (fallback == GpuFallback.FAIL) {
                throw new UnusableGpuException(message);
            }
            return new DevicePlan(false, plan.gpuAddress(), DevicePlan.CPU_FALLBACK, message + "; training on CPU");
        }
        Nd4j.getAffinityManager().unsafeSetDevice(Integer.parseInt(plan.gpuAddress()));
        return plan;
    }

    private static Map<String, GpuProbe.GpuInfo> gpus() {
        if (probed == null) {
            probed = GpuProbe.probe();
        }
        return probed;
    }
}
