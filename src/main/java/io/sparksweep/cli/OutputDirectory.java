package io.sparksweep.cli;

import io.sparksweep.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before Spark starts, that a local output directory can be written: by creating it (if needed) and a
 * probe file in it, since permission bits alone do not tell (root ignores them, read-only mounts do not show).
 * Other file systems (hdfs://, s3a://) are left to Hadoop.
 */
final class OutputDirectory {
    private OutputDirectory() {
    }

    /** For commands that read results: a local {@code output} must hold at least one result table. */
    static void requireResults(String output) {
        if (!output.contains("://") && !io.sparksweep.results.ResultTables.looksLikeOutput(new java.io.File(output))) {
            throw new BadInputException("no results in " + output + " (expected folders "
                    + io.sparksweep.results.ResultTable.names() + "); run a sweep first or pass --output");
        }
    }

    static void checkWritable(String output) {
        if (output.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !output.startsWith("file:")) {
            return;
        }
        Path path = Path.of(output.startsWith("file:") ? java.net.URI.create(output).getPath() : output)
                .toAbsolutePath();
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new BadInputException("output " + output + " is a file, not a directory");
        }
        try {
            Files.createDirectories(path);
            Path probe = Files.createTempFile(path, ".sparksweep-probe", "");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new BadInputException("output " + output + " cannot be written: " + e);
        }
    }
}
