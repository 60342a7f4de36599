package io.sparksweep.data;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Where a sweep's examples come from: one of the built-in datasets, a folder tree of images (one subfolder per
 * class), four IDX files at any path, or a table Spark can read. Paths are Hadoop URIs ({@code file:}, relative,
 * {@code hdfs://}, {@code s3a://}). {@link #canonical()} is the part of a trial's id that says how the data was
 * turned into examples; which bytes they were is {@code data_sha256}'s job, so moving the files keeps the ids.
 */
public sealed interface DataSource extends Serializable {
    /** The largest image height or width a sweep trains on. */
    int MAX_SIDE = 4096;
    /** The default ceiling on the prepared arrays: 4 GiB. */
    long DEFAULT_MAX_DATA_BYTES = 4L << 30;

    /** {@code fashion-mnist}, {@code mnist}, {@code images}, {@code idx} or {@code table}. */
    String kind();

    /** The trial-id text: the kind and every option that changes the examples. */
    String canonical();

    /** Where the data is, for people and the {@code sweeps} row (a built-in's is found at run time: null). */
    String location();

    /** The prepared arrays' ceiling, checked before anything is read. */
    default long maxDataBytes() {
        return DEFAULT_MAX_DATA_BYTES;
    }

    /** A fraction of the training examples held out as the test set when the source names none, else 0. */
    default double testSplit() {
        return 0;
    }

    /** Fashion-MNIST or MNIST, found by {@link DatasetLocator}. */
    record BuiltIn(DatasetKind dataset) implements DataSource {
        @Override
        public String kind() {
            return dataset.key();
        }

        @Override
        public String canonical() {
            return dataset.key();
        }

        @Override
        public String location() {
            return null;
        }
    }

    /** An image's height and width in pixels. */
    record ImageSize(int height, int width) implements Serializable {
        @Override
        public String toString() {
            return height + "x" + width;
        }
    }

    /**
     * A folder per class under {@code train} (and {@code test}, or a seeded {@code testSplit} of train). Null
     * {@code size} and {@code channels} are taken from the training images (the most common size; 3 channels when
     * any image has colour).
     */
    record Images(String train, String test, double testSplit, ImageSize size, Integer channels,
            boolean skipUnreadable, long maxDataBytes) implements DataSource {
        @Override
        public String kind() {
            return "images";
        }

        @Override
        public String canonical() {
            return kind() + (size == null ? "" : "[size=" + size + "]")
                    + (channels == null ? "" : "[channels=" + channels + "]") + split(testSplit);
        }

        @Override
        public String location() {
            return test == null ? train : train + ", " + test;
        }
    }

    /** The four IDX files of unsigned bytes (gzipped or not) of a dataset in MNIST's format, at any path. */
    record Idx(String trainImages, String trainLabels, String testImages, String testLabels, List<String> classNames,
            long maxDataBytes) implements DataSource {
        public Idx {
            classNames = classNames == null ? null : List.copyOf(classNames);
        }

        @Override
        public String kind() {
            return "idx";
        }

        @Override
        public String canonical() {
            return kind();
        }

        @Override
        public String location() {
            return String.join(", ", trainImages, trainLabels, testImages, testLabels);
        }
    }

    /** Spark's table formats SparkSweep reads. */
    enum TableFormat {
        PARQUET, CSV, JSON, DELTA;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Rows of a table: a label column and features (numeric columns, or one vector or array column; every column
     * but the label when {@code features} is empty). {@code imageShape} ({@code [C, H, W]}) lets a CNN read them.
     */
    record Table(String train, String test, double testSplit, TableFormat format, String label,
            List<String> features, InputShape imageShape, long maxDataBytes) implements DataSource {
        public Table {
            features = List.copyOf(features);
        }

        @Override
        public String kind() {
            return "table";
        }

        @Override
        public String canonical() {
            String columns = features.isEmpty() ? "" : features.size() <= 8 ? String.join(",", features)
                    : features.size() + " columns " + shortHash(String.join("\u0000", features));
            return kind() + "[label=" + label + "]" + (columns.isEmpty() ? "" : "[features=" + columns + "]")
                    + (imageShape == null ? "" : "[image_shape=" + imageShape.describe() + "]") + split(testSplit);
        }

        @Override
        public String location() {
            return test == null ? train : train + ", " + test;
        }
    }

    private static String split(double testSplit) {
        return testSplit > 0 ? "[test_split=" + testSplit + "]" : "";
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
