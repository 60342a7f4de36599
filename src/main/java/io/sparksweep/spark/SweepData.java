package io.sparksweep.spark;

import io.sparksweep.BadInputException;
import io.sparksweep.data.DataPreparer;
import io.sparksweep.data.DataReport;
import io.sparksweep.data.DataShipment;
import io.sparksweep.data.DataSource;
import io.sparksweep.data.DatasetBundle;
import io.sparksweep.data.DatasetLocator;
import io.sparksweep.data.DatasetSpec;
import io.sparksweep.data.RawDataset;

import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A sweep's data, read and checked before anything is written: what the executors are sent, the decoded examples,
 * what reading found, and the sweep's dataset spec bound to the data's shape and classes.
 */
public record SweepData(DataShipment shipment, RawDataset raw, String checksum, DataReport report,
        DatasetSpec spec, OwnData.Read own, double seconds) {

    /**
     * Reads {@code spec}'s data: a built-in through {@link DatasetLocator} ({@code dataDir}, downloads), the user's
     * through Spark ({@code spark} is asked for only then), from the cache under {@code cacheRoot} (an output, or
     * null) when its files are unchanged. {@code where} names the sweep file in messages.
     */
    public static SweepData load(DatasetSpec spec, Supplier<SparkSession> spark, Path dataDir, boolean download,
            String cacheRoot, String where) {
        long start = System.nanoTime();
        if (spec.source() instanceof DataSource.BuiltIn builtIn) {
            DatasetBundle bundle = DatasetLocator.standard(dataDir, download).load(builtIn.dataset());
            RawDataset raw = bundle.decode(); // a corrupt file is bad input, found before anything is written
            return checked(spec, where, start, bundle, raw, raw.checksum(),
                    DataReport.of(spec.source(), bundle.source(), raw, 0, List.of(), null), null);
        }
        OwnData.Read read = OwnData.read(spark.get(), spec.source(), cacheRoot);
        String checksum = read.raw().checksum();
        return checked(spec, where, start, DataShipment.decoded(read.raw(), read.report().location(), checksum),
                read.raw(), checksum, read.report(), read);
    }

    /** The data read, once it holds up: two classes or more, every class the sweep names, a possible split. */
    private static SweepData checked(DatasetSpec spec, String where, long start, DataShipment shipment,
            RawDataset raw, String checksum, DataReport report, OwnData.Read read) {
        if (raw.numClasses() < 2) {
            throw new BadInputException(report.location() + ": one class (" + raw.schema().classNames().get(0)
                    + "): a classifier needs two or more");
        }
        DatasetSpec bound = spec.bind(raw.schema());
        DataPreparer.checkCoverage(raw, bound, shipment.source());
        DataPreparer.checkValidation(raw, bound, where);
        ExecutorState.putDecoded(shipment, raw); // local mode: executors reuse this decoded copy
        return new SweepData(shipment, raw, checksum, report, bound, read, (System.nanoTime() - start) / 1e9);
    }

    /** The data's first line for people: source, shape, classes with their train/test counts, files passed over. */
    public String describe() {
        String skipped = report.skipped() == 0 ? "" : ", " + report.skipped() + " non-image or hidden file(s) skipped";
        String unreadable = report.unreadable().isEmpty() ? "" : ", " + report.unreadable().size()
                + " unreadable image(s) skipped (first: " + report.unreadable().get(0) + ")";
        String cached = own != null && own.cached() ? " (from the output's cache, " + DataCache.FOLDER + "/: no file "
                + "read again)" : "";
        String test = report.testSplitSha256() == null ? "" : "; test set: " + report.testTotal() + " examples split "
                + "off the training data (" + spec.source().testSplit() + ", stratified, the same every run)";
        return String.format(Locale.ROOT, "data: %s from %s%s: %s, %d classes (examples per class, training/test: "
                + "%s)%s%s%s; read in %.1f s", report.kind(), report.location(), cached, report.shape().describe(),
                report.classNames().size(), abbreviated(), skipped, unreadable, test, seconds);
    }

    private String abbreviated() {
        String all = report.perClass();
        return all.length() <= 300 ? all : all.substring(0, 300) + "...";
    }
}
