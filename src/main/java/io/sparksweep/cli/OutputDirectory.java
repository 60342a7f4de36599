package io.sparksweep.cli;

import io.sparksweep.BadInputException;
import io.sparksweep.results.ResultTable;
import io.sparksweep.results.ResultTables;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Checks output and report folders before any work: the path is one Hadoop understands, and a local folder can be
 * written, by writing a probe file into it or, when it does not exist yet, into the nearest folder above it that
 * does (permission bits alone do not tell: root ignores them, read-only mounts do not show). Nothing is left
 * behind: the folder itself is created by the first write. Other file systems (hdfs://, s3a://) are left to Hadoop.
 */
final class OutputDirectory {
    /** HDFS's schemes: a namenode that does not answer is known in seconds, not after Hadoop's retries. */
    private static final Set<String> HDFS_SCHEMES = Set.of("hdfs", "webhdfs", "swebhdfs");

    private OutputDirectory() {
    }

    /** For commands that read results: a local {@code output} must hold at least one result table. */
    static void requireResults(String output) {
        if (!output.contains("://") && !ResultTables.looksLikeOutput(new File(output))) {
            throw new BadInputException("no results in " + output + " (expected folders " + ResultTable.names()
                    + "); run a sweep first or pass --output");
        }
    }

    /** {@code --output}: a folder to write results into, on a file system Hadoop has. */
    static void checkWritable(String output) {
        Path local = localPath("--output", output);
        if (local != null) {
            checkLocalFolder("output " + output, local);
        }
    }

    /**
     * {@code report --to}: a local folder to write, outside the results (a report inside a table's folder would
     * be read as a table).
     */
    static void checkReportFolder(Path to, String output) {
        Path folder = to.toAbsolutePath().normalize();
        Path results = localPath("--output", output);
        if (results != null && folder.startsWith(results.toAbsolutePath().normalize())) {
            throw new BadInputException("--to " + to + " is inside the results folder " + output + ": write the "
                    + "report elsewhere (the default is ./report)");
        }
        checkLocalFolder("--to " + to, folder);
    }

    /** The local path {@code value} names, or null for another file system; refuses what Hadoop cannot use. */
    private static Path localPath(String option, String value) {
        if (value.isBlank()) {
            throw new BadInputException(option + " is empty: name a folder, e.g. " + option + " results");
        }
        URI uri;
        try {
            uri = new org.apache.hadoop.fs.Path(value).toUri();
        } catch (IllegalArgumentException e) {
            throw new BadInputException(option + " " + value + ": not a path or URI (" + e.getMessage() + "); for a "
                    + "local folder whose name has a ':', write ./" + value);
        }
        String scheme = uri.getScheme();
        if (scheme == null || scheme.equals("file")) {
            return Path.of(scheme == null ? value : uri.getPath());
        }
        try {
            FileSystem.getFileSystemClass(scheme, new Configuration());
        } catch (IOException e) {
            throw new BadInputException(option + " " + value + ": no file system for '" + scheme + ":' here (for a "
                    + "local folder whose name has a ':', write ./" + value + ")");
        }
        // Only with an explicit port: hdfs://mycluster/ names an HA nameservice that only Hadoop's settings resolve.
        if (HDFS_SCHEMES.contains(scheme) && uri.getHost() != null && uri.getPort() > 0) {
            Endpoints.unreachable(uri.getHost(), uri.getPort()).ifPresent(reason -> {
                throw new BadInputException(option + " " + value + ": the namenode does not answer: " + reason);
            });
        }
        return null;
    }

    private static void checkLocalFolder(String what, Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
            throw new BadInputException(what + " is a file, not a directory");
        }
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new BadInputException(what + " cannot be written: " + (existing == null ? "no folder above it exists"
                    : existing + " is a file"));
        }
        try {
            Files.delete(Files.createTempFile(existing, ".sparksweep-probe", ""));
        } catch (IOException | SecurityException e) {
            throw new BadInputException(what + " cannot be written: " + (existing.equals(absolute) ? ""
                    : "in " + existing + ": ") + why(e));
        }
    }

    private static String why(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException failed && failed.getReason() != null) {
            return failed.getReason();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** A path as people type it: a local file's without its {@code file:} scheme, any other as it is. */
    static String display(String path) {
        URI uri = new org.apache.hadoop.fs.Path(path).toUri();
        return "file".equals(uri.getScheme()) ? uri.getPath() : path;
    }
}
