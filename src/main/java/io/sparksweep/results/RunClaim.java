package io.sparksweep.results;

import io.sparksweep.BadInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps two runs of one sweep from writing into one output at once: each would redo the other's trials. A run
 * claims its sweep with a file {@code _runs/<sweep_id>/<run_id>.properties} under the output (run id, host, process
 * id, start), written once under a temporary name and renamed so that it is never seen half-written, and touches a
 * second, empty file {@code <run_id>.beat} every few seconds while it lives: its heartbeat (a driver killed mid-beat
 * leaves at worst an empty beat file, whose time still counts). A newcomer that finds a live claim withdraws its own
 * and is refused, naming the running run; a claim whose driver is gone is taken over without a flag. Gone means: on
 * this host, its process no longer exists; elsewhere, its files were last written longer ago than a limit (30 s by
 * default) by the file system's own clock (the newcomer's just-written claim tells the file system's time, so clocks
 * of other hosts never enter). Two newcomers at the same instant each see the other and both withdraw: at most one
 * run writes. Other sweeps into the same output claim other folders and are not disturbed.
 */
public final class RunClaim implements AutoCloseable {
    static final String FOLDER = "_runs";
    private static final String CLAIM = ".properties";
    private static final String BEAT = ".beat";
    /** How often a live run touches its beat file. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(5);

    /** Who holds a claim: read back from its file. */
    public record Holder(String runId, String host, long pid, Instant startedAt) {
        /** On this host, a process that is gone (or is a later process with the same id) holds nothing. */
        boolean deadHere(String thisHost) {
            if (!host.equals(thisHost)) {
                return false;
            }
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            return process.isEmpty() || process.get().info().startInstant()
                    .map(start -> start.isAfter(startedAt)).orElse(false);
        }
    }

    private final FileSystem fs;
    private final Path file;
    private final Path beatFile;
    private final Path folder;
    private final ScheduledExecutorService heartbeat;
    private final Duration interval;
    /** Runs whose stale claims this one took over, for the run to say so. */
    private final List<Holder> takenOver;

