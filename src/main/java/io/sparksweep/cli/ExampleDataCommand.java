package io.sparksweep.cli;

import io.sparksweep.BadInputException;
import io.sparksweep.data.DataPreparer;
import io.sparksweep.data.DatasetKind;
import io.sparksweep.data.DatasetLocator;
import io.sparksweep.data.ImageTreeWriter;
import io.sparksweep.data.InputShape;
import io.sparksweep.data.RawDataset;
import io.sparksweep.data.TestSplit;
import io.sparksweep.data.Tinted;
import io.sparksweep.spark.SparkSessions;
import io.sparksweep.spark.TableWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code example-data}: a small dataset of the user's kind from the installed Fashion-MNIST, for the shipped
 * {@code own-images} and {@code own-table} sweeps: a class-per-folder PNG tree in colour (each class tinted its
 * own colour) and Parquet tables with one column per pixel.
 */
@Command(name = "example-data", mixinStandardHelpOptions = true,
        description = "Write example data of your own kind from Fashion-MNIST: DIR/images/{train,test}/<class>/*.png "
                + "(colour) and DIR/table/{train,test}.parquet (784 pixel columns and a label column).")
final class ExampleDataCommand implements Callable<Integer> {
    @Option(names = "--to", required = true, paramLabel = "DIR", description = "where to write (must not exist)")
    Path to;

    @Option(names = "--train", defaultValue = "3000", description = "training images (default 3000)")
    int train;

    @Option(names = "--test", defaultValue = "1000", description = "test images (default 1000)")
    int test;

    @Option(names = "--grey", description = "grey images as Fashion-MNIST's, not tinted by class")
    boolean grey;

    @Option(names = "--data-dir", description = "directory with Fashion-MNIST's IDX files (default: as for run)")
    Path dataDir;

    @Override
    public Integer call() {
        if (Files.exists(to)) {
            throw new BadInputException("--to " + to + " exists already: give a new folder");
        }
        if (train < 10 || test < 10 || train > 60_000 || test > 10_000) {
            throw new BadInputException("--train must be 10 to 60000 and --test 10 to 10000");
        }
        RawDataset fashion = DatasetLocator.standard(dataDir, false).load(DatasetKind.FASHION_MNIST).decode();
        RawDataset subset = subset(fashion, train, test);
        List<String> folders = fashion.schema().classNames().stream().map(n -> n.replace('/', '-')).toList();
        InputShape shape = InputShape.image(grey ? 1 : 3, 28, 28);
        ImageTreeWriter.write(to.resolve("images/train"), grey ? subset.train() : Tinted.of(subset.train(), 784), shape,
                folders);
        ImageTreeWriter.write(to.resolve("images/test"), grey ? subset.test() : Tinted.of(subset.test(), 784), shape,
                folders);
        try (SparkSessions.Handle spark = SparkSessions.open("sparksweep example-data", "local[*]", false)) {
            TableWriter.write(spark.session(), to.resolve("table/train.parquet").toString(), subset.train(), 784,
                    folders, TableWriter.Layout.COLUMNS);
            TableWriter.write(spark.session(), to.resolve("table/test.parquet").toString(), subset.test(), 784,
                    folders, TableWriter.Layout.COLUMNS);
        }
        System.out.printf("wrote %d training and %d test images of 10 classes: %s (%s PNGs, a folder per class) "
                + "and %s (Parquet, 784 pixel columns and a label)%n", train, test, to.resolve("images"),
                grey ? "grey" : "colour", to.resolve("table"));
        return Main.OK;
    }

    /** A stratified subset of Fashion-MNIST, as a sweep's train_limit and test_limit choose it. */
    static RawDataset subset(RawDataset fashion, int train, int test) {
        int[] trainIndices = DataPreparer.selected(fashion.train(), fashion.numClasses(), train);
        int[] testIndices = DataPreparer.selected(fashion.test(), fashion.numClasses(), test);
        return new RawDataset(fashion.schema(), TestSplit.take(fashion.train(), trainIndices, 784),
                TestSplit.take(fashion.test(), testIndices, 784));
    }
}
