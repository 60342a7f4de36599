package io.sparksweep.results;

import io.sparksweep.data.DataReport;
import io.sparksweep.spec.SweepSpec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * One invocation of a sweep. {@code sweepId} is stable for a sweep name (so a rerun or an edited file adds to
 * the same sweep); {@code runId} is new each time.
 */
public record SweepRun(String sweepId, String runId, SweepSpec spec, String master, Instant startedAt,
        String dataChecksum, HeldOut heldOut, DataReport data) {

    /**
     * @param dataChecksum the {@code RawDataset.checksum()} of the data every trial of this run trains on
     * @param heldOut the validation images (null without a split)
     * @param data what reading the data found (null when the caller read none)
     */
    public static SweepRun start(SweepSpec spec, String master, String dataChecksum, HeldOut heldOut,
            DataReport data) {
        Instant now = Instant.now();
        String runId = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(now) + "-"
                + HexFormat.of().formatHex(new SecureRandom().generateSeed(2));
        return new SweepRun(sweepId(spec.name()), runId, spec, master, now, dataChecksum, heldOut, data);
    }

    public static String sweepId(String sweepName) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(sweepName.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
