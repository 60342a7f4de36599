package io.sparksweep.data;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What reading a sweep's data found, for the run's first lines, the {@code sweeps} row and a kept model's card:
 * the source, the input shape, the classes with their example counts, the files passed over, and the test split
 * (when the source has no test set of its own: its size and a hash of its indices, the same for every run).
 *
 * @param skipped files that are not images (or are hidden) and were passed over
 * @param unreadable images that could not be decoded and were skipped ({@code skip_unreadable: true})
 * @param testSplitSha256 SHA-256 of the test split's indices, or null when the source names its test set
 */
public record DataReport(String kind, String location, InputShape shape, List<String> classNames,
        int[] trainCounts, int[] testCounts, long skipped, List<String> unreadable, String testSplitSha256) {

    public DataReport {
        classNames = List.copyOf(classNames);
        unreadable = List.copyOf(unreadable);
    }

    /** The report of data read into {@code raw}. */
    public static DataReport of(DataSource source, String location, RawDataset raw, long skipped,
            List<String> unreadable, String testSplitSha256) {
        return new DataReport(source.kind(), location, raw.shape(), raw.schema().classNames(),
                raw.train().classCounts(raw.numClasses()), raw.test().classCounts(raw.numClasses()), skipped,
                unreadable, testSplitSha256);
    }

    /** e.g. {@code cat 120/30, dog 98/25}: each class with its training and test examples. */
    public String perClass() {
        return IntStream.range(0, classNames.size())
                .mapToObj(c -> classNames.get(c) + " " + trainCounts[c] + "/" + testCounts[c])
                .collect(Collectors.joining(", "));
    }

    public int trainTotal() {
        return Arrays.stream(trainCounts).sum();
    }

    public int testTotal() {
        return Arrays.stream(testCounts).sum();
    }
}
