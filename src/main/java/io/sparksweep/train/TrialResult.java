package io.sparksweep.train;

import io.sparksweep.grid.TrialConfig;

import java.io.Serializable;
import java.time.Instant;
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
 */
public record TrialResult(TrialConfig config, TrialStatus status, String error, Double testAccuracy,
        Double testLoss, Double trainAccuracy, Double trainLoss, Double macroF1, double trainSeconds,
        double samplesPerSecond, long parameterCount, int batchSize, int trainSamples, int testSamples,
        List<EpochMetrics> epochs,
        List<ClassMetrics> classMetrics, ConfusionMatrix confusion, Placement placement, TrainLoop trainLoop, Instant startedAt,
        Instant finishedAt) implements Serializable {

    public TrialResult {
        epochs = List.copyOf(epochs);
        classMetrics = List.copyOf(classMetrics);
    }

    public String trialId() {
        return config.trialId();
    }

    /** A trial that failed before training started (its Spark job failed, or its device could not be used). */
    public static TrialResult notStarted(TrialConfig trial, String error, Instant started, Placement placement) {
        return new TrialResult(trial, TrialStatus.FAILED, error, null, null, null, null, null, 0, 0, 0, 0, 0, 0,
                List.of(), List.of(), null, placement, null, started, Instant.now());
    }
}
