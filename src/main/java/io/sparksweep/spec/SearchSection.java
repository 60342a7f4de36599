package io.sparksweep.spec;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The search keys of a sweep file, checked together since they constrain each other: {@code method},
 * {@code sampler_seed}, {@code tpe}, {@code scheduler} (or the older {@code halving}), {@code early_stopping} and
 * {@code budget}. {@code trials} and the parameters are the loader's; what depends on them (epochs under a
 * scheduler, a grace period against the trials' epochs) is checked by {@link #checkEpochs}.
 */
final class SearchSection {
    static final List<String> KEYS = List.of("method", "sampler_seed", "tpe", "scheduler", "halving",
            "early_stopping", "budget");
    private static final List<String> SCHEDULERS = List.of("asha", "hyperband", "median");
    private static final List<String> RUNG_KEYS = List.of("min_epochs", "max_epochs", "eta");
    /** Candidates a TPE proposal weighs; Optuna's default is 24, and thousands only cost time. */
    private static final int MAX_CANDIDATES = 10_000;

    private SearchSection() {
    }

    private static final String PER_EPOCH = "val_accuracy or val_loss (with dataset.validation), test_accuracy, "
            + "test_loss or train_loss";

    static SearchSpec parse(YamlValues yaml, Map<String, Object> top, MetricSpec metric) {
        SearchMethod method = top.containsKey("method") ? yaml.choice("method", top.get("method"), SearchMethod.class)
                : SearchMethod.GRID;
        if (method == SearchMethod.GRID && top.containsKey("sampler_seed")) {
            throw yaml.error("sampler_seed", "is for method: random, tpe or halving; a grid runs every point in order");
        }
        long samplerSeed = top.containsKey("sampler_seed") ? yaml.integer("sampler_seed", top.get("sampler_seed")) : 0;
        TpeSettings tpe = tpe(yaml, top, method);
        SchedulerSpec scheduler = scheduler(yaml, top, method);
        EarlyStopping earlyStopping = top.containsKey("early_stopping")
                ? earlyStopping(yaml, top.get("early_stopping")) : null;
        if (earlyStopping != null && !(scheduler instanceof SchedulerSpec.Full)) {
            throw yaml.error("early_stopping", "is for sweeps without a scheduler: " + (method == SearchMethod.HALVING
                    ? "halving" : "scheduler " + scheduler.key()) + " stops trials itself");
        }
        boolean perEpoch = metric.name().perEpoch();
        if (!perEpoch && earlyStopping != null) {
            throw yaml.error("early_stopping", "watches the metric after every epoch, and " + metric.name().key()
                    + " is measured only at the end: use " + PER_EPOCH);
        }
        if (!perEpoch && !(scheduler instanceof SchedulerSpec.Full)) {
            throw yaml.error("metric", (method == SearchMethod.HALVING ? "halving" : "scheduler " + scheduler.key())
                    + " compares trials after their epochs, and " + metric.name().key() + " is measured only at "
                    + "the end: use " + PER_EPOCH);
        }
        Budget budget = top.containsKey("budget") ? budget(yaml, top.get("budget"), metric) : Budget.NONE;
        return new SearchSpec(method, samplerSeed, tpe, scheduler, earlyStopping, budget);
    }

    /**
     * Checks what the search needs of the trials' epochs: under ASHA or Hyperband the epochs are the resource, so
     * the parameters must not set them; median stopping must be able to act before the last epoch.
     *
     * @param section the sweep file's {@code parameters} or {@code grids} as written
     * @param maxEpochs the most epochs any trial trains
     */
    static void checkEpochs(YamlValues yaml, SearchSpec search, String key, Object section, int maxEpochs) {
        if (search.rungs() != null && mentionsEpochs(section)) {
            throw yaml.error(key, "sets epochs, but under " + (search.method() == SearchMethod.HALVING ? "halving"
                    : "scheduler " + search.scheduler().key()) + " the epochs are the resource: set "
                    + (search.method() == SearchMethod.HALVING ? "halving" : "scheduler." + search.scheduler().key())
                    + ".min_epochs and max_epochs instead");
        }
        if (search.scheduler() instanceof SchedulerSpec.Median median && median.graceEpochs() >= maxEpochs) {
            throw yaml.error("scheduler.median.grace_epochs", "must be below the trials' epochs (at most "
                    + maxEpochs + "), or median stopping never stops a trial", median.graceEpochs());
        }
    }

