package io.sparksweep.results;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds what keeps the result tables from being read, and puts it right: data files of the Delta tables that cannot
 * be read to the end (truncated, corrupt, failing their checksum) and staging files that no write is using any more.
 * Nothing is deleted: files go to {@code _quarantine/<time>/<table>/} under the output, which no reader looks into.
 * Then each damaged table is repaired, one sweep's partition at a time, by a Delta transaction that rewrites what
 * can still be read; and the trials whose rows were lost lose their {@code trials} row too, so that the next run of
 * their sweep trains them again instead of counting them finished with rows missing.
 */
public final class ResultDoctor {
    /** A staging file lives while one checkpoint is written; one this old belongs to no running write. */
    public static final Duration STALE_STAGING = Duration.ofMinutes(15);
    static final String QUARANTINE = "_quarantine";
    /** The tables whose rows every trial evaluated on the test set has, with the trials that lack them. */
    private static final Map<ResultTable, String> EXPECTED = Map.of(
            ResultTable.EPOCHS, "t.epochs_trained > coalesce(r.n, 0)",
            ResultTable.CLASS_METRICS, "t.test_accuracy IS NOT NULL AND r.n IS NULL",
            ResultTable.CONFUSION, "t.test_accuracy IS NOT NULL AND r.n IS NULL");

    /** One file found, and why. */
    public record Finding(String table, Path file, String problem) {
    }

    /**
     * @param unreadable   files that cannot be read, with the reason
     * @param staleStaging staging files no write is using
     * @param trialIds     the trials a rerun of their sweep will train again (known once the tables are repaired)
     * @param movedTo      where the files went (null when nothing was found, or only listed)
     */
    public record Report(List<Finding> unreadable, List<Finding> staleStaging, Set<String> trialIds, Path movedTo) {
        public boolean clean() {
            return unreadable.isEmpty() && staleStaging.isEmpty();
        }
    }

    private final SparkSession spark;
    private final FileSystem fs;
    private final Configuration conf;
    private final Path root;
    private final DeltaTables tables;

