package io.sparksweep.train;

import io.sparksweep.grid.TrialConfig;
import io.sparksweep.grid.TrialGroup;
import io.sparksweep.model.NetworkFactory;
import io.sparksweep.model.NetworkSize;
import io.sparksweep.spec.EarlyStopping;
import io.sparksweep.spec.MetricSpec;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains trials on preloaded data and returns their results; no Spark here. Each epoch visits the training set
 * in a fresh order drawn from the trial seed, then evaluates on the validation images when the data has some (the
 * test set is then evaluated once, as each trial ends), else on the test set. A trial that throws ends FAILED and
 * one whose loss stops being finite ends DIVERGED; both are returned as results, never thrown.
 */
public final class TrialTrainer {
    private final Duration timeout;
    private final Consumer<EpochMetrics> onEpoch;
    private EarlyStopping earlyStopping;
    private MetricSpec metric = MetricSpec.DEFAULT;
    private boolean directAllowed = true;
    private Function<List<EpochMetrics>, String> stopRule;
    private double keepModelsAbove = Double.POSITIVE_INFINITY;

    /** A trainer without a time limit. */
    public TrialTrainer() {
        this(null);
    }

    public TrialTrainer(Duration timeout) {
        this(timeout, e -> { });
    }

    /**
     * A trainer that ends a trial as TIMED_OUT once it has trained for longer than {@code timeout} (null: no
     * limit; checked between batches, so a trial overshoots it by at most one batch), telling {@code onEpoch}
     * about every epoch as it ends (benchmarks watch memory and speed with it).
     */
    public TrialTrainer(Duration timeout, Consumer<EpochMetrics> onEpoch) {
        this.timeout = timeout;
        this.onEpoch = onEpoch;
    }

    /**
     * Ends a trial as STOPPED_EARLY once {@code metric} has not improved by more than the rule's {@code minDelta}
     * for {@code patience} epochs (null: train every epoch). The metric must be one measured every epoch.
     */
    public TrialTrainer withEarlyStopping(EarlyStopping rule, MetricSpec metric) {
        this.earlyStopping = rule;
        this.metric = metric;
        return this;
    }

    /**
     * Whether networks on the CPU backend train with SparkSweep's direct steps (default: {@link MlpStep} for MLPs,
     * {@link CnnStep} for CNNs) rather than DL4J's {@code fit}: the same computation (results agree up to float
     * rounding), faster. Off, every trial trains with {@code fit}.
     */
    public TrialTrainer allowDirectStep(boolean allowed) {
        this.directAllowed = allowed;
        return this;
    }

    /**
     * A rule asked after every epoch but the last, with the epochs of this stretch so far: a reason ends the trial
     * there as PRUNED, with the metrics of that epoch (a scheduler's median stopping, applied where it trains).
     */
    public TrialTrainer withStopRule(Function<List<EpochMetrics>, String> rule) {
        this.stopRule = rule;
        return this;
    }

    /**
     * Returns the network of each trial whose score on the metric (its value, negated when lower is better) is
     * above {@code scoreAbove} when its result is taken, for the driver to keep: the driver's worst kept score,
     * which only rises, so a network not sent now would not have been kept. Infinity (the default): none.
     */
    public TrialTrainer keepModelsAbove(double scoreAbove) {
        this.keepModelsAbove = scoreAbove;
        return this;
    }

    public TrialResult train(TrialConfig trial, TrainingData data, Placement placement) {
        return train(new TrialGroup(List.of(trial)), data, placement).get(0);
    }

    /** The network's parameters and optimizer state after {@code epochs} epochs, to continue from. */
    public record Checkpoint(int epochs, byte[] state) implements Serializable {
    }