    private static boolean mentionsEpochs(Object section) {
        if (section instanceof Map<?, ?> map) {
            return map.containsKey("epochs");
        }
        if (section instanceof List<?> list) {
            return list.stream().anyMatch(SearchSection::mentionsEpochs);
        }
        return false;
    }

    private static TpeSettings tpe(YamlValues yaml, Map<String, Object> top, SearchMethod method) {
        if (!top.containsKey("tpe")) {
            return method == SearchMethod.TPE ? TpeSettings.DEFAULT : null;
        }
        if (method != SearchMethod.TPE) {
            throw yaml.error("tpe", "is for method: tpe");
        }
        Map<String, Object> map = yaml.map("tpe", top.get("tpe"));
        yaml.onlyKeys("tpe", map, List.of("startup_trials", "candidates"));
        int startup = map.containsKey("startup_trials")
                ? yaml.intBetween("tpe.startup_trials", map.get("startup_trials"), 1, SweepSpec.MAX_TRIALS_LIMIT)
                : TpeSettings.DEFAULT.startupTrials();
        int candidates = map.containsKey("candidates")
                ? yaml.intBetween("tpe.candidates", map.get("candidates"), 1, MAX_CANDIDATES)
                : TpeSettings.DEFAULT.candidates();
        return new TpeSettings(startup, candidates);
    }

    private static SchedulerSpec scheduler(YamlValues yaml, Map<String, Object> top, SearchMethod method) {
        if (method == SearchMethod.HALVING) {
            if (top.containsKey("scheduler")) {
                throw yaml.error("scheduler", "is for methods grid, random and tpe; halving is grid with scheduler: "
                        + "asha");
            }
            if (!top.containsKey("halving")) {
                throw yaml.error("halving", "is required");
            }
            return new SchedulerSpec.Asha(rungs(yaml, "halving", top.get("halving")));
        }
        if (top.containsKey("halving")) {
            throw yaml.error("halving", "is for method: halving (or write scheduler: {asha: {...}})");
        }
        if (!top.containsKey("scheduler")) {
            return new SchedulerSpec.Full();
        }
        Object raw = top.get("scheduler");
        String kind;
        Object settings;
        if (raw instanceof String name) {
            kind = name.trim().toLowerCase(Locale.ROOT);
            settings = Map.of();
        } else {
            Map<String, Object> map = yaml.map("scheduler", raw);
            if (map.size() != 1) {
                throw yaml.error("scheduler", "must name one scheduler, e.g. {asha: {max_epochs: 20}}", raw);
            }
            kind = map.keySet().iterator().next();
            settings = map.get(kind) == null ? Map.of() : map.get(kind);
        }
        if (!SCHEDULERS.contains(kind)) {
            throw yaml.error("scheduler", "must be one of " + String.join(", ", SCHEDULERS), kind);
        }
        String key = "scheduler." + kind;
        return switch (kind) {
            case "asha" -> new SchedulerSpec.Asha(rungs(yaml, key, settings));
            case "hyperband" -> hyperband(yaml, key, rungs(yaml, key, settings));
            default -> median(yaml, key, settings);
        };
    }

    private static SchedulerSpec hyperband(YamlValues yaml, String key, Rungs rungs) {
        if (rungs.epochs().size() < 2) {
            throw yaml.error(key + ".max_epochs", "gives one bracket only: Hyperband needs max_epochs above "
                    + "min_epochs * eta (" + (long) rungs.minEpochs() * rungs.eta() + "); for one bracket use asha",
                    rungs.maxEpochs());
        }
        return new SchedulerSpec.Hyperband(rungs);
    }

