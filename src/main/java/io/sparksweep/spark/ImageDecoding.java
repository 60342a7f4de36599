package io.sparksweep.spark;

import io.sparksweep.data.ImageDecoder;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads and decodes a listing's images on Spark's executors, in parallel, each file through its Hadoop file system:
 * first (when the sweep leaves size or channels to the data) only their headers, then their pixels at the size the
 * sweep trains on. What comes back to the driver is compact: a few numbers per image, then its bytes.
 */
final class ImageDecoding {
    /** Images per task: enough that a task's start costs little beside its decoding. */
    private static final int PER_TASK = 2_000;

    /** One image's outcome: its place in the listing, and its header or pixels, or why it could not be read. */
    record Decoded(int index, ImageDecoder.Header header, byte[] pixels, String problem) implements Serializable {
    }

    private ImageDecoding() {
    }

    /** The headers of {@code images}, by listing index. */
    static Decoded[] headers(JavaSparkContext jsc, List<ImageFolders.Entry> images) {
        return run(jsc, images, bytes -> new Decoded(0, ImageDecoder.header(bytes), null, null));
    }

    /** The pixels of {@code images} as {@code channels x height x width} bytes, by listing index. */
    static Decoded[] pixels(JavaSparkContext jsc, List<ImageFolders.Entry> images, int channels, int height,
            int width) {
        return run(jsc, images, bytes -> new Decoded(0, null, ImageDecoder.pixels(bytes, channels, height, width),
                null));
    }

    /** What a task does with one file's bytes. */
    private interface Work extends Serializable {
        Decoded apply(byte[] bytes) throws ImageDecoder.Unreadable;
    }

    private static Decoded[] run(JavaSparkContext jsc, List<ImageFolders.Entry> images, Work work) {
        Broadcast<SerializableConfiguration> conf = jsc.broadcast(
                new SerializableConfiguration(jsc.hadoopConfiguration()));
        List<Indexed> indexed = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            indexed.add(new Indexed(i, images.get(i)));
        }
        int slices = Math.max(1, Math.min(images.size(), Math.max(jsc.defaultParallelism(),
                (images.size() + PER_TASK - 1) / PER_TASK)));
        FlatMapFunction<Iterator<Indexed>, Decoded> task = part -> decodeAll(part, conf.value().value(), work);
        List<Decoded> results = jsc.parallelize(indexed, slices).mapPartitions(task).collect();
        conf.destroy();
        Decoded[] byIndex = new Decoded[images.size()];
        for (Decoded d : results) {
            byIndex[d.index()] = d;
        }
        return byIndex;
    }

    private record Indexed(int index, ImageFolders.Entry entry) implements Serializable {
    }

    /**
     * The local file system without Hadoop's checksum layer, which looks for a {@code .crc} file beside every file
     * it opens: images people copy into a folder have none, and the look costs a call per image.
     */
    private static FileSystem rawFileSystem(FileSystem fs) {
        return fs instanceof ChecksumFileSystem checksummed ? checksummed.getRawFileSystem() : fs;
    }

    private static Iterator<Decoded> decodeAll(Iterator<Indexed> part, Configuration conf,
            Work work) throws IOException {
        List<Decoded> out = new ArrayList<>();
        while (part.hasNext()) {
            Indexed next = part.next();
            Path path = new Path(next.entry().path());
            byte[] bytes;
            try (FSDataInputStream in = rawFileSystem(path.getFileSystem(conf)).open(path)) {
                bytes = in.readAllBytes();
            } catch (IOException e) {
                out.add(new Decoded(next.index(), null, null, "cannot be read: " + e.getMessage()));
                continue;
            }
            try {
                Decoded d = work.apply(bytes);
                out.add(new Decoded(next.index(), d.header(), d.pixels(), null));
            } catch (ImageDecoder.Unreadable e) {
                out.add(new Decoded(next.index(), null, null, e.getMessage()));
            }
        }
        return out.iterator();
    }
}
