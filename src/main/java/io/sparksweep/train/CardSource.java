package io.sparksweep.train;

import io.sparksweep.data.DataSource;
import io.sparksweep.data.InputShape;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A source of the user's as a model card writes it (its sweep-file keys) and reads it back. */
final class CardSource {
    private CardSource() {
    }

    static Map<String, Object> toMap(DataSource source) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (source instanceof DataSource.Images i) {
                map.put("train", i.train());
                map.put("test", i.test());
                map.put("test_split", i.testSplit());
                map.put("size", i.size() == null ? null : List.of(i.size().height(), i.size().width()));
                map.put("channels", i.channels());
                map.put("skip_unreadable", i.skipUnreadable());
        } else if (source instanceof DataSource.Idx x) {
                map.put("train_images", x.trainImages());
                map.put("train_labels", x.trainLabels());
                map.put("test_images", x.testImages());
                map.put("test_labels", x.testLabels());
                map.put("class_names", x.classNames());
        } else if (source instanceof DataSource.Table t) {
                map.put("train", t.train());
                map.put("test", t.test());
                map.put("test_split", t.testSplit());
                map.put("format", t.format().key());
                map.put("label", t.label());
                map.put("features", t.features());
                map.put("image_shape", t.imageShape() == null ? null : List.of(t.imageShape().channels(),
                        t.imageShape().height(), t.imageShape().width()));
        } else {
            map.put("name", source.kind());
        }
        map.put("max_data_bytes", source.maxDataBytes());
        return map;
    }

    static DataSource fromMap(String kind, Map<?, ?> map) {
        long max = number(map.get("max_data_bytes"), DataSource.DEFAULT_MAX_DATA_BYTES).longValue();
        return switch (kind) {
            case "images" -> new DataSource.Images(text(map, "train"), text(map, "test"),
                    number(map.get("test_split"), 0).doubleValue(), size(map.get("size")),
                    map.get("channels") == null ? null : number(map.get("channels"), 1).intValue(),
                    Boolean.TRUE.equals(map.get("skip_unreadable")), max);
            case "idx" -> new DataSource.Idx(text(map, "train_images"), text(map, "train_labels"),
                    text(map, "test_images"), text(map, "test_labels"), map.get("class_names") == null ? null : strings(map.get("class_names")), max);
            case "table" -> new DataSource.Table(text(map, "train"), text(map, "test"),
                    number(map.get("test_split"), 0).doubleValue(),
                    DataSource.TableFormat.valueOf(text(map, "format").toUpperCase(Locale.ROOT)),
                    text(map, "label"), strings(map.get("features")), shape(map.get("image_shape")), max);
            default -> throw new IllegalArgumentException("unknown dataset " + kind);
        };
    }

    private static DataSource.ImageSize size(Object raw) {
        return raw instanceof List<?> l ? new DataSource.ImageSize(((Number) l.get(0)).intValue(),
                ((Number) l.get(1)).intValue()) : null;
    }

    private static InputShape shape(Object raw) {
        return raw instanceof List<?> l ? InputShape.image(((Number) l.get(0)).intValue(),
                ((Number) l.get(1)).intValue(), ((Number) l.get(2)).intValue()) : null;
    }

    private static List<String> strings(Object raw) {
        return raw instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    private static String text(Map<?, ?> map, String key) {
        return map.get(key) == null ? null : String.valueOf(map.get(key));
    }

    private static Number number(Object raw, Number fallback) {
        return raw instanceof Number n ? n : fallback;
    }
}
