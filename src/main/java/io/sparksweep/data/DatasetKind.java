package io.sparksweep.data;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The datasets SparkSweep knows: their IDX files, class names, where Debian installs them and where to download
 * them. Checksums are the MD5 sums the dataset authors publish for the gzipped files.
 */
public enum DatasetKind {
    FASHION_MNIST("fashion-mnist",
            List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                    "Ankle boot"),
            List.of("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
            new String[] {"8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe",
                    "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310"}),
    MNIST("mnist",
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
            List.of("https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"),
            new String[] {"f68b3c2dcbeaaa9fbdd348bbdeb94873", "d53e105ee54ea40749a09fcbcd1e9432",
                    "9fb629c4189551a2d022fa330f9573f3", "ec29112dd5afa0611ce80d1b7f02629c"});

    /** The four IDX files every dataset has, in {@link IdxPart} order. */
    public enum IdxPart {
        TRAIN_IMAGES("train-images-idx3-ubyte"),
        TRAIN_LABELS("train-labels-idx1-ubyte"),
        TEST_IMAGES("t10k-images-idx3-ubyte"),
        TEST_LABELS("t10k-labels-idx1-ubyte");

        private final String baseName;

        IdxPart(String baseName) {
            this.baseName = baseName;
        }

        public String baseName() {
            return baseName;
        }

        public String gzName() {
            return baseName + ".gz";
        }

        public boolean isImages() {
            return this == TRAIN_IMAGES || this == TEST_IMAGES;
        }
    }

    private final String key;
    private final List<String> classNames;
    private final List<String> mirrors;
    private final String[] gzMd5;

    DatasetKind(String key, List<String> classNames, List<String> mirrors, String[] gzMd5) {
        this.key = key;
        this.classNames = classNames;
        this.mirrors = mirrors;
        this.gzMd5 = gzMd5;
    }

    /** The name used in sweep files and directory names, e.g. {@code fashion-mnist}. */
    public String key() {
        return key;
    }

    public List<String> classNames() {
        return classNames;
    }

    public int numClasses() {
        return classNames.size();
    }

    /** Image height and width in pixels (all known datasets are 28x28 greyscale). */
    public int imageRows() {
        return 28;
    }

    public int imageCols() {
        return 28;
    }

    /** Base URLs of the official mirrors, each ending in '/'. */
    public List<String> mirrors() {
        return mirrors;
    }

    public String gzMd5(IdxPart part) {
        return gzMd5[part.ordinal()];
    }

    /** Where Debian's dataset packages install the files, e.g. {@code /usr/share/datasets/fashion-mnist}. */
    public String systemDirectory() {
        return "/usr/share/datasets/" + key;
    }

    public static Optional<DatasetKind> fromKey(String key) {
        String wanted = key.toLowerCase(Locale.ROOT).replace('_', '-');
        for (DatasetKind kind : values()) {
            if (kind.key.equals(wanted)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    public static String knownKeys() {
        StringBuilder sb = new StringBuilder();
        for (DatasetKind kind : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(kind.key);
        }
        return sb.toString();
    }
}
