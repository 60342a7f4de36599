package io.sparksweep.results;

import io.sparksweep.data.DataReport;
import io.sparksweep.data.DatasetSpec;
import io.sparksweep.grid.TrialConfig;
import io.sparksweep.spec.MetricSpec;
import io.sparksweep.train.ClassMetrics;
import io.sparksweep.train.ConfusionMatrix;
import io.sparksweep.train.EpochMetrics;
import io.sparksweep.train.TrialResult;
import io.sparksweep.train.ValidationMetrics;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every column of every result table, each declared once with the value it holds; {@link ResultTable} takes its
 * schemas from here and {@link ResultRows} its rows. A new column is one line in one list.
 */
final class ResultColumns {
    /** What a {@code trials} row is made of. */
    record TrialSource(SweepRun run, TrialResult result) {
        TrialConfig config() {
            return result.config();
        }
    }

    /** @param trialId the trial's id, worked out once for all of its rows (it is a hash of its configuration) */
    record EpochSource(SweepRun run, String trialId, EpochMetrics epoch) {
    }

    /** @param validation the same class's metrics on the validation images, or null without them */
    record ClassSource(SweepRun run, String trialId, ClassMetrics metrics, ClassMetrics validation) {
    }

    record ConfusionSource(SweepRun run, String trialId, int actual, int predicted, long count) {
    }

    /** One fold of a cross-validated trial: the network trained without fold {@code fold} and validated on it. */
    record FoldSource(SweepRun run, int fold, TrialResult result) {
    }

    /** One swept parameter's importance for a sweep's metric; {@code rank} 1 is the most important. */
    record ImportanceSource(SweepRun run, ParameterImportance.Importance importance, int rank, Instant computedAt) {
    }

    record ModelSource(SweepRun run, KeptModel model) {
    }

    record SweepSource(SweepRun run, int trialsPlanned, Instant finishedAt, String versions, String stoppedBy) {
    }

    private static final DataType STRING = DataTypes.StringType;
    private static final DataType DOUBLE = DataTypes.DoubleType;
    private static final DataType INT = DataTypes.IntegerType;
    private static final DataType LONG = DataTypes.LongType;
    private static final DataType TIME = DataTypes.TimestampType;
    private static final DataType BOOLEAN = DataTypes.BooleanType;
    private static final DataType INTS = DataTypes.createArrayType(DataTypes.IntegerType, false);
    private static final DataType STRINGS = DataTypes.createArrayType(DataTypes.StringType, false);
    private static final DataType DOUBLES = DataTypes.createArrayType(DataTypes.DoubleType, true);
    private static final DataType LONGS = DataTypes.createArrayType(DataTypes.LongType, false);

