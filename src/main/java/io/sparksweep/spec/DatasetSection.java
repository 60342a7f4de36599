package io.sparksweep.spec;

import io.sparksweep.data.DataSource;
import io.sparksweep.data.DatasetKind;
import io.sparksweep.data.DatasetSpec;
import io.sparksweep.data.InputShape;
import io.sparksweep.data.Normalization;
import io.sparksweep.data.Validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sweep file's {@code dataset} section: exactly one source ({@code name}, {@code images}, {@code idx} or
 * {@code table}) and how its examples are chosen and prepared. Only what the file says is checked here; what the
 * data holds (its classes, sizes, columns) is checked when it is read, before anything is written.
 */
final class DatasetSection {
    private static final List<String> KEYS = List.of("name", "images", "idx", "table", "normalize", "classes",
            "train_limit", "test_limit", "validation", "max_data_bytes");
    private static final List<String> SOURCES = List.of("name", "images", "idx", "table");
    private static final List<String> IMAGE_KEYS = List.of("train", "test", "test_split", "size", "channels",
            "skip_unreadable");
    private static final List<String> IDX_KEYS = List.of("train_images", "train_labels", "test_images",
            "test_labels", "class_names");
    private static final List<String> TABLE_KEYS = List.of("train", "test", "test_split", "format", "label",
            "features", "image_shape");
    /** Without a test path, this fraction of the training examples is the test set. */
    static final double DEFAULT_TEST_SPLIT = 0.2;
    /** Without a validation key, this fraction of the training examples is held out to choose on. */
    static final Validation DEFAULT_VALIDATION = new Validation.Fraction(0.1);
    private static final int MAX_FOLDS = 100;
    private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*([KMGT]i?B|B)?", Pattern.CASE_INSENSITIVE);

    private final YamlValues yaml;

    DatasetSection(YamlValues yaml) {
        this.yaml = yaml;
    }

    DatasetSpec parse(Object raw) {
        Map<String, Object> map = raw instanceof String ? Map.of("name", raw) : yaml.map("dataset", raw);
        yaml.onlyKeys("dataset", map, KEYS);
        List<String> given = SOURCES.stream().filter(map::containsKey).toList();
        if (given.size() != 1) {
            throw yaml.error("dataset", given.isEmpty() ? "needs one source: name (fashion-mnist, mnist), images, "
                    + "idx or table" : "takes one source, and names " + String.join(" and ", given));
        }
        long maxBytes = map.containsKey("max_data_bytes") ? bytes(map.get("max_data_bytes"))
                : DataSource.DEFAULT_MAX_DATA_BYTES;
        Normalization normalize = map.containsKey("normalize")
                ? yaml.choice("dataset.normalize", map.get("normalize"), Normalization.class) : Normalization.UNIT;
        int trainLimit = map.containsKey("train_limit")
                ? yaml.intAtLeast("dataset.train_limit", map.get("train_limit"), 1) : 0;
        int testLimit = map.containsKey("test_limit")
                ? yaml.intAtLeast("dataset.test_limit", map.get("test_limit"), 1) : 0;
        Validation validation = map.containsKey("validation") ? validation(map.get("validation"))
                : DEFAULT_VALIDATION;
        if (given.get(0).equals("name")) {
            DatasetKind kind = builtIn(map.get("name"));
            List<Integer> classes = map.containsKey("classes") ? builtInClasses(kind, map.get("classes")) : List.of();
            return new DatasetSpec(kind, normalize, classes, trainLimit, testLimit, validation);
        }
        DataSource source = switch (given.get(0)) {
            case "images" -> images(map.get("images"), maxBytes);
            case "idx" -> idx(map.get("idx"), maxBytes);
            default -> table(map.get("table"), maxBytes);
        };
        List<String> classes = map.containsKey("classes") ? classNames(map.get("classes")) : List.of();
        return new DatasetSpec(source, normalize, classes, trainLimit, testLimit, validation, null);
    }

    private DatasetKind builtIn(Object raw) {
        String key = yaml.string("dataset.name", raw);
        return DatasetKind.fromKey(key).orElseThrow(() -> yaml.error("dataset.name", "must be one of "
                + DatasetKind.knownKeys() + " (your own data: dataset.images, dataset.idx or dataset.table)", key));
    }

