package io.sparksweep.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests: MNIST-format datasets made up on the spot. */
public final class IdxFiles {
    private IdxFiles() {
    }

    public static byte[] idx(int dimsCount, int[] dims, byte[] data) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(0x0800 | dimsCount);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] gzip(byte[] raw) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
                gz.write(raw);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a complete 28x28 MNIST-format dataset (gzipped) into {@code dir}: {@code perClass} train and test
     * images per class, where class c's images are bright in band c and noise elsewhere, so it is learnable.
     */
    public static void writeDataset(Path dir, int perClass, long seed) {
        writeDataset(dir, perClass, seed, 28, 10);
    }

    /** The same with {@code side x side} images and only the first {@code classes} classes. */
    public static void writeDataset(Path dir, int perClass, long seed, int side, int classes) {
        try {
            Files.createDirectories(dir);
            Random random = new Random(seed);
            int pixels = side * side;
            for (boolean train : new boolean[] {true, false}) {
                int n = perClass * classes;
                byte[] images = new byte[n * pixels];
                byte[] labels = new byte[n];
                for (int i = 0; i < n; i++) {
                    int label = i % classes;
                    labels[i] = (byte) label;
                    for (int p = 0; p < pixels; p++) {
                        int row = p / side;
                        boolean band = row >= label * 2 + 4 && row < label * 2 + 6;
                        images[i * pixels + p] = (byte) (band ? 200 + random.nextInt(56) : random.nextInt(40));
                    }
                }
                String prefix = train ? "train" : "t10k";
                Files.write(dir.resolve(prefix + "-images-idx3-ubyte.gz"),
                        gzip(idx(3, new int[] {n, side, side}, images)));
                Files.write(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), gzip(idx(1, new int[] {n}, labels)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
