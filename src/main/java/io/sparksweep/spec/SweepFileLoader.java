package io.sparksweep.spec;

import io.sparksweep.data.DatasetSpec;
import io.sparksweep.UserFiles;
import io.sparksweep.data.Validation;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a sweep file into a {@link SweepSpec}, checking every key and value. YAML is loaded with the safe
 * engine (no tags that build objects, no duplicate keys); any problem is one {@link SpecException} that names
 * the file, the key and the value.
 */
public final class SweepFileLoader {
    private static final List<String> TOP_KEYS =
            List.of("name", "description", "dataset", "metric", "method", "trials", "sampler_seed", "seeds",
                    "parameters", "grids", "max_trials", "timeout", "tpe", "scheduler", "budget", "early_stopping",
                    "halving", "refit", "keep_models");
    private static final List<String> METRIC_KEYS = List.of("name", "goal");
    /** Sweep names end up in paths and Spark job names: keep them plain. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** Sweep files are a few hundred bytes; this is far more than any needs, and cheap to refuse above. */
    static final int MAX_FILE_BYTES = 256 * 1024;

    private SweepFileLoader() {
    }

    public static SweepSpec load(Path file) {
        String text;
        try {
            text = UserFiles.readUtf8(file, MAX_FILE_BYTES);
        } catch (IllegalArgumentException e) {
            throw new SpecException(file.toString(), "file", e.getMessage());
        }
        return parse(file.toString(), text);
    }

    public static SweepSpec parse(String source, String text) {
        YamlValues yaml = new YamlValues(source);
        Object root;
        try {
            LoadSettings settings = LoadSettings.builder()
                    .setSchema(new CoreSchema())
                    .setAllowDuplicateKeys(false)
                    .setAllowRecursiveKeys(false)
                    .setMaxAliasesForCollections(50)
                    .setCodePointLimit(MAX_FILE_BYTES)
                    .setLabel(source)
                    .build();
            YamlLimits.check(settings, text, source);
            root = new Load(settings).loadFromString(text);
        } catch (YamlEngineException e) {
            throw new SpecException(source, "yaml", "not valid YAML: " + YamlValues.shorten(e.getMessage()
                    .replace('\n', ' ')));
        }
        if (root == null) {
            throw new SpecException(source, "file", "is empty");
        }
        Map<String, Object> top = yaml.map("(top level)", root);
        yaml.onlyKeys("", top, TOP_KEYS);

        String name = yaml.string("name", require(yaml, top, "name"));
        if (!NAME.matcher(name).matches()) {
            throw yaml.error("name", "must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit",
                    name);
        }
        String description = top.containsKey("description") ? yaml.string("description", top.get("description")) : "";
        DatasetSpec dataset = new DatasetSection(yaml).parse(require(yaml, top, "dataset"));
        MetricSpec metric = metric(yaml, top.get("metric"), dataset.validation());
        SearchSpec search = SearchSection.parse(yaml, top, metric);
        checkFolds(yaml, dataset, search);
        List<Long> seeds = seeds(yaml, top.get("seeds"));
        int maxTrials = top.containsKey("max_trials")
                ? yaml.intBetween("max_trials", top.get("max_trials"), 1, SweepSpec.MAX_TRIALS_LIMIT)
                : SweepSpec.DEFAULT_MAX_TRIALS;
        Duration timeout = top.containsKey("timeout") ? Durations.parse(yaml, "timeout", top.get("timeout")) : null;
        SearchMethod method = search.method();
        boolean drawn = method == SearchMethod.RANDOM || method == SearchMethod.TPE
                || (method == SearchMethod.HALVING && top.containsKey("trials"));
        if (!drawn) {
            if (top.containsKey("trials")) {
                throw yaml.error("trials", "is for method: random or tpe (or halving over random draws); a grid runs "
                        + "every point");
            }
            List<Map<Param, List<Object>>> grids = grids(yaml, top);
            String section = top.containsKey("grids") ? "grids" : "parameters";
            SearchSection.checkEpochs(yaml, search, section, top.get(section), maxEpochs(grids));
            grids = withResourceEpochs(grids, search.rungs());
            long configurations = grids.stream().mapToLong(g -> g.values().stream().mapToLong(List::size)
                    .reduce(1, (a, b) -> a * b)).sum() * seeds.size();
            boolean refit = refit(yaml, top, dataset, configurations);
            return new SweepSpec(name, description, source, text, dataset, metric, seeds, grids, maxTrials,
                    timeout, null, search, refit, keepModels(yaml, top.get("keep_models"), dataset, refit));
        }
        if (top.containsKey("grids")) {
            throw yaml.error("grids", "is for grids; " + method.key() + " draws from parameters alone");
        }
        Integer trials = trials(yaml, top, search, seeds.size(), maxTrials);
        Map<Param, Distribution> distributions = distributions(yaml, require(yaml, top, "parameters"));
        SearchSection.checkEpochs(yaml, search, "parameters", top.get("parameters"), maxEpochs(distributions));
        if (search.rungs() != null) {
            distributions.put(Param.EPOCHS, new Distribution.Choice(List.of(search.rungs().maxEpochs())));
        }
        if (method == SearchMethod.TPE && distributions.values().stream().allMatch(Distribution::fixed)) {
            throw yaml.error("parameters", "gives tpe nothing to learn: every parameter has one value; list "
                    + "choices or give a distribution such as {log_uniform: [0.0001, 0.1]}");
        }
        RandomSpace space = new RandomSpace(distributions, trials == null ? 0 : trials, yaml);
        boolean refit = refit(yaml, top, dataset, trials == null ? Long.MAX_VALUE : (long) trials * seeds.size());
        return new SweepSpec(name, description, source, text, dataset, metric, seeds, List.of(), maxTrials, timeout,
                space, search, refit, keepModels(yaml, top.get("keep_models"), dataset, refit));
    }

