package io.sparksweep.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparksweep.BadInputException;
import io.sparksweep.data.DataPreparer;
import io.sparksweep.data.DataSource;
import io.sparksweep.data.DatasetKind;
import io.sparksweep.data.DatasetSpec;
import io.sparksweep.data.PreparedData;
import io.sparksweep.data.RawDataset;
import io.sparksweep.data.Validation;
import io.sparksweep.spark.OwnData;
import io.sparksweep.spark.SparkSessions;
import io.sparksweep.spark.SweepData;
import io.sparksweep.train.ClassMetrics;
import io.sparksweep.train.ConfusionMatrix;
import io.sparksweep.train.Evaluator;
import io.sparksweep.train.ModelCard;
import io.sparksweep.train.ModelFile;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code evaluate}: a kept model on a test set, by default its sweep's own (the same classes, limit and
 * normalisation), through the forward pass its trial was evaluated with: on the sweep's data the accuracy, loss,
 * per-class metrics and confusion matrix are those its trial's rows hold, to the last digit.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Recompute a model's test accuracy, loss, per-class metrics and confusion matrix.")
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    ModelOptions options;

    @Option(names = "--dataset", paramLabel = "NAME", description = "another dataset's test set (default: the "
            + "model's): fashion-mnist or mnist")
    String dataset;

    @Option(names = "--data-dir", description = "directory with the dataset's IDX files (default: as for run)")
    Path dataDir;

    @Option(names = "--no-download", description = "never download datasets")
    boolean noDownload;

    @Option(names = "--test", paramLabel = "PATH", description = "another test set of the model's own kind (a model "
            + "of your own data): a class-per-folder tree, a table, or IDX images with --test-labels")
    String test;

    @Option(names = "--test-labels", paramLabel = "PATH", description = "the IDX labels of --test's images")
    String testLabels;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "text (default) or json (one object)")
    String format;

    @Override
    public Integer call() throws JsonProcessingException {
        if (!format.equals("text") && !format.equals("json")) {
            throw new BadInputException("--format must be text or json, got " + format);
        }
        ModelFile.Loaded model = options.load();
        ModelCard card = model.card();
        TestSet set = test != null ? otherTestSet(card) : ownTestSet(card);
        PreparedData data = DataPreparer.testSet(set.raw(), set.spec(), card.scaling());
        Evaluator.Evaluation result = model.evaluate(Nd4j.create(data.testFeatures(),
                new long[] {data.testCount(), data.inputs()}, 'c'), data.testLabels());
        boolean sameData = set.raw().checksum().equals(card.dataSha256());
        System.out.print(format.equals("json") ? json(card, result, sameData, set.where())
                : text(card, result, sameData, set.where()));
        return Main.OK;
    }

    /** The examples evaluated, the spec that selects them, and where they came from (for people). */
    private record TestSet(RawDataset raw, DatasetSpec spec, String where) {
    }

    /** The model's own test set (or, with --dataset, another built-in's), read as its sweep read it. */
    private TestSet ownTestSet(ModelCard card) {
        DatasetSpec spec = card.dataset();
        if (dataset != null) {
            DatasetKind kind = DatasetKind.fromKey(dataset).orElseThrow(() -> new BadInputException("--dataset "
                    + dataset + ": unknown; known: " + DatasetKind.knownKeys()));
            spec = new DatasetSpec(kind, spec.normalize(), spec.classIndices(), spec.trainLimit(), spec.testLimit());
        }
        SweepData read;
        if (spec.source() instanceof DataSource.BuiltIn) {
            read = SweepData.load(spec, null, dataDir, !noDownload, null, options.model.toString());
        } else {
            DatasetSpec own = spec;
            read = withSpark(spark -> SweepData.load(own, () -> spark, null, false, null, options.model.toString()));
        }
        if (!read.raw().shape().equals(card.shape())) {
            throw new BadInputException("model " + options.model + " takes " + card.shape().describe() + " inputs; "
                    + read.report().location() + " has " + read.raw().shape().describe());
        }
        return new TestSet(read.raw(), read.spec(), spec.source().kind() + " test set from "
                + read.report().location());
    }

    /** Another test set of the model's own kind (--test), in its shape and classes. */
    private TestSet otherTestSet(ModelCard card) {
        DatasetSpec spec = card.dataset();
        if (spec.source() instanceof DataSource.BuiltIn || dataset != null) {
            throw new BadInputException("--test reads another test set for a model of your own data; a built-in "
                    + "dataset's model takes --dataset");
        }
        RawDataset raw = withSpark(spark -> OwnData.readTest(spark, spec.source(), spec.schema(), test, testLabels));
        return new TestSet(raw, new DatasetSpec(spec.source(), spec.normalize(), spec.classes(), 0, 0,
                Validation.NONE, spec.schema()), spec.source().kind() + " test set from " + test);
    }

    private static <T> T withSpark(Function<SparkSession, T> work) {
        try (SparkSessions.Handle handle = SparkSessions.open("sparksweep evaluate", null, false)) {
            return work.apply(handle.session());
        }
    }

    private String text(ModelCard card, Evaluator.Evaluation result, boolean sameData, String where) {
        ConfusionMatrix confusion = result.confusion();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "model %s: trial %s of sweep %s%s%n", options.model, card.trialId(),
                card.sweepName(), card.refitOf() == null ? "" : " (the refit of " + card.refitOf() + ")"));
        out.append(String.format(Locale.ROOT, "%s, %,d images (%s)%n", where, confusion.total(), sameData
                ? "the data the model trained on" : "not the data the model trained on: data_sha256 differs"));
        long right = Math.round(result.accuracy() * confusion.total());
        out.append(String.format(Locale.ROOT, "test_accuracy %s (%,d of %,d right)%s%n", result.accuracy(), right,
                confusion.total(), stored(sameData, card.testAccuracy(), result.accuracy())));
        out.append(String.format(Locale.ROOT, "test_loss %s%s%n", result.loss(),
                stored(sameData, card.testLoss(), result.loss())));
        out.append(String.format(Locale.ROOT, "macro_f1 %.4f%n%n", confusion.macroF1()));
        out.append(String.format(Locale.ROOT, "%-14s %9s %7s %7s %8s%n", "class", "precision", "recall", "f1",
                "support"));
        for (ClassMetrics c : confusion.classMetrics(card.classNames())) {
            out.append(String.format(Locale.ROOT, "%-14s %9.4f %7.4f %7.4f %8d%n", c.className(), c.precision(),
                    c.recall(), c.f1(), c.support()));
        }
        out.append("\nconfusion matrix (rows: actual class, columns: predicted, in the order above)\n");
        for (long[] row : confusion.counts()) {
            StringBuilder line = new StringBuilder();
            for (long count : row) {
                line.append(String.format(Locale.ROOT, "%6d", count));
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    /** The value the model's trial stored beside it, and whether this evaluation gives it again. */
    private static String stored(boolean sameData, Double stored, double now) {
        if (stored == null || !sameData) {
            return "";
        }
        return "; stored with the model: " + stored + (stored == now ? " (the same)" : " (differs)");
    }

    private static String json(ModelCard card, Evaluator.Evaluation result, boolean sameData, String where)
            throws JsonProcessingException {
        ConfusionMatrix confusion = result.confusion();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("trial_id", card.trialId());
        out.put("sweep_name", card.sweepName());
        out.put("data", where);
        out.put("same_data", sameData);
        out.put("images", confusion.total());
        out.put("test_accuracy", result.accuracy());
        out.put("test_loss", result.loss());
        out.put("macro_f1", confusion.macroF1());
        out.put("stored_test_accuracy", card.testAccuracy());
        out.put("stored_test_loss", card.testLoss());
        List<Map<String, Object>> classes = new ArrayList<>();
        for (ClassMetrics c : confusion.classMetrics(card.classNames())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("class_index", c.classIndex());
            m.put("class_name", c.className());
            m.put("precision", c.precision());
            m.put("recall", c.recall());
            m.put("f1", c.f1());
            m.put("support", c.support());
            classes.add(m);
        }
        out.put("classes", classes);
        out.put("confusion", confusion.counts());
        return new ObjectMapper().writeValueAsString(out) + "\n";
    }
}
