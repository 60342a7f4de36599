package io.sparksweep.train;

import io.sparksweep.TestData;
import io.sparksweep.data.DataPreparer;
import io.sparksweep.data.DataSource;
import io.sparksweep.data.DatasetKind;
import io.sparksweep.data.DatasetSpec;
import io.sparksweep.data.Normalization;
import io.sparksweep.data.Validation;
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
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The direct CNN step must train like DL4J's own {@code fit}: the same loss, weights and optimizer state after each
 * of 30 steps, for every optimizer and activation, over kernels, paddings and depths a sweep can ask for.
 */
class CnnStepTest {
    private static final int STEPS = 30;
    private static final int BATCH = 32;
    private static TrainingData data;

    @BeforeAll
    static void load() {
        NativeRuntime.configure(1);
        data = TrainingData.of(TestData.fashionSubset(1000, 10));
        // Faint noise on the (copied) images. Fashion-MNIST's black background makes every pooling window there a
        // tie of equal maxima, and DL4J's max-pooling gradient breaks ties differently from oneDNN's: both are
        // valid subgradients, but which one is taken changes the conv weights' gradient near padded edges, and
        // Adam and momentum amplify that from step to step. This test is about the arithmetic; the whole-trial
        // test below trains on the real images.
        Nd4j.getRandom().setSeed(7);
        data.trainFeatures().addi(Nd4j.rand(data.trainFeatures().dataType(), data.trainFeatures().shape()).muli(1e-2));
    }