    static final List<Column<TrialSource>> TRIALS = List.of(
            required("sweep_id", STRING, s -> s.run().sweepId()),
            required("sweep_name", STRING, s -> s.run().spec().name()),
            required("run_id", STRING, s -> s.run().runId()),
            required("trial_id", STRING, s -> s.result().trialId()),
            required("status", STRING, s -> s.result().status().name()),
            optional("error", STRING, s -> s.result().error()),
            required("model", STRING, s -> s.config().model().key()),
            required("hidden_layers", INTS, s -> seq(s.config().hiddenLayers())),
            required("activation", STRING, s -> s.config().activation().key()),
            required("conv_channels", INTS, s -> seq(s.config().convChannels())),
            required("kernel_size", INTS, s -> seq(s.config().kernelSizes())),
            required("padding", INTS, s -> seq(s.config().padding())),
            required("optimizer", STRING, s -> s.config().optimizer().key()),
            required("momentum", DOUBLE, s -> s.config().momentum()),
            required("learning_rate", DOUBLE, s -> s.config().learningRate()),
            required("batch_size", INT, s -> s.result().batchSize()),
            required("epochs", INT, s -> s.config().epochs()),
            required("weight_init", STRING, s -> s.config().weightInit().key()),
            required("seed", LONG, s -> s.config().seed()),
            required("dataset", STRING, s -> s.config().dataset().canonical()),
            required("classes", STRINGS, s -> seq(s.config().dataset().classNames())),
            required("train_samples", INT, s -> s.result().trainSamples()),
            required("test_samples", INT, s -> s.result().testSamples()),
            required("config", STRING, s -> s.config().canonical()),
            optional("test_accuracy", DOUBLE, s -> s.result().testAccuracy()),
            optional("test_loss", DOUBLE, s -> s.result().testLoss()),
            optional("train_accuracy", DOUBLE, s -> s.result().trainAccuracy()),
            optional("train_loss", DOUBLE, s -> s.result().trainLoss()),
            optional("macro_f1", DOUBLE, s -> s.result().macroF1()),
            required("train_seconds", DOUBLE, s -> s.result().trainSeconds()),
            required("samples_per_second", DOUBLE, s -> s.result().samplesPerSecond()),
            required("parameter_count", LONG, s -> s.result().parameterCount()),
            required("backend", STRING, s -> s.result().placement().backend()),
            required("device", STRING, s -> s.result().placement().device()),
            optional("gpu_address", STRING, s -> s.result().placement().gpuAddress()),
            required("threads", INT, s -> s.result().placement().threads()),
            required("executor_id", STRING, s -> s.result().placement().executorId()),
            required("host", STRING, s -> s.result().placement().host()),
            required("dataset_decodes", INT, s -> s.result().placement().datasetDecodes()),
            required("started_at", TIME, s -> ts(s.result().startedAt())),
            required("finished_at", TIME, s -> ts(s.result().finishedAt())),
            optional("method", STRING, s -> s.run().spec().search().label()),
            optional("epochs_trained", INT, s -> s.result().epochs().size()),
            optional("best_epoch", INT, s -> EpochMetrics.best(s.result().epochs(), s.run().spec().metric())),
            optional("rung", INT, ResultColumns::rung),
            optional("train_loop", STRING, s -> s.result().trainLoop() == null ? null : s.result().trainLoop().key()),
            optional("data_sha256", STRING, s -> s.run().dataChecksum()),
            optional("val_accuracy", DOUBLE, s -> s.result().value(MetricSpec.Name.VAL_ACCURACY)),
            optional("val_loss", DOUBLE, s -> s.result().value(MetricSpec.Name.VAL_LOSS)),
            optional("val_accuracy_std", DOUBLE, s -> validation(s, ValidationMetrics::accuracyStd)),
            optional("val_loss_std", DOUBLE, s -> validation(s, ValidationMetrics::lossStd)),
            optional("metric", STRING, s -> s.run().spec().metric().name().key()),
            optional("metric_value", DOUBLE, s -> s.result().value(s.run().spec().metric().name())),
            optional("config_id", STRING, s -> s.config().configId()),
            optional("refit_of", STRING, ResultColumns::refitOf));

    static final List<Column<EpochSource>> EPOCHS = List.of(
            required("sweep_id", STRING, s -> s.run().sweepId()),
            required("trial_id", STRING, EpochSource::trialId),
            required("epoch", INT, s -> s.epoch().epoch()),
            required("train_loss", DOUBLE, s -> s.epoch().trainLoss()),
            optional("test_loss", DOUBLE, s -> s.epoch().testLoss()),
            optional("test_accuracy", DOUBLE, s -> s.epoch().testAccuracy()),
            required("seconds", DOUBLE, s -> s.epoch().seconds()),
            required("eval_seconds", DOUBLE, s -> s.epoch().evalSeconds()),
            optional("val_loss", DOUBLE, s -> s.epoch().validationLoss()),
            optional("val_accuracy", DOUBLE, s -> s.epoch().validationAccuracy()));

    static final List<Column<ClassSource>> CLASS_METRICS = List.of(
            required("sweep_id", STRING, s -> s.run().sweepId()),
            required("trial_id", STRING, ClassSource::trialId),
            required("class_index", INT, s -> s.metrics().classIndex()),
            required("class_name", STRING, s -> s.metrics().className()),
            required("precision", DOUBLE, s -> s.metrics().precision()),
            required("recall", DOUBLE, s -> s.metrics().recall()),
            required("f1", DOUBLE, s -> s.metrics().f1()),
            required("support", LONG, s -> s.metrics().support()),
            optional("val_precision", DOUBLE, s -> s.validation() == null ? null : s.validation().precision()),
            optional("val_recall", DOUBLE, s -> s.validation() == null ? null : s.validation().recall()),
            optional("val_f1", DOUBLE, s -> s.validation() == null ? null : s.validation().f1()),
            optional("val_support", LONG, s -> s.validation() == null ? null : s.validation().support()));

    static final List<Column<ConfusionSource>> CONFUSION = List.of(
            required("sweep_id", STRING, s -> s.run().sweepId()),
            required("trial_id", STRING, ConfusionSource::trialId),
            required("actual", INT, ConfusionSource::actual),
            required("predicted", INT, ConfusionSource::predicted),
            required("count", LONG, ConfusionSource::count));

