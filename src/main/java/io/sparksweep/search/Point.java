package io.sparksweep.search;

import io.sparksweep.spec.Param;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One configuration a sampler proposes: a value for each swept parameter (the others keep their defaults). Two
 * points are equal when their values are; a point trained under several seeds is several trials.
 */
public record Point(Map<Param, Object> values) {
    public Point {
        values = Collections.unmodifiableMap(new EnumMap<>(values));
    }

    public Object get(Param param) {
        return values.get(param);
    }

    /** e.g. {@code hidden_layers=[64] learning_rate=0.01} */
    @Override
    public String toString() {
        return values.entrySet().stream().map(e -> e.getKey().key() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }
}
