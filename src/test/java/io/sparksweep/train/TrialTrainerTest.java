package io.sparksweep.train;

import io.sparksweep.TestData;
import io.sparksweep.grid.TrialConfig;
import io.sparksweep.grid.TrialGroup;
import io.sparksweep.spec.ActivationKind;
import io.sparksweep.spec.BatchSize;
import io.sparksweep.data.DatasetSpec;
import io.sparksweep.spec.ModelFamily;
import io.sparksweep.spec.OptimizerKind;
import io.sparksweep.spec.WeightInitKind;
import io.sparksweep.data.DatasetKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrialTrainerTest {
    private static TrainingData data;
    private static final Placement HERE = new Placement("cpu", "cpu", null, 1, "test", "localhost", 0);

    @BeforeAll
    static void load() {
        NativeRuntime.configure(1);
        data = TrainingData.of(TestData.fashionSubset(5000, 1000));
    }

    static TrialConfig mlp(double lr, int epochs) {
        return new TrialConfig(ModelFamily.MLP, List.of(64), ActivationKind.RELU, List.of(), List.of(), List.of(),
                OptimizerKind.SGD, 0, lr, new BatchSize(32), epochs, WeightInitKind.HE, 7,
                DatasetSpec.of(DatasetKind.FASHION_MNIST));
    }

    @Test
    void mlpOnRealDataLearnsWellAboveChance() {
        TrialResult result = new TrialTrainer().train(mlp(0.05, 3), data, HERE);
        assertEquals(TrialStatus.COMPLETED, result.status(), result.error());
        assertTrue(result.testAccuracy() > 0.70, "test accuracy " + result.testAccuracy());
        assertEquals(3, result.epochs().size());
        assertEquals(50_890, result.parameterCount());
        assertEquals(1000, result.confusion().total());
        assertEquals(10, result.classMetrics().size());
        assertTrue(result.epochs().get(2).trainLoss() < result.epochs().get(0).trainLoss());
        assertEquals(result.testAccuracy(), result.epochs().get(2).testAccuracy(), 1e-12);
    }

    @Test
    void aRunContinuedFromACheckpointMatchesAnUninterruptedOne() {
        // Adam: its moment estimates must travel with the weights for the continuation to match
        TrialConfig adam = new TrialConfig(ModelFamily.MLP, List.of(32), ActivationKind.RELU, List.of(), List.of(),
                List.of(), OptimizerKind.ADAM, 0, 0.003, new BatchSize(64), 4, WeightInitKind.HE, 11,
                DatasetSpec.of(DatasetKind.FASHION_MNIST));
        TrialTrainer trainer = new TrialTrainer();
        TrialTrainer.Stretch first = stretch(trainer, adam, null, 1);
        TrialTrainer.Stretch second = stretch(trainer, adam, first.checkpoint(), 3);
        TrialTrainer.Stretch third = stretch(trainer, adam, second.checkpoint(), 4);
        TrialResult straight = trainer.train(adam, data, HERE);
        List<EpochMetrics> continued = new ArrayList<>(first.results().get(0).epochs());
        continued.addAll(second.results().get(0).epochs());
        continued.addAll(third.results().get(0).epochs());
        assertEquals(List.of(1, 2, 3, 4), continued.stream().map(EpochMetrics::epoch).toList());
        assertEquals(3, second.checkpoint().epochs());
        for (int i = 0; i < 4; i++) {
            assertEquals(straight.epochs().get(i).trainLoss(), continued.get(i).trainLoss(), 1e-5, "epoch " + (i + 1));
            assertEquals(straight.epochs().get(i).testAccuracy(), continued.get(i).testAccuracy(), 1e-9,
                    "epoch " + (i + 1));
        }
        assertEquals(straight.testAccuracy(), third.results().get(0).testAccuracy(), 1e-9);
        assertEquals(adam.trialId(), third.results().get(0).trialId());
    }

    @Test
    void theDirectMlpStepGivesTheResultsOfDl4jFit() {
        // Nesterov momentum and tanh: state and a non-ReLU derivative, over two full epochs (314 steps)
        TrialConfig trial = new TrialConfig(ModelFamily.MLP, List.of(48), ActivationKind.TANH, List.of(), List.of(),
                List.of(), OptimizerKind.MOMENTUM, 0.9, 0.01, new BatchSize(32), 2, WeightInitKind.XAVIER, 3,
                DatasetSpec.of(DatasetKind.FASHION_MNIST));
        TrialResult direct = new TrialTrainer().train(trial, data, HERE);
        TrialResult fit = new TrialTrainer().allowDirectStep(false).train(trial, data, HERE);
        assertEquals(TrainLoop.DIRECT, direct.trainLoop());
        assertEquals(TrainLoop.DL4J, fit.trainLoop());
        for (int e = 0; e < 2; e++) {
            assertEquals(fit.epochs().get(e).trainLoss(), direct.epochs().get(e).trainLoss(), 1e-4, "epoch " + (e + 1));
            assertEquals(fit.epochs().get(e).testLoss(), direct.epochs().get(e).testLoss(), 1e-4, "epoch " + (e + 1));
        }
        // a float rounding difference may flip an image that sits on a decision boundary, no more
        assertEquals(fit.testAccuracy(), direct.testAccuracy(), 0.002);
        assertEquals(fit.trainAccuracy(), direct.trainAccuracy(), 0.002);
        assertTrue(direct.testAccuracy() > 0.7, "learned: " + direct.testAccuracy());
    }

    @Test
    void aCheckpointOfTheDirectStepContinuesInDl4jFitAsTheDirectStepWould() {
        // Adam: its moments and its bias correction (the iteration count) must travel in the checkpoint
        TrialConfig adam = new TrialConfig(ModelFamily.MLP, List.of(32, 16), ActivationKind.RELU, List.of(),
                List.of(), List.of(), OptimizerKind.ADAM, 0, 0.002, new BatchSize(100), 3, WeightInitKind.HE, 9,
                DatasetSpec.of(DatasetKind.FASHION_MNIST));
        TrialTrainer.Stretch first = stretch(new TrialTrainer(), adam, null, 2);
        TrialResult rest = stretch(new TrialTrainer().allowDirectStep(false), adam, first.checkpoint(), 3).results()
                .get(0);
        TrialResult direct = new TrialTrainer().train(adam, data, HERE);
        TrialResult fit = new TrialTrainer().allowDirectStep(false).train(adam, data, HERE);
        assertEquals(TrainLoop.DIRECT, first.results().get(0).trainLoop());
        assertEquals(TrainLoop.DL4J, rest.trainLoop());
        assertEquals(direct.epochs().get(2).trainLoss(), rest.epochs().get(0).trainLoss(), 1e-6);
        assertEquals(direct.testLoss(), rest.testLoss(), 1e-6);
        assertEquals(direct.testAccuracy(), rest.testAccuracy(), 1e-9);
        // and DL4J all the way gets there too, up to float rounding (which Adam amplifies for weights whose
        // gradients are nearly zero: m / sqrt(v) keeps only their sign). The rounding depends on the CPU's kernels:
        // 3 of the 1,000 test images apart on the machine this was first written on, 6 on an Intel Xeon with
        // AVX-512 BF16/FP16 (2026-12-02).
        assertEquals(fit.epochs().get(2).trainLoss(), direct.epochs().get(2).trainLoss(), 2e-3);
        assertEquals(fit.testAccuracy(), direct.testAccuracy(), 0.01);
    }

    /** quick.yaml's CNN, smaller: batch 128 leaves a short last batch of 8 images. */
    private static TrialConfig quickCnn(int epochs) {
        return new TrialConfig(ModelFamily.CNN, List.of(32), ActivationKind.RELU, List.of(8, 16), List.of(3, 3),
                List.of(1, 1), OptimizerKind.ADAM, 0, 3e-3, new BatchSize(128), epochs, WeightInitKind.HE, 1,
                DatasetSpec.of(DatasetKind.FASHION_MNIST));
    }

    @Test
    void theDirectCnnStepGivesTheAccuracyOfDl4jFit() {
        TrialResult direct = new TrialTrainer().train(quickCnn(2), data, HERE);
        TrialResult fit = new TrialTrainer().allowDirectStep(false).train(quickCnn(2), data, HERE);
        assertEquals(TrialStatus.COMPLETED, direct.status(), direct.error());
        assertEquals(TrainLoop.DIRECT, direct.trainLoop());
        assertEquals(TrainLoop.DL4J, fit.trainLoop());
        assertTrue(direct.testAccuracy() > 0.75, "learned: " + direct.testAccuracy());
        // Not the same numbers: ReLU switches and pooling ties amplify the kernels' different rounding over 80
        // steps. The same training, though.
        assertEquals(fit.testAccuracy(), direct.testAccuracy(), 0.01);
        assertEquals(fit.epochs().get(1).trainLoss(), direct.epochs().get(1).trainLoss(), 0.02);
    }

    @Test
    void aCheckpointOfTheDirectCnnStepContinuesInDl4jFit() {
        TrialTrainer.Stretch first = stretch(new TrialTrainer(), quickCnn(2), null, 1);
        TrialResult inFit = stretch(new TrialTrainer().allowDirectStep(false), quickCnn(2), first.checkpoint(), 2)
                .results().get(0);
        TrialResult direct = stretch(new TrialTrainer(), quickCnn(2), first.checkpoint(), 2).results().get(0);
        assertEquals(TrainLoop.DIRECT, first.results().get(0).trainLoop());
        assertEquals(TrainLoop.DL4J, inFit.trainLoop());
        // Weights, Adam's moments and its iteration count travel: the second epoch in fit starts where the direct
        // step left off, its first steps' losses those of the direct step continued (a reset optimizer or
        // iteration count would show in the epoch's loss at once).
        assertEquals(direct.epochs().get(0).trainLoss(), inFit.epochs().get(0).trainLoss(), 2e-3);
        assertEquals(direct.testAccuracy(), inFit.testAccuracy(), 0.01);
    }

    @Test
    void earlyStoppingEndsATrialThatStoppedImprovingAndKeepsItsMetrics() {
        // No epoch can beat the first by 0.5 accuracy: with patience 2 the trial ends after epoch 3.
        io.sparksweep.spec.MetricSpec accuracy = io.sparksweep.spec.MetricSpec.DEFAULT;
        TrialResult stopped = new TrialTrainer().withEarlyStopping(new io.sparksweep.spec.EarlyStopping(2, 0.5),
                accuracy).train(mlp(0.05, 10), data, HERE);
        assertEquals(TrialStatus.STOPPED_EARLY, stopped.status());
        assertEquals(3, stopped.epochs().size());
        assertEquals("test_accuracy did not improve by more than 0.5 for 2 epochs; stopped after epoch 3",
                stopped.error());
        assertEquals(stopped.epochs().get(2).testAccuracy(), stopped.testAccuracy(), 1e-12);
        assertNotNull(stopped.trainAccuracy());
        assertEquals(1000, stopped.confusion().total());
        // a loose rule lets the same trial run to its end, with the same first epochs (same seed, same order)
        TrialResult full = new TrialTrainer().withEarlyStopping(new io.sparksweep.spec.EarlyStopping(5, 0.0),
                accuracy).train(mlp(0.05, 4), data, HERE);
        assertEquals(TrialStatus.COMPLETED, full.status());
        assertEquals(stopped.epochs().get(2).testAccuracy(), full.epochs().get(2).testAccuracy(), 1e-12);
        Integer best = EpochMetrics.best(full.epochs(), accuracy);
        for (EpochMetrics e : full.epochs()) {
            assertTrue(e.testAccuracy() <= full.epochs().get(best - 1).testAccuracy());
        }
    }

    @Test
    void sharedEpochRunReportsEachEpochCountAsIfTrainedAlone() {
        TrialConfig four = mlp(0.05, 4);
        TrialConfig two = four.withEpochs(2);
        List<TrialResult> shared = new TrialTrainer().train(
                new io.sparksweep.grid.TrialGroup(List.of(four, two)), data, HERE);
        assertEquals(List.of(2, 4), shared.stream().map(r -> r.config().epochs()).toList());
        TrialResult alone = new TrialTrainer().train(two, data, HERE);
        TrialResult fromShared = shared.get(0);
        assertEquals(TrialStatus.COMPLETED, fromShared.status());
        assertEquals(alone.testAccuracy(), fromShared.testAccuracy(), 1e-6);
        assertEquals(alone.testLoss(), fromShared.testLoss(), 1e-6);
        assertEquals(alone.trainAccuracy(), fromShared.trainAccuracy(), 1e-6);
        assertEquals(alone.macroF1(), fromShared.macroF1(), 1e-6);
        assertEquals(2, fromShared.epochs().size());
        for (int e = 0; e < 2; e++) {
            assertEquals(alone.epochs().get(e).trainLoss(), fromShared.epochs().get(e).trainLoss(), 1e-6);
            assertEquals(alone.epochs().get(e).testAccuracy(), fromShared.epochs().get(e).testAccuracy(), 1e-6);
        }
        assertEquals(Arrays.deepToString(alone.confusion().counts()),
                Arrays.deepToString(fromShared.confusion().counts()));
        // the 4-epoch row continues the same run
        assertEquals(4, shared.get(1).epochs().size());
        assertEquals(fromShared.epochs().get(1), shared.get(1).epochs().get(1));
        assertTrue(shared.get(1).trainSeconds() > fromShared.trainSeconds());
    }

    @Test
    void aTrialThatThrowsIsRecordedAsFailedWithTheReason() {
        // A kernel larger than the image (the sweep file validation would refuse it) makes DL4J throw.
        TrialConfig impossible = new TrialConfig(ModelFamily.CNN, List.of(16), ActivationKind.RELU, List.of(4),
                List.of(40), List.of(0), OptimizerKind.ADAM, 0, 1e-3, new BatchSize(64), 1, WeightInitKind.HE, 1,
                DatasetSpec.of(DatasetKind.FASHION_MNIST));
        TrialResult result = new TrialTrainer().train(impossible, data, HERE);
        assertEquals(TrialStatus.FAILED, result.status());
        assertTrue(result.error().contains("Exception"), result.error());
        assertTrue(result.epochs().isEmpty());
        assertNull(result.confusion());
    }

    @Test
    void aNetworkTooLargeForMemoryIsRecordedAsFailed() {
        // 784-65536-65536-10: 4.3 billion parameters, 17 GB of floats: more than this JVM may allocate
        TrialConfig huge = new TrialConfig(ModelFamily.MLP, List.of(65536, 65536), ActivationKind.RELU, List.of(),
                List.of(), List.of(), OptimizerKind.SGD, 0, 0.1, new BatchSize(32), 1, WeightInitKind.HE, 1,
                DatasetSpec.of(DatasetKind.FASHION_MNIST));
        TrialResult result = new TrialTrainer().train(huge, data, HERE);
        assertEquals(TrialStatus.FAILED, result.status());
        assertTrue(result.error().toLowerCase().contains("memory") || result.error().contains("allocat"),
                result.error());
    }

    @Test
    void aTrialOverItsTimeLimitIsRecordedAsTimedOut() {
        TrialResult result = new TrialTrainer(Duration.ofMillis(1)).train(mlp(0.05, 50), data, HERE);
        assertEquals(TrialStatus.TIMED_OUT, result.status());
        assertTrue(result.error().startsWith("exceeded the timeout of 0.001s in epoch 1"), result.error());
        assertNull(result.testAccuracy());
    }

    @Test
    void hugeLearningRateIsRecordedAsDiverged() {
        TrialResult result = new TrialTrainer().train(mlp(1e12, 2), data, HERE);
        assertEquals(TrialStatus.DIVERGED, result.status());
        assertTrue(result.error().contains("loss became"), result.error());
        assertNull(result.testAccuracy());
        assertNotNull(result.startedAt());
    }

    /** One trial trained from {@code from} (null: scratch) to {@code toEpoch}, keeping a checkpoint there. */
    private TrialTrainer.Stretch stretch(TrialTrainer trainer, TrialConfig trial, TrialTrainer.Checkpoint from,
            int toEpoch) {
        return trainer.trainStretch(new TrialGroup(List.of(trial)), data, HERE, from, toEpoch, true);
    }
}
