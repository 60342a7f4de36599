package io.sparksweep.data;

import io.sparksweep.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {
    private static final byte[] PIXELS = {0, 1, 2, 3, 4, 5, (byte) 255, 7, 8, 9, 10, 11};
    private static final byte[] IMAGES = IdxFiles.idx(3, new int[] {3, 2, 2}, PIXELS);

    @Test
    void readsRawAndGzippedFilesAlike() {
        for (byte[] file : new byte[][] {IMAGES, IdxFiles.gzip(IMAGES)}) {
            IdxArray array = IdxReader.read("images", file, 3);
            assertArrayEquals(new int[] {3, 2, 2}, array.dims());
            assertArrayEquals(PIXELS, array.data());
            assertEquals(3, array.count());
            assertEquals(4, array.itemSize());
        }
    }

    @Test
    void truncatedDataIsAnErrorNamingTheFileAndSizes() {
        byte[] truncated = Arrays.copyOf(IMAGES, IMAGES.length - 5);
        BadInputException e = assertThrows(BadInputException.class, () -> IdxReader.read("t.idx", truncated, 3));
        assertTrue(e.getMessage().contains("t.idx: truncated: header promises 12 bytes of data, file has 7"),
                e.getMessage());
    }

    @Test
    void truncatedGzipIsAnError() {
        byte[] gz = IdxFiles.gzip(IMAGES);
        byte[] cut = Arrays.copyOf(gz, gz.length / 2);
        BadInputException e = assertThrows(BadInputException.class, () -> IdxReader.read("t.gz", cut, 3));
        assertTrue(e.getMessage().startsWith("t.gz: "), e.getMessage());
    }

    @Test
    void wrongMagicIsAnError() {
        byte[] labels = IdxFiles.idx(1, new int[] {12}, PIXELS);
        BadInputException e = assertThrows(BadInputException.class, () -> IdxReader.read("labels", labels, 3));
        assertTrue(e.getMessage().contains("magic number 0x00000801, expected 0x00000803"), e.getMessage());
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 0};
        assertThrows(BadInputException.class, () -> IdxReader.read("picture", png, 3));
    }

    @Test
    void trailingBytesAndEmptyFilesAreErrors() {
        byte[] padded = Arrays.copyOf(IMAGES, IMAGES.length + 1);
        assertTrue(assertThrows(BadInputException.class, () -> IdxReader.read("p", padded, 3)).getMessage()
                .contains("trailing bytes"));
        assertTrue(assertThrows(BadInputException.class, () -> IdxReader.read("e", new byte[0], 3)).getMessage()
                .contains("empty"));
    }
}
