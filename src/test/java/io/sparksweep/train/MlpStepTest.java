package io.sparksweep.train;

import io.sparksweep.TestData;
import io.sparksweep.data.DatasetKind;
import io.sparksweep.grid.TrialConfig;
import io.sparksweep.model.NetworkFactory;
import io.sparksweep.spec.ActivationKind;
import io.sparksweep.spec.BatchSize;
import io.sparksweep.data.DatasetSpec;
import io.sparksweep.spec.ModelFamily;
import io.sparksweep.spec.OptimizerKind;
import io.sparksweep.spec.WeightInitKind;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The direct MLP step must train exactly like DL4J's own {@code fit}: same weights, same optimizer state, same loss,
 * step after step, for every optimizer and activation a sweep can choose.
 */
class MlpStepTest {
    private static final int STEPS = 30;
    private static TrainingData data;

    @BeforeAll
    static void load() {
        NativeRuntime.configure(1);
        data = TrainingData.of(TestData.fashionSubset(2000, 10));
    }

    static Stream<Arguments> networks() {
        List<Arguments> cases = new ArrayList<>();
        for (OptimizerKind optimizer : OptimizerKind.values()) {
            for (ActivationKind activation : ActivationKind.values()) {
                cases.add(Arguments.of(optimizer, activation));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("networks")
    void trainsLikeDl4jFit(OptimizerKind optimizer, ActivationKind activation) {
        double lr = optimizer == OptimizerKind.ADAM ? 0.003 : 0.05;
        // Two hidden layers, so the backward pass goes through a hidden-to-hidden layer too.
        TrialConfig trial = new TrialConfig(ModelFamily.MLP, List.of(24, 12), activation, List.of(), List.of(),
                List.of(), optimizer, optimizer == OptimizerKind.MOMENTUM ? 0.9 : 0, lr, new BatchSize(50), 1,
                WeightInitKind.HE, 5, DatasetSpec.of(DatasetKind.FASHION_MNIST));
        MultiLayerNetwork reference = NetworkFactory.build(trial, data.shape(), data.numClasses());
        MultiLayerNetwork direct = NetworkFactory.build(trial, data.shape(), data.numClasses());
        assertEquals(reference.params(), direct.params(), "same seed, same initial weights");
        assertTrue(MlpStep.supports(direct, trial));
        MlpStep step = new MlpStep(direct, trial, data, 50);

        int n = data.trainCount();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(3);
        INDArray features = Nd4j.create(data.trainFeatures().dataType(), 50, data.trainFeatures().columns());
        INDArray labels = Nd4j.create(data.trainOneHot().dataType(), 50, data.trainOneHot().columns());
        for (int s = 0; s < STEPS; s++) {
            // Random batches, and a short one now and then, as at the end of an epoch.
            int count = s % 7 == 6 ? 17 : 50;
            for (int i = 0; i < count; i++) {
                int j = i + random.nextInt(n - i);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            int[] rows = Arrays.copyOf(order, count);
            INDArray f = count == 50 ? features : Nd4j.create(features.dataType(), count, features.columns());
            INDArray l = count == 50 ? labels : Nd4j.create(labels.dataType(), count, labels.columns());
            Nd4j.pullRows(data.trainFeatures(), f, 1, rows);
            Nd4j.pullRows(data.trainOneHot(), l, 1, rows);
            reference.fit(f, l);
            double loss = step.fit(order, 0, count);
            assertEquals(reference.score(), loss, 1e-4 * Math.max(1, Math.abs(loss)), "loss at step " + (s + 1));
        }
        step.sync();
        assertEquals(reference.getIterationCount(), direct.getIterationCount());
        assertClose(reference.params(), direct.params(), "weights after " + STEPS + " steps");
        if (optimizer != OptimizerKind.SGD) {
            assertClose(reference.getUpdater().getStateViewArray(), direct.getUpdater().getStateViewArray(),
                    "optimizer state after " + STEPS + " steps");
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double scale = expected.amaxNumber().doubleValue();
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-4 * scale, what + ": largest difference " + diff + " (largest value " + scale + ")");
        assertTrue(expected.sub(actual).norm2Number().doubleValue() <= 5e-5 * expected.norm2Number().doubleValue()
                + 1e-12, what + ": relative norm of the difference " + expected.sub(actual).norm2Number() + " of " + expected.norm2Number());
    }
}
