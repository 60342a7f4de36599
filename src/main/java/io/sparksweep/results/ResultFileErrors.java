package io.sparksweep.results;

import org.apache.spark.SparkThrowable;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns failures that come from the result files, not from SparkSweep, into one line that says what to do: a
 * result file Spark cannot read (truncated, corrupt, failing its checksum), and a full disk.
 */
public final class ResultFileErrors {
    private ResultFileErrors() {
    }

    /** The one-line explanation when {@code e} (or a cause) is such a failure. */
    public static Optional<String> explain(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SparkThrowable spark && spark.getCondition() != null
                    && spark.getCondition().startsWith("FAILED_READ_FILE")) {
                String path = spark.getMessageParameters().getOrDefault("path", "?");
                return Optional.of("result file " + path + " cannot be read (" + ResultDoctor.firstLine(t) + "): "
                        + "'sparksweep doctor --output " + outputOf(path) + "' moves unreadable result files aside, "
                        + "then rerunning the sweep trains their trials again");
            }
            if (t.getMessage() != null && t.getMessage().contains("No space left on device")) {
                return Optional.of("no space left on device: " + t.getMessage().strip().split("\\R", 2)[0]
                        + " (whatever was written completely is kept; free space and run again to resume)");
            }
        }
        return Optional.empty();
    }

    /** {@code .../OUTPUT/<table>/sweep_id=<id>/<file>} (or without the partition) -> {@code .../OUTPUT} */
    private static String outputOf(String path) {
        List<String> parts = new ArrayList<>(List.of(path.replaceFirst("^file:(//)?", "").split("/", -1)));
        parts.remove(parts.size() - 1);
        if (!parts.isEmpty() && parts.get(parts.size() - 1).contains("=")) {
            parts.remove(parts.size() - 1);
        }
        if (parts.size() > 1) {
            parts.remove(parts.size() - 1);
        }
        return String.join("/", parts);
    }
}
