package io.sparksweep.results;

import io.sparksweep.BadInputException;
import io.sparksweep.train.EpochMetrics;
import io.sparksweep.train.TrialResult;
import io.sparksweep.train.TrialStatus;
import io.sparksweep.train.TrialTrainer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import scala.jdk.javaapi.CollectionConverters;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes results as Delta tables under the output directory, one per {@link ResultTable} (see {@link DeltaTables}).
 * Trials that finish close together are committed together, one transaction per table, the {@code trials} rows
 * last: a trial's {@code trials} row marks a trial whose other rows are all in place, and readers join on it. Rows
 * that may already be there (a halving trial's after each rung, a fold's, a sweep's, a kept model's) replace the
 * rows of their keys instead of adding to them. Works on any Hadoop file system.
 */
public final class ResultStore {
    /** A sweep's tables are compacted after this many group commits (each adds a file to every table). */
    static final int COMPACT_EVERY = 200;
    /** Files per table and sweep that are left as they are when a sweep ends. */
    static final int HANDFUL = 8;
    /** The tables whose rows a killed driver can leave without their trial's {@code trials} row. */
    private static final List<ResultTable> ORPHANABLE = List.of(ResultTable.EPOCHS, ResultTable.CLASS_METRICS,
            ResultTable.CONFUSION, ResultTable.MODELS);
    static final String STAGING = "_staging";
    /** Halving trials' checkpoints, per sweep: {@code _checkpoints/<sweep_id>/<trial_id>-<epochs>.ckpt}; invisible to readers. */
    private static final String CHECKPOINTS = "_checkpoints";

    private final SparkSession spark;
    private final Path root;
    private final FileSystem fs;
    private final DeltaTables tables;
    /** {@code <sweep_id>/<trial_id>} of the trials read by {@link #storedTrials}: rows of those replace. */
    private final Set<String> written = ConcurrentHashMap.newKeySet();
    /** The runs whose {@code sweeps} row this store has written. */
    private final Set<String> runs = ConcurrentHashMap.newKeySet();
    /** Group commits of trials' rows by sweep, since this store opened. */
    private final Map<String, Integer> commits = new ConcurrentHashMap<>();

    public ResultStore(SparkSession spark, String outputDir) {
        this.spark = spark;
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        this.root = new Path(outputDir);
        try {
            this.fs = root.getFileSystem(conf);
        } catch (IOException e) {
            throw new BadInputException("output " + outputDir + ": " + e.getMessage(), e);
        }
        this.tables = new DeltaTables(spark, root, fs);
        for (ResultTable table : ResultTable.values()) {
            DeltaTables.requireDelta(fs, root, table);
        }
    }

    public String root() {
        return root.toString();
    }

    /**
     * The trials of a sweep already in the output, by trial id. Their ids are remembered: later rows of those trials
     * replace the stored ones ({@link #writeTrials}) instead of being appended beside them.
     */
    public Map<String, StoredTrial> storedTrials(String sweepId) {
        Map<String, StoredTrial> stored = new HashMap<>();
        if (!tables.exists(ResultTable.TRIALS)) { // a new output: no query to plan
            return stored;
        }
        for (Row r : ResultTables.read(spark, root.toString(), ResultTable.TRIALS)
                .where(functions.col("sweep_id").equalTo(sweepId))
                .select("trial_id", "status", "config", "epochs_trained", "train_seconds", "started_at", "finished_at",
                        "data_sha256")
                .collectAsList()) {
            stored.put(r.getString(0), new StoredTrial(r.getString(0), TrialStatus.valueOf(r.getString(1)),
                    r.getString(2),
                    r.isNullAt(3) ? null : r.getInt(3), r.getDouble(4), r.getTimestamp(5).toInstant(),
                    r.getTimestamp(6).toInstant(), r.getString(7)));
        }
        stored.keySet().forEach(id -> written.add(sweepId + "/" + id));
        return stored;
    }

