package io.sparksweep.grid;

import io.sparksweep.data.InputShape;
import io.sparksweep.spec.ActivationKind;
import io.sparksweep.spec.BatchSize;
import io.sparksweep.spec.ModelFamily;
import io.sparksweep.spec.OptimizerKind;
import io.sparksweep.spec.Param;
import io.sparksweep.spec.SpecException;
import io.sparksweep.spec.SweepSpec;
import io.sparksweep.spec.WeightInitKind;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Expands a sweep's grids into trials: per grid, the cartesian product of the candidate lists in file order (the
 * first parameter varies slowest, seeds fastest), grid after grid. Parameters that do not apply to a trial's model are dropped, and grid
 * points that resolve to the same trial are kept once, in first-seen order. Every trial is checked (layer counts,
 * CNN geometry) here, before anything runs. Builds only: no Spark, no DL4J.
 */
public final class GridExpander {
    private GridExpander() {
    }

    /** The sweep's trials in order: the grid's points, or a random search's draws (see {@link RandomSampler}). */
    public static List<TrialConfig> expand(SweepSpec spec) {
        if (spec.random() != null) {
            return RandomSampler.draw(spec);
        }
        long points = 0;
        for (Map<Param, List<Object>> grid : spec.grids()) {
            points = Math.min(Long.MAX_VALUE / 2, points + points(grid, spec.seeds().size()));
        }
        if (points > spec.maxTrials()) {
            throw new SpecException(spec.source(), spec.grids().size() == 1 ? "parameters" : "grids",
                    "the grid has " + points + " points, more than max_trials (" + spec.maxTrials()
                            + "): narrow the lists or raise max_trials");
        }
        Map<String, TrialConfig> trials = new LinkedHashMap<>();
        for (int i = 0; i < spec.grids().size(); i++) {
            expand(spec, spec.grids().size() == 1 ? "parameters" : "grids[" + i + "]", spec.grids().get(i), trials);
        }
        return Collections.unmodifiableList(new ArrayList<>(trials.values()));
    }

    private static long points(Map<Param, List<Object>> grid, long seeds) {
        long points = seeds;
        for (List<Object> candidates : grid.values()) {
            points = Math.multiplyHigh(points, candidates.size()) != 0 ? Long.MAX_VALUE / 2
                    : Math.min(Long.MAX_VALUE / 2, points * candidates.size());
        }
        return points;
    }

    private static void expand(SweepSpec spec, String path, Map<Param, List<Object>> grid,
            Map<String, TrialConfig> trials) {
        List<Param> swept = new ArrayList<>(grid.keySet());
        int[] index = new int[swept.size()];
        while (true) {
            Map<Param, Object> values = new EnumMap<>(Param.class);
            for (Param p : Param.values()) {
                values.put(p, p.defaultValue());
            }
            for (int i = 0; i < swept.size(); i++) {
                values.put(swept.get(i), grid.get(swept.get(i)).get(index[i]));
            }
            for (long seed : spec.seeds()) {
                TrialConfig trial = resolve(spec, path, values, seed);
                trials.putIfAbsent(trial.trialId(), trial);
            }
            if (!advance(index, swept, grid)) {
                return;
            }
        }
    }

    /** Odometer over the candidate lists, last parameter fastest. */
    private static boolean advance(int[] index, List<Param> swept, Map<Param, List<Object>> grid) {
        for (int i = index.length - 1; i >= 0; i--) {
            if (++index[i] < grid.get(swept.get(i)).size()) {
                return true;
            }
            index[i] = 0;
        }
        return false;
    }

    /**
     * The trial of one point's values (every parameter set) and seed, checked as a grid's trial is: layer counts,
     * CNN geometry. {@code path} names where the values came from in messages.
     */
    @SuppressWarnings("unchecked")
    public static TrialConfig resolve(SweepSpec spec, String path, Map<Param, Object> values, long seed) {
        ModelFamily model = (ModelFamily) values.get(Param.MODEL);
        OptimizerKind optimizer = (OptimizerKind) values.get(Param.OPTIMIZER);
        List<Integer> channels = List.of();
        List<Integer> kernels = List.of();
        List<Integer> padding = List.of();
        if (model == ModelFamily.CNN) {
            channels = (List<Integer>) values.get(Param.CONV_CHANNELS);
            kernels = perLayer(spec, path, Param.KERNEL_SIZE, (List<Integer>) values.get(Param.KERNEL_SIZE), channels);
            padding = perLayer(spec, path, Param.PADDING, (List<Integer>) values.get(Param.PADDING), channels);
            checkGeometry(spec, path, kernels, padding);
        }
        double momentum = optimizer == OptimizerKind.MOMENTUM ? (Double) values.get(Param.MOMENTUM) : 0.0;
        return new TrialConfig(model, (List<Integer>) values.get(Param.HIDDEN_LAYERS),
                (ActivationKind) values.get(Param.ACTIVATION), channels, kernels, padding, optimizer, momentum,
                (Double) values.get(Param.LEARNING_RATE), (BatchSize) values.get(Param.BATCH_SIZE),
                (Integer) values.get(Param.EPOCHS), (WeightInitKind) values.get(Param.WEIGHT_INIT), seed,
                spec.dataset());
    }

    /**
     * A CNN needs images, and its kernels must fit them: the data's real size, known once it is read. Before that
     * (a sweep of your own data that {@code simulate} replays, say) there is nothing to check against; {@code run}
     * binds the data before it plans a trial.
     */
    private static void checkGeometry(SweepSpec spec, String path, List<Integer> kernels, List<Integer> padding) {
        if (!spec.dataset().bound()) {
            return;
        }
        InputShape shape = spec.dataset().shape();
        if (!shape.image()) {
            throw new SpecException(spec.source(), path + ".model", "a cnn reads images, and the table's rows are "
                    + shape.describe() + ": give dataset.table.image_shape: [C, H, W] to read them as images");
        }
        CnnGeometry.problem(shape.height(), shape.width(), kernels, padding).ifPresent(problem -> {
            throw new SpecException(spec.source(), path + ".kernel_size", "kernel sizes " + kernels + " with padding "
                    + padding + " on " + shape.height() + "x" + shape.width() + " images: " + problem);
        });
    }

    /** One value per conv layer: a single value applies to every layer, a list must match the layer count. */
    private static List<Integer> perLayer(SweepSpec spec, String path, Param param, List<Integer> value,
            List<Integer> channels) {
        if (value.size() == 1) {
            return Collections.nCopies(channels.size(), value.get(0));
        }
        if (value.size() != channels.size()) {
            throw new SpecException(spec.source(), path + "." + param.key(), value + " has " + value.size()
                    + " entries but conv_channels " + channels + " has " + channels.size()
                    + " conv layers: give one value for all layers or one per layer");
        }
        return value;
    }
}
