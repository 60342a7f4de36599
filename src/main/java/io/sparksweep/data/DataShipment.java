package io.sparksweep.data;

import java.io.Serializable;

/**
 * A dataset as the driver ships it to executors (broadcast once): the built-ins' gzipped IDX files, which each
 * executor JVM decodes once, or the decoded arrays of a folder tree, a table or IDX files of the user's.
 * {@link #contentKey()} names the bytes, so a JVM decodes and prepares them once whatever number of trials use them.
 */
public interface DataShipment extends Serializable {
    String contentKey();

    /** Where the data came from, for messages. */
    String source();

    RawDataset decode();

    /** Data already decoded on the driver (read by Spark's executors there and collected), {@code checksum} its. */
    static DataShipment decoded(RawDataset raw, String source, String checksum) {
        return new Decoded(raw, source, "decoded@" + checksum.substring(0, 16));
    }

    record Decoded(RawDataset raw, String source, String contentKey) implements DataShipment {
        @Override
        public RawDataset decode() {
            return raw;
        }
    }
}
