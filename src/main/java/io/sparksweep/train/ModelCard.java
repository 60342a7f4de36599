package io.sparksweep.train;

import io.sparksweep.data.DatasetKind;
import io.sparksweep.data.DatasetSpec;
import io.sparksweep.data.Normalization;
import io.sparksweep.grid.TrialConfig;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a kept network needs beside its weights to be used and checked: where it came from (sweep, trial, its
 * configuration), the preprocessing a prediction must repeat (image size, normalisation, the class subset and its
 * names), the data it trained on (the dataset's checksum) and the numbers its trial stored. Written as YAML into the
 * model zip, next to DL4J's own entries, so the file is self-describing.
 *
 * @param config the trial's {@link TrialConfig#canonical()} text
 * @param trainLoop the loop that trained it ({@code direct} or {@code dl4j}): evaluation repeats that loop's
 *        forward pass
 * @param refitOf the winner a refit retrained, or null
 * @param dataSha256 the checksum of the dataset's pixels and labels it trained on
 */
public record ModelCard(String sweepId, String sweepName, String trialId, String refitOf, String config,
        String trainLoop, DatasetSpec dataset, int height, int width, String dataSha256, String metric,
        Double metricValue, Double testAccuracy, Double testLoss, Instant savedAt, String version) {
    /** The zip entry that holds the card. */
    public static final String ENTRY = "sparksweep-model.yaml";
    static final String FORMAT = "sparksweep-model 1";

    public List<String> classNames() {
        return dataset.classNames();
    }

    public int numClasses() {
        return dataset.numClasses();
    }

    public int inputs() {
        return height * width;
    }

    /** The trial's configuration, or empty when the card's text is not one this version reads. */
    public Optional<TrialConfig> trial() {
        return TrialConfig.parse(config, dataset);
    }

    /** The card of a trial's network, saved now. */
    public static ModelCard of(String sweepId, String sweepName, TrialResult result, String metric, Double metricValue,
            String refitOf, String dataSha256, String version) {
        TrialConfig config = result.config();
        DatasetKind kind = config.dataset().kind();
        return new ModelCard(sweepId, sweepName, result.trialId(), refitOf, config.canonical(),
                result.trainLoop() == null ? null : result.trainLoop().key(), config.dataset(), kind.imageRows(),
                kind.imageCols(), dataSha256, metric, metricValue, result.testAccuracy(), result.testLoss(),
                Instant.now(), version);
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
        map.put("dataset", dataset.kind().key());
        map.put("normalize", dataset.normalize().key());
        map.put("classes", dataset.classes());
        map.put("class_names", classNames());
        map.put("train_limit", dataset.trainLimit());
        map.put("test_limit", dataset.testLimit());
        map.put("image", Map.of("height", height, "width", width, "channels", 1));
        map.put("data_sha256", dataSha256);
        map.put("metric", metric);
        map.put("metric_value", metricValue);
        map.put("test_accuracy", testAccuracy);
        map.put("test_loss", testLoss);
        map.put("saved_at", savedAt.toString());
        map.put("sparksweep_version", version);
        return new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build()).dumpToString(map);
    }

    /** Reads a card; a text that is not one is an {@link IllegalArgumentException} saying what is wrong. */
    static ModelCard fromYaml(String text) {
        if (!(new Load(LoadSettings.builder().build()).loadFromString(text) instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("not a mapping");
        }
        if (!FORMAT.equals(map.get("format"))) {
            throw new IllegalArgumentException("format " + map.get("format") + " is not " + FORMAT);
        }
        DatasetKind kind = DatasetKind.fromKey(text(map, "dataset"))
                .orElseThrow(() -> new IllegalArgumentException("unknown dataset " + map.get("dataset")));
        Normalization normalize = Normalization.valueOf(text(map, "normalize").toUpperCase(Locale.ROOT));
        List<Integer> classes = ((List<?>) map.get("classes")).stream().map(c -> ((Number) c).intValue()).toList();
        DatasetSpec dataset = new DatasetSpec(kind, normalize, classes, number(map, "train_limit").intValue(),
                number(map, "test_limit").intValue());
        Map<?, ?> image = (Map<?, ?>) map.get("image");
        return new ModelCard(text(map, "sweep_id"), text(map, "sweep_name"), text(map, "trial_id"),
                (String) map.get("refit_of"), text(map, "config"), (String) map.get("train_loop"), dataset,
                number(image, "height").intValue(), number(image, "width").intValue(), (String) map.get("data_sha256"),
                text(map, "metric"), decimal(map, "metric_value"), decimal(map, "test_accuracy"),
                decimal(map, "test_loss"), Instant.parse(text(map, "saved_at")), (String) map.get("sparksweep_version"));
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
