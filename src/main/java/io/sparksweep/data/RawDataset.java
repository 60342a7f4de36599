package io.sparksweep.data;

import io.sparksweep.BadInputException;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A dataset as read: every example's values in the compact form they came in (pixel bytes or table floats, {@code
 * schema.shape().size()} per example) and its label, an index into {@code schema.classNames()}. Checked for
 * consistency once, when it is built.
 */
public record RawDataset(DataSchema schema, Split train, Split test) implements Serializable {

    /** A split's values and labels (class indices), one label per example. */
    public record Split(Values values, int[] labels) implements Serializable {
        public int count() {
            return labels.length;
        }

        /** The pixel bytes of an image split (a table's split has floats instead). */
        public byte[] pixels() {
            if (!(values instanceof Values.Pixels p)) {
                throw new IllegalStateException("a table's split holds floats, not pixels");
            }
            return p.data();
        }

        /** How many examples of each class the split has. */
        public int[] classCounts(int numClasses) {
            int[] counts = new int[numClasses];
            for (int label : labels) {
                counts[label]++;
            }
            return counts;
        }
    }

    public InputShape shape() {
        return schema.shape();
    }

    public int numClasses() {
        return schema.numClasses();
    }

    /**
     * SHA-256 of the values and labels, hex: the data's identity, whatever compression, folder or table it came
     * from. A stored trial trained on other data (same dataset name, other files) does not count as finished.
     * Pixels with at most 256 classes hash as their IDX files' bytes do, so the built-ins keep their checksums.
     */
    public String checksum() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Split split : List.of(train, test)) {
                update(digest, bytes(split.values()));
                update(digest, labelBytes(split.labels()));
            }
            if (!(train.values() instanceof Values.Pixels) || schema.shape().channels() > 1
                    || !schema.shape().image()) {
                // the shape is part of what was trained on: 3x28x28 and 1x28x84 hold the same bytes
                digest.update(schema.shape().describe().getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest digest, byte[] part) {
        digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(part.length).array());
        digest.update(part);
    }

    private static byte[] bytes(Values values) {
        if (values instanceof Values.Pixels p) {
            return p.data();
        }
        float[] floats = ((Values.Floats) values).data();
        ByteBuffer buffer = ByteBuffer.allocate(floats.length * Float.BYTES);
        buffer.asFloatBuffer().put(floats);
        return buffer.array();
    }

    private byte[] labelBytes(int[] labels) {
        if (schema.numClasses() <= 256) {
            byte[] out = new byte[labels.length];
            for (int i = 0; i < labels.length; i++) {
                out[i] = (byte) labels[i];
            }
            return out;
        }
        ByteBuffer buffer = ByteBuffer.allocate(labels.length * Integer.BYTES);
        buffer.asIntBuffer().put(labels);
        return buffer.array();
    }

    /** Builds and checks a built-in dataset from its four parsed IDX files. */
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
        DataSchema schema = DataSchema.of(kind);
        return new RawDataset(schema, split(schema, source, "train", trainImages, trainLabels),
                split(schema, source, "test", testImages, testLabels));
    }

    /** One split of IDX images and labels, each label checked against the schema's classes. */
    public static Split split(DataSchema schema, String source, String name, IdxArray images, IdxArray labels) {
        if (images.count() != labels.count()) {
            throw new BadInputException(source + ": " + name + " set has " + images.count() + " images but "
                    + labels.count() + " labels");
        }
        byte[] labelBytes = labels.data();
        int[] out = new int[labelBytes.length];
        for (int i = 0; i < labelBytes.length; i++) {
            out[i] = labelBytes[i] & 0xff;
            if (out[i] >= schema.numClasses()) {
                throw new BadInputException(source + ": " + name + " label " + i + " is " + out[i] + ", but the "
                        + "dataset has " + schema.numClasses() + " classes");
            }
        }
        return new Split(new Values.Pixels(images.data()), out);
    }
}
