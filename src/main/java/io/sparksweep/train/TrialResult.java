package io.sparksweep.train;

import io.sparksweep.grid.TrialConfig;
import io.sparksweep.spec.MetricSpec;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The immutable outcome of one trial, carrying its provenance (config, data, seed, placement). Metrics are
 * null when the trial did not complete; epochs evaluated before a failure are kept.
 *
 * @param batchSize the batch size actually used, in samples (the training set size for {@code full})
 * @param trainSamples images in the training set after class selection and limits ({@code testSamples} likewise)
 * @param trainSeconds time spent training, evaluation excluded
 * @param samplesPerSecond training samples processed per second of training
 * @param trainLoop the code that computed the training steps (null when training never started)
 * @param validation the metrics on the held-out training images (null without a split, or when it did not complete)
 */
public record TrialResult(TrialConfig config, TrialStatus status, String error, Double testAccuracy,
        Double testLoss, Double trainAccuracy, Double trainLoss, Double macroF1, double trainSeconds,
        double samplesPerSecond, long parameterCount, int batchSize, int trainSamples, int testSamples,
        List<EpochMetrics> epochs,
        List<ClassMetrics> classMetrics, ConfusionMatrix confusion, Placement placement, TrainLoop trainLoop, Instant startedAt,
        Instant finishedAt, ValidationMetrics validation) implements Serializable {

    public TrialResult {
        epochs = List.copyOf(epochs);
        classMetrics = List.copyOf(classMetrics);
    }

    public String trialId() {
        return config.trialId();
    }

    /** This trial's value of {@code metric} when it ended (null when it did not complete). */
    public Double value(MetricSpec.Name metric) {
        return switch (metric) {
            case VAL_ACCURACY -> validation == null ? null : validation.accuracy();
            case VAL_LOSS -> validation == null ? null : validation.loss();
            case TEST_ACCURACY -> testAccuracy;
            case TEST_LOSS -> testLoss;
            case MACRO_F1 -> macroF1;
            case TRAIN_ACCURACY -> trainAccuracy;
            case TRAIN_LOSS -> trainLoss;
        };
    }

    /** A trial that failed before training started (its Spark job failed, or its device could not be used). */
    public static TrialResult notStarted(TrialConfig trial, String error, Instant started, Placement placement) {
        return new TrialResult(trial, TrialStatus.FAILED, error, null, null, null, null, null, 0, 0, 0, 0, 0, 0,
                List.of(), List.of(), null, placement, null, started, Instant.now(), null);
    }

    /** The same result with another status and note, finished now. */
    public TrialResult withStatus(TrialStatus newStatus, String note) {
        return new TrialResult(config, newStatus, note, testAccuracy, testLoss, trainAccuracy, trainLoss, macroF1,
                trainSeconds, samplesPerSecond, parameterCount, batchSize, trainSamples, testSamples, epochs,
                classMetrics, confusion, placement, trainLoop, startedAt, Instant.now(), validation);
    }

    /**
     * The whole trial after this stretch, which continued {@code before} (null: it is the first): the earlier
     * stretches' epochs and time, this stretch's latest metrics.
     */
    public TrialResult continuing(TrialResult before) {
        if (before == null) {
            return this;
        }
        List<EpochMetrics> all = new ArrayList<>(before.epochs());
        all.addAll(epochs);
        double seconds = before.trainSeconds() + trainSeconds;
        return new TrialResult(config, status, error, testAccuracy, testLoss, trainAccuracy, trainLoss, macroF1,
                seconds, seconds > 0 ? all.size() * (double) trainSamples / seconds : 0, parameterCount, batchSize,
                trainSamples, testSamples, all, classMetrics, confusion, placement, trainLoop, before.startedAt(),
                finishedAt, validation);
    }

    /** What an earlier run stored of a promoted trial: its epochs and training time, to continue from. */
    public static TrialResult promotedSoFar(TrialConfig trial, List<EpochMetrics> epochs, double trainSeconds,
            Instant startedAt) {
        return new TrialResult(trial, TrialStatus.PROMOTED, null, null, null, null, null, null, trainSeconds, 0, 0, 0,
                0, 0, epochs, List.of(), null, null, null, startedAt, startedAt, null);
    }
}