    /**
     * Rules that stop a trial inside its training task see one fold there, so they cannot decide on the folds'
     * mean: with folds only the schedulers that decide between stretches (ASHA, Hyperband) apply.
     */
    private static void checkFolds(YamlValues yaml, DatasetSpec dataset, SearchSpec search) {
        if (!(dataset.validation() instanceof Validation.Folds)) {
            return;
        }
        if (search.earlyStopping() != null) {
            throw yaml.error("early_stopping", "stops a training run on its own validation images, and with "
                    + "dataset.validation.folds each fold is its own run: use a holdout (validation: 0.1) or "
                    + "scheduler: asha, which decides on the folds' mean");
        }
        if (search.scheduler() instanceof SchedulerSpec.Median) {
            throw yaml.error("scheduler", "median stops a training run inside its task, which sees one fold: with "
                    + "dataset.validation.folds use asha or hyperband, which decide on the folds' mean");
        }
    }

    /**
     * {@code keep_models}: {@code {top: k}}, {@code all} or {@code none}; absent, the winner's network (and the
     * refit's). Under folds a trial trains one network per fold and none of them is the trial's, so there only the
     * refit keeps one: naming trials to keep there is refused.
     */
    private static KeepModels keepModels(YamlValues yaml, Object raw, DatasetSpec dataset, boolean refit) {
        boolean folds = dataset.validation() instanceof Validation.Folds;
        if (raw == null) {
            return folds ? (refit ? KeepModels.REFIT_ONLY : KeepModels.NONE) : KeepModels.BEST;
        }
        KeepModels keep;
        if ("none".equals(raw)) {
            return KeepModels.NONE;
        } else if ("all".equals(raw)) {
            keep = new KeepModels(KeepModels.ALL_TRIALS, true);
        } else if (raw instanceof Map<?, ?>) {
            Map<String, Object> map = yaml.map("keep_models", raw);
            yaml.onlyKeys("keep_models", map, List.of("top"));
            if (!map.containsKey("top")) {
                throw yaml.error("keep_models", "needs top: the number of best trials whose networks are kept, "
                        + "e.g. {top: 3}", raw);
            }
            keep = new KeepModels(yaml.intBetween("keep_models.top", map.get("top"), 1, 100_000), true);
        } else {
            throw yaml.error("keep_models", "must be {top: N}, all or none", raw);
        }
        if (folds) {
            int k = dataset.validation().folds();
            throw yaml.error("keep_models", "under dataset.validation.folds a trial is " + k + " networks, one per "
                    + "fold, and none of them is kept; " + (refit ? "the refit's network is kept without it (leave "
                    + "keep_models out)" : "refit: true retrains the winner on every training image and keeps "
                    + "that network"), raw);
        }
        return keep;
    }

