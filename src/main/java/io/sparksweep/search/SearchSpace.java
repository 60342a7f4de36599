package io.sparksweep.search;

import io.sparksweep.spec.Distribution;
import io.sparksweep.spec.Param;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What a sampler draws from: one dimension per swept parameter, either a list of choices (a grid's list) or a
 * numeric range, drawn and modelled on a log scale or as whole numbers where asked.
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

    /**
     * The space of a sweep file's {@code parameters}: a list (a choice) is categorical, {@code uniform},
     * {@code log_uniform} and {@code int_uniform} are numeric ranges, and {@code q_log_uniform}'s few values
     * ({@code low * q^k}) are categorical.
     */
    public static SearchSpace of(Map<Param, Distribution> distributions) {
        List<Dimension> dimensions = new ArrayList<>();
        distributions.forEach((param, d) -> dimensions.add(dimension(param, d)));
        return new SearchSpace(dimensions);
    }

    private static Dimension dimension(Param param, Distribution d) {
        if (d instanceof Distribution.Uniform u) {
            return new Numeric(param, u.low(), u.high(), false, false);
        }
        if (d instanceof Distribution.LogUniform u) {
            return new Numeric(param, u.low(), u.high(), true, false);
        }
        if (d instanceof Distribution.IntUniform u) {
            return new Numeric(param, u.low(), u.high(), false, true);
        }
        if (d instanceof Distribution.QLogUniform q) {
            List<Object> values = new ArrayList<>();
            long value = q.low();
            for (int k = 0; k <= q.steps(); k++, value *= q.q()) {
                values.add((int) value);
            }
            return new Categorical(param, values);
        }
        return new Categorical(param, ((Distribution.Choice) d).values());
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
}
