package io.sparksweep.results;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;

/**
 * The kept models' files under the output: {@code model_files/<sweep_id>/<trial_id>.zip}, each written into the
 * staging folder and renamed into place, so a file under that name is always whole. A folder of its own, beside
 * the tables rather than inside the {@code models} table's folder: Spark (and Delta) read every file in a table's
 * folder as table data. Works on any Hadoop file system, like the result tables.
 */
public final class ModelStore {
    private static final String FOLDER = "model_files";
    private static final String SUFFIX = ".zip";

    private final Path root;
    private final FileSystem fs;

    public ModelStore(Configuration conf, String outputDir) {
        this.root = new Path(outputDir);
        try {
            this.fs = root.getFileSystem(conf);
        } catch (IOException e) {
            throw new UncheckedIOException("output " + outputDir + ": " + e.getMessage(), e);
        }
    }

    /** Where a file is, its size and the SHA-256 of its bytes. */
    public record Written(String path, long bytes, String sha256) {
    }

    /** Writes a model's file (replacing the trial's earlier one) and returns what its row records. */
    public Written write(String sweepId, String trialId, byte[] zip) {
        Path target = path(sweepId, trialId);
        Path staging = new Path(new Path(root, ResultStore.STAGING), UUID.randomUUID() + SUFFIX);
        try {
            try (OutputStream out = fs.create(staging, true)) {
                out.write(zip);
            }
            fs.mkdirs(target.getParent());
            if (fs.exists(target)) {
                fs.delete(target, false);
            }
            if (!fs.rename(staging, target)) {
                throw new IOException("could not move " + staging + " to " + target);
            }
        } catch (IOException | FSError e) {
            throw ResultStore.writeFailure("writing a model to " + root, e);
        } finally {
            try {
                fs.delete(staging, false);
            } catch (IOException ignored) {
                // a leftover staging file is invisible to readers, and doctor sets it aside
            }
        }
        return new Written(fs.makeQualified(target).toString(), zip.length, sha256(zip));
    }

    public void delete(String sweepId, String trialId) {
        try {
            fs.delete(path(sweepId, trialId), false);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting a model in " + root + ": " + e.getMessage(), e);
        }
    }

    /** The trial ids that have a model file in {@code sweepId}'s folder. */
    public Set<String> trialIds(String sweepId) {
        Set<String> ids = new HashSet<>();
        try {
            FileStatus[] files = fs.globStatus(new Path(new Path(new Path(root, FOLDER), sweepId), "*" + SUFFIX));
            for (FileStatus f : files == null ? new FileStatus[0] : files) {
                String name = f.getPath().getName();
                ids.add(name.substring(0, name.length() - SUFFIX.length()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing models in " + root + ": " + e.getMessage(), e);
        }
        return ids;
    }

    /** A kept model's bytes (a {@link java.io.FileNotFoundException} when its file is missing). */
    public byte[] read(String sweepId, String trialId) throws IOException {
        try (FSDataInputStream in = fs.open(path(sweepId, trialId))) {
            return in.readAllBytes();
        }
    }

    public Path path(String sweepId, String trialId) {
        return new Path(new Path(new Path(root, FOLDER), sweepId), trialId + SUFFIX);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
