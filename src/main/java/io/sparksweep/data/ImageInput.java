package io.sparksweep.data;

import io.sparksweep.BadInputException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Images given to a model for prediction, turned into the pixels its training images had, by the very function
 * that read them ({@link ImageDecoder}: grey or colour as the model's channels, EXIF orientation, alpha over black,
 * area-averaged to fit its size, centred on black). An IDX image file ({@code idx3-ubyte}, gzipped or not) gives
 * each of its images, which must already have the model's size and one channel.
 */
public final class ImageInput {
    /** One image's name (the file, and {@code #i} for the i-th image of an IDX file) and its pixels, CHW. */
    public record Picture(String name, byte[] pixels) {
    }

    private ImageInput() {
    }

    /** Every picture in {@code files}, in order; a file that is not a readable image is bad input naming it. */
    public static List<Picture> read(List<Path> files, InputShape shape) {
        List<Picture> pictures = new ArrayList<>();
        for (Path file : files) {
            byte[] bytes = bytes(file);
            if (isIdx(bytes)) {
                pictures.addAll(idx(file, bytes, shape));
            } else {
                try {
                    pictures.add(new Picture(file.toString(),
                            ImageDecoder.pixels(bytes, shape.channels(), shape.height(), shape.width())));
                } catch (ImageDecoder.Unreadable e) {
                    throw new BadInputException("image " + file + " " + e.getMessage(), e);
                }
            }
        }
        return pictures;
    }

    /** The pictures as network inputs, one row each, normalised as the model's training examples were. */
    public static float[] features(List<Picture> pictures, Scaling scaling) {
        int size = pictures.isEmpty() ? 0 : pictures.get(0).pixels().length;
        float[] features = new float[pictures.size() * size];
        for (int i = 0; i < pictures.size(); i++) {
            byte[] p = pictures.get(i).pixels();
            for (int j = 0; j < size; j++) {
                features[i * size + j] = scaling.apply(p[j] & 0xff, j);
            }
        }
        return features;
    }
    private static byte[] bytes(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("image " + file + ": " + (Files.exists(file) ? "is not a file" : "no such file"));
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BadInputException("image " + file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /** An IDX file of unsigned bytes with three dimensions (magic 0x00000803), gzipped or not. */
    private static boolean isIdx(byte[] bytes) {
        byte[] head = bytes;
        if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                head = in.readNBytes(4);
            } catch (IOException e) {
                return false;
            }
        }
        return head.length >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x08 && head[3] == 0x03;
    }

    private static List<Picture> idx(Path file, byte[] bytes, InputShape shape) {
        IdxArray images = IdxReader.read(file.toString(), bytes, 3);
        if (shape.channels() != 1 || images.dims()[1] != shape.height() || images.dims()[2] != shape.width()) {
            throw new BadInputException("image " + file + ": its images are 1x" + images.dims()[1] + "x"
                    + images.dims()[2] + ", the model takes " + shape.describe());
        }
        List<Picture> pictures = new ArrayList<>();
        int size = shape.size();
        for (int i = 0; i < images.count(); i++) {
            byte[] pixels = new byte[size];
            System.arraycopy(images.data(), i * size, pixels, 0, size);
            pictures.add(new Picture(file + "#" + i, pixels));
        }
        return pictures;
    }
}
