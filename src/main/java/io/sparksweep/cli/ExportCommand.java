package io.sparksweep.cli;

import io.sparksweep.BadInputException;
import io.sparksweep.results.KeptModels;
import io.sparksweep.results.ModelStore;
import io.sparksweep.results.ResultTables;
import io.sparksweep.spark.SparkSessions;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code export}: copies one kept model out of the output (any Hadoop file system) to a local file, after checking
 * its bytes against the SHA-256 its {@code models} row recorded. The copy is written beside the target and renamed
 * onto it, so a failed export leaves nothing.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Copy a kept model to a local file, checking its SHA-256 against the models table.")
final class ExportCommand implements Callable<Integer> {
    static final class Which {
        @Option(names = "--best", required = true, description = "the sweep's best model (rank 1 in 'models')")
        boolean best;

        @Option(names = "--trial", required = true, paramLabel = "ID", description = "the model of this trial")
        String trial;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Option(names = "--sweep", paramLabel = "NAME", description = "the sweep (needed when several kept models)")
    String sweep;

    @Option(names = "--to", required = true, paramLabel = "FILE", description = "where to write the model zip")
    Path to;

    @Mixin
    ResultsOptions results;

    @Override
    public Integer call() {
        OutputDirectory.requireResults(results.output);
        Path target = to.toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw new BadInputException("--to " + to + ": is a directory; give the file to write, e.g. "
                    + to.resolve("model.zip"));
        }
        if (!Files.isDirectory(target.getParent())) {
            throw new BadInputException("--to " + to + ": no directory " + target.getParent());
        }
        try (SparkSessions.Handle handle = SparkSessions.open("sparksweep export", "local[*]", false)) {
            SparkSession spark = handle.session();
            if (sweep != null) {
                ResultTables.requireSweep(spark, results.output, sweep);
            }
            Row model = which.best ? KeptModels.best(spark, results.output, sweep)
                    : KeptModels.ofTrial(spark, results.output, sweep, which.trial);
            byte[] bytes = read(new ModelStore(spark.sparkContext().hadoopConfiguration(), results.output), model);
            write(target, bytes);
            System.out.printf("exported the model of trial %s (sweep %s, %s) to %s: %,d bytes, sha256 %s verified%n",
                    model.<String>getAs("trial_id"), model.<String>getAs("sweep_name"), describe(model), to,
                    bytes.length, model.<String>getAs("sha256"));
            return Main.OK;
        }
    }

    /** The model file's bytes, which must be those its row recorded. */
    private static byte[] read(ModelStore store, Row model) {
        String path = store.path(model.getAs("sweep_id"), model.getAs("trial_id")).toString();
        byte[] bytes;
        try {
            bytes = store.read(model.getAs("sweep_id"), model.getAs("trial_id"));
        } catch (FileNotFoundException e) {
            throw new BadInputException("model file " + path + " is missing (its models row names it); running the "
                    + "sweep again puts its models right", e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path + ": " + e.getMessage(), e);
        }
        String sha256 = ModelStore.sha256(bytes);
        if (!sha256.equals(model.getAs("sha256"))) {
            throw new BadInputException("model file " + path + " has sha256 " + sha256 + ", its models row recorded "
                    + model.getAs("sha256") + ": the file changed after it was kept; nothing exported");
        }
        return bytes;
    }

    private static void write(Path target, byte[] bytes) {
        Path partial = target.resolveSibling("." + target.getFileName() + ".part");
        try {
            Files.write(partial, bytes);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // the error below is the one to report
            }
            throw new BadInputException("--to " + target + ": cannot write: " + e.getMessage(), e);
        }
    }

    private static String describe(Row model) {
        String refitOf = model.getAs("refit_of");
        Double value = model.getAs("metric_value");
        Double test = model.getAs("test_accuracy");
        String metric = refitOf != null ? "the refit of " + refitOf
                : value == null ? "no " + model.getAs("metric") : model.getAs("metric") + " "
                + String.format(Locale.ROOT, "%.4f", value);
        return metric + (test == null ? "" : String.format(Locale.ROOT, ", test_accuracy %.4f", test));
    }
}