    public ResultDoctor(SparkSession spark, String outputDir) {
        this.spark = spark;
        this.conf = spark.sparkContext().hadoopConfiguration();
        try {
            this.fs = new Path(outputDir).getFileSystem(conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // qualified, as the paths listings return, so that a path built here equals a listed one
        this.root = fs.makeQualified(new Path(outputDir));
        this.tables = new DeltaTables(spark, root, fs);
    }

    /** Checks every result file; moves the findings aside and repairs the tables unless {@code listOnly}. */
    public Report examine(boolean listOnly, Instant now) throws IOException {
        List<Finding> unreadable = unreadable();
        List<Finding> staleStaging = staleStaging(now);
        if (listOnly || (unreadable.isEmpty() && staleStaging.isEmpty())) {
            return new Report(unreadable, staleStaging, Set.of(), null);
        }
        Path movedTo = new Path(new Path(root, QUARANTINE),
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(now));
        for (List<Finding> findings : List.of(unreadable, staleStaging)) {
            for (Finding finding : findings) {
                moveAside(finding, movedTo);
            }
        }
        Set<String> trialIds = new TreeSet<>();
        for (String sweepId : repair(unreadable)) {
            trialIds.addAll(dropIncompleteTrials(sweepId));
        }
        return new Report(unreadable, staleStaging, trialIds, movedTo);
    }

    /** The files of the tables' current versions that cannot be read. */
    private List<Finding> unreadable() {
        List<Finding> unreadable = new ArrayList<>();
        for (ResultTable table : ResultTable.values()) {
            if (!tables.exists(table)) {
                continue;
            }
            for (String file : spark.read().format("delta").load(tables.path(table)).inputFiles()) {
                Path path = new Path(file);
                String problem = readProblem(path);
                if (problem != null) {
                    unreadable.add(new Finding(table.tableName(), path, problem));
                }
            }
        }
        return unreadable;
    }

    /**
     * Rewrites each damaged table's partitions that had an unreadable file from what is left (the files are
     * moved aside by now: read as missing). Returns the sweeps repaired.
     */
    private Set<String> repair(List<Finding> unreadable) {
        Set<String> sweeps = new TreeSet<>();
        String missing = "spark.sql.files.ignoreMissingFiles";
        String before = spark.conf().get(missing, "false");
        spark.conf().set(missing, "true");
        try {
            for (Finding finding : unreadable) {
                String sweepId = partitionOf(finding.file());
                ResultTable table = ResultTable.valueOf(finding.table().toUpperCase(Locale.ROOT));
                if (sweeps.add(table + "/" + sweepId)) {
                    tables.replace(table, sweepId, spark.read().format("delta").load(tables.path(table))
                            .where(DeltaTables.inSweep(sweepId)), null);
                }
            }
        } finally {
            spark.conf().set(missing, before);
        }
        Set<String> repaired = new TreeSet<>();
        sweeps.forEach(s -> repaired.add(s.substring(s.indexOf('/') + 1)));
        return repaired;
    }

    /** {@code .../sweep_id=<id>/part-....parquet} -> the sweep id */
    private static String partitionOf(Path file) {
        String dir = file.getParent().getName();
        return dir.substring(dir.indexOf('=') + 1);
    }

    /**
     * Deletes the {@code trials} rows of the sweep's trials whose other rows are incomplete, and returns them with
     * the trials whose {@code trials} row itself was lost (they have rows elsewhere, no {@code trials} row): a
     * rerun of the sweep trains both again.
     */
    private Set<String> dropIncompleteTrials(String sweepId) {
        Dataset<Row> trials = ResultTables.read(spark, root.toString(), ResultTable.TRIALS)
                .where(DeltaTables.inSweep(sweepId)).alias("t");
        Set<String> incomplete = new TreeSet<>();
        for (Map.Entry<ResultTable, String> expected : EXPECTED.entrySet()) {
            Dataset<Row> counts = ResultTables.read(spark, root.toString(), expected.getKey())
                    .where(DeltaTables.inSweep(sweepId)).groupBy("trial_id").count()
                    .withColumnRenamed("count", "n").alias("r");
            incomplete.addAll(trials.join(counts, trials.col("trial_id").equalTo(counts.col("trial_id")), "left")
                    .where(expected.getValue()).select("t.trial_id").as(Encoders.STRING()).collectAsList());
        }
        if (!incomplete.isEmpty()) {
            tables.replace(ResultTable.TRIALS, sweepId, List.of(), DeltaTables.in("trial_id", incomplete));
        }
        Set<String> rerun = new TreeSet<>(incomplete);
        rerun.addAll(new ResultStore(spark, root.toString()).orphans(sweepId));
        return rerun;
    }

    /** Null when every value of the file can be read (checksums verified where the file system keeps them). */
    private String readProblem(Path file) {
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf)
                .build()) {
            while (reader.read() != null) {
                // decode every value: a damaged page fails here, not only a damaged footer
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return firstLine(e);
        }
    }

    private List<Finding> staleStaging(Instant now) throws IOException {
        List<Finding> stale = new ArrayList<>();
        Path staging = new Path(root, ResultStore.STAGING);
        if (!fs.exists(staging)) {
            return stale;
        }
        for (FileStatus file : fs.listStatus(staging)) {
            Duration age = Duration.between(Instant.ofEpochMilli(file.getModificationTime()), now);
            if (age.compareTo(STALE_STAGING) > 0) {
                stale.add(new Finding(ResultStore.STAGING, file.getPath(), "left by an interrupted write "
                        + age.toMinutes() + " minutes ago"));
            }
        }
        return stale;
    }

    /** Moves the file and, on file systems that keep one, its checksum file. */
    private void moveAside(Finding finding, Path quarantine) throws IOException {
        Path dir = new Path(quarantine, finding.table());
        fs.mkdirs(dir);
        Set<Path> files = new LinkedHashSet<>(List.of(finding.file(),
                new Path(finding.file().getParent(), "." + finding.file().getName() + ".crc")));
        for (Path file : files) {
            if (fs.exists(file) && !fs.rename(file, new Path(dir, file.getName()))) {
                throw new IOException("could not move " + file + " into " + dir);
            }
        }
    }

    static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.strip().split("\\R", 2)[0];
    }
}
