package io.sparksweep.train;

import io.sparksweep.data.DataReport;
import io.sparksweep.data.DataSchema;
import io.sparksweep.data.DataSource;
import io.sparksweep.data.DatasetKind;
import io.sparksweep.data.DatasetSpec;
import io.sparksweep.data.InputShape;
import io.sparksweep.data.Normalization;
import io.sparksweep.data.Scaling;
import io.sparksweep.data.Validation;
import io.sparksweep.grid.TrialConfig;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a kept network needs beside its weights to be used and checked: where it came from (sweep, trial, its
 * configuration), the preprocessing a prediction must repeat (input shape, normalisation and its fitted numbers, the
 * class subset and its names), the data it trained on (its source and checksum) and the numbers its trial stored. Written as YAML into the
 * model zip, next to DL4J's own entries, so the file is self-describing.
 *
 * @param config the trial's {@link TrialConfig#canonical()} text
 * @param trainLoop the loop that trained it ({@code direct} or {@code dl4j}): evaluation repeats that loop's
 *        forward pass
 * @param refitOf the winner a refit retrained, or null
 * @param dataSha256 the checksum of the dataset's pixels and labels it trained on
 */
public record ModelCard(String sweepId, String sweepName, String trialId, String refitOf, String config,
        String trainLoop, DatasetSpec dataset, Scaling scaling, String dataSha256, Map<String, Object> data,
        String metric, Double metricValue, Double testAccuracy, Double testLoss, Instant savedAt, String version) {
    /** The zip entry that holds the card. */
    public static final String ENTRY = "sparksweep-model.yaml";
    static final String FORMAT = "sparksweep-model 1";

    public List<String> classNames() {
        return dataset.classNames();
    }

    public int numClasses() {
        return dataset.numClasses();
    }

    /** What the network reads: {@code C x H x W} images, or a table's feature rows. */
    public InputShape shape() {
        return dataset.shape();
    }

    public int inputs() {
        return shape().size();
    }

    /** The trial's configuration, or empty when the card's text is not one this version reads. */
    public Optional<TrialConfig> trial() {
        return TrialConfig.parse(config, dataset);
    }

    /**
     * The card of a trial's network, normalised by {@code scaling}, saved now; {@code data} is what reading the
     * sweep's data found (null when unknown).
     */
    public static ModelCard of(String sweepId, String sweepName, TrialResult result, Scaling scaling, String metric,
            Double metricValue, String refitOf, String dataSha256, DataReport data, String version) {
        TrialConfig config = result.config();
        return new ModelCard(sweepId, sweepName, result.trialId(), refitOf, config.canonical(),
                result.trainLoop() == null ? null : result.trainLoop().key(), config.dataset(), scaling, dataSha256,
                data == null ? Map.of() : provenance(data), metric, metricValue, result.testAccuracy(),
                result.testLoss(), Instant.now(), version);
    }

    /** Where the data came from and what it held: the card's {@code data} entry, for people. */
    private static Map<String, Object> provenance(DataReport data) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("source", data.kind());
        map.put("location", data.location());
        map.put("input_shape", data.shape().describe());
        map.put("class_counts", data.perClass());
        map.put("skipped_files", data.skipped());
        map.put("unreadable_files", data.unreadable());
        map.put("test_split_sha256", data.testSplitSha256());
        return map;
    }

    String toYaml() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("format", FORMAT);
        map.put("sweep_id", sweepId);
        map.put("sweep_name", sweepName);
        map.put("trial_id", trialId);
        map.put("refit_of", refitOf);
        map.put("config", config);
        map.put("train_loop", trainLoop);
        map.put("dataset", dataset.source().kind());
        if (!(dataset.source() instanceof DataSource.BuiltIn)) {
            map.put("source", CardSource.toMap(dataset.source()));
            map.put("all_class_names", dataset.schema().classNames());
        }
        map.put("normalize", dataset.normalize().key());
        map.put("scaling", scalingMap());
        // the built-ins' cards name classes by index, as they always have
        map.put("classes", !(dataset.source() instanceof DataSource.BuiltIn) ? dataset.classes()
                : dataset.classes().isEmpty() ? List.of() : dataset.classIndices());
        map.put("class_names", classNames());
        map.put("train_limit", dataset.trainLimit());
        map.put("test_limit", dataset.testLimit());
        InputShape shape = shape();
        map.put("image", Map.of("height", shape.height(), "width", shape.width(), "channels", shape.channels()));
        map.put("input", Map.of("channels", shape.channels(), "height", shape.height(), "width", shape.width(),
                "image", shape.image()));
        map.put("data_sha256", dataSha256);
        map.put("data", data);
        map.put("metric", metric);
        map.put("metric_value", metricValue);
        map.put("test_accuracy", testAccuracy);
        map.put("test_loss", testLoss);
        map.put("saved_at", savedAt.toString());
        map.put("sparksweep_version", version);
        return new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build()).dumpToString(map);
    }

    private Map<String, Object> scalingMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("low", (double) scaling.low());
        map.put("high", (double) scaling.high());
        map.put("group_size", scaling.groupSize());
        map.put("mean", floats(scaling.mean()));
        map.put("std", floats(scaling.deviation()));
        return map;
    }

    private static List<Double> floats(float[] values) {
        List<Double> out = new ArrayList<>();
        for (float v : values) {
            out.add((double) v);
        }
        return out;
    }

    /** Reads a card; a text that is not one is an {@link IllegalArgumentException} saying what is wrong. */
    static ModelCard fromYaml(String text) {
        if (!(new Load(LoadSettings.builder().build()).loadFromString(text) instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("not a mapping");
        }
        if (!FORMAT.equals(map.get("format"))) {
            throw new IllegalArgumentException("format " + map.get("format") + " is not " + FORMAT);
        }
        DatasetSpec dataset = dataset(map);
        return new ModelCard(text(map, "sweep_id"), text(map, "sweep_name"), text(map, "trial_id"),
                (String) map.get("refit_of"), text(map, "config"), (String) map.get("train_loop"), dataset,
                scaling(map, dataset.normalize()), (String) map.get("data_sha256"), data(map), text(map, "metric"),
                decimal(map, "metric_value"), decimal(map, "test_accuracy"), decimal(map, "test_loss"),
                Instant.parse(text(map, "saved_at")), (String) map.get("sparksweep_version"));
    }

    /** The card's data: a built-in by name (classes by index), or a source of the user's with its schema. */
    private static DatasetSpec dataset(Map<?, ?> map) {
        Normalization normalize = Normalization.valueOf(text(map, "normalize").toUpperCase(Locale.ROOT));
        int trainLimit = number(map, "train_limit").intValue();
        int testLimit = number(map, "test_limit").intValue();
        Optional<DatasetKind> kind = DatasetKind.fromKey(text(map, "dataset"));
        if (kind.isPresent()) {
            List<Integer> classes = ((List<?>) map.get("classes")).stream().map(c -> ((Number) c).intValue()).toList();
            return new DatasetSpec(kind.get(), normalize, classes, trainLimit, testLimit);
        }
        DataSource source = CardSource.fromMap(text(map, "dataset"), (Map<?, ?>) map.get("source"));
        Map<?, ?> input = (Map<?, ?>) map.get("input");
        InputShape shape = new InputShape(number(input, "channels").intValue(), number(input, "height").intValue(),
                number(input, "width").intValue(), Boolean.TRUE.equals(input.get("image")));
        List<String> classes = ((List<?>) map.get("classes")).stream().map(String::valueOf).toList();
        List<String> all = ((List<?>) map.get("all_class_names")).stream().map(String::valueOf).toList();
        return new DatasetSpec(source, normalize, classes, trainLimit, testLimit, Validation.NONE,
                new DataSchema(shape, all));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Map<?, ?> map) {
        return map.get("data") instanceof Map<?, ?> data ? (Map<String, Object>) data : Map.of();
    }

    /** The stored scaling; a card written before it was stored had pixels' fixed range. */
    private static Scaling scaling(Map<?, ?> map, Normalization normalize) {
        if (!(map.get("scaling") instanceof Map<?, ?> s)) {
            return Scaling.pixels(normalize);
        }
        return new Scaling(normalize, number(s, "low").floatValue(), number(s, "high").floatValue(),
                number(s, "group_size").intValue(), floatArray(s.get("mean")), floatArray(s.get("std")));
    }

    private static float[] floatArray(Object raw) {
        List<?> list = (List<?>) raw;
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) list.get(i)).floatValue();
        }
        return out;
    }

    private static String text(Map<?, ?> map, String key) {
        if (!(map.get(key) instanceof String value)) {
            throw new IllegalArgumentException(key + " is missing");
        }
        return value;
    }

    private static Number number(Map<?, ?> map, String key) {
        if (!(map.get(key) instanceof Number value)) {
            throw new IllegalArgumentException(key + " is missing");
        }
        return value;
    }

    private static Double decimal(Map<?, ?> map, String key) {
        return map.get(key) instanceof Number value ? value.doubleValue() : null;
    }
}
