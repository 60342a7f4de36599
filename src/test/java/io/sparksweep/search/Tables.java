package io.sparksweep.search;

import io.sparksweep.spec.Param;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** Synthetic recorded results for loop and sampler tests: a grid over two parameters and a curve per point. */
final class Tables {
    static final List<Object> RATES = List.of(0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0);
    static final List<Object> SIZES = List.of(8, 16, 32, 64, 128, 256);

    private Tables() {
    }

    static SearchSpace space() {
        return new SearchSpace(List.of(new SearchSpace.Categorical(Param.LEARNING_RATE, RATES),
                new SearchSpace.Categorical(Param.BATCH_SIZE, SIZES)));
    }

    static Point point(Object rate, Object size) {
        Map<Param, Object> values = new LinkedHashMap<>();
        values.put(Param.LEARNING_RATE, rate);
        values.put(Param.BATCH_SIZE, size);
        return new Point(values);
    }

    /**
     * A smooth landscape with one peak (rate index 4, size index 2): the final value falls off with the distance
     * from it; each curve rises towards its final value over {@code epochs}, one second per epoch times the size
     * index + 1.
     */
    static Map<Point, RecordedExecutor.Curve> peaked(int epochs) {
        return table(epochs, (r, s) -> 0.9 - 0.02 * Math.pow(r - 4, 2) - 0.03 * Math.pow(s - 2, 2));
    }

    static Map<Point, RecordedExecutor.Curve> table(int epochs, BiFunction<Integer, Integer, Double> finalValue) {
        Map<Point, RecordedExecutor.Curve> table = new LinkedHashMap<>();
        for (int r = 0; r < RATES.size(); r++) {
            for (int s = 0; s < SIZES.size(); s++) {
                double end = finalValue.apply(r, s);
                double[] values = new double[epochs];
                double[] seconds = new double[epochs];
                for (int e = 1; e <= epochs; e++) {
                    values[e - 1] = end * (1 - Math.pow(0.5, e));
                    seconds[e - 1] = s + 1;
                }
                table.put(point(RATES.get(r), SIZES.get(s)), new RecordedExecutor.Curve(values, seconds));
            }
        }
        return table;
    }

    static List<Point> grid() {
        List<Point> points = new ArrayList<>();
        for (Object rate : RATES) {
            for (Object size : SIZES) {
                points.add(point(rate, size));
            }
        }
        return points;
    }
}
