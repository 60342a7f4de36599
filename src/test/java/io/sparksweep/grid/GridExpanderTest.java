package io.sparksweep.grid;

import io.sparksweep.spec.BatchSize;
import io.sparksweep.spec.ModelFamily;
import io.sparksweep.spec.SpecException;
import io.sparksweep.spec.SweepFileLoader;
import io.sparksweep.spec.SweepSpec;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GridExpanderTest {
    private static List<TrialConfig> expand(String parameters) {
        return GridExpander.expand(spec(parameters, ""));
    }

    private static SweepSpec spec(String parameters, String extra) {
        return SweepFileLoader.parse("g.yaml", "name: g\ndataset: {name: fashion-mnist, validation: none}\n" + extra + "parameters:\n"
                + parameters);
    }

    @Test
    void cartesianProductInFileOrderWithTheFirstParameterSlowest() {
        List<TrialConfig> trials = expand("""
                  learning_rate: [0.1, 0.01]
                  batch_size: [10, 20, full]
                """);
        assertEquals(6, trials.size());
        assertEquals(List.of(0.1, 0.1, 0.1, 0.01, 0.01, 0.01), trials.stream().map(TrialConfig::learningRate).toList());
        assertEquals(List.of(new BatchSize(10), new BatchSize(20), BatchSize.FULL, new BatchSize(10),
                new BatchSize(20), BatchSize.FULL), trials.stream().map(TrialConfig::batchSize).toList());
    }

    @Test
    void seedsVaryFastestAndDefaultsFillTheRest() {
        List<TrialConfig> trials = GridExpander.expand(spec("  epochs: [1, 2]\n", "seeds: [7, 8]\n"));
        assertEquals(List.of(7L, 8L, 7L, 8L), trials.stream().map(TrialConfig::seed).toList());
        assertEquals(List.of(128), trials.get(0).hiddenLayers());
        assertEquals(ModelFamily.MLP, trials.get(0).model());
    }

    @Test
    void parametersThatDoNotApplyToAModelDoNotMultiplyItsTrials() {
        List<TrialConfig> trials = expand("""
                  model: [mlp, cnn]
                  conv_channels: [[8, 12]]
                  kernel_size: [3, 5, 7]
                  optimizer: [sgd, momentum]
                  momentum: [0.5, 0.9]
                """);
        // mlp: sgd + momentum x 2 values = 3; cnn: 3 kernels x 3 = 9
        assertEquals(12, trials.size());
        List<TrialConfig> mlps = trials.stream().filter(t -> t.model() == ModelFamily.MLP).toList();
        assertEquals(3, mlps.size());
        assertTrue(mlps.stream().allMatch(t -> t.kernelSizes().isEmpty() && t.convChannels().isEmpty()));
        assertEquals(0.0, mlps.get(0).momentum());
        assertEquals(List.of(7, 7), trials.get(trials.size() - 1).kernelSizes());
    }

    @Test
    void trialIdsAreStableAcrossParsesAndDistinctAcrossTrials() {
        String grid = "  learning_rate: [0.1, 0.01]\n  hidden_layers: [[16], [16, 16]]\n";
        List<TrialConfig> first = expand(grid);
        List<TrialConfig> second = expand(grid);
        assertEquals(first.stream().map(TrialConfig::trialId).toList(),
                second.stream().map(TrialConfig::trialId).toList());
        assertEquals(4, new HashSet<>(first.stream().map(TrialConfig::trialId).toList()).size());
        // a different seed or dataset option is a different trial
        TrialConfig other = GridExpander.expand(spec(grid, "seeds: [2]\n")).get(0);
        assertNotEquals(first.get(0).trialId(), other.trialId());
        // Pinned: ids are how resume recognises finished trials, so their derivation must never change.
        assertEquals("model=mlp;hidden_layers=[16];activation=relu;conv_channels=[];kernel_size=[];padding=[];"
                + "optimizer=adam;momentum=0.0;learning_rate=0.1;batch_size=64;epochs=10;weight_init=he;seed=1;"
                + "dataset=fashion-mnist", first.get(0).canonical());
        assertEquals("9e6fbcf54c664653", first.get(0).trialId()); // sha256 of the line above, first 8 bytes
    }

    @Test
    void gridsAreExpandedOneAfterTheOtherWithoutMultiplyingOut() {
        List<TrialConfig> trials = GridExpander.expand(SweepFileLoader.parse("g.yaml", """
                name: g
                dataset: fashion-mnist
                parameters: {optimizer: adam, epochs: [5, 10]}
                grids:
                  - {model: cnn, conv_channels: [[8, 12]], kernel_size: [[5, 3], [5, 4]], padding: [[0, 2]]}
                  - {model: cnn, conv_channels: [[40, 80]], kernel_size: 3, padding: [[1, 0]], hidden_layers: [[800]]}
                  - {model: mlp, hidden_layers: [[200]]}
                """));
        assertEquals(8, trials.size());
        // shared keys come first, so epochs (shared) varies slower than the kernel sizes (per grid)
        assertEquals(List.of(List.of(5, 3), List.of(5, 4), List.of(5, 3), List.of(5, 4), List.of(3, 3), List.of(3, 3),
                List.of(), List.of()), trials.stream().map(TrialConfig::kernelSizes).toList());
        // trials that differ only in epochs form one training run each
        List<TrialGroup> groups = TrialGroup.of(trials);
        assertEquals(4, groups.size());
        assertEquals(List.of(5, 10), groups.get(3).trials().stream().map(TrialConfig::epochs).toList());
        assertEquals(10, groups.get(0).longest().epochs());
    }

    @Test
    void cnnKernelThatDoesNotFitIsRejectedWithTheComputedSizes() {
        SpecException e = assertThrows(SpecException.class, () -> expand("""
                  model: cnn
                  conv_channels: [[8, 12]]
                  kernel_size: [[5, 13]]
                """));
        assertTrue(e.getMessage().startsWith("g.yaml: parameters.kernel_size: kernel sizes [5, 13]"), e.getMessage());
        assertTrue(e.getMessage().contains("kernel 13 does not fit conv layer 2: its input is 12x12"), e.getMessage());
        assertTrue(e.getMessage().contains("28x28 -conv k5 p0-> 24x24 -pool-> 12x12 -conv k13 p0-> 0x0"),
                e.getMessage());
    }

    @Test
    void perLayerListsMustMatchTheConvLayers() {
        SpecException e = assertThrows(SpecException.class, () -> expand("""
                  model: cnn
                  conv_channels: [[8, 12]]
                  padding: [[1, 1, 1]]
                """));
        assertTrue(e.getMessage().contains("parameters.padding: [1, 1, 1] has 3 entries but conv_channels [8, 12]"),
                e.getMessage());
    }

    @Test
    void gridsOverTheLimitAreRefusedWithTheCount() {
        SpecException e = assertThrows(SpecException.class, () -> GridExpander.expand(spec(
                "  epochs: [1, 2, 3, 4]\n  learning_rate: [0.1, 0.2, 0.3]\n", "max_trials: 10\n")));
        assertTrue(e.getMessage().contains("the grid has 12 points, more than max_trials (10)"), e.getMessage());
    }
}