    /**
     * {@code refit: true}: only where there is a winner to choose (more than one trial) and images it did not
     * train on (a validation split).
     */
    private static boolean refit(YamlValues yaml, Map<String, Object> top, DatasetSpec dataset, long trials) {
        if (!top.containsKey("refit")) {
            return false;
        }
        Object raw = top.get("refit");
        if (!(raw instanceof Boolean refit)) {
            throw yaml.error("refit", "must be true or false", raw);
        }
        if (refit && !dataset.validation().any()) {
            throw yaml.error("refit", "retrains the winner on every training image, validation images included; "
                    + "without dataset.validation the winner already trained on all of them", raw);
        }
        if (refit && trials <= 1) {
            throw yaml.error("refit", "retrains the winner of several trials, and this sweep has one: there is "
                    + "nothing to choose between", raw);
        }
        return refit;
    }

    /**
     * The configurations a random search draws, or a TPE search proposes at most (null: until its budget): times
     * the seeds, within max_trials.
     */
    private static Integer trials(YamlValues yaml, Map<String, Object> top, SearchSpec search, int seeds,
            int maxTrials) {
        if (!top.containsKey("trials")) {
            if (search.method() != SearchMethod.TPE) {
                throw yaml.error("trials", "is required");
            }
            if (search.budget().trials() == null && search.budget().time() == null) {
                throw yaml.error("trials", "is required for method: tpe, which proposes trials until a limit (or "
                        + "set budget.trials or budget.time)");
            }
            return null;
        }
        int trials = yaml.intAtLeast("trials", top.get("trials"), 1);
        if ((long) trials * seeds > maxTrials) {
            throw yaml.error("trials", "times " + seeds + " seed(s) is more than max_trials (" + maxTrials + ")",
                    trials);
        }
        return trials;
    }

    /** Under ASHA or Hyperband every trial is planned to the scheduler's max_epochs. */
    private static List<Map<Param, List<Object>>> withResourceEpochs(List<Map<Param, List<Object>>> grids,
            Rungs rungs) {
        if (rungs == null) {
            return grids;
        }
        return grids.stream().map(g -> {
            Map<Param, List<Object>> withEpochs = new LinkedHashMap<>(g);
            withEpochs.put(Param.EPOCHS, List.of(rungs.maxEpochs()));
            return withEpochs;
        }).toList();
    }

    private static int maxEpochs(List<Map<Param, List<Object>>> grids) {
        return grids.stream().mapToInt(g -> g.getOrDefault(Param.EPOCHS, List.of(Param.EPOCHS.defaultValue()))
                .stream().mapToInt(e -> (Integer) e).max().orElse(0)).max().orElse(0);
    }

    private static int maxEpochs(Map<Param, Distribution> distributions) {
        Distribution epochs = distributions.get(Param.EPOCHS);
        return epochs == null ? (Integer) Param.EPOCHS.defaultValue() : (int) epochs.largest();
    }

    private static final List<String> DISTRIBUTIONS = List.of("choice", "uniform", "log_uniform", "int_uniform",
            "q_log_uniform");

