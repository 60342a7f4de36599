package io.sparksweep.spark;

import io.sparksweep.results.DeltaTables;
import io.sparksweep.results.ForklessLocalFileSystem;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Creates the Spark session for a command: the given master, or spark-submit's, or {@code local[*]}. */
public final class SparkSessions {
    /** A local master: {@code local}, {@code local[N]}, {@code local[*]}, with or without task retries. */
    public static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\s*(\\d+))?])?");
    /** The master a command asked for, where SparkSweep widened a local one (see {@link #commitSlot}). */
    private static final String ASKED_MASTER = "spark.sparksweep.master";
    /** Task slots of a widened local master that trials may use: one fewer than it has. */
    public static final String TRIAL_SLOTS = "spark.sparksweep.trialSlots";

    private SparkSessions() {
    }

    /**
     * A session for one command. It is stopped on close only if this command created it: when SparkSweep runs
     * inside a program that already has a session (a notebook, a test), that session is used and left running.
     */
    public record Handle(SparkSession session, boolean owned) implements AutoCloseable {
        @Override
        public void close() {
            if (owned) {
                session.stop();
            }
        }
    }

    public static Handle open(String appName, String master, boolean ui) {
        boolean existing = runningMaster().isPresent();
        return new Handle(create(appName, master, ui), !existing);
    }

    /** The master of the Spark session this JVM already runs (a notebook's, a test's), if there is one. */
    public static Optional<String> runningMaster() {
        scala.Option<SparkSession> session = SparkSession.getActiveSession().isDefined()
                ? SparkSession.getActiveSession() : SparkSession.getDefaultSession();
        if (session.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(master(session.get().sparkContext()));
    }

    /** The master a context runs on, as it was asked for (without the slot a local one got for commits). */
    public static String master(SparkContext sc) {
        return sc.getConf().get(ASKED_MASTER, sc.master());
    }

    private static SparkSession create(String appName, String master, boolean ui) {
        SparkConf conf = new SparkConf(); // picks up spark-submit's settings (spark.* system properties)
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        boolean local = conf.get("spark.master").startsWith("local");
        commitSlot(conf);
        if (local) {
            // A laptop run stays on this machine: driver and UI on loopback only.
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        conf.setIfMissing("spark.ui.enabled", Boolean.toString(ui && (!local || uiOnLoopback())));
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        conf.setIfMissing("spark.sql.session.timeZone", "UTC");
        // Result files are renamed into place by the store; Spark's own _SUCCESS markers are noise there.
        conf.setIfMissing("spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false");
        conf.setIfMissing("spark.sql.parquet.compression.codec", "snappy");
        resultSettings(conf);
        // the result writer's commits get the next free slot, ahead of queued trials (BackgroundWriter.POOL)
        conf.setIfMissing("spark.scheduler.mode", "FAIR");
        conf.setIfMissing("spark.sql.debug.maxToStringFields", "200");
        // SHOW TABLES or a lookup of an unknown table creates Spark's warehouse folder, by default in the working
        // directory; SparkSweep keeps no tables there, so an empty temporary folder serves.
        conf.setIfMissing("spark.sql.warehouse.dir", emptyWarehouse());
        return SparkSession.builder().appName(appName).config(conf).getOrCreate();
    }

    /**
     * A local master gets one task slot more than it has threads, and trials use the others: each result commit
     * is a few Spark jobs, and on a local master every slot is busy training, so commits would wait for trials to
     * end and rows would become durable in bursts, several trials late. The extra slot is idle but for commits,
     * which do little work. A cluster's commits take the next free slot instead ({@code BackgroundWriter.POOL}).
     */
    private static void commitSlot(SparkConf conf) {
        String master = conf.get("spark.master");
        Matcher local = LOCAL.matcher(master);
        if (!local.matches()) {
            return;
        }
        int threads = local.group(1) == null ? 1 : local.group(1).equals("*")
                ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(local.group(1));
        conf.setMaster("local[" + (threads + 1) + (local.group(2) == null ? "" : "," + local.group(2)) + "]");
        conf.set(ASKED_MASTER, master);
        conf.set(TRIAL_SLOTS, Integer.toString(threads));
    }

    /**
     * What the result tables need of a session, set where the user did not: Delta Lake ({@link #withDelta}),
     * interpreted SQL ({@link #interpreted}), local files without a process per call ({@link #forklessLocalFiles})
     * and small broadcast blocks. Test sessions get them too.
     *
     * @return {@code conf}
     */
    public static SparkConf resultSettings(SparkConf conf) {
        withDelta(conf);
        interpreted(conf);
        forklessLocalFiles(conf);
        // Every Spark job broadcasts its task binary, a few KB, into a buffer of the broadcast block size. At the
        // default 4 MB that buffer is a humongous object to G1 (half a heap region or more), and each one started
        // a concurrent marking cycle: 57 of them, 6.7 s of CPU, in a 3,000-trial sweep's driver (docs/benchmarks.md).
        // 256 KB stays below half the smallest region; large broadcasts (the dataset) just have more blocks.
        conf.setIfMissing("spark.broadcast.blockSize", "256k");
        return conf;
    }

    /**
     * The result tables are Delta tables: Delta's SQL extension (replaceWhere, OPTIMIZE, {@code delta.`path`}) and
     * catalog, added to any extensions the user configured. A session that already runs (a notebook's) keeps its
     * own settings: reads work there anyway, runs need them (see {@link DeltaTables#requireWrites}).
     */
    private static void withDelta(SparkConf conf) {
        String extensions = conf.get(DeltaTables.EXTENSIONS, "");
        if (!extensions.contains(DeltaTables.DELTA_EXTENSION)) {
            conf.set(DeltaTables.EXTENSIONS, extensions.isBlank() ? DeltaTables.DELTA_EXTENSION
                    : extensions + "," + DeltaTables.DELTA_EXTENSION);
        }
        conf.setIfMissing(DeltaTables.CATALOG, DeltaTables.DELTA_CATALOG);
        // Delta rebuilds a table's state from its log with a shuffle into 50 partitions by default: 2-3 s per
        // replacing commit on two cores. A result table's log lists a handful of files: one partition (measured
        // 1.5 s instead of 5 s per replaceWhere, 0.7 s instead of 2.1 s per read).
        conf.setIfMissing("spark.databricks.delta.snapshotPartitions", "1");
    }

    /**
     * Spark SQL runs interpreted, without generating and compiling Java code per query. SparkSweep's queries and
     * Delta's own (log replay, commits) read tables of a few thousand rows at most, where compiling the code (Janino,
     * then the JIT compiling Janino) costs more than running it: a sweep of 3,000 tiny trials on 2 cores used 99 s of
     * CPU instead of 120 s (docs/benchmarks.md). A user who queries large tables can set both back.
     */
    private static void interpreted(SparkConf conf) {
        conf.setIfMissing("spark.sql.codegen.wholeStage", "false");
        conf.setIfMissing("spark.sql.codegen.factoryMode", "NO_CODEGEN");
    }

    /**
     * Local files ({@code file:}) through {@link ForklessLocalFileSystem}: Hadoop's own local file system, without a
     * {@code chmod} or {@code readlink} process per file a commit writes or renames.
     */
    private static void forklessLocalFiles(SparkConf conf) {
        conf.setIfMissing("spark.hadoop.fs.file.impl", ForklessLocalFileSystem.class.getName());
        conf.setIfMissing("spark.hadoop.fs.AbstractFileSystem.file.impl", ForklessLocalFileSystem.Fs.class.getName());
    }

    /**
     * An empty temporary folder for Spark's warehouse, which a session creates at its first table lookup (by default
     * in the working directory), removed when the JVM exits.
     */
    public static String emptyWarehouse() {
        try {
            File dir = Files.createTempDirectory("sparksweep-warehouse").toFile();
            dir.deleteOnExit();
            return dir.toURI().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Spark's UI listens on {@code $SPARK_LOCAL_IP}, or on every interface when it is unset (no Spark property
     * changes that). A local run serves its UI only when that is a loopback address; jobs/run-local.sh sets it.
     */
    public static boolean uiOnLoopback() {
        String ip = System.getenv("SPARK_LOCAL_IP");
        return ip != null && (ip.startsWith("127.") || ip.equals("localhost") || ip.equals("::1"));
    }
}
