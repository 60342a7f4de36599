package io.sparksweep.data;

import java.util.Locale;

/** How examples' values become network inputs; {@link Scaling} holds the numbers each mode needs. */
public enum Normalization {
    /** Into [0, 1]: pixels x / 255, a table's features by the training part's range. */
    UNIT,
    /** Into [-1, 1]: pixels x / 127.5 - 1, a table's features by the training part's range. */
    CENTERED,
    /**
     * Zero mean and unit deviation per channel (images) or per feature (tables), measured on the training part
     * alone (never the validation or test examples).
     */
    STANDARDIZE;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
