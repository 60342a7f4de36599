package io.sparksweep.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A JVM started by a test: a SparkSweep driver, a Spark master or a worker, with its output in a log file. */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** The classpath this test JVM runs with: our classes, DL4J and Spark. */
    public static String testClasspath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    public static List<String> sparkJvmOptions() {
        String opens = System.getProperty("sparksweep.jvm.opens", "");
        return opens.isBlank() ? List.of() : Arrays.asList(opens.trim().split("\\s+"));
    }

    /** Starts {@code java [options] -cp classpath mainClass args} with {@code env} added to this environment. */
    public static ChildJvm start(String classpath, List<String> options, String mainClass, List<String> args,
            Map<String, String> env, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(sparkJvmOptions());
        command.addAll(options);
        if (options.stream().noneMatch(o -> o.startsWith("-Dlog4j2.configurationFile="))) {
            command.add("-Dlog4j2.configurationFile=" + Path.of("conf/log4j2.properties").toAbsolutePath());
        }
        command.addAll(List.of("-cp", classpath, mainClass));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new ChildJvm(builder.start(), log);
    }

    /** A SparkSweep CLI in its own JVM. */
    public static ChildJvm sparksweep(List<String> args, List<String> options, Path log) throws IOException {
        List<String> all = new ArrayList<>(List.of("-Xmx3g"));
        all.addAll(options);
        return start(testClasspath(), all, "io.sparksweep.cli.Main", args, Map.of(), log);
    }

    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Waits for the JVM to exit and returns its exit code. */
    public int await(long seconds) throws Exception {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out after " + seconds + " s; output:\n" + output());
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hooks, no flushing, like a crashed machine. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
