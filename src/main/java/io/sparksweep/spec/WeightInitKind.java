package io.sparksweep.spec;

import java.util.Locale;

/**
 * Weight initialisation. {@code torch} is PyTorch's default for Linear and Conv2d layers, U(-1/sqrt(fan_in),
 * 1/sqrt(fan_in)), for like-for-like comparisons with the reference notebooks.
 */
public enum WeightInitKind {
    HE, XAVIER, TORCH;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
