package io.sparksweep.data;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * The four IDX files of a dataset as read from disk (still gzipped: 30 MB for Fashion-MNIST). This is what the
 * driver ships to executors, once each; they decode it once per JVM with {@link #decode()}.
 */
public record DatasetBundle(DatasetKind kind, String source, Map<DatasetKind.IdxPart, byte[]> files,
        String contentKey) implements DataShipment {

    public DatasetBundle {
        files = new EnumMap<>(files);
    }

    /**
     * A bundle whose {@code contentKey} identifies its bytes (for per-JVM caches): hashed once here, on the
     * driver, rather than on every lookup by every trial.
     */
    public static DatasetBundle of(DatasetKind kind, String source, Map<DatasetKind.IdxPart, byte[]> files) {
        long hash = 1;
        for (byte[] bytes : new EnumMap<>(files).values()) {
            hash = 31 * hash + Arrays.hashCode(bytes);
            hash = 31 * hash + bytes.length;
        }
        return new DatasetBundle(kind, source, files, kind.key() + "@" + Long.toHexString(hash));
    }

    public RawDataset decode() {
        return RawDataset.of(kind, source,
                parse(DatasetKind.IdxPart.TRAIN_IMAGES), parse(DatasetKind.IdxPart.TRAIN_LABELS),
                parse(DatasetKind.IdxPart.TEST_IMAGES), parse(DatasetKind.IdxPart.TEST_LABELS));
    }

    private IdxArray parse(DatasetKind.IdxPart part) {
        return IdxReader.read(source + "/" + part.baseName(), files.get(part), part.isImages() ? 3 : 1);
    }
}
