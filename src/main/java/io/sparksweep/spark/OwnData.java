package io.sparksweep.spark;

import io.sparksweep.BadInputException;
import io.sparksweep.data.DataPreparer;
import io.sparksweep.data.DataReport;
import io.sparksweep.data.DataSchema;
import io.sparksweep.data.DataSource;
import io.sparksweep.data.ImageDecoder;
import io.sparksweep.data.InputShape;
import io.sparksweep.data.RawDataset;
import io.sparksweep.data.TestSplit;
import io.sparksweep.data.Values;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a sweep's own data (a folder tree of images, IDX files at any path, a table) with Spark, on the executors,
 * into the compact arrays training uses, checked: what does not hold up is bad input naming the path or key.
 */
public final class OwnData {
    /**
     * The data and what reading it found; {@code cacheKey} names the source listing (paths, sizes, times), and
     * {@code cached} says it came from the output's cache rather than the files.
     */
    public record Read(RawDataset raw, DataReport report, String cacheKey, boolean cached) {
        Read(RawDataset raw, DataReport report) {
            this(raw, report, null, false);
        }

        Read keyed(String key) {
            return new Read(raw, report, key, false);
        }
    }

    private OwnData() {
    }

    /**
     * Reads {@code source}: from the cache under {@code cacheRoot} (an output; null for none) when its files are
     * unchanged, else from the files.
     */
    public static Read read(SparkSession spark, DataSource source, String cacheRoot) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        if (source instanceof DataSource.Images images) {
            ImageFolders.Listing train = ImageFolders.list(conf, images.train(), "dataset.images.train");
            ImageFolders.Listing test = images.test() == null ? null
                    : ImageFolders.list(conf, images.test(), "dataset.images.test");
            DataCache.Fingerprint fingerprint = new DataCache.Fingerprint().add(images.toString());
            train.addTo(fingerprint);
            if (test != null) {
                test.addTo(fingerprint);
            }
            String key = fingerprint.key();
            return cached(conf, cacheRoot, key).orElseGet(() -> images(
                    JavaSparkContext.fromSparkContext(spark.sparkContext()), images, train, test).keyed(key));
        }
        DataCache.Fingerprint fingerprint = new DataCache.Fingerprint().add(source.toString());
        fingerprintPaths(source).forEach(path -> fingerprint.files(conf, path));
        String key = fingerprint.key();
        return cached(conf, cacheRoot, key).orElseGet(() -> (source instanceof DataSource.Idx idx
                ? IdxSource.read(conf, idx) : TableSource.read(spark, (DataSource.Table) source)).keyed(key));
    }

    /**
     * Another test set for a kept model of {@code source}'s kind, read as its sweep read test sets, into the
     * model's shape and classes ({@code schema}): a folder tree, a table, or IDX images with {@code labels}. The
     * training split is left empty.
     */
    public static RawDataset readTest(SparkSession spark, DataSource source, DataSchema schema, String path,
            String labels) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        RawDataset.Split test;
        if (source instanceof DataSource.Images images) {
            ImageFolders.Listing listing = ImageFolders.list(conf, path, "--test");
            List<Integer> found = new ArrayList<>();
            byte[] pixels = decode(JavaSparkContext.fromSparkContext(spark.sparkContext()), images, listing,
                    schema.shape(), found, new ArrayList<>());
            test = new RawDataset.Split(new Values.Pixels(pixels), relabel(toArray(found), listing.classNames(),
                    schema.classNames(), "--test"));
        } else if (source instanceof DataSource.Table table) {
            test = TableSource.testSet(spark, table, path, schema);
        } else {
            if (labels == null) {
                throw new BadInputException("--test of an IDX model names its images; give their labels with "
                        + "--test-labels");
            }
            test = IdxSource.testSet(conf, (DataSource.Idx) source, path, labels, schema);
        }
        RawDataset.Split none = new RawDataset.Split(test.values() instanceof Values.Pixels ? new Values.Pixels(
                new byte[0]) : new Values.Floats(new float[0]), new int[0]);
        return new RawDataset(schema, none, test);
    }

    /** Writes what was read into the cache under {@code output}; a problem is returned for a warning. */
    public static Optional<String> cache(SparkSession spark, String output, Read read) {
        return read.cached() || read.cacheKey() == null ? Optional.empty()
                : DataCache.save(spark.sparkContext().hadoopConfiguration(), output, read.cacheKey(), read.raw(),
                        read.report());
    }

    private static Optional<Read> cached(Configuration conf, String cacheRoot, String key) {
        return cacheRoot == null ? Optional.empty() : DataCache.load(conf, cacheRoot, key)
                .map(file -> new Read(file.raw(), file.report(), key, true));
    }

    private static List<String> fingerprintPaths(DataSource source) {
        if (source instanceof DataSource.Idx idx) {
            return List.of(idx.trainImages(), idx.trainLabels(), idx.testImages(), idx.testLabels());
        }
        DataSource.Table table = (DataSource.Table) source;
        return table.test() == null ? List.of(table.train()) : List.of(table.train(), table.test());
    }

    private static Read images(JavaSparkContext jsc, DataSource.Images source, ImageFolders.Listing train,
            ImageFolders.Listing test) {
        List<String> unreadable = new ArrayList<>();
        InputShape shape = imageShape(jsc, source, train);
        long count = train.images().size() + (test == null ? 0 : test.images().size());
        checkSize(source, count, shape.size(), 1, count + " images of " + shape.describe() + " bytes");
        List<Integer> trainLabels = new ArrayList<>();
        byte[] trainPixels = decode(jsc, source, train, shape, trainLabels, unreadable);
        DataSchema schema = new DataSchema(shape, train.classNames());
        RawDataset.Split trainSplit = new RawDataset.Split(new Values.Pixels(trainPixels), toArray(trainLabels));
        long skipped = train.skipped();
        if (test == null) {
            return splitOff(source, schema, trainSplit, skipped, unreadable);
        }
        List<Integer> testLabels = new ArrayList<>();
        byte[] testPixels = decode(jsc, source, test, shape, testLabels, unreadable);
        int[] labels = relabel(toArray(testLabels), test.classNames(), train.classNames(), "dataset.images.test");
        RawDataset raw = new RawDataset(schema, trainSplit, new RawDataset.Split(new Values.Pixels(testPixels),
                labels));
        return new Read(raw, DataReport.of(source, source.location(), raw, skipped + test.skipped(), unreadable,
                null));
    }

    /** The size and channels the sweep gives, or those of the training images (read from their headers). */
    private static InputShape imageShape(JavaSparkContext jsc, DataSource.Images source,
            ImageFolders.Listing train) {
        if (source.size() != null && source.channels() != null) {
            return InputShape.image(source.channels(), source.size().height(), source.size().width());
        }
        ImageDecoding.Decoded[] headers = ImageDecoding.headers(jsc, train.images());
        Map<Long, Integer> sizes = new HashMap<>();
        boolean colour = false;
        for (int i = 0; i < headers.length; i++) {
            ImageDecoder.Header h = headers[i].header();
            if (h == null) {
                continue; // reported by the decoding pass, which reads every file again
            }
            colour |= h.colour();
            sizes.merge(((long) h.height() << 32) | h.width(), 1, Integer::sum);
        }
        if (sizes.isEmpty()) {
            throw new BadInputException("dataset.images.train: no image under " + source.train()
                    + " could be read");
        }
        long common = Collections.max(sizes.entrySet(), Map.Entry.<Long, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey())).getKey();
        int height = source.size() != null ? source.size().height() : (int) (common >>> 32);
        int width = source.size() != null ? source.size().width() : (int) common;
        if (height > DataSource.MAX_SIDE || width > DataSource.MAX_SIDE) {
            throw new BadInputException("dataset.images.train: the most common image size is " + height + "x"
                    + width + ", over " + DataSource.MAX_SIDE + ": give dataset.images.size: [H, W] to scale the "
                    + "images down");
        }
        int channels = source.channels() != null ? source.channels() : colour ? 3 : 1;
        return InputShape.image(channels, height, width);
    }

    /** Every image of the listing as pixels, in listing order; unreadable ones skipped (and listed) or refused. */
    private static byte[] decode(JavaSparkContext jsc, DataSource.Images source, ImageFolders.Listing listing,
            InputShape shape, List<Integer> labels, List<String> unreadable) {
        ImageDecoding.Decoded[] decoded = ImageDecoding.pixels(jsc, listing.images(), shape.channels(),
                shape.height(), shape.width());
        int size = shape.size();
        int good = 0;
        for (int i = 0; i < decoded.length; i++) {
            if (decoded[i].problem() != null) {
                String path = listing.images().get(i).path();
                if (!source.skipUnreadable()) {
                    throw new BadInputException("image " + path + " " + decoded[i].problem()
                            + " (dataset.images.skip_unreadable: true skips such files)");
                }
                unreadable.add(path);
            } else {
                good++;
            }
        }
        byte[] pixels = new byte[Math.multiplyExact(good, size)];
        int at = 0;
        for (int i = 0; i < decoded.length; i++) {
            if (decoded[i].problem() == null) {
                System.arraycopy(decoded[i].pixels(), 0, pixels, at * size, size);
                labels.add(listing.images().get(i).label());
                at++;
            }
        }
        return pixels;
    }

    /**
     * Refuses data whose prepared arrays would pass {@code dataset.max_data_bytes}, before they are read: {@code how}
     * says how the size was worked out.
     */
    static void checkSize(DataSource source, long examples, long valuesPerExample, int bytesPerValue, String how) {
        long bytes;
        try {
            bytes = Math.multiplyExact(Math.multiplyExact(examples, valuesPerExample), bytesPerValue);
        } catch (ArithmeticException e) {
            bytes = Long.MAX_VALUE;
        }
        if (bytes > source.maxDataBytes()) {
            throw new BadInputException(source.location() + ": the prepared data would take " + bytes + " bytes ("
                    + how + "), over dataset.max_data_bytes (" + source.maxDataBytes() + "): raise it, or give a "
                    + "smaller size, fewer classes or fewer examples");
        }
    }

    /** Labels of a test set whose classes are its own, as indices among the training set's classes. */
    static int[] relabel(int[] labels, List<String> names, List<String> trainNames, String key) {
        List<String> unseen = names.stream().filter(n -> !trainNames.contains(n)).toList();
        if (!unseen.isEmpty()) {
            throw new BadInputException(key + ": class(es) " + String.join(", ", unseen) + " never seen in "
                    + "training (its classes: " + String.join(", ", trainNames) + ")");
        }
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = trainNames.indexOf(names.get(labels[i]));
        }
        return out;
    }

    /** The data with its test set split off the training examples (stratified, seeded), and its report. */
    static Read splitOff(DataSource source, DataSchema schema, RawDataset.Split all, long skipped,
            List<String> unreadable) {
        int[] test = TestSplit.testIndices(all.labels(), schema.numClasses(), source.testSplit());
        int[] train = TestSplit.rest(all.count(), test);
        int size = schema.shape().size();
        RawDataset raw = new RawDataset(schema, TestSplit.take(all, train, size), TestSplit.take(all, test, size));
        return new Read(raw, DataReport.of(source, source.location(), raw, skipped, unreadable,
                DataPreparer.validationDigest(new int[][] {test})));
    }

    static int[] toArray(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }
}
