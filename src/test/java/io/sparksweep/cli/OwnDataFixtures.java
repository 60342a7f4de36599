package io.sparksweep.cli;

import io.sparksweep.data.IdxFiles;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/** Small folder trees, IDX files and CSV tables of the user's kind, good and bad, written for tests. */
final class OwnDataFixtures {
    private OwnDataFixtures() {
    }

    /** A grey {@code size x size} PNG whose pixels depend on {@code seed}. */
    static void png(Path file, int size, int seed) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                image.getRaster().setSample(x, y, 0, (x * 7 + y * 13 + seed * 31) & 0xff);
            }
        }
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A folder per class, {@code each} images in each. */
    static Path tree(Path dir, int each, String... classes) {
        for (String c : classes) {
            for (int i = 0; i < each; i++) {
                png(dir.resolve(c).resolve(c + i + ".png"), 8, c.hashCode() * 100 + i); // no two alike
            }
        }
        return dir;
    }

    static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path text(Path file, String text) {
        return write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A PNG whose header says {@code width x height} pixels, followed by no image data: what a decompression bomb
     * looks like to a reader that trusts headers.
     */
    static byte[] pngHeader(int width, int height) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream chunk = new DataOutputStream(ihdr);
            chunk.writeBytes("IHDR");
            chunk.writeInt(width);
            chunk.writeInt(height);
            chunk.write(new byte[] {8, 0, 0, 0, 0}); // 8-bit grey, deflate, no filter, no interlace
            out.writeInt(13);
            out.write(ihdr.toByteArray());
            CRC32 crc = new CRC32();
            crc.update(ihdr.toByteArray());
            out.writeInt((int) crc.getValue());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** IDX images whose header promises {@code promised} 8x8 images but holding one. */
    static byte[] shortIdx(int promised) {
        byte[] full = IdxFiles.idx(3, new int[] {promised, 8, 8}, new byte[64]);
        return full;
    }
}
