package io.sparksweep.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;

/**
 * Whether a cluster service (a Spark master, an HDFS namenode) accepts connections, asked before Spark or Hadoop
 * would retry for a minute and then fail with a stack trace.
 */
final class Endpoints {
    static final int TIMEOUT_MS = 3000;

    private Endpoints() {
    }

    /** Empty when {@code host:port} accepts a connection within {@link #TIMEOUT_MS}, else the reason. */
    static Optional<String> unreachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.of("cannot connect to " + host + ":" + port + " (" + e.getMessage() + ") within "
                    + TIMEOUT_MS / 1000 + " s");
        }
    }
}
