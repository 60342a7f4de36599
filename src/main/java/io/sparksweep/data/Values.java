package io.sparksweep.data;

import java.io.Serializable;

/**
 * A split's examples as read, in the most compact form that holds them exactly: pixels as unsigned bytes (images
 * and IDX files), or floats (a table's features). {@code shape.size()} values per example, one after another.
 */
public sealed interface Values extends Serializable {
    /** The number of values (examples times values per example). */
    int length();

    /** Value {@code i} as a float: a pixel's 0-255, a feature as read. */
    float get(int i);

    /** Unsigned bytes, e.g. 0-255 pixels. */
    record Pixels(byte[] data) implements Values {
        @Override
        public int length() {
            return data.length;
        }

        @Override
        public float get(int i) {
            return data[i] & 0xff;
        }
    }

    /** Floats, e.g. a table's numeric columns. */
    record Floats(float[] data) implements Values {
        @Override
        public int length() {
            return data.length;
        }

        @Override
        public float get(int i) {
            return data[i];
        }
    }
}
