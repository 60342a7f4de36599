package io.sparksweep.device;

import com.sun.jna.NativeLibrary;

import java.util.ArrayList;
import java.util.List;

/**
 * The CUDA 11.6 libraries ND4J's CUDA backend links against, looked up the way the dynamic linker will (the
 * system's library cache and {@code LD_LIBRARY_PATH}) before ND4J tries: when one is missing, ND4J prints a native
 * stack trace and drops to its CPU backend, so SparkSweep checks first and says which one.
 */
public final class CudaLibraries {
    /** What libnd4jcuda.so and JavaCPP's libjnicudart.so need (readelf -d): the driver, runtime, cuBLAS, cuSOLVER. */
    static final List<String> REQUIRED = List.of("libcuda.so.1", "libcudart.so.11.0", "libcublas.so.11",
            "libcusolver.so.11");

    private CudaLibraries() {
    }

    /** The required libraries the dynamic linker cannot find here; empty when CUDA 11.6 is usable. */
    public static List<String> missing() {
        List<String> missing = new ArrayList<>();
        for (String library : REQUIRED) {
            try {
                NativeLibrary.getInstance(library);
            } catch (UnsatisfiedLinkError e) {
                missing.add(library);
            }
        }
        return missing;
    }
}
