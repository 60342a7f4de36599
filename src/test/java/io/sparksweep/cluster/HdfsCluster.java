package io.sparksweep.cluster;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.VersionInfo;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real HDFS on 127.0.0.1: a NameNode and a DataNode as separate JVMs, started from Hadoop's own jars of the
 * release Spark uses (copied by Maven into {@code target/hdfs-jars}), with their configuration and storage in a
 * folder of the test's. What a SparkSweep driver sees is an ordinary {@code hdfs://} file system.
 */
public final class HdfsCluster implements AutoCloseable {
    private static final java.nio.file.Path JARS = java.nio.file.Path.of("target", "hdfs-jars");

    private final int port;
    private final List<ChildJvm> daemons = new ArrayList<>();

    private HdfsCluster(int port) {
        this.port = port;
    }

    /** Formats a new file system under {@code dir} and starts its NameNode and one DataNode. */
    public static HdfsCluster start(java.nio.file.Path dir) throws Exception {
        String classpath = classpath(Files.createDirectories(dir.resolve("conf")));
        int port = freePort();
        writeConfiguration(dir, port);
        HdfsCluster cluster = new HdfsCluster(port);
        String namenode = "org.apache.hadoop.hdfs.server.namenode.NameNode";
        try (ChildJvm format = daemon(classpath, namenode, List.of("-format", "-nonInteractive", "-force"),
                dir.resolve("format.log"))) {
            if (format.await(120) != 0) {
                throw new IllegalStateException("formatting HDFS failed:\n" + format.output());
            }
        }
        cluster.daemons.add(daemon(classpath, namenode, List.of(), dir.resolve("namenode.log")));
        cluster.daemons.add(daemon(classpath, "org.apache.hadoop.hdfs.server.datanode.DataNode", List.of(),
                dir.resolve("datanode.log")));
        cluster.awaitWritable(180);
        return cluster;
    }

    /** {@code hdfs://127.0.0.1:PORT} */
    public String uri() {
        return "hdfs://127.0.0.1:" + port;
    }

    /** A client of this file system, from the test's JVM. */
    public FileSystem fileSystem() throws IOException {
        return FileSystem.newInstance(URI.create(uri()), new Configuration());
    }

    /**
     * The NameNode answers and a file can be written (a DataNode has registered and the NameNode left safe mode).
     */
    private void awaitWritable(int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        Exception last = null;
        while (System.nanoTime() < deadline) {
            for (ChildJvm daemon : daemons) {
                if (!daemon.isAlive()) {
                    throw new IllegalStateException("an HDFS daemon exited:\n" + daemon.output());
                }
            }
            try (FileSystem fs = fileSystem(); FSDataOutputStream probe = fs.create(new Path("/.probe"), true)) {
                probe.write(1);
                return;
            } catch (IOException e) {
                last = e;
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException("HDFS not writable after " + seconds + " s: " + last + "\n"
                + daemons.get(daemons.size() - 1).output());
    }

    /**
     * The configuration folder first, then Hadoop's jars. Their version must be the Hadoop client's that Spark
     * brought onto the test classpath: the pom's {@code hadoop.version} is kept in step with Spark's.
     */
    private static String classpath(java.nio.file.Path conf) throws IOException {
        String expected = "hadoop-client-minicluster-" + VersionInfo.getVersion() + ".jar";
        if (!Files.isRegularFile(JARS.resolve(expected))) {
            throw new IllegalStateException(JARS + " has no " + expected + " (Spark's Hadoop client is "
                    + VersionInfo.getVersion() + "): set hadoop.version in pom.xml to it and run mvn again");
        }
        // and, from the test classpath, what Hadoop's shaded jars leave to the application: logging (SLF4J and
        // commons-logging, to Log4j 2, so the daemons' logs say what went wrong) and snappy
        Stream<String> logging = Stream.of(ChildJvm.testClasspath().split(File.pathSeparator)).filter(entry -> entry
                .matches(".*/(slf4j-api|jcl-over-slf4j|log4j-api|log4j-core|log4j-slf4j2-impl|snappy-java)-[^/]*\\.jar"));
        try (Stream<java.nio.file.Path> jars = Files.list(JARS)) {
            return Stream.concat(Stream.of(conf.toString()), Stream.concat(jars.map(j -> j.toAbsolutePath().toString())
                    .sorted(), logging)).collect(Collectors.joining(File.pathSeparator));
        }
    }

    private static void writeConfiguration(java.nio.file.Path dir, int port) throws IOException {
        java.nio.file.Path conf = dir.resolve("conf");
        Files.writeString(conf.resolve("core-site.xml"), xml(Map.of(
                "fs.defaultFS", "hdfs://127.0.0.1:" + port,
                "hadoop.tmp.dir", dir.resolve("tmp").toString())));
        Files.writeString(conf.resolve("hdfs-site.xml"), xml(Map.ofEntries(
                Map.entry("dfs.namenode.rpc-address", "127.0.0.1:" + port),
                Map.entry("dfs.namenode.http-address", "127.0.0.1:0"),
                Map.entry("dfs.namenode.secondary.http-address", "127.0.0.1:0"),
                Map.entry("dfs.namenode.name.dir", dir.resolve("name").toUri().toString()),
                Map.entry("dfs.datanode.data.dir", dir.resolve("data").toUri().toString()),
                Map.entry("dfs.datanode.address", "127.0.0.1:0"),
                Map.entry("dfs.datanode.http.address", "127.0.0.1:0"),
                Map.entry("dfs.datanode.ipc.address", "127.0.0.1:0"),
                Map.entry("dfs.datanode.hostname", "127.0.0.1"),
                Map.entry("dfs.replication", "1"),
                Map.entry("dfs.permissions.enabled", "false"),
                Map.entry("dfs.namenode.safemode.extension", "0"),
                Map.entry("dfs.namenode.datanode.registration.ip-hostname-check", "false"))));
    }

    private static String xml(Map<String, String> properties) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<configuration>\n");
        properties.forEach((name, value) -> xml.append("  <property><name>").append(name).append("</name><value>")
                .append(value).append("</value></property>\n"));
        return xml.append("</configuration>\n").toString();
    }

    private static ChildJvm daemon(String classpath, String mainClass, List<String> args, java.nio.file.Path log)
            throws IOException {
        return ChildJvm.start(classpath, List.of("-Xmx384m"), mainClass, args, Map.of(), log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (int i = daemons.size() - 1; i >= 0; i--) {
            daemons.get(i).kill();
        }
    }
}
