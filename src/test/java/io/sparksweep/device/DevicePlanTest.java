package io.sparksweep.device;

import com.sun.jna.NativeLibrary;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class DevicePlanTest {
    private static final Supplier<Map<String, GpuProbe.GpuInfo>> A100_AND_H100 = () -> Map.of(
            "0", new GpuProbe.GpuInfo("0", "NVIDIA A100-SXM4-40GB", Optional.of(new GpuSupport.Capability(8, 0))),
            "1", new GpuProbe.GpuInfo("1", "NVIDIA H100 80GB HBM3", Optional.of(new GpuSupport.Capability(9, 0))));
    private static final Supplier<Map<String, GpuProbe.GpuInfo>> NOT_ASKED = () -> fail("GPUs probed needlessly");
    private static final Supplier<List<String>> CUDA_PRESENT = List::of;
    private static final Supplier<List<String>> CUDA_NOT_ASKED = () -> fail("CUDA libraries probed needlessly");

    @Test
    void noGpuTrainsOnCpuWithoutAskingTheDriver() {
        DevicePlan plan = DevicePlan.decide(null, true, NOT_ASKED, CUDA_NOT_ASKED, GpuFallback.FAIL);
        assertEquals(new DevicePlan(false, null, "cpu", null), plan);
    }

    @Test
    void theCpuBuildTrainsOnCpuAndSaysWhyTheGpuIsUnused() {
        DevicePlan plan = DevicePlan.decide("3", false, NOT_ASKED, CUDA_NOT_ASKED, GpuFallback.FAIL);
        assertFalse(plan.cuda());
        assertEquals("3", plan.gpuAddress());
        assertEquals("cpu", plan.device());
        assertTrue(plan.warning().contains("GPU 3 is assigned but this is the CPU build"), plan.warning());
        assertTrue(plan.warning().contains("mvn -Pcuda package"), plan.warning());
    }

    @Test
    void aSupportedGpuIsBound() {
        assertEquals(new DevicePlan(true, "0", "cuda:0", null),
                DevicePlan.decide("0", true, A100_AND_H100, CUDA_PRESENT, GpuFallback.FAIL));
    }

    @Test
    void anUnsupportedGpuStopsTheSweepWithOneMessage() {
        UnusableGpuException e = assertThrows(UnusableGpuException.class,
                () -> DevicePlan.decide("1", true, A100_AND_H100, CUDA_NOT_ASKED, GpuFallback.FAIL));
        assertEquals("GPU 1 (NVIDIA H100 80GB HBM3) has compute capability 9.0; the nd4j-cuda-11.6 backend has "
                + "kernels for 3.7 to 8.6 only (Kepler to Ampere): run on a supported GPU, or with --gpu-fallback "
                + "cpu to train such trials on CPU", e.userMessage());
    }

    @Test
    void anUnsupportedGpuFallsBackToCpuWhenAskedTo() {
        DevicePlan plan = DevicePlan.decide("1", true, A100_AND_H100, CUDA_NOT_ASKED, GpuFallback.CPU);
        assertFalse(plan.cuda());
        assertEquals("cpu (fallback)", plan.device());
        assertEquals("1", plan.gpuAddress());
        assertTrue(plan.warning().startsWith("GPU 1 (NVIDIA H100 80GB HBM3) has compute capability 9.0"),
                plan.warning());
        assertTrue(plan.warning().endsWith("; training on CPU"), plan.warning());
    }

    @Test
    void aSupportedGpuWithoutTheCudaLibrariesSaysWhichAreMissing() {
        UnusableGpuException e = assertThrows(UnusableGpuException.class, () -> DevicePlan.decide("0", true,
                A100_AND_H100, () -> List.of("libcublas.so.11", "libcusolver.so.11"), GpuFallback.FAIL));
        assertEquals("GPU 0 (NVIDIA A100-SXM4-40GB): the CUDA 11.6 libraries libcublas.so.11, libcusolver.so.11 are "
                + "not found (install CUDA 11.6 and put its lib64 directory on LD_LIBRARY_PATH)"
                + UnusableGpuException.ADVICE, e.userMessage());
        DevicePlan fallback = DevicePlan.decide("0", true, A100_AND_H100, () -> List.of("libcuda.so.1"),
                GpuFallback.CPU);
        assertEquals("cpu (fallback)", fallback.device());
    }

    @Test
    void theLibraryProbeFindsNoCudaOnThisMachineButDoesFindLibc() {
        // this machine has no GPU driver: every CUDA library is reported, nothing crashes
        assertEquals(CudaLibraries.REQUIRED, CudaLibraries.missing());
        NativeLibrary.getInstance("libc.so.6"); // the same lookup succeeds for what is there
    }

    @Test
    void aGpuTheDriverDoesNotKnowMeansNoCuda() {
        UnusableGpuException e = assertThrows(UnusableGpuException.class,
                () -> DevicePlan.decide("0", true, Map::of, CUDA_NOT_ASKED, GpuFallback.FAIL));
        assertTrue(e.userMessage().startsWith("GPU 0: no CUDA runtime or driver found"), e.userMessage());
        assertEquals("cpu (fallback)", DevicePlan.decide("0", true, Map::of, CUDA_NOT_ASKED, GpuFallback.CPU).device());
    }
}