    /**
     * A stretch of a group's training: a result per trial of the group, where the run got to (or null), and the
     * networks asked for with {@link #keepModelsAbove}, by trial id (DL4J's model zip, without optimizer state).
     */
    public record Stretch(List<TrialResult> results, Checkpoint checkpoint, Map<String, byte[]> models)
            implements Serializable {
        public Stretch {
            models = Map.copyOf(models);
        }

        public Stretch(List<TrialResult> results, Checkpoint checkpoint) {
            this(results, checkpoint, Map.of());
        }
    }

    /**
     * Trains {@code group} from {@code from} (null: a fresh network) up to epoch {@code toEpoch} (at most the
     * group's longest epochs). Each trial's result is taken at its epoch count or at {@code toEpoch}, whichever
     * comes first; {@code keepCheckpoint} also returns the network's state there, when the stretch completed.
     */
    public Stretch trainStretch(TrialGroup group, TrainingData data, Placement placement, Checkpoint from,
            int toEpoch, boolean keepCheckpoint) {
        Run run = new Run(this, group, data, placement);
        run.resumeFrom(from, toEpoch);
        TrialResult last = train(run);
        Checkpoint reached = null;
        if (keepCheckpoint && last.status() == TrialStatus.COMPLETED) {
            reached = new Checkpoint(Math.min(toEpoch, group.longest().epochs()), serialize(run.net));
        }
        return new Stretch(run.results, reached, run.models);
    }

    private static byte[] serialize(MultiLayerNetwork net) {
        return serialize(net, true);
    }

