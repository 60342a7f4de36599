package io.sparksweep.spec;

import io.sparksweep.data.Normalization;
import io.sparksweep.data.DataSource;
import io.sparksweep.data.DatasetKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import javax.script.ScriptEngineManager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepFileLoaderTest {
    static final String VALID = """
            name: kernel-sizes
            description: conv kernel sweep
            dataset: {name: fashion-mnist, normalize: centered, classes: [Dress, 2], train_limit: 5000, validation: none}
            metric: {name: macro_f1}
            method: grid
            seeds: [1, 2]
            parameters:
              model: [mlp, cnn]
              hidden_layers: [[64], [16, 16], 32]
              conv_channels: [[8, 12]]
              kernel_size: [3, [5, 4]]
              padding: 2
              optimizer: [sgd, momentum, adam]
              momentum: 0.8
              learning_rate: [1e-3, 0.1]
              batch_size: [10, full]
              epochs: [5, 20]
              weight_init: torch
              activation: tanh
            """;

    @Test
    void parsesEveryKey() {
        SweepSpec spec = SweepFileLoader.parse("s.yaml", VALID);
        assertEquals("kernel-sizes", spec.name());
        assertEquals(new DataSource.BuiltIn(DatasetKind.FASHION_MNIST), spec.dataset().source());
        assertEquals(Normalization.CENTERED, spec.dataset().normalize());
        assertEquals(List.of(3, 2), spec.dataset().classIndices());
        assertEquals(5000, spec.dataset().trainLimit());
        assertEquals(new MetricSpec(MetricSpec.Name.MACRO_F1, MetricSpec.Goal.MAXIMIZE), spec.metric());
        assertEquals(List.of(1L, 2L), spec.seeds());
        assertEquals(List.of(List.of(64), List.of(16, 16), List.of(32)), spec.grid().get(Param.HIDDEN_LAYERS));
        assertEquals(List.of(List.of(3), List.of(5, 4)), spec.grid().get(Param.KERNEL_SIZE));
        assertEquals(List.of(List.of(2)), spec.grid().get(Param.PADDING));
        assertEquals(List.of(0.001, 0.1), spec.grid().get(Param.LEARNING_RATE));
        assertEquals(List.of(new BatchSize(10), BatchSize.FULL), spec.grid().get(Param.BATCH_SIZE));
        assertEquals(List.of(WeightInitKind.TORCH), spec.grid().get(Param.WEIGHT_INIT));
        assertEquals(List.of(Param.MODEL, Param.HIDDEN_LAYERS, Param.CONV_CHANNELS, Param.KERNEL_SIZE, Param.PADDING,
                Param.OPTIMIZER, Param.MOMENTUM, Param.LEARNING_RATE, Param.BATCH_SIZE, Param.EPOCHS,
                Param.WEIGHT_INIT, Param.ACTIVATION), List.copyOf(spec.grid().keySet()));
        assertEquals(VALID, spec.text());
    }

    @Test
    void gridsAreSeparateGridsOverTheSharedParameters() {
        SweepSpec spec = SweepFileLoader.parse("s.yaml", """
                name: mixed
                dataset: fashion-mnist
                parameters: {optimizer: adam, learning_rate: 0.001, epochs: 10}
                grids:
                  - {model: cnn, conv_channels: [[8, 12]], kernel_size: [3, 4]}
                  - {model: mlp, hidden_layers: [[200]], learning_rate: [0.01, 0.1]}
                """);
        assertEquals(2, spec.grids().size());
        assertEquals(List.of(0.001), spec.grids().get(0).get(Param.LEARNING_RATE));
        assertEquals(List.of(0.01, 0.1), spec.grids().get(1).get(Param.LEARNING_RATE));
        assertEquals(List.of(OptimizerKind.ADAM), spec.grids().get(1).get(Param.OPTIMIZER));
        SpecException e = assertThrows(SpecException.class, () -> SweepFileLoader.parse("s.yaml",
                "name: a\ndataset: mnist\ngrids:\n  - {epochs: 1}\n  - {epoch: 2}\n"));
        assertTrue(e.getMessage().contains("grids[1].epoch: unknown key (did you mean 'epochs'?)"), e.getMessage());
    }

    /** Each bad input: the YAML, then text the one-line message must contain (key and value). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            unknown top key       | name: a\\ndataset: fashion-mnist\\nparamters: {epochs: 1}                | paramters: unknown key (did you mean 'parameters'?)
            unknown parameter     | name: a\\ndataset: fashion-mnist\\nparameters: {learning_rat: [0.1]}    | parameters.learning_rat: unknown key (did you mean 'learning_rate'?)
            missing name          | dataset: fashion-mnist\\nparameters: {epochs: 1}                        | name: is required
            missing parameters    | name: a\\ndataset: fashion-mnist                                         | parameters: is required
            empty parameters      | name: a\\ndataset: fashion-mnist\\nparameters: {}                        | parameters: must name at least one parameter
            bad name              | name: ../etc\\ndataset: fashion-mnist\\nparameters: {epochs: 1}          | name: must be 1-100 letters
            unknown dataset       | name: a\\ndataset: cifar\\nparameters: {epochs: 1}                       | dataset.name: must be one of fashion-mnist, mnist (your own data: dataset.images, dataset.idx or dataset.table), got 'cifar'
            class out of range    | name: a\\ndataset: {name: mnist, classes: [1, 10]}\\nparameters: {epochs: 1} | dataset.classes[1]: must be a class index 0-9
            unknown class name    | name: a\\ndataset: {name: fashion-mnist, classes: [Dress, Hat]}\\nparameters: {epochs: 1} | dataset.classes[1]: must be a class index 0-9 or a class name of fashion-mnist
            one class             | name: a\\ndataset: {name: fashion-mnist, classes: [3]}\\nparameters: {epochs: 1} | dataset.classes: must name at least two classes
            repeated class        | name: a\\ndataset: {name: fashion-mnist, classes: [3, Dress]}\\nparameters: {epochs: 1} | dataset.classes[1]: class listed twice
            zero train limit      | name: a\\ndataset: {name: fashion-mnist, train_limit: 0}\\nparameters: {epochs: 1} | dataset.train_limit: must be a whole number >= 1, got 0
            bad normalize         | name: a\\ndataset: {name: fashion-mnist, normalize: zscore}\\nparameters: {epochs: 1} | dataset.normalize: must be one of unit, centered, standardize, got 'zscore'
            negative lr           | name: a\\ndataset: fashion-mnist\\nparameters: {learning_rate: [0.1, -0.01]} | parameters.learning_rate[1]: must be > 0, got -0.01
            zero lr               | name: a\\ndataset: fashion-mnist\\nparameters: {learning_rate: 0}       | parameters.learning_rate: must be > 0, got 0
            text lr               | name: a\\ndataset: fashion-mnist\\nparameters: {learning_rate: fast}    | parameters.learning_rate: must be a finite number, got 'fast'
            zero batch            | name: a\\ndataset: fashion-mnist\\nparameters: {batch_size: [0]}        | parameters.batch_size[0]: must be a whole number >= 1, got 0
            fractional batch      | name: a\\ndataset: fashion-mnist\\nparameters: {batch_size: 6.5}        | parameters.batch_size: must be a whole number >= 1 or 'full', got 6.5
            zero epochs           | name: a\\ndataset: fashion-mnist\\nparameters: {epochs: [0]}            | parameters.epochs[0]: must be a whole number >= 1, got 0
            unknown model         | name: a\\ndataset: fashion-mnist\\nparameters: {model: [mlp, rnn]}      | parameters.model[1]: must be one of mlp, cnn, got 'rnn'
            softmax hidden        | name: a\\ndataset: fashion-mnist\\nparameters: {activation: softmax}    | parameters.activation: softmax is not a hidden activation
            flat conv channels    | name: a\\ndataset: fashion-mnist\\nparameters: {conv_channels: [8, 12]} | parameters.conv_channels[0]: each candidate must be a list of channel counts
            zero hidden size      | name: a\\ndataset: fashion-mnist\\nparameters: {hidden_layers: [[64, 0]]} | parameters.hidden_layers[0][1]: must be a whole number >= 1, got 0
            negative padding      | name: a\\ndataset: fashion-mnist\\nparameters: {padding: -1}            | parameters.padding: must be a whole number >= 0, got -1
            empty candidate list  | name: a\\ndataset: fashion-mnist\\nparameters: {epochs: []}             | parameters.epochs: has no candidate values
            repeated candidate    | name: a\\ndataset: fashion-mnist\\nparameters: {epochs: [5, 5]}         | parameters.epochs[1]: value listed twice, got 5
            momentum too big      | name: a\\ndataset: fashion-mnist\\nparameters: {momentum: 1.0}          | parameters.momentum: must be in [0, 1), got 1.0
            duplicate key         | name: a\\ndataset: fashion-mnist\\nparameters: {epochs: 1, epochs: 2}   | yaml: not valid YAML
            bad yaml              | name: a\\ndataset: [fashion-mnist\\nparameters: {epochs: 1}              | yaml: not valid YAML
            unknown method        | name: a\\ndataset: fashion-mnist\\nmethod: bayes\\nparameters: {epochs: 1} | method: must be one of grid, random, halving, tpe, got 'bayes'
            halving sets epochs   | name: a\\ndataset: fashion-mnist\\nmethod: halving\\nhalving: {max_epochs: 9}\\nparameters: {epochs: [1, 3]} | parameters: sets epochs, but under halving the epochs are the resource
            halving without rungs | name: a\\ndataset: fashion-mnist\\nmethod: halving\\nparameters: {learning_rate: 0.1} | halving: is required
            halving min above max | name: a\\ndataset: fashion-mnist\\nmethod: halving\\nhalving: {min_epochs: 5, max_epochs: 3}\\nparameters: {learning_rate: 0.1} | halving.min_epochs: must be at most max_epochs (3), got 5
            halving eta of one    | name: a\\ndataset: fashion-mnist\\nmethod: halving\\nhalving: {max_epochs: 9, eta: 1}\\nparameters: {learning_rate: 0.1} | halving.eta: must be a whole number >= 2, got 1
            halving on a grid     | name: a\\ndataset: fashion-mnist\\nhalving: {max_epochs: 9}\\nparameters: {learning_rate: 0.1} | halving: is for method: halving
            halving early stops   | name: a\\ndataset: fashion-mnist\\nmethod: halving\\nhalving: {max_epochs: 9}\\nearly_stopping: {patience: 2}\\nparameters: {learning_rate: 0.1} | early_stopping: is for sweeps without a scheduler
            trials on a grid      | name: a\\ndataset: fashion-mnist\\ntrials: 5\\nparameters: {learning_rate: 0.1} | trials: is for method: random
            early stop on f1      | name: a\\ndataset: {name: fashion-mnist, validation: none}\\nmetric: {name: macro_f1}\\nearly_stopping: {patience: 2}\\nparameters: {epochs: 3} | early_stopping: watches the metric after every epoch
            repeated seed         | name: a\\ndataset: fashion-mnist\\nseeds: [1, 1]\\nparameters: {epochs: 1} | seeds[1]: seed listed twice, got 1
            parameters not a map  | name: a\\ndataset: fashion-mnist\\nparameters: [epochs]                  | parameters: must be a mapping of names to values
            java type tag         | name: a\\ndataset: !!ScriptEngineManager []\\nparameters: {epochs: 1} | yaml: not valid YAML
            """)
    void badInputGetsOneMessageNamingFileKeyAndValue(String what, String yaml, String expected) {
        SpecException e = assertThrows(SpecException.class,
                () -> SweepFileLoader.parse("bad.yaml", yaml.replace("\\n", "\n")));
        assertTrue(e.getMessage().startsWith("bad.yaml: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), what + ": " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
}
