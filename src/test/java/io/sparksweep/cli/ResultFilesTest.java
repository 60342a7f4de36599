package io.sparksweep.cli;

import io.sparksweep.TestData;
import io.sparksweep.results.ResultDoctor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Damaged result files and a full disk: every command says so in one line (exit 2) naming the file and what to do,
 * {@code run} refuses to resume over a damaged file, and {@code doctor} moves what cannot be read aside so that
 * the sweep resumes and trains the affected trials again.
 */
class ResultFilesTest {
    private static final String SWEEP = """
            name: damaged
            dataset: {name: fashion-mnist, train_limit: 200, test_limit: 100}
            parameters: {model: mlp, hidden_layers: [[8], [4]], learning_rate: 0.05, batch_size: 50, epochs: 1}
            """;

    @TempDir
    Path tmp;

    private String[] run(Path sweep, Path out) {
        return new String[] {"run", sweep.toString(), "--master", "local[2]", "--no-ui", "--output", out.toString(),
                "--data-dir", TestData.FASHION_DIR.toString(), "--no-download"};
    }

    @Test
    void damagedFilesAreNamedAndDoctorRepairsTheTablesForTheSweepToResume() throws Exception {
        Path sweep = Files.writeString(tmp.resolve("sweep.yaml"), SWEEP);
        Path out = tmp.resolve("out");
        assertEquals(0, CliRunner.run(run(sweep, out)).exitCode());
        // the sweep's rows of a table are in one file per group commit (one or two here, as the trials finished):
        // damage every trials file by truncating it without its checksum (as on a file system that keeps none),
        // every epochs file under its checksum
        List<Path> truncated = liveFiles(out.resolve("trials"));
        for (Path file : truncated) {
            Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 300));
            Files.delete(file.resolveSibling("." + file.getFileName() + ".crc"));
        }
        List<Path> damaged = liveFiles(out.resolve("epochs"));
        for (Path file : damaged) {
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length / 2] ^= 0x5a;
            Files.write(file, bytes);
        }
        int broken = truncated.size() + damaged.size();
        Path staging = Files.createDirectories(out.resolve("_staging"));
        Path stale = Files.writeString(staging.resolve("stale.ckpt"), "x");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(ResultDoctor.STALE_STAGING.multipliedBy(2))));
        Path fresh = Files.writeString(staging.resolve("fresh.ckpt"), "x");
        List<Path> sweepsLog = commits(out.resolve("sweeps"));

        for (String[] command : List.of(new String[] {"query", "--output", out.toString(), "SELECT * FROM trials"},
                new String[] {"query", "--output", out.toString(), "SELECT * FROM epochs"},
                new String[] {"report", "--output", out.toString(), "--to", tmp.resolve("report").toString()},
                run(sweep, out))) {
            CliRunner.Outcome refused = CliRunner.run(command);
            String err = refused.err().strip();
            assertEquals(2, refused.exitCode(), command[0] + ": " + err);
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.matches("error: result file \\S+/(trials|epochs)/sweep_id=\\w+/part-\\S+\\.parquet cannot "
                    + "be read \\(.+\\): 'sparksweep doctor --output " + out + "' moves .*"), err);
        }
        assertEquals(sweepsLog, commits(out.resolve("sweeps")), "run wrote before refusing");

        CliRunner.Outcome listed = CliRunner.run("doctor", "--output", out.toString(), "--dry-run");
        assertEquals(0, listed.exitCode(), listed.err());
        assertTrue(listed.out().contains("would move " + (broken + 1) + " file(s)"), listed.out()); // and 1 stale
        assertTrue(Stream.concat(truncated.stream(), damaged.stream()).allMatch(Files::exists));

        CliRunner.Outcome doctor = CliRunner.run("doctor", "--output", out.toString());
        assertEquals(0, doctor.exitCode(), doctor.err());
        assertTrue(doctor.out().contains("moved " + (broken + 1) + " file(s)"), doctor.out());
        assertTrue(doctor.out().matches("(?s).*rerunning their sweeps trains these trials again: \\w+, \\w+\\R"),
                doctor.out());
        assertFalse(Stream.concat(truncated.stream(), damaged.stream()).anyMatch(Files::exists) || Files.exists(stale));
        assertTrue(Files.exists(fresh), "a staging file a running write may own was moved");
        Files.delete(fresh);
        try (Stream<Path> quarantined = Files.walk(out.resolve("_quarantine"))) {
            assertEquals(broken, quarantined.filter(p -> p.toString().endsWith(".parquet")).count());
        }
        CliRunner.Outcome readable = CliRunner.run("query", "--output", out.toString(), "--format", "csv",
                "SELECT (SELECT count(*) FROM trials) AS t, (SELECT count(*) FROM epochs) AS e");
        assertEquals(List.of("t,e", "0,0"), readable.out().lines().toList(), readable.err());

        CliRunner.Outcome resumed = CliRunner.run(run(sweep, out));
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("sweep damaged: 2 trials"), resumed.out());
        CliRunner.Outcome count = CliRunner.run("query", "--output", out.toString(), "--format", "csv",
                "SELECT (SELECT count(*) FROM trials) AS t, (SELECT count(*) FROM epochs) AS e");
        assertEquals(List.of("t,e", "2,2"), count.out().lines().toList(), count.err());
        assertTrue(CliRunner.run("doctor", "--output", out.toString()).out().contains("every result file"));
    }

    /** Needs a small file system of its own: a tmpfs, which root can mount where the machine allows it. */
    @Test
    void aFullDiskIsOneLine() throws Exception {
        Path disk = Files.createDirectories(tmp.resolve("disk"));
        assumeTrue(new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", disk.toString())
                .inheritIO().start().waitFor() == 0, "cannot mount a tmpfs here");
        try {
            Files.write(disk.resolve("filler"), new byte[40 * 1024]);
            Path sweep = Files.writeString(tmp.resolve("sweep.yaml"), SWEEP);
            CliRunner.Outcome full = CliRunner.run(run(sweep, disk.resolve("out")));
            String err = full.err().strip();
            assertEquals(2, full.exitCode(), err);
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.startsWith("error: no space left on device: "), err);
        } finally {
            // lazy: the failed write may still hold a file open
            new ProcessBuilder("umount", "-l", disk.toString()).inheritIO().start().waitFor();
        }
    }

    /** The data files of a table's current version, from its Delta log (older files stay on disk). */
    private static List<Path> liveFiles(Path table) throws IOException {
        Set<String> live = new TreeSet<>();
        ObjectMapper json = new ObjectMapper();
        for (Path commit : commits(table)) {
            for (String line : Files.readAllLines(commit)) {
                JsonNode action = json.readTree(line);
                if (action.has("add")) {
                    live.add(action.get("add").get("path").asText());
                } else if (action.has("remove")) {
                    live.remove(action.get("remove").get("path").asText());
                }
            }
        }
        assertFalse(live.isEmpty(), "no files in " + table);
        return live.stream().map(path -> table.resolve(URLDecoder.decode(path, StandardCharsets.UTF_8))).toList();
    }

    private static List<Path> commits(Path table) throws IOException {
        try (Stream<Path> files = Files.list(table.resolve("_delta_log"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }
}
