package io.sparksweep.data;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;

/**
 * The four IDX files of a dataset as read from disk (still gzipped: 30 MB for Fashion-MNIST). This is what the
 * driver ships to executors, once each; they decode it once per JVM with {@link #decode()}.
 */
public record DatasetBundle(DatasetKind kind, String source, Map<DatasetKind.IdxPart, byte[]> files)
        implements Serializable {

    public DatasetBundle {
        files = new EnumMap<>(files);
    }

    /** A key that identifies this dataset's content (for per-JVM caches). */
    public String contentKey() {
        long hash = 1;
        for (byte[] bytes : files.values()) {
            hash = 31 * hash + java.util.Arrays.hashCode(bytes);
            hash = 31 * hash + bytes.length;
        }
        return kind.key() + "@" + Long.toHexString(hash);
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
