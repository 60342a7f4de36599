package io.sparksweep.data;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One image file's bytes to the pixels a network reads, the same way for training and for {@code predict}: decoded
 * by Java's ImageIO (PNG, JPEG, BMP, GIF; CMYK and YCCK JPEGs through TwelveMonkeys' reader), turned upright by its
 * EXIF orientation, transparency laid over black, then {@code channels} planes of bytes: colour to grey by the
 * ITU-R BT.601 luma weights (0.299 R + 0.587 G + 0.114 B), grey to colour by copying. An image of another size is
 * scaled by area averaging to fit inside {@code height x width} with its aspect ratio kept, centred on black
 * (padded, never cropped: nothing of the object is lost); one of exactly that size is taken pixel for pixel.
 */
public final class ImageDecoder {
    /** The largest image decoded: its header is read first, so a decompression bomb costs nothing. */
    public static final long MAX_PIXELS = 64_000_000L;
    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    /** An image's upright size and whether it holds colour, read from its header without decoding its pixels. */
    public record Header(int width, int height, boolean colour) implements Serializable {
    }

    /** A file this decoder cannot read: the reason, for a message that names the file. */
    public static final class Unreadable extends Exception {
        public Unreadable(String reason) {
            super(reason);
        }
    }

    private ImageDecoder() {
    }

