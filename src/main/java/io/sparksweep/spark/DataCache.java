package io.sparksweep.spark;

import io.sparksweep.data.DataFile;
import io.sparksweep.data.DataReport;
import io.sparksweep.data.RawDataset;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The prepared arrays of a sweep's own data, cached under its output ({@code _data/<key>.data}), keyed by the
 * source listing: the path, size and modification time of every file read, and the options that shaped the
 * examples. A rerun or resume over unchanged files reads none of them again; a changed, added or removed file is a
 * new key. A cache file that cannot be read is passed over (the data is read again), never trusted.
 */
final class DataCache {
    static final String FOLDER = "_data";

    private DataCache() {
    }

    /**
     * A source listing's fingerprint, hashed as it is built: a tree of a million files costs a digest's state,
     * not a string of every path.
     */
    static final class Fingerprint {
        private final MessageDigest digest;

        Fingerprint() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        Fingerprint add(String text) {
            digest.update(text.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
            return this;
        }

        /** Path, size and time of the file at {@code uri}, or of every file below it. */
        Fingerprint files(Configuration conf, String uri) {
            add(uri);
            try {
                Path path = new Path(uri);
                FileSystem fs = path.getFileSystem(conf);
                if (!fs.exists(path)) {
                    return add("missing");
                }
                RemoteIterator<LocatedFileStatus> files = fs.listFiles(path, true);
                while (files.hasNext()) {
                    FileStatus status = files.next();
                    add(status.getPath() + " " + status.getLen() + " " + status.getModificationTime());
                }
            } catch (IOException e) {
                add("unlisted " + e.getMessage()); // the reader reports it
            }
            return this;
        }

        /** The cache key: the SHA-256 so far, hex. */
        String key() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    static Optional<DataFile.Read> load(Configuration conf, String output, String key) {
        Path file = new Path(new Path(output, FOLDER), key + ".data");
        try {
            FileSystem fs = file.getFileSystem(conf);
            if (!fs.exists(file)) {
                return Optional.empty();
            }
            long length = fs.getFileStatus(file).getLen();
            try (FSDataInputStream in = fs.open(file)) {
                return Optional.of(DataFile.read(new DataInputStream(new BufferedInputStream(in, 1 << 20)), length));
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Writes the cache file whole: staged under a temporary name, then renamed into place. A cache that could not
     * be written costs the next run a read, nothing more: the problem is returned for a warning.
     */
    static Optional<String> save(Configuration conf, String output, String key, RawDataset raw, DataReport report) {
        Path dir = new Path(output, FOLDER);
        Path staged = new Path(dir, "." + key + ".staged");
        try {
            FileSystem fs = dir.getFileSystem(conf);
            fs.mkdirs(dir);
            try (FSDataOutputStream out = fs.create(staged, true)) {
                DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, 1 << 20));
                DataFile.write(data, raw, report);
                data.flush();
            }
            Path target = new Path(dir, key + ".data");
            fs.delete(target, false);
            if (!fs.rename(staged, target)) {
                fs.delete(staged, false);
                return Optional.of("cannot rename " + staged + " to " + target);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        }
    }
}
