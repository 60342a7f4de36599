package io.sparksweep.results;

import io.sparksweep.BadInputException;
import io.sparksweep.train.TrialResult;
import io.sparksweep.train.TrialStatus;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import scala.jdk.javaapi.CollectionConverters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Writes results as Parquet under the output directory, one folder per {@link ResultTable}. Each trial is
 * written as soon as it finishes, one file per table named after the sweep and the trial: Spark writes it into a
 * staging folder that readers never look at, then it is renamed into place. So a reader sees a trial's file
 * whole or not at all, rewriting a trial replaces its file instead of duplicating its rows, and the {@code trials}
 * row, written last, marks a trial whose other rows are all in place. Works on any Hadoop file system.
 */
public final class ResultStore {
    static final String STAGING = "_staging";
    /** Halving trials' checkpoints, per sweep: {@code _checkpoints/<sweep_id>/<trial_id>-<epochs>.ckpt}; invisible to readers. */
    private static final String CHECKPOINTS = "_checkpoints";

    private final SparkSession spark;
    private final Path root;
    private final FileSystem fs;

    public ResultStore(SparkSession spark, String outputDir) {
        this.spark = spark;
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        this.root = new Path(outputDir);
        try {
            this.fs = root.getFileSystem(conf);
        } catch (IOException e) {
            throw new BadInputException("output " + outputDir + ": " + e.getMessage(), e);
        }
    }

    public String root() {
        return root.toString();
    }

    /** The trials of a sweep already in the output, by trial id. */
    public java.util.Map<String, StoredTrial> storedTrials(String sweepId) {
        java.util.Map<String, StoredTrial> stored = new java.util.HashMap<>();
        for (Row r : ResultTables.read(spark, root.toString(), ResultTable.TRIALS)
                .where(org.apache.spark.sql.functions.col("sweep_id").equalTo(sweepId))
                .select("trial_id", "status", "config", "epochs_trained", "train_seconds", "started_at", "finished_at",
                        "data_sha256")
                .collectAsList()) {
            stored.put(r.getString(0), new StoredTrial(r.getString(0), TrialStatus.valueOf(r.getString(1)),
                    r.getString(2),
                    r.isNullAt(3) ? null : r.getInt(3), r.getDouble(4), r.getTimestamp(5).toInstant(),
                    r.getTimestamp(6).toInstant(), r.getString(7)));
        }
        return stored;
    }

