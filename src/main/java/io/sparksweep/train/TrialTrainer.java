package io.sparksweep.train;

import io.sparksweep.grid.TrialConfig;
import io.sparksweep.model.NetworkFactory;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains one trial on preloaded data and returns its result; no Spark here. Each epoch visits the training set
 * in a fresh order drawn from the trial seed, then evaluates on the test set. A trial that throws ends FAILED and
 * one whose loss stops being finite ends DIVERGED; both are returned as results, never thrown.
 */
public final class TrialTrainer {

    public TrialResult train(TrialConfig trial, TrainingData data, Placement placement) {
        Instant started = Instant.now();
        Run run = new Run(trial, data);
        TrialStatus status = TrialStatus.COMPLETED;
        String error = null;
        try {
            run.execute();
        } catch (Diverged e) {
            status = TrialStatus.DIVERGED;
            error = e.getMessage();
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            status = TrialStatus.FAILED;
            error = (e instanceof OutOfMemoryError ? "out of memory: " : e.getClass().getSimpleName() + ": ")
                    + e.getMessage();
        }
        return run.result(status, error, placement, started, Instant.now());
    }

    /** The live state of one training run; {@link #result} takes its immutable snapshot. */
    private static final class Run {
        private final TrialConfig trial;
        private final TrainingData data;
        private final List<EpochMetrics> epochs = new ArrayList<>();
        private final int batchSize;
        private long parameterCount;
        private double trainSeconds;
        private long samplesSeen;
        private Evaluator.Evaluation finalTest;
        private Evaluator.Evaluation finalTrain;

        Run(TrialConfig trial, TrainingData data) {
            this.trial = trial;
            this.data = data;
            this.batchSize = trial.batchSize().resolve(data.trainCount());
        }

        void execute() throws Diverged {
            MultiLayerNetwork net = NetworkFactory.build(trial, data.rows(), data.cols(), data.numClasses());
            parameterCount = net.numParams();
            int n = data.trainCount();
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Random random = new Random(trial.seed());
            for (int epoch = 1; epoch <= trial.epochs(); epoch++) {
                shuffle(order, random);
                long start = System.nanoTime();
                double lossSum = 0;
                for (int from = 0; from < n; from += batchSize) {
                    int to = Math.min(n, from + batchSize);
                    int[] rows = java.util.Arrays.copyOfRange(order, from, to);
                    INDArray x = Nd4j.pullRows(data.trainFeatures(), 1, rows);
                    INDArray y = Nd4j.pullRows(data.trainOneHot(), 1, rows);
                    net.fit(x, y);
                    double loss = net.score();
                    if (!Double.isFinite(loss)) {
                        throw new Diverged("training loss became " + loss + " in epoch " + epoch + " at batch "
                                + (from / batchSize + 1));
                    }
                    lossSum += loss * (to - from);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                trainSeconds += seconds;
                samplesSeen += n;
                finalTest = Evaluator.evaluate(net, data.testFeatures(), data.testLabels(), data.numClasses());
                if (!Double.isFinite(finalTest.loss())) {
                    throw new Diverged("test loss became " + finalTest.loss() + " after epoch " + epoch);
                }
                epochs.add(new EpochMetrics(epoch, lossSum / n, finalTest.loss(), finalTest.accuracy(), seconds));
            }
            finalTrain = Evaluator.evaluate(net, data.trainFeatures(), data.trainLabels(), data.numClasses());
        }

        TrialResult result(TrialStatus status, String error, Placement placement, Instant started, Instant finished) {
            boolean completed = status == TrialStatus.COMPLETED;
            ConfusionMatrix confusion = completed ? finalTest.confusion() : null;
            return new TrialResult(trial, status, error,
                    completed ? finalTest.accuracy() : null,
                    completed ? finalTest.loss() : null,
                    completed ? finalTrain.accuracy() : null,
                    completed ? finalTrain.loss() : null,
                    completed ? confusion.macroF1() : null,
                    trainSeconds, trainSeconds > 0 ? samplesSeen / trainSeconds : 0, parameterCount, batchSize,
                    data.trainCount(), data.testLabels().length,
                    epochs, completed ? confusion.classMetrics(data.classNames()) : List.of(), confusion, placement,
                    started, finished);
        }

        private static void shuffle(int[] order, Random random) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
        }
    }

    private static final class Diverged extends Exception {
        private static final long serialVersionUID = 1L;

        Diverged(String message) {
            super(message);
        }
    }
}
