package io.sparksweep.grid;

import io.sparksweep.spec.SpecException;
import io.sparksweep.spec.SweepFileLoader;
import io.sparksweep.spec.SweepSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomSamplerTest {
    private static SweepSpec spec(String body) {
        return SweepFileLoader.parse("test.yaml", "name: r\ndataset: fashion-mnist\nmethod: random\n" + body);
    }

    private static final String SPACE = """
            trials: 3000
            max_trials: 3000
            parameters:
              model: mlp
              learning_rate: {log_uniform: [1.0e-4, 0.1]}
              batch_size: {q_log_uniform: [16, 1024]}
              hidden_layers: {int_uniform: [10, 13]}
              optimizer: [sgd, adam]
              momentum: {uniform: [0.5, 0.9]}
            """;

    @Test
    void theSameFileAndSeedGiveTheSameTrialsInTheSameOrder() {
        List<String> a = GridExpander.expand(spec(SPACE + "sampler_seed: 7\n")).stream().map(TrialConfig::trialId)
                .toList();
        List<String> b = GridExpander.expand(spec(SPACE + "sampler_seed: 7\n")).stream().map(TrialConfig::trialId)
                .toList();
        assertEquals(3000, a.size());
        assertEquals(a, b);
        assertEquals(3000, a.stream().distinct().count());
        List<String> other = GridExpander.expand(spec(SPACE + "sampler_seed: 8\n")).stream()
                .map(TrialConfig::trialId).toList();
        assertNotEquals(a.subList(0, 10), other.subList(0, 10));
    }

    @Test
    void drawsFollowTheirDistributions() {
        List<TrialConfig> trials = GridExpander.expand(spec(SPACE));
        // log-uniform over three decades: about a third of the draws in each
        Map<Integer, Long> perDecade = trials.stream().collect(Collectors.groupingBy(
                t -> (int) Math.floor(Math.log10(t.learningRate())), TreeMap::new, Collectors.counting()));
        assertEquals(List.of(-4, -3, -2), List.copyOf(perDecade.keySet()));
        perDecade.values().forEach(n -> assertTrue(Math.abs(n - 1000) < 120, perDecade.toString()));
        // powers of two from 16 to 1024, each equally likely (7 values)
        Map<Integer, Long> batches = trials.stream().collect(Collectors.groupingBy(
                t -> t.batchSize().resolve(60_000), TreeMap::new, Collectors.counting()));
        assertEquals(List.of(16, 32, 64, 128, 256, 512, 1024), List.copyOf(batches.keySet()));
        batches.values().forEach(n -> assertTrue(Math.abs(n - 3000 / 7.0) < 90, batches.toString()));
        // whole numbers with both bounds included; the hidden-layer shorthand gives one layer
        Map<List<Integer>, Long> hidden = trials.stream().collect(Collectors.groupingBy(TrialConfig::hiddenLayers,
                Collectors.counting()));
        assertEquals(4, hidden.size(), hidden.toString());
        assertTrue(hidden.containsKey(List.of(10)) && hidden.containsKey(List.of(13)), hidden.toString());
        // a list is a choice; momentum applies to the momentum optimizer only, so it resolves to 0 here
        assertEquals(2, trials.stream().map(TrialConfig::optimizer).distinct().count());
        assertTrue(trials.stream().allMatch(t -> t.momentum() == 0.0));
    }

    @Test
    void badRandomSearchesAreRefusedNamingTheKey() {
        assertEquals("test.yaml: parameters.batch_size.log_uniform[0]: must be a whole number >= 1 or 'full', got 16.5",
                assertThrows(SpecException.class, () -> spec("trials: 3\nparameters: {batch_size: {log_uniform: "
                        + "[16.5, 64]}}\n")).getMessage());
        assertTrue(assertThrows(SpecException.class, () -> spec("parameters: {learning_rate: [0.1]}\n"))
                .getMessage().contains("trials: is required"));
        assertTrue(assertThrows(SpecException.class, () -> spec("trials: 2\nparameters: {learning_rate: "
                + "{normal: [0, 1]}}\n")).getMessage().contains("must be a value, a list, or one of choice, uniform"));
        assertTrue(assertThrows(SpecException.class, () -> SweepFileLoader.parse("g.yaml", "name: g\ndataset: "
                + "fashion-mnist\nparameters: {learning_rate: {log_uniform: [0.001, 0.1]}}\n")).getMessage()
                .contains("distributions need method: random"));
        SpecException tooSmall = assertThrows(SpecException.class,
                () -> GridExpander.expand(spec("trials: 5\nparameters: {learning_rate: [0.1, 0.01]}\n")));
        assertTrue(tooSmall.getMessage().contains("the space has only 2 distinct configurations, fewer than trials (5)"),
                tooSmall.getMessage());
    }
}