    /** The stored epochs of every trial of {@code sweepId} whose {@code trials} row is written, in epoch order. */
    public java.util.Map<String, List<io.sparksweep.train.EpochMetrics>> storedEpochs(String sweepId) {
        java.util.Map<String, List<io.sparksweep.train.EpochMetrics>> epochs = new java.util.HashMap<>();
        org.apache.spark.sql.Dataset<Row> trials = ResultTables.read(spark, root.toString(), ResultTable.TRIALS)
                .where(org.apache.spark.sql.functions.col("sweep_id").equalTo(sweepId)).select("sweep_id", "trial_id");
        for (Row r : ResultTables.read(spark, root.toString(), ResultTable.EPOCHS)
                .join(trials, scala.jdk.javaapi.CollectionConverters.asScala(List.of("sweep_id", "trial_id")).toSeq(),
                        "left_semi")
                .orderBy("trial_id", "epoch").collectAsList()) {
            epochs.computeIfAbsent(r.getAs("trial_id"), k -> new java.util.ArrayList<>()).add(
                    new io.sparksweep.train.EpochMetrics(r.getAs("epoch"), r.getAs("train_loss"), r.getAs("val_loss"),
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
        ResultTables.registerViews(spark, root.toString(), run.spec().name());
        List<ParameterImportance.Importance> importances = ParameterImportance.of(spark, run.sweepId());
        String file = "part-" + run.sweepId() + ".parquet";
        if (importances.isEmpty()) {
            try {
                fs.delete(new Path(new Path(root, ResultTable.IMPORTANCE.tableName()), file), false);
            } catch (IOException e) {
                throw new UncheckedIOException("writing importance to " + root + ": " + e.getMessage(), e);
            }
        } else {
            write(ResultTable.IMPORTANCE, ResultRows.importance(run, importances, Instant.now()), file);
        }
        return importances;
    }

    /** Writes one fold's row (replacing the fold's earlier row: a halving fold's is rewritten after each rung). */
    public void writeFold(SweepRun run, int fold, TrialResult result) {
        write(ResultTable.FOLDS, List.of(ResultRows.fold(run, fold, result)),
                "part-" + run.sweepId() + "-" + result.trialId() + "-f" + fold + ".parquet");
    }

    /**
     * The folds of this sweep already in the output, trained on this run's data, as results to continue from or
     * to take as they are: by {@link #foldKey}. Read raw, so folds of a trial whose {@code trials} row a killed
     * driver never wrote are found too.
     */
    public java.util.Map<String, TrialResult> storedFolds(SweepRun run) {
        java.util.Map<String, TrialResult> folds = new java.util.HashMap<>();
        for (Row r : ResultTables.read(spark, root.toString(), ResultTable.FOLDS)
                .where(org.apache.spark.sql.functions.col("sweep_id").equalTo(run.sweepId())).collectAsList()) {
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
    public void writeCheckpoint(SweepRun run, String trialId, io.sparksweep.train.TrialTrainer.Checkpoint checkpoint) {
        Path target = checkpointPath(run.sweepId(), trialId, checkpoint.epochs());
        Path staging = new Path(new Path(root, STAGING), UUID.randomUUID() + ".ckpt");
        try (java.io.DataOutputStream out = fs.create(staging, true)) {
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
    public io.sparksweep.train.TrialTrainer.Checkpoint readCheckpoint(String sweepId, String trialId, int epochs) {
        Path file = checkpointPath(sweepId, trialId, epochs);
        try {
            if (!fs.exists(file)) {
                return null;
            }
            try (java.io.DataInputStream in = fs.open(file)) {
                return new io.sparksweep.train.TrialTrainer.Checkpoint(in.readInt(), in.readAllBytes());
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
        private static final java.util.regex.Pattern FORMAT = java.util.regex.Pattern.compile("(.+)-(\\d{1,9})\\.ckpt");

        /** null for a file that is not a checkpoint of this format */
        static CheckpointName parse(String fileName) {
            java.util.regex.Matcher m = FORMAT.matcher(fileName);
            return m.matches() ? new CheckpointName(m.group(1), Integer.parseInt(m.group(2))) : null;
        }

        @Override
        public String toString() {
            return trialId + "-" + epochs + ".ckpt";
        }
    }

    /** Writes every table's rows of one finished trial; the {@code trials} row last. */
    public void writeTrial(SweepRun run, TrialResult result) {
        // (a halving trial's rows are rewritten after each rung: same file names, replaced whole)
        String file = "part-" + run.sweepId() + "-" + result.trialId() + ".parquet";
        write(ResultTable.EPOCHS, ResultRows.epochs(run, result), file);
        write(ResultTable.CLASS_METRICS, ResultRows.classMetrics(run, result), file);
        write(ResultTable.CONFUSION, ResultRows.confusion(run, result), file);
        write(ResultTable.TRIALS, List.of(ResultRows.trial(run, result)), file);
    }

    /**
     * Deletes the per-trial files of {@code sweepId} whose {@code trials} file is missing: left by a driver killed
     * between a trial's files. Readers never see them (see {@link ResultTables#registerViews}); rerunning the trial
     * would replace them; this keeps raw reads of the folders clean too.
     */
    public int removeOrphans(String sweepId) {
        String prefix = "part-" + sweepId + "-";
        try {
            java.util.Set<String> written = new java.util.HashSet<>();
            for (FileStatus f : list(ResultTable.TRIALS, prefix)) {
                written.add(f.getPath().getName());
            }
            int removed = 0;
            for (ResultTable table : List.of(ResultTable.EPOCHS, ResultTable.CLASS_METRICS, ResultTable.CONFUSION,
                    ResultTable.MODELS)) {
                for (FileStatus f : list(table, prefix)) {
                    if (!written.contains(f.getPath().getName()) && fs.delete(f.getPath(), false)) {
                        removed++;
                    }
                }
            }
            return removed;
        } catch (IOException e) {
            throw new UncheckedIOException("cleaning " + root + ": " + e.getMessage(), e);
        }
    }

    private FileStatus[] list(ResultTable table, String prefix) throws IOException {
        FileStatus[] files = fs.globStatus(new Path(new Path(root, table.tableName()), prefix + "*.parquet"));
        return files == null ? new FileStatus[0] : files;
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
        write(ResultTable.MODELS, List.of(ResultRows.model(run, model)), trialFile(run.sweepId(), model.trialId()));
    }

    /** Deletes a kept model's row (before its file, so no row ever names a missing file). */
    public void deleteModelRow(String sweepId, String trialId) {
        Path row = new Path(new Path(root, ResultTable.MODELS.tableName()), trialFile(sweepId, trialId));
        try {
            fs.delete(row, false);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting a model's row in " + root + ": " + e.getMessage(), e);
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
                r.<java.sql.Timestamp>getAs("saved_at").toInstant());
    }

    private static String trialFile(String sweepId, String trialId) {
        return "part-" + sweepId + "-" + trialId + ".parquet";
    }

    /** Writes (or, when it finishes, replaces) the {@code sweeps} row of a run. */
    /** @param stoppedBy the budget limit that stopped the sweep starting trials (trials, time, target), or null */
    public void writeSweep(SweepRun run, int trialsPlanned, Instant finishedAt, String versions, String stoppedBy) {
        write(ResultTable.SWEEPS, List.of(ResultRows.sweep(run, trialsPlanned, finishedAt, versions, stoppedBy)),
                "part-" + run.sweepId() + "-" + run.runId() + ".parquet");
    }

    /**
     * Writes the rows to a staging file, then renames it into the table's folder: readers see the whole file or
     * none of it. Written on the driver (see {@link ParquetFiles}): no Spark job, no executor slot taken.
     */
    private void write(ResultTable table, List<Row> rows, String fileName) {
        if (rows.isEmpty()) {
            return;
        }
        Path staging = new Path(new Path(root, STAGING), UUID.randomUUID() + ".parquet");
        try {
            ParquetFiles.write(spark.sparkContext().hadoopConfiguration(), staging, table.schema(), rows);
            Path tableDir = new Path(root, table.tableName());
            fs.mkdirs(tableDir);
            Path target = new Path(tableDir, fileName);
            if (fs.exists(target)) {
                fs.delete(target, false);
            }
            if (!fs.rename(staging, target)) {
                throw new IOException("could not move " + staging + " to " + target);
            }
        } catch (IOException | FSError e) {
            throw writeFailure("writing " + table.tableName() + " to " + root, e);
        } finally {
            try {
                fs.delete(staging, false);
                // the writer's checksum file, on file systems that keep one
                fs.delete(new Path(staging.getParent(), "." + staging.getName() + ".crc"), false);
            } catch (IOException ignored) {
                // a leftover staging file is invisible to readers
            }
        }
    }
}
