package io.sparksweep.data;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The cache file of prepared data: what is written is read back exactly; a damaged file is an error, not data. */
class DataFileTest {
    private static final DataSchema SCHEMA = new DataSchema(InputShape.image(3, 2, 2), List.of("cat", "dog"));

    private static RawDataset pixels() {
        byte[] train = new byte[3 * 12];
        for (int i = 0; i < train.length; i++) {
            train[i] = (byte) (i * 7);
        }
        return new RawDataset(SCHEMA, new RawDataset.Split(new Values.Pixels(train), new int[] {0, 1, 1}),
                new RawDataset.Split(new Values.Pixels(new byte[12]), new int[] {1}));
    }

    private static byte[] write(RawDataset raw, DataReport report) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataFile.write(new DataOutputStream(bytes), raw, report);
        return bytes.toByteArray();
    }

    private static DataFile.Read read(byte[] bytes) throws IOException {
        return DataFile.read(new DataInputStream(new ByteArrayInputStream(bytes)), bytes.length);
    }

    @Test
    void pixelsAndFloatsAndTheReportComeBackAsWritten() throws IOException {
        RawDataset raw = pixels();
        DataReport report = new DataReport("images", "photos/train", raw.shape(), SCHEMA.classNames(),
                new int[] {1, 2}, new int[] {0, 1}, 4, List.of("file:/photos/train/dog/broken.jpg"), "abc123");
        DataFile.Read back = read(write(raw, report));
        assertEquals(raw.checksum(), back.raw().checksum());
        assertArrayEquals(raw.train().pixels(), back.raw().train().pixels());
        assertEquals(report.location(), back.report().location());
        assertEquals(report.unreadable(), back.report().unreadable());
        assertEquals("abc123", back.report().testSplitSha256());
        assertEquals(4, back.report().skipped());

        DataSchema table = new DataSchema(InputShape.features(2), List.of("1", "2"));
        RawDataset floats = new RawDataset(table, new RawDataset.Split(new Values.Floats(new float[] {0.5f, -1e9f,
                Float.MIN_VALUE, 3}), new int[] {0, 1}), new RawDataset.Split(new Values.Floats(new float[] {1, 2}),
                new int[] {1}));
        DataFile.Read tableBack = read(write(floats, DataReport.of(new DataSource.Table("t", null, 0.2,
                DataSource.TableFormat.CSV, "y", List.of(), null, 1 << 20), "t", floats, 0, List.of(), null)));
        assertEquals(floats.checksum(), tableBack.raw().checksum());
        assertEquals(null, tableBack.report().testSplitSha256());
    }

    @Test
    void aTruncatedOrForeignFileIsAnErrorNotData() throws IOException {
        byte[] whole = write(pixels(), DataReport.of(new DataSource.Idx("a", "b", "c", "d", null, 1 << 20), "x",
                pixels(), 0, List.of(), null));
        assertThrows(IOException.class, () -> read(Arrays.copyOf(whole, whole.length - 5)));
        assertThrows(IOException.class, () -> read("sparksweep-results".getBytes()));
        // the training split's example count, made enormous: refused before anything that size is allocated. It
        // follows the magic (2 + 17 bytes), the shape (13) and the class names (4 + 5 + 5).
        int count = 2 + "sparksweep-data 1".length() + 13 + 4 + 5 + 5;
        assertEquals(3, whole[count + 3], "the count is where the layout puts it");
        byte[] huge = whole.clone();
        huge[count] = 0x7f;
        assertThrows(IOException.class, () -> read(huge));
    }
}