    /**
     * Each fold's network, whole: its final metrics, its learning curve (the {@code epoch_*} arrays, epoch 1 first)
     * and its confusion matrices (row-major, actual x predicted), so a resumed sweep can take a finished fold as it
     * is. Written as soon as the fold finishes; readers see a trial's folds once its {@code trials} row is written.
     */
    static final List<Column<FoldSource>> FOLDS = List.of(
            required("sweep_id", STRING, s -> s.run().sweepId()),
            required("trial_id", STRING, s -> s.result().trialId()),
            required("fold", INT, FoldSource::fold),
            required("status", STRING, s -> s.result().status().name()),
            optional("error", STRING, s -> s.result().error()),
            required("config", STRING, s -> s.result().config().canonical()),
            required("epochs_trained", INT, s -> s.result().epochs().size()),
            optional("val_accuracy", DOUBLE, s -> s.result().value(MetricSpec.Name.VAL_ACCURACY)),
            optional("val_loss", DOUBLE, s -> s.result().value(MetricSpec.Name.VAL_LOSS)),
            optional("test_accuracy", DOUBLE, s -> s.result().testAccuracy()),
            optional("test_loss", DOUBLE, s -> s.result().testLoss()),
            optional("train_accuracy", DOUBLE, s -> s.result().trainAccuracy()),
            optional("train_loss", DOUBLE, s -> s.result().trainLoss()),
            required("train_seconds", DOUBLE, s -> s.result().trainSeconds()),
            required("train_samples", INT, s -> s.result().trainSamples()),
            required("test_samples", INT, s -> s.result().testSamples()),
            required("parameter_count", LONG, s -> s.result().parameterCount()),
            required("batch_size", INT, s -> s.result().batchSize()),
            required("backend", STRING, s -> s.result().placement().backend()),
            required("device", STRING, s -> s.result().placement().device()),
            optional("gpu_address", STRING, s -> s.result().placement().gpuAddress()),
            required("threads", INT, s -> s.result().placement().threads()),
            required("executor_id", STRING, s -> s.result().placement().executorId()),
            required("host", STRING, s -> s.result().placement().host()),
            required("dataset_decodes", INT, s -> s.result().placement().datasetDecodes()),
            optional("train_loop", STRING, s -> s.result().trainLoop() == null ? null : s.result().trainLoop().key()),
            required("started_at", TIME, s -> ts(s.result().startedAt())),
            required("finished_at", TIME, s -> ts(s.result().finishedAt())),
            required("epoch_train_loss", DOUBLES, s -> epochSeq(s, EpochMetrics::trainLoss)),
            required("epoch_val_loss", DOUBLES, s -> epochSeq(s, EpochMetrics::validationLoss)),
            required("epoch_val_accuracy", DOUBLES, s -> epochSeq(s, EpochMetrics::validationAccuracy)),
            required("epoch_seconds", DOUBLES, s -> epochSeq(s, EpochMetrics::seconds)),
            required("epoch_eval_seconds", DOUBLES, s -> epochSeq(s, EpochMetrics::evalSeconds)),
            optional("val_confusion", LONGS, s -> s.result().validation() == null ? null
                    : flat(s.result().validation().confusion())),
            optional("test_confusion", LONGS, s -> s.result().confusion() == null ? null
                    : flat(s.result().confusion())),
            optional("data_sha256", STRING, s -> s.run().dataChecksum()));

    /** Written when a sweep ends (replacing the sweep's earlier rows): see {@link ParameterImportance}. */
    static final List<Column<ImportanceSource>> IMPORTANCE = List.of(
            required("sweep_id", STRING, s -> s.run().sweepId()),
            required("sweep_name", STRING, s -> s.run().spec().name()),
            required("metric", STRING, s -> s.run().spec().metric().name().key()),
            required("parameter", STRING, s -> s.importance().parameter()),
            required("importance", DOUBLE, s -> s.importance().importance()),
            required("rank", INT, ImportanceSource::rank),
            required("configurations", INT, s -> s.importance().configurations()),
            required("computed_at", TIME, s -> ts(s.computedAt())));

    /** A kept network (see {@code spark/ModelKeeper}): its file, staged and renamed, is in place before this row. */
    static final List<Column<ModelSource>> MODELS = List.of(
            required("sweep_id", STRING, s -> s.run().sweepId()),
            required("sweep_name", STRING, s -> s.run().spec().name()),
            required("trial_id", STRING, s -> s.model().trialId()),
            optional("refit_of", STRING, s -> s.model().refitOf()),
            required("metric", STRING, s -> s.run().spec().metric().name().key()),
            required("metric_goal", STRING, s -> s.run().spec().metric().goal().name().toLowerCase(Locale.ROOT)),
            optional("metric_value", DOUBLE, s -> s.model().metricValue()),
            optional("test_accuracy", DOUBLE, s -> s.model().testAccuracy()),
            required("path", STRING, s -> s.model().path()),
            required("bytes", LONG, s -> s.model().bytes()),
            required("sha256", STRING, s -> s.model().sha256()),
            required("saved_at", TIME, s -> ts(s.model().savedAt())));

