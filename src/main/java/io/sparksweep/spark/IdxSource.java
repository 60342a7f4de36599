package io.sparksweep.spark;

import io.sparksweep.BadInputException;
import io.sparksweep.data.DataReport;
import io.sparksweep.data.DataSchema;
import io.sparksweep.data.DataSource;
import io.sparksweep.data.IdxArray;
import io.sparksweep.data.IdxReader;
import io.sparksweep.data.InputShape;
import io.sparksweep.data.RawDataset;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Four IDX files of unsigned bytes (MNIST's format, gzipped or raw, images of any HxW) at any Hadoop path. Each
 * file's header is checked against its length before anything the header promises is allocated.
 */
final class IdxSource {
    private IdxSource() {
    }

    static OwnData.Read read(Configuration conf, DataSource.Idx source) {
        byte[] trainImages = file(conf, source, "train_images", source.trainImages());
        byte[] testImages = file(conf, source, "test_images", source.testImages());
        IdxArray trainHead = IdxReader.header(source.trainImages(), trainImages, 3);
        IdxArray testHead = IdxReader.header(source.testImages(), testImages, 3);
        int[] dims = trainHead.dims();
        if (testHead.dims()[1] != dims[1] || testHead.dims()[2] != dims[2]) {
            throw new BadInputException("dataset.idx.test_images: " + source.testImages() + " holds "
                    + testHead.dims()[1] + "x" + testHead.dims()[2] + " images, the training images are " + dims[1]
                    + "x" + dims[2]);
        }
        long count = (long) dims[0] + testHead.dims()[0];
        OwnData.checkSize(source, count, (long) dims[1] * dims[2], 1, count + " images of " + dims[1] + "x"
                + dims[2] + " bytes");
        IdxArray trainLabels = IdxReader.read(source.trainLabels(),
                file(conf, source, "train_labels", source.trainLabels()), 1);
        IdxArray testLabels = IdxReader.read(source.testLabels(),
                file(conf, source, "test_labels", source.testLabels()), 1);
        DataSchema schema = new DataSchema(InputShape.image(1, dims[1], dims[2]),
                classNames(source, trainLabels, testLabels));
        RawDataset raw = new RawDataset(schema,
                RawDataset.split(schema, source.trainImages(), "train", IdxReader.read(source.trainImages(),
                        trainImages, 3), trainLabels),
                RawDataset.split(schema, source.testImages(), "test", IdxReader.read(source.testImages(),
                        testImages, 3), testLabels));
        return new OwnData.Read(raw, DataReport.of(source, source.location(), raw, 0, List.of(), null));
    }

    /** IDX images and labels as a model's test set: the model's image size, labels among its classes. */
    static RawDataset.Split testSet(Configuration conf, DataSource.Idx source, String images, String labels,
            DataSchema schema) {
        byte[] bytes = file(conf, source, "--test", images);
        IdxArray head = IdxReader.header(images, bytes, 3);
        InputShape shape = schema.shape();
        if (shape.channels() != 1 || head.dims()[1] != shape.height() || head.dims()[2] != shape.width()) {
            throw new BadInputException("--test: " + images + " holds 1x" + head.dims()[1] + "x" + head.dims()[2]
                    + " images, the model reads " + shape.describe());
        }
        return RawDataset.split(schema, images, "test", IdxReader.read(images, bytes, 3),
                IdxReader.read(labels, file(conf, source, "--test-labels", labels), 1));
    }

    /** The names given, or the labels' numbers 0 to the largest label (which the names must cover). */
    private static List<String> classNames(DataSource.Idx source, IdxArray trainLabels, IdxArray testLabels) {
        int largest = 0;
        for (IdxArray labels : List.of(trainLabels, testLabels)) {
            for (byte b : labels.data()) {
                largest = Math.max(largest, b & 0xff);
            }
        }
        if (source.classNames() != null) {
            if (source.classNames().size() <= largest) {
                throw new BadInputException("dataset.idx.class_names: names " + source.classNames().size()
                        + " classes, but the labels go up to " + largest);
            }
            return source.classNames();
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c <= largest; c++) {
            names.add(String.valueOf(c));
        }
        return names;
    }

    /** A whole file's bytes; one that is missing, a folder or larger than the data may be is refused first. */
    private static byte[] file(Configuration conf, DataSource.Idx source, String key, String uri) {
        Path path = new Path(uri);
        try {
            FileSystem fs = path.getFileSystem(conf);
            FileStatus status = fs.getFileStatus(path);
            if (status.isDirectory()) {
                throw new BadInputException(where(key) + ": " + uri + " is a folder, not an IDX file");
            }
            if (status.getLen() > source.maxDataBytes()) {
                throw new BadInputException(where(key) + ": " + uri + " holds " + status.getLen()
                        + " bytes, over dataset.max_data_bytes (" + source.maxDataBytes() + ")");
            }
            try (FSDataInputStream in = fs.open(path)) {
                return in.readAllBytes();
            }
        } catch (FileNotFoundException e) {
            throw new BadInputException(where(key) + ": " + uri + " does not exist");
        } catch (IOException e) {
            throw new BadInputException(where(key) + ": cannot read " + uri + ": " + e.getMessage(), e);
        }
    }

    /** A sweep-file key ({@code train_images}: dataset.idx.train_images) or an option ({@code --test}) as given. */
    private static String where(String key) {
        return key.startsWith("--") ? key : "dataset.idx." + key;
    }
}
