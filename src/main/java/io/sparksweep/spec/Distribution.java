package io.sparksweep.spec;

import java.util.List;
import java.util.Random;

/**
 * Where a random search draws one parameter's values from. Numeric draws are raw numbers, checked by the
 * parameter's own parser like values written in the file ({@link RandomSpace} does that).
 */
public sealed interface Distribution {
    Object draw(Random random);

    /** Whether it has one value only (nothing to search). */
    default boolean fixed() {
        return false;
    }

    /** The largest number it can draw (for a choice, of its numeric values; 0 when it has none). */
    double largest();

    /** One of the listed (already checked) values, each equally likely. */
    record Choice(List<Object> values) implements Distribution {
        public Choice {
            values = List.copyOf(values);
        }

        @Override
        public Object draw(Random random) {
            return values.get(random.nextInt(values.size()));
        }

        @Override
        public boolean fixed() {
            return values.size() == 1;
        }

        @Override
        public double largest() {
            return values.stream().filter(v -> v instanceof Number).mapToDouble(v -> ((Number) v).doubleValue())
                    .max().orElse(0);
        }
    }

    /** A real number, uniform in [low, high). */
    record Uniform(double low, double high) implements Distribution {
        @Override
        public double largest() {
            return high;
        }

        @Override
        public Object draw(Random random) {
            return low + (high - low) * random.nextDouble();
        }
    }

    /** A real number whose logarithm is uniform: as many draws per decade (learning rates). */
    record LogUniform(double low, double high) implements Distribution {
        @Override
        public double largest() {
            return high;
        }

        @Override
        public Object draw(Random random) {
            return Math.exp(Math.log(low) + (Math.log(high) - Math.log(low)) * random.nextDouble());
        }
    }

    /** A whole number, uniform in [low, high], both included. */
    record IntUniform(int low, int high) implements Distribution {
        @Override
        public boolean fixed() {
            return low == high;
        }

        @Override
        public double largest() {
            return high;
        }

        @Override
        public Object draw(Random random) {
            return low + random.nextInt(high - low + 1);
        }
    }

    /**
     * {@code low * q^k} for a whole k, log-uniform up to {@code high}: with q = 2 and low a power of two, the
     * powers of two from low to high, each equally likely (batch sizes).
     */
    record QLogUniform(int low, int high, int q) implements Distribution {
        @Override
        public boolean fixed() {
            return steps() == 0;
        }

        @Override
        public double largest() {
            long value = low;
            for (int k = steps(); k > 0; k--) {
                value *= q;
            }
            return value;
        }

        public int steps() {
            int k = 0;
            for (long v = low; v * q <= high; v *= q) {
                k++;
            }
            return k;
        }

        @Override
        public Object draw(Random random) {
            long value = low;
            for (int k = random.nextInt(steps() + 1); k > 0; k--) {
                value *= q;
            }
            return (int) value;
        }
    }
}
