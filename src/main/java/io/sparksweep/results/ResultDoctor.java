package io.sparksweep.results;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds what keeps the result tables from being read, and moves it aside: Parquet files that cannot be read to
 * the end (truncated, corrupt, failing their checksum) and staging files that no write is using any more. A trial
 * with an unreadable file in any table also has its {@code trials} file moved aside, so the next run of its sweep
 * trains it again instead of counting it finished with rows missing. Nothing is deleted: files go to
 * {@code _quarantine/<time>/<table>/} under the output, which no reader looks into.
 */
public final class ResultDoctor {
    /** A staging file lives while one result file is written; one this old belongs to no running write. */
    public static final Duration STALE_STAGING = Duration.ofMinutes(15);
    static final String QUARANTINE = "_quarantine";

    /** One file found, and why. */
    public record Finding(String table, Path file, String problem) {
    }

    /**
     * @param unreadable files that cannot be read, with the reason
     * @param alsoMoved  readable {@code trials} files of trials with an unreadable file elsewhere
     * @param trialIds   the trials a rerun of their sweep will train again
     * @param movedTo    where the files went (null when nothing was found, or only listed)
     */
    public record Report(List<Finding> unreadable, List<Finding> staleStaging, List<Finding> alsoMoved,
            Set<String> trialIds, Path movedTo) {
        public boolean clean() {
            return unreadable.isEmpty() && staleStaging.isEmpty();
        }
    }

    private final FileSystem fs;
    private final Configuration conf;
    private final Path root;

    public ResultDoctor(Configuration conf, String outputDir) {
        this.conf = conf;
        try {
            this.fs = new Path(outputDir).getFileSystem(conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // qualified, as the paths listings return, so that a path built here equals a listed one
        this.root = fs.makeQualified(new Path(outputDir));
    }

    /** Checks every result file; moves the findings aside unless {@code listOnly}. */
    public Report examine(boolean listOnly, Instant now) throws IOException {
        List<Finding> unreadable = unreadable();
        List<Finding> staleStaging = staleStaging(now);
        Set<String> trialIds = new TreeSet<>();
        unreadable.stream().filter(f -> !f.table().equals(ResultTable.SWEEPS.tableName()))
                .forEach(f -> trialIds.add(trialId(f.file().getName())));
        List<Finding> alsoMoved = trialsRowsOf(unreadable);
        Path movedTo = null;
        if (!listOnly && !(unreadable.isEmpty() && staleStaging.isEmpty())) {
            movedTo = new Path(new Path(root, QUARANTINE),
                    DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(now));
            for (List<Finding> findings : List.of(unreadable, alsoMoved, staleStaging)) {
                for (Finding finding : findings) {
                    moveAside(finding, movedTo);
                }
            }
        }
        return new Report(unreadable, staleStaging, alsoMoved, trialIds, movedTo);
    }

    private List<Finding> unreadable() throws IOException {
        List<Finding> unreadable = new ArrayList<>();
        for (ResultTable table : ResultTable.values()) {
            for (FileStatus file : parquetFiles(new Path(root, table.tableName()))) {
                String problem = readProblem(file.getPath());
                if (problem != null) {
                    unreadable.add(new Finding(table.tableName(), file.getPath(), problem));
                }
            }
        }
        return unreadable;
    }

    /** The readable {@code trials} files of trials that have an unreadable file in another table. */
    private List<Finding> trialsRowsOf(List<Finding> unreadable) throws IOException {
        Set<Path> taken = new HashSet<>();
        unreadable.forEach(f -> taken.add(f.file()));
        List<Finding> rows = new ArrayList<>();
        for (Finding finding : unreadable) {
            if (finding.table().equals(ResultTable.SWEEPS.tableName())
                    || finding.table().equals(ResultTable.TRIALS.tableName())
                    || finding.table().equals(ResultTable.IMPORTANCE.tableName())) {
                continue;
            }
            Path trialsFile = new Path(new Path(root, ResultTable.TRIALS.tableName()),
                    withoutFold(finding.file().getName()));
            if (fs.exists(trialsFile) && taken.add(trialsFile)) {
                rows.add(new Finding(ResultTable.TRIALS.tableName(), trialsFile,
                        "its trial's " + finding.table() + " file is unreadable"));
            }
        }
        return rows;
    }

    /** A fold's file {@code part-<sweep_id>-<trial_id>-f<fold>.parquet} -> its trial's file name. */
    private static String withoutFold(String fileName) {
        return fileName.replaceFirst("-f\\d+\\.parquet$", ".parquet");
    }

    /** {@code part-<sweep_id>-<trial_id>.parquet} (or a fold's) -> trial_id */
    private static String trialId(String fileName) {
        String stem = withoutFold(fileName).replaceFirst("\\.parquet$", "");
        return stem.substring(stem.lastIndexOf('-') + 1);
    }

    private FileStatus[] parquetFiles(Path dir) throws IOException {
        if (!fs.exists(dir)) {
            return new FileStatus[0];
        }
        return fs.listStatus(dir, path -> path.getName().endsWith(".parquet") && !path.getName().startsWith("."));
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
