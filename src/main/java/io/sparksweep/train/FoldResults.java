package io.sparksweep.train;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * A cross-validated trial from its folds' results (each a network trained without one fold and validated on it):
 * the mean over folds of every metric, with the standard deviation of the validation metrics; the folds'
 * validation confusion matrices summed (every training image counted once) and their test confusion matrices
 * summed (k networks on the same test set, so its accuracy is the folds' mean); per epoch, the folds' means.
 * A trial is as good as its worst fold: the first that failed, diverged or timed out decides its status.
 */
public final class FoldResults {
    private FoldResults() {
    }

    /** @param folds one result per fold, in fold order, all of the same trial */
    public static TrialResult combine(List<TrialResult> folds) {
        if (folds.size() == 1) {
            return folds.get(0);
        }
        TrialResult first = folds.get(0);
        double seconds = folds.stream().mapToDouble(TrialResult::trainSeconds).sum();
        List<EpochMetrics> epochs = epochs(folds);
        Instant started = folds.stream().map(TrialResult::startedAt).min(Comparator.naturalOrder()).orElseThrow();
        Instant finished = folds.stream().map(TrialResult::finishedAt).max(Comparator.naturalOrder()).orElseThrow();
        long trainedImages = folds.stream().mapToLong(f -> (long) f.epochs().size() * f.trainSamples()).sum();
        double rate = seconds > 0 ? trainedImages / seconds : 0;
        for (int f = 0; f < folds.size(); f++) {
            TrialResult fold = folds.get(f);
            if (fold.status() != TrialStatus.COMPLETED || fold.validation() == null) {
                return new TrialResult(first.config(), fold.status(), "fold " + (f + 1) + " of " + folds.size()
                        + ": " + fold.error(), null, null, null, null, null, seconds, rate, first.parameterCount(),
                        first.batchSize(), first.trainSamples(), first.testSamples(), epochs, List.of(), null,
                        first.placement(), first.trainLoop(), started, finished, null);
            }
        }
        ConfusionMatrix test = sum(folds, TrialResult::confusion);
        ValidationMetrics validation = new ValidationMetrics(mean(folds, f -> f.validation().accuracy()),
                mean(folds, f -> f.validation().loss()), std(folds, f -> f.validation().accuracy()),
                std(folds, f -> f.validation().loss()), sum(folds, f -> f.validation().confusion()));
        List<String> classNames = first.classMetrics().stream().map(ClassMetrics::className).toList();
        return new TrialResult(first.config(), TrialStatus.COMPLETED, null, mean(folds, TrialResult::testAccuracy),
                mean(folds, TrialResult::testLoss), mean(folds, TrialResult::trainAccuracy),
                mean(folds, TrialResult::trainLoss), test.macroF1(), seconds, rate, first.parameterCount(),
                first.batchSize(), first.trainSamples(), first.testSamples(), epochs, test.classMetrics(classNames),
                test, first.placement(), first.trainLoop(), started, finished, validation);
    }

    /** Per epoch that every fold reached, the folds' means; the seconds are summed (the trial's compute). */
    private static List<EpochMetrics> epochs(List<TrialResult> folds) {
        int reached = folds.stream().mapToInt(f -> f.epochs().size()).min().orElse(0);
        List<EpochMetrics> out = new ArrayList<>();
        for (int e = 0; e < reached; e++) {
            int i = e;
            List<EpochMetrics> at = folds.stream().map(f -> f.epochs().get(i)).toList();
            out.add(new EpochMetrics(at.get(0).epoch(), at.stream().mapToDouble(EpochMetrics::trainLoss).average()
                    .orElseThrow(), meanOf(at, EpochMetrics::validationLoss), meanOf(at, EpochMetrics::validationAccuracy),
                    meanOf(at, EpochMetrics::testLoss), meanOf(at, EpochMetrics::testAccuracy),
                    at.stream().mapToDouble(EpochMetrics::seconds).sum(),
                    at.stream().mapToDouble(EpochMetrics::evalSeconds).sum()));
        }
        return out;
    }

    private static Double meanOf(List<EpochMetrics> epochs, Function<EpochMetrics, Double> field) {
        return epochs.stream().map(field).anyMatch(v -> v == null) ? null
                : epochs.stream().mapToDouble(field::apply).average().orElseThrow();
    }

    private static double mean(List<TrialResult> folds, Function<TrialResult, Double> field) {
        return folds.stream().mapToDouble(field::apply).average().orElseThrow();
    }

    /** The sample standard deviation over folds. */
    private static double std(List<TrialResult> folds, Function<TrialResult, Double> field) {
        double mean = mean(folds, field);
        double squares = folds.stream().mapToDouble(f -> Math.pow(field.apply(f) - mean, 2)).sum();
        return Math.sqrt(squares / (folds.size() - 1));
    }

    private static ConfusionMatrix sum(List<TrialResult> folds, Function<TrialResult, ConfusionMatrix> field) {
        int n = field.apply(folds.get(0)).numClasses();
        long[][] counts = new long[n][n];
        for (TrialResult fold : folds) {
            long[][] c = field.apply(fold).counts();
            for (int a = 0; a < n; a++) {
                for (int p = 0; p < n; p++) {
                    counts[a][p] += c[a][p];
                }
            }
        }
        return new ConfusionMatrix(counts);
    }
}
