package io.sparksweep.data;

import io.sparksweep.BadInputException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Downloads a dataset's IDX files into a directory, trying each mirror in turn and verifying every file's MD5
 * before it is moved into place: a failed or corrupt download leaves nothing behind.
 */
final class DatasetDownloader {
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(20))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    /** Downloads every part into {@code targetDir}; {@code md5} gives each part's expected checksum. */
    void download(DatasetKind kind, List<String> mirrors, Map<DatasetKind.IdxPart, String> md5, Path targetDir) {
        try {
            Files.createDirectories(targetDir);
        } catch (IOException e) {
            throw new BadInputException("cannot create dataset cache " + targetDir + ": " + e.getMessage(), e);
        }
        for (DatasetKind.IdxPart part : DatasetKind.IdxPart.values()) {
            Path target = targetDir.resolve(part.gzName());
            if (!Files.exists(target)) {
                downloadPart(kind, part, mirrors, md5.get(part), target);
            }
        }
    }

    private void downloadPart(DatasetKind kind, DatasetKind.IdxPart part, List<String> mirrors, String expectedMd5,
            Path target) {
        List<String> failures = new ArrayList<>();
        for (String mirror : mirrors) {
            URI uri = URI.create(mirror.endsWith("/") ? mirror + part.gzName() : mirror + "/" + part.gzName());
            try {
                fetchVerified(uri, expectedMd5, target);
                return;
            } catch (IOException | ChecksumMismatch e) {
                failures.add(uri + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while downloading " + uri, e);
            }
        }
        throw new BadInputException("cannot download " + kind.key() + " file " + part.gzName() + " from any mirror: "
                + String.join("; ", failures));
    }

    private void fetchVerified(URI uri, String expectedMd5, Path target)
            throws IOException, InterruptedException, ChecksumMismatch {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        Path partial = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".partial");
        try {
            if (response.statusCode() != 200) {
                response.body().close();
                throw new IOException("HTTP " + response.statusCode());
            }
            MessageDigest digest = md5();
            try (InputStream in = new DigestInputStream(response.body(), digest);
                    OutputStream out = Files.newOutputStream(partial)) {
                in.transferTo(out);
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equalsIgnoreCase(expectedMd5)) {
                throw new ChecksumMismatch("checksum mismatch: expected MD5 " + expectedMd5 + ", got " + actual);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class ChecksumMismatch extends Exception {
        private static final long serialVersionUID = 1L;

        ChecksumMismatch(String message) {
            super(message);
        }
    }
}
