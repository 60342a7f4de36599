package io.sparksweep.train;

import io.sparksweep.TestData;
import io.sparksweep.data.DatasetKind;
import io.sparksweep.data.DatasetSpec;
import io.sparksweep.data.InputShape;
import io.sparksweep.grid.TrialConfig;
import io.sparksweep.model.NetworkFactory;
import io.sparksweep.spec.ActivationKind;
import io.sparksweep.spec.BatchSize;
import io.sparksweep.spec.ModelFamily;
import io.sparksweep.spec.OptimizerKind;
import io.sparksweep.spec.WeightInitKind;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The oneDNN forward pass gives DL4J's own outputs: for every activation and for kernels, paddings and channel
 * counts a sweep can ask for, on real test images, after the network has trained a few steps (so its weights and
 * biases are not their initial values), in a full and a short batch.
 */
class CnnStepForwardTest {
    private static TrainingData data;

    @BeforeAll
    static void load() {
        NativeRuntime.configure(1);
        data = TrainingData.of(TestData.fashionSubset(600, 300));
    }

    static Stream<Arguments> networks() {
        return Stream.of(
                Arguments.of(ActivationKind.RELU, List.of(8, 12), List.of(5, 5), List.of(0, 2), List.of(32)),
                Arguments.of(ActivationKind.LEAKYRELU, List.of(8, 16), List.of(3, 3), List.of(1, 1), List.of(16)),
                Arguments.of(ActivationKind.TANH, List.of(4), List.of(7), List.of(3), List.of(16, 8)),
                Arguments.of(ActivationKind.SIGMOID, List.of(6, 6), List.of(3, 4), List.of(0, 1), List.of(10)),
                Arguments.of(ActivationKind.ELU, List.of(5, 7, 9), List.of(3, 3, 2), List.of(1, 0, 1), List.of(20)),
                // the wide seed CNN's shape: oneDNN evaluates its second convolution by Winograd
                Arguments.of(ActivationKind.RELU, List.of(40, 80), List.of(3, 3), List.of(1, 0), List.of(64)));
    }

    @ParameterizedTest
    @MethodSource("networks")
    void givesDl4jsOutputs(ActivationKind activation, List<Integer> channels, List<Integer> kernels,
            List<Integer> padding, List<Integer> hidden) {
        TrialConfig trial = new TrialConfig(ModelFamily.CNN, hidden, activation, channels, kernels, padding,
                OptimizerKind.ADAM, 0, 0.01, new BatchSize(50), 1, WeightInitKind.HE, 3,
                DatasetSpec.of(DatasetKind.FASHION_MNIST));
        MultiLayerNetwork net = NetworkFactory.build(trial, InputShape.image(1, 28, 28), 10);
        for (int step = 0; step < 3; step++) { // biases and weights away from their initial values
            net.fit(data.trainFeatures().get(NDArrayIndex.interval(step * 50, step * 50 + 50), NDArrayIndex.all())
                    .dup(), data.trainOneHot().get(NDArrayIndex.interval(step * 50, step * 50 + 50),
                    NDArrayIndex.all()).dup());
        }
        assertTrue(CnnStep.supports(net, trial));
        Evaluator.Predictor forward = CnnStep.predictor(net, trial);
        INDArray test = data.testFeatures();
        for (int[] range : new int[][] {{0, 256}, {256, 300}}) {
            float[] ours = forward.probabilities(test, range[0], range[1]);
            float[] theirs = net.output(test.get(NDArrayIndex.interval(range[0], range[1]), NDArrayIndex.all()), false)
                    .data().asFloat();
            assertEquals(theirs.length, ours.length);
            double worst = 0;
            for (int i = 0; i < ours.length; i++) {
                worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
            }
            assertTrue(worst < 1e-5, activation + " " + channels + ": probabilities differ by " + worst);
        }
    }
}
