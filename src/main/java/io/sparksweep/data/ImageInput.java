package io.sparksweep.data;

import io.sparksweep.BadInputException;

import javax.imageio.ImageIO;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Images given to a model for prediction, turned into the pixels its dataset's images have: one byte of gray per
 * pixel (0 black), {@code height x width}. A PNG or JPEG is read with Java's ImageIO: colour becomes gray by the
 * ITU-R BT.601 luma weights (0.299 R + 0.587 G + 0.114 B) over a black background where it is transparent, and an
 * image of another size is scaled (area averaging) to fit inside the box, keeping its aspect ratio, and centred on
 * black, as MNIST's digits are. An image of exactly the box's size is taken pixel for pixel. An IDX image file
 * ({@code idx3-ubyte}, gzipped or not) gives each of its images, which must already have the box's size.
 */
public final class ImageInput {
    /** One image's name (the file, and {@code #i} for the i-th image of an IDX file) and its gray pixels. */
    public record Picture(String name, byte[] pixels) {
    }

    private ImageInput() {
    }

    /** Every picture in {@code files}, in order; a file that is not a readable image is bad input naming it. */
    public static List<Picture> read(List<Path> files, int height, int width) {
        List<Picture> pictures = new ArrayList<>();
        for (Path file : files) {
            byte[] bytes = bytes(file);
            if (isIdx(bytes)) {
                pictures.addAll(idx(file, bytes, height, width));
            } else {
                pictures.add(new Picture(file.toString(), gray(file, bytes, height, width)));
            }
        }
        return pictures;
    }

    /** The pictures as network inputs, one row of {@code height * width} values each, normalised as in training. */
    public static float[] features(List<Picture> pictures, Normalization normalization) {
        int pixels = pictures.isEmpty() ? 0 : pictures.get(0).pixels().length;
        float[] features = new float[pictures.size() * pixels];
        for (int i = 0; i < pictures.size(); i++) {
            byte[] p = pictures.get(i).pixels();
            for (int j = 0; j < pixels; j++) {
                features[i * pixels + j] = normalization.apply(p[j] & 0xff);
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

    private static List<Picture> idx(Path file, byte[] bytes, int height, int width) {
        IdxArray images = IdxReader.read(file.toString(), bytes, 3);
        if (images.dims()[1] != height || images.dims()[2] != width) {
            throw new BadInputException("image " + file + ": its images are " + images.dims()[1] + "x"
                    + images.dims()[2] + ", the model takes " + height + "x" + width);
        }
        List<Picture> pictures = new ArrayList<>();
        int size = height * width;
        for (int i = 0; i < images.count(); i++) {
            byte[] pixels = new byte[size];
            System.arraycopy(images.data(), i * size, pixels, 0, size);
            pictures.add(new Picture(file + "#" + i, pixels));
        }
        return pictures;
    }

    private static byte[] gray(Path file, byte[] bytes, int height, int width) {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new BadInputException("image " + file + ": not a readable PNG or JPEG image (" + e.getMessage()
                    + ")", e);
        }
        if (image == null) {
            throw new BadInputException("image " + file + ": not a PNG or JPEG image (nor an IDX image file)");
        }
        int w = image.getWidth();
        int h = image.getHeight();
        double[] gray = luma(image);
        if (w != width || h != height) {
            gray = fit(gray, w, h, height, width);
        }
        byte[] pixels = new byte[height * width];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) Math.min(255, Math.max(0, Math.round(gray[i])));
        }
        return pixels;
    }

    /**
     * The image's gray values, 0 to 255, row by row. A gray image's samples are taken as they are: Java's
     * {@code getRGB} would pass them through a linear-to-sRGB curve and brighten them. Colour goes through sRGB.
     */
    private static double[] luma(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        double[] gray = new double[w * h];
        Raster raster = image.getRaster();
        boolean plainGray = image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && raster.getNumBands() <= 2;
        int max = (1 << image.getColorModel().getComponentSize(0)) - 1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double value;
                if (plainGray) {
                    double alpha = raster.getNumBands() == 2 ? raster.getSample(x, y, 1) / (double) max : 1;
                    value = raster.getSample(x, y, 0) * 255.0 / max * alpha;
                } else {
                    int argb = image.getRGB(x, y);
                    double alpha = (argb >>> 24) / 255.0;
                    value = alpha * (0.299 * ((argb >> 16) & 0xff) + 0.587 * ((argb >> 8) & 0xff)
                            + 0.114 * (argb & 0xff));
                }
                gray[y * w + x] = value;
            }
        }
        return gray;
    }

    /**
     * Scaled to fit the box with its aspect ratio kept, centred on black: each new pixel is the mean of the source
     * area it covers (area averaging, so shrinking a photo does not alias).
     */
    private static double[] fit(double[] gray, int w, int h, int height, int width) {
        double scale = Math.min((double) width / w, (double) height / h);
        int fw = Math.max(1, (int) Math.round(w * scale));
        int fh = Math.max(1, (int) Math.round(h * scale));
        int left = (width - fw) / 2;
        int top = (height - fh) / 2;
        double sx = (double) w / fw;
        double sy = (double) h / fh;
        double[] box = new double[height * width];
        for (int ty = 0; ty < fh; ty++) {
            for (int tx = 0; tx < fw; tx++) {
                box[(top + ty) * width + left + tx] = areaMean(gray, w, tx * sx, (tx + 1) * sx, ty * sy, (ty + 1) * sy);
            }
        }
        return box;
    }

    /** The mean of {@code gray} over the rectangle [x0, x1) x [y0, y1), pixels weighted by how much of each it covers. */
    private static double areaMean(double[] gray, int w, double x0, double x1, double y0, double y1) {
        double sum = 0;
        double area = 0;
        for (int y = (int) y0; y < Math.ceil(y1); y++) {
            double wy = Math.min(y + 1, y1) - Math.max(y, y0);
            for (int x = (int) x0; x < Math.ceil(x1); x++) {
                double weight = wy * (Math.min(x + 1, x1) - Math.max(x, x0));
                sum += weight * gray[y * w + x];
                area += weight;
            }
        }
        return sum / area;
    }
}