    private static byte[] serialize(MultiLayerNetwork net, boolean withUpdater) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(net, bytes, withUpdater);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Trains the group's longest trial once and returns one result per trial of the group (in the group's order),
     * each taken after that trial's epoch count. Trials whose count was reached before a failure are completed.
     */
    public List<TrialResult> train(TrialGroup group, TrainingData data, Placement placement) {
        Run run = new Run(this, group, data, placement);
        train(run);
        return run.results;
    }

    private static TrialResult train(Run run) {
        try {
            run.execute();
        } catch (StoppedEarly e) {
            run.stopRemaining(e.status, e.getMessage());
        } catch (Diverged e) {
            run.endRemaining(TrialStatus.DIVERGED, e.getMessage());
        } catch (TimedOut e) {
            run.endRemaining(TrialStatus.TIMED_OUT, e.getMessage());
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            String message = String.valueOf(e.getMessage());
            run.endRemaining(TrialStatus.FAILED, e instanceof OutOfMemoryError ? "out of memory: " + message
                    : message.startsWith("out of memory:") ? message : e.getClass().getSimpleName() + ": " + message);
        } finally {
            run.close();
        }
        return run.results.get(0);
    }

    /** The live state of one training run; results are immutable snapshots taken at each trial's epoch count. */
    private static final class Run {
        private final TrialGroup group;
        private final TrainingData data;
        private final Placement placement;
        private final Instant started = Instant.now();
        private final List<EpochMetrics> epochs = new ArrayList<>();
        private final List<TrialResult> results = new ArrayList<>();
        private final int batchSize;
        private final Duration timeout;
        private final long deadline;
        private final Consumer<EpochMetrics> onEpoch;
        private final EarlyStopping earlyStopping;
        private final MetricSpec metric;
        private final boolean directAllowed;
        private final Function<List<EpochMetrics>, String> stopRule;
        private final double keepModelsAbove;
        /** The networks to hand back, by trial id, each as it was when that trial's result was taken. */
        private final Map<String, byte[]> models = new HashMap<>();
        private MultiLayerNetwork net;
        /** The direct step when it applies to this network, else null (DL4J's fit trains it). */
        private DirectStep step;
        private Evaluator.Predictor predictor;
        private Checkpoint from;
        private int untilEpoch = Integer.MAX_VALUE;
        private long parameterCount;
        private double trainSeconds;
        /** The evaluation after the latest epoch: on the validation images when there are some, else the test set. */
        private Evaluator.Evaluation lastEval;
        /** The test set's evaluation at {@code testEpoch}, when validation images stand in for it every epoch. */
        private Evaluator.Evaluation test;
        private int testEpoch;

        Run(TrialTrainer settings, TrialGroup group, TrainingData data, Placement placement) {
            this.earlyStopping = settings.earlyStopping;
            this.metric = settings.metric;
            this.timeout = settings.timeout;
            this.onEpoch = settings.onEpoch;
            this.directAllowed = settings.directAllowed;
            this.stopRule = settings.stopRule;
            this.keepModelsAbove = settings.keepModelsAbove;
            this.deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
            this.group = group;
            this.data = data;
            this.placement = placement;
            this.batchSize = group.longest().batchSize().resolve(data.trainCount());
        }

        /** Train from a checkpoint (null: from scratch) up to {@code toEpoch} only. */
        void resumeFrom(Checkpoint checkpoint, int toEpoch) {
            this.from = checkpoint;
            this.untilEpoch = toEpoch;
        }

        void execute() throws Diverged, TimedOut, StoppedEarly {
            TrialConfig trial = group.longest();
            checkMemory(trial);
            if (from == null) {
                net = NetworkFactory.build(trial, data.shape(), data.numClasses());
            } else {
                try {
                    net = ModelSerializer.restoreMultiLayerNetwork(
                            new ByteArrayInputStream(from.state()), true);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the checkpoint: " + e.getMessage(), e);
                }
            }
            parameterCount = net.numParams();
            step = directAllowed ? directStep(trial) : null;
            predictor = step != null ? step : Evaluator.of(net);
            int n = data.trainCount();
            int[] order = new int[n]; // refilled and shuffled every epoch
            Double best = null;
            int sinceBest = 0;
            Batch full = step != null ? null : new Batch(batchSize);
            Batch tail = step != null || n % batchSize == 0 ? null : new Batch(n % batchSize);
            int last = Math.min(trial.epochs(), untilEpoch);
            for (int epoch = from == null ? 1 : from.epochs() + 1; epoch <= last; epoch++) {
                // The order depends on the seed and the epoch alone, not on the epochs before: a run continued
                // from a checkpoint visits the data exactly as an uninterrupted one.
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                shuffle(order, new Random(trial.seed() * 1_000_003L + epoch));
                long start = System.nanoTime();
                double lossSum = 0;
                for (int from = 0; from < n; from += batchSize) {
                    int rows = Math.min(batchSize, n - from);
                    double loss;
                    if (step != null) {
                        loss = step.fit(order, from, rows);
                    } else {
                        Batch batch = n - from >= batchSize ? full : tail;
                        batch.fill(order, from);
                        net.fit(batch.features, batch.labels);
                        loss = net.score();
                    }
                    if (!Double.isFinite(loss)) {
                        throw new Diverged("training loss became " + loss + " in epoch " + epoch + " at batch "
                                + (from / batchSize + 1));
                    }
                    lossSum += loss * rows;
                    if (System.nanoTime() > deadline) {
                        throw new TimedOut("exceeded the timeout of " + timeout.toString().substring(2).toLowerCase(Locale.ROOT)
                                + " in epoch " + epoch + " (" + epochs.size() + " epochs finished)");
                    }
                }
                if (step != null) {
                    step.sync();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                trainSeconds += seconds;
                long evalStart = System.nanoTime();
                boolean onValidation = data.hasValidation();
                lastEval = onValidation
                        ? Evaluator.evaluate(predictor, data.validationFeatures(), data.validationLabels(),
                                data.numClasses())
                        : Evaluator.evaluate(predictor, data.testFeatures(), data.testLabels(), data.numClasses());
                double evalSeconds = (System.nanoTime() - evalStart) / 1e9;
                if (!Double.isFinite(lastEval.loss())) {
                    throw new Diverged((onValidation ? "validation" : "test") + " loss became " + lastEval.loss()
                            + " after epoch " + epoch);
                }
                EpochMetrics metrics = EpochMetrics.of(epoch, lossSum / n, onValidation, lastEval.loss(),
                        lastEval.accuracy(), seconds, evalSeconds);
                epochs.add(metrics);
                onEpoch.accept(metrics);
                boolean lastOfSomeTrial = Math.min(nextTrial().epochs(), untilEpoch) == epoch;
                if (earlyStopping != null) {
                    double value = metrics.value(metric.name());
                    double gain = metric.goal() == MetricSpec.Goal.MAXIMIZE ? value - (best == null ? 0 : best)
                            : (best == null ? 0 : best) - value;
                    if (best == null || gain > earlyStopping.minDelta()) {
                        best = value;
                        sinceBest = 0;
                    } else if (++sinceBest >= earlyStopping.patience() && !lastOfSomeTrial) {
                        throw new StoppedEarly(TrialStatus.STOPPED_EARLY, String.format(Locale.ROOT, "%s did not improve by more "
                                + "than %s for %d epochs; stopped after epoch %d", metric.name().key(),
                                earlyStopping.minDelta(), earlyStopping.patience(), epoch));
                    }
                }
                if (lastOfSomeTrial) {
                    Evaluator.Evaluation train =
                            Evaluator.evaluate(predictor, data.trainFeatures(), data.trainLabels(), data.numClasses());
                    while (results.size() < group.trials().size()
                            && Math.min(nextTrial().epochs(), untilEpoch) == epoch) {
                        results.add(completed(nextTrial(), train));
                    }
                }
                String pruned = stopRule == null || epoch == last ? null : stopRule.apply(epochs);
                if (pruned != null) {
                    throw new StoppedEarly(TrialStatus.PRUNED, pruned);
                }
            }
        }

        /**
         * One batch's row indices and the features and labels they select, allocated once per trial and refilled
         * in place for every batch: the hot loop allocates nothing (DL4J's fit has returned before a refill).
         */
        private final class Batch {
            final int[] rows;
            final INDArray features;
            final INDArray labels;

            Batch(int size) {
                rows = new int[size];
                features = Nd4j.create(data.trainFeatures().dataType(), size, data.trainFeatures().columns());
                labels = Nd4j.create(data.trainOneHot().dataType(), size, data.trainOneHot().columns());
            }

            void fill(int[] order, int from) {
                System.arraycopy(order, from, rows, 0, rows.length);
                Nd4j.pullRows(data.trainFeatures(), features, 1, rows);
                Nd4j.pullRows(data.trainOneHot(), labels, 1, rows);
            }
        }

        /** Fails the trial up front when its network cannot fit: ND4J would try anyway and the JVM would die. */
        private void checkMemory(TrialConfig trial) {
            long need = NetworkSize.trainingBytes(trial, data.shape(), data.numClasses(), batchSize);
            long available = Pointer.availablePhysicalBytes();
            if (Pointer.maxBytes() > 0) {
                available = Math.min(available, Pointer.maxBytes() - Pointer.totalBytes());
            }
            if (available > 0 && need > available) {
                throw new IllegalStateException(String.format(
                        "out of memory: the network (%,d parameters) needs about %s to train at batch size %d, "
                                + "this executor has %s free", NetworkSize.parameterCount(trial, data.shape(),
                                data.numClasses()), Pointer.formatBytes(need), batchSize,
                        Pointer.formatBytes(available)));
            }
        }

        /** The direct step that trains this network, or null when only DL4J's fit does. */
        private DirectStep directStep(TrialConfig trial) {
            if (MlpStep.supports(net, trial)) {
                return new MlpStep(net, trial, data, batchSize);
            }
            return CnnStep.supports(net, trial) ? new CnnStep(net, trial, data, batchSize) : null;
        }

        /** Frees the direct step's native buffers once the results are taken. */
        void close() {
            if (step != null) {
                step.close();
            }
        }

        /** The loop that trained (null when the network was never built). */
        private TrainLoop trainLoop() {
            return net == null ? null : step != null ? TrainLoop.DIRECT : TrainLoop.DL4J;
        }

        private TrialConfig nextTrial() {
            return group.trials().get(results.size());
        }

        private TrialResult completed(TrialConfig trial, Evaluator.Evaluation train) {
            return ended(trial, TrialStatus.COMPLETED, null, train);
        }

        private TrialResult ended(TrialConfig trial, TrialStatus status, String note, Evaluator.Evaluation train) {
            Evaluator.Evaluation onTest = testNow();
            ConfusionMatrix confusion = onTest.confusion();
            ValidationMetrics validation = data.hasValidation()
                    ? ValidationMetrics.holdout(lastEval.loss(), lastEval.confusion()) : null;
            TrialResult result = new TrialResult(trial, status, note, onTest.accuracy(), onTest.loss(),
                    train.accuracy(), train.loss(), confusion.macroF1(), trainSeconds,
                    (double) epochs.size() * data.trainCount() / trainSeconds, parameterCount, batchSize,
                    data.trainCount(), data.testLabels().length, epochs, confusion.classMetrics(data.classNames()),
                    confusion, placement, trainLoop(), started, Instant.now(), validation);
            keepModelIfWanted(result);
            return result;
        }

        /** The network as it is now, when this result's score may put it among the networks the driver keeps. */
        private void keepModelIfWanted(TrialResult result) {
            // minus infinity: any network, even one without a value of the metric (a refit has no validation)
            boolean any = keepModelsAbove == Double.NEGATIVE_INFINITY;
            if (any || metric.goal().score(result.value(metric.name())) > keepModelsAbove) {
                if (step != null) {
                    step.sync();
                }
                models.put(result.trialId(), serialize(net, false));
            }
        }

        /**
         * The test set's evaluation of the network as it is now. With validation images the test set is seen only
         * here, once for each trial as it ends (the held-out estimate); without, it is the latest epoch's.
         */
        private Evaluator.Evaluation testNow() {
            if (!data.hasValidation()) {
                return lastEval;
            }
            if (test == null || testEpoch != epochs.size()) {
                test = Evaluator.evaluate(predictor, data.testFeatures(), data.testLabels(), data.numClasses());
                testEpoch = epochs.size();
            }
            return test;
        }

        /** Ends every trial not reached yet with {@code status}, with the metrics of the last epoch. */
        void stopRemaining(TrialStatus status, String note) {
            Evaluator.Evaluation train =
                    Evaluator.evaluate(predictor, data.trainFeatures(), data.trainLabels(), data.numClasses());
            while (results.size() < group.trials().size()) {
                results.add(ended(nextTrial(), status, note, train));
            }
        }

        /** Ends every trial whose epoch count was not reached with {@code status}, keeping the epochs so far. */
        void endRemaining(TrialStatus status, String error) {
            while (results.size() < group.trials().size()) {
                results.add(new TrialResult(nextTrial(), status, error, null, null, null, null, null, trainSeconds,
                        trainSeconds > 0 ? epochs.size() * (double) data.trainCount() / trainSeconds : 0,
                        parameterCount, batchSize, data.trainCount(), data.testLabels().length, epochs, List.of(),
                        null, placement, trainLoop(), started, Instant.now(), null));
            }
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

    private static final class TimedOut extends Exception {
        private static final long serialVersionUID = 1L;

        TimedOut(String message) {
            super(message);
        }
    }

    /** A rule ended the trial before its last epoch: STOPPED_EARLY (early stopping) or PRUNED (a scheduler). */
    private static final class StoppedEarly extends Exception {
        private static final long serialVersionUID = 1L;
        private final TrialStatus status;

        StoppedEarly(TrialStatus status, String message) {
            super(message);
            this.status = status;
        }
    }

    private static final class Diverged extends Exception {
        private static final long serialVersionUID = 1L;

        Diverged(String message) {
            super(message);
        }
    }
}