    /** The stored epochs of every trial of {@code sweepId} whose {@code trials} row is written, in epoch order. */
    public Map<String, List<EpochMetrics>> storedEpochs(String sweepId) {
        Map<String, List<EpochMetrics>> epochs = new HashMap<>();
        Dataset<Row> trials = ResultTables.read(spark, root.toString(), ResultTable.TRIALS)
                .where(functions.col("sweep_id").equalTo(sweepId)).select("sweep_id", "trial_id");
        for (Row r : ResultTables.read(spark, root.toString(), ResultTable.EPOCHS)
                .join(trials, CollectionConverters.asScala(List.of("sweep_id", "trial_id")).toSeq(),
                        "left_semi")
                .orderBy("trial_id", "epoch").collectAsList()) {
            epochs.computeIfAbsent(r.getAs("trial_id"), k -> new ArrayList<>()).add(
                    new EpochMetrics(r.getAs("epoch"), r.getAs("train_loss"), r.getAs("val_loss"),
                            r.getAs("val_accuracy"), r.getAs("test_loss"), r.getAs("test_accuracy"), r.getAs("seconds"),
                            r.getAs("eval_seconds")));
        }
        return epochs;
    }

    /**
     * Computes which parameters mattered for the sweep's metric (over the output's finished trials of the sweep)
     * and writes them, replacing the sweep's earlier rows; returns them, largest first.
     */
    public List<ParameterImportance.Importance> writeImportance(SweepRun run) {
        ResultTables.registerViews(spark, root.toString(), run.spec().name(), Set.of(ResultTables.CONFIGS));
        List<ParameterImportance.Importance> importances = ParameterImportance.of(spark, run.sweepId());
        tables.replace(ResultTable.IMPORTANCE, run.sweepId(), ResultRows.importance(run, importances, Instant.now()),
                null);
        return importances;
    }

    /** Writes one fold's row (replacing the fold's earlier row: a halving fold's is rewritten after each rung). */
    public void writeFold(SweepRun run, int fold, TrialResult result) {
        tables.replace(ResultTable.FOLDS, run.sweepId(), List.of(ResultRows.fold(run, fold, result)),
                DeltaTables.in("trial_id", List.of(result.trialId())) + " AND fold = " + fold);
    }

    /**
     * The folds of this sweep already in the output, trained on this run's data, as results to continue from or
     * to take as they are: by {@link #foldKey}. Read raw, so folds of a trial whose {@code trials} row a killed
     * driver never wrote are found too.
     */
    public Map<String, TrialResult> storedFolds(SweepRun run) {
        Map<String, TrialResult> folds = new HashMap<>();
        for (Row r : ResultTables.read(spark, root.toString(), ResultTable.FOLDS)
                .where(functions.col("sweep_id").equalTo(run.sweepId())).collectAsList()) {
            String checksum = r.getAs("data_sha256");
            if (checksum != null && !checksum.equals(run.dataChecksum())) {
                continue;
            }
            StoredFolds.parse(r, run.spec().dataset())
                    .ifPresent(result -> folds.put(foldKey(result.trialId(), r.getAs("fold")), result));
        }
        return folds;
    }

    /** e.g. {@code 9a6d6da1c0ffee00/2}: a trial's fold. */
    public static String foldKey(String trialId, int fold) {
        return trialId + "/" + fold;
    }

    /** The name a fold's checkpoints are kept under: its trial's, with the fold. */
    public static String foldCheckpointId(String trialId, int fold) {
        return trialId + ".f" + fold;
    }