    /** True for the file names a folder tree's images have: .png, .jpg, .jpeg, .bmp, .gif, any case. */
    public static boolean isImageName(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** The image's header: its size (as it is shown, after EXIF rotation) and colour. */
    public static Header header(byte[] bytes) throws Unreadable {
        return read(bytes, reader -> {
            int orientation = orientation(bytes);
            boolean swapped = orientation >= 5;
            return new Header(swapped ? reader.getHeight(0) : reader.getWidth(0),
                    swapped ? reader.getWidth(0) : reader.getHeight(0), colour(reader));
        });
    }

    /** The image as {@code channels} planes of {@code height x width} bytes, channel-major. */
    public static byte[] pixels(byte[] bytes, int channels, int height, int width) throws Unreadable {
        return read(bytes, reader -> upright(planes(reader.read(0), channels), orientation(bytes))
                .fit(height, width).toBytes());
    }

    /** What is done with a reader set on an image whose size has been checked. */
    private interface Use<T> {
        T apply(ImageReader reader) throws IOException;
    }

    /**
     * {@code use} applied to a reader of the image, once its header has been found to be within {@link
     * #MAX_PIXELS}. The bytes are read from memory: ImageIO's default would first copy them to a temporary file.
     */
    private static <T> T read(byte[] bytes, Use<T> use) throws Unreadable {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = reader(in);
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new Unreadable("is " + reader.getWidth(0) + "x" + reader.getHeight(0) + " pixels, over the "
                            + MAX_PIXELS / 1_000_000 + " megapixels SparkSweep decodes");
                }
                return use.apply(reader);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new Unreadable("is not a readable PNG, JPEG, BMP or GIF image (" + e.getMessage() + ")");
        }
    }

    private static ImageReader reader(ImageInputStream in) throws IOException {
        if (in == null) {
            throw new IOException("no input");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new IOException("not a PNG, JPEG, BMP or GIF image");
        }
        return readers.next();
    }

    /** Colour unless its colour model is grey (or a palette of greys only). */
    private static boolean colour(ImageReader reader) throws IOException {
        Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
        ImageTypeSpecifier type = reader.getRawImageType(0) != null ? reader.getRawImageType(0)
                : types.hasNext() ? types.next() : null;
        if (type == null) {
            return true;
        }
        ColorModel model = type.getColorModel();
        if (model instanceof IndexColorModel palette) {
            for (int i = 0; i < palette.getMapSize(); i++) {
                if (palette.getRed(i) != palette.getGreen(i) || palette.getGreen(i) != palette.getBlue(i)) {
                    return true;
                }
            }
            return false;
        }
        return model.getColorSpace().getType() != ColorSpace.TYPE_GRAY;
    }

    /** A JPEG's EXIF orientation (1 to 8), 1 for anything else or when it has none. */
    static int orientation(byte[] bytes) {
        if (bytes.length < 4 || (bytes[0] & 0xff) != 0xFF || (bytes[1] & 0xff) != 0xD8) {
            return 1;
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            List<JPEGSegment> exif = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
            if (exif.isEmpty()) {
                return 1;
            }
            InputStream data = exif.get(0).data();
            data.read(); // the pad byte after "Exif\0"
            try (ImageInputStream tiff = new MemoryCacheImageInputStream(data)) {
                Directory directory = new TIFFReader().read(tiff);
                Entry entry = directory.getEntryById(TIFF.TAG_ORIENTATION);
                int value = entry == null ? 1 : ((Number) entry.getValue()).intValue();
                return value >= 1 && value <= 8 ? value : 1;
            }
        } catch (IOException | RuntimeException e) {
            return 1; // unreadable metadata: the pixels as stored
        }
    }

    /** An image's values, 0-255 as doubles, {@code channels} planes of {@code width x height}. */
    private record Planes(int channels, int width, int height, double[] values) {
        double get(int c, int x, int y) {
            return values[(c * height + y) * width + x];
        }

        byte[] toBytes() {
            byte[] out = new byte[values.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) Math.min(255, Math.max(0, Math.round(values[i])));
            }
            return out;
        }

        /** Scaled to fit the box with the aspect ratio kept, centred on black; area averaging. */
        Planes fit(int boxHeight, int boxWidth) {
            if (width == boxWidth && height == boxHeight) {
                return this;
            }
            double scale = Math.min((double) boxWidth / width, (double) boxHeight / height);
            int fw = Math.max(1, Math.min(boxWidth, (int) Math.round(width * scale)));
            int fh = Math.max(1, Math.min(boxHeight, (int) Math.round(height * scale)));
            int left = (boxWidth - fw) / 2;
            int top = (boxHeight - fh) / 2;
            double sx = (double) width / fw;
            double sy = (double) height / fh;
            double[] box = new double[channels * boxHeight * boxWidth];
            for (int c = 0; c < channels; c++) {
                for (int ty = 0; ty < fh; ty++) {
                    for (int tx = 0; tx < fw; tx++) {
                        box[(c * boxHeight + top + ty) * boxWidth + left + tx] =
                                areaMean(c, tx * sx, (tx + 1) * sx, ty * sy, (ty + 1) * sy);
                    }
                }
            }
            return new Planes(channels, boxWidth, boxHeight, box);
        }

        /** The mean over [x0, x1) x [y0, y1) of channel c, pixels weighted by how much of each it covers. */
        private double areaMean(int c, double x0, double x1, double y0, double y1) {
            double sum = 0;
            double area = 0;
            for (int y = (int) y0; y < Math.min(height, Math.ceil(y1)); y++) {
                double wy = Math.min(y + 1, y1) - Math.max(y, y0);
                for (int x = (int) x0; x < Math.min(width, Math.ceil(x1)); x++) {
                    double weight = wy * (Math.min(x + 1, x1) - Math.max(x, x0));
                    sum += weight * get(c, x, y);
                    area += weight;
                }
            }
            return sum / area;
        }
    }

    /**
     * The decoded image as planes. A grey image's samples are taken as they are (any bit depth, scaled to 0-255):
     * Java's {@code getRGB} would pass them through a linear-to-sRGB curve and brighten them. Colour goes through
     * sRGB. Alpha multiplies: transparent is black.
     */
    private static Planes planes(BufferedImage image, int channels) {
        int w = image.getWidth();
        int h = image.getHeight();
        double[] out = new double[channels * w * h];
        Raster raster = image.getRaster();
        boolean plainGray = image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && raster.getNumBands() <= 2;
        double max = (1L << image.getColorModel().getComponentSize(0)) - 1;
        int plane = w * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int at = y * w + x;
                if (plainGray) {
                    double alpha = raster.getNumBands() == 2 ? raster.getSample(x, y, 1) / max : 1;
                    double grey = raster.getSample(x, y, 0) * 255.0 / max * alpha;
                    for (int c = 0; c < channels; c++) {
                        out[c * plane + at] = grey;
                    }
                    continue;
                }
                int argb = image.getRGB(x, y);
                double alpha = (argb >>> 24) / 255.0;
                double r = alpha * ((argb >> 16) & 0xff);
                double g = alpha * ((argb >> 8) & 0xff);
                double b = alpha * (argb & 0xff);
                if (channels == 1) {
                    out[at] = 0.299 * r + 0.587 * g + 0.114 * b;
                } else {
                    out[at] = r;
                    out[plane + at] = g;
                    out[2 * plane + at] = b;
                }
            }
        }
        return new Planes(channels, w, h, out);
    }

    /** The planes turned as EXIF orientation {@code o} says the image is to be shown. */
    private static Planes upright(Planes p, int o) {
        if (o == 1) {
            return p;
        }
        boolean swap = o >= 5;
        int w = swap ? p.height() : p.width();
        int h = swap ? p.width() : p.height();
        double[] out = new double[p.values().length];
        for (int c = 0; c < p.channels(); c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int sx = switch (o) {
                        case 2, 3 -> p.width() - 1 - x;
                        case 4 -> x;
                        case 5, 6 -> y;
                        default -> p.width() - 1 - y; // 7, 8
                    };
                    int sy = switch (o) {
                        case 2 -> y;
                        case 3, 4 -> p.height() - 1 - y;
                        case 5, 8 -> x;
                        default -> p.height() - 1 - x; // 6, 7
                    };
                    out[(c * h + y) * w + x] = p.get(c, sx, sy);
                }
            }
        }
        return new Planes(p.channels(), w, h, out);
    }
}
