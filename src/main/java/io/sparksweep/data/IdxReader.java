package io.sparksweep.data;

import io.sparksweep.BadInputException;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files of unsigned bytes (the MNIST format), gzipped or raw: detected from the content, not the name.
 * The magic number, the number of dimensions and the data length are all checked, so a truncated, padded or
 * foreign file is a clear error naming the file instead of a garbled dataset.
 */
public final class IdxReader {
    private static final int UNSIGNED_BYTE = 0x08;
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private IdxReader() {
    }

    /** Parses {@code bytes}, the content of the file called {@code name}, expecting {@code expectedDims} dims. */
    public static IdxArray read(String name, byte[] bytes, int expectedDims) {
        header(name, bytes, expectedDims); // what the header promises is checked before it is allocated
        try (InputStream in = maybeGunzip(new ByteArrayInputStream(bytes))) {
            return read(name, in, expectedDims);
        } catch (EOFException | ZipException e) {
            throw new BadInputException(name + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new BadInputException(name + ": cannot read IDX data: " + e.getMessage(), e);
        }
    }

    /**
     * The file's dimensions (its data left empty), once its header is found to promise no more bytes than the file
     * holds: its length, or for gzip the uncompressed length its trailer records.
     */
    public static IdxArray header(String name, byte[] bytes, int expectedDims) {
        int[] dims;
        try (DataInputStream in = new DataInputStream(maybeGunzip(new ByteArrayInputStream(bytes)))) {
            dims = dims(name, in, expectedDims);
        } catch (EOFException | ZipException e) {
            throw new BadInputException(name + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new BadInputException(name + ": cannot read IDX data: " + e.getMessage(), e);
        }
        long promised = 1;
        for (int d : dims) {
            promised *= d;
        }
        long header = 4L + 4L * dims.length;
        boolean gzip = bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
        long available = (gzip ? gzipLength(bytes) : bytes.length) - header;
        if (promised > available) {
            throw new BadInputException(String.format("%s: truncated: header promises %d bytes of data, file has %d",
                    name, promised, Math.max(0, available)));
        }
        return new IdxArray(dims, new byte[0]);
    }

    /** The uncompressed length a gzip file's trailer records (modulo 2^32, as gzip keeps it). */
    private static long gzipLength(byte[] bytes) {
        int n = bytes.length;
        if (n < 18) {
            return 0;
        }
        return (bytes[n - 4] & 0xffL) | (bytes[n - 3] & 0xffL) << 8 | (bytes[n - 2] & 0xffL) << 16
                | (bytes[n - 1] & 0xffL) << 24;
    }

    private static IdxArray read(String name, InputStream raw, int expectedDims) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        int[] dims = dims(name, in, expectedDims);
        long total = 1;
        for (int d : dims) {
            total *= d;
        }
        byte[] data = new byte[(int) total];
        int read = in.readNBytes(data, 0, data.length);
        if (read < data.length) {
            throw new BadInputException(String.format("%s: truncated: header promises %d bytes of data, file has %d",
                    name, data.length, read));
        }
        if (in.read() != -1) {
            throw new BadInputException(name + ": trailing bytes after the " + data.length + " bytes of data");
        }
        return new IdxArray(dims, data);
    }

    /** The magic number and dimensions, checked. */
    private static int[] dims(String name, DataInputStream in, int expectedDims) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new BadInputException(name + ": file is empty or shorter than an IDX header");
        }
        int zeros = magic >>> 16;
        int type = (magic >>> 8) & 0xff;
        int dimCount = magic & 0xff;
        if (zeros != 0 || type != UNSIGNED_BYTE || dimCount != expectedDims) {
            throw new BadInputException(String.format(
                    "%s: not an IDX file of unsigned bytes with %d dimension(s): magic number 0x%08X, expected 0x%08X",
                    name, expectedDims, magic, (UNSIGNED_BYTE << 8) | expectedDims));
        }
        int[] dims = new int[dimCount];
        long total = 1;
        for (int i = 0; i < dimCount; i++) {
            try {
                dims[i] = in.readInt();
            } catch (EOFException e) {
                throw new BadInputException(name + ": truncated IDX header (dimension " + i + " missing)");
            }
            if (dims[i] <= 0) {
                throw new BadInputException(name + ": dimension " + i + " is " + dims[i] + ", must be positive");
            }
            total *= dims[i];
            if (total > MAX_ELEMENTS) {
                throw new BadInputException(name + ": dimensions too large for one array");
            }
        }
        return dims;
    }

    private static InputStream maybeGunzip(InputStream in) throws IOException {
        PushbackInputStream pushback = new PushbackInputStream(in, 2);
        int b1 = pushback.read();
        int b2 = pushback.read();
        if (b2 != -1) {
            pushback.unread(b2);
        }
        if (b1 != -1) {
            pushback.unread(b1);
        }
        boolean gzip = b1 == 0x1f && b2 == 0x8b;
        return gzip ? new GZIPInputStream(pushback, 1 << 16) : pushback;
    }
}
