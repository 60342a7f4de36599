package io.sparksweep.data;

import java.util.Locale;

/** How pixel bytes 0..255 become network inputs. */
public enum Normalization {
    /** x / 255, in [0, 1]. */
    UNIT,
    /** x / 127.5 - 1, in [-1, 1]. */
    CENTERED;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public float apply(int pixel) {
        return this == UNIT ? pixel / 255f : pixel / 127.5f - 1f;
    }
}
