package io.sparksweep.data;

import org.junit.jupiter.api.Test;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real image files, made here, through the decoder that training and predict share. */
class ImageDecoderTest {

    @Test
    void exifOrientationTurnsAPhoneJpegUpright() throws Exception {
        // 16 wide, 8 tall: white on the left. Orientation 6 says "turn 90 degrees clockwise to show": 8 wide,
        // 16 tall, white on top.
        BufferedImage image = new BufferedImage(16, 8, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 8, 8);
        g.dispose();
        byte[] jpeg = withOrientation(encode(image, "jpg"), 6);
        assertEquals(6, ImageDecoder.orientation(jpeg));
        ImageDecoder.Header header = ImageDecoder.header(jpeg);
        assertEquals(8, header.width());
        assertEquals(16, header.height());
        byte[] pixels = ImageDecoder.pixels(jpeg, 1, 16, 8);
        assertTrue(mean(pixels, 0, 64) > 200, "top half white");
        assertTrue(mean(pixels, 64, 128) < 50, "bottom half black");
        byte[] plain = ImageDecoder.pixels(encode(image, "jpg"), 1, 8, 16);
        assertTrue(mean(plain, 0, 4) > 200 && mean(plain, 12, 16) < 50, "without EXIF, as stored");
    }

    @Test
    void anAdobeCmykJpegIsReadInItsOwnColours() throws Exception {
        // Photoshop's CMYK: inks stored inverted, no cyan, magenta or yellow, half black: a middle grey
        byte[] jpeg = adobeCmykJpeg(255, 255, 255, 128);
        byte[] rgb = ImageDecoder.pixels(jpeg, 3, 8, 8);
        for (int c = 0; c < 3; c++) {
            assertEquals(128, rgb[c * 64] & 0xff, 20, "channel " + c);
        }
        assertTrue(ImageDecoder.header(jpeg).colour());
        // Java's own reader takes the inks for colours: far lighter
        int jdk = jdkReader(jpeg).read(0).getRGB(0, 0) & 0xff;
        assertTrue(jdk > 170, "the JDK's reader alone: " + jdk);
    }

    @Test
    void sixteenBitGreyPaletteAndAlphaBecomeBytesOverBlack() throws Exception {
        BufferedImage deep = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        deep.getRaster().setSample(0, 0, 0, 65535);
        deep.getRaster().setSample(1, 0, 0, 32896); // 128.5 of 255
        assertArrayEquals(new byte[] {(byte) 255, (byte) 128}, ImageDecoder.pixels(encode(deep, "png"), 1, 1, 2));
        assertFalse(ImageDecoder.header(encode(deep, "png")).colour());

        IndexColorModel greys = new IndexColorModel(8, 2, new byte[] {0, 100}, new byte[] {0, 100},
                new byte[] {0, 100});
        BufferedImage palette = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, greys);
        palette.getRaster().setSample(1, 0, 0, 1);
        assertFalse(ImageDecoder.header(encode(palette, "png")).colour(), "a palette of greys is grey");
        assertArrayEquals(new byte[] {0, 100}, ImageDecoder.pixels(encode(palette, "png"), 1, 1, 2));

        BufferedImage clear = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        clear.setRGB(0, 0, 0x00ffffff); // white, fully transparent: black
        clear.setRGB(1, 0, 0xff0000ff); // opaque blue
        byte[] rgb = ImageDecoder.pixels(encode(clear, "png"), 3, 1, 2);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, (byte) 255}, rgb, "planes R, G, B");
        byte[] grey = ImageDecoder.pixels(encode(clear, "png"), 1, 1, 2);
        assertArrayEquals(new byte[] {0, (byte) Math.round(0.114 * 255)}, grey, "BT.601 luma");
    }

    @Test
    void anImageOfAnotherSizeIsAreaAveragedAndPaddedNotCropped() throws Exception {
        BufferedImage wide = new BufferedImage(8, 4, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = wide.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 8, 4);
        g.dispose();
        byte[] box = ImageDecoder.pixels(encode(wide, "png"), 1, 4, 4);
        // 8x4 scaled to 4x2, centred in 4x4: black rows above and below, all of it kept
        assertArrayEquals(new byte[] {0, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0}, box);
    }

    @Test
    void onlyImageNamesAreImages() {
        assertTrue(ImageDecoder.isImageName("a.PNG"));
        assertTrue(ImageDecoder.isImageName("b.jpeg"));
        assertFalse(ImageDecoder.isImageName("notes.txt"));
        assertFalse(ImageDecoder.isImageName(".png"));
        assertThrows(ImageDecoder.Unreadable.class, () -> ImageDecoder.header("no image".getBytes()));
    }

    private static double mean(byte[] pixels, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += pixels[i] & 0xff;
        }
        return sum / (to - from);
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), format);
        return out.toByteArray();
    }

    /** The JPEG with an EXIF segment (APP1) that holds one tag, the orientation, right after its SOI marker. */
    private static byte[] withOrientation(byte[] jpeg, int orientation) throws IOException {
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        DataOutputStream t = new DataOutputStream(tiff);
        t.writeBytes("MM");
        t.writeShort(42);
        t.writeInt(8);
        t.writeShort(1); // one entry
        t.writeShort(0x0112); // orientation
        t.writeShort(3); // SHORT
        t.writeInt(1);
        t.writeShort(orientation);
        t.writeShort(0);
        t.writeInt(0); // no next IFD
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(out);
        o.write(jpeg, 0, 2);
        o.writeShort(0xFFE1);
        o.writeShort(2 + 6 + tiff.size());
        o.writeBytes("Exif");
        o.writeShort(0);
        o.write(tiff.toByteArray());
        o.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /**
     * An 8x8 CMYK JPEG of one stored ink mix, as Photoshop writes them: four channels (the JDK's writer, from a
     * raster) and Adobe's APP14 marker saying CMYK (transform 0).
     */
    private static byte[] adobeCmykJpeg(int c, int m, int y, int k) throws IOException {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 8, 8, 4, null);
        for (int yy = 0; yy < 8; yy++) {
            for (int x = 0; x < 8; x++) {
                raster.setPixel(x, yy, new int[] {c, m, y, k});
            }
        }
        ImageWriter writer = jdkJpegWriter();
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(jpeg)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(raster, null, null), writer.getDefaultWriteParam());
        } finally {
            writer.dispose();
        }
        byte[] plain = jpeg.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(out);
        o.write(plain, 0, 2);
        o.writeShort(0xFFEE);
        o.writeShort(14);
        o.writeBytes("Adobe");
        o.writeShort(100);
        o.writeShort(0);
        o.writeShort(0);
        o.writeByte(0);
        o.write(plain, 2, plain.length - 2);
        return out.toByteArray();
    }

    private static ImageWriter jdkJpegWriter() {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        while (writers.hasNext()) {
            ImageWriter w = writers.next();
            if (w.getClass().getName().startsWith("com.sun.")) {
                return w;
            }
        }
        throw new IllegalStateException("no JDK JPEG writer");
    }

    /** The JDK's own JPEG reader over {@code jpeg}. */
    private static ImageReader jdkReader(byte[] jpeg) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
        while (readers.hasNext()) {
            ImageReader r = readers.next();
            if (r.getClass().getName().startsWith("com.sun.")) {
                ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg));
                r.setInput(in);
                return r;
            }
        }
        throw new IllegalStateException("no JDK JPEG reader");
    }
}