    private DataSource.Images images(Object raw, long maxBytes) {
        String key = "dataset.images";
        Map<String, Object> map = yaml.map(key, raw);
        yaml.onlyKeys(key, map, IMAGE_KEYS);
        String test = map.containsKey("test") ? path(key + ".test", map.get("test")) : null;
        DataSource.ImageSize size = null;
        if (map.containsKey("size")) {
            List<?> hw = yaml.list(key + ".size", map.get("size"));
            if (hw.size() != 2) {
                throw yaml.error(key + ".size", "must be [height, width]", map.get("size"));
            }
            size = new DataSource.ImageSize(yaml.intBetween(key + ".size[0]", hw.get(0), 1, DataSource.MAX_SIDE),
                    yaml.intBetween(key + ".size[1]", hw.get(1), 1, DataSource.MAX_SIDE));
        }
        Integer channels = map.containsKey("channels") ? channels(key + ".channels", map.get("channels")) : null;
        return new DataSource.Images(path(key + ".train", require(key, map, "train")), test,
                testSplit(key, map, test), size, channels, flag(key + ".skip_unreadable", map.get("skip_unreadable")),
                maxBytes);
    }

    private DataSource.Idx idx(Object raw, long maxBytes) {
        String key = "dataset.idx";
        Map<String, Object> map = yaml.map(key, raw);
        yaml.onlyKeys(key, map, IDX_KEYS);
        List<String> names = null;
        if (map.containsKey("class_names")) {
            names = new ArrayList<>();
            List<?> list = yaml.list(key + ".class_names", map.get("class_names"));
            for (int i = 0; i < list.size(); i++) {
                String name = scalar(key + ".class_names[" + i + "]", list.get(i));
                if (names.contains(name)) {
                    throw yaml.error(key + ".class_names[" + i + "]", "class name given twice", name);
                }
                names.add(name);
            }
        }
        return new DataSource.Idx(path(key + ".train_images", require(key, map, "train_images")),
                path(key + ".train_labels", require(key, map, "train_labels")),
                path(key + ".test_images", require(key, map, "test_images")),
                path(key + ".test_labels", require(key, map, "test_labels")), names, maxBytes);
    }

    private DataSource.Table table(Object raw, long maxBytes) {
        String key = "dataset.table";
        Map<String, Object> map = yaml.map(key, raw);
        yaml.onlyKeys(key, map, TABLE_KEYS);
        String test = map.containsKey("test") ? path(key + ".test", map.get("test")) : null;
        DataSource.TableFormat format = map.containsKey("format")
                ? yaml.choice(key + ".format", map.get("format"), DataSource.TableFormat.class)
                : DataSource.TableFormat.PARQUET;
        List<String> features = List.of();
        if (map.containsKey("features")) {
            Object f = map.get("features");
            features = f instanceof String s ? List.of(s) : yaml.list(key + ".features", f).stream()
                    .map(v -> scalar(key + ".features", v)).toList();
            if (features.isEmpty()) {
                throw yaml.error(key + ".features", "names no column (leave it out for every column but the label)");
            }
        }
        InputShape shape = null;
        if (map.containsKey("image_shape")) {
            List<?> chw = yaml.list(key + ".image_shape", map.get("image_shape"));
            if (chw.size() != 3) {
                throw yaml.error(key + ".image_shape", "must be [channels, height, width]", map.get("image_shape"));
            }
            shape = InputShape.image(channels(key + ".image_shape[0]", chw.get(0)),
                    yaml.intBetween(key + ".image_shape[1]", chw.get(1), 1, DataSource.MAX_SIDE),
                    yaml.intBetween(key + ".image_shape[2]", chw.get(2), 1, DataSource.MAX_SIDE));
        }
        String label = scalar(key + ".label", require(key, map, "label"));
        return new DataSource.Table(path(key + ".train", require(key, map, "train")), test, testSplit(key, map, test),
                format, label, features, shape, maxBytes);
    }

    /** The held-out test fraction: 0 with a test path, else the file's (0 < f <= 0.5) or the default. */
    private double testSplit(String key, Map<String, Object> map, String test) {
        if (!map.containsKey("test_split")) {
            return test == null ? DEFAULT_TEST_SPLIT : 0;
        }
        if (test != null) {
            throw yaml.error(key + ".test_split", "splits a test set off the training data, and " + key
                    + ".test names one: give one or the other");
        }
        double f = yaml.number(key + ".test_split", map.get("test_split"));
        if (!(f > 0 && f <= 0.5)) {
            throw yaml.error(key + ".test_split", "must be a fraction in (0, 0.5]", map.get("test_split"));
        }
        return f;
    }

    private int channels(String key, Object raw) {
        int c = yaml.intBetween(key, raw, 1, 3);
        if (c == 2) {
            throw yaml.error(key, "must be 1 (grey) or 3 (colour)", raw);
        }
        return c;
    }

    private boolean flag(String key, Object raw) {
        if (raw == null) {
            return false;
        }
        if (raw instanceof Boolean b) {
            return b;
        }
        throw yaml.error(key, "must be true or false", raw);
    }