    private RunClaim(FileSystem fs, Path folder, Path file, Path beatFile, List<Holder> takenOver,
            Duration interval) {
        this.fs = fs;
        this.interval = interval;
        this.folder = folder;
        this.file = file;
        this.beatFile = beatFile;
        this.takenOver = List.copyOf(takenOver);
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sparksweep-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Claims {@code run}'s sweep in {@code output} and starts the heartbeat, one every {@code interval}.
     *
     * @throws BadInputException naming the run that holds a live claim (this run's own claim withdrawn)
     */
    public static RunClaim take(Configuration conf, String output, SweepRun run, Duration interval,
            Duration staleAfter) {
        Path folder = new Path(new Path(output, FOLDER), run.sweepId());
        try {
            FileSystem fs = folder.getFileSystem(conf);
            Properties content = describe(run);
            Path own = new Path(folder, run.runId() + CLAIM);
            Path beat = new Path(folder, run.runId() + BEAT);
            writeOnce(fs, own, content);
            touch(fs, beat);
            long fsNow = fs.getFileStatus(beat).getModificationTime();
            String here = content.getProperty("host");
            List<Holder> stale = new ArrayList<>();
            for (Map.Entry<String, List<FileStatus>> other : othersByRun(fs, folder, run.runId()).entrySet()) {
                Holder holder = read(fs, other.getKey(), other.getValue());
                long age = fsNow - lastWritten(other.getValue());
                if (holder.deadHere(here) || age > staleAfter.toMillis()) {
                    stale.add(holder);
                    for (FileStatus f : other.getValue()) {
                        fs.delete(f.getPath(), false);
                    }
                } else {
                    fs.delete(own, false);
                    fs.delete(beat, false);
                    throw refusal(run, output, holder, age, staleAfter);
                }
            }
            RunClaim claim = new RunClaim(fs, folder, own, beat, stale, interval);
            claim.beat();
            return claim;
        } catch (IOException e) {
            throw new UncheckedIOException("claiming sweep " + run.spec().name() + " in " + output + ": "
                    + e.getMessage(), e);
        }
    }

    private static BadInputException refusal(SweepRun run, String output, Holder holder, long ageMillis,
            Duration staleAfter) {
        return new BadInputException("sweep " + run.spec().name() + " is already running into " + output
                + ": run " + holder.runId() + " on " + holder.host() + " (pid " + holder.pid()
                + "), running since " + holder.startedAt() + ", heartbeat " + Math.max(0, ageMillis / 1000)
                + " s ago; wait for it to end, or stop it (a run whose heartbeat stops for "
                + staleAfter.toSeconds() + " s is taken over)");
    }

    /** The other runs' files, by run id (the file name up to its first dot). */
    private static Map<String, List<FileStatus>> othersByRun(FileSystem fs, Path folder, String own)
            throws IOException {
        Map<String, List<FileStatus>> byRun = new TreeMap<>();
        for (FileStatus f : fs.listStatus(folder)) {
            String name = f.getPath().getName();
            String runId = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
            if (!runId.equals(own)) {
                byRun.computeIfAbsent(runId, k -> new ArrayList<>()).add(f);
            }
        }
        return byRun;
    }

    private static long lastWritten(List<FileStatus> files) {
        return files.stream().mapToLong(FileStatus::getModificationTime).max().orElse(0);
    }

    /** Claims with a heartbeat every {@link #HEARTBEAT}, stale after six missed ones. */
    public static RunClaim take(Configuration conf, String output, SweepRun run) {
        return take(conf, output, run, HEARTBEAT, HEARTBEAT.multipliedBy(6));
    }

    /** The runs whose claims were stale and are now this run's. */
    public List<Holder> takenOver() {
        return takenOver;
    }

    private void beat() {
        long millis = interval.toMillis();
        heartbeat.scheduleAtFixedRate(() -> {
            try {
                touch(fs, beatFile);
            } catch (IOException | RuntimeException e) {
                // a missed beat only makes the claim look older; the next one may get through
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Stops the heartbeat and withdraws the claim (the folders too, when no other claim is left in them). */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            heartbeat.awaitTermination(10, TimeUnit.SECONDS);
            fs.delete(beatFile, false);
            fs.delete(file, false);
            deleteIfEmpty(folder);
            deleteIfEmpty(folder.getParent());
        } catch (IOException e) {
            // a claim left behind is stale as soon as its process is gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deleteIfEmpty(Path dir) throws IOException {
        if (fs.exists(dir) && fs.listStatus(dir).length == 0) {
            fs.delete(dir, false);
        }
    }

    private static Properties describe(SweepRun run) {
        Properties p = new Properties();
        p.setProperty("run_id", run.runId());
        p.setProperty("sweep", run.spec().name());
        p.setProperty("host", localHost());
        p.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        p.setProperty("started_at", ProcessHandle.current().info().startInstant().orElse(run.startedAt()).toString());
        return p;
    }

    /** Writes under a temporary name and renames: a claim is complete or absent, never half-written. */
    private static void writeOnce(FileSystem fs, Path file, Properties content) throws IOException {
        Path tmp = new Path(file.getParent(), file.getName() + ".tmp");
        try (FSDataOutputStream out = fs.create(tmp, true)) {
            content.store(new OutputStreamWriter(out, StandardCharsets.UTF_8), "a run of this sweep");
        }
        if (!fs.rename(tmp, file)) {
            throw new IOException("could not rename " + tmp + " to " + file);
        }
    }

    /** The beat file's modification time is the heartbeat; its content is nothing. */
    private static void touch(FileSystem fs, Path file) throws IOException {
        fs.create(file, true).close();
    }

    /** A run's holder, from its claim file; a run without a readable one is known only by its id. */
    private static Holder read(FileSystem fs, String runId, List<FileStatus> files) {
        Properties p = new Properties();
        for (FileStatus f : files) {
            if (f.getPath().getName().equals(runId + CLAIM)) {
                try (InputStream in = fs.open(f.getPath())) {
                    p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                } catch (IOException | IllegalArgumentException e) {
                    // a claim from an older version, damaged by hand: judged by its age alone
                }
            }
        }
        try {
            return new Holder(runId, p.getProperty("host", "?"), Long.parseLong(p.getProperty("pid", "-1")),
                    Instant.parse(p.getProperty("started_at", Instant.EPOCH.toString())));
        } catch (RuntimeException e) {
            return new Holder(runId, "?", -1, Instant.EPOCH);
        }
    }

    static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
