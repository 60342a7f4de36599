package io.sparksweep.data;

import io.sparksweep.BadInputException;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

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

        /** How many images of each class (by the dataset's own labels) the split has. */
        public int[] classCounts(int numClasses) {
            int[] counts = new int[numClasses];
            for (byte label : labels) {
                counts[label & 0xff]++;
            }
            return counts;
        }
    }

    public int pixels() {
        return rows * cols;
    }

    /**
     * SHA-256 of the pixels and labels, hex: the data's identity, whatever compression or folder it came from. A
     * stored trial trained on other data (same dataset name, other files) does not count as finished.
     */
    public String checksum() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : List.of(train.images, train.labels, test.images, test.labels)) {
                digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(part.length).array());
                digest.update(part);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }


    /** Builds and checks a dataset from its four parsed IDX files. */
    public static RawDataset of(DatasetKind kind, String source, IdxArray trainImages, IdxArray trainLabels,
            IdxArray testImages, IdxArray testLabels) {
        int rows = kind.imageRows();
        int cols = kind.imageCols();
        // Networks and trial ids assume the dataset's own image size: other images are other data.
        for (IdxArray images : List.of(trainImages, testImages)) {
            if (images.dims()[1] != rows || images.dims()[2] != cols) {
                throw new BadInputException(source + ": " + (images == trainImages ? "train" : "test")
                        + " images are " + images.dims()[1] + "x" + images.dims()[2] + ", but " + kind.key()
                        + " images are " + rows + "x" + cols + ": these files are not " + kind.key());
            }
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