    /**
     * A random search's {@code parameters}: a bare value is fixed, a list is a choice among its values, and a map
     * with one key is a distribution: {@code choice: [...]}, {@code uniform: [low, high]}, {@code log_uniform:
     * [low, high]}, {@code int_uniform: [low, high]} or {@code q_log_uniform: [low, high]} (or {@code [low,
     * high, q]}). Bounds are checked by the parameter's parser, so a distribution can only produce valid values.
     */
    private static Map<Param, Distribution> distributions(YamlValues yaml, Object raw) {
        Map<String, Object> map = yaml.map("parameters", raw);
        yaml.onlyKeys("parameters", map, Param.keys());
        if (map.isEmpty()) {
            throw yaml.error("parameters", "must name at least one parameter to search");
        }
        Map<Param, Distribution> distributions = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            Param param = Param.fromKey(entry.getKey());
            String key = "parameters." + entry.getKey();
            if (!(entry.getValue() instanceof Map<?, ?>)) {
                distributions.put(param, new Distribution.Choice(candidates(yaml, param, key, entry.getValue())));
                continue;
            }
            Map<String, Object> spec = yaml.map(key, entry.getValue());
            if (spec.size() != 1 || !DISTRIBUTIONS.contains(spec.keySet().iterator().next())) {
                throw yaml.error(key, "must be a value, a list, or one of " + String.join(", ", DISTRIBUTIONS)
                        + " with its arguments, e.g. {log_uniform: [0.0001, 0.1]}", entry.getValue());
            }
            String kind = spec.keySet().iterator().next();
            String at = key + "." + kind;
            Object args = spec.get(kind);
            if (kind.equals("choice")) {
                distributions.put(param, new Distribution.Choice(candidates(yaml, param, at, args)));
                continue;
            }
            List<?> bounds = yaml.list(at, args);
            int arity = kind.equals("q_log_uniform") && bounds.size() == 3 ? 3 : 2;
            if (bounds.size() != arity) {
                throw yaml.error(at, "takes [low, high]" + (kind.equals("q_log_uniform") ? " or [low, high, q]" : ""),
                        args);
            }
            // Both bounds must be valid values of the parameter: then every draw between them is too.
            param.parse(yaml, at + "[0]", bounds.get(0));
            param.parse(yaml, at + "[1]", bounds.get(1));
            Distribution distribution = switch (kind) {
                case "uniform", "log_uniform" -> {
                    double low = yaml.number(at + "[0]", bounds.get(0));
                    double high = yaml.number(at + "[1]", bounds.get(1));
                    if (!(low < high) || (kind.equals("log_uniform") && low <= 0)) {
                        throw yaml.error(at, "needs low < high" + (kind.equals("log_uniform") ? " and low > 0" : ""),
                                args);
                    }
                    yield kind.equals("uniform") ? new Distribution.Uniform(low, high)
                            : new Distribution.LogUniform(low, high);
                }
                default -> {
                    int low = yaml.intAtLeast(at + "[0]", bounds.get(0), 1);
                    int high = yaml.intAtLeast(at + "[1]", bounds.get(1), 1);
                    if (low > high) {
                        throw yaml.error(at, "needs low <= high", args);
                    }
                    int q = arity == 3 ? yaml.intAtLeast(at + "[2]", bounds.get(2), 2) : 2;
                    yield kind.equals("int_uniform") ? new Distribution.IntUniform(low, high)
                            : new Distribution.QLogUniform(low, high, q);
                }
            };
            distributions.put(param, distribution);
        }
        return distributions;
    }

    /** The checked values of a list (or a bare value), as a grid would hold them. */
    private static List<Object> candidates(YamlValues yaml, Param param, String key, Object raw) {
        return grid(yaml, "parameters", Map.of(param.key(), raw)).get(param);
    }

    private static Object require(YamlValues yaml, Map<String, Object> map, String key) {
        if (!map.containsKey(key) || map.get(key) == null) {
            throw yaml.error(key, "is required");
        }
        return map.get(key);
    }

    /**
     * The sweep's metric: val_accuracy when images are held out, else test_accuracy, unless the file names one. A
     * test metric with a split is refused: choosing on the test set is what the split is there to avoid.
     */
    private static MetricSpec metric(YamlValues yaml, Object raw, Validation validation) {
        if (raw == null) {
            return validation.any() ? MetricSpec.VALIDATION_DEFAULT : MetricSpec.DEFAULT;
        }
        Map<String, Object> map = raw instanceof String ? Map.of("name", raw) : yaml.map("metric", raw);
        yaml.onlyKeys("metric", map, METRIC_KEYS);
        MetricSpec.Name name = yaml.choice("metric.name", require(yaml, map, "name"), MetricSpec.Name.class);
        if (validation.any() && name.onTestSet()) {
            throw yaml.error("metric", "is measured on the test set, and dataset.validation holds images out so "
                    + "that trials are chosen on them instead; the test set stays the held-out estimate of the "
                    + "winner: use val_accuracy or val_loss (dataset.validation: none ranks on the test set, as the "
                    + "hand-tuned notebooks did; a sweep file that says nothing holds 10% out)", name.key());
        }
        if (!validation.any() && name.onValidation()) {
            throw yaml.error("metric", "needs validation images: set dataset.validation (e.g. 0.1 or {folds: 5})",
                    name.key());
        }
        if (!map.containsKey("goal")) {
            return MetricSpec.of(name);
        }
        return new MetricSpec(name, yaml.choice("metric.goal", map.get("goal"), MetricSpec.Goal.class));
    }

    private static List<Long> seeds(YamlValues yaml, Object raw) {
        if (raw == null) {
            return List.of(1L);
        }
        List<?> list = raw instanceof List<?> l ? l : List.of(raw);
        if (list.isEmpty()) {
            throw yaml.error("seeds", "must list at least one seed", raw);
        }
        List<Long> seeds = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            long seed = yaml.integer("seeds[" + i + "]", list.get(i));
            if (seeds.contains(seed)) {
                throw yaml.error("seeds[" + i + "]", "seed listed twice", list.get(i));
            }
            seeds.add(seed);
        }
        return seeds;
    }

    /**
     * {@code parameters} alone is one grid. With {@code grids}, each entry is a grid of its own over the shared
     * {@code parameters} (its keys replace theirs), so model families with different parameters can share a sweep
     * without multiplying out against each other.
     */
    private static List<Map<Param, List<Object>>> grids(YamlValues yaml, Map<String, Object> top) {
        if (!top.containsKey("grids")) {
            Map<Param, List<Object>> grid = grid(yaml, "parameters", require(yaml, top, "parameters"));
            if (grid.isEmpty()) {
                throw yaml.error("parameters", "must name at least one parameter to sweep");
            }
            return List.of(grid);
        }
        Map<Param, List<Object>> shared = top.get("parameters") == null ? Map.of()
                : grid(yaml, "parameters", top.get("parameters"));
        List<?> entries = yaml.list("grids", top.get("grids"));
        if (entries.isEmpty()) {
            throw yaml.error("grids", "must list at least one grid (or leave grids out)");
        }
        List<Map<Param, List<Object>>> grids = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Map<Param, List<Object>> grid = new LinkedHashMap<>(shared);
            grid.putAll(grid(yaml, "grids[" + i + "]", entries.get(i)));
            grids.add(grid);
        }
        return grids;
    }

    private static Map<Param, List<Object>> grid(YamlValues yaml, String path, Object raw) {
        Map<String, Object> map = yaml.map(path, raw);
        yaml.onlyKeys(path, map, Param.keys());
        Map<Param, List<Object>> grid = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            Param param = Param.fromKey(entry.getKey());
            String key = path + "." + entry.getKey();
            // A list holds the candidates (for list-valued parameters such as hidden_layers, a list of lists);
            // a bare value is the one candidate.
            Object value = entry.getValue();
            if (value instanceof Map<?, ?>) {
                throw yaml.error(key, "is a distribution: distributions need method: random (a grid takes a value "
                        + "or a list of values)", value);
            }
            List<?> candidates = value instanceof List<?> l ? l : Collections.singletonList(value);
            if (value instanceof List<?> l && l.isEmpty()) {
                throw yaml.error(key, "has no candidate values (an empty list would make an empty grid)", value);
            }
            List<Object> parsed = new ArrayList<>();
            Set<Object> seen = new HashSet<>();
            for (int i = 0; i < candidates.size(); i++) {
                String itemKey = candidates.size() == 1 && !(value instanceof List<?>) ? key : key + "[" + i + "]";
                Object candidate = param.parse(yaml, itemKey, candidates.get(i));
                if (!seen.add(candidate)) {
                    throw yaml.error(itemKey, "value listed twice", candidates.get(i));
                }
                parsed.add(candidate);
            }
            grid.put(param, parsed);
        }
        return grid;
    }
}
