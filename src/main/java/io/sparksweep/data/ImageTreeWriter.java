package io.sparksweep.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a split as a class-per-folder tree of PNG files (grey or RGB, by the shape's channels), each named by its
 * position ({@code 00042.png}): read back, the tree gives the same examples in the same order.
 */
public final class ImageTreeWriter {
    private ImageTreeWriter() {
    }

    /** Writes {@code split} under {@code dir}, one folder per class named {@code folders.get(label)}. */
    public static void write(Path dir, RawDataset.Split split, InputShape shape, List<String> folders) {
        try {
            for (String folder : folders) {
                Files.createDirectories(dir.resolve(folder));
            }
            int digits = Math.max(5, String.valueOf(split.count()).length());
            for (int i = 0; i < split.count(); i++) {
                BufferedImage image = image(split.pixels(), i, shape);
                Path file = dir.resolve(folders.get(split.labels()[i])).resolve(String.format("%0" + digits + "d.png",
                        i));
                ImageIO.write(image, "png", file.toFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Example {@code i} of channel-major {@code pixels} as an 8-bit grey or RGB image. */
    public static BufferedImage image(byte[] pixels, int i, InputShape shape) {
        int h = shape.height();
        int w = shape.width();
        int plane = h * w;
        int base = i * shape.size();
        BufferedImage image = new BufferedImage(w, h, shape.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY
                : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int at = base + y * w + x;
                if (shape.channels() == 1) {
                    image.getRaster().setSample(x, y, 0, pixels[at] & 0xff);
                } else {
                    int rgb = (pixels[at] & 0xff) << 16 | (pixels[at + plane] & 0xff) << 8
                            | (pixels[at + 2 * plane] & 0xff);
                    image.setRGB(x, y, rgb);
                }
            }
        }
        return image;
    }
}