    /**
     * Keeps a halving trial's checkpoint beside its results (staged and renamed: whole or absent). Each epoch count
     * has its own file, so the checkpoint the trial's stored row continues from stays in place until a newer row is
     * written and {@link #deleteCheckpoints} retires it: a driver killed between the two leaves both, never neither.
     */
    public void writeCheckpoint(SweepRun run, String trialId, TrialTrainer.Checkpoint checkpoint) {
        Path target = checkpointPath(run.sweepId(), trialId, checkpoint.epochs());
        Path staging = new Path(new Path(root, STAGING), UUID.randomUUID() + ".ckpt");
        try (DataOutputStream out = fs.create(staging, true)) {
            out.writeInt(checkpoint.epochs());
            out.write(checkpoint.state());
        } catch (IOException | FSError e) {
            throw writeFailure("writing a checkpoint to " + root, e);
        }
        try {
            fs.mkdirs(target.getParent());
            fs.delete(target, false);
            if (!fs.rename(staging, target)) {
                throw new IOException("could not move " + staging + " to " + target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing a checkpoint to " + root + ": " + e.getMessage(), e);
        }
    }

    /** A halving trial's checkpoint after {@code epochs} epochs, or null when there is none. */
    public TrialTrainer.Checkpoint readCheckpoint(String sweepId, String trialId, int epochs) {
        Path file = checkpointPath(sweepId, trialId, epochs);
        try {
            if (!fs.exists(file)) {
                return null;
            }
            try (DataInputStream in = fs.open(file)) {
                return new TrialTrainer.Checkpoint(in.readInt(), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a trial's checkpoints except the one after {@code keepEpochs} epochs (0: deletes them all). */
    public void deleteCheckpoints(String sweepId, String trialId, int keepEpochs) {
        try {
            for (FileStatus f : checkpoints(sweepId)) {
                CheckpointName name = CheckpointName.parse(f.getPath().getName());
                boolean ours = name != null && (name.trialId().equals(trialId)
                        || name.trialId().startsWith(trialId + ".f"));
                if (ours && name.epochs() != keepEpochs) {
                    fs.delete(f.getPath(), false);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("deleting checkpoints in " + root + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the sweep's checkpoint folder, once every trial is final (with anything left in it by hand). */
    public void deleteAllCheckpoints(String sweepId) {
        try {
            fs.delete(new Path(new Path(root, CHECKPOINTS), sweepId), true);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting checkpoints in " + root + ": " + e.getMessage(), e);
        }
    }

    private FileStatus[] checkpoints(String sweepId) throws IOException {
        Path dir = new Path(new Path(root, CHECKPOINTS), sweepId);
        return fs.exists(dir) ? fs.listStatus(dir) : new FileStatus[0];
    }

    private Path checkpointPath(String sweepId, String trialId, int epochs) {
        return new Path(new Path(new Path(root, CHECKPOINTS), sweepId), new CheckpointName(trialId, epochs).toString());
    }

    /** {@code <trial_id>-<epochs>.ckpt} */
    private record CheckpointName(String trialId, int epochs) {
        private static final Pattern FORMAT = Pattern.compile("(.+)-(\\d{1,9})\\.ckpt");

        /** null for a file that is not a checkpoint of this format */
        static CheckpointName parse(String fileName) {
            Matcher m = FORMAT.matcher(fileName);
            return m.matches() ? new CheckpointName(m.group(1), Integer.parseInt(m.group(2))) : null;
        }

        @Override
        public String toString() {
            return trialId + "-" + epochs + ".ckpt";
        }
    }

    /** Writes every table's rows of one trial, replacing its earlier rows; the {@code trials} row last. */
    public void writeTrial(SweepRun run, TrialResult result) {
        writeTrials(run, new TrialGroup(List.of(result), true, List.of(), List.of()));
    }

    /**
     * Commits the rows of trials that finished close together, one transaction per table: first the {@code models}
     * rows of the networks kept among them (their files are in place) with the deletion of the rows of the models
     * they push out, then the per-trial tables, the {@code trials} rows last. Rows replace those of the same trials
     * when {@code replacing} (the caller knows a trial has rows already: a halving trial's earlier rung) or a trial
     * was among the {@link #storedTrials}; otherwise they are appended, the cheaper commit ({@link #removeOrphans}
     * has cleared rows a killed driver left of trials without a {@code trials} row).
     */
    public void writeTrials(SweepRun run, TrialGroup group) {
        if (group.results().isEmpty()) {
            return;
        }
        List<String> ids = group.results().stream().map(TrialResult::trialId).toList();
        boolean replacing = group.replacing()
                || ids.stream().anyMatch(id -> written.contains(run.sweepId() + "/" + id));
        writeModels(run, group.models(), group.evictedModels(), replacing);
        // trials last: its row vouches for the trial's rows in the other tables
        for (ResultTable table : List.of(ResultTable.EPOCHS, ResultTable.CLASS_METRICS, ResultTable.CONFUSION,
                ResultTable.TRIALS)) {
            writeRows(run, table, group.results(), ids, replacing);
        }
        // each commit adds a file per table: a long sweep's are compacted every so many
        if (commits.merge(run.sweepId(), 1, Integer::sum) % COMPACT_EVERY == 0) {
            compact(run.sweepId());
        }
    }

    private void writeRows(SweepRun run, ResultTable table, List<TrialResult> results, List<String> ids,
            boolean replacing) {
        List<Row> rows = new ArrayList<>();
        for (TrialResult result : results) {
            rows.addAll(ResultRows.of(table, run, result));
        }
        if (replacing) {
            tables.replace(table, run.sweepId(), rows, DeltaTables.in("trial_id", ids));
        } else {
            tables.append(table, run.sweepId(), rows);
        }
    }

    /** The rows a group commit writes: trials' results, models kept among them, models they push out. */
    public record TrialGroup(List<TrialResult> results, boolean replacing, List<KeptModel> models,
            List<String> evictedModels) {
    }

    /**
     * Writes kept models' rows and deletes those of {@code evicted}, in one transaction: appended (the cheaper
     * commit) when nothing is deleted and the trials cannot have rows yet.
     */
    private void writeModels(SweepRun run, List<KeptModel> models, List<String> evicted, boolean replacing) {
        if (models.isEmpty() && evicted.isEmpty()) {
            return;
        }
        if (evicted.isEmpty() && !replacing) {
            tables.append(ResultTable.MODELS, run.sweepId(), models.stream().map(m -> ResultRows.model(run, m))
                    .toList());
            return;
        }
        Set<String> ids = new TreeSet<>(evicted);
        models.forEach(m -> ids.add(m.trialId()));
        tables.replace(ResultTable.MODELS, run.sweepId(), models.stream().map(m -> ResultRows.model(run, m)).toList(),
                DeltaTables.in("trial_id", ids));
    }

    /**
     * Deletes the rows of {@code sweepId}'s trials whose {@code trials} row is missing: left by a driver killed
     * between a batch's transactions. Readers never see them (see {@link ResultTables#registerViews}); this lets the
     * rerun of those trials append their rows instead of replacing them. Returns how many trials had such rows.
     */
    public int removeOrphans(String sweepId) {
        Map<ResultTable, List<String>> orphans = orphansByTable(sweepId);
        orphans.forEach((table, ids) -> tables.replace(table, sweepId, List.of(), DeltaTables.in("trial_id", ids)));
        return (int) orphans.values().stream().flatMap(List::stream).distinct().count();
    }

    /** The trials of {@code sweepId} that have rows in some table but no {@code trials} row. */
    public Set<String> orphans(String sweepId) {
        Set<String> ids = new TreeSet<>();
        orphansByTable(sweepId).values().forEach(ids::addAll);
        return ids;
    }

    private Map<ResultTable, List<String>> orphansByTable(String sweepId) {
        Map<ResultTable, List<String>> orphans = new LinkedHashMap<>();
        if (!tables.exists(ResultTable.TRIALS) && !tables.exists(ResultTable.EPOCHS)) {
            return orphans;
        }
        Dataset<Row> written = ResultTables.read(spark, root.toString(), ResultTable.TRIALS)
                .where(functions.col("sweep_id").equalTo(sweepId)).select("trial_id");
        Dataset<Row> any = ORPHANABLE.stream().map(table -> ResultTables.read(spark, root.toString(), table)
                .where(functions.col("sweep_id").equalTo(sweepId)).select("trial_id")).reduce(Dataset::union)
                .orElseThrow();
        if (any.except(written).isEmpty()) { // one query for the common case: nothing left by a killed driver
            return orphans;
        }
        for (ResultTable table : ORPHANABLE) {
            List<String> found = ResultTables.read(spark, root.toString(), table)
                    .where(functions.col("sweep_id").equalTo(sweepId)).select("trial_id").distinct().except(written)
                    .as(Encoders.STRING()).collectAsList();
            if (!found.isEmpty()) {
                orphans.put(table, found);
            }
        }
        return orphans;
    }

    /**
     * Rewrites each table's rows of {@code sweepId} into one file where this run added more than a handful
     * ({@link #HANDFUL}): a small sweep's few files cost readers nothing worth a rewrite.
     */
    public void compact(String sweepId) {
        for (ResultTable table : ResultTable.values()) {
            tables.compact(table, sweepId, HANDFUL);
        }
    }

    /**
     * Hadoop's local file system reports a failed write (a full disk) as an {@link FSError}, an Error that would
     * escape every handler: here it becomes the exception it wraps.
     */
    static UncheckedIOException writeFailure(String what, Throwable e) {
        Throwable cause = e instanceof FSError && e.getCause() != null ? e.getCause() : e;
        IOException io = cause instanceof IOException already ? already : new IOException(cause);
        return new UncheckedIOException(what + ": " + cause.getMessage(), io);
    }

    /** Writes (or replaces) a kept model's row; its file must be in place first (see {@link ModelStore}). */
    public void writeModel(SweepRun run, KeptModel model) {
        tables.replace(ResultTable.MODELS, run.sweepId(), List.of(ResultRows.model(run, model)),
                DeltaTables.in("trial_id", List.of(model.trialId())));
    }

    /** Deletes kept models' rows (before their files, so no row ever names a missing file). */
    public void deleteModelRows(String sweepId, List<String> trialIds) {
        if (!trialIds.isEmpty()) {
            tables.replace(ResultTable.MODELS, sweepId, List.of(), DeltaTables.in("trial_id", trialIds));
        }
    }

    /** The kept models of {@code sweepId} whose trial's row is written. */
    public List<KeptModel> storedModels(String sweepId) {
        Dataset<Row> trials = ResultTables.read(spark, root.toString(), ResultTable.TRIALS)
                .where(functions.col("sweep_id").equalTo(sweepId)).select("sweep_id", "trial_id");
        return ResultTables.read(spark, root.toString(), ResultTable.MODELS)
                .where(functions.col("sweep_id").equalTo(sweepId))
                .join(trials, CollectionConverters.asScala(List.of("sweep_id", "trial_id")).toSeq(), "left_semi")
                .collectAsList().stream().map(ResultStore::keptModel).toList();
    }

    static KeptModel keptModel(Row r) {
        return new KeptModel(r.getAs("trial_id"), r.getAs("refit_of"), r.getAs("path"), r.<Long>getAs("bytes"),
                r.getAs("sha256"), r.getAs("metric_value"), r.getAs("test_accuracy"),
                r.<Timestamp>getAs("saved_at").toInstant());
    }

    /** Writes (or, when it finishes, replaces) the {@code sweeps} row of a run. */
    /** @param stoppedBy the budget limit that stopped the sweep starting trials (trials, time, target), or null */
    public void writeSweep(SweepRun run, int trialsPlanned, Instant finishedAt, String versions, String stoppedBy) {
        List<Row> row = List.of(ResultRows.sweep(run, trialsPlanned, finishedAt, versions, stoppedBy));
        if (runs.add(run.runId())) { // a new run id: its first row is new
            tables.append(ResultTable.SWEEPS, run.sweepId(), row);
        } else {
            tables.replace(ResultTable.SWEEPS, run.sweepId(), row, DeltaTables.in("run_id", List.of(run.runId())));
        }
    }
}