    static final List<Column<SweepSource>> SWEEPS = List.of(
            required("sweep_id", STRING, s -> s.run().sweepId()),
            required("run_id", STRING, s -> s.run().runId()),
            required("name", STRING, s -> s.run().spec().name()),
            required("spec", STRING, s -> s.run().spec().text()),
            required("master", STRING, s -> s.run().master()),
            required("trials_planned", INT, SweepSource::trialsPlanned),
            required("started_at", TIME, s -> ts(s.run().startedAt())),
            optional("finished_at", TIME, s -> s.finishedAt() == null ? null : ts(s.finishedAt())),
            required("versions", STRING, SweepSource::versions),
            optional("stopped_by", STRING, SweepSource::stoppedBy),
            optional("metric", STRING, s -> s.run().spec().metric().name().key()),
            optional("metric_goal", STRING, s -> s.run().spec().metric().goal().name().toLowerCase(Locale.ROOT)),
            optional("validation", STRING, s -> s.run().spec().dataset().validation().describe()),
            optional("validation_images", INT, s -> s.run().heldOut() == null ? null : s.run().heldOut().images()),
            optional("validation_sha256", STRING, s -> s.run().heldOut() == null ? null : s.run().heldOut().sha256()),
            optional("refit", BOOLEAN, s -> s.run().spec().refit()),
            optional("keep_models", STRING, s -> s.run().spec().keepModels().describe(s.run().spec().refit())),
            optional("data_source", STRING, s -> data(s).map(DataReport::kind).orElse(null)),
            optional("data_location", STRING, s -> data(s).map(DataReport::location).orElse(null)),
            optional("input_shape", STRING, s -> data(s).map(d -> d.shape().describe()).orElse(null)),
            optional("class_names", STRINGS, s -> data(s).map(d -> seq(d.classNames())).orElse(null)),
            optional("class_counts", STRING, s -> data(s).map(DataReport::perClass).orElse(null)),
            optional("skipped_files", LONG, s -> data(s).map(DataReport::skipped).orElse(null)),
            optional("unreadable_files", STRINGS, s -> data(s).map(d -> seq(d.unreadable())).orElse(null)),
            optional("test_split_sha256", STRING, s -> data(s).map(DataReport::testSplitSha256).orElse(null)));

    private static Optional<DataReport> data(SweepSource s) {
        return Optional.ofNullable(s.run().data());
    }

    private ResultColumns() {
    }

    private static <S> Column<S> required(String name, DataType type, Function<S, Object> value) {
        return new Column<>(name, type, false, value);
    }

    private static <S> Column<S> optional(String name, DataType type, Function<S, Object> value) {
        return new Column<>(name, type, true, value);
    }

    /** ASHA and Hyperband: how many rungs the trial reached (1 = the first); null for other schedulers. */
    private static Integer rung(TrialSource s) {
        if (s.run().spec().rungs() == null) {
            return null;
        }
        int trained = s.result().epochs().size();
        return (int) s.run().spec().rungs().epochs().stream().filter(e -> e <= trained).count();
    }

    private static Double validation(TrialSource s, Function<ValidationMetrics, Double> field) {
        return s.result().validation() == null ? null : field.apply(s.result().validation());
    }

    /**
     * A refit row's trial: the trial of the same configuration on the sweep's split. A refit trains on every
     * training image, so its dataset has no split while the sweep's has one; null for every other row.
     */
    private static String refitOf(TrialSource s) {
        DatasetSpec sweepData = s.run().spec().dataset();
        if (!sweepData.validation().any() || s.config().dataset().validation().any()) {
            return null;
        }
        return s.config().withDataset(sweepData).trialId();
    }

    private static Seq<Double> epochSeq(FoldSource s, Function<EpochMetrics, Double> field) {
        return seq(s.result().epochs().stream().map(field).toList());
    }

    private static Seq<Long> flat(ConfusionMatrix confusion) {
        List<Long> values = new ArrayList<>();
        for (long[] row : confusion.counts()) {
            for (long count : row) {
                values.add(count);
            }
        }
        return seq(values);
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    private static <T> Seq<T> seq(List<T> list) {
        return CollectionConverters.asScala(list).toList();
    }
}
