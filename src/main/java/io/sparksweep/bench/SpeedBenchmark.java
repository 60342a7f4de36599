package io.sparksweep.bench;

import io.sparksweep.train.EpochMetrics;
import io.sparksweep.train.Placement;
import io.sparksweep.train.TrainLoop;
import io.sparksweep.train.TrainingData;
import io.sparksweep.train.TrialResult;
import io.sparksweep.train.TrialStatus;
import io.sparksweep.train.TrialTrainer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Trains each model for a few epochs on one thread and reports its speed (medians over the epochs). */
public final class SpeedBenchmark {
    /**
     * Seconds per training epoch, samples per second, seconds to evaluate the test set, final test accuracy, and
     * the loop that trained (null for the PyTorch reference).
     */
    public record Timing(String model, double secondsPerEpoch, double samplesPerSecond, double evalSeconds,
            double testAccuracy, TrainLoop loop) {
    }

    private SpeedBenchmark() {
    }

    /** Trains {@code model} as a sweep would ({@code direct}: the direct MLP step where it applies). */
    public static Timing run(SeedModels.Model model, TrainingData data, boolean direct) {
        List<EpochMetrics> epochs = new ArrayList<>();
        TrialResult result = new TrialTrainer(null, epochs::add).allowDirectStep(direct).train(model.config(), data,
                new Placement("cpu", "cpu", null, 1, "bench", "localhost", 0));
        if (result.status() != TrialStatus.COMPLETED) {
            throw new IllegalStateException(model.name() + " did not complete: " + result.error());
        }
        double seconds = median(epochs.stream().mapToDouble(EpochMetrics::seconds).toArray());
        double eval = median(epochs.stream().mapToDouble(EpochMetrics::evalSeconds).toArray());
        return new Timing(model.name(), seconds, data.trainCount() / seconds, eval, result.testAccuracy(),
                result.trainLoop());
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
