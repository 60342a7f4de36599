package io.sparksweep.spark;

import io.sparksweep.BuildInfo;
import io.sparksweep.data.DatasetSpec;
import io.sparksweep.data.Scaling;
import io.sparksweep.results.KeptModel;
import io.sparksweep.results.ModelStore;
import io.sparksweep.results.ResultStore;
import io.sparksweep.results.SweepRun;
import io.sparksweep.spec.KeepModels;
import io.sparksweep.spec.MetricSpec;
import io.sparksweep.train.ModelCard;
import io.sparksweep.train.ModelFile;
import io.sparksweep.train.TrialResult;
import io.sparksweep.train.TrialStatus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Keeps the networks of a sweep's best {@code keep_models.top} trials (by the sweep's metric) beside its results,
 * and the refit's. Which trials are kept is decided on the loop's thread as each trial's final result comes in, so
 * the next job is told the score a network must beat to be sent back at all ({@link #threshold}); the files and
 * rows are written on the {@link BackgroundWriter}, in an order that a killed driver cannot break: a model's file
 * (staged, renamed), then its {@code models} row (in its trial's group commit, in the transaction that deletes the
 * rows of the models it pushes out), then its trial's rows; an evicted model's file goes after its row.
 * What a kill leaves (a file without a row, a row of a trial without one, more than top k) is put right by
 * {@link #start} when the sweep runs again.
 */
final class ModelKeeper {
    /** A kept trial, best first by score (the metric's value, negated when lower is better), then trial id. */
    private record Kept(String trialId, double score) {
    }

    /**
     * The writes that go with one trial's rows: {@code save} writes the kept network's file before them and returns
     * its {@code models} row (null: none), which the trial's group commit carries, together with the deletion of the
     * rows of the {@code evicted} models; their files go after the commit ({@link #deleteFiles}).
     */
    record Change(Supplier<KeptModel> save, List<String> evicted) {
        static final Change NONE = new Change(() -> null, List.of());
    }

    private static final Comparator<Kept> BEST_FIRST =
            Comparator.comparingDouble(Kept::score).reversed().thenComparing(Kept::trialId);

    private final ResultStore rows;
    private final ModelStore files;
    private final SweepRun run;
    /** A trial's normalisation, fitted on its training part as the executor fitted it: what its card stores. */
    private final Function<DatasetSpec, Scaling> scalings;
    private final KeepModels keep;
    private final MetricSpec metric;
    private final List<Kept> kept = new ArrayList<>();
    private volatile double threshold;

    private ModelKeeper(ResultStore rows, ModelStore files, SweepRun run, Function<DatasetSpec, Scaling> scalings) {
        this.scalings = scalings;
        this.rows = rows;
        this.files = files;
        this.run = run;
        this.keep = run.spec().keepModels();
        this.metric = run.spec().metric();
        updateThreshold();
    }

    /**
     * The keeper of a run, starting from the stored models of the trials that count for it ({@code counted}: none
     * with {@code --fresh}, and not those trained on other data), less those a kill or a changed {@code keep_models}
     * left beyond the top k; every other model of the sweep is deleted, and so are files without a row.
     */
    static ModelKeeper start(ResultStore rows, ModelStore files, SweepRun run, Set<String> counted,
            Function<DatasetSpec, Scaling> scalings) {
        ModelKeeper keeper = new ModelKeeper(rows, files, run, scalings);
        String sweep = run.sweepId();
        Set<String> present = files.trialIds(sweep);
        List<KeptModel> stored = rows.storedModels(sweep);
        List<String> evicted = new ArrayList<>();
        for (KeptModel model : stored) {
            boolean isRefit = model.refitOf() != null;
            if (!counted.contains(model.trialId()) || !present.contains(model.trialId())
                    || (isRefit && !keeper.keep.refit())) {
                evicted.add(model.trialId());
            } else if (!isRefit) {
                keeper.kept.add(new Kept(model.trialId(), keeper.score(model.metricValue())));
            }
        }
        keeper.kept.sort(BEST_FIRST);
        while (keeper.kept.size() > keeper.keep.top()) {
            evicted.add(keeper.kept.remove(keeper.kept.size() - 1).trialId());
        }
        rows.deleteModelRows(sweep, evicted); // rows first, then files: no row names a missing file
        keeper.deleteFiles(evicted);
        Set<String> withRow = stored.stream().map(KeptModel::trialId).collect(Collectors.toSet());
        present.stream().filter(id -> !withRow.contains(id) || !counted.contains(id))
                .forEach(id -> files.delete(sweep, id));
        keeper.updateThreshold();
        return keeper;
    }

    /**
     * The score a trial's network must beat for this keeper to keep it (infinite: none is wanted; minus infinity:
     * fewer than top k are kept, so any is). It only rises as the sweep goes on.
     */
    double threshold() {
        return threshold;
    }

    /** The networks a refit should send back: all or none. */
    double refitThreshold() {
        return keep.refit() ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /**
     * A search trial's final result and, when its task sent one, its network: whether it joins the kept models
     * (and which one it pushes out). Called on the loop's thread; the returned writes go around its rows.
     */
    Change offer(TrialResult result, byte[] network) {
        Double value = result.value(metric.name());
        if (network == null || value == null || value.isNaN() || !eligible(result.status()) || keep.top() == 0) {
            return Change.NONE;
        }
        boolean wasKept = kept.removeIf(k -> k.trialId().equals(result.trialId())); // stored again: replaced
        Kept candidate = new Kept(result.trialId(), score(value));
        kept.add(candidate);
        kept.sort(BEST_FIRST);
        List<String> evicted = new ArrayList<>();
        while (kept.size() > keep.top()) {
            evicted.add(kept.remove(kept.size() - 1).trialId());
        }
        updateThreshold();
        if (evicted.contains(candidate.trialId())) { // not among the best: only an earlier model of it goes
            if (!wasKept) {
                evicted.remove(candidate.trialId());
            }
            return new Change(() -> null, evicted);
        }
        return new Change(() -> saveFile(result, network, value, null), evicted);
    }

    /** Deletes the files of evicted models, once the commit that deleted their rows is done. */
    void deleteFiles(List<String> evicted) {
        evicted.forEach(trialId -> files.delete(run.sweepId(), trialId));
    }

    /** The refit's network, written before its trial row (on the caller's thread: the search has ended). */
    void keepRefit(TrialResult result, byte[] network, String refitOf) {
        if (keep.refit() && network != null) {
            rows.writeModel(run, saveFile(result, network, result.value(metric.name()), refitOf));
        }
    }

    /** Completed, stopped early or pruned: a trial with a final value (a failed one has none). */
    private static boolean eligible(TrialStatus status) {
        return status == TrialStatus.COMPLETED || status == TrialStatus.STOPPED_EARLY || status == TrialStatus.PRUNED;
    }

    /** Writes the network's file; returns the row that names it. */
    private KeptModel saveFile(TrialResult result, byte[] network, Double value, String refitOf) {
        ModelCard card = ModelCard.of(run.sweepId(), run.spec().name(), result,
                scalings.apply(result.config().dataset()), metric.name().key(), value, refitOf, run.dataChecksum(),
                run.data(), BuildInfo.version());
        ModelStore.Written file = files.write(run.sweepId(), result.trialId(), ModelFile.withCard(network, card));
        return new KeptModel(result.trialId(), refitOf, file.path(), file.bytes(), file.sha256(), value,
                result.testAccuracy(), card.savedAt());
    }

    private double score(Double value) {
        return metric.goal().score(value);
    }

    private void updateThreshold() {
        threshold = keep.top() == 0 ? Double.POSITIVE_INFINITY
                : kept.size() < keep.top() ? Double.NEGATIVE_INFINITY : kept.get(kept.size() - 1).score();
    }
}
