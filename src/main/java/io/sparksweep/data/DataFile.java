package io.sparksweep.data;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Prepared data as one file: what {@code _data/} under an output caches, so a rerun or resume whose sources are
 * unchanged reads no image again. A plain binary layout (no Java serialization: the file is data, never code), every
 * length checked against what follows it before it is allocated.
 */
public final class DataFile {
    private static final String MAGIC = "sparksweep-data 1";

    private DataFile() {
    }

    public static void write(DataOutputStream out, RawDataset raw, DataReport report) throws IOException {
        out.writeUTF(MAGIC);
        InputShape shape = raw.shape();
        out.writeInt(shape.channels());
        out.writeInt(shape.height());
        out.writeInt(shape.width());
        out.writeBoolean(shape.image());
        strings(out, raw.schema().classNames());
        split(out, raw.train());
        split(out, raw.test());
        out.writeUTF(report.kind());
        out.writeUTF(report.location());
        out.writeLong(report.skipped());
        strings(out, report.unreadable());
        out.writeBoolean(report.testSplitSha256() != null);
        if (report.testSplitSha256() != null) {
            out.writeUTF(report.testSplitSha256());
        }
    }

    /** The data and its report; a file that is not one, or is cut short, is an {@link IOException}. */
    public static Read read(DataInputStream in, long length) throws IOException {
        if (!MAGIC.equals(in.readUTF())) {
            throw new IOException("not a SparkSweep data file");
        }
        InputShape shape = new InputShape(in.readInt(), in.readInt(), in.readInt(), in.readBoolean());
        DataSchema schema = new DataSchema(shape, strings(in, length));
        RawDataset raw = new RawDataset(schema, split(in, length, schema), split(in, length, schema));
        String kind = in.readUTF();
        String location = in.readUTF();
        long skipped = in.readLong();
        List<String> unreadable = strings(in, length);
        String testSplit = in.readBoolean() ? in.readUTF() : null;
        return new Read(raw, new DataReport(kind, location, shape, schema.classNames(),
                raw.train().classCounts(schema.numClasses()), raw.test().classCounts(schema.numClasses()), skipped,
                unreadable, testSplit));
    }

    /** A cached dataset and what reading it found. */
    public record Read(RawDataset raw, DataReport report) {
    }

    private static void split(DataOutputStream out, RawDataset.Split split) throws IOException {
        out.writeInt(split.count());
        for (int label : split.labels()) {
            out.writeInt(label);
        }
        if (split.values() instanceof Values.Pixels p) {
            out.writeBoolean(true);
            out.writeInt(p.data().length);
            out.write(p.data());
        } else {
            float[] f = ((Values.Floats) split.values()).data();
            out.writeBoolean(false);
            out.writeInt(f.length);
            for (float v : f) {
                out.writeFloat(v);
            }
        }
    }

    private static RawDataset.Split split(DataInputStream in, long length, DataSchema schema) throws IOException {
        int[] labels = new int[checked(in.readInt(), 4, length)];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = in.readInt();
            if (labels[i] < 0 || labels[i] >= schema.numClasses()) {
                throw new IOException("label " + labels[i] + " outside its " + schema.numClasses() + " classes");
            }
        }
        boolean pixels = in.readBoolean();
        int n = checked(in.readInt(), pixels ? 1 : 4, length);
        if ((long) labels.length * schema.shape().size() != n) {
            throw new IOException(n + " values for " + labels.length + " examples of " + schema.shape().describe());
        }
        if (pixels) {
            byte[] data = new byte[n];
            in.readFully(data);
            return new RawDataset.Split(new Values.Pixels(data), labels);
        }
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = in.readFloat();
        }
        return new RawDataset.Split(new Values.Floats(data), labels);
    }

    private static void strings(DataOutputStream out, List<String> values) throws IOException {
        out.writeInt(values.size());
        for (String v : values) {
            out.writeUTF(v);
        }
    }

    private static List<String> strings(DataInputStream in, long length) throws IOException {
        int n = checked(in.readInt(), 2, length);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(in.readUTF());
        }
        return out;
    }

    /** A count of items of at least {@code bytes} each, which a file of {@code length} bytes can hold. */
    private static int checked(int count, int bytes, long length) throws IOException {
        if (count < 0 || (long) count * bytes > length) {
            throw new IOException("a count of " + count + " does not fit the file's " + length + " bytes");
        }
        return count;
    }
}
