package io.sparksweep.bench;

import io.sparksweep.train.EpochMetrics;
import io.sparksweep.train.Placement;
import io.sparksweep.train.TrainingData;
import io.sparksweep.train.TrialTrainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Resident memory of this JVM after each epoch of one long trial: flat after the first epochs, or a leak. */
public final class MemoryCheck {
    private MemoryCheck() {
    }

    /** Resident set size after each epoch, in MiB. */
    public static List<Long> residentPerEpoch(SeedModels.Model model, TrainingData data) {
        List<Long> rss = new ArrayList<>();
        new TrialTrainer(null, (EpochMetrics e) -> rss.add(residentMiB())).train(model.config(), data,
                new Placement("cpu", "cpu", null, 1, "bench", "localhost", 0));
        return rss;
    }

    /** Growth from epoch {@code from} (1-based) to the end, in MiB. */
    public static long growthAfter(List<Long> rss, int from) {
        long base = rss.get(from - 1);
        return rss.subList(from - 1, rss.size()).stream().mapToLong(Long::longValue).max().orElse(base) - base;
    }

    static long residentMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
