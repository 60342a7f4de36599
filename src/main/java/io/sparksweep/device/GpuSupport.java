package io.sparksweep.device;

import java.util.Locale;
import java.util.Optional;

/**
 * Decides, before a GPU trial trains, whether its device can run the CUDA backend this build carries. ND4J's
 * {@code nd4j-cuda-11.6} 1.0.0-M2.1 has kernels for compute capability 3.7 to 8.6 (Kepler to Ampere); on anything
 * newer (Hopper, 9.0) or without a CUDA runtime it crashes natively mid-sweep, so this check runs first and gives
 * one clear message instead.
 */
public final class GpuSupport {
    public static final Capability MIN = new Capability(3, 7);
    public static final Capability MAX = new Capability(8, 6);
    static final String BACKEND = "nd4j-cuda-11.6";

    /** A CUDA compute capability, e.g. 8.6. */
    public record Capability(int major, int minor) implements Comparable<Capability> {
        @Override
        public int compareTo(Capability o) {
            return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
        }

        @Override
        public String toString() {
            return major + "." + minor;
        }
    }

    public enum Verdict { SUPPORTED, UNSUPPORTED, NO_CUDA }

    public record Decision(Verdict verdict, String message) {
        public boolean supported() {
            return verdict == Verdict.SUPPORTED;
        }
    }

    private GpuSupport() {
    }

    /**
     * @param address the GPU address Spark assigned (as in its resource file)
     * @param name the device name, for the message
     * @param capability the device's compute capability, empty when no CUDA runtime or driver answered
     */
    public static Decision check(String address, String name, Optional<Capability> capability) {
        String device = "GPU " + address + (name == null || name.isBlank() ? "" : " (" + name + ")");
        if (capability.isEmpty()) {
            return new Decision(Verdict.NO_CUDA, device + ": no CUDA runtime or driver found; the " + BACKEND
                    + " backend needs CUDA 11.6 and a GPU of compute capability " + MIN + " to " + MAX
                    + " (Kepler to Ampere)");
        }
        Capability cc = capability.get();
        if (cc.compareTo(MIN) < 0 || cc.compareTo(MAX) > 0) {
            return new Decision(Verdict.UNSUPPORTED, String.format(Locale.ROOT,
                    "%s has compute capability %s; the %s backend has kernels for %s to %s only (Kepler to "
                            + "Ampere)", device, cc, BACKEND,
                    MIN, MAX));
        }
        return new Decision(Verdict.SUPPORTED, device + " (compute capability " + cc + ") is supported");
    }
}
