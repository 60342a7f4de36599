package io.sparksweep;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Versions baked in at build time, recorded with every sweep for provenance. */
public final class BuildInfo {
    private static final Properties PROPS = load();

    private BuildInfo() {
    }

    public static String version() {
        return PROPS.getProperty("version", "dev");
    }

    public static String dl4jVersion() {
        return PROPS.getProperty("dl4j", "unknown");
    }

    public static String backend() {
        return PROPS.getProperty("backend", "unknown");
    }

    /** e.g. {@code sparksweep=0.1.0 spark=4.1.1 dl4j=1.0.0-M2.1 backend=nd4j-native java=17.0.15} */
    public static String describe(String sparkVersion) {
        return "sparksweep=" + version() + " spark=" + sparkVersion + " dl4j=" + dl4jVersion() + " backend="
                + backend() + " java=" + System.getProperty("java.version");
    }

    private static Properties load() {
        Properties props = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException ignored) {
            // versions are informative only
        }
        return props;
    }
}
