package io.sparksweep.search;

import io.sparksweep.spec.Distribution;
import io.sparksweep.spec.Param;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What a sampler draws from: one dimension per swept parameter, either a list of choices (a grid's list, a
 * {@code choice}, the finite values of {@code q_log_uniform}) or a numeric range ({@code uniform},
 * {@code log_uniform}, {@code int_uniform}).
 */
public record SearchSpace(List<Dimension> dimensions) {
    public SearchSpace {
        dimensions = List.copyOf(dimensions);
    }

    /** One parameter's values. */
    public sealed interface Dimension permits Categorical, Numeric {
        Param param();

        Object draw(Random random);
    }

    /** One of {@code choices}, unordered. */
    public record Categorical(Param param, List<Object> choices) implements Dimension {
        public Categorical {
            choices = List.copyOf(choices);
        }

        @Override
        public Object draw(Random random) {
            return choices.get(random.nextInt(choices.size()));
        }

        public int indexOf(Object value) {
            return choices.indexOf(value);
        }
    }

    /** A number in [low, high]; {@code log}: drawn and modelled on the log scale; {@code integer}: whole. */
    public record Numeric(Param param, double low, double high, boolean log, boolean integer) implements Dimension {
        @Override
        public Object draw(Random random) {
            double u = random.nextDouble();
            return fromInternal(internalLow() + u * (internalHigh() - internalLow()));
        }

        /** The range the densities live on: log scale for {@code log}, widened by half a step for integers. */
        public double internalLow() {
            double low = integer ? this.low - 0.5 : this.low;
            return log ? Math.log(low) : low;
        }

        public double internalHigh() {
            double high = integer ? this.high + 0.5 : this.high;
            return log ? Math.log(high) : high;
        }

        public double toInternal(Object value) {
            double v = ((Number) value).doubleValue();
            return log ? Math.log(v) : v;
        }

        public Object fromInternal(double internal) {
            double v = log ? Math.exp(internal) : internal;
            if (integer) {
                return (int) Math.max(low, Math.min(high, Math.round(v)));
            }
            return Math.max(low, Math.min(high, v));
        }
    }

    /** A uniformly random point. */
    public Point draw(Random random) {
        Map<Param, Object> values = new LinkedHashMap<>();
        for (Dimension dimension : dimensions) {
            values.put(dimension.param(), dimension.draw(random));
        }
        return new Point(values);
    }

    /** How many points there are, or -1 when a dimension is continuous. */
    public long size() {
        long size = 1;
        for (Dimension dimension : dimensions) {
            if (!(dimension instanceof Categorical c)) {
                return -1;
            }
            size = Math.multiplyExact(size, c.choices().size());
        }
        return size;
    }

    /** A random search's distributions as dimensions: parameters that are fixed (one value) are left out. */
    public static SearchSpace of(Map<Param, Distribution> distributions) {
        List<Dimension> dimensions = new ArrayList<>();
        distributions.forEach((param, distribution) -> {
            Dimension dimension;
            if (distribution instanceof Distribution.Uniform u) {
                dimension = new Numeric(param, u.low(), u.high(), false, false);
            } else if (distribution instanceof Distribution.LogUniform l) {
                dimension = new Numeric(param, l.low(), l.high(), true, false);
            } else if (distribution instanceof Distribution.IntUniform i) {
                dimension = new Numeric(param, i.low(), i.high(), false, true);
            } else if (distribution instanceof Distribution.QLogUniform q) {
                dimension = new Categorical(param, powers(q));
            } else {
                dimension = new Categorical(param, ((Distribution.Choice) distribution).values());
            }
            if (!(dimension instanceof Categorical c && c.choices().size() < 2)) {
                dimensions.add(dimension);
            }
        });
        return new SearchSpace(dimensions);
    }

    private static List<Object> powers(Distribution.QLogUniform q) {
        List<Object> values = new ArrayList<>();
        for (long v = q.low(); v <= q.high(); v *= q.q()) {
            values.add((int) v);
        }
        return values;
    }
}