    private String path(String key, Object raw) {
        String path = yaml.string(key, raw).trim();
        if (path.isEmpty()) {
            throw yaml.error(key, "must be a path or URI", raw);
        }
        return path;
    }

    private String scalar(String key, Object raw) {
        if (raw instanceof String || raw instanceof Number || raw instanceof Boolean) {
            return String.valueOf(raw).trim();
        }
        throw yaml.error(key, "must be a name", raw);
    }

    private Object require(String key, Map<String, Object> map, String name) {
        if (map.get(name) == null) {
            throw yaml.error(key + "." + name, "is required");
        }
        return map.get(name);
    }

    /** A count of bytes, or one with a unit: 4GiB, 500 MB. */
    private long bytes(Object raw) {
        String key = "dataset.max_data_bytes";
        if (raw instanceof Integer || raw instanceof Long) {
            long v = ((Number) raw).longValue();
            if (v < 1) {
                throw yaml.error(key, "must be at least 1 byte", raw);
            }
            return v;
        }
        Matcher m = raw instanceof String s ? BYTES.matcher(s.trim()) : null;
        if (m == null || !m.matches()) {
            throw yaml.error(key, "must be a size such as 4GiB, 500MB or 1000000 (bytes)", raw);
        }
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        int power = "BKMGT".indexOf(unit.charAt(0));
        long base = unit.contains("I") ? 1024 : 1000;
        try {
            long v = Long.parseLong(m.group(1));
            for (int i = 0; i < power; i++) {
                v = Math.multiplyExact(v, base);
            }
            if (v < 1) {
                throw yaml.error(key, "must be at least 1 byte", raw);
            }
            return v;
        } catch (ArithmeticException | NumberFormatException e) {
            throw yaml.error(key, "is too large", raw);
        }
    }

    /** none, a fraction in (0, 0.5], a count, or {folds: k}: what the sweep holds out of its training examples. */
    private Validation validation(Object raw) {
        String key = "dataset.validation";
        if ("none".equals(raw)) {
            return Validation.NONE;
        }
        if (raw instanceof Map<?, ?>) {
            Map<String, Object> map = yaml.map(key, raw);
            yaml.onlyKeys(key, map, List.of("folds"));
            return new Validation.Folds(yaml.intBetween(key + ".folds", require(key, map, "folds"), 2, MAX_FOLDS));
        }
        if (raw instanceof Integer count) {
            if (count < 1) {
                throw yaml.error(key, "a count of validation images must be at least 1", raw);
            }
            return new Validation.Count(count);
        }
        if (raw instanceof Double fraction) {
            if (!(fraction > 0 && fraction <= 0.5)) {
                throw yaml.error(key, "a fraction of the training images must be in (0, 0.5]", raw);
            }
            return new Validation.Fraction(fraction);
        }
        throw yaml.error(key, "must be none, a fraction such as 0.1, a count such as 6000, or {folds: 5}", raw);
    }

    /** A built-in's classes by index (0-based) or by name, e.g. [Dress, Pullover]; at least two, no repeats. */
    private List<Integer> builtInClasses(DatasetKind kind, Object raw) {
        List<?> list = atLeastTwo(raw);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String key = "dataset.classes[" + i + "]";
            Object value = list.get(i);
            int index = -1;
            if (value instanceof Integer n) {
                index = n;
            } else if (value instanceof String s) {
                index = kind.classNames().stream().map(String::toLowerCase).toList().indexOf(s.trim().toLowerCase());
            }
            if (index < 0 || index >= kind.numClasses()) {
                throw yaml.error(key, "must be a class index 0-" + (kind.numClasses() - 1) + " or a class name of "
                        + kind.key() + " (" + String.join(", ", kind.classNames()) + ")", value);
            }
            if (out.contains(index)) {
                throw yaml.error(key, "class listed twice", value);
            }
            out.add(index);
        }
        return out;
    }

    /** Own data's classes by name (a folder {@code 7} is the class 7), checked against the data once it is read. */
    private List<String> classNames(Object raw) {
        List<?> list = atLeastTwo(raw);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String name = scalar("dataset.classes[" + i + "]", list.get(i));
            if (out.contains(name)) {
                throw yaml.error("dataset.classes[" + i + "]", "class listed twice", list.get(i));
            }
            out.add(name);
        }
        return out;
    }

    private List<?> atLeastTwo(Object raw) {
        List<?> list = yaml.list("dataset.classes", raw);
        if (list.size() < 2) {
            throw yaml.error("dataset.classes", "must name at least two classes", raw);
        }
        return list;
    }
}
