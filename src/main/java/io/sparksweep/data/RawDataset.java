package io.sparksweep.data;

import io.sparksweep.BadInputException;

/**
 * A decoded dataset: pixel and label bytes exactly as in the IDX files, 1 byte per value (47 MB for
 * Fashion-MNIST), checked for consistency once on decoding.
 */
public record RawDataset(DatasetKind kind, int rows, int cols, Split train, Split test) {

    /** Images as {@code count * rows * cols} unsigned bytes, labels as {@code count} class indices. */
    public record Split(byte[] images, byte[] labels) {
        public int count() {
            return labels.length;
        }
    }

    public int pixels() {
        return rows * cols;
    }

    /** Builds and checks a dataset from its four parsed IDX files. */
    public static RawDataset of(DatasetKind kind, String source, IdxArray trainImages, IdxArray trainLabels,
            IdxArray testImages, IdxArray testLabels) {
        int rows = trainImages.dims()[1];
        int cols = trainImages.dims()[2];
        if (testImages.dims()[1] != rows || testImages.dims()[2] != cols) {
            throw new BadInputException(source + ": train images are " + rows + "x" + cols + " but test images are "
                    + testImages.dims()[1] + "x" + testImages.dims()[2]);
        }
        Split train = split(kind, source, "train", trainImages, trainLabels);
        Split test = split(kind, source, "test", testImages, testLabels);
        return new RawDataset(kind, rows, cols, train, test);
    }

    private static Split split(DatasetKind kind, String source, String name, IdxArray images, IdxArray labels) {
        if (images.count() != labels.count()) {
            throw new BadInputException(source + ": " + name + " set has " + images.count() + " images but "
                    + labels.count() + " labels");
        }
        byte[] labelBytes = labels.data();
        for (int i = 0; i < labelBytes.length; i++) {
            int label = labelBytes[i] & 0xff;
            if (label >= kind.numClasses()) {
                throw new BadInputException(source + ": " + name + " label " + i + " is " + label + ", but "
                        + kind.key() + " has " + kind.numClasses() + " classes");
            }
        }
        return new Split(images.data(), labelBytes);
    }
}
