package io.sparksweep.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code jobs/benchmark/pytorch_reference.py} and reads its one-line JSON results. */
public final class PyTorchReference {
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":\\s*(\"[^\"]*\"|[-0-9.eE]+)");

    private PyTorchReference() {
    }

    public static Map<String, SpeedBenchmark.Timing> run(String python, Path script, Path dataDir, int epochs,
            List<String> models) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python, script.toString(), "--data-dir", dataDir.toString(),
                "--epochs", Integer.toString(epochs), "--models", String.join(",", models)));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, SpeedBenchmark.Timing> timings = new HashMap<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                Map<String, String> fields = new HashMap<>();
                Matcher m = FIELD.matcher(line);
                while (m.find()) {
                    fields.put(m.group(1), m.group(2).replace("\"", ""));
                }
                if (fields.containsKey("model")) {
                    double seconds = Double.parseDouble(fields.get("seconds_per_epoch"));
                    timings.put(fields.get("model"), new SpeedBenchmark.Timing(fields.get("model"), seconds,
                            60_000 / seconds, Double.parseDouble(fields.get("eval_seconds")),
                            Double.parseDouble(fields.get("test_accuracy")), null));
                }
            }
        }
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + process.exitValue());
        }
        return timings;
    }
}
