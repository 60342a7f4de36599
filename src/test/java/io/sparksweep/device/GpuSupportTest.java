package io.sparksweep.device;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GpuSupportTest {
    private static GpuSupport.Decision check(int major, int minor) {
        return GpuSupport.check("0", "test GPU", Optional.of(new GpuSupport.Capability(major, minor)));
    }

    @Test
    void keplerToAmpereIsSupportedAtBothEnds() {
        for (int[] cc : new int[][] {{3, 7}, {6, 1}, {7, 5}, {8, 0}, {8, 6}}) {
            assertEquals(GpuSupport.Verdict.SUPPORTED, check(cc[0], cc[1]).verdict(), cc[0] + "." + cc[1]);
        }
    }

    @Test
    void hopperAndOlderKeplerAreRefusedNamingTheDeviceAndRange() {
        GpuSupport.Decision h100 = GpuSupport.check("1", "NVIDIA H100 80GB HBM3",
                Optional.of(new GpuSupport.Capability(9, 0)));
        assertEquals(GpuSupport.Verdict.UNSUPPORTED, h100.verdict());
        assertEquals("GPU 1 (NVIDIA H100 80GB HBM3) has compute capability 9.0; the nd4j-cuda-11.6 backend has "
                + "kernels for 3.7 to 8.6 only (Kepler to Ampere)", h100.message());
        assertEquals(GpuSupport.Verdict.UNSUPPORTED, check(3, 5).verdict());
        assertEquals(GpuSupport.Verdict.UNSUPPORTED, check(8, 9).verdict());
    }

    @Test
    void missingCudaIsItsOwnVerdict() {
        GpuSupport.Decision none = GpuSupport.check("0", "", Optional.empty());
        assertEquals(GpuSupport.Verdict.NO_CUDA, none.verdict());
        assertTrue(none.message().startsWith("GPU 0: no CUDA runtime or driver found"), none.message());
        assertTrue(none.message().contains("3.7 to 8.6"), none.message());
    }
}
