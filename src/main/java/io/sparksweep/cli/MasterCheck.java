package io.sparksweep.cli;

import io.sparksweep.BadInputException;
import io.sparksweep.spark.SparkSessions;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a {@code --master} before Spark starts, so that a typo or an unreachable cluster is one line and exit 2
 * within seconds instead of Spark's stack traces (or, for an unreachable standalone master, a minute of retries).
 */
final class MasterCheck {
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\d+,\\s*\\d+,\\s*\\d+]");
    private static final Pattern STANDALONE = Pattern.compile("spark://(.+)");
    private static final String FORMS = "local[*], local[N], spark://HOST:PORT, yarn or k8s://https://HOST:PORT";

    private MasterCheck() {
    }

    static void check(String master) {
        Matcher local = SparkSessions.LOCAL.matcher(master);
        if (local.matches()) {
            if (local.group(1) != null && !local.group(1).equals("*") && parseThreads(local.group(1)) < 1) {
                throw bad(master, "a local master needs at least one thread, e.g. local[1] or local[*]");
            }
            return;
        }
        if (LOCAL_CLUSTER.matcher(master).matches()) {
            return;
        }
        Matcher standalone = STANDALONE.matcher(master);
        if (standalone.matches()) {
            requireReachable(master, standalone.group(1));
        } else if (master.equals("yarn")) {
            requireClass(master, "org.apache.spark.deploy.yarn.YarnClusterManager", "YARN");
            if (System.getenv("HADOOP_CONF_DIR") == null && System.getenv("YARN_CONF_DIR") == null) {
                throw bad(master, "YARN is found through HADOOP_CONF_DIR or YARN_CONF_DIR, and neither is set");
            }
        } else if (master.startsWith("k8s://")) {
            requireClass(master, "org.apache.spark.scheduler.cluster.k8s.KubernetesClusterManager", "Kubernetes");
        } else {
            throw bad(master, "not a Spark master; use " + FORMS);
        }
    }

    private static long parseThreads(String digits) {
        return digits.length() > 9 ? Long.MAX_VALUE : Long.parseLong(digits);
    }

    /** A standalone master (or several, for high availability): at least one must accept a connection. */
    private static void requireReachable(String master, String hostPorts) {
        List<String> failures = new ArrayList<>();
        for (String hostPort : hostPorts.split(",")) {
            int colon = hostPort.lastIndexOf(':');
            int port = colon < 0 ? -1 : parsePort(hostPort.substring(colon + 1));
            if (colon <= 0 || port < 1) {
                throw bad(master, "'" + hostPort + "' is not HOST:PORT (e.g. spark://master:7077)");
            }
            Optional<String> failure = Endpoints.unreachable(hostPort.substring(0, colon), port);
            if (failure.isEmpty()) {
                return;
            }
            failures.add(failure.get());
        }
        throw bad(master, "no Spark master answers: " + String.join("; ", failures));
    }

    private static int parsePort(String text) {
        return text.matches("\\d{1,5}") && Integer.parseInt(text) <= 65535 ? Integer.parseInt(text) : -1;
    }

    private static void requireClass(String master, String className, String what) {
        try {
            Class.forName(className, false, MasterCheck.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw bad(master, "this Spark has no " + what + " support; submit with spark-submit from a Spark "
                    + "installation that has it (jobs/submit.sh)");
        }
    }

    private static BadInputException bad(String master, String problem) {
        return new BadInputException("--master " + master + ": " + problem);
    }
}
