package io.sparksweep.cluster;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real Spark standalone cluster on 127.0.0.1: a master and workers as separate JVMs, started from the
 * Maven-resolved Spark jars. The Spark home it needs (for the workers to launch executors) is a folder of links
 * to those jars, so nothing is downloaded.
 */
public final class StandaloneCluster implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final ChildJvm master;
    private final List<ChildJvm> workers = new ArrayList<>();

    private StandaloneCluster(Path dir, int port, ChildJvm master) {
        this.dir = dir;
        this.port = port;
        this.master = master;
    }

    /** Starts a master and {@code workers} workers of {@code cores} cores and {@code memory} each. */
    public static StandaloneCluster start(Path dir, int workers, int cores, String memory) throws Exception {
        return start(dir, workers, cores, memory, Map.of());
    }

    /** The same, each worker also given {@code workerConf} (e.g. GPU resources and their discovery script). */
    public static StandaloneCluster start(Path dir, int workers, int cores, String memory,
            Map<String, String> workerConf) throws Exception {
        Files.createDirectories(dir);
        Path properties = dir.resolve("worker.properties");
        StringBuilder lines = new StringBuilder();
        workerConf.forEach((k, v) -> lines.append(k).append(' ').append(v).append('\n'));
        Files.writeString(properties, lines);
        Path sparkHome = sparkHome(dir.resolve("spark-home"));
        String classpath = sparkHome.resolve("jars").toString() + "/*";
        Map<String, String> env = Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.13",
                "SPARK_LOCAL_IP", "127.0.0.1");
        int port = freePort();
        String log = "-Dlog4j2.configurationFile="
                + Path.of("src/test/resources/log4j2-cluster.properties").toAbsolutePath();
        ChildJvm master = ChildJvm.start(classpath, List.of("-Xmx512m", log), "org.apache.spark.deploy.master.Master",
                List.of("--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port",
                        Integer.toString(freePort())), env, dir.resolve("master.log"));
        StandaloneCluster cluster = new StandaloneCluster(dir, port, master);
        cluster.awaitLog(master, "I have been elected leader", 60);
        for (int i = 0; i < workers; i++) {
            Path work = Files.createDirectories(dir.resolve("worker-" + i));
            ChildJvm worker = ChildJvm.start(classpath, List.of("-Xmx512m", log), "org.apache.spark.deploy.worker.Worker",
                    List.of("--host", "127.0.0.1", "--cores", Integer.toString(cores), "--memory", memory,
                            "--work-dir", work.toString(), "--webui-port", Integer.toString(freePort()),
                            "--properties-file", properties.toString(), cluster.masterUrl()),
                    env, dir.resolve("worker-" + i + ".log"));
            cluster.workers.add(worker);
        }
        for (ChildJvm worker : cluster.workers) {
            cluster.awaitLog(worker, "Successfully registered with master", 60);
        }
        return cluster;
    }

    public String masterUrl() {
        return "spark://127.0.0.1:" + port;
    }

    /** Executor JVMs the workers launched: their child processes running CoarseGrainedExecutorBackend. */
    public List<ProcessHandle> executors() {
        return workers.stream().flatMap(w -> ProcessHandle.of(w.pid()).stream()).flatMap(ProcessHandle::children)
                .filter(p -> commandLine(p).contains("CoarseGrainedExecutorBackend")).toList();
    }

    /** Read from /proc: ProcessHandle.Info leaves out the arguments of long command lines like these. */
    private static String commandLine(ProcessHandle process) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    public Optional<ProcessHandle> anyExecutor() {
        return executors().stream().findFirst();
    }

    private void awaitLog(ChildJvm jvm, String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (jvm.output().contains(text)) {
                return;
            }
            if (!jvm.isAlive()) {
                throw new IllegalStateException("cluster JVM exited:\n" + jvm.output());
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no '" + text + "' after " + seconds + " s:\n" + jvm.output());
    }

    /**
     * A folder with {@code jars/} linking the jars Maven resolved for the tests: Spark's (several of its own
     * dependencies, slf4j for one, are on the compile scope because DL4J uses them too) and the rest, which a
     * worker's JVMs ignore or share. Enough of a Spark home for masters, workers and the executors they launch.
     */
    private static Path sparkHome(Path home) throws IOException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String entry : ChildJvm.testClasspath().split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!entry.endsWith(".jar") || !Files.isRegularFile(source)) {
                continue;
            }
            Path link = jars.resolve(source.getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, source);
            }
        }
        return home;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> executors = executors(); // before the workers go: then they are found by parent
        for (ChildJvm worker : workers) {
            worker.close();
        }
        master.close();
        executors.forEach(ProcessHandle::destroyForcibly);
    }

    public Path dir() {
        return dir;
    }
}
