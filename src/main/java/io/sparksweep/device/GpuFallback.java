package io.sparksweep.device;

import java.util.Locale;

/** What a trial does when its GPU cannot run the CUDA backend: stop the sweep (default) or train on CPU. */
public enum GpuFallback {
    FAIL, CPU;

    public static GpuFallback parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("gpu fallback must be fail or cpu, got '" + text + "'");
        }
    }
}
