package io.sparksweep.results;

import io.sparksweep.BadInputException;
import io.sparksweep.spec.SweepFileLoader;
import io.sparksweep.spec.SweepSpec;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One run of a sweep writes into an output at a time; a claim whose driver is gone is taken over. */
class RunClaimTest {
    private static final Duration BEAT = Duration.ofMillis(200);
    private static final Duration STALE = Duration.ofSeconds(1);

    @TempDir
    Path tmp;

    private final Configuration conf = new Configuration();

    @Test
    void aSecondRunOfTheSameSweepIsRefusedNamingTheFirstAndLeavesNoClaimOfItsOwn() throws Exception {
        SweepRun first = run("a");
        SweepRun second = run("a");
        try (RunClaim held = RunClaim.take(conf, out(), first, BEAT, STALE)) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> RunClaim.take(conf, out(), second, BEAT, STALE));
            assertTrue(e.getMessage().startsWith("sweep a is already running into " + out() + ": run "
                    + first.runId() + " on " + RunClaim.localHost() + " (pid " + ProcessHandle.current().pid()
                    + "), running since "), e.getMessage());
            assertEquals(List.of(first.runId() + ".properties"), claims(first));
        }
        assertFalse(Files.exists(tmp.resolve("out").resolve(RunClaim.FOLDER)), "claims are withdrawn on close");
        try (RunClaim next = RunClaim.take(conf, out(), second, BEAT, STALE)) {
            assertTrue(next.takenOver().isEmpty());
        }
    }

    @Test
    void otherSweepsClaimTheSameOutputAtOnce() {
        try (RunClaim a = RunClaim.take(conf, out(), run("a"), BEAT, STALE);
                RunClaim b = RunClaim.take(conf, out(), run("b"), BEAT, STALE)) {
            assertTrue(a.takenOver().isEmpty() && b.takenOver().isEmpty());
        }
    }

    @Test
    void theHeartbeatKeepsALongRunsClaimLive() throws Exception {
        SweepRun first = run("a");
        try (RunClaim held = RunClaim.take(conf, out(), first, BEAT, STALE)) {
            Thread.sleep(STALE.toMillis() * 3);
            assertThrows(BadInputException.class, () -> RunClaim.take(conf, out(), run("a"), BEAT, STALE));
        }
    }

    @Test
    void aClaimOfAProcessThatIsGoneOnThisHostIsTakenOverAtOnce() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        writeClaim("20261206-120000-dead", RunClaim.localHost(), gone.pid(), Instant.now());
        try (RunClaim claim = RunClaim.take(conf, out(), run("a"), BEAT, Duration.ofHours(1))) {
            assertEquals("20261206-120000-dead", claim.takenOver().get(0).runId());
        }
    }

    @Test
    void aDriverKilledMidBeatLeavesAClaimThatIsStillReadAndTakenOver() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path claim = writeClaim("20261206-120000-beat", RunClaim.localHost(), gone.pid(), Instant.now());
        Path beat = Files.writeString(claim.resolveSibling("20261206-120000-beat.beat"), ""); // truncated, not rewritten
        try (RunClaim taker = RunClaim.take(conf, out(), run("a"), BEAT, Duration.ofHours(1))) {
            RunClaim.Holder holder = taker.takenOver().get(0);
            assertEquals(gone.pid(), holder.pid(), "the claim's content survives a kill during a heartbeat");
            assertFalse(Files.exists(claim) || Files.exists(beat), "the dead run's files are gone");
        }
    }

    @Test
    void aClaimFromAnotherHostIsLiveUntilItsHeartbeatIsOlderThanTheLimit() throws Exception {
        Path file = writeClaim("20261206-120000-away", "elsewhere.example", 42, Instant.now());
        BadInputException e = assertThrows(BadInputException.class,
                () -> RunClaim.take(conf, out(), run("a"), BEAT, Duration.ofMinutes(1)));
        assertTrue(e.getMessage().contains("run 20261206-120000-away on elsewhere.example (pid 42)"), e.getMessage());

        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofMinutes(2))));
        try (RunClaim claim = RunClaim.take(conf, out(), run("a"), BEAT, Duration.ofMinutes(1))) {
            assertEquals("elsewhere.example", claim.takenOver().get(0).host());
            assertFalse(Files.exists(file));
        }
    }

    @Test
    void anUnreadableClaimIsJudgedByItsAge() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("out").resolve(RunClaim.FOLDER)
                .resolve(SweepRun.sweepId("a")));
        Path file = Files.writeString(folder.resolve("half.properties"), "run_id=half\npid=not a number\n");
        assertThrows(BadInputException.class, () -> RunClaim.take(conf, out(), run("a"), BEAT, Duration.ofMinutes(1)));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofMinutes(2))));
        try (RunClaim claim = RunClaim.take(conf, out(), run("a"), BEAT, Duration.ofMinutes(1))) {
            assertEquals("half", claim.takenOver().get(0).runId());
        }
    }

    private Path writeClaim(String runId, String host, long pid, Instant started) throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("out").resolve(RunClaim.FOLDER)
                .resolve(SweepRun.sweepId("a")));
        return Files.writeString(folder.resolve(runId + ".properties"), "run_id=" + runId + "\nhost=" + host
                + "\npid=" + pid + "\nstarted_at=" + started + "\n");
    }

    private List<String> claims(SweepRun run) throws IOException {
        try (Stream<Path> files = Files.list(tmp.resolve("out").resolve(RunClaim.FOLDER).resolve(run.sweepId()))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".properties")).toList();
        }
    }

    private String out() {
        return tmp.resolve("out").toString();
    }

    private static SweepRun run(String name) {
        SweepSpec spec = SweepFileLoader.parse("s.yaml", """
                name: %s
                dataset: {name: fashion-mnist}
                parameters:
                  hidden_layers: [[16]]
                  learning_rate: 0.1
                  batch_size: 32
                  epochs: 1
                """.formatted(name));
        return SweepRun.start(spec, "local[1]", "checksum", null, null);
    }
}
