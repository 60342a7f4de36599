package io.sparksweep.cli;

import io.sparksweep.BadInputException;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks a local output directory before anything is written to it (other file systems are left to Hadoop). */
final class OutputDirectory {
    private OutputDirectory() {
    }

    static void checkWritable(String output) {
        if (output.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !output.startsWith("file:")) {
            return; // hdfs://, s3a://, ...: checked when written
        }
        Path path = Path.of(output.startsWith("file:") ? java.net.URI.create(output).getPath() : output)
                .toAbsolutePath();
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new BadInputException("output " + output + " is a file, not a directory");
        }
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw new BadInputException("output " + output + " cannot be written: "
                    + (existing == null ? "no existing parent" : existing + " is not a writable directory"));
        }
    }
}