    /** Every optimizer with every activation; the geometries rotate so each is met with several of both. */
    static Stream<Arguments> networks() {
        List<List<List<Integer>>> geometries = List.of(
                List.of(List.of(8, 12), List.of(5, 5), List.of(0, 2)),
                List.of(List.of(6, 16), List.of(3, 3), List.of(1, 1)),
                List.of(List.of(4), List.of(7), List.of(3)),
                List.of(List.of(5, 7, 9), List.of(3, 3, 2), List.of(1, 0, 1)));
        List<Arguments> cases = new ArrayList<>();
        int i = 0;
        for (OptimizerKind optimizer : OptimizerKind.values()) {
            for (ActivationKind activation : ActivationKind.values()) {
                List<List<Integer>> g = geometries.get(i++ % geometries.size());
                cases.add(Arguments.of(optimizer, activation, g.get(0), g.get(1), g.get(2)));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} k{3} p{4}")
    @MethodSource("networks")
    void trainsLikeDl4jFit(OptimizerKind optimizer, ActivationKind activation, List<Integer> channels,
            List<Integer> kernels, List<Integer> padding) {
        TrialConfig trial = trial(optimizer, activation, channels, kernels, padding);
        MultiLayerNetwork reference = NetworkFactory.build(trial, data.shape(), data.numClasses());
        MultiLayerNetwork direct = NetworkFactory.build(trial, data.shape(), data.numClasses());
        assertEquals(reference.params(), direct.params(), "same seed, same initial weights");
        assertTrue(CnnStep.supports(direct, trial));
        try (CnnStep step = new CnnStep(direct, trial, data, BATCH)) {
            trainSideBySide(data, reference, direct, step, optimizer != OptimizerKind.SGD);
            step.sync();
        }
        assertEquals(reference.getIterationCount(), direct.getIterationCount());
    }

    /**
     * Colour and non-square images: three input channels (each class tinted its own colour) cut to 24x28, so the
     * first convolution reads C = 3 planes and every feature map is taller than wide or the other way round.
     */
    @ParameterizedTest(name = "3x24x28 {0}")
    @MethodSource("colourNetworks")
    void trainsColourNonSquareImagesLikeDl4jFit(OptimizerKind optimizer, List<Integer> channels,
            List<Integer> kernels, List<Integer> padding) {
        TrainingData colour = TrainingData.of(DataPreparer.prepare(TestData.colourFashion(1000, 10, 24, 28),
                new DatasetSpec(new DataSource.Images("test", null, 0.2, null, null, false, 1L << 30),
                        Normalization.UNIT, List.of(), 0, 0, Validation.NONE,
                        TestData.colourFashion(1, 1, 24, 28).schema())));
        Nd4j.getRandom().setSeed(11);
        colour.trainFeatures().addi(Nd4j.rand(colour.trainFeatures().dataType(), colour.trainFeatures().shape())
                .muli(1e-2));
        TrialConfig trial = trial(optimizer, ActivationKind.RELU, channels, kernels, padding);
        MultiLayerNetwork reference = NetworkFactory.build(trial, colour.shape(), colour.numClasses());
        MultiLayerNetwork direct = NetworkFactory.build(trial, colour.shape(), colour.numClasses());
        assertTrue(CnnStep.supports(direct, trial));
        try (CnnStep step = new CnnStep(direct, trial, colour, BATCH)) {
            trainSideBySide(colour, reference, direct, step, optimizer != OptimizerKind.SGD);
            // the forward pass alone (evaluation, predict) reads the three planes as DL4J's does
            direct.params().assign(reference.params());
            assertClose(reference.output(colour.testFeatures(), false), Nd4j.create(step.probabilities(
                    colour.testFeatures(), 0, 10), new long[] {10, colour.numClasses()}), "forward pass");
        }
    }

    static Stream<Arguments> colourNetworks() {
        return Stream.of(Arguments.of(OptimizerKind.ADAM, List.of(6, 10), List.of(3, 5), List.of(1, 0)),
                Arguments.of(OptimizerKind.MOMENTUM, List.of(8), List.of(5), List.of(2)));
    }

    static TrialConfig trial(OptimizerKind optimizer, ActivationKind activation, List<Integer> channels,
            List<Integer> kernels, List<Integer> padding) {
        double lr = switch (optimizer) {
            case SGD -> 0.05;
            case MOMENTUM -> 0.02;
            case ADAM -> 0.003;
        };
        return new TrialConfig(ModelFamily.CNN, List.of(16), activation, channels, kernels, padding, optimizer,
                optimizer == OptimizerKind.MOMENTUM ? 0.9 : 0, lr, new BatchSize(BATCH), 1, WeightInitKind.HE, 5,
                DatasetSpec.of(DatasetKind.FASHION_MNIST));
    }

    /**
     * Random batches, a short one now and then as at the end of an epoch. Before each step the direct copy takes
     * the reference's weights and optimizer state, so every step is compared from the same point of a real
     * trajectory: left to run apart, two ReLU CNNs whose kernels round differently drift apart after 15-25 steps
     * (units whose pre-activation is within rounding of 0 switch, and the difference grows about 3x a step),
     * which says nothing about whether the step computes what fit computes. The whole-trial agreement is in
     * TrialTrainerTest.
     */
    private static void trainSideBySide(TrainingData data, MultiLayerNetwork reference, MultiLayerNetwork direct,
            CnnStep step, boolean stateful) {
        int n = data.trainCount();
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        Random random = new Random(3);
        for (int s = 0; s < STEPS; s++) {
            int count = s % 7 == 6 ? 11 : BATCH;
            for (int i = 0; i < count; i++) {
                int j = i + random.nextInt(n - i);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            int[] rows = Arrays.copyOf(order, count);
            INDArray f = Nd4j.create(data.trainFeatures().dataType(), count, data.trainFeatures().columns());
            INDArray l = Nd4j.create(data.trainOneHot().dataType(), count, data.trainOneHot().columns());
            Nd4j.pullRows(data.trainFeatures(), f, 1, rows);
            Nd4j.pullRows(data.trainOneHot(), l, 1, rows);
            direct.params().assign(reference.params());
            if (stateful) {
                direct.getUpdater().getStateViewArray().assign(reference.getUpdater().getStateViewArray());
            }
            reference.fit(f, l);
            double loss = step.fit(order, 0, count);
            String at = " at step " + (s + 1);
            assertEquals(reference.score(), loss, 1e-4 * Math.max(1, Math.abs(loss)), "loss" + at);
            assertClose(reference.params(), direct.params(), "weights" + at);
            if (stateful) {
                assertClose(reference.getUpdater().getStateViewArray(), direct.getUpdater().getStateViewArray(),
                        "optimizer state" + at);
            }
        }
    }

    static void assertClose(INDArray expected, INDArray actual, String what) {
        double scale = expected.amaxNumber().doubleValue();
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-4 * scale, what + ": largest difference " + diff + " (largest value " + scale + ")");
    }
}
