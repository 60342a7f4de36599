package io.sparksweep.spec;

import java.io.Serializable;

/**
 * Ends a trial once its metric has not improved by more than {@code minDelta} for {@code patience} epochs in a
 * row (status STOPPED_EARLY; its best epoch is recorded).
 */
public record EarlyStopping(int patience, double minDelta) implements Serializable {
    public EarlyStopping {
        if (patience < 1 || minDelta < 0) {
            throw new IllegalArgumentException("patience must be >= 1 and min_delta >= 0");
        }
    }
}