    private static SchedulerSpec median(YamlValues yaml, String key, Object raw) {
        Map<String, Object> map = yaml.map(key, raw);
        yaml.onlyKeys(key, map, List.of("grace_epochs", "min_trials"));
        int grace = map.containsKey("grace_epochs")
                ? yaml.intBetween(key + ".grace_epochs", map.get("grace_epochs"), 0, Param.MAX_EPOCHS) : 1;
        int minTrials = map.containsKey("min_trials")
                ? yaml.intBetween(key + ".min_trials", map.get("min_trials"), 1, SweepSpec.MAX_TRIALS_LIMIT) : 5;
        return new SchedulerSpec.Median(grace, minTrials);
    }

    private static Rungs rungs(YamlValues yaml, String key, Object raw) {
        Map<String, Object> map = yaml.map(key, raw);
        yaml.onlyKeys(key, map, RUNG_KEYS);
        if (!map.containsKey("max_epochs")) {
            throw yaml.error(key + ".max_epochs", "is required (the epochs a surviving trial trains)");
        }
        int max = yaml.intBetween(key + ".max_epochs", map.get("max_epochs"), 1, Param.MAX_EPOCHS);
        int min = map.containsKey("min_epochs") ? yaml.intAtLeast(key + ".min_epochs", map.get("min_epochs"), 1) : 1;
        int eta = map.containsKey("eta") ? yaml.intBetween(key + ".eta", map.get("eta"), 2, 1000) : 3;
        if (min > max) {
            throw yaml.error(key + ".min_epochs", "must be at most max_epochs (" + max + ")", min);
        }
        return new Rungs(min, max, eta);
    }

    private static EarlyStopping earlyStopping(YamlValues yaml, Object raw) {
        Map<String, Object> map = yaml.map("early_stopping", raw);
        yaml.onlyKeys("early_stopping", map, List.of("patience", "min_delta"));
        if (!map.containsKey("patience")) {
            throw yaml.error("early_stopping.patience", "is required (epochs without improvement before stopping)");
        }
        int patience = yaml.intAtLeast("early_stopping.patience", map.get("patience"), 1);
        double minDelta = map.containsKey("min_delta") ? yaml.number("early_stopping.min_delta", map.get("min_delta"))
                : 0.0;
        if (minDelta < 0) {
            throw yaml.error("early_stopping.min_delta", "must be >= 0", map.get("min_delta"));
        }
        return new EarlyStopping(patience, minDelta);
    }

    private static Budget budget(YamlValues yaml, Object raw, MetricSpec metric) {
        Map<String, Object> map = yaml.map("budget", raw);
        yaml.onlyKeys("budget", map, List.of("trials", "time", "target"));
        if (map.isEmpty()) {
            throw yaml.error("budget", "must set trials, time or target");
        }
        Integer trials = map.containsKey("trials")
                ? yaml.intBetween("budget.trials", map.get("trials"), 1, SweepSpec.MAX_TRIALS_LIMIT) : null;
        Duration time = map.containsKey("time")
                ? Durations.parse(yaml, "budget.time", map.get("time")) : null;
        Double target = map.containsKey("target") ? target(yaml, map.get("target"), metric) : null;
        return new Budget(trials, time, target);
    }

    /** A target the metric can reach: accuracies and F1 lie in [0, 1], losses are at least 0. */
    private static double target(YamlValues yaml, Object raw, MetricSpec metric) {
        double target = yaml.number("budget.target", raw);
        boolean loss = metric.name() == MetricSpec.Name.TEST_LOSS || metric.name() == MetricSpec.Name.TRAIN_LOSS;
        if (!Double.isFinite(target) || target < 0 || (!loss && target > 1)) {
            throw yaml.error("budget.target", "can never be reached: " + metric.name().key() + " lies in "
                    + (loss ? "[0, infinity)" : "[0, 1]"), raw);
        }
        if (metric.goal() == MetricSpec.Goal.MAXIMIZE && target == 0) {
            throw yaml.error("budget.target", "is reached by any trial: " + metric.name().key() + " is never below 0",
                    raw);
        }
        return target;
    }
}
